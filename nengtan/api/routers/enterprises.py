"""Enterprises, their meters, monthly accounts, quality report and warnings (scoped per user)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import select

from nengtan.api.deps import ReadableEnterprise, ServicesDep, UserDep, may_read
from nengtan.api.schemas import OptYear, PagingDep, period_filter
from nengtan.engine import cockpit as figures
from nengtan.registry.tables.park import Enterprise, Meter, Sector

router = APIRouter(prefix="/api", tags=["enterprises"])
MeterCode = Annotated[str, Path(min_length=1, max_length=64)]


def _enterprise_json(e: Enterprise) -> dict[str, Any]:
    return {"uscc": e.uscc, "name": e.name, "sector_code": e.sector_code, "province": e.province,
            "key_energy_unit": e.key_energy_unit, "key_emission_unit": e.key_emission_unit,
            "lon": e.lon, "lat": e.lat,
            "entered_on": e.entered_on.isoformat() if e.entered_on else None,
            "left_on": e.left_on.isoformat() if e.left_on else None}


@router.get("/sectors")
def sectors(user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """GB/T 4754-2017 sector codes and names used in the registry."""
    with svc.registry.session() as s:
        items = [{"code": r.code, "name_zh": r.name_zh, "name_en": r.name_en}
                 for r in s.execute(select(Sector).order_by(Sector.code)).scalars()]
    return {"items": items}


@router.get("/enterprises")
def list_enterprises(user: UserDep, svc: ServicesDep, paging: PagingDep,
                     sector: Annotated[str | None, Query(max_length=8, description="GB/T 4754 prefix")] = None,
                     q: Annotated[str | None, Query(max_length=100, description="name contains")] = None,
                     ) -> dict[str, Any]:
    """Enterprises the user may see (all for the park administrator, own ones otherwise)."""
    with svc.registry.session() as s:
        stmt = select(Enterprise).order_by(Enterprise.uscc)
        if sector:
            stmt = stmt.where(Enterprise.sector_code.startswith(sector, autoescape=True))
        if q:
            stmt = stmt.where(Enterprise.name.contains(q, autoescape=True))
        rows = [_enterprise_json(e) for e in s.execute(stmt).scalars() if may_read(user, e.id)]
    return paging.page(rows)


@router.get("/enterprises/{uscc}")
def get_enterprise(ent: ReadableEnterprise, svc: ServicesDep) -> dict[str, Any]:
    """One enterprise's registry record."""
    with svc.registry.session() as s:
        e = s.get(Enterprise, ent.id)
        assert e is not None
        return _enterprise_json(e)


@router.get("/enterprises/{uscc}/meters")
def meters(ent: ReadableEnterprise, svc: ServicesDep, paging: PagingDep) -> dict[str, Any]:
    """The enterprise's meters (main and sub, with their parent), then its virtual meters (with their formula)."""
    from nengtan.engine.virtualmeters import virtual_meters

    with svc.registry.session() as s:
        rows = s.execute(select(Meter).where(Meter.enterprise_id == ent.id).order_by(Meter.code)).scalars()
        ids = {m.id: m.code for m in s.execute(select(Meter).where(Meter.enterprise_id == ent.id)).scalars()}
        items: list[dict[str, Any]] = [
            {"code": m.code, "carrier": m.carrier, "unit": m.unit, "kind": m.kind, "role": m.role,
             "parent": ids.get(m.parent_id) if m.parent_id else None, "interval_s": m.interval_s} for m in rows]
    items += [{**v, "parent": None} for v in virtual_meters(svc.registry, ent.uscc)]
    return paging.page(items)


