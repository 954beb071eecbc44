"""The enterprise's report: the XLSX workbook ``nengtan report`` writes, and its PDF printed from that workbook."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

from nengtan.api.deps import ReadableEnterprise, ServicesDep, UserDep
from nengtan.api.media import PDF, XLSX
from nengtan.api.schemas import OptYear
from nengtan.engine import cockpit as figures
from nengtan.registry import audit
from nengtan.reports.words import zh

router = APIRouter(prefix="/api/enterprises/{uscc}", tags=["reports"])


def build_report(svc: ServicesDep, year: int, uscc: str, out: Path) -> Path:
    """The workbook ``nengtan report inventory --scope enterprise:<uscc>`` writes."""
    from nengtan.engine.accounts import inventory_report

    return inventory_report(svc, out, year, scope=f"enterprise:{uscc}")[0]


def _download(ent: ReadableEnterprise, user: UserDep, svc: ServicesDep, year: int | None, kind: str) -> Response:
    """The report of the year as ``xlsx``, or as ``pdf`` printed from that workbook; the download is audited."""
    y = year or figures.latest_year(svc, svc.settings.default_year)
    with tempfile.TemporaryDirectory(prefix="nengtan-report-") as tmp:
        path = build_report(svc, y, ent.uscc, Path(tmp) / f"{ent.uscc}-{y}.xlsx")
        if kind == "pdf":
            from nengtan.reports.inventory_xlsx import inventory_pdf

            title = zh("Energy consumption and carbon emission inventory {period}", period=f"{ent.uscc} {y}")
            path = inventory_pdf(path, Path(tmp) / f"{ent.uscc}-{y}.pdf", title)
        data = path.read_bytes()
    with svc.registry.session() as s:
        audit.record(s, user.username, "report.download", f"enterprise:{ent.uscc}:{y}",
                     {"format": "pdf"} if kind == "pdf" else {})
    return Response(data, media_type=PDF if kind == "pdf" else XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{ent.uscc}-{y}.{kind}"'})


@router.get("/report.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "XLSX workbook"}})
def report(ent: ReadableEnterprise, user: UserDep, svc: ServicesDep, year: OptYear = None) -> Response:
    """Download the enterprise's inventory report for a year as XLSX."""
    return _download(ent, user, svc, year, "xlsx")


@router.get("/report.pdf", response_class=Response,
            responses={200: {"content": {PDF: {}}, "description": "PDF of the XLSX workbook"}})
def report_pdf(ent: ReadableEnterprise, user: UserDep, svc: ServicesDep, year: OptYear = None) -> Response:
    """Download the enterprise's inventory report for a year as PDF: the same workbook, printed (Chinese font)."""
    return _download(ent, user, svc, year, "pdf")
