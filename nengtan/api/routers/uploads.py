"""Upload of interchange files (monthly statements, readings, economic data) for one enterprise."""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, UploadFile
from sqlalchemy import select

from nengtan.api.deps import ReadableEnterprise, ServicesDep, UserDep, WritableEnterprise
from nengtan.api.errors import ApiError, not_found
from nengtan.api.schemas import PagingDep
from nengtan.api.uploads import ADMIN_KINDS, ENTERPRISE_KINDS, import_upload, upload_summary
from nengtan.registry.tables.publishing import Upload

router = APIRouter(prefix="/api/enterprises/{uscc}/uploads", tags=["uploads"])


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
    return import_upload(svc, ent.id, ent.uscc, user.username, kind, name, data, reason)


@router.get("")
def uploads(ent: ReadableEnterprise, svc: ServicesDep, paging: PagingDep) -> dict[str, Any]:
    """Files uploaded for the enterprise, newest first."""
    with svc.registry.session() as s:
        rows = [upload_summary(u) for u in s.execute(select(Upload).where(Upload.enterprise_id == ent.id)
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
        return upload_summary(u, with_rows=True)
