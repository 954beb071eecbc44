"""Green power from files (issue 11, first part): hourly CFE matching of time series and tracing of a park
network given as tables, read, checked and handed to nengtan.greenpower; the surfaces render the result.

Time series are ``ts,value`` CSV files; a time without an offset is park time (Asia/Shanghai). A network is a
folder of ``buses.csv`` (``bus``), ``flows.csv`` (``ts,from_bus,to_bus,mw``), ``generation.csv``
(``ts,bus,source,mw,kgco2_per_kwh``) and ``loads.csv`` (``ts,bus,uscc,mw``) — docs/greenpower.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nengtan.calendar import PARK_TZ
from nengtan.errors import InputError
from nengtan.greenpower.cfe import Storage, match
from nengtan.greenpower.tracing import Network, trace

if TYPE_CHECKING:
    from nengtan.engine.stores import Stores


def _rows(path: Path, columns: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """(``file:line``, row) of a CSV or XLSX table with at least `columns`, read as every import reads a
    table (nengtan.ingest.tables: encodings, delimiters, a repeated column refused, size bounds)."""
    from nengtan.ingest.rows import numbered
    from nengtan.ingest.tables import read_table

    header, rows = read_table(path)
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(f"{path.name}: needs the columns {', '.join(columns)}; missing {', '.join(missing)}")
    if not rows:
        raise InputError(f"{path.name}: has no rows")
    return [(f"{path.name}:{n}", row) for n, row in numbered(rows)]


def _time(text: str, where: str) -> dt.datetime:
    try:
        t = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: ts {text[:40]!r} is not a time (YYYY-MM-DDTHH:MM[:SS][+08:00])") from None
    return t.replace(tzinfo=PARK_TZ) if t.tzinfo is None else t.astimezone(PARK_TZ)


def _number(text: str, where: str, what: str) -> float:
    """A number under the rule every import follows (nengtan.ingest.fields)."""
    from nengtan.ingest.fields import FieldError, parse_number

    try:
        return parse_number(text)
    except FieldError as exc:
        raise InputError(f"{where}: {what} {exc}") from None


def hourly(path: Path, how: str = "sum") -> dict[dt.datetime, float]:
    """A ``ts,value`` series by park-time hour: summed (energy) or averaged (a share)."""
    acc: dict[dt.datetime, list[float]] = {}
    for where, r in _rows(path, ("ts", "value")):
        hour = _time(r["ts"], where).replace(minute=0, second=0, microsecond=0)
        acc.setdefault(hour, []).append(_number(r["value"], where, "value"))
    return {h: float(sum(v) if how == "sum" else sum(v) / len(v)) for h, v in acc.items()}


def enterprise_load(stores: Stores, uscc: str, year: int) -> tuple[dict[dt.datetime, float], dict[str, Any]]:
    """An enterprise's electricity by park-time hour of `year`, from its 15-minute main meters in the lake (a
    measured reading wins over a gap estimate); counters, whose readings are registers, are named apart."""
    from sqlalchemy import select

    from nengtan.errors import NoDataError, NotFoundError
    from nengtan.lake.scan import DUCKDB
    from nengtan.registry.tables.park import Enterprise, Meter

    with stores.registry.session() as s:
        ent = s.execute(select(Enterprise.id).where(Enterprise.uscc == uscc.strip().upper())).scalar()
        if ent is None:
            raise NotFoundError(f"enterprise {uscc}")
        meters = s.execute(select(Meter.code, Meter.kind).where(
            Meter.enterprise_id == ent, Meter.carrier == "electricity", Meter.role == "main")).all()
    interval = sorted(c for c, k in meters if k == "interval")
    if not interval:
        raise NoDataError(f"{uscc} has no 15-minute electricity main meter: hourly matching needs one")
    df = DUCKDB.hour_totals(stores.lake, interval, year, "electricity")
    if df.empty:
        raise NoDataError(f"{uscc}'s meters {', '.join(interval)} hold no readings in {year}")
    epoch = dt.datetime(1970, 1, 1, tzinfo=PARK_TZ)
    load = {epoch + dt.timedelta(hours=int(h)): float(v) for h, v in zip(df["hour"], df["total"], strict=True)}
    return load, {"uscc": uscc.strip().upper(), "year": year, "meters": interval,
                  "counters_left_out": sorted(c for c, k in meters if k == "counter"),
                  "data_version": stores.lake.version}


def cfe_from_files(load: Path | dict[dt.datetime, float], supply: Path, grid_cfe: Path,
                   storage: Storage | None = None) -> dict[str, Any]:
    """CFE score, hourly-matched and annual shares of the load (a file, or hours from the platform) against
    `supply`, every hour of the load matched; an hour of load without the grid's carbon-free share is refused."""
    lo = load if isinstance(load, dict) else hourly(load)
    su = hourly(supply)
    gc = hourly(grid_cfe, "mean")
    hours = sorted(lo)
    missing = [h for h in hours if h not in gc]
    if missing:
        raise InputError(f"{grid_cfe.name}: no carbon-free share for the hour {missing[0].isoformat()} "
                         f"({len(missing)} hours of load without one)")
    outside = sorted(set(su) - set(lo))
    m = match(np.array([lo[h] for h in hours]), np.array([su.get(h, 0.0) for h in hours]),
              np.array([gc[h] for h in hours]), storage)
    out: dict[str, Any] = {**m.as_dict(), "hours": len(hours), "first_hour": hours[0].isoformat(),
                           "last_hour": hours[-1].isoformat(),
                           "supply_outside_load_hours_kwh": float(sum(su[h] for h in outside))}
    if storage is not None:
        out["storage"] = {"capacity_kwh": storage.capacity_kwh, "power_kw": storage.power_kw,
                          "efficiency": storage.efficiency}
    return out


