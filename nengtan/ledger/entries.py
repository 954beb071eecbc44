"""Ledger entries as leaves, and what a third party checks offline: an exported ledger against its signed head,
and one entry's inclusion proof (RFC 6962 §2.1.1; verified as RFC 9162 §2.1.3.2 says).

An entry is (seq, kind, subject, at, body); its leaf is the canonical JSON of those five, UTF-8, with sorted
keys and no spaces, so the same entry always hashes the same on any machine. The sequence number is inside the
leaf: an entry moved to another place no longer fits there.

An export is a folder of ``entries.jsonl`` (one entry per line, in order) and ``head.json`` (the signed tree
head); a proof is one JSON file holding the entry, its audit path and the signed head. Checking either needs
this module and ``cryptography`` only — no database, no nengtan data home.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nengtan.ledger.heads import TreeHead, signature_valid
from nengtan.ledger.log import MerkleLog
from nengtan.ledger.merkle import leaf_hash, verify_inclusion

ENTRIES_FILE = "entries.jsonl"
HEAD_FILE = "head.json"


@dataclass(frozen=True)
class Entry:
    seq: int
    kind: str
    subject: str
    at: str  # ISO 8601, UTC
    body: dict[str, Any]

    def leaf_data(self) -> bytes:
        return canonical({"seq": self.seq, "kind": self.kind, "subject": self.subject, "at": self.at,
                          "body": self.body})

    def leaf(self) -> bytes:
        return leaf_hash(self.leaf_data())

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "subject": self.subject, "at": self.at, "body": self.body}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Entry:
        return cls(int(d["seq"]), str(d["kind"]), str(d["subject"]), str(d["at"]), dict(d["body"]))


def canonical(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    head_size: int
    problem: str = ""


def verify_entries(entries: Iterable[Entry], head: TreeHead, log_name: str, public_key_hex: str | None = None
                   ) -> Verdict:
    """Do these entries, in this order, hash to the signed head (the first ``head.size`` of them)?

    Detects an edited entry (its leaf changes the root), a deleted, inserted or reordered one (sequence numbers
    out of step, or the root), a truncated ledger (fewer entries than the head covers), and a forged or altered
    head (its Ed25519 signature)."""
    if head.log != log_name:
        return Verdict(False, 0, head.size, f"the head is of ledger {head.log!r}, not {log_name!r}")
    if not signature_valid(head, public_key_hex):
        return Verdict(False, 0, head.size, "the head's signature does not verify: it was not signed with the park's "
                                            "key, or it was altered")
    log = MerkleLog()
    for k, e in enumerate(entries):
        if e.seq != k:
            return Verdict(False, k, head.size, f"entry {k} carries sequence number {e.seq}: an entry was deleted, "
                                                "inserted or moved")
        log.append(e.leaf())
    n = log.size
    if n < head.size:
        return Verdict(False, n, head.size, f"the ledger was cut off: {n} entries, the signed head covers {head.size}")
    if log.root(head.size).hex() != head.root:
        return Verdict(False, n, head.size, f"the first {head.size} entries do not hash to the signed root: an entry "
                                            "was edited")
    return Verdict(True, n, head.size)


def read_export(folder: Path) -> tuple[list[Entry], TreeHead]:
    """The entries and head of an exported ledger (ValueError naming the file and line when unreadable)."""
    entries: list[Entry] = []
    path = folder / ENTRIES_FILE
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                entries.append(Entry.from_dict(json.loads(line)))
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path.name}:{n}: not a ledger entry ({exc})") from None
    try:
        head = TreeHead.from_json((folder / HEAD_FILE).read_text(encoding="utf-8"))
    except (ValueError, KeyError) as exc:
        raise ValueError(f"{HEAD_FILE}: not a signed tree head ({exc})") from None
    return entries, head


def write_export(folder: Path, entries: Iterable[Entry], head: TreeHead) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    tmp = folder / (ENTRIES_FILE + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for e in entries:
            fh.write(canonical(e.as_dict()).decode("utf-8") + "\n")
            n += 1
    tmp.replace(folder / ENTRIES_FILE)
    (folder / HEAD_FILE).write_text(head.to_json(), encoding="utf-8")
    return n


def proof_bundle(entry: Entry, path: list[bytes], head: TreeHead) -> dict[str, Any]:
    """What a buyer or a certification body is handed: the entry, its audit path and the signed head."""
    return {"entry": entry.as_dict(), "leaf_index": entry.seq, "audit_path": [p.hex() for p in path],
            "head": json.loads(head.to_json())}


def verify_bundle(bundle: dict[str, Any], public_key_hex: str | None = None) -> Verdict:
    """Is the bundle's entry in the ledger its signed head describes, unchanged?"""
    try:
        entry = Entry.from_dict(bundle["entry"])
        head = TreeHead.from_json(json.dumps(bundle["head"]))
        path = [bytes.fromhex(p) for p in bundle["audit_path"]]
    except (KeyError, ValueError, TypeError) as exc:
        return Verdict(False, 0, 0, f"not a proof ({exc})")
    if not signature_valid(head, public_key_hex):
        return Verdict(False, 1, head.size, "the head's signature does not verify")
    if not verify_inclusion(entry.leaf(), entry.seq, head.size, path, bytes.fromhex(head.root)):
        return Verdict(False, 1, head.size, f"entry {entry.seq} is not in the signed tree of {head.size} as given: "
                                            "the entry or its path was altered")
    return Verdict(True, 1, head.size)
