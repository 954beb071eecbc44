"""Inventories for any scope and period (the same numbers as ``nengtan inventory``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from nengtan.accounting import ScopeError
from nengtan.api.deps import ServicesDep, UserDep, check_scope, staff_stores
from nengtan.api.errors import ApiError
from nengtan.api.schemas import OptYear
from nengtan.engine import cockpit as figures
from nengtan.factors import available_sets
from nengtan.factors.library import FactorError

router = APIRouter(prefix="/api", tags=["accounting"])


@router.get("/inventory")
def get_inventory(
    user: UserDep, svc: ServicesDep, year: OptYear = None,
    month: Annotated[int | None, Query(ge=1, le=12)] = None,
    quarter: Annotated[int | None, Query(ge=1, le=4)] = None,
    scope: Annotated[str, Query(max_length=40, description="park | park:<code> | region:<code> | sector:<code> | "
                                "enterprise:<uscc>")] = "park",
    factor_set: Annotated[str | None, Query(max_length=40)] = None,
) -> dict[str, Any]:
    """Energy [tce] and CO2 [t] by scope and carrier, intensities and shares, with provenance."""
    s = check_scope(svc, user, scope)
    if month is not None and quarter is not None:
        raise ApiError(422, "give month or quarter, not both", "validation-error")
    if factor_set is not None and factor_set.removesuffix("+park") not in available_sets():
        raise ApiError(422, f"factor set {factor_set!r} is unknown; known: {', '.join(available_sets())}",
                       "validation-error")
    y = year or figures.latest_year(svc, svc.settings.default_year)
    stores = staff_stores(svc, user, None) if user.place else svc  # staff of a place: "park" is their place
    try:
        return figures.inventory_dict(stores, y, s, month, quarter, factor_set)
    except ScopeError as exc:
        raise ApiError(404, str(exc), "not-found") from exc
    except FactorError as exc:
        raise ApiError(422, str(exc), "validation-error") from exc


@router.get("/factor-sets")
def factor_sets(user: UserDep) -> dict[str, Any]:
    """Factor sets an inventory can be computed with."""
    return {"items": [{"id": k, "description": v} for k, v in available_sets().items()]}
