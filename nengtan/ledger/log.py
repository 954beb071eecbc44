"""An append-only Merkle log (RFC 6962 §2.1 tree) that keeps the hash of every complete subtree, so that a
log of millions of entries answers its root and its proofs without rehashing the leaves.

Leaves and nodes hash as :mod:`nengtan.ledger.merkle` defines; the trees, roots and proofs are identical to
that module's list functions (tests/ledger check it size by size). Appending a leaf adds it and the complete
subtrees it closes (two hashes on average); the root of any prefix and the inclusion and consistency proofs
of RFC 6962 §2.1.1–2.1.2 take O(log² n) lookups and hashes, since in the tree's recursive split every left
part is an aligned power-of-two block, stored, and only the right edge is combined afresh.
"""

from __future__ import annotations

from nengtan.ledger.merkle import EMPTY_ROOT, ProofError, _split, node_hash


class MerkleLog:
    """Leaf hashes in order, with level k holding the hashes of the complete aligned blocks of 2^k leaves."""

    def __init__(self) -> None:
        self.levels: list[list[bytes]] = [[]]

    @property
    def size(self) -> int:
        return len(self.levels[0])

    def append(self, leaf: bytes) -> int:
        """Add a leaf hash; returns its index."""
        self.levels[0].append(leaf)
        index = i = len(self.levels[0]) - 1
        level = 0
        while i & 1:  # the leaf closes a pair: its parent is complete
            parent = node_hash(self.levels[level][i - 1], self.levels[level][i])
            level += 1
            if len(self.levels) == level:
                self.levels.append([])
            self.levels[level].append(parent)
            i = len(self.levels[level]) - 1
        return index

    def _range(self, lo: int, hi: int) -> bytes:
        """MTH of leaves [lo, hi), lo aligned as the tree's splits leave it."""
        n = hi - lo
        if n == 0:
            return EMPTY_ROOT
        if n & (n - 1) == 0 and lo % n == 0:
            return self.levels[n.bit_length() - 1][lo // n]
        k = _split(n)
        return node_hash(self._range(lo, lo + k), self._range(lo + k, hi))

    def root(self, size: int | None = None) -> bytes:
        """MTH of the first `size` leaves (default: all)."""
        n = self.size if size is None else size
        if not 0 <= n <= self.size:
            raise ProofError(f"the log has {self.size} entries, not {n}")
        return self._range(0, n)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """PATH(index, D[size]) of RFC 6962 §2.1.1."""
        n = self.size if size is None else size
        if not 0 <= index < n <= self.size:
            raise ProofError(f"leaf {index} is not in a tree of {n}")
        out: list[bytes] = []
        lo, hi = 0, n
        while hi - lo > 1:
            k = _split(hi - lo)
            if index < lo + k:
                out.append(self._range(lo + k, hi))
                hi = lo + k
            else:
                out.append(self._range(lo, lo + k))
                lo += k
        return out[::-1]

    def consistency_proof(self, m: int, n: int | None = None) -> list[bytes]:
        """PROOF(m, D[n]) of RFC 6962 §2.1.2: the first m entries are a prefix of the first n."""
        n = self.size if n is None else n
        if not 0 < m <= n <= self.size:
            raise ProofError(f"no consistency proof from size {m} to {n}")
        out: list[bytes] = []
        lo, hi, whole = 0, n, True
        while True:
            if m == hi - lo:
                if not whole:
                    out.append(self._range(lo, hi))
                break
            k = _split(hi - lo)
            if m <= k:
                out.append(self._range(lo + k, hi))
                hi = lo + k
            else:
                out.append(self._range(lo, lo + k))
                lo, m, whole = lo + k, m - k, False
        return out[::-1]
