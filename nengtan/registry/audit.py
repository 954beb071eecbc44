"""The audit log: every write, by any path (service, CLI imports, gateways), append-only and hash-chained.

The application only ever INSERTs into ``audit_log`` (there is no update or delete path in the code,
and migration 0004 installs triggers that make the database refuse them). Each entry's hash is
SHA-256 over its predecessor's hash and its own canonical content, so ``verify`` detects any row that
was changed, removed or inserted out of order by someone with direct database access.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from nengtan.registry.tables.access import AuditEntry

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from nengtan.ledger.heads import TreeHead
    from nengtan.registry.store import Registry

GENESIS = "0" * 64
_lock = threading.Lock()


def _digest(prev_hash: str, seq: int, at: dt.datetime, actor: str, action: str, target: str,
            detail: str) -> str:
    at_utc = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    body = json.dumps(
        [prev_hash, seq, at_utc.astimezone(dt.UTC).isoformat(timespec="microseconds"), actor, action,
         target, detail],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def record(session: Session, actor: str, action: str, target: str, detail: dict[str, Any] | None = None,
           ) -> AuditEntry:
    """Append one entry in the caller's transaction (so the write and its audit commit together).

    Another process (the MQTT ingester, a CLI import, the service) may take the same sequence number at
    once: the unique ``seq`` refuses the second, which retries on the new head inside a savepoint."""
    text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str)
    with _lock:
        for _attempt in range(50):
            last = session.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar()
            seq = (last.seq + 1) if last else 1
            prev = last.hash if last else GENESIS
            at = dt.datetime.now(dt.UTC)
            entry = AuditEntry(seq=seq, at=at, actor=actor[:100], action=action, target=target[:200], detail=text,
                               prev_hash=prev, hash=_digest(prev, seq, at, actor[:100], action, target[:200], text))
            try:
                with session.begin_nested():
                    session.add(entry)
                    session.flush()
            except IntegrityError:
                continue
            return entry
    raise RuntimeError("could not append to the audit log (50 concurrent writers?)")


def append(registry: Registry, actor: str, action: str, target: str, detail: dict[str, Any] | None = None) -> None:
    """Record one entry in a transaction of its own (for writers whose data is not in the registry,
    such as readings the gateways send to the lake)."""
    with registry.session(write=True) as s:
        record(s, actor, action, target, detail)


@dataclass(frozen=True)
class ChainStatus:
    entries: int
    intact: bool
    first_bad_seq: int | None = None
    problem: str = ""


def verify(session: Session) -> ChainStatus:
    """Walk the chain from the start; report the first entry that does not fit."""
    prev = GENESIS
    expected_seq = 1
    n = 0
    for e in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
        n += 1
        if e.seq != expected_seq:
            return ChainStatus(n, False, e.seq, f"sequence gap: expected {expected_seq}, found {e.seq}")
        if e.prev_hash != prev:
            return ChainStatus(n, False, e.seq, "previous-hash link broken")
        if _digest(prev, e.seq, e.at, e.actor, e.action, e.target, e.detail) != e.hash:
            return ChainStatus(n, False, e.seq, "content does not match its hash")
        prev = e.hash
        expected_seq += 1
    return ChainStatus(n, True)


# -- the audit log as a Merkle log (RFC 6962), with signed checkpoints --------------------------------

LOG_NAME = "nengtan-audit"


def leaf_data(e: AuditEntry) -> bytes:
    """The canonical bytes of one entry, the leaf the Merkle tree is built over (the chain hash is not
    part of it: a forger who recomputes the chain still changes the leaves)."""
    at = e.at if e.at.tzinfo else e.at.replace(tzinfo=dt.UTC)
    return json.dumps([e.seq, at.astimezone(dt.UTC).isoformat(timespec="microseconds"), e.actor, e.action,
                       e.target, e.detail], ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def leaf_hashes(session: Session) -> list[bytes]:
    from nengtan.ledger.merkle import leaf_hash

    return [leaf_hash(leaf_data(e)) for e in session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()]


def checkpoint(session: Session, key: Ed25519PrivateKey) -> TreeHead:
    """A signed tree head over every entry now in the log (export it to an outside witness)."""
    from nengtan.ledger.heads import sign
    from nengtan.ledger.merkle import root

    leaves = leaf_hashes(session)
    return sign(LOG_NAME, len(leaves), root(leaves), key)


@dataclass(frozen=True)
class CheckpointStatus:
    ok: bool
    size_then: int
    size_now: int
    problem: str = ""


def verify_against(session: Session, head: TreeHead, public_key_hex: str | None = None) -> CheckpointStatus:
    """Does the log still hold, unchanged and in order, every entry the checkpoint covered?

    Detects an edited, deleted, inserted or reordered entry among the first ``head.size`` (their tree no
    longer has the signed root), truncation (fewer entries now), a forged checkpoint (bad signature),
    and proves with a consistency proof (RFC 6962 §2.1.2) that the log since only grew."""
    from nengtan.ledger.heads import signature_valid
    from nengtan.ledger.merkle import consistency_proof, root, verify_consistency

    leaves = leaf_hashes(session)
    n, m = len(leaves), head.size
    if head.log != LOG_NAME:
        return CheckpointStatus(False, m, n, f"the checkpoint is of log {head.log!r}, not {LOG_NAME!r}")
    if not signature_valid(head, public_key_hex):
        return CheckpointStatus(False, m, n, "the checkpoint's signature does not verify: it was not made with "
                                             "the park's key (or was altered)")
    if n < m:
        return CheckpointStatus(False, m, n, f"the log was cut off: it holds {n} entries, the checkpoint covered {m}")
    if m == 0:
        return CheckpointStatus(True, m, n)
    if root(leaves[:m]).hex() != head.root:
        return CheckpointStatus(False, m, n, f"the first {m} entries no longer hash to the signed root: an entry "
                                             "was edited, deleted, inserted or moved")
    if not verify_consistency(m, n, bytes.fromhex(head.root), root(leaves), consistency_proof(leaves, m)):
        return CheckpointStatus(False, m, n, "the log is not an extension of the checkpointed one")
    return CheckpointStatus(True, m, n)
