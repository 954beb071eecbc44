"""Uploads of interchange files for one enterprise, through the same importer as ``nengtan import``.

The importer is called with ``allowed_usccs`` = the enterprise in the URL, so a row naming another
enterprise (or another enterprise's meter) is quarantined with its reason like any other bad row —
one enterprise can never write another's data, and the uploader sees exactly which rows were refused.
Enterprise users may upload activity, economic and readings files; the park administrator also meters.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from nengtan.api.errors import ApiError
from nengtan.api.services import Services
from nengtan.reasons import in_chinese
from nengtan.registry import audit
from nengtan.registry.tables.publishing import Upload

ENTERPRISE_KINDS = ("activity", "economic", "readings")
ADMIN_KINDS = (*ENTERPRISE_KINDS, "meters")


def run_import(svc: Services, kind: str, path: Path, actor: str, uscc: str, reason: str | None
               ) -> dict[str, Any]:
    """Import ``path`` for enterprise ``uscc``; returns the importer's result as plain data."""
    from nengtan.ingest.files import ImportFileError, import_file

    try:
        result = import_file(svc.registry, svc.settings.paths, kind, path, correction=reason or None,
                             created_by=actor, allowed_usccs={uscc})
    except ImportFileError as exc:
        raise ApiError(422, str(exc), "unreadable-file") from exc
    return result.to_dict()


def upload_summary(u: Upload, with_rows: bool = False) -> dict[str, Any]:
    """An upload as the API shows it (``result``: the importer's per-row results)."""
    out: dict[str, Any] = {"id": u.id, "kind": u.kind, "filename": u.filename, "batch": u.batch_id,
                           "uploaded_by": u.uploaded_by, "rows_total": u.rows_total, "rows_ok": u.rows_ok,
                           "rows_bad": u.rows_bad, "created_at": u.created_at.isoformat()}
    if with_rows:
        out["result"] = json.loads(u.result)
        for issue in out["result"].get("issues", []):  # each reason in Chinese beside the English (nengtan.reasons)
            issue["reason_zh"] = in_chinese(str(issue.get("reason", "")))
    return out


def import_upload(svc: Services, enterprise_id: int, uscc: str, username: str, kind: str, name: str, data: bytes,
                  reason: str | None, detail: dict[str, Any] | None = None) -> dict[str, Any]:
    """Import ``data`` (a file named ``name``) for the enterprise and record it as an upload with an audit entry
    (``detail`` added to it); returns the upload with its per-row results. A file sent and a form filled in take
    this same path."""
    with tempfile.TemporaryDirectory(prefix="nengtan-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        result = run_import(svc, kind, path, username, uscc, reason)
    total, ok, bad, batch = (int(result["rows_total"]), int(result["rows_ok"]), int(result["rows_bad"]),
                             str(result["batch_id"]))
    with svc.registry.session() as s:
        u = Upload(enterprise_id=enterprise_id, batch_id=batch, kind=kind, filename=name, uploaded_by=username,
                   rows_total=total, rows_ok=ok, rows_bad=bad,
                   result=json.dumps(result, ensure_ascii=False, default=str))
        s.add(u)
        s.flush()
        audit.record(s, username, "upload.import", f"enterprise:{uscc}",
                     {"upload": u.id, "batch": batch, "kind": kind, "file": name, "rows_ok": ok, "rows_bad": bad,
                      "reason": reason, **(detail or {})})
        out = upload_summary(u, with_rows=True)
    svc.invalidate()
    return out
