"""The park grid traced (issue 11): a network folder — ``buses.csv`` (``bus``), ``flows.csv``
(``ts,from_bus,to_bus,mw``) or ``lines.csv`` for flows from injections, ``generation.csv``
(``ts,bus,source,mw,kgco2_per_kwh``), ``loads.csv`` (``ts,bus,uscc,mw``), the large ones also as Parquet —
read, checked and handed to nengtan.greenpower.tracing; per interval, per month (attributions, written to the
ledger) and in one summary (the cockpit's map). docs/greenpower.md.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from nengtan.calendar import PARK_TZ
from nengtan.config import Paths
from nengtan.engine.greenpower import park_time
from nengtan.errors import InputError
from nengtan.greenpower.tracing import KWH_PER_MWH, Network, throughflow, trace
from nengtan.ingest.rows import number_at, table_rows

if TYPE_CHECKING:
    from nengtan.engine.stores import Stores


def park_network(paths: Paths) -> Path:
    """Where the park's own distribution network is kept in its data home (the cockpit's map traces it)."""
    return paths.home / "greenpower" / "network"


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
        rec: dict[str, Any] = {"where": where, "ts": park_time(r["ts"], where)}
        for c in columns[1:]:
            rec[c] = bus(r[c], where) if c in bus_cols else number_at(r[c], where, c) if c in numeric else r[c]
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
    kv = np.array([number_at(r.get("kv") or "10", f"buses.csv:{k + 2}", "kv") for k, r in enumerate(bus_rows)])
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
        x.append(number_at(r["x_ohm"], where, "x_ohm"))
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

    from nengtan.engine import greenledger
    from nengtan.registry import audit

    attributed = attribution_of(folder, minutes)
    digest = hashlib.sha256()
    for name in sorted(p.name for p in folder.iterdir() if p.is_file()):
        digest.update(name.encode() + b"\0" + (folder / name).read_bytes())
    network = digest.hexdigest()[:16]
    with stores.registry.session(write=True) as s:
        done = {(e.subject, e.body.get("month")) for e in greenledger.entries(s, kinds=("attribution",))
                if e.body.get("network") == network}
        items: list[tuple[str, str, dict[str, Any]]] = []
        for load, months in attributed.items():
            uscc, _, bus = load.partition("@")
            for month, by_source in months.items():
                if (uscc, month) in done:
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


def grid_summary(folder: Path, minutes: float | None = None) -> dict[str, Any]:
    """The traced network in one view (the cockpit's map): per bus its energy-weighted mean nodal intensity and
    green share and a position (a tree layout from the sources), per branch its mean |flow|, per load its carbon
    and traced green power over all intervals; from the same trace as ``trace_folder``."""
    net, times, branch_names, load_names, source_names = read_network(folder, minutes)
    t = trace(net)
    flows = throughflow(net)
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
                   "kwh": float(net.load_mw[:, j].sum() * net.hours * KWH_PER_MWH)}
                  for j, name in enumerate(load_names)],
        "sources": source_names, "branch_names": branch_names,
    }
