"""Quarantine for live data: every rejected message or reading is kept with its reason, never dropped.

Rows go to the registry's ``quarantine`` table under an ``import_batch`` whose id is derived from the
content (``<kind>-<sha256>``), so a message redelivered after a crash is quarantined once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from nengtan.ingest.validate import Reject
from nengtan.registry.store import Registry
from nengtan.registry.tables.records import ImportBatch, QuarantineRow

RAW_LIMIT = 4000


def raw_text(raw: Any) -> str:
    """What was sent, as text, cut to RAW_LIMIT characters (oversized messages say their size)."""
    if isinstance(raw, bytes | bytearray):
        text = bytes(raw[:RAW_LIMIT]).decode("utf-8", errors="replace")
        if len(raw) > RAW_LIMIT:
            text += f"... [{len(raw)} bytes]"
        return text
    if isinstance(raw, str):
        return raw[:RAW_LIMIT]
    try:
        return json.dumps(raw, ensure_ascii=False, default=str)[:RAW_LIMIT]
    except (TypeError, ValueError):
        return repr(raw)[:RAW_LIMIT]


@dataclass(frozen=True)
class Counts:
    total: int
    ok: int
    duplicate: int
    bad: int


def record(registry: Registry, kind: str, source: str, content_key: bytes, rejects: Sequence[Reject],
           counts: Counts, created_by: str = "ingest") -> str | None:
    """Store rejects under one import batch keyed by `content_key`; returns the batch id (None if no
    rejects). Recording the same content twice is a no-op."""
    if not rejects:
        return None
    digest = hashlib.sha256(content_key).hexdigest()
    batch_id = f"{kind[:5]}-{digest[:34]}"
    for _attempt in range(20):
        try:
            with registry.session(write=True) as s:
                if s.get(ImportBatch, batch_id) is not None:
                    return batch_id
                seq = (s.scalar(select(func.max(ImportBatch.seq))) or 0) + 1
                s.add(ImportBatch(id=batch_id, seq=seq, kind=kind, filename=source[:500], sha256=digest,
                                  rows_total=counts.total, rows_ok=counts.ok, rows_duplicate=counts.duplicate,
                                  rows_bad=counts.bad, created_by=created_by))
                s.flush()
                s.add_all([QuarantineRow(batch_id=batch_id, kind=kind, file=source[:500], row=r.index,
                                         column=r.column, reason=r.reason, raw=raw_text(r.raw)) for r in rejects])
            return batch_id
        except IntegrityError:
            continue  # another writer took the same seq (or the same batch): look again
    raise RuntimeError(f"could not allocate an import batch for {source}")
