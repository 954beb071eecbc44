"""Benchmark: a synthetic province (nengtan.demo_province; 50 000 enterprises in Jiangsu's 13 cities) at 10⁸ readings
(and at 10⁹ with --with-1e9), each baseline in the same run:

* the annual inventory on DuckDB against a bare DuckDB ``SELECT meter_id, month, SUM(value) … GROUP BY`` over the same
  files; the first inventory of the process (the registry read) and the best of N (the registry's frames held per
  registry version, the lake scanned every time);
* the same on Spark local[2] against a bare Spark aggregation of the same files (--spark), with the same numbers as
  DuckDB;
* the province-wide monthly warning run for the 50 000 enterprises (park targets, the budget's lines, sectors and
  every enterprise): from a fresh process's stores, and given the year's ledger.

The provinces are generated once into bench/data/province-1e8 and province-1e9 and kept. Writes the section
"## Province scale (issue 14)" of docs/benchmarks.md.  Usage: python bench/bench_province.py [--with-1e9] [--spark]
[--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_inventory import best_interleaved
from sections import publish, run_line

from nengtan.config import data_home, database_url
from nengtan.demo_province import ProvinceSize, build_province
from nengtan.engine.ledgers import inventory
from nengtan.lake import Lake
from nengtan.lake.scan import DUCKDB
from nengtan.registry.store import Registry

DATA = Path(__file__).resolve().parent / "data"
SIZES = {"1e8": ProvinceSize(enterprises=50_000, metered=2_854), "1e9": ProvinceSize(enterprises=50_000,
                                                                                      metered=28_540)}


def ensure(name: str) -> tuple[Registry, Lake, int, float]:
    """The province's registry and lake (generated once), its readings and the generation time (0 if cached)."""
    paths = data_home(DATA / f"province-{name}")
    marker = paths.home / ".province-built"
    if not marker.exists() and paths.home.exists():
        shutil.rmtree(paths.home)  # an interrupted build: start again
    reg = Registry.open(database_url(paths))
    lake = Lake(paths.lake)
    took = 0.0
    if not marker.exists():
        print(f"generating province {name}…", flush=True)
        t = time.perf_counter()
        truth = build_province(paths, reg, lake, SIZES[name])
        took = time.perf_counter() - t
        marker.write_text(f"{truth.readings}\n{took:.1f}\n")
        print(f"  {truth.readings:,} readings in {truth.files} files, {took:.0f} s", flush=True)
    lines = marker.read_text().split()
    return reg, lake, int(lines[0]), float(lines[1]) if len(lines) > 1 else took


def duck_row(name: str, repeat: int) -> dict[str, Any]:
    from nengtan.registry import frames

    reg, lake, readings, gen = ensure(name)
    files = lake.files(years=[2025])
    con = duckdb.connect()

    def bare() -> None:
        con.execute("SELECT meter_id, month, SUM(value) FROM read_parquet($f, hive_partitioning = true) "
                    "GROUP BY meter_id, month", {"f": files}).fetchall()

    frames._FRAMES.clear()
    t = time.perf_counter()
    first = inventory(reg, lake, 2025)
    t_first = time.perf_counter() - t
    t_bare, t_scan, t_inv = best_interleaved([bare, lambda: DUCKDB.month_scan(lake, 2025),
                                              lambda: inventory(reg, lake, 2025)], repeat)
    return {"lake": name, "readings": readings, "files": len(files), "gen": gen, "bare": t_bare, "scan": t_scan,
            "first": t_first, "inv": t_inv, "co2": first.co2_t, "enterprises": first.enterprises, "reg": reg,
            "lake_obj": lake}


