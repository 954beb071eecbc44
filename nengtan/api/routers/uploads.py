"""Upload of interchange files (monthly statements, readings, economic data) for one enterprise."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, UploadFile
from sqlalchemy import select

from nengtan.api.deps import ReadableEnterprise, ServicesDep, UserDep, WritableEnterprise
from nengtan.api.errors import ApiError, not_found
from nengtan.api.schemas import PagingDep
from nengtan.api.uploads import ADMIN_KINDS, ENTERPRISE_KINDS, run_import
from nengtan.registry import audit
from nengtan.registry.tables.publishing import Upload

router = APIRouter(prefix="/api/enterprises/{uscc}/uploads", tags=["uploads"])


def _summary(u: Upload, with_rows: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": u.id, "kind": u.kind, "filename": u.filename, "batch": u.batch_id,
                           "uploaded_by": u.uploaded_by, "rows_total": u.rows_total, "rows_ok": u.rows_ok,
                           "rows_bad": u.rows_bad, "created_at": u.created_at.isoformat()}
    if with_rows:
        out["result"] = json.loads(u.result)
    return out


@router.post("", status_code=201)
async def upload(ent: WritableEnterprise, user: UserDep, svc: ServicesDep,
                 file: Annotated[UploadFile, File(description="CSV (UTF-8) or XLSX interchange file")],
                 kind: Annotated[str, Form(max_length=32)] = "activity",
                 reason: Annotated[str | None, Form(max_length=2000)] = None) -> dict[str, Any]:
    """Import a file; rows failing validation are quarantined and listed with their reasons."""
    kinds = ADMIN_KINDS if user.is_admin else ENTERPRISE_KINDS
    if kind not in kinds:
        raise ApiError(422, f"kind {kind!r} is not one of {', '.join(kinds)}", "validation-error")
    name = FsPath(file.filename or "upload.csv").name[:200] or "upload.csv"
    if FsPath(name).suffix.lower() not in (".csv", ".xlsx", ".xlsm"):
        raise ApiError(422, f"{name}: only .csv and .xlsx files are accepted", "validation-error")
    limit = svc.settings.max_upload_mb * 1024 * 1024
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ApiError(413, f"{name} is larger than {svc.settings.max_upload_mb} MB", "too-large")
    with tempfile.TemporaryDirectory(prefix="nengtan-upload-") as tmp:
        path = FsPath(tmp) / name
        path.write_bytes(data)
        result = run_import(svc, kind, path, user.username, ent.uscc, reason)
    total, ok, bad, batch = (int(result["rows_total"]), int(result["rows_ok"]), int(result["rows_bad"]),
                             str(result["batch_id"]))
    with svc.registry.session() as s:
        u = Upload(enterprise_id=ent.id, batch_id=batch, kind=kind, filename=name, uploaded_by=user.username,
                   rows_total=total, rows_ok=ok, rows_bad=bad,
                   result=json.dumps(result, ensure_ascii=False, default=str))
        s.add(u)
        s.flush()
        audit.record(s, user.username, "upload.import", f"enterprise:{ent.uscc}",
                     {"upload": u.id, "batch": batch, "kind": kind, "file": name, "rows_ok": ok, "rows_bad": bad,
                      "reason": reason})
        out = _summary(u, with_rows=True)
    svc.invalidate()
    return out


@router.get("")
def uploads(ent: ReadableEnterprise, svc: ServicesDep, paging: PagingDep) -> dict[str, Any]:
    """Files uploaded for the enterprise, newest first."""
    with svc.registry.session() as s:
        rows = [_summary(u) for u in s.execute(select(Upload).where(Upload.enterprise_id == ent.id)
                                               .order_by(Upload.id.desc())).scalars()]
    return paging.page(rows)


@router.get("/{upload_id}")
def upload_detail(ent: ReadableEnterprise, upload_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                  svc: ServicesDep) -> dict[str, Any]:
    """One upload with its per-row results."""
    with svc.registry.session() as s:
        u = s.execute(select(Upload).where(Upload.id == upload_id, Upload.enterprise_id == ent.id)).scalar()
        if u is None:
            raise not_found(f"upload {upload_id} of enterprise {ent.uscc}")
        return _summary(u, with_rows=True)
