"""Enterprise ratings over HTTP (issue 12): each enterprise's carbon-efficiency grade and green code with their
inputs, reasons and method version. The park's staff see every enterprise; an enterprise user its own only (the
sector averages it is graded against are shown, never another enterprise's figures)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from nengtan.api.deps import ServicesDep, UserDep
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