def spark_row(row: dict[str, Any], repeat: int) -> dict[str, Any]:
    from nengtan.lake.spark_scan import LAKE_SCHEMA, spark_scan

    reg, lake = row["reg"], row["lake_obj"]
    files = lake.files(years=[2025])
    spark = spark_scan("local[2]")
    session = spark.spark

    def bare() -> None:
        session.read.schema(LAKE_SCHEMA).option("basePath", str(lake.dir)).parquet(*files).groupBy(
            "meter_id", "month").sum("value").collect()

    os.environ["NENGTAN_ENGINE"] = "spark"
    try:
        t_bare, t_inv = best_interleaved([bare, lambda: inventory(reg, lake, 2025)], repeat)
        co2 = inventory(reg, lake, 2025).co2_t
    finally:
        os.environ["NENGTAN_ENGINE"] = "duckdb"
    assert abs(co2 - row["co2"]) <= 1e-9 * row["co2"], (co2, row["co2"])
    return {"bare": t_bare, "inv": t_inv, "co2": co2}


def warnings_row(row: dict[str, Any]) -> dict[str, Any]:
    from nengtan.engine.stores import LocalStores
    from nengtan.engine.targets import allocate_budget, allocation, warning_run
    from nengtan.engine.years import year_data
    from nengtan.registry import frames
    from nengtan.targets.warnings import run_warnings

    reg, lake = row["reg"], row["lake_obj"]
    if allocation(LocalStores(reg, lake), 2025) is None:
        allocate_budget(LocalStores(reg, lake), 2025, "hybrid", "bench")
    frames._FRAMES.clear()
    stores = LocalStores(reg, lake)
    t = time.perf_counter()
    run = warning_run(stores, 2025)
    t_full = time.perf_counter() - t
    d = year_data(stores, 2025)
    al = allocation(stores, 2025)
    assert d is not None
    t = time.perf_counter()
    run_warnings(d.ledger, d.economics, 2025, run["month"], allocation=al.table, targets=[], base_levels={},
                 history_ledger=None, history_economics=None, park_budget_t=al.budget_t)
    t_only = time.perf_counter() - t
    counts = run["frame"]["status"].value_counts().to_dict()
    n = int((run["frame"]["level"] == "enterprise").sum())
    return {"full": t_full, "only": t_only, "enterprises": n, "counts": counts}


