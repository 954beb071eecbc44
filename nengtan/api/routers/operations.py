"""Energy cost and live monitoring (issue 15, items 7 and 4): time-of-use tariffs and an enterprise's cost per month,
a meter's intraday curve with 同比/环比, a main meter's sub-meter balance, storage, alarm rules and live alarms,
virtual meters.
Every figure is the engine's (nengtan.engine.energycost, curves, alarms); these routes only scope and render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from nengtan.api.deps import ReadableEnterprise, ServicesDep, UserDep, WritableEnterprise, may_read
from nengtan.api.schemas import OptYear
from nengtan.engine import alarms as live
from nengtan.engine import cockpit as figures
from nengtan.engine import curves, energycost
from nengtan.errors import NoDataError

router = APIRouter(prefix="/api", tags=["energy cost and live monitoring"])
MeterCode = Annotated[str, Path(min_length=1, max_length=64)]
Schedule = Annotated[str | None, Query(max_length=60, description="tariff schedule (default: the one loaded)")]


def _or_unavailable(compute: Callable[[], dict[str, Any]], **about: Any) -> dict[str, Any]:
    """The figures, or ``available`` false with the reason: no readings is an answer, not a missing resource."""
    from nengtan.reasons import in_chinese

    try:
        return {"available": True, **compute()}
    except NoDataError as exc:
        return {**about, "available": False, "note": str(exc), "note_zh": in_chinese(str(exc)) or str(exc)}


@router.get("/tariffs")
def tariffs(user: UserDep, svc: ServicesDep, schedule: Schedule = None) -> dict[str, Any]:
    """The time-of-use tariff schedule: every dated table, its lines (months, hours, band, yuan/kWh) and source."""
    return _or_unavailable(lambda: energycost.tariff_table(svc.registry, schedule))


@router.get("/enterprises/{uscc}/cost")
def cost(ent: ReadableEnterprise, svc: ServicesDep, year: OptYear = None, schedule: Schedule = None
         ) -> dict[str, Any]:
    """Electricity cost per month under the time-of-use tariff (kWh and yuan per band, average price) from the
    enterprise's meters, and the load its storage shifts; ``available`` false without metered electricity."""
    y = year or figures.latest_year(svc, svc.settings.default_year)
    return _or_unavailable(lambda: energycost.enterprise_cost(svc, ent.uscc, y, schedule), uscc=ent.uscc, year=y)


@router.get("/enterprises/{uscc}/meters/{code}/curve")
def curve(ent: ReadableEnterprise, code: MeterCode, svc: ServicesDep,
          day: Annotated[dt.date | None, Query(description="YYYY-MM-DD, park time (default: the newest day)")] = None,
          year: OptYear = None) -> dict[str, Any]:
    """A meter's intraday load curve (each interval's kWh and kW) beside the day before (环比) and the same date a
    year before (同比)."""
    y = year or figures.latest_year(svc, svc.settings.default_year)
    return _or_unavailable(lambda: curves.day_curve(svc, ent.uscc, code, day, y), meter=code)


@router.get("/enterprises/{uscc}/meters/{code}/balance")
def balance(ent: ReadableEnterprise, code: MeterCode, svc: ServicesDep, year: OptYear = None) -> dict[str, Any]:
    """A main meter's monthly consumption against the sum of its sub-meters, and the unmetered rest."""
    y = year or figures.latest_year(svc, svc.settings.default_year)
    return curves.submeter_balance(svc, ent.uscc, code, y)


class StorageIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    capacity_kwh: float = Field(gt=0, le=1e7)
    power_kw: float = Field(gt=0, le=1e7)
    efficiency: float = Field(gt=0, le=1)
    commissioned_on: dt.date


