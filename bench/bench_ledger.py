"""Merkle log benchmark (issue 11, item 10): a log of N entries (default 10⁶) — append rate, root, inclusion
and consistency proofs and their offline verification — with nengtan.ledger.log.MerkleLog (stored complete
subtrees) next to the list functions of nengtan.ledger.merkle (which rehash the leaves for every answer), in
the same run; writes "## Merkle log (issue 11)" of docs/benchmarks.md.

    python bench/bench_ledger.py [--entries N] [--proofs P]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sections import publish, run_line  # noqa: E402

from nengtan.ledger import merkle  # noqa: E402
from nengtan.ledger.log import MerkleLog  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--proofs", type=int, default=1_000)
    a = ap.parse_args()
    n = a.entries
    entries = [f'{{"seq":{i},"kind":"gec.cancel","mwh":1}}'.encode() for i in range(n)]
    log = MerkleLog()
    t0 = time.perf_counter()
    for e in entries:
        log.append(merkle.leaf_hash(e))
    append_s = time.perf_counter() - t0
    leaves = log.levels[0]
    t0 = time.perf_counter()
    head = log.root()
    root_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    list_root = merkle.root(leaves)
    list_root_s = time.perf_counter() - t0
    assert head == list_root
    rng = np.random.default_rng(1)
    picks = rng.integers(0, n, a.proofs).tolist()
    t0 = time.perf_counter()
    proofs = [log.inclusion_proof(i) for i in picks]
    proof_s = (time.perf_counter() - t0) / a.proofs
    t0 = time.perf_counter()
    ok = all(merkle.verify_inclusion(leaves[i], i, n, p, head) for i, p in zip(picks, proofs, strict=True))
    verify_s = (time.perf_counter() - t0) / a.proofs
    assert ok
    few = picks[:3]
    t0 = time.perf_counter()
    assert [merkle.inclusion_proof(leaves, i) for i in few] == proofs[:3]
    list_proof_s = (time.perf_counter() - t0) / len(few)
    m = n // 3 + 7
    t0 = time.perf_counter()
    cproof = log.consistency_proof(m)
    cons_s = time.perf_counter() - t0
    assert merkle.verify_consistency(m, n, log.root(m), head, cproof)
    lines = [
        "## Merkle log (issue 11)", "",
        f"{run_line()}; "
        f"`python bench/bench_ledger.py --entries {n} --proofs {a.proofs}`.", "",
        f"A log of {n:,} entries (RFC 6962 tree, SHA-256). nengtan's `MerkleLog` keeps every complete subtree's "
        "hash; the baseline is the list functions, which rehash the leaves for each root or proof (what the audit "
        "checkpoint does today).", "",
        "| task | MerkleLog | list functions (baseline) |", "|---|---|---|",
        f"| append (leaf hash + tree) | {n / append_s:,.0f} entries/s ({append_s:.2f} s) | — |",
        f"| root of the whole log | {root_s * 1e3:.3f} ms | {list_root_s * 1e3:,.0f} ms |",
        f"| inclusion proof | {proof_s * 1e6:.1f} µs ({len(proofs[0])} hashes) | {list_proof_s * 1e3:,.0f} ms |",
        f"| verify an inclusion proof offline | {verify_s * 1e6:.1f} µs | same |",
        f"| consistency proof {m:,} → {n:,} | {cons_s * 1e6:.1f} µs ({len(cproof)} hashes) | — |", "",
    ]
    publish(lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
