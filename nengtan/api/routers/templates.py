"""Import templates (issue 15): ``GET /api/templates/{kind}.xlsx`` for any logged-in user (no enterprise data)."""

from __future__ import annotations

import tempfile
from pathlib import Path as FsPath
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response

from nengtan.api.deps import UserDep
from nengtan.api.errors import not_found
from nengtan.api.media import XLSX

router = APIRouter(prefix="/api/templates", tags=["uploads"])


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


@router.get("/{kind}/columns")
def template_columns(kind: Annotated[str, Path(max_length=20)], user: UserDep) -> dict[str, Any]:
    """The columns of a kind as the portal's entry form shows them: the importer's name, the Chinese header, what
    goes in it and whether it is required (the same list the XLSX template explains)."""
    from nengtan.ingest.tables import OPTIONAL, REQUIRED, chinese_header
    from nengtan.labels import CARRIERS
    from nengtan.reports.import_templates import KIND_NAMES, KINDS, NOTES
    from nengtan.units import CANONICAL_UNIT

    if kind not in KINDS:
        raise not_found(f"template {kind}")
    cols: list[dict[str, Any]] = [{"name": c, "label": chinese_header(c), "note": NOTES.get(c, ""),
                                   "required": c in REQUIRED[kind]} for c in (*REQUIRED[kind], *OPTIONAL[kind])]
    for c in cols:
        if c["name"] == "carrier":  # the carriers the factor library knows, with their canonical unit
            c["choices"] = [{"value": k, "label_zh": zh, "label_en": en, "unit": CANONICAL_UNIT.get(k, "")}
                            for k, (zh, en) in CARRIERS.items()]
    return {"kind": kind, "label": KIND_NAMES[kind], "columns": cols}
