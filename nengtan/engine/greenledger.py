"""The green-power ledger: every GEC, contract, claim, trade and trace attribution is one entry appended in the
same transaction as the write it records, each a leaf of an RFC 6962 Merkle tree (nengtan.ledger).

The park signs tree heads with its Ed25519 key (``<home>/keys/ledger-ed25519.pem``, the audit log's key); an
export (entries and a signed head) and an entry's inclusion proof are checked offline by nengtan.ledger.entries.
The table is append-only: the database refuses UPDATE and DELETE on it (migration 0009).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from nengtan.errors import NotFoundError
from nengtan.ledger.entries import Entry, canonical, proof_bundle, write_export
from nengtan.ledger.log import MerkleLog
from nengtan.registry.tables.greenpower import LedgerEntry

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from nengtan.ledger.heads import TreeHead
    from nengtan.registry.store import Registry

LOG_NAME = "nengtan-greenpower"
KEY_FILE = Path("keys") / "ledger-ed25519.pem"
_lock = threading.Lock()


def _iso(at: dt.datetime) -> str:
    at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def append(s: Session, kind: str, subject: str, body: dict[str, Any]) -> int:
    """Append one entry in the caller's transaction; returns its sequence number (its leaf index)."""
    return append_many(s, [(kind, subject, body)])[0]


def append_many(s: Session, items: list[tuple[str, str, dict[str, Any]]]) -> list[int]:
    """Append (kind, subject, body) entries in order, in the caller's transaction, with one read of the end
    (a trace's attributions are thousands of entries); their sequence numbers. Another writer may take the same
    numbers at once: the unique (log, seq) refuses the second, which retries on the new end inside a savepoint."""
    if not items:
        return []
    with _lock:
        for _attempt in range(50):
            last = s.execute(select(func.max(LedgerEntry.seq)).where(LedgerEntry.log == LOG_NAME)).scalar()
            first = 0 if last is None else last + 1
            at = dt.datetime.now(dt.UTC)
            rows = []
            for k, (kind, subject, body) in enumerate(items):
                clean = json.loads(canonical(body))
                e = Entry(first + k, kind, subject, _iso(at), clean)
                rows.append(LedgerEntry(log=LOG_NAME, seq=first + k, kind=kind, subject=subject,
                                        body=canonical(clean).decode(), leaf=e.leaf().hex(), at=at))
            try:
                with s.begin_nested():
                    s.add_all(rows)
                    s.flush()
            except IntegrityError:
                continue
            return [first + k for k in range(len(items))]
    raise RuntimeError("could not append to the green-power ledger (50 concurrent writers?)")


def _entry(r: LedgerEntry) -> Entry:
    return Entry(r.seq, r.kind, r.subject, _iso(r.at), json.loads(r.body))


def entries(s: Session, subject: str | None = None, kinds: tuple[str, ...] = ()) -> list[Entry]:
    q = select(LedgerEntry).where(LedgerEntry.log == LOG_NAME).order_by(LedgerEntry.seq)
    if subject is not None:
        q = q.where(LedgerEntry.subject == subject)
    if kinds:
        q = q.where(LedgerEntry.kind.in_(kinds))
    return [_entry(r) for r in s.execute(q).scalars()]


def tree(s: Session) -> MerkleLog:
    """The Merkle tree over the stored leaf hashes (rebuilt per call: 10⁶ leaves take about a second)."""
    log = MerkleLog()
    for leaf in s.execute(select(LedgerEntry.leaf).where(LedgerEntry.log == LOG_NAME)
                          .order_by(LedgerEntry.seq)).scalars():
        log.append(bytes.fromhex(leaf))
    return log


def signing_key(home: Path) -> Ed25519PrivateKey:
    from nengtan.ledger.heads import load_or_create_key

    return load_or_create_key(home / KEY_FILE)


def signed_tree(s: Session, key: Ed25519PrivateKey) -> tuple[MerkleLog, TreeHead]:
    """The tree over the stored leaf hashes and a signed head over it (what proofs are given against)."""
    from nengtan.ledger.heads import sign

    log = tree(s)
    return log, sign(LOG_NAME, log.size, log.root(), key)


def head(s: Session, key: Ed25519PrivateKey) -> TreeHead:
    """A signed tree head over every entry now in the ledger."""
    return signed_tree(s, key)[1]


def export(reg: Registry, folder: Path, key: Ed25519PrivateKey) -> TreeHead:
    """Write the whole ledger and a signed head over it to `folder` (for an outside witness or a verifier). The
    head is over the stored leaf hashes, so an entry changed in the database after it was written does not
    verify against it."""
    with reg.session() as s:
        all_entries = entries(s)
        h = head(s, key)
    write_export(folder, all_entries, h)
    return h


def proof(reg: Registry, seq: int, key: Ed25519PrivateKey, visible: set[str] | None = None) -> dict[str, Any]:
    """Entry `seq` with its inclusion proof in the ledger as it is now and a signed head; with `visible` (the
    subjects the caller may see), an entry of another subject is not found (an enterprise gets proofs of its own
    entries only)."""
    with reg.session() as s:
        row = s.execute(select(LedgerEntry).where(LedgerEntry.log == LOG_NAME, LedgerEntry.seq == seq)).scalar()
        if row is None or (visible is not None and row.subject not in visible):
            raise NotFoundError(f"ledger entry {seq}")
        log, h = signed_tree(s, key)
        return proof_bundle(_entry(row), log.inclusion_proof(seq), h)