def many_files_row(repeat: int, meters: int = 834) -> dict[str, Any]:
    """A lake of 10⁴ small files (one meter-month each, as live ingestion leaves them before compaction): the bare
    scan and nengtan's month scan over them, then compaction (nengtan.lake.compaction.Compactor) and the same
    scans again."""
    import pyarrow.parquet as pq

    from nengtan.demo_province import _shard_table
    from nengtan.lake.compaction import Compactor

    root = DATA / "lake-1e4-files"
    marker = root / ".built"
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        lake = Lake(root)
        staging = lake.dir / ".staging"
        staging.mkdir(parents=True, exist_ok=True)
        staged = []
        for month in range(1, 13):
            for m in range(meters):
                path = staging / f"{month:02d}-{m:04d}.parquet"
                pq.write_table(_shard_table(2025, month, m, m + 1, 14, "live"), path, compression="zstd")
                staged.append((path, "electricity", 2025, month, {"kind": "interval", "estimated": 0, "negative": 0}))
        lake.commit_files(staged, "many-files", {"source": "bench"})
        marker.write_text("built\n")
    lake = Lake(root)
    files = lake.files(years=[2025])
    con = duckdb.connect()

    def bare() -> None:
        con.execute("SELECT meter_id, month, SUM(value) FROM read_parquet($f, hive_partitioning = true) "
                    "GROUP BY meter_id, month", {"f": lake.files(years=[2025])}).fetchall()

    def scan() -> None:
        DUCKDB.month_scan(lake, 2025)

    before = dict(zip(("bare", "scan"), best_interleaved([bare, scan], repeat), strict=True), files=len(files))
    total_before = float(DUCKDB.month_scan(lake, 2025)["total"].sum())
    t = time.perf_counter()
    done = Compactor(lake).run_once()
    t_compact = time.perf_counter() - t
    after = dict(zip(("bare", "scan"), best_interleaved([bare, scan], repeat), strict=True),
                 files=len(lake.files(years=[2025])))
    total_after = float(DUCKDB.month_scan(lake, 2025)["total"].sum())
    assert abs(total_after - total_before) <= 1e-9 * total_before, (total_before, total_after)
    rows = int(sum(c.rows for c in done))
    shutil.rmtree(root)  # the next run measures the uncompacted lake again
    return {"before": before, "after": after, "compact": t_compact, "compactions": len(done), "rows": rows}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--with-1e9", action="store_true", help="also the 10⁹-reading province (generated once)")
    ap.add_argument("--spark", action="store_true", help="also the Spark back-end")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    load = os.getloadavg()
    rows = [duck_row("1e8", args.repeat)]
    if args.with_1e9:
        rows.append(duck_row("1e9", args.repeat))
    sparks = [spark_row(r, args.repeat) for r in rows] if args.spark else []
    warn = warnings_row(rows[0])
    many = many_files_row(args.repeat)
    lines = [
        "## Province scale (issue 14)", "",
        f"{run_line()}, DuckDB {duckdb.__version__}; `python bench/bench_province.py"
        f"{' --with-1e9' if args.with_1e9 else ''}{' --spark' if args.spark else ''}`. Load average before the run "
        f"{load[0]:.2f}. Best of {args.repeat} after a warm-up, the baseline and nengtan run in turn, except "
        "\"first\" (the process's first inventory, reading the registry).", "",
        "Synthetic province (`nengtan region generate-province`, nengtan.demo_province): 50 000 enterprises in 52 "
        "parks of Jiangsu's 13 cities; the metered ones have a 15-minute main meter, the rest monthly statements "
        "(about 8 × 10⁵ statement rows and 6 × 10⁵ economic rows in the registry, SQLite). Baseline: DuckDB "
        "`SELECT meter_id, month, SUM(value) … GROUP BY meter_id, month` over the same files. Goal: ≤ 1.5×.", "",
        "| province | readings | files | generated in [s] | bare scan [s] | nengtan lake scan [s] | "
        "first inventory [s] | inventory [s] | ratio | CO2 [t] |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['lake']} | {r['readings']:,} | {r['files']} | {r['gen']:.0f} | {r['bare']:.2f} | "
                     f"{r['scan']:.2f} | {r['first']:.2f} | {r['inv']:.2f} | {r['inv'] / r['bare']:.2f}× | "
                     f"{r['co2']:,.2f} |")
    if sparks:
        lines += ["", "Spark local[2] (the same files; baseline: `groupBy(meter_id, month).sum(value)`, collected):",
                  "",
                  "| province | bare Spark [s] | inventory on Spark [s] | ratio | CO2 [t] (Spark = DuckDB) |",
                  "|---|---:|---:|---:|---:|"]
        for r, s in zip(rows, sparks, strict=True):
            lines.append(f"| {r['lake']} | {s['bare']:.2f} | {s['inv']:.2f} | {s['inv'] / s['bare']:.2f}× | "
                         f"{s['co2']:,.2f} = {r['co2']:,.2f} |")
    c = warn["counts"]
    lines += ["", f"Monthly warning run, {warn['enterprises']:,} enterprise budgets (province 1e8, the budget "
              "allocated by the hybrid method; no earlier years, so calendar-day profiles): **"
              f"{warn['full']:.1f} s** from a fresh process's stores (the year's ledger included; goal < 30 s), "
              f"{warn['only']:.1f} s given the ledger. Result: red {c.get('red', 0):,}, yellow {c.get('yellow', 0):,}, "
              f"green {c.get('green', 0):,}.", ""]
    b, a = many["before"], many["after"]
    lines += ["Many small files (lake of one file per meter and month, as live ingestion leaves them; "
              f"{many['rows']:,} readings): before and after one compaction pass "
              f"({many['compactions']} partitions merged in {many['compact']:.1f} s, each into one file sorted by "
              "meter and time with 2²⁰-row groups):", "",
              "| files | bare scan [s] | nengtan lake scan [s] |", "|---:|---:|---:|",
              f"| {b['files']:,} | {b['bare']:.2f} | {b['scan']:.2f} |",
              f"| {a['files']:,} | {a['bare']:.2f} | {a['scan']:.2f} |", ""]
    publish(lines)


if __name__ == "__main__":
    main()
