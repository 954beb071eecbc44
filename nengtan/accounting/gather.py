"""Gathering activity data from the stores: monthly statements (registry) and meter totals (lake).

Precedence, per enterprise × month × carrier: a monthly statement is the accounting basis where one
exists (it is what the enterprise was billed and files); metered totals fill in where none exists.
Only ``main`` meters are summed; ``sub`` meters hang below a main meter and are never added, so
sub-metering cannot double count. Interval meters are summed; cumulative counters are differenced
(resets and rollovers detected, never negative), each interval attributed to the month in which it
starts (Asia/Shanghai calendar, the lake's partition month).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from sqlalchemy import Executable, func, select

from nengtan.accounting.calc import counter_consumption
from nengtan.lake import Lake
from nengtan.registry.models import Activity, EconomicData, Enterprise, ImportBatch, Meter
from nengtan.registry.store import Registry
from nengtan.units import CANONICAL_UNIT

ACTIVITY_COLUMNS = ["enterprise_id", "period", "carrier", "quantity", "estimated_quantity", "source",
                    "feedstock_quantity", "feedstock_oxidised"]


def _frame(reg: Registry, stmt: Executable, columns: list[str]) -> pd.DataFrame:
    """Run a Core select and fetch from the DBAPI cursor directly (no Row objects: 10⁵ rows in tens of
    ms rather than a second; the columns read here need no result-type processing)."""
    with reg.engine.connect() as conn:
        rows = conn.execute(stmt).cursor.fetchall()
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(dict(zip(columns, (list(c) for c in zip(*rows, strict=True)), strict=True)))


def _year_range(column: Any, year: int) -> Any:
    """period BETWEEN 'YYYY-01' AND 'YYYY-12' (unlike LIKE, it can use the period index)."""
    return column.between(f"{year:04d}-01", f"{year:04d}-12")


def enterprises_frame(reg: Registry) -> pd.DataFrame:
    """enterprise_id, uscc, enterprise (name), sector_code, province."""
    return _frame(reg, select(Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.sector_code,
                              Enterprise.province),
                  ["enterprise_id", "uscc", "enterprise", "sector_code", "province"])


def statement_activity(reg: Registry, year: int) -> pd.DataFrame:
    """Active monthly statement rows of `year`."""
    df = _frame(reg, select(Activity.enterprise_id, Activity.period, Activity.carrier, Activity.quantity,
                            Activity.feedstock_quantity, Activity.feedstock_oxidised)
                .where(Activity.active.is_(True), _year_range(Activity.period, year)),
                ["enterprise_id", "period", "carrier", "quantity", "feedstock_quantity", "feedstock_oxidised"])
    df["feedstock_oxidised"] = df["feedstock_oxidised"].astype(bool)
    df["estimated_quantity"] = 0.0
    df["source"] = "statement"
    return df[ACTIVITY_COLUMNS]


def main_meters(reg: Registry) -> pd.DataFrame:
    """meter_id (code), enterprise_id, carrier, kind, rollover of the main interval/counter meters."""
    return _frame(reg, select(Meter.code, Meter.enterprise_id, Meter.carrier, Meter.kind, Meter.rollover)
                  .where(Meter.role == "main", Meter.kind.in_(("interval", "counter"))),
                  ["meter_id", "enterprise_id", "carrier", "kind", "rollover"])


@lru_cache(maxsize=1)
def _duck() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB for the process: a new connection costs ~15 ms and forgets the Parquet
    metadata it has read. Each query takes its own cursor, so threads can share it."""
    con = duckdb.connect()
    con.execute("SET enable_object_cache = true")
    return con


