"""Import templates (issue 15): ``GET /api/templates/{kind}.xlsx`` for any logged-in user (no enterprise data)."""

from __future__ import annotations

import tempfile
from pathlib import Path as FsPath
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from nengtan.api.deps import UserDep
from nengtan.api.errors import not_found

router = APIRouter(prefix="/api/templates", tags=["uploads"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/{kind}.xlsx")
def template(kind: Annotated[str, Path(max_length=20)], user: UserDep) -> Response:
    """The import template of a kind (enterprises, meters, activity, economic, readings): Chinese headers, an
    example row and the columns explained."""
    from nengtan.reports.import_templates import KINDS, write_template

    if kind not in KINDS:
        raise not_found(f"template {kind}")
    with tempfile.TemporaryDirectory(prefix="nengtan-template-") as tmp:
        data = write_template(kind, FsPath(tmp) / f"{kind}.xlsx").read_bytes()
    return Response(data, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''nengtan-{kind}-template.xlsx"})
