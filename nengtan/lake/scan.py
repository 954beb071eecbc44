"""The lake scan behind one small protocol, so the accounting runs on another compute back-end (Spark, for a
province) without touching domain code.

A back-end answers five questions, in the lake's partition calendar (Asia/Shanghai months); the embedded one is
:class:`DuckDBScan`, the distributed one nengtan.lake.spark_scan.SparkScan (the same files, the same frames),
chosen by configuration (:func:`configured_scan`):

* :meth:`LakeScan.month_scan` — per meter and month of a year (plus next January, whose first counter
  readings close December): Σ value, the estimated part, reading counts, and first / last / lowest /
  highest value (the registers a counter is differenced from);
* :meth:`LakeScan.counter_readings` — every reading of some counter meters in some months, in time order,
  for the months whose registers fell (resets, rollovers, suspect readings), which are differenced one
  reading at a time;
* :meth:`LakeScan.hour_totals` — Σ value per park-time hour of a year over some interval meters (a measured
  reading wins over a gap estimate; negative, suspect values left out), for hourly matching;
* :meth:`LakeScan.register_series` — counters' register readings of a year by hour, for hourly matching;
* :meth:`LakeScan.readings_between` — meters' readings between two instants, for upward reporting.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from typing import Protocol

import duckdb
import pandas as pd

from nengtan.calendar import PARK_OFFSET_US, park_midnight
from nengtan.lake.store import Lake

SCAN_COLUMNS = ["meter_id", "year", "month", "total", "estimated", "n_estimated", "n", "first", "last", "lo", "hi"]
READING_COLUMNS = ["meter_id", "value", "year", "month", "est"]


class LakeScan(Protocol):
    """A compute back-end for the readings lake."""

    name: str

    def month_scan(self, lake: Lake, year: int) -> pd.DataFrame:
        """SCAN_COLUMNS, one row per meter and month of ``year`` and of the next January."""
        ...

    def counter_readings(self, lake: Lake, meter_ids: list[str], months: set[tuple[int, int]]) -> pd.DataFrame:
        """READING_COLUMNS for the given meters in the given (year, month) partitions, by meter and time."""
        ...

    def hour_totals(self, lake: Lake, meter_ids: list[str], year: int, carrier: str) -> pd.DataFrame:
        """``hour`` (hours since 1970-01-01 00:00 park time) and ``total`` over the given interval meters."""
        ...

    def register_series(self, lake: Lake, meter_ids: list[str], year: int, carrier: str) -> pd.DataFrame:
        """``meter_id``, ``hour`` (as in hour_totals) and ``value`` of the given counters' register readings from
        the first instant of `year` to the first instant of the next, by meter and time (a measured reading
        wins over a gap estimate)."""
        ...

    def readings_between(self, lake: Lake, meter_ids: list[str], start: dt.datetime, end: dt.datetime
                         ) -> pd.DataFrame:
        """``meter_id``, ``ts_us`` (microseconds since the epoch, UTC) and ``value`` of the given meters' readings
        in [start, end], by meter and time (a measured reading wins over a gap estimate): upward reporting's
        15-minute series."""
        ...


MONTH_SCAN = """
SELECT meter_id, year, month, COALESCE(SUM(value) FILTER (WHERE value >= 0), 0) AS total,
       COALESCE(SUM(value) FILTER (WHERE quality = 'estimated' AND value >= 0), 0) AS estimated,
       count(*) FILTER (WHERE quality = 'estimated') AS n_estimated, count(*) AS n,
       arg_min(value, ts) AS first, arg_max(value, ts) AS last, min(value) AS lo, max(value) AS hi
FROM {src} GROUP BY meter_id, year, month
"""
REGISTER_SCAN = """
SELECT meter_id, year, month, SUM(greatest(value, 0)) AS total, 0.0::DOUBLE AS estimated, 0 AS n_estimated,
       count(*) AS n, arg_min(value, ts) AS first, arg_max(value, ts) AS last, min(value) AS lo, max(value) AS hi
