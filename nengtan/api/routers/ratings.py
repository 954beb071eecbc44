"""Enterprise ratings over HTTP (issue 12): each enterprise's carbon-efficiency grade and green code with their
inputs, reasons and method version. The park's staff see every enterprise; an enterprise user its own only (the
sector averages it is graded against are shown, never another enterprise's figures)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from nengtan.api.deps import ServicesDep, UserDep
from nengtan.engine import ratings

router = APIRouter(prefix="/api/ratings", tags=["ratings"])
Year = Annotated[int | None, Query(ge=2000, le=2100)]
Version = Annotated[int | None, Query(ge=1, le=10_000, description="The method version (default: the newest)")]


def _own(payload: dict[str, Any], user: Any, svc: Any) -> dict[str, Any]:
    if user.role == "admin":
        return payload
    from sqlalchemy import select

    from nengtan.registry.tables.park import Enterprise

    with svc.registry.session() as s:
        own = set(s.execute(select(Enterprise.uscc).where(Enterprise.id.in_(user.enterprise_ids))).scalars()) \
            if user.role == "enterprise" else set()
    items = [it for it in payload["items"] if it["uscc"] in own]
    return {**payload, "items": items, "counts": {}}


def _year(year: int | None) -> int:
    from nengtan.engine.certification import today

    return year or today().year - 1


@router.get("/carbon-efficiency")
def carbon_efficiency(user: UserDep, svc: ServicesDep, year: Year = None, version: Version = None) -> dict[str, Any]:
    y = _year(year)
    out = svc.cached(("ratings-ce", y, version), lambda: ratings.carbon_efficiency_grades(svc, y, version))
    return _own(out, user, svc)


@router.get("/green-code")
def green_code(user: UserDep, svc: ServicesDep, year: Year = None, version: Version = None) -> dict[str, Any]:
    y = _year(year)
    out = svc.cached(("ratings-gc", y, version), lambda: ratings.green_codes(svc, y, version))
    return _own(out, user, svc)
