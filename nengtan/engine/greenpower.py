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
import pandas as pd

from nengtan.calendar import PARK_TZ
from nengtan.errors import InputError
from nengtan.greenpower.cfe import Storage, match
from nengtan.greenpower.tracing import Network, trace

if TYPE_CHECKING:
    from nengtan.engine.stores import Stores


def table_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
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
    for where, r in table_rows(path, ("ts", "value")):
        hour = _time(r["ts"], where).replace(minute=0, second=0, microsecond=0)
        acc.setdefault(hour, []).append(_number(r["value"], where, "value"))
    return {h: float(sum(v) if how == "sum" else sum(v) / len(v)) for h, v in acc.items()}


def _metered_hours(stores: Stores, meters: list[tuple[str, str, float | None]], year: int) -> pd.DataFrame:
    """``hour``, ``total`` of main electricity meters (code, kind, rollover): interval meters' readings summed
    (a measured reading wins over a gap estimate), counters' registers differenced (nengtan.accounting.meters
    .counter_hours)."""
    from nengtan.accounting.meters import counter_hours
    from nengtan.lake.scan import DUCKDB

    interval = sorted(c for c, k, _ in meters if k == "interval")
    counters = {c: r for c, k, r in meters if k == "counter"}
    parts = [DUCKDB.hour_totals(stores.lake, interval, year, "electricity") if interval else pd.DataFrame()]
    if counters:
        parts.append(counter_hours(DUCKDB.register_series(stores.lake, sorted(counters), year, "electricity"),
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
    df = _metered_hours(stores, meters, year)
    if df.empty:
        raise NoDataError(f"{uscc}'s meters {', '.join(sorted(c for c, _, _ in meters))} hold no readings in {year}")
    return _hours(df), {"uscc": uscc.strip().upper(), "year": year,
                        "meters": sorted(c for c, k, _ in meters if k == "interval"),
                        "counters": sorted(c for c, k, _ in meters if k == "counter"),
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


NETWORK_TABLES: dict[str, tuple[str, ...]] = {
    "flows": ("ts", "from_bus", "to_bus", "mw"),
    "generation": ("ts", "bus", "source", "mw", "kgco2_per_kwh"),
    "loads": ("ts", "bus", "uscc", "mw"),
}


def _network_table(folder: Path, stem: str, buses: dict[str, int]) -> pd.DataFrame:
    """One of the network's tables as a frame (ts as park time, buses as indices, numbers as floats): from
    ``<stem>.parquet`` when the folder has one (a year of 15-minute rows is millions), else ``<stem>.csv``, read
    and checked row by row as every import is."""
    columns = NETWORK_TABLES[stem]
    bus_cols = [c for c in columns if c.endswith("bus")]
    numeric = [c for c in columns if c in ("mw", "kgco2_per_kwh")]
    parquet = folder / f"{stem}.parquet"
    if parquet.exists():
        df = pd.read_parquet(parquet)
        missing = [c for c in columns if c not in df.columns]
        if missing:
            raise InputError(f"{parquet.name}: needs the columns {', '.join(columns)}; missing {', '.join(missing)}")
        df = df[list(columns)].copy()
        ts = pd.to_datetime(df["ts"], utc=True) if df["ts"].dtype == object else df["ts"]
        if getattr(ts.dt, "tz", None) is None:
            ts = ts.dt.tz_localize(PARK_TZ)
        df["ts"] = ts.dt.tz_convert(PARK_TZ)
        for c in bus_cols:
            col = df[c] if isinstance(df[c].dtype, pd.CategoricalDtype) else df[c].astype("category")
            of_category = np.array([buses.get(str(x), -1) for x in col.cat.categories], dtype=np.int64)
            raw = col.cat.codes.to_numpy()
            codes = np.where(raw >= 0, of_category[np.maximum(raw, 0)] if len(of_category) else -1, -1)
            if (codes < 0).any():
                k = int(np.argmax(codes < 0))
                raise InputError(f"{parquet.name}:{k + 1}: bus {str(df[c].iloc[k])[:40]!r} is not in buses.csv")
            df[c] = codes.astype(np.int64)
        for c in numeric:
            df[c] = df[c].astype(float)
            bad = ~np.isfinite(df[c].to_numpy())
            if bad.any():
                raise InputError(f"{parquet.name}:{int(np.argmax(bad)) + 1}: {c} is not a number")
        df["where"] = [f"{parquet.name}:{k + 1}" for k in range(len(df))] if len(df) < 100_000 else parquet.name
        return df

    def bus(name: str, where: str) -> int:
        if name not in buses:
            raise InputError(f"{where}: bus {name[:40]!r} is not in buses.csv")
        return buses[name]

    records = []
    for where, r in table_rows(folder / f"{stem}.csv", columns):
        rec: dict[str, Any] = {"where": where, "ts": _time(r["ts"], where)}
        for c in columns[1:]:
            rec[c] = bus(r[c], where) if c in bus_cols else _number(r[c], where, c) if c in numeric else r[c]
        records.append(rec)
    return pd.DataFrame.from_records(records, columns=["where", *columns])


def read_network(folder: Path, minutes: float | None = None
                 ) -> tuple[Network, list[dt.datetime], list[str], list[str], list[str]]:
    """The network of `folder` for every interval (of `minutes`, each starting at its ``ts``; by default the
    ``interval_minutes`` of the folder's ``network.json``, else 15) any of its tables names — missing rows: no
    flow, no injection, no load; with the intervals, the branch and the load names."""
    if not folder.is_dir():
        raise InputError(f"{folder}: a network is a folder of buses.csv, flows.csv, generation.csv, loads.csv")
    bus_rows = [r for _, r in table_rows(folder / "buses.csv", ("bus",))]
    names = [r["bus"] for r in bus_rows]
    if len(set(names)) != len(names):
        raise InputError("buses.csv: a bus is listed twice")
    index = {b: k for k, b in enumerate(names)}
    by_injection = not (folder / "flows.csv").exists() and not (folder / "flows.parquet").exists()
    if by_injection and not (folder / "lines.csv").exists():
        raise InputError(f"{folder}: give the metered flows (flows.csv) or the lines (lines.csv) to compute them from "
                         "the injections")
    flows = (pd.DataFrame({"ts": pd.Series([], dtype="datetime64[ns, Asia/Shanghai]"), "from_bus": [], "to_bus": [],
                           "mw": []}) if by_injection else _network_table(folder, "flows", index))
    gen = _network_table(folder, "generation", index)
    loads = _network_table(folder, "loads", index)
    for df, what in ((gen, "a source injects (mw ≥ 0) at an intensity ≥ 0"), (loads, "a load takes power (mw ≥ 0)")):
        bad = (df["mw"] < 0) | ((df["kgco2_per_kwh"] < 0) if "kgco2_per_kwh" in df else False)
        if bad.any():
            where = df["where"].iloc[int(np.argmax(bad.to_numpy()))] if "where" in df else "?"
            raise InputError(f"{where}: {what}")
    times_index = pd.DatetimeIndex(pd.concat([flows["ts"], gen["ts"], loads["ts"]]).unique()).sort_values()
    times = [x.to_pydatetime() for x in times_index]
    n_t = len(times)
    if minutes is None:  # the folder's own interval (network.json), else 15 minutes
        minutes = 15.0
        meta = folder / "network.json"
        if meta.exists():
            import json

            try:
                minutes = float(json.loads(meta.read_text(encoding="utf-8"))["interval_minutes"])
            except (ValueError, KeyError, TypeError) as exc:
                raise InputError(f"network.json: needs a number interval_minutes ({exc})") from None
    if not 0 < minutes <= 1440:
        raise InputError(f"an interval of {minutes:g} minutes: give 1 to 1440")

    def keys(df: pd.DataFrame, cols: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
        """Each row's key (the distinct combinations of `cols`, in order of first appearance) and the keys."""
        combined = np.zeros(len(df), dtype=np.int64)
        for c in cols:
            code, uniq = pd.factorize(df[c])
            combined = combined * max(1, len(uniq)) + code
        _, first, inverse = np.unique(combined, return_index=True, return_inverse=True)
        order = np.argsort(first)
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        return rank[inverse], df[cols].iloc[first[order]].reset_index(drop=True)

    def matrix(df: pd.DataFrame, pos: np.ndarray, width: int, col: str) -> np.ndarray:
        m = np.zeros((n_t, width))
        np.add.at(m, (times_index.get_indexer(pd.DatetimeIndex(df["ts"])), pos), df[col].to_numpy(dtype=float))
        return m

    b_pos, branches = keys(flows, ["from_bus", "to_bus"])
    s_pos, sources = keys(gen, ["bus", "source"])
    l_pos, load_keys = keys(loads, ["bus", "uscc"])
    f = matrix(flows, b_pos, len(branches), "mw")
    g = matrix(gen, s_pos, len(sources), "mw")
    e = np.zeros((n_t, len(sources)))
    e[times_index.get_indexer(pd.DatetimeIndex(gen["ts"])), s_pos] = gen["kgco2_per_kwh"].to_numpy(dtype=float)
    green = np.ones(len(sources), dtype=bool)
    np.logical_and.at(green, s_pos, gen["kgco2_per_kwh"].to_numpy() == 0)
    ld = matrix(loads, l_pos, len(load_keys), "mw")
    if by_injection:
        branches, f, g, ld, load_keys = _flows_from_injections(folder, bus_rows, index, sources, g, load_keys, ld)
    net = Network(tuple(names), branches["from_bus"].to_numpy(dtype=np.int64),
                  branches["to_bus"].to_numpy(dtype=np.int64), f,
                  sources["bus"].to_numpy(dtype=np.int64), g, e, green,
                  load_keys["bus"].to_numpy(dtype=np.int64), ld, minutes / 60)
    branch_names = [f"{names[a]}→{names[b]}" for a, b in zip(branches["from_bus"], branches["to_bus"], strict=True)]
    return (net, times, branch_names,
            [f"{u}@{names[b]}" for b, u in zip(load_keys["bus"], load_keys["uscc"], strict=True)],
            [f"{src}@{names[b]}" for b, src in zip(sources["bus"], sources["source"], strict=True)])


def _flows_from_injections(folder: Path, bus_rows: list[dict[str, str]], index: dict[str, int],
                           sources: pd.DataFrame, g: np.ndarray, load_keys: pd.DataFrame, ld: np.ndarray
                           ) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray, pd.DataFrame]:
    """Branch flows of every interval from the injections by pandapower's DC power flow
    (nengtan.greenpower.powerflow): ``lines.csv`` (``from_bus,to_bus,x_ohm``), ``buses.csv`` with ``kv`` and
    ``slack`` (1 at the one grid connection point that balances). The slack's source injects what the rest do not;
    when the park exports, the surplus is a load ``export`` at the slack bus."""
    from nengtan.greenpower.powerflow import dc_flows

    n = len(bus_rows)
    slack = [k for k, r in enumerate(bus_rows) if (r.get("slack") or "").strip() in ("1", "true", "yes")]
    if len(slack) != 1:
        raise InputError("buses.csv: mark exactly one bus slack=1 (the grid connection point that balances)")
    kv = np.array([_number(r.get("kv") or "10", f"buses.csv:{k + 2}", "kv") for k, r in enumerate(bus_rows)])
    at_slack = np.nonzero(sources["bus"].to_numpy() == slack[0])[0]
    if len(at_slack) != 1:
        raise InputError("generation.csv: the slack bus needs exactly one source (the grid, at its intensity)")
    lines = table_rows(folder / "lines.csv", ("from_bus", "to_bus", "x_ohm"))
    fr, to, x = [], [], []
    for where, r in lines:
        for c in ("from_bus", "to_bus"):
            if r[c] not in index:
                raise InputError(f"{where}: bus {r[c][:40]!r} is not in buses.csv")
        fr.append(index[r["from_bus"]])
        to.append(index[r["to_bus"]])
        x.append(_number(r["x_ohm"], where, "x_ohm"))
    line_from, line_to = np.array(fr, dtype=np.int64), np.array(to, dtype=np.int64)
    t = g.shape[0]
    inj = np.zeros((t, n))
    np.add.at(inj.T, sources["bus"].to_numpy(dtype=np.int64), g.T)
    np.subtract.at(inj.T, load_keys["bus"].to_numpy(dtype=np.int64), ld.T)
    balance = -(inj.sum(axis=1) - inj[:, slack[0]])  # what the slack must inject
    g = g.copy()
    g[:, at_slack[0]] = np.clip(balance, 0.0, None)
    export = np.clip(-balance, 0.0, None)
    if export.any():
        load_keys = pd.concat([load_keys, pd.DataFrame({"bus": [slack[0]], "uscc": ["export"]})], ignore_index=True)
        ld = np.column_stack([ld, export])
    flows = dc_flows(n, line_from, line_to, np.array(x), kv, slack[0], inj)
    return pd.DataFrame({"from_bus": line_from, "to_bus": line_to}), flows, g, ld, load_keys


def _attribution(net: Network, times: list[dt.datetime], load_names: list[str], source_names: list[str]
                 ) -> dict[str, dict[str, dict[str, float]]]:
    """Each load's kWh traced to each green source, per month (nengtan.greenpower.tracing.attribute)."""
    from nengtan.greenpower.tracing import attribute

    labels = pd.DatetimeIndex(times).strftime("%Y-%m")
    months = sorted(set(labels))
    period = pd.Index(months).get_indexer(labels)
    green = np.nonzero(net.source_green)[0]
    kwh = attribute(net, green, period, len(months))
    return {load: {m: {source_names[s]: float(kwh[p, j, i]) for i, s in enumerate(green) if kwh[p, j, i] > 0}
                   for p, m in enumerate(months)} for j, load in enumerate(load_names)}


def attribution_of(folder: Path, minutes: float | None = None) -> dict[str, dict[str, dict[str, float]]]:
    """The network's monthly attribution alone (what the ledger records), without the per-interval tables."""
    net, times, _, load_names, source_names = read_network(folder, minutes)
    return _attribution(net, times, load_names, source_names)


def trace_folder(folder: Path, minutes: float | None = None, attribution: bool = False) -> dict[str, Any]:
    """The traced network: nodal intensity and green share per bus, carbon per branch and load, per interval;
    with `attribution`, each load's kWh traced to each green source, per month."""
    net, times, branch_names, load_names, source_names = read_network(folder, minutes)
    t = trace(net)
    ts = [x.isoformat() for x in times]

    def keyed(names: list[str] | tuple[str, ...], values: np.ndarray) -> dict[str, dict[str, float]]:
        return {name: dict(zip(ts, map(float, values[:, k]), strict=True)) for k, name in enumerate(names)}

    attributed = {"attribution": _attribution(net, times, load_names, source_names)} if attribution else {}
    return {**attributed, "intervals": len(ts), "interval_hours": net.hours, "patterns": t.patterns,
            "meshed_intervals": t.meshed,
            "nodal_intensity": keyed(net.buses, t.nodal_intensity), "green_share": keyed(net.buses, t.green_share),
            "branch_carbon": keyed(branch_names, t.branch_carbon_kg),
            "load_carbon": keyed(load_names, t.load_carbon_kg),
            "load_green_kwh": keyed(load_names, t.load_green_kwh),
            "units": {"nodal_intensity": "kg CO2/kWh", "green_share": "fraction",
                      "branch_carbon": "kg CO2 per interval", "load_carbon": "kg CO2 per interval",
                      "load_green_kwh": "kWh per interval", "attribution": "kWh per month"}}


MIN_ATTRIBUTED_KWH = 1.0
"""A load's monthly kWh from one green source below this is not written as a statement (the trace still holds it)."""


def record_attributions(stores: Stores, folder: Path, actor: str, minutes: float | None = None) -> int:
    """Trace `folder`'s network and write each load's monthly kWh traced to each green source as ledger entries
    (kind ``attribution``, subject the load's enterprise); a month already attributed from the same network
    data is not written twice. Returns how many entries were written."""
    import hashlib

    from sqlalchemy import select

    from nengtan.engine import greenledger
    from nengtan.registry import audit
    from nengtan.registry.tables.greenpower import LedgerEntry

    out = {"attribution": attribution_of(folder, minutes)}
    digest = hashlib.sha256()
    for name in sorted(p.name for p in folder.iterdir() if p.is_file()):
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes())
    network = digest.hexdigest()[:16]
    with stores.registry.session(write=True) as s:
        done = {(e.subject, e.body) for e in s.execute(select(LedgerEntry).where(
            LedgerEntry.kind == "attribution")).scalars()}
        done_months = {(subj, body.split('"month":"')[1][:7]) for subj, body in done if '"month":"' in body
                       and f'"network":"{network}"' in body}
        items: list[tuple[str, str, dict[str, Any]]] = []
        for load, months in out["attribution"].items():
            uscc, _, bus = load.partition("@")
            for month, by_source in months.items():
                if (uscc, month) in done_months:
                    continue
                for source, kwh in by_source.items():
                    if kwh < MIN_ATTRIBUTED_KWH:
                        continue
                    items.append(("attribution", uscc, {
                        "uscc": uscc, "bus": bus, "month": month, "source": source, "kwh": round(kwh, 3),
                        "network": network, "method": "proportional sharing (carbon emission flow)"}))
        n = len(greenledger.append_many(s, items))
        audit.record(s, actor, "green.attribution", f"network:{network}", {"entries": n})
    return n


def statement(stores: Stores, home: Path, actor: Any, uscc: str, year: int) -> dict[str, Any]:
    """The enterprise's green-power statement of `year`: its market-based Scope 2 and green-power figures (the
    inventory's), its contracts, claims and the GECs each cancelled, the power traced to green sources, and the
    inclusion proof of every claim and attribution in one signed ledger head."""
    import json

    from sqlalchemy import select

    from nengtan.engine import accounts, greenassets, greenledger
    from nengtan.ledger.heads import sign
    from nengtan.registry.tables.park import Enterprise

    code = uscc.strip().upper()
    reg = stores.registry
    claims = greenassets.claims(reg, actor, code, year)  # refuses another enterprise's user
    contracts = greenassets.contracts(reg, actor, code, year)
    inv = accounts.inventory(stores, year, scope=f"enterprise:{code}")
    claim_seqs = {c["ledger_seq"] for c in claims}
    with reg.session() as s:
        name = s.execute(select(Enterprise.name).where(Enterprise.uscc == code)).scalar()
        own = greenledger.entries(s, subject=code, kinds=("attribution", "claim"))
        attributions = [e for e in own if e.kind == "attribution"
                        and str(e.body.get("month", "")).startswith(f"{year:04d}-")]
        proven = [e for e in own if e.seq in claim_seqs] + attributions
        log = greenledger.tree(s)
    head = sign(greenledger.LOG_NAME, log.size, log.root(), greenledger.signing_key(home))
    green_kwh = float(inv.by_carrier.get("green_electricity", {}).get("quantity", 0.0) or 0.0)
    return {
        "enterprise": {"uscc": code, "name": name or code}, "year": year,
        "figures": {"scope2_location_t": inv.scope2_location_t, "scope2_market_t": inv.scope2_market_t,
                    "electricity_kwh": inv.electricity_kwh,
                    "green_claimed_kwh": sum(c["mwh"] for c in claims) * 1000.0,
                    "green_counted_kwh": green_kwh, "green_unverified_kwh": inv.green_unverified_kwh,
                    "green_excess_kwh": inv.green_excess_kwh,
                    "green_power_share": green_kwh / inv.electricity_kwh if inv.electricity_kwh else 0.0,
                    "factor_set": inv.factor_set, "data_version": inv.data_version},
        "contracts": contracts, "claims": claims,
        "attributions": [{**e.body, "ledger_seq": e.seq} for e in attributions],
        "proofs": [{"entry": e.as_dict(), "leaf_index": e.seq,
                    "audit_path": [p.hex() for p in log.inclusion_proof(e.seq)]} for e in proven],
        "head": json.loads(head.to_json()),
    }


def grid_summary(folder: Path, minutes: float | None = None) -> dict[str, Any]:
    """The traced network in one view (the cockpit's map): per bus its energy-weighted mean nodal intensity and
    green share and a position (a tree layout from the sources), per branch its mean |flow|, per load its carbon
    and traced green power over all intervals; from the same trace as ``trace_folder``."""
    net, times, branch_names, load_names, source_names = read_network(folder, minutes)
    t = trace(net)
    flows = _inflows_of(net)
    weight = flows.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        intensity = np.where(weight > 0, (t.nodal_intensity * flows).sum(axis=0) / weight, 0.0)
        green = np.where(weight > 0, (t.green_share * flows).sum(axis=0) / weight, 0.0)
    children: dict[int, list[int]] = {}
    has_parent: set[int] = set()
    for a, b in zip(net.branch_from, net.branch_to, strict=True):
        children.setdefault(int(a), []).append(int(b))
        has_parent.add(int(b))
    pos: dict[int, tuple[float, float]] = {}
    row = [0.0]

    def place(bus: int, depth: int) -> float:
        kids = children.get(bus, [])
        ys = [place(k, depth + 1) for k in kids if k not in pos]
        y = sum(ys) / len(ys) if ys else row[0]
        if not ys:
            row[0] += 1.0
        pos[bus] = (float(depth), y)
        return y

    for root in [b for b in range(len(net.buses)) if b not in has_parent]:
        place(root, 0)
    return {
        "intervals": len(times), "first": times[0].isoformat(), "last": times[-1].isoformat(),
        "buses": [{"bus": name, "kgco2_per_kwh": float(intensity[k]), "green_share": float(green[k]),
                   "x": pos.get(k, (0.0, 0.0))[0], "y": pos.get(k, (0.0, 0.0))[1]}
                  for k, name in enumerate(net.buses)],
        "branches": [{"from": net.buses[int(a)], "to": net.buses[int(b)],
                      "mean_mw": float(np.abs(net.flow_mw[:, j]).mean())}
                     for j, (a, b) in enumerate(zip(net.branch_from, net.branch_to, strict=True))],
        "loads": [{"load": name, "kgco2": float(t.load_carbon_kg[:, j].sum()),
                   "green_kwh": float(t.load_green_kwh[:, j].sum()),
                   "kwh": float(net.load_mw[:, j].sum() * net.hours * 1000.0)} for j, name in enumerate(load_names)],
        "sources": source_names, "branch_names": branch_names,
    }


def _inflows_of(net: Network) -> np.ndarray:
    """(T, n) power through each bus: what flows in plus what is injected at it [MW]."""
    from nengtan.greenpower.tracing import _inflows

    return _inflows(net)[3]


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
    df = _metered_hours(stores, rows, year) if rows else pd.DataFrame()
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
        gc = hourly(grid_cfe, "mean")
        missing = [h for h in hours if h not in gc]
        if missing:
            raise InputError(f"{grid_cfe.name}: no carbon-free share for the hour {missing[0].isoformat()} "
                             f"({len(missing)} hours of load without one)")
        share = np.array([gc[h] for h in hours])
    else:
        if not 0.0 <= grid_share <= 1.0:
            raise InputError(f"the grid's carbon-free share {grid_share} is a fraction between 0 and 1")
        share = np.full(len(hours), grid_share)
    # the park's load is its metered enterprises': only their supply is matched against it
    sources = platform_supply(stores, year, uscc, None if uscc else set(source["enterprises"]))
    supply = np.array([spread(months, shape, hours, profile) for _, shape, months, profile in sources]) \
        if sources else np.zeros((0, len(hours)))
    lo = np.array([load[h] for h in hours])
    m = match(lo, supply.sum(axis=0) if len(sources) else np.zeros(len(hours)), share, storage)
    gcs = granular(supply, lo) if len(sources) else None
    certs = [{"source": name, "shape": shape, "issued_kwh": float(gcs["issued"][k].sum()),
              "cancelled_kwh": float(gcs["cancelled"][k].sum()),
              "uncancelled_kwh": float(gcs["uncancelled"][k].sum()), "hours_issued": int((gcs["issued"][k] > 0).sum())}
             for k, (name, shape, _, _) in enumerate(sources)] if gcs is not None else []
    return {**m.as_dict(), "hours": len(hours), "first_hour": hours[0].isoformat(), "last_hour": hours[-1].isoformat(),
            "load_from": source, "supply_from": [{"source": n, "shape": s} for n, s, _, _ in sources],
            "grid_cfe_from": grid_cfe.name if grid_cfe else f"{grid_share:g} every hour",
            "granular_certificates": certs,
            "note": "each month's contracted volume spread by the contract's metered profile where it has one (shape "
                    "'metered'), else by its shape (flat, solar, wind: typical shapes)"}
