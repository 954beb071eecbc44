"""The Merkle log against RFC 6962's published test vectors and its own definition.

Vectors: the Certificate Transparency reference leaves and tree heads, as published with
transparency-dev/merkle (testonly) and the original certificate-transparency test suite (data only).
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nengtan.ledger import merkle as M
from nengtan.ledger.heads import load_or_create_key, sign, signature_valid

LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                     "606162636465666768696a6b6c6d6e6f")]
ROOTS = ["e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
         "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
         "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
         "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
         "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
         "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
         "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
         "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
         "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"]
INCLUSION = {(0, 8): ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
             (5, 8): ["bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"]}
CONSISTENCY = {(2, 8): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
               (6, 8): ["0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"],
               (2, 5): ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"]}
HASHES = [M.leaf_hash(x) for x in LEAVES]


def test_roots_are_rfc6962s() -> None:
    for n, want in enumerate(ROOTS):
        assert M.root(HASHES[:n]).hex() == want
    assert hashlib.sha256(b"").digest() == M.EMPTY_ROOT


@pytest.mark.parametrize(("index", "size"), sorted(INCLUSION))
def test_inclusion_proofs_are_rfc6962s(index: int, size: int) -> None:
    proof = M.inclusion_proof(HASHES[:size], index)
    assert [p.hex() for p in proof] == INCLUSION[(index, size)]
    assert M.verify_inclusion(HASHES[index], index, size, proof, bytes.fromhex(ROOTS[size]))


@pytest.mark.parametrize(("m", "n"), sorted(CONSISTENCY))
def test_consistency_proofs_are_rfc6962s(m: int, n: int) -> None:
    proof = M.consistency_proof(HASHES[:n], m)
    assert [p.hex() for p in proof] == CONSISTENCY[(m, n)]
    assert M.verify_consistency(m, n, bytes.fromhex(ROOTS[m]), bytes.fromhex(ROOTS[n]), proof)


def _mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 §2.1 written out as the recursion it is (the reference for the iterative root)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return M.node_hash(_mth(leaves[:k]), _mth(leaves[k:]))


def test_every_size_every_proof() -> None:
    leaves = [M.leaf_hash(bytes([i, i * 7 % 256])) for i in range(41)]
    for n in range(1, 41):
        tree, r = leaves[:n], M.root(leaves[:n])
        assert r == _mth(tree)
        for i in range(n):
            proof = M.inclusion_proof(tree, i)
            assert M.verify_inclusion(tree[i], i, n, proof, r)
            assert not M.verify_inclusion(tree[i], i, n, proof, M.root(leaves[:n + 1]))  # another tree's root
            assert not M.verify_inclusion(tree[i], n, n, proof, r)  # an index outside the tree
            if n > 1:
                assert not M.verify_inclusion(tree[(i + 1) % n], i, n, proof, r)
        for m in range(1, n + 1):
            proof = M.consistency_proof(tree, m)
            assert M.verify_consistency(m, n, M.root(tree[:m]), r, proof)
            if m < n:
                assert not M.verify_consistency(m, n, M.root(tree[:m]), M.root(tree[:m]), proof)
                other = M.root([*tree[:m - 1], M.leaf_hash(b"forged")])
                assert not M.verify_consistency(m, n, other, r, proof)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 64), data=st.data())
def test_a_tampered_proof_never_verifies(n: int, data: st.DataObject) -> None:
    leaves = [M.leaf_hash(i.to_bytes(2, "big")) for i in range(n)]
    i = data.draw(st.integers(0, n - 1))
    proof = M.inclusion_proof(leaves, i)
    if proof:
        j = data.draw(st.integers(0, len(proof) - 1))
        bad = [*proof[:j], hashlib.sha256(proof[j]).digest(), *proof[j + 1:]]
        assert not M.verify_inclusion(leaves[i], i, n, bad, M.root(leaves))


def test_signed_heads(tmp_path) -> None:  # type: ignore[no-untyped-def]
    key = load_or_create_key(tmp_path / "k.pem")
    assert (tmp_path / "k.pem").stat().st_mode & 0o777 == 0o600
    assert load_or_create_key(tmp_path / "k.pem").public_key().public_bytes_raw() == key.public_key().public_bytes_raw()
    head = sign("log", 8, bytes.fromhex(ROOTS[8]), key)
    assert signature_valid(head)
    from dataclasses import replace
    assert not signature_valid(replace(head, size=7))
    other = load_or_create_key(tmp_path / "other.pem")
    assert not signature_valid(head, other.public_key().public_bytes_raw().hex())
