"""Park evaluations over HTTP (issue 13), for the park's staff: HJ 274-2015 with each indicator's inputs and its
trend, the zero-carbon park indicators with their gaps, the GHG inventory, and each as XLSX or PDF — every figure
nengtan.engine.evaluation's."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from nengtan.api.deps import PlacedDep, StaffDep
from nengtan.api.errors import ApiError
from nengtan.api.media import MEDIA
from nengtan.engine import evaluation
from nengtan.engine.certification import last_year

router = APIRouter(prefix="/api/evaluation", tags=["park evaluation"])
YearQ = Annotated[int | None, Query(ge=2000, le=2100)]
BaseQ = Annotated[int | None, Query(ge=1990, le=2100, description="The plan's base year (default: the park's)")]
Chosen = Annotated[str | None, Query(max_length=120, pattern=r"^[0-9,]*$",
                                     description="The optional HJ 274 indicators assessed, e.g. 1,2,6")]
Gwp = Annotated[Literal["AR6", "AR5", "SAR"], Query()]


def _chosen(text: str | None) -> set[int] | None:
    return {int(x) for x in text.split(",") if x} if text else None


@router.get("/hj274")
def hj274(user: StaffDep, svc: PlacedDep, year: YearQ = None, base_year: BaseQ = None,
          chosen: Chosen = None) -> dict[str, Any]:
    y = year or last_year()
    return svc.cached(("eval-hj274", y, base_year, chosen),
                      lambda: evaluation.hj274_evaluation(svc, y, base_year, _chosen(chosen)))


@router.get("/hj274/trend")
def hj274_trend(user: StaffDep, svc: PlacedDep, years: Annotated[str, Query(max_length=60,
                                                                            pattern=r"^[0-9]{4}(,[0-9]{4})*$")],
                base_year: BaseQ = None) -> dict[str, Any]:
    ys = sorted({int(x) for x in years.split(",")})
    if len(ys) > 10:
        raise ApiError(422, "at most ten years", "invalid")
    return svc.cached(("eval-trend", tuple(ys), base_year), lambda: evaluation.hj274_trend(svc, ys, base_year))


@router.get("/zero-carbon")
def zero_carbon(user: StaffDep, svc: PlacedDep, year: YearQ = None,
                pv_yield: Annotated[float, Query(gt=0, le=3000)] = 1100.0) -> dict[str, Any]:
    y = year or last_year()
    return svc.cached(("eval-zc", y, pv_yield), lambda: evaluation.zero_carbon_evaluation(svc, y, pv_yield))


@router.get("/ghg")
def ghg(user: StaffDep, svc: PlacedDep, year: YearQ = None, gwp: Gwp = "AR6") -> dict[str, Any]:
    y = year or last_year()
    return svc.cached(("eval-ghg", y, gwp), lambda: evaluation.ghg_inventory(svc, y, gwp))


@router.get("/{kind}/export")
def export(kind: Literal["hj274", "zero-carbon", "ghg"], user: StaffDep, svc: PlacedDep, year: YearQ = None,
           base_year: BaseQ = None, chosen: Chosen = None, gwp: Gwp = "AR6",
           fmt: Annotated[Literal["xlsx", "pdf"], Query(alias="format")] = "xlsx") -> Response:
    """The report in Chinese as XLSX or PDF."""
    from nengtan.engine.accounts import park_name
    from nengtan.reports.evaluation import write_evaluation

    y = year or last_year()
    r = (evaluation.hj274_evaluation(svc, y, base_year, _chosen(chosen)) if kind == "hj274" else
         evaluation.zero_carbon_evaluation(svc, y) if kind == "zero-carbon" else evaluation.ghg_inventory(svc, y, gwp))
    with tempfile.TemporaryDirectory() as tmp:
        data = write_evaluation(kind, r, park_name(svc), Path(tmp) / f"r.{fmt}").read_bytes()
    media = MEDIA[fmt]
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="evaluation-{kind}-{y}.{fmt}"'})
