"""Hourly matching (24/7 carbon-free energy) over the stores: loads from the meters in the lake (enterprise or
park), supply from files or from the contracts and on-site PV held on the platform, read, checked and handed to
nengtan.greenpower (cfe, profiles); and the table readers the green-power engine modules share.

Time series are ``ts,value`` CSV files; a time without an offset is park time (Asia/Shanghai) —
docs/greenpower.md. The park grid's tracing is nengtan.engine.greengrid; the statement nengtan.engine.greenstatement.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from nengtan.calendar import PARK_TZ
from nengtan.errors import InputError
from nengtan.greenpower.cfe import Storage, match
from nengtan.ingest.rows import number_at, table_rows

if TYPE_CHECKING:
    from nengtan.engine.stores import Stores


def park_time(text: str, where: str) -> dt.datetime:
    try:
        t = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: ts {text[:40]!r} is not a time (YYYY-MM-DDTHH:MM[:SS][+08:00])") from None
    return t.replace(tzinfo=PARK_TZ) if t.tzinfo is None else t.astimezone(PARK_TZ)


def hourly(path: Path, how: str = "sum") -> dict[dt.datetime, float]:
    """A ``ts,value`` series by park-time hour: summed (energy) or averaged (a share)."""
    acc: dict[dt.datetime, list[float]] = {}
    for where, r in table_rows(path, ("ts", "value")):
        hour = park_time(r["ts"], where).replace(minute=0, second=0, microsecond=0)
        acc.setdefault(hour, []).append(number_at(r["value"], where, "value"))
    return {h: float(sum(v) if how == "sum" else sum(v) / len(v)) for h, v in acc.items()}


def metered_hours(stores: Stores, meters: list[tuple[str, str, float | None]], year: int) -> pd.DataFrame:
    """``hour``, ``total`` of main electricity meters (code, kind, rollover): interval meters' readings summed
    (a measured reading wins over a gap estimate), counters' registers differenced (nengtan.accounting.meters
    .counter_hours)."""
    from nengtan.accounting.meters import counter_hours
    from nengtan.lake.scan import configured_scan

    scan = configured_scan()
    interval = sorted(c for c, k, _ in meters if k == "interval")
    counters = {c: r for c, k, r in meters if k == "counter"}
    parts = [scan.hour_totals(stores.lake, interval, year, "electricity") if interval else pd.DataFrame()]
    if counters:
        parts.append(counter_hours(scan.register_series(stores.lake, sorted(counters), year, "electricity"),
                                   counters))
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=["hour", "total"])
    return pd.concat(parts).groupby("hour", as_index=False).agg(total=("total", "sum"))


def _hours(df: pd.DataFrame) -> dict[dt.datetime, float]:
    epoch = dt.datetime(1970, 1, 1, tzinfo=PARK_TZ)
    return {epoch + dt.timedelta(hours=int(h)): float(v) for h, v in zip(df["hour"], df["total"], strict=True)}


def enterprise_load(stores: Stores, uscc: str, year: int) -> tuple[dict[dt.datetime, float], dict[str, Any]]:
    """An enterprise's electricity by park-time hour of `year`, from its main meters in the lake: 15-minute
    meters summed, counters' registers differenced."""
    from sqlalchemy import select

    from nengtan.errors import NoDataError, NotFoundError
    from nengtan.registry.tables.park import Enterprise, Meter

    with stores.registry.session() as s:
        ent = s.execute(select(Enterprise.id).where(Enterprise.uscc == uscc.strip().upper())).scalar()
        if ent is None:
            raise NotFoundError(f"enterprise {uscc}")
        meters = [(c, k, r) for c, k, r in s.execute(select(Meter.code, Meter.kind, Meter.rollover).where(
            Meter.enterprise_id == ent, Meter.carrier == "electricity", Meter.role == "main",
            Meter.kind.in_(("interval", "counter")))).all()]
    if not meters:
        raise NoDataError(f"{uscc} has no electricity main meter: hourly matching needs one")
    df = metered_hours(stores, meters, year)
    if df.empty:
        raise NoDataError(f"{uscc}'s meters {', '.join(sorted(c for c, _, _ in meters))} hold no readings in {year}")
    return _hours(df), {"uscc": uscc.strip().upper(), "year": year,
                        "meters": sorted(c for c, k, _ in meters if k == "interval"),
                        "counters": sorted(c for c, k, _ in meters if k == "counter"),
                        "data_version": stores.lake.version}


