"""Virtual meters (issue 15, item 4): formulas over other meters (nengtan.accounting.virtual) held in the registry,
their monthly use and their intraday series, computed from the meters they name exactly as those meters' own figures
are (nengtan.engine.cockpit.meter_monthly, nengtan.engine.curves.day_series).

Decided: a virtual meter is a view for allocation and monitoring — a tenant's share of a shared supply, the part of a
main meter its sub-meters miss. It is shown beside the enterprise's meters and never summed into the accounts: the
accounts keep the statements and main meters they have always had, so no kWh is counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import numpy as np
from sqlalchemy import select

from nengtan.accounting.virtual import Formula, evaluate, parse
from nengtan.engine.stores import Stores
from nengtan.errors import InputError, NotFoundError
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.registry.tables.operations import VirtualMeter
from nengtan.registry.tables.park import Enterprise, Meter


def add_virtual(reg: Registry, actor: str, uscc: str, code: str, name: str, formula: str,
                may_use: Callable[[int], bool] | None = None) -> dict[str, Any]:
    """Hold a virtual meter of the enterprise. The meters it names must exist, share one carrier and unit, and
    (``may_use``: the caller's rule, by enterprise id; None: any) be ones the caller may read."""
    f = parse(formula)
    code = code.strip()
    if not code or len(code) > 64:
        raise InputError("virtual meter code: give 1 to 64 characters")
    with reg.session() as s:
        ent = s.execute(select(Enterprise).where(Enterprise.uscc == uscc.strip().upper())).scalar()
        if ent is None:
            raise NotFoundError(f"enterprise {uscc}")
        if s.execute(select(Meter.id).where(Meter.code == code)).first() or s.execute(
                select(VirtualMeter.id).where(VirtualMeter.code == code)).first():
            raise InputError(f"meter code {code} is already taken")
        found = {m.code: m for m in s.execute(select(Meter).where(Meter.code.in_(f.meters))).scalars()}
        missing = [c for c in f.meters
                   if c not in found or (may_use is not None and not may_use(found[c].enterprise_id))]
        if missing:
            raise NotFoundError(f"no meter {', '.join(missing)} that you may read: a virtual meter names registered "
                                "meters you may read")
        kinds = {(found[c].carrier, found[c].unit) for c in f.meters}
        if len(kinds) > 1:
            mix = ", ".join(f"{c} ({found[c].carrier}, {found[c].unit})" for c in f.meters)
            raise InputError(f"formula {f.text!r} mixes {mix}: give meters of one carrier and unit")
        (carrier, unit), = kinds
        v = VirtualMeter(code=code, enterprise_id=ent.id, name=name.strip() or code, carrier=carrier, unit=unit,
                         formula=f.text, created_by=actor)
        s.add(v)
        s.flush()
        audit.record(s, actor, "meter.virtual.add", f"meter:{code}", {"enterprise": ent.uscc, "formula": f.text})
        return _view(v, ent.uscc)


def remove_virtual(reg: Registry, actor: str, uscc: str, code: str) -> None:
    with reg.session() as s:
        v = _held(s, uscc, code)
        audit.record(s, actor, "meter.virtual.remove", f"meter:{code}", {"formula": v.formula})
        s.delete(v)


def _held(s: Any, uscc: str, code: str) -> VirtualMeter:
    v = s.execute(select(VirtualMeter).join(Enterprise, Enterprise.id == VirtualMeter.enterprise_id)
                  .where(VirtualMeter.code == code, Enterprise.uscc == uscc.strip().upper())).scalar()
    if v is None:
        raise NotFoundError(f"meter {code} of enterprise {uscc}")
    return v  # type: ignore[no-any-return]


def _view(v: VirtualMeter, uscc: str) -> dict[str, Any]:
    return {"code": v.code, "enterprise": uscc, "name": v.name, "carrier": v.carrier, "unit": v.unit,
            "kind": "virtual", "role": "virtual", "formula": v.formula, "meters": list(parse(v.formula).meters)}


def virtual_meters(reg: Registry, uscc: str) -> list[dict[str, Any]]:
    """The enterprise's virtual meters, by code."""
    with reg.session() as s:
        rows = s.execute(select(VirtualMeter).join(Enterprise, Enterprise.id == VirtualMeter.enterprise_id)
                         .where(Enterprise.uscc == uscc.strip().upper()).order_by(VirtualMeter.code)).scalars().all()
        return [_view(v, uscc.strip().upper()) for v in rows]


def virtual_of(reg: Registry, uscc: str, code: str) -> dict[str, Any]:
    """One virtual meter of the enterprise (NotFoundError when it has none of that code)."""
    with reg.session() as s:
        return _view(_held(s, uscc, code), uscc.strip().upper())


def _parts(reg: Registry, f: Formula) -> dict[str, Meter]:
    with reg.session() as s:
        rows = {m.code: m for m in s.execute(select(Meter).where(Meter.code.in_(f.meters))).scalars()}
        for m in rows.values():
            s.expunge(m)
    return rows


def virtual_monthly(stores: Stores, uscc: str, code: str, year: int) -> dict[str, Any]:
    """The virtual meter's use per month of ``year``: its formula over the named meters' monthly totals; a month
    where any of them has no data has none."""
    from nengtan.engine.cockpit import meter_monthly

    v = virtual_of(stores.registry, uscc, code)
    f = parse(v["formula"])
    parts = _parts(stores.registry, f)
    months = {c: meter_monthly(stores, year, c, parts[c].kind) for c in f.meters}
    series = {c: np.array([r["quantity"] if r["has_data"] else np.nan for r in rows]) for c, rows in months.items()}
    values = evaluate(f, series)
    return {**v, "year": year, "monthly": [
        {"period": f"{year:04d}-{i + 1:02d}", "quantity": None if np.isnan(q) else float(q),
         "has_data": not np.isnan(q), "parts": {c: months[c][i]["quantity"] for c in f.meters}}
        for i, q in enumerate(values)]}


def virtual_interval(reg: Registry, v: dict[str, Any]) -> int:
    """The interval [s] the virtual meter's day is built at: its meters must be read at one interval (a statement
    line has no day)."""
    parts = _parts(reg, parse(v["formula"]))
    steps = {m.interval_s for m in parts.values()}
    if any(m.kind not in ("interval", "counter") for m in parts.values()) or len(steps) != 1:
        raise InputError(f"virtual meter {v['code']}: an intraday curve needs meters read at one interval "
                         f"({', '.join(f'{c} {m.kind} {m.interval_s} s' for c, m in parts.items())})")
    return steps.pop()


def virtual_day(stores: Stores, v: dict[str, Any], day: dt.date) -> dict[str, Any]:
    """A park-time day of the virtual meter, in the shape of nengtan.engine.curves.day_series: the formula over the
    named meters' interval values (see :func:`virtual_interval`)."""
    from nengtan.engine.curves import day_series, series_shape

    step = virtual_interval(stores.registry, v)
    f = parse(v["formula"])
    parts = _parts(stores.registry, f)
    series = {c: np.array([np.nan if x is None else x for x in day_series(stores, parts[c], day)["kwh"]])
              for c in f.meters}
    return series_shape(day, evaluate(f, series), step)
