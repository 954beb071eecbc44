"""The lake scans on Apache Spark (PySpark): the same five questions as nengtan.lake.scan.DuckDBScan over the same
committed Parquet files (Hive-style partitions ``carrier=/year=/month=``), answered in Spark SQL and returned as the
same pandas frames, so the accounting above does not know which engine ran.

The SQL is DuckDB's, in Spark's dialect: ``min_by``/``max_by`` for ``arg_min``/``arg_max``, ``unix_micros`` for
``epoch_us``, ``LEFT SEMI JOIN`` for ``SEMI JOIN``. The file grouping (which files need the register scan or the
measured-wins view) is nengtan.lake.scan.plan_month_scan, shared. One SparkSession per master URL for the process:
``local[2]`` in the tests; on a cluster, ``spark-submit`` or a ``spark://``/``yarn`` master and the lake on storage
every executor reads (docs/spark.md). The month scan's queries run as one job; a counters' read small enough
(DRIVER_READ_BYTES) is answered on the driver by the embedded engine, the same query as DuckDBScan's.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from nengtan.calendar import PARK_OFFSET_US, park_midnight
from nengtan.lake.scan import DUCKDB, READING_COLUMNS, merge_month_scan, months_between, plan_month_scan
from nengtan.lake.store import Lake

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

MONTH_SCAN = """
SELECT meter_id, year, month, COALESCE(SUM(value) FILTER (WHERE value >= 0), 0D) AS total,
       COALESCE(SUM(value) FILTER (WHERE quality = 'estimated' AND value >= 0), 0D) AS estimated,
       count(*) FILTER (WHERE quality = 'estimated') AS n_estimated, count(*) AS n,
       min_by(value, ts) AS first, max_by(value, ts) AS last, min(value) AS lo, max(value) AS hi
FROM {src} GROUP BY meter_id, year, month
"""
SUM_SCAN = """
SELECT meter_id, year, month, SUM(value) AS total, 0D AS estimated, 0L AS n_estimated, count(*) AS n,
       CAST(NULL AS DOUBLE) AS first, CAST(NULL AS DOUBLE) AS last, CAST(NULL AS DOUBLE) AS lo,
       CAST(NULL AS DOUBLE) AS hi
