"""The park's reports from the cockpit (issue 15 item 6), for its staff at their place: the inventory workbook, the
targets-budget-warnings workbook and the meeting pack, each as XLSX or as its PDF with the charts — the files
``nengtan report inventory|targets|pack`` writes. Every download is audited."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from nengtan.api.deps import PlacedDep, StaffDep
from nengtan.api.media import MEDIA
from nengtan.api.schemas import OptYear
from nengtan.engine import cockpit as figures
from nengtan.registry import audit
from nengtan.reports.words import zh

router = APIRouter(prefix="/api/reports", tags=["reports"])
Format = Annotated[Literal["xlsx", "pdf"], Query(alias="format")]
SCENARIO_DRAWS = 2_000
"""The targets workbook's Monte Carlo draws: the cockpit's scenarios panel's (/api/targets/scenarios), so the two
show the same intervals."""


async def _file(user: StaffDep, svc: PlacedDep, name: str, fmt: str, write: Callable[[Path], Path]) -> Response:
    def make() -> bytes:  # in the thread pool: the engine's work and the audit entry
        with tempfile.TemporaryDirectory(prefix="nengtan-report-") as tmp:
            data = write(Path(tmp) / f"{name}.{fmt}").read_bytes()
        with svc.registry.session() as s:
            audit.record(s, user.username, "report.download", name, {"format": fmt, "place": user.place or "park"})
        return data

    data = await run_in_threadpool(make)
    return Response(data, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}.{fmt}"})


async def _year(svc: PlacedDep, year: int | None) -> int:
    if year:
        return year
    return int(await run_in_threadpool(figures.latest_year, svc, svc.settings.default_year))


async def _workbook(user: StaffDep, svc: PlacedDep, name: str, fmt: str, make_xlsx: Callable[[Path], Path],
                    to_pdf: Callable[[Path, Path, str], Path], title: str) -> Response:
    """A workbook the engine writes, or its PDF (`to_pdf`, with the workbook's charts) titled with the place's name
    and `title`."""
    from nengtan.engine.accounts import park_name

    def write(out: Path) -> Path:
        xlsx = make_xlsx(out.with_suffix(".xlsx"))
        return xlsx if fmt == "xlsx" else to_pdf(xlsx, out, f"{park_name(svc)} {title}")

    return await _file(user, svc, name, fmt, write)


@router.get("/inventory", response_class=Response)
async def inventory(user: StaffDep, svc: PlacedDep, year: OptYear = None, fmt: Format = "xlsx") -> Response:
    """The inventory workbook of the place (totals, carriers, sectors, enterprises, months, factors) or its PDF."""
    from nengtan.engine.accounts import inventory_report
    from nengtan.reports.inventory_xlsx import inventory_pdf

    y = await _year(svc, year)
    return await _workbook(user, svc, f"inventory-{y}", fmt, lambda xlsx: inventory_report(svc, xlsx, y)[0],
                           inventory_pdf, zh("Energy consumption and carbon emission inventory {period}", period=y))


@router.get("/targets", response_class=Response)
async def targets(user: StaffDep, svc: PlacedDep, year: OptYear = None, fmt: Format = "xlsx") -> Response:
    """Targets and progress, the budget's allocation, the warnings, the scenarios — the workbook or its PDF."""
    from nengtan.engine.targets import targets_report
    from nengtan.reports.targets_xlsx import targets_pdf

    y = await _year(svc, year)
    return await _workbook(user, svc, f"targets-{y}", fmt,
                           lambda xlsx: targets_report(svc, y, xlsx, draws=SCENARIO_DRAWS),
                           targets_pdf, zh("Targets, budgets and warnings {year}", year=y))


@router.get("/pack", response_class=Response)
async def pack(user: StaffDep, svc: PlacedDep, year: OptYear = None, fmt: Format = "pdf") -> Response:
    """The cockpit as a meeting pack (会议材料): its figures as tables with their charts, PDF or XLSX."""
    from nengtan.engine.meetingpack import write_pack

    y = await _year(svc, year)
    return await _file(user, svc, f"meeting-pack-{y}", fmt, lambda out: write_pack(svc, y, out))
