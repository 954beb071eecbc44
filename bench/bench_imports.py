"""File-import benchmarks (issue 9, item 22), each beside its baseline in the same run; writes the
section "## File imports (issue 9)" of docs/benchmarks.md.

* activity: a statement file of N rows (enterprises × 12 months × 8 carriers) imported by
  ``import_file`` into a fresh registry (SQLite, and PostgreSQL when it answers) vs the database's
  own bulk path for the same final rows: one ``executemany`` (SQLite) or ``COPY`` (PostgreSQL) into
  the same table (goal ≥ 100 000 rows/s);
* readings: ``nengtan import readings`` of a CSV of N readings (each import its own process, peak RSS
  from GNU time) at two sizes, to show memory does not grow with the file, vs DuckDB's
  ``COPY (SELECT * FROM read_csv(file)) TO 'x.parquet'`` of the same file, also in its own process;
* start-up: ``nengtan quarantine`` on an empty home (the cost of a CLI call before it does anything)
  vs ``python -c pass``.

    python bench/bench_imports.py [--activity-enterprises N] [--readings N] [--work DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sections import replace_section  # noqa: E402

from nengtan.identifiers import make_uscc  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
CARRIERS = [("electricity", "kWh"), ("natural_gas", "m3"), ("diesel", "t"), ("heat", "GJ"), ("coal", "t"),
            ("gasoline", "t"), ("lpg", "t"), ("green_electricity", "MWh")]


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall time [s], peak RSS [MiB] and output of one child process. The peak comes from GNU time's
    %M (a child forked from this process would otherwise count this process's pages as its own)."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    marker = "@@maxrss_kb="
    t0 = time.perf_counter()
    p = subprocess.run([gnu_time, "-f", f"{marker}%M", *args], capture_output=True, text=True,
                       env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {(p.stdout + p.stderr)[-2000:]}")
    kb = int(p.stderr.rsplit(marker, 1)[1].split()[0])
    return elapsed, kb // 1024, p.stdout + p.stderr


def nengtan(*args: str, env: dict[str, str] | None = None) -> tuple[float, int, str]:
    return run([sys.executable, "-m", "nengtan.cli.entry", *args], env)


def activity_files(work: Path, enterprises: int) -> tuple[Path, Path]:
    ents, act = work / "enterprises.csv", work / "activity.csv"
    with ents.open("w") as f:
        f.write("uscc,name,sector_code,province\n")
        f.writelines(f"{make_uscc('320115', i + 1)},企业{i},2614,江苏\n" for i in range(enterprises))
    with act.open("w") as f:
        f.write("uscc,period,carrier,quantity,unit\n")
        for i in range(enterprises):
            u = make_uscc("320115", i + 1)
            for m in range(1, 13):
                for c, unit in CARRIERS:
                    f.write(f"{u},2024-{m:02d},{c},{0.5 if c == 'green_electricity' else 1000 + i + m},{unit}\n")
    return ents, act


def bench_activity(work: Path, enterprises: int, db: str) -> dict[str, Any] | None:
    """nengtan's import vs the database's own bulk insert of the rows nengtan stored."""
    from nengtan.config import data_home
    from nengtan.ingest.files import import_file
    from nengtan.registry.store import Registry

    ents, act = activity_files(work, enterprises)
    home = data_home(work / f"act-{db}")
    if db == "sqlite":
        url = f"sqlite:///{home.home / 'registry.sqlite'}"
    else:
        try:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as c:
                c.execute("DROP DATABASE IF EXISTS nengtan_bench_activity")
                c.execute("CREATE DATABASE nengtan_bench_activity")
        except Exception as exc:  # no server: the PostgreSQL row is left out
            print(f"activity/postgresql skipped: {exc}")
            return None
        url = "postgresql+psycopg://postgres@127.0.0.1:5432/nengtan_bench_activity"
    env = {"NENGTAN_DATABASE_URL": url}
    nengtan("init", "--home", str(home.home), env=env)
    nengtan("import", "enterprises", str(ents), "--home", str(home.home), env=env)
    reg = Registry.open(url)
    import_file(reg, home, "activity", act)  # warm: the factor library and pint, as a running service has
    with reg.session(write=True) as s:  # back to an empty activity table
        s.connection().exec_driver_sql("DELETE FROM activity")
        s.connection().exec_driver_sql("DELETE FROM quarantine")
    t0 = time.perf_counter()
    res = import_file(reg, home, "activity", act)
    took = time.perf_counter() - t0
    assert res.rows_bad == 0 and res.rows_ok == res.rows_total, res.issues[:3]
    cols = ("enterprise_id, period, carrier, quantity, feedstock_quantity, feedstock_oxidised, unit, quantity_raw, "
            "unit_raw, version, active, reason, batch_id")
    with reg.session() as s:
        rows = s.connection().exec_driver_sql(f"SELECT {cols} FROM activity ORDER BY id").fetchall()
        s.connection().exec_driver_sql("SELECT 1")
    reg.close()
    rows = [tuple(r) for r in rows]
    if db == "sqlite":
        path = home.home / "registry.sqlite"
        c = sqlite3.connect(path)
        c.execute("PRAGMA journal_mode=WAL")
        c.execute("PRAGMA synchronous=FULL")
        c.execute("PRAGMA foreign_keys=ON")
        c.execute("DELETE FROM activity")
        c.commit()
        t0 = time.perf_counter()
        c.executemany(f"INSERT INTO activity ({cols}) VALUES ({', '.join('?' * 13)})", rows)
        c.commit()
        base = time.perf_counter() - t0
        c.close()
    else:
        import psycopg

        with psycopg.connect(url.replace("+psycopg", "")) as c:
            c.execute("DELETE FROM activity")
            c.commit()
            t0 = time.perf_counter()
            with c.cursor() as cur, cur.copy(f"COPY activity ({cols}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(r)
            c.commit()
            base = time.perf_counter() - t0
    print(f"activity {db}: {res.rows_total:,} rows, nengtan {took:.1f} s, bare insert {base:.1f} s", flush=True)
    return {"rows": res.rows_total, "nengtan_s": took, "base_s": base}


def readings_file(work: Path, rows: int, meters: int) -> Path:
    f = work / f"readings-{rows}.csv"
    per = -(-rows // meters)
    duckdb.sql(f"""COPY (SELECT 'R' || lpad(CAST(i AS VARCHAR), 4, '0') AS meter_id,
        strftime(TIMESTAMP '2024-01-01 00:00:00' + INTERVAL 15 MINUTE * k, '%Y-%m-%dT%H:%M:%S+08:00') AS ts,
        round(10 + (hash(i, k) % 1000) / 100.0, 2) AS value, 'kWh' AS unit
        FROM range({meters}) a(i), range({per}) b(k) WHERE i * {per} + k < {rows}) TO '{f}' (HEADER)""")
    return f


def bench_readings(work: Path, sizes: list[int], meters: int) -> list[dict[str, Any]]:
    out = []
    for n in sizes:
        home = work / f"readings-home-{n}"
        nengtan("init", "--home", str(home))
        (work / "r-ents.csv").write_text(f"uscc,name,sector_code,province\n{make_uscc('320115', 1)},E,2614,江苏\n")
        (work / "r-meters.csv").write_text("meter_id,uscc,carrier,unit,kind,interval_s\n" + "".join(
            f"R{i:04d},{make_uscc('320115', 1)},electricity,kWh,interval,900\n" for i in range(meters)))
        nengtan("import", "enterprises", str(work / "r-ents.csv"), "--home", str(home))
        nengtan("import", "meters", str(work / "r-meters.csv"), "--home", str(home))
        f = readings_file(work, n, meters)
        took, rss, text = nengtan("import", "readings", str(f), "--home", str(home))
        assert f"{n} rows imported" in text, text
        script = (f"import duckdb; duckdb.sql(\"COPY (SELECT * FROM read_csv('{f}')) TO "
                  f"'{work / 'copy.parquet'}' (FORMAT parquet)\")")
        base, base_rss, _ = run([sys.executable, "-c", script])
        print(f"readings {n:,}: nengtan {took:.1f} s {rss} MiB, duckdb COPY {base:.1f} s {base_rss} MiB", flush=True)
        out.append({"rows": n, "nengtan_s": took, "nengtan_mib": rss, "base_s": base, "base_mib": base_rss})
        shutil.rmtree(home, ignore_errors=True)
        f.unlink()
    return out


def bench_startup(work: Path) -> dict[str, float]:
    home = work / "empty-home"
    nengtan("init", "--home", str(home))
    cli = [nengtan("quarantine", "--home", str(home)) for _ in range(3)]
    bare = [run([sys.executable, "-c", "pass"]) for _ in range(3)]
    return {"cli_s": min(c[0] for c in cli), "cli_mib": min(c[1] for c in cli),
            "bare_s": min(b[0] for b in bare), "bare_mib": min(b[1] for b in bare)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--activity-enterprises", type=int, default=10_000, help="× 96 rows (12 months × 8 carriers)")
    ap.add_argument("--readings", type=int, default=10_000_000, help="the larger readings file (the other is 1/10)")
    ap.add_argument("--meters", type=int, default=1000)
    ap.add_argument("--work")
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="nengtan-bench-imports-"))
    work.mkdir(parents=True, exist_ok=True)
    load0 = os.getloadavg()[0]
    start = bench_startup(work)
    reads = bench_readings(work, [a.readings // 10, a.readings], a.meters)
    act = {db: bench_activity(work, a.activity_enterprises, db) for db in ("sqlite", "postgresql")}
    load1 = os.getloadavg()[0]
    lines = ["## File imports (issue 9)", "",
             f"Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} CPUs, {platform.platform()}, "
             f"Python {platform.python_version()}, DuckDB {duckdb.__version__}; `python bench/bench_imports.py "
             + " ".join(sys.argv[1:]) + f"`. Load average (1 min) {load0:.1f} at the start, {load1:.1f} at the end.",
             "", "### Activity statements", "",
             "A statement file of enterprises × 12 months × 8 carriers imported by `import_file` (every rule of "
             "docs/formats.md, stored rows compared, quarantine resolved, audit entry; the factor library already "
             "loaded, as in the service). Baseline = the database's own bulk insert of the same final rows into "
             "the same table with the same indexes and foreign keys: `executemany` (SQLite, WAL, synchronous=FULL) "
             "or `COPY` (PostgreSQL).", "",
             "| registry | rows | nengtan [s] | rows/s | bare insert [s] | ratio | goal ≥ 100 000 rows/s |",
             "|---|---|---|---|---|---|---|"]
    for db, r in act.items():
        if r:
            rate = r["rows"] / r["nengtan_s"]
            lines.append(f"| {db} | {r['rows']:,} | {r['nengtan_s']:.1f} | {rate:,.0f} | {r['base_s']:.1f} | "
                         f"{r['nengtan_s'] / r['base_s']:.2f} | {'met' if rate >= 100_000 else 'not met'} |")
    lines += ["", "### Readings files: memory bounded by the chunk, not the file", "",
              f"`nengtan import readings FILE` (its own process; {a.meters:,} interval meters, ISO times with offset) "
              "vs DuckDB `COPY (SELECT * FROM read_csv(FILE)) TO 'x.parquet'` in its own process. Peak RSS from "
              "GNU time (`%M`).", "",
              "| readings | nengtan [s] | readings/s | peak RSS [MiB] | DuckDB COPY [s] | its peak RSS [MiB] |",
              "|---|---|---|---|---|---|"]
    for r in reads:
        lines.append(f"| {r['rows']:,} | {r['nengtan_s']:.1f} | {r['rows'] / r['nengtan_s']:,.0f} | "
                     f"{r['nengtan_mib']:,} | {r['base_s']:.1f} | {r['base_mib']:,} |")
    lines += ["", "### Start-up of a CLI call", "",
              "| command | time [s] | peak RSS [MiB] |", "|---|---|---|",
              f"| `nengtan quarantine` (empty home) | {start['cli_s']:.2f} | {start['cli_mib']:.0f} |",
              f"| `python -c pass` | {start['bare_s']:.2f} | {start['bare_mib']:.0f} |", ""]
    replace_section("\n".join(lines) + "\n")
    print("\n".join(lines))
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