def read_network(folder: Path, minutes: float = 15.0
                 ) -> tuple[Network, list[dt.datetime], list[str], list[str], list[str]]:
    """The network of `folder` for every interval (of `minutes`, each starting at its ``ts``) any of its tables
    names — missing rows: no flow, no injection, no load; with the intervals, the branch and the load names."""
    if not folder.is_dir():
        raise InputError(f"{folder}: a network is a folder of buses.csv, flows.csv, generation.csv, loads.csv")
    buses = [r["bus"] for _, r in _rows(folder / "buses.csv", ("bus",))]
    if len(set(buses)) != len(buses):
        raise InputError("buses.csv: a bus is listed twice")
    index = {b: k for k, b in enumerate(buses)}

    def bus(name: str, where: str) -> int:
        if name not in index:
            raise InputError(f"{where}: bus {name[:40]!r} is not in buses.csv")
        return index[name]

    flows = [(where, _time(r["ts"], where), bus(r["from_bus"], where), bus(r["to_bus"], where),
              _number(r["mw"], where, "mw"))
             for where, r in _rows(folder / "flows.csv", ("ts", "from_bus", "to_bus", "mw"))]
    gen = [(where, _time(r["ts"], where), bus(r["bus"], where), r["source"], _number(r["mw"], where, "mw"),
            _number(r["kgco2_per_kwh"], where, "kgco2_per_kwh"))
           for where, r in _rows(folder / "generation.csv", ("ts", "bus", "source", "mw", "kgco2_per_kwh"))]
    loads = [(where, _time(r["ts"], where), bus(r["bus"], where), r["uscc"], _number(r["mw"], where, "mw"))
             for where, r in _rows(folder / "loads.csv", ("ts", "bus", "uscc", "mw"))]
    for where, *_rest, mw, intensity in gen:
        if mw < 0 or intensity < 0:
            raise InputError(f"{where}: a source injects (mw ≥ 0) at an intensity ≥ 0")
    for where, *_rest, mw in loads:
        if mw < 0:
            raise InputError(f"{where}: a load takes power (mw ≥ 0)")
    times = sorted({x[1] for x in flows} | {x[1] for x in gen} | {x[1] for x in loads})
    t_of = {t: k for k, t in enumerate(times)}
    branches = list(dict.fromkeys((f, t) for _, _, f, t, _ in flows))
    b_of = {b: k for k, b in enumerate(branches)}
    sources = list(dict.fromkeys((b, s) for _, _, b, s, _, _ in gen))
    s_of = {s: k for k, s in enumerate(sources)}
    load_keys = list(dict.fromkeys((b, u) for _, _, b, u, _ in loads))
    l_of = {x: k for k, x in enumerate(load_keys)}
    f = np.zeros((len(times), len(branches)))
    for _, t, fr, to, mw in flows:
        f[t_of[t], b_of[(fr, to)]] += mw
    g = np.zeros((len(times), len(sources)))
    e = np.zeros((len(times), len(sources)))
    green = np.ones(len(sources), dtype=bool)
    for _, t, b, s, mw, intensity in gen:
        g[t_of[t], s_of[(b, s)]] += mw
        e[t_of[t], s_of[(b, s)]] = intensity
        green[s_of[(b, s)]] &= intensity == 0
    ld = np.zeros((len(times), len(load_keys)))
    for _, t, b, u, mw in loads:
        ld[t_of[t], l_of[(b, u)]] += mw
    if not 0 < minutes <= 1440:
        raise InputError(f"an interval of {minutes:g} minutes: give 1 to 1440")
    net = Network(tuple(buses), np.array([b[0] for b in branches], dtype=np.int64),
                  np.array([b[1] for b in branches], dtype=np.int64), f,
                  np.array([s[0] for s in sources], dtype=np.int64), g, e, green,
                  np.array([x[0] for x in load_keys], dtype=np.int64), ld, minutes / 60)
    return (net, times, [f"{buses[a]}→{buses[b]}" for a, b in branches],
            [f"{u}@{buses[b]}" for b, u in load_keys], [f"{src}@{buses[b]}" for b, src in sources])