@router.get("/enterprises/{uscc}/meters/{code}")
def meter_detail(ent: ReadableEnterprise, code: MeterCode, svc: ServicesDep,
                 year: OptYear = None) -> dict[str, Any]:
    """One meter and its monthly totals for a year (the last step of the cockpit's drill-down); a virtual meter
    with its formula and each month's parts."""
    from nengtan.engine.virtualmeters import virtual_monthly

    y = year or figures.latest_year(svc, svc.settings.default_year)
    with svc.registry.session() as s:
        m = s.execute(select(Meter).where(Meter.code == code, Meter.enterprise_id == ent.id)).scalar()
        if m is None:
            return virtual_monthly(svc, ent.uscc, code, y)  # NotFoundError (404) when it is no virtual one either
        info = {"code": m.code, "carrier": m.carrier, "unit": m.unit, "kind": m.kind, "role": m.role}
    monthly = figures.meter_monthly(svc, y, code, info["kind"])
    return {**info, "enterprise": ent.uscc, "year": y, "monthly": monthly}


@router.get("/enterprises/{uscc}/accounts")
def accounts(ent: ReadableEnterprise, svc: ServicesDep, paging: PagingDep, year: OptYear = None,
             period: Annotated[str | None, Query(max_length=7, description="YYYY-MM")] = None,
             carrier: Annotated[str | None, Query(max_length=32)] = None) -> dict[str, Any]:
    """Monthly ledger rows (energy tce, CO2 t by scope) of the enterprise, filterable."""
    p = period_filter(period)
    y = int(p[:4]) if p else (year or figures.latest_year(svc, svc.settings.default_year))
    rows = figures.enterprise_monthly(svc, y, ent.uscc)
    if p and len(p) == 7:
        rows = [r for r in rows if r["period"] == p]
    if carrier:
        rows = [r for r in rows if r["carrier"] == carrier]
    out = paging.page(rows)
    out["year"] = y
    out["inventory"] = figures.inventory_dict(svc, y, f"enterprise:{ent.uscc}")
    return out


@router.get("/enterprises/{uscc}/trends")
def enterprise_trends(ent: ReadableEnterprise, svc: ServicesDep, year: OptYear = None) -> dict[str, Any]:
    """Monthly energy and CO2 of the enterprise, this year and last."""
    return figures.trends(svc, year or figures.latest_year(svc, svc.settings.default_year), f"enterprise:{ent.uscc}")


@router.get("/enterprises/{uscc}/quality")
def quality(ent: ReadableEnterprise, svc: ServicesDep, year: OptYear = None) -> dict[str, Any]:
    """Data quality: months with data per carrier, estimated share, rows quarantined from its uploads."""
    y = year or figures.latest_year(svc, svc.settings.default_year)
    q = figures.quality(svc, y, ent.uscc)
    q["quarantine"] = figures.enterprise_quarantine(svc, ent.id)
    return q


@router.get("/enterprises/{uscc}/warnings")
def warnings(ent: ReadableEnterprise, svc: ServicesDep, year: OptYear = None,
             month: Annotated[int | None, Query(ge=1, le=12)] = None,
             include_green: Annotated[bool, Query(alias="all")] = False) -> dict[str, Any]:
    """Warnings (预警) of this enterprise's carbon budget: year to date against its seasonal path,
    year-end projection against its (elastic) allowance, red/yellow (``all=true``: also green/grey)."""
    from nengtan.engine.targets import warnings_payload

    y = year or figures.latest_year(svc, svc.settings.default_year)
    w = warnings_payload(svc, y, month, include_green, level="enterprise", subject=ent.uscc)
    w["uscc"] = ent.uscc
    return w


@router.get("/enterprises/{uscc}/budget")
def budget(ent: ReadableEnterprise, svc: ServicesDep, year: OptYear = None) -> dict[str, Any]:
    """This enterprise's line of the year's carbon budget allocation (latest version) [tCO2]; ``allocated`` false
    (and no line) while the park has allocated none for the year, or none to this enterprise."""
    from nengtan.engine.targets import allocation

    y = year or figures.latest_year(svc, svc.settings.default_year)
    al = allocation(svc, y)
    line = al.table[al.table["uscc"] == ent.uscc] if al is not None else None
    if al is None or line is None or not len(line):
        return {"year": y, "allocated": False, "note": f"no budget allocated to {ent.uscc} for {y}"}
    r = line.iloc[0].to_dict()
    return figures.clean({"year": y, "allocated": True, "version": al.version, "method": al.method,
                          "approved_by": al.approved_by, "approved_at": al.approved_at, **r})
