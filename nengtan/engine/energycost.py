"""Energy cost (issue 15, item 7): the dated time-of-use tariff tables in the registry, an enterprise's electricity
cost per month from its meters' hourly load, and the load its storage shifts (nengtan.energycost).

Every answer names what made it: the tariff schedule and the dated tables used (with their source), the meters, and
the lake version of the readings.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from nengtan.energycost.storage import Battery, dispatch
from nengtan.energycost.tariff import (
    BAND_ZH,
    BANDS,
    DEFAULT_TABLE,
    Grid,
    Line,
    grids,
    hour_bands,
    monthly_cost,
    months_text,
    parse_months,
    read_table,
)
from nengtan.engine.stores import Stores
from nengtan.errors import InputError, NoDataError, NotFoundError
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.registry.tables.operations import StorageAsset, TariffPeriod
from nengtan.registry.tables.park import Enterprise, Meter

_EPOCH = dt.date(1970, 1, 1)


# -- tariff tables --------------------------------------------------------------------------------------------------

def load_tariff(reg: Registry, actor: str, path: Path | None = None) -> dict[str, Any]:
    """Load a tariff CSV (default: Jiangsu's, shipped with nengtan). A table (schedule, valid_from) already loaded
    with the same lines is left as it is; one loaded with other lines is refused — a table is never changed, a new
    one is loaded with a later valid_from."""
    lines = read_table(path or DEFAULT_TABLE)
    loaded, kept = [], []
    by_table: dict[tuple[str, dt.date], list[Line]] = {}
    for ln in lines:
        by_table.setdefault((ln.schedule, ln.valid_from), []).append(ln)
    with reg.session() as s:
        for (schedule, valid_from), group in sorted(by_table.items()):
            held = s.execute(select(TariffPeriod).where(TariffPeriod.schedule == schedule,
                                                        TariffPeriod.valid_from == valid_from)).scalars().all()
            if held:
                if sorted(_key(_line(r)) for r in held) != sorted(_key(ln) for ln in group):
                    raise InputError(f"tariff {schedule} from {valid_from} is already loaded with other lines; a "
                                     "table is never changed: load the new one with a later valid_from")
                kept.append(f"{schedule}@{valid_from}")
                continue
            for ln in group:
                s.add(TariffPeriod(schedule=ln.schedule, valid_from=ln.valid_from, months=months_text(ln.months),
                                   start_hour=ln.start_hour, end_hour=ln.end_hour, band=ln.band, price=ln.price,
                                   source=ln.source, loaded_by=actor))
            loaded.append(f"{schedule}@{valid_from}")
            audit.record(s, actor, "tariff.load", f"tariff:{schedule}@{valid_from}",
                         {"lines": len(group), "file": (path or DEFAULT_TABLE).name})
    return {"loaded": loaded, "unchanged": kept}


def _key(ln: Line) -> tuple[Any, ...]:
    return (months_text(ln.months), ln.start_hour, ln.end_hour, ln.band, round(ln.price, 6))


def _line(r: TariffPeriod) -> Line:
    return Line(r.schedule, r.valid_from, parse_months(r.months), r.start_hour, r.end_hour, r.band, r.price, r.source)


def tariff_lines(reg: Registry, schedule: str | None = None) -> list[Line]:
    """The lines of a schedule (default: the only one, or the first by name), every dated table."""
    with reg.session() as s:
        names = sorted(set(s.execute(select(TariffPeriod.schedule)).scalars()))
        if not names:
            raise NoDataError("no time-of-use tariff is loaded: run `nengtan tariff load`")
        name = schedule or names[0]
        if name not in names:
            raise NotFoundError(f"tariff schedule {name} (loaded: {', '.join(names)})")
        rows = s.execute(select(TariffPeriod).where(TariffPeriod.schedule == name)
                         .order_by(TariffPeriod.valid_from, TariffPeriod.start_hour)).scalars().all()
        return [_line(r) for r in rows]


def tariff_table(reg: Registry, schedule: str | None = None) -> dict[str, Any]:
    """A schedule's dated tables for display: each table's lines with the band's Chinese name."""
    lines = tariff_lines(reg, schedule)
    tables: dict[str, dict[str, Any]] = {}
    for ln in lines:
        t = tables.setdefault(ln.valid_from.isoformat(), {"valid_from": ln.valid_from.isoformat(), "lines": []})
        t["lines"].append({"months": months_text(ln.months), "start_hour": ln.start_hour, "end_hour": ln.end_hour,
                           "band": ln.band, "band_zh": BAND_ZH[ln.band], "price": ln.price, "source": ln.source})
    return {"schedule": lines[0].schedule, "tables": list(tables.values())}


# -- storage --------------------------------------------------------------------------------------------------------

def add_storage(reg: Registry, actor: str, uscc: str, name: str, capacity_kwh: float, power_kw: float,
                efficiency: float, commissioned_on: dt.date) -> dict[str, Any]:
    """Register an enterprise's storage installation (储能)."""
    Battery(capacity_kwh, power_kw, efficiency)  # refuses impossible values
    if capacity_kwh <= 0 or power_kw <= 0:
        raise InputError("storage: capacity and power must be above 0")
    with reg.session() as s:
        ent = s.execute(select(Enterprise).where(Enterprise.uscc == uscc.strip().upper())).scalar()
        if ent is None:
            raise NotFoundError(f"enterprise {uscc}")
        a = StorageAsset(enterprise_id=ent.id, name=name, capacity_kwh=capacity_kwh, power_kw=power_kw,
                         efficiency=efficiency, commissioned_on=commissioned_on)
        s.add(a)
        s.flush()
        audit.record(s, actor, "storage.add", f"enterprise:{ent.uscc}",
                     {"name": name, "capacity_kwh": capacity_kwh, "power_kw": power_kw, "efficiency": efficiency,
                      "commissioned_on": commissioned_on.isoformat()})
        return {"id": a.id, "uscc": ent.uscc, "name": name, "capacity_kwh": capacity_kwh, "power_kw": power_kw,
                "efficiency": efficiency, "commissioned_on": commissioned_on.isoformat()}


# -- cost -----------------------------------------------------------------------------------------------------------

def enterprise_cost(stores: Stores, uscc: str, year: int, schedule: str | None = None) -> dict[str, Any]:
    """The enterprise's electricity cost per month of ``year`` under a time-of-use schedule: kWh and yuan per band
    from its main electricity meters' hourly load (nengtan.energycost.tariff.monthly_cost), and, where it has
    storage, the load shifted and the cost after (nengtan.energycost.storage). An enterprise without an electricity
    main meter, or whose meters hold no readings in the year, has no time-of-use cost (NoDataError)."""
    from nengtan.engine.greenpower import metered_hours

    uscc = uscc.strip().upper()
    with stores.registry.session() as s:
        ent = s.execute(select(Enterprise).where(Enterprise.uscc == uscc)).scalar()
        if ent is None:
            raise NotFoundError(f"enterprise {uscc}")
        name = ent.name
        meters = [(c, k, r) for c, k, r in s.execute(select(Meter.code, Meter.kind, Meter.rollover).where(
            Meter.enterprise_id == ent.id, Meter.carrier == "electricity", Meter.role == "main",
            Meter.kind.in_(("interval", "counter")))).all()]
        assets = s.execute(select(StorageAsset).where(StorageAsset.enterprise_id == ent.id)
                           .order_by(StorageAsset.id)).scalars().all()
        batteries = [(a.name, Battery(a.capacity_kwh, a.power_kw, a.efficiency), a.commissioned_on) for a in assets]
    if not meters:
        raise NoDataError(f"{uscc} has no electricity main meter: time-of-use cost needs its 15-minute or hourly "
                          "readings (monthly statements carry no hours)")
    hourly = stores.cached(("metered-hours", uscc, year), lambda: metered_hours(stores, meters, year))
    if hourly.empty:
        raise NoDataError(f"{uscc}'s meters {', '.join(sorted(c for c, _, _ in meters))} hold no readings in {year}")
    lines = tariff_lines(stores.registry, schedule)
    tables = grids(lines)
    frame = pd.DataFrame({"hour": hourly["hour"].to_numpy(dtype=np.int64), "kwh": hourly["total"].to_numpy(float)})
    cost = monthly_cost(frame, tables)
    shifted = _with_storage(frame, tables, batteries) if batteries else None
    months = []
    for r in cost.to_dict(orient="records"):
        row: dict[str, Any] = {"month": r["month"], "kwh": r["kwh"], "yuan": r["yuan"],
                               "avg_price": _num(r["avg_price"]),
                               "bands": {b: {"kwh": r[f"kwh_{b}"], "yuan": r[f"yuan_{b}"]} for b in BANDS}}
        if shifted is not None:
            st = shifted.loc[r["month"]]
            row["storage"] = {"charged_kwh": float(st["charged"]), "shifted_kwh": float(st["shifted"]),
                              "yuan_after": float(st["yuan_after"]), "saving_yuan": r["yuan"] - float(st["yuan_after"])}
        months.append(row)
    total: dict[str, Any] = {"kwh": float(cost["kwh"].sum()), "yuan": float(cost["yuan"].sum()),
                             "bands": {b: {"kwh": float(cost[f"kwh_{b}"].sum()), "yuan": float(cost[f"yuan_{b}"].sum())}
                                       for b in BANDS}}
    total["avg_price"] = total["yuan"] / total["kwh"] if total["kwh"] else None
    if shifted is not None:
        total["storage"] = {"charged_kwh": float(shifted["charged"].sum()),
                            "shifted_kwh": float(shifted["shifted"].sum()),
                            "yuan_after": float(shifted["yuan_after"].sum()),
                            "saving_yuan": total["yuan"] - float(shifted["yuan_after"].sum())}
    used = sorted({g.valid_from for g in tables})
    return {"uscc": uscc, "name": name, "year": year, "schedule": lines[0].schedule,
            "tables": [{"valid_from": v.isoformat(), "source": next(ln.source for ln in lines if ln.valid_from == v)}
                       for v in used],
            "meters": sorted(c for c, _, _ in meters), "data_version": stores.lake.version,
            "storage": [{"name": n, "capacity_kwh": b.capacity_kwh, "power_kw": b.power_kw, "efficiency": b.efficiency,
                         "commissioned_on": d.isoformat()} for n, b, d in batteries],
            "bands_zh": BAND_ZH, "months": months, "total": total}


def _with_storage(frame: pd.DataFrame, tables: list[Grid], batteries: list[tuple[str, Battery, dt.date]]
                  ) -> pd.DataFrame:
    """Per month: kWh charged, kWh shifted (discharged into dearer hours) and the cost after, each battery
    dispatched in turn on the load the ones before left (nengtan.energycost.storage.dispatch)."""
    hours = frame["hour"].to_numpy(dtype=np.int64)
    _, price = hour_bands(hours, tables)
    load = frame["kwh"].to_numpy(dtype=float).copy()
    charged, shifted = np.zeros(len(load)), np.zeros(len(load))
    for _, battery, since in batteries:
        c, d = dispatch(hours, load, price, battery, (since - _EPOCH).days)
        load += c - d
        charged += c
        shifted += d
    month = pd.DatetimeIndex((hours // 24).astype("datetime64[D]")).strftime("%Y-%m")
    return pd.DataFrame({"month": month, "charged": charged, "shifted": shifted, "yuan_after": load * price}
                        ).groupby("month").sum()


def _num(x: Any) -> float | None:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) else float(x)
