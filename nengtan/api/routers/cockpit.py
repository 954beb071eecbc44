"""The park cockpit's data (驾驶舱): park administrator only."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from nengtan.api.deps import PlacedDep, ServicesDep, StaffDep, StaffView
from nengtan.api.errors import not_found
from nengtan.api.schemas import OptYear, PagingDep
from nengtan.engine import cockpit as figures

router = APIRouter(prefix="/api/cockpit", tags=["cockpit"])
SectorPath = Annotated[str, Path(min_length=1, max_length=8, pattern=r"^[A-Z]?[0-9]{0,4}$")]
Sector = Annotated[str | None, Query(max_length=8)]


def _encode(value: Any) -> tuple[bytes, str]:
    body = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    return body, '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


async def fast_json(request: Request, svc: StaffView, key: tuple[Any, ...], compute: Callable[[], Any]) -> Response:
    """The endpoint's JSON bytes and ETag, made once per data version (the cockpit is read far more often
    than written). From memory without touching the event loop's time when cached; computed in the thread
    pool otherwise. ``If-None-Match`` with the current ETag answers 304 without a body."""
    body, etag = await svc.acached(("json", *key), lambda: _encode(compute()))
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    inm = request.headers.get("if-none-match")
    if inm and etag in (t.strip() for t in inm.split(",")):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


async def resolve_year(svc: StaffView, year: int | None) -> int:
    if year:
        return year
    return await svc.acached(("cockpit-year",), lambda: figures.latest_year(svc, svc.settings.default_year))


@router.get("/places")
async def places(admin: StaffDep, svc: ServicesDep) -> dict[str, Any]:
    """The places this user may view — their own (the whole installation for a park administrator) and every
    region and park inside it — for the cockpit's place selector."""
    from nengtan.engine.places import places_within

    own = admin.place or "park"
    return {"place": own, "items": await run_in_threadpool(places_within, svc.registry, own)}


@router.get("/years")
async def years(admin: StaffDep, svc: ServicesDep) -> dict[str, Any]:
    """The years that hold data (statements or readings), for the pages' year selectors."""
    return {"years": await run_in_threadpool(figures.data_years, svc)}


@router.get("/summary")
async def summary(request: Request, admin: StaffDep, svc: PlacedDep, year: OptYear = None) -> dict[str, Any]:
    """Headline figures for the year against targets with red/yellow/green status (the park's adopted
    targets when it has them, else the Jiangsu zero-carbon park templates)."""
    y = await resolve_year(svc, year)
    return await fast_json(request, svc, ("summary", y), lambda: figures.headline(svc, y))  # type: ignore[return-value]


@router.get("/trends")
async def trends(request: Request, admin: StaffDep, svc: PlacedDep, year: OptYear = None,
                 sector: Sector = None) -> dict[str, Any]:
    """Monthly energy [tce] and CO2 [t] with the previous year beside them."""
    y = await resolve_year(svc, year)
    scope = f"sector:{sector}" if sector else "park"
    return await fast_json(request, svc, ("trends", y, scope),  # type: ignore[return-value]
                           lambda: figures.trends(svc, y, scope))


@router.get("/breakdown")
async def breakdown(request: Request, admin: StaffDep, svc: PlacedDep, year: OptYear = None,
                    sector: Sector = None) -> dict[str, Any]:
    """Energy and CO2 by sector division and by carrier."""
    y = await resolve_year(svc, year)
    scope = f"sector:{sector}" if sector else "park"
    return await fast_json(request, svc, ("breakdown", y, scope),  # type: ignore[return-value]
                           lambda: figures.breakdown(svc, y, scope))


@router.get("/sankey")
async def sankey(request: Request, admin: StaffDep, svc: PlacedDep, year: OptYear = None) -> dict[str, Any]:
    """Energy flow [tce] from carriers to sectors."""
    y = await resolve_year(svc, year)
    return await fast_json(request, svc, ("sankey", y), lambda: figures.sankey(svc, y))  # type: ignore[return-value]


@router.get("/ranking")
async def ranking(request: Request, admin: StaffDep, svc: PlacedDep, year: OptYear = None,
                  by: Literal["co2", "intensity", "energy"] = "co2",
                  limit: Annotated[int, Query(ge=1, le=1000)] = 20, sector: Sector = None) -> dict[str, Any]:
    """Enterprises ranked by CO2 [t], CO2 intensity [tCO2/万元] or energy [tce]."""
    y = await resolve_year(svc, year)
    return await fast_json(request, svc, ("ranking", y, by, limit, sector),  # type: ignore[return-value]
                           lambda: figures.ranking(svc, y, by, limit, sector))


@router.get("/map")
async def park_map(request: Request, admin: StaffDep, svc: PlacedDep, year: OptYear = None) -> dict[str, Any]:
    """Enterprise locations (registry coordinates) with CO2 for sizing the markers."""
    y = await resolve_year(svc, year)
    return await fast_json(request, svc, ("map", y), lambda: figures.map_points(svc, y))  # type: ignore[return-value]


@router.get("/geo")
async def park_geo(admin: StaffDep, svc: PlacedDep) -> dict[str, Any]:
    """The place's parks' outlines and plots (GeoJSON shipped with each park, nengtan.engine.geo) for the map."""
    from nengtan.engine.geo import place_geojson

    return await run_in_threadpool(place_geojson, svc)


@router.get("/warnings")
async def warnings(request: Request, admin: StaffDep, svc: PlacedDep, paging: PagingDep,
                   year: OptYear = None) -> dict[str, Any]:
    """Red and yellow warnings of the park, its sectors and enterprises, worst first (issue 4's engine
    over the park's adopted targets and budget allocation)."""
    y = await resolve_year(svc, year)

    def compute() -> dict[str, Any]:
        w = figures.warnings(svc, y)
        out = paging.page(w["items"])
        out.update(year=w["year"], month=w["month"], note=w["note"], counts=w.get("counts", {}),
                   targets_source=w.get("targets_source", ""))
        return out

    return await fast_json(request, svc, ("warnings", y, paging.limit, paging.offset),  # type: ignore[return-value]
                           compute)


@router.get("/sectors/{code}")
def sector(code: SectorPath, admin: StaffDep, svc: PlacedDep, year: OptYear = None) -> dict[str, Any]:
    """One sector (drill-down): its inventory, trends, carriers and enterprises."""
    y = year or figures.latest_year(svc, svc.settings.default_year)
    names = figures.sector_names(svc)
    ranking_ = figures.ranking(svc, y, "co2", 1000, code)
    if not ranking_["items"]:
        raise not_found(f"sector {code}")
    zh, en = names.get(code, names.get(code[:2], (code, code)))
    return {"code": code, "name_zh": zh, "name_en": en, "year": y,
            "inventory": figures.inventory_dict(svc, y, f"sector:{code}"),
            "trends": figures.trends(svc, y, f"sector:{code}"),
            "breakdown": figures.breakdown(svc, y, f"sector:{code}"),
            "enterprises": ranking_["items"]}