FROM {src} GROUP BY meter_id, year, month
"""
"""MONTH_SCAN for files holding no estimates (the plan's ``registers`` group): the same frame without the filters on
the quality flag, a fifth of the query."""
SUM_SCAN = """
SELECT meter_id, year, month, SUM(value) AS total, 0.0::DOUBLE AS estimated, 0 AS n_estimated, count(*) AS n,
       NULL::DOUBLE AS first, NULL::DOUBLE AS last, NULL::DOUBLE AS lo, NULL::DOUBLE AS hi
FROM {src} GROUP BY meter_id, year, month
"""
"""The scan for files of interval meters holding no estimates and no negative values: a plain Σ, as cheap
as the bare scan. Elsewhere (MONTH_SCAN) negative values — interval readings the live and bulk paths
store marked ``suspect`` — are left out of consumption; `nengtan quality` reports them."""

FILE_SUM_SCAN = """
SELECT meter_id, file_index, SUM(value) AS total, count(*) AS n FROM read_parquet($files) GROUP BY meter_id, file_index
"""
"""SUM_SCAN as DuckDB runs it: grouped by file rather than by the partition columns (a file lies in one month), which
spares the hive columns and the wider group key, about a tenth of the scan; the months are the files' own."""

EFFECTIVE_READINGS = """(SELECT * FROM (
    SELECT *, row_number() OVER (PARTITION BY meter_id, ts ORDER BY (quality = 'estimated'), batch) AS _rn
    FROM {src}) WHERE _rn = 1)"""
"""One row per (meter, ts) where estimates exist: a measured value wins over a gap estimate
(the rule of nengtan.lake.dedupe.effective_readings_sql, with the partition columns kept)."""


@lru_cache(maxsize=1)
def _duck() -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB for the process: a new connection costs ~15 ms and forgets the Parquet
    metadata it has read. Each query takes its own cursor, so threads can share it."""
    con = duckdb.connect()
    con.execute("SET enable_object_cache = true")
    return con


def _read(files: list[str], sql: str, con: duckdb.DuckDBPyConnection | None = None) -> pd.DataFrame:
    """Run ``sql``, whose ``{src}`` stands for the given lake files, and return a DataFrame."""
    con = con or _duck().cursor()
    cur = con.execute(sql.format(src="read_parquet($files, hive_partitioning = true)"), {"files": files})
    columns = [d[0] for d in cur.description]
    return pd.DataFrame(cur.fetchall(), columns=columns)  # (.df() costs ~0.3 s of conversion overhead here)


def _partition_of(path: str) -> str:
    return os.path.dirname(path)


DUCKDB_SQL = {"sum": SUM_SCAN, "registers": REGISTER_SCAN,
              "effective": MONTH_SCAN.replace("{src}", EFFECTIVE_READINGS)}


def plan_month_scan(lake: Lake, year: int, sql: dict[str, str]) -> list[tuple[list[str], str]]:
    """The year's files (plus next January's) grouped by the cheapest exact query, each with the back-end's SQL
    for it (`sql`: ``sum``, ``registers``, ``effective``). The lake's commit records say which files hold only
    interval meters and which hold estimates: a plain Σ for interval files without estimates or negative values,
    the register scan for counter files (or files of unknown kind), the register scan over the measured-wins view
    for partitions holding estimates."""
    files = lake.files(years=[year]) + lake.files(months=[(year + 1, 1)])
    slow_parts = {_partition_of(f) for f in lake.files_with_estimates(files)}
    slow = [f for f in files if _partition_of(f) in slow_parts]
    negative = lake.files_with_negatives(files)
    plain = [f for f in files if _partition_of(f) not in slow_parts and lake.kind_of(f) == "interval"
             and f not in negative]
    registers = [f for f in files if _partition_of(f) not in slow_parts and f not in plain]
    return [(group, sql[kind]) for group, kind in ((plain, "sum"), (registers, "registers"), (slow, "effective"))
            if group]


def merge_month_scan(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The groups' scans as one SCAN_COLUMNS frame. A meter-month in more than one row (files of different kinds, or
    several files of the plain Σ, which DuckDB sums file by file) is merged, its lowest register set to −∞ so that a
    counter's month is differenced reading by reading."""
    import numpy as np

    if not frames:
        return pd.DataFrame(columns=SCAN_COLUMNS)
    scan = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    split = scan.duplicated(["meter_id", "year", "month"], keep=False)
    if split.any():
        merged = scan[split].groupby(["meter_id", "year", "month"], as_index=False).agg(
            total=("total", "sum"), estimated=("estimated", "sum"), n_estimated=("n_estimated", "sum"),
            n=("n", "sum"), first=("first", "first"), last=("last", "last"), hi=("hi", "max"))
        merged["lo"] = -np.inf
        scan = pd.concat([scan[~split], merged[SCAN_COLUMNS]], ignore_index=True)
    return scan


def _file_sums(lake: Lake, files: list[str]) -> pd.DataFrame:
    """SUM_SCAN's frame from FILE_SUM_SCAN, each file's sums placed in its month (a meter's month in several files
    is several rows, added up by merge_month_scan)."""
    import numpy as np

    df = _duck().cursor().sql(FILE_SUM_SCAN, params={"files": files}).to_arrow_table().to_pandas()
    months = np.array([lake.year_month_of(f) for f in files], dtype=np.int64)[df["file_index"].to_numpy(dtype=np.int64)]
    return df.assign(year=months[:, 0], month=months[:, 1], estimated=0.0, n_estimated=0, first=np.nan, last=np.nan,
                     lo=np.nan, hi=np.nan)[SCAN_COLUMNS]


