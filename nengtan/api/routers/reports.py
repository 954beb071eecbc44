"""The enterprise's XLSX report (the same workbook ``nengtan report`` writes)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

from nengtan.api import analytics, audit
from nengtan.api.deps import ReadableEnterprise, ServicesDep, UserDep
from nengtan.api.schemas import OptYear

router = APIRouter(prefix="/api/enterprises/{uscc}", tags=["reports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def build_report(svc: ServicesDep, year: int, uscc: str, out: Path) -> Path:
    """The workbook ``nengtan report inventory --scope enterprise:<uscc>`` writes."""
    from sqlalchemy import select

    from nengtan.accounting import Period, economics, inventory, ledger, resolve_factor_set
    from nengtan.registry.models import Park
    from nengtan.reports.inventory_xlsx import write_inventory_report

    fs = resolve_factor_set(svc.registry, svc.settings.factor_set)
    inv = inventory(svc.registry, svc.lake, year, None, None, f"enterprise:{uscc}", fs)
    led = ledger(svc.registry, svc.lake, year, fs)
    with svc.registry.session() as s:
        park = s.execute(select(Park).order_by(Park.id)).scalars().first()
        park_name = park.name if park else "园区"
    return write_inventory_report(out, inv, led, economics(svc.registry, year), fs, park_name, Period(year))


@router.get("/report.xlsx", response_class=Response,
            responses={200: {"content": {XLSX: {}}, "description": "XLSX workbook"}})
def report(ent: ReadableEnterprise, user: UserDep, svc: ServicesDep, year: OptYear = None) -> Response:
    """Download the enterprise's inventory report for a year as XLSX."""
    y = year or analytics.latest_year(svc)
    with tempfile.TemporaryDirectory(prefix="nengtan-report-") as tmp:
        path = build_report(svc, y, ent.uscc, Path(tmp) / f"{ent.uscc}-{y}.xlsx")
        data = path.read_bytes()
    with svc.registry.session() as s:
        audit.record(s, user.username, "report.download", f"enterprise:{ent.uscc}:{y}", {})
    return Response(data, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{ent.uscc}-{y}.xlsx"'})
