"""The stored-subtree Merkle log gives the same roots and proofs as the list functions (RFC 6962), size by size,
and its proofs verify."""

from __future__ import annotations

import pytest

from nengtan.ledger.log import MerkleLog
from nengtan.ledger.merkle import (
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root,
    verify_consistency,
    verify_inclusion,
)


def test_same_roots_and_proofs_as_the_list_functions() -> None:
    leaves = [leaf_hash(f"entry {i}".encode()) for i in range(70)]
    log = MerkleLog()
    for n, leaf in enumerate(leaves, start=1):
        assert log.append(leaf) == n - 1
        prefix = leaves[:n]
        assert log.root() == root(prefix)
        for i in range(n):
            assert log.inclusion_proof(i) == inclusion_proof(prefix, i)
            assert verify_inclusion(prefix[i], i, n, log.inclusion_proof(i), log.root())
        for m in range(1, n + 1):
            assert log.consistency_proof(m) == consistency_proof(prefix, m)
            assert verify_consistency(m, n, log.root(m), log.root(), log.consistency_proof(m))
    # proofs against an earlier size of the same log
    assert log.inclusion_proof(5, 33) == inclusion_proof(leaves[:33], 5)
    assert log.consistency_proof(9, 40) == consistency_proof(leaves[:40], 9)


def test_bad_sizes() -> None:
    log = MerkleLog()
    assert log.root() == root([])
    log.append(leaf_hash(b"x"))
    for call in (lambda: log.inclusion_proof(1), lambda: log.root(2), lambda: log.consistency_proof(0),
                 lambda: log.consistency_proof(1, 2)):
        with pytest.raises(ProofError):
            call()