def _read(files: list[str], sql: str, con: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """Run `sql`, whose ``{src}`` stands for the given lake files, and return a DataFrame."""
    con = con or _duck().cursor()
    cur = con.execute(sql.format(src="read_parquet($files, hive_partitioning = true)"), {"files": files})
    columns = [d[0] for d in cur.description]
    return pd.DataFrame(cur.fetchall(), columns=columns)  # (.df() costs ~0.3 s of conversion overhead here)


MONTH_SCAN = """
SELECT meter_id, year, month, COALESCE(SUM(value) FILTER (WHERE value >= 0), 0) AS total,
       COALESCE(SUM(value) FILTER (WHERE quality = 'estimated' AND value >= 0), 0) AS estimated,
       count(*) FILTER (WHERE quality = 'estimated') AS n_estimated, count(*) AS n,
       arg_min(value, ts) AS first, arg_max(value, ts) AS last, min(value) AS lo, max(value) AS hi
FROM {src} GROUP BY meter_id, year, month
"""
SUM_SCAN = """
SELECT meter_id, year, month, SUM(value) AS total, 0.0::DOUBLE AS estimated, 0 AS n_estimated, count(*) AS n,
       NULL::DOUBLE AS first, NULL::DOUBLE AS last, NULL::DOUBLE AS lo, NULL::DOUBLE AS hi
FROM {src} GROUP BY meter_id, year, month
"""
"""The scan for files of interval meters holding no estimates and no negative values: a plain Σ, as cheap
as the bare scan. Elsewhere (MONTH_SCAN) negative values — interval readings the live and bulk paths
store marked ``suspect`` — are left out of consumption; `nengtan quality` reports them."""
SCAN_COLUMNS = ["meter_id", "year", "month", "total", "estimated", "n_estimated", "n", "first", "last", "lo", "hi"]

EFFECTIVE_READINGS = """(SELECT * FROM (
    SELECT *, row_number() OVER (PARTITION BY meter_id, ts ORDER BY (quality = 'estimated'), batch) AS _rn
    FROM {src}) WHERE _rn = 1)"""
"""One row per (meter, ts) where estimates exist: a measured value wins over a gap estimate
(the rule of nengtan.lake.dedupe.effective_readings_sql, with the partition columns kept)."""


def month_scan(lake: Lake, year: int) -> pd.DataFrame:
    """One pass over the year's readings (plus next January, for counters' closing registers).

    Per meter and month: Σ value, the estimated part, and for counters the first, last, lowest and
    highest register, from which they are differenced without a second pass (counter_month_totals).
    The lake's commit records say which files hold only interval meters and which hold estimates,
    so each file gets the cheapest exact query: a plain Σ (interval files without estimates), the
    register scan (counter files, or files of unknown kind), or the register scan over the
    measured-wins view (partitions holding estimates).
    """
    files = lake.files(years=[year]) + lake.files(months=[(year + 1, 1)])
    if not files:
        return pd.DataFrame(columns=SCAN_COLUMNS)
    slow_parts = {_partition_of(f) for f in lake.files_with_estimates(files)}
    slow = [f for f in files if _partition_of(f) in slow_parts]
    negative = lake.files_with_negatives(files)
    plain = [f for f in files if _partition_of(f) not in slow_parts and lake.kind_of(f) == "interval"
             and f not in negative]
    registers = [f for f in files if _partition_of(f) not in slow_parts and f not in plain]
    frames = [_read(group, sql) for group, sql in ((plain, SUM_SCAN), (registers, MONTH_SCAN),
                                                  (slow, MONTH_SCAN.replace("{src}", EFFECTIVE_READINGS)))
              if group]
    scan = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    split = scan.duplicated(["meter_id", "year", "month"], keep=False)
    if split.any():  # one meter-month spread over files of different kinds: merge, and let counters
        merged = scan[split].groupby(["meter_id", "year", "month"], as_index=False).agg(
            total=("total", "sum"), estimated=("estimated", "sum"), n_estimated=("n_estimated", "sum"),
            n=("n", "sum"), first=("first", "first"), last=("last", "last"), hi=("hi", "max"))
        merged["lo"] = -np.inf  # … fail the monotone test, so they are differenced reading by reading
        scan = pd.concat([scan[~split], merged[SCAN_COLUMNS]], ignore_index=True)
    return scan


def _partition_of(path: str) -> str:
    return os.path.dirname(path)


def meter_totals(lake: Lake, year: int, scan: pd.DataFrame | None = None) -> pd.DataFrame:
    """Σ value per meter and month of `year` (interval meters): meter_id, month, total, estimated."""
    scan = month_scan(lake, year) if scan is None else scan
    return scan.loc[scan["year"] == year, ["meter_id", "month", "total", "estimated"]].reset_index(drop=True)


def counter_month_totals(lake: Lake, year: int, counters: pd.DataFrame, scan: pd.DataFrame) -> pd.DataFrame:
    """Monthly consumption of cumulative counters from the month scan.

    Where a month's registers never fall (lowest = first, highest = last, and the next month's first
    reading is not below this month's last), consumption = next month's first − this month's first
    (or last − first for the newest month). Meters with any other month — a reset or a rollover —
    are differenced reading by reading instead (counter_totals), which is exact in every case.
    """
    out_cols = ["meter_id", "month", "total", "estimated"]
    if counters.empty or scan.empty:
        return pd.DataFrame(columns=out_cols)
    c = scan[scan["meter_id"].isin(counters["meter_id"])].copy()
    c["idx"] = c["year"].astype(int) * 12 + c["month"].astype(int)
    c = c.sort_values(["meter_id", "idx"])
    g = c.groupby("meter_id", sort=False)
    c["next_first"] = g["first"].shift(-1)
    c["next_idx"] = g["idx"].shift(-1)
    c["prev_last"] = g["last"].shift(1)
    has_next = c["next_first"].notna()
    consecutive = ~has_next | (c["next_idx"] == c["idx"] + 1)
    monotone = ((c["lo"] == c["first"]) & (c["hi"] == c["last"]) & (~has_next | (c["next_first"] >= c["last"]))
                & (c["prev_last"].isna() | (c["first"] >= c["prev_last"])))  # a month opening on a fall is not
    c["total"] = (c["next_first"].where(has_next, c["last"]) - c["first"]).astype(float)
    c["estimated"] = c["total"] * c["n_estimated"] / c["n"]
    in_year = c["year"] == year
    bad = in_year & ~(monotone & consecutive)
    fast = c[in_year & ~bad][out_cols]
    pairs = {(str(m), int(y), int(mo)) for m, y, mo in zip(c.loc[bad, "meter_id"], c.loc[bad, "year"],
                                                            c.loc[bad, "month"], strict=True)}
    exact = counter_totals(lake, counters, pairs)
    return pd.concat([f for f in (fast, exact) if not f.empty] or [pd.DataFrame(columns=out_cols)],
                     ignore_index=True)


def counter_totals(lake: Lake, counters: pd.DataFrame, pairs: set[tuple[str, int, int]]) -> pd.DataFrame:
    """Consumption of cumulative counters for (meter, year, month) pairs, reading by reading
    (calc.counter_consumption: resets and rollovers detected, never negative); each interval
    counts in the month it starts. Returns meter_id, month, total, estimated."""
    out = pd.DataFrame(columns=["meter_id", "month", "total", "estimated"])
    if not pairs:
        return out
    months = {(y, m) for _, y, m in pairs}
    months |= {(y + (m == 12), m % 12 + 1) for y, m in months}  # the next month holds the closing reading
    files = [f for f in lake.files(months=months) if lake.kind_of(f) != "interval"]  # counters' files only
    if not files:
        return out
    con = _duck().cursor()
    con.register("wanted", pd.DataFrame({"meter_id": sorted({p[0] for p in pairs})}))
    df = _read(files, "SELECT r.meter_id, r.value, r.year, r.month, r.quality = 'estimated' AS est "
               "FROM {src} r SEMI JOIN wanted w ON r.meter_id = w.meter_id ORDER BY r.meter_id, r.ts", con)
    rollover = dict(zip(counters["meter_id"], counters["rollover"], strict=True))
    parts = []
    for meter_id, g in df.groupby("meter_id", sort=False):
        cons, _, _ = counter_consumption(g["value"].to_numpy(), _none_if_nan(rollover.get(meter_id)))
        start = g.iloc[:-1]
        est = g["est"].to_numpy()
        keep = np.array([(meter_id, int(y), int(m)) in pairs for y, m in zip(start["year"], start["month"],
                                                                                 strict=True)], dtype=bool)
        parts.append(pd.DataFrame({"meter_id": meter_id, "month": start["month"].to_numpy()[keep],
                                   "total": cons[keep],
                                   "estimated": np.where(est[:-1] | est[1:], cons, 0.0)[keep]}))
    if not parts:
        return out
    return pd.concat(parts).groupby(["meter_id", "month"], as_index=False)[["total", "estimated"]].sum()


def _none_if_nan(x: object) -> float | None:
    if x is None:
        return None
    f = float(x)  # type: ignore[arg-type]
    return None if np.isnan(f) else f


def meter_activity(reg: Registry, lake: Lake, year: int, scan: pd.DataFrame | None = None) -> pd.DataFrame:
    """Metered monthly totals per enterprise and carrier, from main meters only."""
    meters = main_meters(reg)
    scan = month_scan(lake, year) if scan is None else scan
    interval = meter_totals(lake, year, scan).merge(meters[meters["kind"] == "interval"], on="meter_id")
    counters = counter_month_totals(lake, year, meters[meters["kind"] == "counter"], scan).merge(
        meters, on="meter_id")
    both = pd.concat([interval, counters], ignore_index=True)
    if both.empty:
        return pd.DataFrame(columns=ACTIVITY_COLUMNS)
    both["period"] = [f"{year:04d}-{int(m):02d}" for m in both["month"]]
    agg = both.groupby(["enterprise_id", "period", "carrier"], as_index=False)[["total", "estimated"]].sum()
    agg = agg.rename(columns={"total": "quantity", "estimated": "estimated_quantity"})
    agg["source"] = "meter"
    agg["feedstock_quantity"] = 0.0
    agg["feedstock_oxidised"] = False
    return agg[ACTIVITY_COLUMNS]


def activity(reg: Registry, lake: Lake, year: int) -> pd.DataFrame:
    """Activity rows for `year` with statement-over-meter precedence, joined with enterprise data."""
    with ThreadPoolExecutor(max_workers=1) as pool:  # DuckDB scans the lake while SQL reads the registry
        scan = pool.submit(month_scan, lake, year)
        st = statement_activity(reg, year)
        ent = enterprises_frame(reg)
        mt = meter_activity(reg, lake, year, scan.result())
    if not st.empty and not mt.empty:
        keys = pd.MultiIndex.from_frame(st[["enterprise_id", "period", "carrier"]])
        mkeys = pd.MultiIndex.from_frame(mt[["enterprise_id", "period", "carrier"]])
        mt = mt[~mkeys.isin(keys)]
    frames = [f for f in (st, mt) if not f.empty]
    act = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ACTIVITY_COLUMNS)
    df = act.merge(ent, on="enterprise_id", how="inner")
    df["unit"] = df["carrier"].map(CANONICAL_UNIT)
    df["quantity"] = df["quantity"].astype(float)
    df["estimated_quantity"] = df["estimated_quantity"].astype(float)
    return df.sort_values(["uscc", "period", "carrier"]).reset_index(drop=True)


def economics(reg: Registry, year: int) -> pd.DataFrame:
    """uscc, period, value_added, gross_output, value_added_constant [万元] of the active versions."""
    return _frame(reg, select(Enterprise.uscc, EconomicData.period, EconomicData.value_added,
                              EconomicData.gross_output, EconomicData.value_added_constant)
                  .join(Enterprise, Enterprise.id == EconomicData.enterprise_id)
                  .where(EconomicData.active.is_(True), _year_range(EconomicData.period, year)),
                  ["uscc", "period", "value_added", "gross_output", "value_added_constant"])


def data_version(reg: Registry, lake: Lake) -> str:
    """The data version results quote: the registry's last import batch and the lake's log version."""
    with reg.session() as s:
        seq = s.execute(select(func.max(ImportBatch.seq))).scalar() or 0
    return f"registry#{seq}+lake#{lake.version}"
