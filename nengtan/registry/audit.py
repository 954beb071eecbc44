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
