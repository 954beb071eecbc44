"""Enterprise ratings over HTTP (issue 12): each enterprise's carbon-efficiency grade and green code with their
inputs, reasons and method version. The park's staff see every enterprise; an enterprise user its own only (the
sector averages it is graded against are shown, never another enterprise's figures)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from nengtan.api.deps import AdminDep, ServicesDep, UserDep
from nengtan.engine import ratings
from nengtan.engine.certification import last_year

router = APIRouter(prefix="/api/ratings", tags=["ratings"])
Year = Annotated[int | None, Query(ge=2000, le=2100)]
Version = Annotated[int | None, Query(ge=1, le=10_000, description="The method version (default: the newest)")]


def _own(payload: dict[str, Any], user: Any, svc: Any) -> dict[str, Any]:
    """The staff's payload whole; for anyone else only the rows of the enterprises they may see."""
    from nengtan.api.routers.footprints import actor
    from nengtan.engine.greenassets import visible_codes

    with svc.registry.session() as s:
        own = visible_codes(s, actor(user))
    if own is None:
        return payload
    return {**payload, "items": [it for it in payload["items"] if it["uscc"] in own], "counts": {}}


@router.get("/carbon-efficiency")
def carbon_efficiency(user: UserDep, svc: ServicesDep, year: Year = None, version: Version = None) -> dict[str, Any]:
    y = year or last_year()
    out = svc.cached(("ratings-ce", y, version), lambda: ratings.carbon_efficiency_grades(svc, y, version))
    return _own(out, user, svc)


@router.get("/green-code")
def green_code(user: UserDep, svc: ServicesDep, year: Year = None, version: Version = None) -> dict[str, Any]:
    y = year or last_year()
    out = svc.cached(("ratings-gc", y, version), lambda: ratings.green_codes(svc, y, version))
    return _own(out, user, svc)


@router.get("/mu")
def mu(user: UserDep, svc: ServicesDep, year: Year = None, version: Version = None) -> dict[str, Any]:
    """亩均效益: each enterprise's per-mu and per-tce indicators against the park's benchmarks, score and class."""
    y = year or last_year()
    out = svc.cached(("ratings-mu", y, version), lambda: ratings.mu_evaluation(svc, y, version))
    return _own(out, user, svc)


@router.get("/points")
def points_balances(user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """碳积分: points earned, spent, expired and available, with every entry and its basis."""
    from nengtan.api.routers.footprints import actor
    from nengtan.engine.points import balances

    return {"items": balances(svc.registry, actor(user))}


@router.get("/runs")
def issued_runs(user: UserDep, svc: ServicesDep, year: Year = None) -> dict[str, Any]:
    """Ratings as they were issued, each with the method version, factor set and data version that made it."""
    from nengtan.api.routers.footprints import actor

    return {"items": ratings.runs(svc.registry, actor(user), year)}


@router.get("/summary")
def summary(user: AdminDep, svc: ServicesDep, year: Year = None) -> dict[str, Any]:
    """The park's view (cockpit): the distribution of grades, colours and 亩均 classes, carbon points, and the
    compliance of the key emitters in the last compliance year."""
    from nengtan.api.routers.footprints import actor
    from nengtan.engine.carbonassets import status
    from nengtan.engine.points import balances

    y = year or last_year()
    ce = svc.cached(("ratings-ce", y, None), lambda: ratings.carbon_efficiency_grades(svc, y))
    gc = svc.cached(("ratings-gc", y, None), lambda: ratings.green_codes(svc, y))
    mu_ = svc.cached(("ratings-mu", y, None), lambda: ratings.mu_evaluation(svc, y))
    pts = balances(svc.registry, actor(user))
    comp = status(svc.registry, actor(user), y - 1)
    states: dict[str, int] = {}
    for r in comp:
        states[r["state"]] = states.get(r["state"], 0) + 1
    return {"year": y, "carbon_efficiency": {"method": ce["method"], "counts": ce["counts"]},
            "green_code": {"method": gc["method"], "counts": gc["counts"]},
            "mu": {"method": mu_["method"], "counts": mu_["counts"]},
            "points": {"enterprises": len(pts), "earned": sum(p["earned"] for p in pts),
                       "spent": sum(p["spent"] for p in pts), "available": sum(p["available"] for p in pts)},
            "compliance": {"year": y - 1, "states": states,
                           "shortfall_t": sum(r.get("shortfall_t", 0.0) for r in comp),
                           "warnings": [r["warning"] for r in comp if r.get("warning")]}}
