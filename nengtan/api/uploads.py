"""Uploads of interchange files for one enterprise, through the same importer as ``nengtan import``.

The importer is called with ``allowed_usccs`` = the enterprise in the URL, so a row naming another
enterprise (or another enterprise's meter) is quarantined with its reason like any other bad row —
one enterprise can never write another's data, and the uploader sees exactly which rows were refused.
Enterprise users may upload activity, economic and readings files; the park administrator also meters.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nengtan.api.errors import ApiError
from nengtan.api.services import Services

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