@router.post("/enterprises/{uscc}/storage", status_code=201)
def add_storage(body: StorageIn, ent: WritableEnterprise, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """Register the enterprise's storage installation (储能); its cost shows the load it shifts."""
    return energycost.add_storage(svc.registry, f"user:{user.username}", ent.uscc, body.name, body.capacity_kwh,
                                  body.power_kw, body.efficiency, body.commissioned_on)


class VirtualMeterIn(BaseModel):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[^{}\s]+$")
    name: str = Field(min_length=1, max_length=100)
    formula: str = Field(min_length=1, max_length=500, description="numbers, {METER} codes, + - * / and parentheses")


@router.post("/enterprises/{uscc}/virtual-meters", status_code=201)
def add_virtual_meter(body: VirtualMeterIn, ent: WritableEnterprise, user: UserDep, svc: ServicesDep
                      ) -> dict[str, Any]:
    """Hold a virtual meter (虚拟表): a formula over meters the user may read, e.g. a tenant's share of a shared
    supply; shown beside the enterprise's meters, never summed into its accounts."""
    from nengtan.engine.virtualmeters import add_virtual

    return add_virtual(svc.registry, f"user:{user.username}", ent.uscc, body.code, body.name, body.formula,
                       None if user.is_admin else (lambda eid: may_read(user, eid)))


@router.delete("/enterprises/{uscc}/virtual-meters/{code}", status_code=204)
def remove_virtual_meter(ent: WritableEnterprise, code: MeterCode, user: UserDep, svc: ServicesDep) -> None:
    from nengtan.engine.virtualmeters import remove_virtual

    remove_virtual(svc.registry, f"user:{user.username}", ent.uscc, code)


class AlarmRuleIn(BaseModel):
    demand_kw: float | None = Field(default=None, gt=0, le=1e7, description="demand limit [kW]")
    sigma: float | None = Field(default=None, ge=1, le=10, description="abnormal: deviations from the profile")
    missing_minutes: int | None = Field(default=None, ge=1, le=10080, description="missing data after [min]")


@router.put("/enterprises/{uscc}/meters/{code}/alarm-rule")
def put_alarm_rule(body: AlarmRuleIn, ent: WritableEnterprise, code: MeterCode, user: UserDep, svc: ServicesDep
                   ) -> dict[str, Any]:
    """Set a meter's live-alarm thresholds (all empty: remove the rule)."""
    return live.set_rule(svc.registry, f"user:{user.username}", ent.uscc, code, body.demand_kw, body.sigma,
                         body.missing_minutes)


@router.get("/enterprises/{uscc}/alarm-rules")
def alarm_rules(ent: ReadableEnterprise, svc: ServicesDep) -> dict[str, Any]:
    return {"items": live.rules_of(svc.registry, {ent.uscc})}


def _visible(user: Any, svc: Any) -> set[str] | None:
    """The credit codes a user's alarms come from (None: every enterprise)."""
    from sqlalchemy import select

    from nengtan.registry.tables.park import Enterprise

    if user.is_admin:
        return None
    ids = user.place_ids if user.is_staff else user.enterprise_ids
    with svc.registry.session() as s:
        return set(s.execute(select(Enterprise.uscc).where(Enterprise.id.in_(sorted(ids)))).scalars())


@router.get("/alarms")
def alarm_list(user: UserDep, svc: ServicesDep,
               open_only: Annotated[bool, Query(alias="open", description="only alarms still open")] = True,
               limit: Annotated[int, Query(ge=1, le=1000)] = 200,
               enterprise: Annotated[str | None, Query(max_length=40, description="only this enterprise's (a credit "
                                                       "code the user may see)")] = None) -> dict[str, Any]:
    """Live alarms of the enterprises the user may see, newest first."""
    usccs = _visible(user, svc)
    if enterprise is not None:
        code = enterprise.strip().upper()
        usccs = {code} if usccs is None or code in usccs else set()
    items = live.alarms(svc.registry, usccs, open_only, limit)
    return {"items": items, "open": sum(1 for a in items if a["cleared_at"] is None)}
