"""Benchmark: the annual park inventory on the Spark back-end (local[2]) against a bare Spark aggregation of the same
Parquet files, and the same numbers as DuckDB.

In the same run, on the demo lake (the bench's cached copy, built by bench/bench_inventory.py's ``ensure``):

* baseline — Spark ``SELECT meter_id, month, SUM(value) … GROUP BY meter_id, month`` over the year's files, read with
  the lake's schema as nengtan reads them (nengtan.lake.spark_scan.LAKE_SCHEMA), collected;
* nengtan  — ``nengtan.engine.ledgers.inventory(...)`` with the scans on Spark (``NENGTAN_ENGINE=spark``), and its
  month scan alone;
* the same inventory on DuckDB, whose CO2 must equal Spark's.

Best of N after a warm-up of each, the three run in turn (bare, month scan, inventory, bare, …) so that the JVM's
just-in-time compilation, which warms over the first runs, and any drift of a shared machine reach all three alike
(the SparkSession starts once, outside the timings). Writes the section
"## Inventory on Spark (issue 14)" of docs/benchmarks.md.  Usage: python bench/bench_spark.py [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_inventory import DOC, best_interleaved, ensure

from nengtan.demo import FULL
from nengtan.engine.ledgers import inventory
from nengtan.lake.spark_scan import LAKE_SCHEMA, spark_scan

SECTION = "## Inventory on Spark (issue 14)"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    reg, lake, readings = ensure("demo", FULL)
    files = lake.files(years=[2025])
    spark = spark_scan("local[2]")
    session = spark.spark

    def bare() -> None:
        df = session.read.schema(LAKE_SCHEMA).option("basePath", str(lake.dir)).parquet(*files)
        df.groupBy("meter_id", "month").sum("value").collect()

    os.environ["NENGTAN_ENGINE"] = "duckdb"
    duck = inventory(reg, lake, 2025)
    os.environ["NENGTAN_ENGINE"] = "spark"
    t_bare, t_scan, t_inv = best_interleaved([bare, lambda: spark.month_scan(lake, 2025),
                                              lambda: inventory(reg, lake, 2025)], args.repeat)
    inv = inventory(reg, lake, 2025)
    assert abs(inv.co2_t - duck.co2_t) <= 1e-9 * duck.co2_t, (inv.co2_t, duck.co2_t)
    import pyspark

    load = os.getloadavg()
    section = "\n".join([
        SECTION, "",
        f"`python bench/bench_spark.py` — {dt.date.today()}, {platform.machine()}, {os.cpu_count()} CPUs, PySpark "
        f"{pyspark.__version__} local[2] on OpenJDK, load average before the run {load[0]:.2f}. Best of {args.repeat} "
        "after a warm-up, bare aggregation, month scan and inventory run in turn; the session starts outside the "
        "timings.", "",
        "Baseline: Spark `groupBy(meter_id, month).sum(value)` over the same files, read with the lake's schema given "
        "(as nengtan reads them, so that neither infers it), collected. nengtan: the whole "
        "annual park inventory with `NENGTAN_ENGINE=spark` (and its month scan alone). Goal: within 1.5× of the bare "
        "aggregation, and the same numbers as DuckDB.", "",
        "| lake | readings | files | bare Spark [s] | nengtan month scan [s] | whole inventory [s] | ratio | park CO2 "
        "[t] (Spark = DuckDB) |", "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| demo | {readings:,} | {len(files)} | {t_bare:.3f} | {t_scan:.3f} | {t_inv:.3f} | {t_inv / t_bare:.2f}× | "
        f"{inv.co2_t:,.2f} = {duck.co2_t:,.2f} |", "",
        "The month scan is one Spark job: a UNION ALL of up to three queries (plain Σ, register scan, the "
        "measured-wins view over partitions with estimates) where the baseline runs one plain Σ, collected to "
        "pandas through Arrow. The inventory then reads the readings of counters whose registers fell: on the "
        "driver with the embedded engine where their files are small (nengtan.lake.spark_scan.DRIVER_READ_BYTES), as "
        "on the demo lake, else a second Spark job.", ""])
    text = DOC.read_text(encoding="utf-8")
    start = text.find(SECTION)
    if start >= 0:
        end = text.find("\n## ", start + 5)
        text = text[:start] + section + ("\n" + text[end + 1:] if end >= 0 else "")
    else:
        text = text.rstrip() + "\n\n" + section
    DOC.write_text(text.rstrip() + "\n", encoding="utf-8")
    print(f"bare {t_bare:.3f} s, month scan {t_scan:.3f} s, inventory {t_inv:.3f} s, ratio {t_inv / t_bare:.2f}×; "
          f"CO2 {inv.co2_t:,.2f} t on both; wrote {DOC}")


if __name__ == "__main__":
    main()
