"""Bulk loading of readings files (CSV or Parquet with columns meter, ts, value, unit[, quality]) into
the lake, validated with the same rules as live data (nengtan.ingest.validate), set-wise in DuckDB.

Meant for back-fills of 10⁷-10⁸ readings, with no per-row Python and no Arrow round-trip:

1. one DuckDB query parses the file (in parallel), joins the registry's meters and unit factors,
   applies the rules and the unit conversion and keeps the result in a DuckDB temporary table
   (row number, meter number, UTC µs, canonical value, quality, partition, reason if rejected);
2. set-wise on that table: the rejects (few) with their reasons; the (meter, ts) keys occurring twice
   in the file (first occurrence wins; a hash aggregate, empty for clean files); the keys already in
   the lake, by an anti-join against the committed files of only those partitions that hold data
   (a fresh month costs nothing);
3. one ``COPY ... TO ... (PARTITION_BY (carrier, year, month))`` streams the accepted rows into
   staged Parquet files inside the lake directory, which :meth:`nengtan.lake.store.Lake.commit_files`
   fsyncs, renames and makes visible with a single commit record (the whole file is one batch, so a
   load is all or nothing);
4. steps 2 (stored keys) and 3 run under :func:`nengtan.lake.dedupe.dedupe_lock` (parsing and checking
   do not), so the MQTT ingester, the HTTP service and bulk loads never store a key twice; live
   writers wait for the COPY and the commit (seconds per 10⁷ rows) and then catch up with the new files.

Rejected rows go to quarantine with their reason and line (CSV: line number including the header;
Parquet: row number + 1). Times without an offset are read as Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import uuid
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from nengtan.ingest import quarantine
from nengtan.ingest.validate import FUTURE_TOLERANCE_S, GRID_TOLERANCE_S, Catalog, Reject
from nengtan.lake.dedupe import dedupe_lock
from nengtan.lake.store import Lake
from nengtan.registry.store import Registry
from nengtan.units import CANONICAL_UNIT, UnitError, canonical_factor

KNOWN_UNITS = ("kWh", "MWh", "GWh", "万kWh", "万千瓦时", "千瓦时", "m3", "m³", "Nm3", "万m3", "万立方米", "立方米",
               "t", "吨", "kg", "GJ", "MJ", "百万千焦", "tce", "kgce")
SH_US = 8 * 3600 * 1_000_000


@dataclass
class BulkResult:
    rows: int
    accepted: int
    duplicate: int
    rejected: int
    commits: int
    quarantine_batch: str | None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _catalog_tables(con: duckdb.DuckDBPyConnection, cat: Catalog, units: list[str]) -> None:
    meters = list(cat.meters.values())
    con.register("cat_meters_a", pa.table({
        "mno": pa.array(range(len(meters)), pa.int32()),
        "code": [m.code for m in meters], "carrier": [m.carrier for m in meters],
        "canon_unit": [CANONICAL_UNIT[m.carrier] for m in meters],
        "kind": [m.kind for m in meters], "interval_us": pa.array([m.interval_s * 1_000_000 for m in meters],
                                                                  pa.int64()),
        "installed_us": pa.array([m.installed_us for m in meters], pa.int64()),
        "default_unit": [m.unit for m in meters]}))
    con.execute("CREATE TEMP TABLE cat_meters AS SELECT * FROM cat_meters_a")
    _catalog_tables_units(con, cat, units)


def _fits(carrier: str, unit: str) -> bool:
    try:
        canonical_factor(carrier, unit)
    except UnitError:
        return False
    return True


def _catalog_tables_units(con: duckdb.DuckDBPyConnection, cat: Catalog, units: list[str]) -> None:
    meters = list(cat.meters.values())
    rows = []
    for carrier in {m.carrier for m in meters}:
        for u in units:
            try:
                rows.append((carrier, u, canonical_factor(carrier, u)))
            except UnitError:
                continue
    con.register("cat_units_a", pa.table({"carrier": [r[0] for r in rows], "unit": [r[1] for r in rows],
                                          "factor": pa.array([r[2] for r in rows], pa.float64())}))
    con.execute("CREATE TEMP TABLE cat_units AS SELECT * FROM cat_units_a")


def _staged(stage: Path) -> list[tuple[Path, str, int, int]]:
    """Files DuckDB wrote under ``stage/carrier=../year=../month=../`` with their partition."""
    out = []
    for f in sorted(stage.rglob("*.parquet")):
        parts = dict(p.split("=", 1) for p in f.relative_to(stage).parts[:-1])
        out.append((f, parts["carrier"], int(parts["year"]), int(parts["month"])))
    return out


def load_file(registry: Registry, lake: Lake, path: str | Path, catalog: Catalog | None = None,
              threads: int | None = None, **_ignored: object) -> BulkResult:
    """Validate and store a readings file as one lake batch; returns the counts."""
    path = Path(path)
    timings: dict[str, float] = {}
    t_mark = time.perf_counter()

    def mark(stage: str) -> None:
        nonlocal t_mark
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - t_mark
        t_mark = now

    cat = catalog or Catalog.load(registry)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Asia/Shanghai'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    is_pq = path.suffix.lower() == ".parquet"
    src = (f"read_parquet({_q(str(path))}, file_row_number = true)" if is_pq
           else f"read_csv({_q(str(path))}, header = true, all_varchar = true)")
    cols = [c[0] for c in con.sql(f"DESCRIBE SELECT * FROM {src}").fetchall()]
    missing = [c for c in ("meter", "ts", "value") if c not in cols]
    if missing:
        raise ValueError(f"{path.name}: lacks column {', '.join(missing)}; expected meter,ts,value,unit[,quality]")
    units = ([r[0] for r in con.sql(f"SELECT DISTINCT CAST(unit AS VARCHAR) FROM {src} WHERE unit IS NOT NULL")
              .fetchall()] if "unit" in cols and is_pq else [])  # CSV: unknown units fall out as rejects
    _catalog_tables(con, cat, sorted(set(units) | set(KNOWN_UNITS) | {m.unit for m in cat.meters.values()}))
    unit_expr = "coalesce(CAST(r.unit AS VARCHAR), c.default_unit)" if "unit" in cols else "c.default_unit"
    q_expr = "coalesce(CAST(r.quality AS VARCHAR), 'ok')" if "quality" in cols else "'ok'"
    rn_expr = "r.file_row_number + 1" if is_pq else "row_number() OVER ()"
    ts_type = con.sql(f"SELECT typeof(ts) FROM {src} LIMIT 1").fetchall()
    ts_is_time = bool(ts_type) and str(ts_type[0][0]).startswith("TIMESTAMP")
    t_expr = ("epoch_us(CAST(r.ts AS TIMESTAMPTZ))" if ts_is_time
              else "epoch_us(TRY_CAST(CAST(r.ts AS VARCHAR) AS TIMESTAMPTZ))")
    mark("setup")
    # 1. parse, check, convert: one pass over the file into a temporary table
    con.execute(_chk_sql(src, rn_expr, t_expr, q_expr, unit_expr))
    if not is_pq:  # units outside the usual list are rare: look them up only when rows were refused for one
        odd = {str(u) for (u,) in con.sql("SELECT DISTINCT unit_raw FROM chk WHERE reason LIKE 'unit %' "
                                          "AND unit_raw IS NOT NULL").fetchall()}
        fits = sorted(u for u in odd if any(_fits(c, u) for c in {m.carrier for m in cat.meters.values()}))
        if fits:
            con.execute("DROP TABLE chk")
            con.execute("DROP TABLE cat_units")
            _catalog_tables_units(con, cat, sorted(set(KNOWN_UNITS) | {m.unit for m in cat.meters.values()}
                                                   | set(fits)))
            con.execute(_chk_sql(src, rn_expr, t_expr, q_expr, unit_expr))
    mark("parse_check")
    n_rows, n_good = con.sql("SELECT count(*), count(*) FILTER (reason IS NULL) FROM chk").fetchall()[0]
    rej = con.sql("SELECT rn, meter_raw, value_raw, ts_raw, unit_raw, reason FROM chk WHERE reason IS NOT NULL "
                  "ORDER BY rn").fetchall()
    mark("rejects")
    # 2. duplicates inside the file: (meter, ts) seen before (estimates have their own key space)
    con.execute("CREATE TEMP TABLE dropped (rn BIGINT)")
    dup_keys = con.sql("SELECT count(*) FROM (SELECT mno, t, quality = 'estimated' AS e FROM chk "
                       "WHERE reason IS NULL GROUP BY ALL HAVING count(*) > 1)").fetchall()[0][0]
    if dup_keys:
        con.execute("""INSERT INTO dropped SELECT rn FROM (
            SELECT rn, row_number() OVER (PARTITION BY mno, t, quality = 'estimated' ORDER BY rn) AS k FROM chk
            WHERE reason IS NULL AND (mno, t, quality = 'estimated') IN (
                SELECT (mno, t, quality = 'estimated') FROM chk WHERE reason IS NULL
                GROUP BY ALL HAVING count(*) > 1)) WHERE k > 1""")
    mark("dedupe_file")
    file_key = hashlib.sha256(f"{path.resolve()}|{path.stat().st_size}|{path.stat().st_mtime_ns}".encode()).hexdigest()
    batch_id = f"bulk-{file_key[:24]}"
    parts = {(str(c), int(y), int(m)) for c, y, m in con.sql(
        "SELECT DISTINCT c.carrier, y, m FROM chk JOIN cat_meters c USING (mno) WHERE reason IS NULL").fetchall()}
    stage = lake.dir / f"_staging-{uuid.uuid4().hex}"
    accepted = duplicate = commits = 0
    try:
        with dedupe_lock(lake):
            # 3. keys already stored, only in partitions that hold data
            snapshot = _part_files(lake, parts)
            if snapshot:
                _drop_stored(con, snapshot)
            mark("dedupe_lake")
            duplicate = int(con.sql("SELECT count(DISTINCT rn) FROM dropped").fetchall()[0][0])
            accepted = int(n_good) - duplicate
            if accepted:
                anti = "ANTI JOIN dropped d ON d.rn = k.rn" if duplicate else ""
                con.execute("SET preserve_insertion_order = false")
                con.execute(f"""
                    COPY (SELECT c.code AS meter_id, make_timestamptz(k.t) AS ts, k.value, c.canon_unit AS unit,
                                 k.quality, {_q(batch_id)} AS batch, c.carrier, k.y AS year, k.m AS month
                          FROM chk k JOIN cat_meters c USING (mno) {anti} WHERE k.reason IS NULL)
                    TO {_q(str(stage))} (FORMAT parquet, PARTITION_BY (carrier, year, month), COMPRESSION zstd,
                                         ROW_GROUP_SIZE 1048576)""")
                mark("write")
                res = lake.commit_files(_staged(stage), batch_id, {"source": str(path), "rows": int(n_rows)})
                if res.duplicate:  # this very file was loaded before
                    duplicate, accepted = int(n_good), 0
                else:
                    commits = 1
                mark("commit")
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        con.close()
    qb = quarantine.record(registry, "bulk", str(path), file_key.encode(),
                           [Reject(int(rn) + (0 if is_pq else 1), "", str(reason),
                                   {"meter": m, "ts": ts, "value": v, "unit": u})
                            for rn, m, v, ts, u, reason in rej],
                           quarantine.Counts(int(n_rows), accepted, duplicate, len(rej)))
    mark("quarantine")
    return BulkResult(int(n_rows), accepted, duplicate, len(rej), commits, qb, timings)


def _chk_sql(src: str, rn_expr: str, t_expr: str, q_expr: str, unit_expr: str) -> str:
    now_us = int(dt.datetime.now(dt.UTC).timestamp() * 1_000_000)
    reason = f"""CASE
        WHEN carrier IS NULL THEN 'unknown meter ''' || coalesce(meter_s, '') || ''''
        WHEN v IS NULL OR isinf(v) OR isnan(v)
             THEN 'value ''' || coalesce(CAST(value_src AS VARCHAR), '') || ''' is not a finite number'
        WHEN factor IS NULL THEN 'unit ''' || coalesce(unit_in, '') || ''' does not fit ' || carrier
        WHEN t IS NULL THEN 'timestamp ''' || coalesce(CAST(ts_src AS VARCHAR), '') || ''' is not ISO 8601'
        WHEN t < 946684800000000 THEN 'timestamp ' || CAST(ts_src AS VARCHAR) || ' is before 2000-01-01'
        WHEN t > {now_us + FUTURE_TOLERANCE_S * 1_000_000}
             THEN 'timestamp ' || CAST(ts_src AS VARCHAR) || ' is in the future'
        WHEN installed_us IS NOT NULL AND t < installed_us
             THEN 'timestamp ' || CAST(ts_src AS VARCHAR) || ' is before the meter was installed'
        WHEN q NOT IN ('ok', 'estimated', 'suspect') THEN 'unknown quality ''' || q || ''''
        END"""
    step_off = "((t + 28800000000) % interval_us)"
    return f"""
        CREATE TEMP TABLE chk AS
        SELECT rn, mno, t, CASE WHEN reason IS NULL THEN v * factor END AS value,
               CASE WHEN reason IS NOT NULL THEN NULL
                    WHEN q = 'ok' AND (least({step_off}, interval_us - {step_off}) > {GRID_TOLERANCE_S * 1_000_000}
                                       OR (v < 0 AND kind <> 'counter')) THEN 'suspect' ELSE q END AS quality,
               CAST(year(make_timestamp(t + {SH_US})) AS SMALLINT) AS y,
               CAST(month(make_timestamp(t + {SH_US})) AS TINYINT) AS m,
               reason,
               CASE WHEN reason IS NOT NULL THEN meter_s END AS meter_raw,
               CASE WHEN reason IS NOT NULL THEN CAST(value_src AS VARCHAR) END AS value_raw,
               CASE WHEN reason IS NOT NULL THEN CAST(ts_src AS VARCHAR) END AS ts_raw,
               CASE WHEN reason IS NOT NULL THEN unit_in END AS unit_raw
        FROM (
            SELECT *, {reason} AS reason FROM (
                SELECT {rn_expr} AS rn, CAST(r.meter AS VARCHAR) AS meter_s, c.mno, c.kind, c.interval_us,
                       u.factor, {unit_expr} AS unit_in, TRY_CAST(r.value AS DOUBLE) AS v, {t_expr} AS t,
                       {q_expr} AS q, r.value AS value_src, r.ts AS ts_src, c.carrier, c.installed_us
                FROM {src} r
                LEFT JOIN cat_meters c ON c.code = CAST(r.meter AS VARCHAR)
                LEFT JOIN cat_units u ON u.carrier = c.carrier AND u.unit = {unit_expr}))"""


def _part_files(lake: Lake, parts: set[tuple[str, int, int]]) -> list[str]:
    info = lake.file_info()
    return [str(lake.dir / rel) for rel, meta in info.items()
            if (str(meta["carrier"]), int(str(meta["year"])), int(str(meta["month"]))) in parts]


def _drop_stored(con: duckdb.DuckDBPyConnection, files: list[str]) -> None:
    """Mark rows whose (meter, ts) a committed file already holds as measured."""
    flist = ", ".join(_q(f) for f in files)
    con.execute(f"""
        INSERT INTO dropped
        SELECT k.rn FROM chk k
        SEMI JOIN (SELECT c.mno, epoch_us(s.ts) AS t FROM read_parquet([{flist}]) s
                   JOIN cat_meters c ON c.code = s.meter_id WHERE s.quality <> 'estimated') s
             ON s.mno = k.mno AND s.t = k.t
        WHERE k.reason IS NULL""")