def _grid_share(grid_cfe: Path, hours: list[dt.datetime]) -> np.ndarray:
    """The grid's carbon-free share at `hours` from a ``ts,value`` file (averaged per hour); an hour of load
    without one is refused."""
    gc = hourly(grid_cfe, "mean")
    missing = [h for h in hours if h not in gc]
    if missing:
        raise InputError(f"{grid_cfe.name}: no carbon-free share for the hour {missing[0].isoformat()} "
                         f"({len(missing)} hours of load without one)")
    return np.array([gc[h] for h in hours])


def cfe_from_files(load: Path | dict[dt.datetime, float], supply: Path, grid_cfe: Path,
                   storage: Storage | None = None) -> dict[str, Any]:
    """CFE score, hourly-matched and annual shares of the load (a file, or hours from the platform) against
    `supply`, every hour of the load matched; an hour of load without the grid's carbon-free share is refused."""
    lo = load if isinstance(load, dict) else hourly(load)
    su = hourly(supply)
    hours = sorted(lo)
    outside = sorted(set(su) - set(lo))
    m = match(np.array([lo[h] for h in hours]), np.array([su.get(h, 0.0) for h in hours]),
              _grid_share(grid_cfe, hours), storage)
    out: dict[str, Any] = {**m.as_dict(), "hours": len(hours), "first_hour": hours[0].isoformat(),
                           "last_hour": hours[-1].isoformat(),
                           "supply_outside_load_hours_kwh": float(sum(su[h] for h in outside))}
    if storage is not None:
        out["storage"] = {"capacity_kwh": storage.capacity_kwh, "power_kw": storage.power_kw,
                          "efficiency": storage.efficiency}
    return out


Supply = tuple[str, str, dict[str, float], dict[dt.datetime, float] | None]
"""(source, shape, kWh per month, metered kWh per hour or None)."""


def platform_supply(stores: Stores, year: int, uscc: str | None = None, among: set[str] | None = None
                    ) -> list[Supply]:
    """Carbon-free supply held on the platform for `year`: each green-power contract of the enterprise (of every
    enterprise in `among`, or all: the park) with its metered hourly profile if it has one, else its shape; and
    its on-site PV statements on the solar shape."""
    from sqlalchemy import select

    from nengtan.registry import frames
    from nengtan.registry.tables.greenpower import GreenContract
    from nengtan.registry.tables.park import Enterprise

    code = uscc.strip().upper() if uscc else None
    out: dict[tuple[str, str], dict[str, float]] = {}
    with stores.registry.session() as s:
        q = select(GreenContract.number, GreenContract.shape, GreenContract.month, GreenContract.mwh,
                   Enterprise.uscc).join(Enterprise, Enterprise.id == GreenContract.enterprise_id).where(
            GreenContract.month >= dt.date(year, 1, 1), GreenContract.month < dt.date(year + 1, 1, 1))
        if code:
            q = q.where(Enterprise.uscc == code)
        for number, shape, month, mwh, buyer in s.execute(q).all():
            if among is not None and buyer not in among:
                continue
            m = out.setdefault((f"contract {number}", shape), {})
            m[f"{month:%Y-%m}"] = m.get(f"{month:%Y-%m}", 0.0) + mwh * 1000.0
    st = frames.statement_activity(stores.registry, year)
    ent = frames.enterprises_frame(stores.registry).set_index("enterprise_id")["uscc"]
    pv = st[st["carrier"] == "pv"].assign(uscc=lambda d: d["enterprise_id"].map(ent))
    if code:
        pv = pv[pv["uscc"] == code]
    if among is not None:
        pv = pv[pv["uscc"].isin(among)]
    sums = pv.groupby(["uscc", "period"], as_index=False)["quantity"].sum()
    for u, period, kwh in zip(sums["uscc"], sums["period"], sums["quantity"], strict=True):
        m = out.setdefault((f"PV-{u}", "solar"), {})
        m[str(period)] = m.get(str(period), 0.0) + float(kwh)
    from nengtan.registry.tables.greenpower import GreenContractProfile

    numbers = [name.removeprefix("contract ") for name, _ in out if name.startswith("contract ")]
    profiles: dict[str, dict[dt.datetime, float]] = {}
    if numbers:
        with stores.registry.session() as s:
            for number, hour, kwh in s.execute(select(GreenContractProfile.number, GreenContractProfile.hour,
                                                      GreenContractProfile.kwh)
                                               .where(GreenContractProfile.number.in_(numbers))).all():
                at = hour if hour.tzinfo else hour.replace(tzinfo=dt.UTC)
                profiles.setdefault(number, {})[at.astimezone(PARK_TZ)] = kwh
    result: list[Supply] = []
    for (name, shape), months in sorted(out.items()):
        profile = profiles.get(name.removeprefix("contract ")) if name.startswith("contract ") else None
        result.append((name, "metered" if profile else shape, months, profile))
    return result


