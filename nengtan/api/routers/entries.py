"""Data entry in the portal (issue 15 item 4): monthly statements, economic data and manual meter readings typed
into a form, and quarantined rows corrected where they are shown.

A form is not a second importer: its rows are written as the interchange file of their kind and imported by the
same importer as an upload (nengtan.api.uploads.import_upload), so a form row is checked by exactly the rules a file
row is, lands or is quarantined the same way, and is recorded as an upload with its audit entry. A quarantined row
corrected in place is imported likewise; once it lands, the quarantine row is marked resolved by that batch.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field
from sqlalchemy import select, update

from nengtan.api.deps import ReadableEnterprise, ServicesDep, UserDep, WritableEnterprise
from nengtan.api.errors import ApiError, not_found
from nengtan.api.services import Services
from nengtan.api.uploads import import_upload
from nengtan.ingest.tables import OPTIONAL, REQUIRED, canonical_header
from nengtan.reasons import in_chinese
from nengtan.registry.tables.publishing import Upload
from nengtan.registry.tables.records import QuarantineRow
from nengtan.reports.import_templates import KIND_NAMES

router = APIRouter(prefix="/api/enterprises/{uscc}", tags=["uploads"])
EntryKind = Literal["activity", "economic", "readings"]
ENTRY_KINDS: tuple[str, ...] = ("activity", "economic", "readings")
Cell = Annotated[str, Field(max_length=500)]


class EntryForm(BaseModel):
    """Rows typed into the portal's form: each a mapping of column (English or Chinese header) to text."""

    kind: EntryKind
    rows: list[dict[Annotated[str, Field(max_length=64)], Cell | float | int | None]] = Field(min_length=1,
                                                                                           max_length=1000)
    reason: str | None = Field(default=None, max_length=2000)


class RowFix(BaseModel):
    """A quarantined row as corrected by the enterprise."""

    row: dict[Annotated[str, Field(max_length=64)], Cell | float | int | None]
    reason: str | None = Field(default=None, max_length=2000)


def entry_file(kind: str, uscc: str, rows: list[dict[str, Any]]) -> bytes:
    """The rows as the interchange CSV of ``kind`` (UTF-8 with BOM): headers as the importer names them, the
    enterprise's credit code filled in where a statement row leaves it out."""
    named = [{canonical_header(k): "" if v is None else str(v) for k, v in r.items()} for r in rows]
    if "uscc" in REQUIRED[kind]:
        for r in named:
            if not r.get("uscc", "").strip():
                r["uscc"] = uscc
    known = [*REQUIRED[kind], *OPTIONAL[kind]]
    extra = sorted({k for r in named for k in r} - set(known))
    columns = [*known, *extra]
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    w.writerows(named)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _name(kind: str) -> str:
    return f"表单填报-{KIND_NAMES[kind]}-{dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.csv"


@router.post("/entries", status_code=201)
def enter_rows(ent: WritableEnterprise, user: UserDep, svc: ServicesDep, form: EntryForm) -> dict[str, Any]:
    """Import rows typed into the portal's form, by the importer of their kind: the rows that pass land, the others
    are quarantined and listed with their reasons, as for an uploaded file."""
    data = entry_file(form.kind, ent.uscc, form.rows)
    return import_upload(svc, ent.id, ent.uscc, user.username, form.kind, _name(form.kind), data, form.reason,
                         {"form": True})


def _open_rows(svc: Services, enterprise_id: int, row_id: int | None = None, limit: int = 500
               ) -> list[QuarantineRow]:
    """Open quarantined rows of the batches uploaded (or entered) for the enterprise; ``row_id``: that one only."""
    batches = select(Upload.batch_id).where(Upload.enterprise_id == enterprise_id)
    q = select(QuarantineRow).where(QuarantineRow.batch_id.in_(batches), QuarantineRow.resolved_batch_id.is_(None))
    if row_id is not None:
        q = q.where(QuarantineRow.id == row_id)
    with svc.registry.session() as s:
        return list(s.execute(q.order_by(QuarantineRow.id.desc()).limit(limit)).scalars())


def _raw_fields(raw: str) -> dict[str, str]:
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {canonical_header(str(k)): "" if v is None else str(v) for k, v in data.items()
            if not str(k).startswith("\x00")}


@router.get("/quarantine")
def open_quarantine(ent: ReadableEnterprise, svc: ServicesDep) -> dict[str, Any]:
    """The enterprise's quarantined rows no later row has resolved, newest first, each with the fields as sent
    (``fields``) so that the portal can offer them for correction; ``fixable`` says whether the form can take it."""
    items = [{"id": q.id, "kind": q.kind, "file": q.file, "row": q.row, "column": q.column, "reason": q.reason,
              "reason_zh": in_chinese(q.reason), "fields": _raw_fields(q.raw), "fixable": q.kind in ENTRY_KINDS,
              "created_at": q.created_at.isoformat()} for q in _open_rows(svc, ent.id)]
    return {"items": items, "total": len(items)}


@router.post("/quarantine/{row_id}/fix", status_code=201)
def fix_row(ent: WritableEnterprise, user: UserDep, svc: ServicesDep,
            row_id: Annotated[int, Path(ge=1, le=2**31 - 1)], fix: RowFix) -> dict[str, Any]:
    """Import the corrected row by the importer of the quarantined row's kind; when it lands, the quarantined row is
    resolved by that batch (``resolved``). When it does not, the new reason is listed and the old row stays open."""
    q = next(iter(_open_rows(svc, ent.id, row_id)), None)
    if q is None:
        raise not_found(f"open quarantined row {row_id} of enterprise {ent.uscc}")
    if q.kind not in ENTRY_KINDS:
        raise ApiError(422, f"a quarantined {q.kind} row cannot be corrected in the form", "validation-error")
    data = entry_file(q.kind, ent.uscc, [fix.row])
    out = import_upload(svc, ent.id, ent.uscc, user.username, q.kind, _name(q.kind), data, fix.reason,
                        {"form": True, "fixes": row_id})
    landed = int(out["rows_ok"]) == 1 and int(out["rows_bad"]) == 0
    if landed:
        with svc.registry.session(write=True) as s:
            s.execute(update(QuarantineRow).where(QuarantineRow.id == row_id, QuarantineRow.resolved_batch_id.is_(None))
                      .values(resolved_batch_id=out["batch"]))
    out["resolved"] = landed
    return out