FROM {src} GROUP BY meter_id, year, month
"""
EFFECTIVE = """(SELECT * FROM (
    SELECT *, row_number() OVER (PARTITION BY meter_id, ts ORDER BY (quality = 'estimated'), batch) AS _rn
    FROM {src}) WHERE _rn = 1)"""
SPARK_SQL = {"sum": SUM_SCAN, "registers": MONTH_SCAN, "effective": MONTH_SCAN.replace("{src}", EFFECTIVE)}
HOUR_US = 3600 * 10**6
LAKE_SCHEMA = ("meter_id STRING, ts TIMESTAMP, value DOUBLE, unit STRING, quality STRING, batch STRING, "
               "carrier STRING, year INT, month INT")
"""The lake's columns in Spark's types: nengtan.lake.store.READING_SCHEMA (timestamps in UTC are Spark's TIMESTAMP)
and the partition columns ``carrier=/year=/month=``; tests/lake/test_spark_scan.py checks it against what Spark
infers from the files."""


@lru_cache(maxsize=2)
def session(master: str) -> SparkSession:
    """The process's SparkSession on `master`: UTC session time (timestamps are instants), Arrow for the
    frames handed back, no UI, a small shuffle for one machine (Spark's 200 partitions suit a cluster)."""
    import warnings

    from pyspark.sql import SparkSession

    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # one machine: no interface lookup, no warning about it
    # PySpark 4.3 warns that pandas 3 is not yet fully supported; the frames it hands back here are proved equal to
    # DuckDB's by the tests (tests/lake/test_spark_scan.py)
    warnings.filterwarnings("ignore", message=".*does not yet fully support pandas.*", category=FutureWarning)
    warnings.filterwarnings("ignore", message="The copy keyword is deprecated", module="pyspark")
    import shutil

    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        from nengtan.errors import NotInitialisedError

        raise NotInitialisedError("the Spark back-end needs Java 17 or newer: run scripts/install-java.sh (make test "
                                  "does), or set NENGTAN_ENGINE=duckdb")
    return (SparkSession.builder.master(master).appName("nengtan")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.log.level", "ERROR")
            .config("spark.sql.shuffle.partitions", "8" if master.startswith("local") else "200")
            .getOrCreate())


DRIVER_READ_BYTES = 64 * 2**20
"""A counters' read over files of at most this many bytes in all is done on the driver (SparkScan.counter_readings)."""


class SparkScan:
    """The lake scan on Spark."""

    name = "spark"

    def __init__(self, master: str = "local[2]", driver_read_bytes: int = DRIVER_READ_BYTES) -> None:
        self.master = master
        self.driver_read_bytes = driver_read_bytes

    @property
    def spark(self) -> SparkSession:
        return session(self.master)

    def _frame(self, lake: Lake, files: list[str]) -> DataFrame:
        """The files as one frame of LAKE_SCHEMA, which Spark would otherwise infer from the files' footers on every
        read (about 0.05 s each, a third of the counters' read on the demo lake)."""
        return self.spark.read.schema(LAKE_SCHEMA).option("basePath", str(lake.dir)).parquet(*files)

    def _sql(self, lake: Lake, files: list[str], sql: str, meters: list[str] | None = None) -> pd.DataFrame:
        """Run `sql`, whose ``{src}`` stands for the files (and ``wanted`` for `meters`), into pandas."""
        return self._union(lake, [(files, sql)], meters)

    def _union(self, lake: Lake, parts: list[tuple[list[str], str]], meters: list[str] | None = None
               ) -> pd.DataFrame:
        """The queries of `parts` (each `sql` over its `files`, as in _sql) as one Spark job, their rows one after
        the other (UNION ALL: the queries must give the same columns)."""
        views: dict[str, Any] = {f"src{i}": self._frame(lake, files) for i, (files, _) in enumerate(parts)}
        if meters is not None:
            views["wanted"] = self.spark.createDataFrame([(m,) for m in meters], "meter_id string")
        names = {k: f"nt_{k}_{id(v)}" for k, v in views.items()}
        for k, v in views.items():
            v.createOrReplaceTempView(names[k])
        try:
            sql = " UNION ALL ".join(f"({q.replace('{src}', names[f'src{i}'])})" for i, (_, q) in enumerate(parts))
            return self.spark.sql(sql.replace("{wanted}", names.get("wanted", ""))).toPandas()
        finally:
            for n in names.values():
                self.spark.catalog.dropTempView(n)

    def month_scan(self, lake: Lake, year: int) -> pd.DataFrame:
        """The plan's queries (nengtan.lake.scan.plan_month_scan) run as one Spark job: one job's planning and task
        start-up where there were up to three, about 0.1 s on the demo lake (docs/benchmarks.md)."""
        plan = plan_month_scan(lake, year, SPARK_SQL)
        return merge_month_scan([self._union(lake, plan)] if plan else [])

    def counter_readings(self, lake: Lake, meter_ids: list[str], months: set[tuple[int, int]]) -> pd.DataFrame:
        """The readings of the counters whose registers fell (a few meters in a few months, the inventory's second
        question): on the driver with the embedded engine (nengtan.lake.scan.DUCKDB, the same query) where their
        months' counter files come to at most `driver_read_bytes` — a Spark job's start-up would be most of the
        time (0.1 s in local mode, more on a cluster) for a few thousand rows; the lake is at the same path on the
        driver as on the executors (docs/spark.md) — and on Spark where they are more."""
        files = [f for f in lake.files(months=months) if lake.kind_of(f) != "interval"]
        if not files or not meter_ids:
            return pd.DataFrame(columns=READING_COLUMNS)
        if sum(os.path.getsize(f) for f in files) <= self.driver_read_bytes:
            return DUCKDB.counter_readings(lake, meter_ids, months)
        from pyspark.sql import functions as F

        # the meters as a literal IN list, which Parquet's row-group statistics prune, and the few rows put in time
        # order by pandas: a semi join with a table of the meters and an ORDER BY cost Spark a shuffle, five times
        # this on the demo (0.63 s against 0.12 s)
        rows = (self._frame(lake, files).where(F.col("meter_id").isin(sorted(meter_ids)))
                .select("meter_id", "value", "year", "month", (F.col("quality") == "estimated").alias("est"), "ts")
                .toPandas())
        return rows.sort_values(["meter_id", "ts"], kind="stable", ignore_index=True)[READING_COLUMNS]

    def hour_totals(self, lake: Lake, meter_ids: list[str], year: int, carrier: str) -> pd.DataFrame:
        files = lake.files(carriers=[carrier], years=[year])
        if not files or not meter_ids:
            return pd.DataFrame(columns=["hour", "total"])
        sql = (f"SELECT CAST(floor((unix_micros(ts) + {PARK_OFFSET_US}) / {HOUR_US}) AS BIGINT) AS hour, "
               "COALESCE(SUM(value) FILTER (WHERE value >= 0), 0D) AS total FROM (SELECT r.*, row_number() OVER "
               "(PARTITION BY r.meter_id, r.ts ORDER BY (r.quality = 'estimated'), r.batch) AS _rn FROM {src} r "
               "LEFT SEMI JOIN {wanted} w ON r.meter_id = w.meter_id) WHERE _rn = 1 GROUP BY 1 ORDER BY 1")
        return self._sql(lake, files, sql, sorted(meter_ids))

    def register_series(self, lake: Lake, meter_ids: list[str], year: int, carrier: str) -> pd.DataFrame:
        files = lake.files(carriers=[carrier], years=[year, year + 1])
        if not files or not meter_ids:
            return pd.DataFrame(columns=["meter_id", "hour", "value"])
        start, end = (int(park_midnight(dt.date(y, 1, 1)).timestamp()) * 10**6 for y in (year, year + 1))
        sql = (f"SELECT meter_id, CAST(floor((unix_micros(ts) + {PARK_OFFSET_US}) / {HOUR_US}) AS BIGINT) AS hour, "
               "value FROM (SELECT r.*, row_number() OVER (PARTITION BY r.meter_id, r.ts ORDER BY "
               "(r.quality = 'estimated'), r.batch) AS _rn FROM {src} r LEFT SEMI JOIN {wanted} w "
               f"ON r.meter_id = w.meter_id WHERE unix_micros(r.ts) >= {start} AND unix_micros(r.ts) <= {end}) "
               "WHERE _rn = 1 ORDER BY meter_id, ts")
        return self._sql(lake, files, sql, sorted(meter_ids))


    def readings_between(self, lake: Lake, meter_ids: list[str], start: dt.datetime, end: dt.datetime
                         ) -> pd.DataFrame:
        files = lake.files(months=months_between(start, end))
        if not files or not meter_ids:
            return pd.DataFrame(columns=["meter_id", "ts_us", "value"])
        a, b = (int(t.timestamp() * 10**6) for t in (start, end))
        return self._sql(lake, files, "SELECT meter_id, unix_micros(ts) AS ts_us, value FROM (SELECT r.*, "
                         "row_number() OVER (PARTITION BY r.meter_id, r.ts ORDER BY (r.quality = 'estimated'), "
                         "r.batch) AS _rn FROM {src} r LEFT SEMI JOIN {wanted} w ON r.meter_id = w.meter_id WHERE "
                         f"unix_micros(r.ts) BETWEEN {a} AND {b}) WHERE _rn = 1 ORDER BY meter_id, ts_us",
                         sorted(meter_ids))


@lru_cache(maxsize=2)
def spark_scan(master: str = "local[2]") -> SparkScan:
    return SparkScan(master)