def park_load(stores: Stores, year: int) -> tuple[dict[dt.datetime, float], dict[str, Any]]:
    """The park's metered electricity by park-time hour: every enterprise's main meters (15-minute meters summed,
    counters differenced), and which enterprises they are."""
    from nengtan.errors import NoDataError
    from nengtan.registry import frames

    meters = frames.main_meters(stores.registry)
    meters = meters[meters["carrier"] == "electricity"]
    rows = [(str(c), str(k), None if pd.isna(r) else float(r))
            for c, k, r in zip(meters["meter_id"], meters["kind"], meters["rollover"], strict=True)]
    df = metered_hours(stores, rows, year) if rows else pd.DataFrame()
    if df.empty:
        raise NoDataError(f"the park's meters hold no electricity readings in {year}")
    ent = frames.enterprises_frame(stores.registry).set_index("enterprise_id")["uscc"]
    metered = sorted(set(meters["enterprise_id"].map(ent)))
    return _hours(df), {"scope": "park", "year": year, "meters": len(rows), "enterprises": metered,
                        "data_version": stores.lake.version}


def cfe_platform(stores: Stores, year: int, uscc: str | None = None, grid_cfe: Path | None = None,
                 grid_share: float = 0.0, storage: Storage | None = None) -> dict[str, Any]:
    """24/7 matching of an enterprise's (or the park's) metered load with the supply held on the platform
    (contracts by their shape, on-site PV on the solar shape), hour by hour, with granular certificates per source:
    issued, cancelled by the same hour's load, and left uncancelled. The grid's carbon-free share is a file of
    hourly fractions, or one fraction for every hour (0 by default: nothing assumed)."""
    from nengtan.greenpower.profiles import granular, spread

    load, source = enterprise_load(stores, uscc, year) if uscc else park_load(stores, year)
    hours = sorted(load)
    if grid_cfe is not None:
        share = _grid_share(grid_cfe, hours)
    else:
        if not 0.0 <= grid_share <= 1.0:
            raise InputError(f"the grid's carbon-free share {grid_share} is a fraction between 0 and 1")
        share = np.full(len(hours), grid_share)
    # the park's load is its metered enterprises': only their supply is matched against it
    sources = platform_supply(stores, year, uscc, None if uscc else set(source["enterprises"]))
    supply = np.array([spread(months, shape, hours, profile) for _, shape, months, profile in sources]) \
        if sources else np.zeros((0, len(hours)))
    lo = np.array([load[h] for h in hours])
    m = match(lo, supply.sum(axis=0), share, storage)
    gcs = granular(supply, lo)
    certs = [{"source": name, "shape": shape, "issued_kwh": float(gcs["issued"][k].sum()),
              "cancelled_kwh": float(gcs["cancelled"][k].sum()),
              "uncancelled_kwh": float(gcs["uncancelled"][k].sum()), "hours_issued": int((gcs["issued"][k] > 0).sum())}
             for k, (name, shape, _, _) in enumerate(sources)]
    return {**m.as_dict(), "hours": len(hours), "first_hour": hours[0].isoformat(), "last_hour": hours[-1].isoformat(),
            "load_from": source, "supply_from": [{"source": n, "shape": s} for n, s, _, _ in sources],
            "grid_cfe_from": grid_cfe.name if grid_cfe else f"{grid_share:g} every hour",
            "granular_certificates": certs,
            "note": "each month's contracted volume spread by the contract's metered profile where it has one (shape "
                    "'metered'), else by its shape (flat, solar, wind: typical shapes)"}
