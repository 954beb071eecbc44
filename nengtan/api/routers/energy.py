"""Energy-use budgets over HTTP (issue 14), for the park's staff: the year's budget with its enterprise lines, each
enterprise's use against it with its warning, and the energy reviews of new projects (nengtan.engine.energybudget)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from nengtan.api.deps import AdminDep, PlacedDep, ServicesDep, StaffDep
from nengtan.engine import energybudget
from nengtan.engine.certification import last_year
from nengtan.errors import NotFoundError

router = APIRouter(prefix="/api/energy-budget", tags=["energy-use budget"])
YearQ = Annotated[int | None, Query(ge=2000, le=2100)]


@router.get("")
def budget(user: StaffDep, svc: PlacedDep, year: YearQ = None) -> dict[str, Any]:
    return energybudget.budget(svc, year or last_year())


@router.get("/status")
def status(user: StaffDep, svc: PlacedDep, year: YearQ = None) -> dict[str, Any]:
    """Each enterprise's use against its energy budget, with its warning; ``allocated`` false (and the reason) for a
    year with no energy budget allocated yet."""
    y = year or last_year()
    try:
        return {"allocated": True, **energybudget.status(svc, y)}
    except NotFoundError as exc:
        return {"year": y, "allocated": False, "note": str(exc)}


@router.get("/reviews")
def reviews(user: AdminDep, svc: ServicesDep, year: YearQ = None) -> dict[str, Any]:
    return {"items": energybudget.reviews(svc, year)}