class DuckDBScan:
    """The lake scan on DuckDB (the embedded default)."""

    name = "duckdb"

    def month_scan(self, lake: Lake, year: int) -> pd.DataFrame:
        """One pass over the year's readings (plus next January, for counters' closing registers), each group of
        files by its cheapest exact query (:func:`plan_month_scan`)."""
        return merge_month_scan([_file_sums(lake, files) if sql is SUM_SCAN else _read(files, sql)
                                 for files, sql in plan_month_scan(lake, year, DUCKDB_SQL)])

    def counter_readings(self, lake: Lake, meter_ids: list[str], months: set[tuple[int, int]]) -> pd.DataFrame:
        files = [f for f in lake.files(months=months) if lake.kind_of(f) != "interval"]  # counters' files only
        if not files or not meter_ids:
            return pd.DataFrame(columns=READING_COLUMNS)
        sql = ("SELECT meter_id, value, year, month, quality = 'estimated' AS est FROM read_parquet($files, "
               "hive_partitioning = true) WHERE meter_id IN (SELECT unnest($ids)) ORDER BY meter_id, ts")
        # (reading by reading: Arrow hands the rows over in columns, in half the time of Python tuples)
        return _duck().cursor().sql(sql, params={"files": files, "ids": sorted(meter_ids)}).to_arrow_table().to_pandas()


    def hour_totals(self, lake: Lake, meter_ids: list[str], year: int, carrier: str) -> pd.DataFrame:
        files = lake.files(carriers=[carrier], years=[year])
        if not files or not meter_ids:
            return pd.DataFrame(columns=["hour", "total"])
        con = _duck().cursor()
        con.register("wanted", pd.DataFrame({"meter_id": sorted(meter_ids)}))
        sql = (f"SELECT (epoch_us(ts) + {PARK_OFFSET_US}) // {3600 * 10**6} AS hour, "
               "COALESCE(SUM(value) FILTER (WHERE value >= 0), 0) AS total FROM (SELECT *, row_number() OVER "
               "(PARTITION BY meter_id, ts ORDER BY (quality = 'estimated'), batch) AS _rn FROM {src} r "
               "SEMI JOIN wanted w ON r.meter_id = w.meter_id) WHERE _rn = 1 GROUP BY hour ORDER BY hour")
        return _read(files, sql, con)

    def register_series(self, lake: Lake, meter_ids: list[str], year: int, carrier: str) -> pd.DataFrame:
        files = lake.files(carriers=[carrier], years=[year, year + 1])
        if not files or not meter_ids:
            return pd.DataFrame(columns=["meter_id", "hour", "value"])
        con = _duck().cursor()
        con.register("wanted", pd.DataFrame({"meter_id": sorted(meter_ids)}))
        offset, hour_us = PARK_OFFSET_US, 3600 * 10**6
        start, end = (int(park_midnight(dt.date(y, 1, 1)).timestamp()) * 10**6 for y in (year, year + 1))
        sql = (f"SELECT meter_id, (epoch_us(ts) + {offset}) // {hour_us} AS hour, value FROM (SELECT *, "
               "row_number() OVER (PARTITION BY meter_id, ts ORDER BY (quality = 'estimated'), batch) AS _rn "
               f"FROM {{src}} r SEMI JOIN wanted w ON r.meter_id = w.meter_id WHERE epoch_us(r.ts) >= {start} "
               f"AND epoch_us(r.ts) <= {end}) WHERE _rn = 1 ORDER BY meter_id, ts")
        return _read(files, sql, con)


    def readings_between(self, lake: Lake, meter_ids: list[str], start: dt.datetime, end: dt.datetime
                         ) -> pd.DataFrame:
        files = lake.files(months=months_between(start, end))
        if not files or not meter_ids:
            return pd.DataFrame(columns=["meter_id", "ts_us", "value"])
        con = _duck().cursor()
        con.register("wanted", pd.DataFrame({"meter_id": sorted(meter_ids)}))
        a, b = (int(t.timestamp() * 10**6) for t in (start, end))
        return _read(files, "SELECT meter_id, epoch_us(ts) AS ts_us, value FROM (SELECT *, row_number() OVER "
                     "(PARTITION BY meter_id, ts ORDER BY (quality = 'estimated'), batch) AS _rn FROM {src} r SEMI "
                     f"JOIN wanted w ON r.meter_id = w.meter_id WHERE epoch_us(r.ts) BETWEEN {a} AND {b}) "
                     "WHERE _rn = 1 ORDER BY meter_id, ts", con)


def months_between(start: dt.datetime, end: dt.datetime) -> set[tuple[int, int]]:
    """The lake's (year, month) partitions, in park time, that [start, end] touches."""
    from nengtan.calendar import PARK_TZ

    a, b = start.astimezone(PARK_TZ), end.astimezone(PARK_TZ)
    out, y, m = set(), a.year, a.month
    while (y, m) <= (b.year, b.month):
        out.add((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


DUCKDB = DuckDBScan()
"""The embedded back-end."""


def configured_scan() -> LakeScan:
    """The back-end the configuration chooses (nengtan.config.compute_settings): DuckDB, or Spark at the
    configured master."""
    from nengtan.config import compute_settings

    engine, master = compute_settings()
    if engine == "duckdb":
        return DUCKDB
    from nengtan.lake.spark_scan import spark_scan

    return spark_scan(master)