def trace_folder(folder: Path, minutes: float = 15.0, attribution: bool = False) -> dict[str, Any]:
    """The traced network: nodal intensity and green share per bus, carbon per branch and load, per interval;
    with `attribution`, each load's kWh traced to each green source, per month."""
    net, times, branch_names, load_names, source_names = read_network(folder, minutes)
    t = trace(net)
    ts = [x.isoformat() for x in times]

    def keyed(names: list[str] | tuple[str, ...], values: np.ndarray) -> dict[str, dict[str, float]]:
        return {name: dict(zip(ts, map(float, values[:, k]), strict=True)) for k, name in enumerate(names)}

    attributed: dict[str, Any] = {}
    if attribution:
        from nengtan.greenpower.tracing import attribute

        months = sorted({x.strftime("%Y-%m") for x in times})
        period = np.array([months.index(x.strftime("%Y-%m")) for x in times])
        green = np.nonzero(net.source_green)[0]
        kwh = attribute(net, green, period, len(months))
        attributed = {"attribution": {
            load: {m: {source_names[s]: float(kwh[p, j, i]) for i, s in enumerate(green) if kwh[p, j, i] > 0}
                   for p, m in enumerate(months)} for j, load in enumerate(load_names)}}
    return {**attributed, "intervals": len(ts), "interval_hours": net.hours, "patterns": t.patterns,
            "meshed_intervals": t.meshed,
            "nodal_intensity": keyed(net.buses, t.nodal_intensity), "green_share": keyed(net.buses, t.green_share),
            "branch_carbon": keyed(branch_names, t.branch_carbon_kg),
            "load_carbon": keyed(load_names, t.load_carbon_kg),
            "load_green_kwh": keyed(load_names, t.load_green_kwh),
            "units": {"nodal_intensity": "kg CO2/kWh", "green_share": "fraction",
                      "branch_carbon": "kg CO2 per interval", "load_carbon": "kg CO2 per interval",
                      "load_green_kwh": "kWh per interval", "attribution": "kWh per month"}}
