"""Bulk loading of readings files (CSV or Parquet with columns meter, ts, value, unit[, quality]) into
the lake, validated with the same rules as live data (nengtan.ingest.validate), set-wise in DuckDB.

Meant for back-fills of 10⁷-10⁸ readings, with no per-row Python and no Arrow round-trip:

1. one DuckDB query parses the file (in parallel), joins a (meter, unit) → factor table once,
   applies the rules and the unit conversion and keeps the result in a DuckDB temporary table ``chk``
   (meter, UTC µs, canonical value, quality, partition; for rejected rows one list column ``rej`` =
   [reason, meter, value, ts, unit, quality] as text, so accepted rows carry no reject columns). Rows
   no (meter, unit) pair matched (few) get their precise reason in a second, small query;
2. set-wise on that table: the rejects with their reasons; (meter, ts) keys occurring twice in the
   file, proved absent without hashing every key (per-meter slot bitmaps, ``bitstring_agg``; first
   occurrence wins when there are some); keys already in the lake, by a semi-join against the committed
   files of only those partitions that already hold data (a fresh month costs nothing);
3. one ``COPY (...) TO`` per partition streams the accepted rows into Parquet files staged inside the
   lake directory (DuckDB's ``PARTITION_BY`` measured ~40 % slower for the few partitions a file
   spans), which :meth:`nengtan.lake.store.Lake.commit_files` fsyncs, renames and makes visible with
   one commit record: the whole file is one batch, a load is all or nothing;
4. steps 2 (stored keys) and 3 run under :func:`nengtan.lake.dedupe.dedupe_lock` (parsing and checking
   do not), so the MQTT ingester, the HTTP service and bulk loads never store a key twice; live
   writers wait for the COPY and the commit (seconds per 10⁷ rows) and then catch up with the new files.

Rejected rows go to quarantine with their reason and position (CSV: line number counting the header,
for files without quoted line breaks; Parquet: row number from 1). Parquet gives positions for free
(``file_row_number``); for CSV a row-numbering window would serialise DuckDB's parallel parse (measured
~2x), so a clean CSV is read once and one with rejects or repeated keys a second time, numbered.
Times without an offset are read as Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from nengtan.calendar import PARK_OFFSET_US, PARK_TZ_NAME
from nengtan.ingest import quarantine
from nengtan.ingest.fields import number_problem_sql, number_sql
from nengtan.ingest.validate import (
    FUTURE_TOLERANCE_S,
    GRID_TOLERANCE_S,
    LOCKED_WHY,
    Catalog,
    Reject,
    conflict_reason,
)
from nengtan.lake.dedupe import SAME_VALUE_REL, dedupe_lock
from nengtan.lake.store import Lake
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.units import CANONICAL_UNIT, UnitError, canonical_factor

COMPRESSION = "snappy"  # DuckDB's default (and the baseline's); zstd writes slower, readers accept either
KNOWN_UNITS = ("kWh", "MWh", "GWh", "万kWh", "万千瓦时", "千瓦时", "m3", "m³", "Nm3", "万m3", "万立方米", "立方米",
               "t", "吨", "kg", "GJ", "MJ", "百万千焦", "tce", "kgce")
SH_US = PARK_OFFSET_US
BITMAP_LIMIT_BITS = 1 << 31  # per-meter slot bitmaps (256 MiB) up to which duplicates are found without hashing


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
        "default_unit": [m.unit for m in meters],
        "locked": pa.array([list(cat.locked.get(m.enterprise_id, {}).items()) for m in meters],
                           pa.map_(pa.int64(), pa.string()))}))
    con.execute("CREATE TEMP TABLE cat_meters AS SELECT * FROM cat_meters_a")
    # ENUM-typed codes: DuckDB writes an ENUM column to Parquet as a dictionary without hashing every
    # value, which measured ~25 % faster for the few-valued string columns of a lake file
    con.execute("CREATE TYPE meter_code AS ENUM (SELECT code FROM cat_meters ORDER BY mno)" if meters
                else "CREATE TYPE meter_code AS ENUM ('')")
    con.execute("CREATE TYPE quality_code AS ENUM ('ok', 'estimated', 'suspect')")
    carriers = sorted({m.carrier for m in meters}) or [""]
    con.execute(f"CREATE TYPE carrier_code AS ENUM ({', '.join(_q(c) for c in carriers)})")
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
    # (meter, unit) pairs with their factor, '' standing for "no unit given: the meter's own"
    con.execute("""CREATE OR REPLACE TEMP TABLE cat_mu AS
        SELECT m.*, CAST(m.code AS meter_code) AS code_e, CAST(m.carrier AS carrier_code) AS carrier_e,
               u.unit AS unit_key, u.factor
        FROM cat_meters m JOIN cat_units u ON u.carrier = m.carrier
        UNION ALL
        SELECT m.*, CAST(m.code AS meter_code) AS code_e, CAST(m.carrier AS carrier_code) AS carrier_e,
               '' AS unit_key, u.factor FROM cat_meters m JOIN cat_units u
            ON u.carrier = m.carrier AND u.unit = m.default_unit""")


def load_file(registry: Registry, lake: Lake, path: str | Path, catalog: Catalog | None = None,
              threads: int | None = None, chunk_rows: int | None = None) -> BulkResult:
    """Validate and store a readings file as one lake batch; returns the counts. (`chunk_rows` is
    accepted for callers of the former chunked loader and ignored: a file is one batch now.)"""
    path = Path(path)
    timings: dict[str, float] = {}
    t_mark = time.perf_counter()

    def mark(stage: str) -> None:
        nonlocal t_mark
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - t_mark
        t_mark = now

    if catalog is not None:
        catalog.refresh_locks(registry)  # a caller's catalog may predate a sign-off (Catalog.load reads them)
    cat = catalog or Catalog.load(registry)
    con = duckdb.connect()
    con.execute(f"SET TimeZone = '{PARK_TZ_NAME}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    is_pq = path.suffix.lower() == ".parquet"
    src = (f"read_parquet({_q(str(path))})" if is_pq
           else f"read_csv({_q(str(path))}, header = true, all_varchar = true)")
    rel = con.sql(f"SELECT * FROM {src}")  # binds (CSV: sniffs) once, reads nothing
    cols, types = list(rel.columns), [str(t) for t in rel.types]
    missing = [c for c in ("meter", "ts", "value") if c not in cols]
    if missing:
        raise ValueError(f"{path.name}: lacks column {', '.join(missing)}; expected meter,ts,value,unit[,quality]")
    _catalog_tables(con, cat, sorted(set(KNOWN_UNITS) | {m.unit for m in cat.meters.values()}))
    unit_col = "CAST(r.unit AS VARCHAR)" if "unit" in cols else "CAST(NULL AS VARCHAR)"
    q_expr = "coalesce(CAST(r.quality AS VARCHAR), 'ok')" if "quality" in cols else "'ok'"
    ts_is_time = types[cols.index("ts")].startswith("TIMESTAMP")
    t_expr = ("epoch_us(CAST(r.ts AS TIMESTAMPTZ))" if ts_is_time
              else "epoch_us(TRY_CAST(CAST(r.ts AS VARCHAR) AS TIMESTAMPTZ))")
    mark("setup")
    # 1. parse, check, convert: one pass over the file into a temporary table. File order: Parquet
    # has file_row_number; for CSV a row-numbering window would serialise the parse (measured 2x), so
    # the first pass has none and a second, numbered pass runs only if rejects or duplicates need it
    order = "r.file_row_number + 1" if is_pq else "CAST(NULL AS BIGINT)"
    src_1 = f"read_parquet({_q(str(path))}, file_row_number = true)" if is_pq else src

    def build(source: str, rn_expr: str) -> None:
        con.execute("DROP TABLE IF EXISTS chk")
        con.execute(_chk_sql(source, rn_expr, t_expr, q_expr, unit_col))
        _resolve_unmatched(con)

    build(src_1, order)
    # units outside the usual list are rare: look them up only when rows were refused for one
    odd = {str(u) for (u,) in con.sql("SELECT DISTINCT rej[5] FROM chk WHERE rej[1] LIKE 'unit %' "
                                      "AND rej[5] IS NOT NULL").fetchall()}
    fits = sorted(u for u in odd if any(_fits(c, u) for c in {m.carrier for m in cat.meters.values()}))
    if fits:
        con.execute("DROP TABLE cat_units")
        _catalog_tables_units(con, cat, sorted(set(KNOWN_UNITS) | {m.unit for m in cat.meters.values()}
                                               | set(fits)))
        build(src_1, order)
    mark("parse_check")
    n_rows = int(con.sql("SELECT count(*) FROM chk").fetchall()[0][0])
    # one pass over the accepted rows for the partitions (one lake file per carrier, month and meter kind,
    # with its kind and estimate count as Lake.write_batch records them; the count is an upper bound when
    # rows are later dropped as duplicates) and the span of on-grid times the duplicate check needs
    stats = con.sql(f"""SELECT carrier, y, m, kc, count(*), count(*) FILTER (WHERE quality = 'estimated'),
                               min(t) FILTER (WHERE {GRID}), max(t) FILTER (WHERE {GRID}),
                               min(interval_us) FILTER (WHERE {GRID})
                        FROM chk WHERE rej IS NULL GROUP BY ALL""").fetchall()
    parts = sorted((str(r[0]), int(r[1]), int(r[2]), int(r[3]), int(r[5])) for r in stats)
    n_good = sum(int(r[4]) for r in stats)
    on_grid = [r for r in stats if r[6] is not None]
    span = ((min(int(r[6]) for r in on_grid), max(int(r[7]) for r in on_grid), min(int(r[8]) for r in on_grid))
            if on_grid else None)
    # 2. duplicates inside the file: (meter, ts) seen before (estimates have their own key space)
    dup_meters = _meters_with_duplicates(con, span, len(cat.meters)) if n_good > 1 else []
    mark("dedupe_file")
    if not is_pq and (n_rows > n_good or dup_meters is None or dup_meters):
        build(f"(SELECT row_number() OVER () AS _line, * FROM {src})", "r._line + 1")  # + 1: the header
        mark("line_numbers")
    rej = con.sql("SELECT rn, rej[2], rej[3], rej[4], rej[5], rej[1] FROM chk WHERE rej IS NOT NULL "
                  "ORDER BY rn").fetchall()
    mark("rejects")
    # rows not stored: `other` NULL for a duplicate (same value), else the value it differs from
    con.execute("CREATE TEMP TABLE dropped (rid BIGINT, other DOUBLE, stored BOOLEAN)")
    if dup_meters is None or dup_meters:  # first occurrence (in file order) wins
        only = "" if dup_meters is None else f"AND mno IN ({', '.join(map(str, dup_meters))})"
        con.execute(f"""INSERT INTO dropped SELECT rid, CASE WHEN NOT ({_SAME.format(a="value", b="v0")})
                                                              AND quality <> 'estimated' THEN v0 END, false FROM (
            SELECT rowid AS rid, value, quality,
                   row_number() OVER w AS k, first_value(value) OVER w AS v0
            FROM chk WHERE rej IS NULL {only}
            WINDOW w AS (PARTITION BY mno, t, quality = 'estimated' ORDER BY rn)) WHERE k > 1""")
    mark("dedupe_file")
    file_key = hashlib.sha256(f"{path.resolve()}|{path.stat().st_size}|{path.stat().st_mtime_ns}".encode()).hexdigest()
    batch_id = f"bulk-{file_key[:24]}"
    stage = lake.dir / f"_staging-{uuid.uuid4().hex}"
    accepted = duplicate = commits = n_conflicts = 0
    conflicts: list[Reject] = []
    try:
        with dedupe_lock(lake):
            # 3. keys already stored, only in partitions that hold data
            snapshot = _part_files(lake, {p[:3] for p in parts})
            if snapshot:
                _drop_stored(con, snapshot)
            mark("dedupe_lake")
            duplicate, n_conflicts = (int(x) for x in con.sql(
                "SELECT count(DISTINCT rid) FILTER (WHERE other IS NULL), count(DISTINCT rid) FILTER "
                "(WHERE other IS NOT NULL) FROM dropped").fetchall()[0])
            accepted = int(n_good) - duplicate - n_conflicts
            if accepted:
                # 4. one COPY per partition straight from the checked rows (DuckDB's PARTITION_BY buffers
                # and re-partitions, measurably slower for the few partitions a file spans)
                anti = "ANTI JOIN dropped d ON d.rid = k.rowid" if duplicate or n_conflicts else ""
                con.execute("SET preserve_insertion_order = false")
                lits = sorted({CANONICAL_UNIT[p[0]] for p in parts} | {batch_id})
                con.execute(f"CREATE TYPE lit_code AS ENUM ({', '.join(_q(x) for x in lits)})")
                staged: list[tuple[Path, str, int, int, dict[str, object]]] = []
                for n, (carrier, y, m, kc, est) in enumerate(parts):
                    out = stage / f"carrier={carrier}" / f"year={y}" / f"month={m}" / f"data-{n}.parquet"
                    out.parent.mkdir(parents=True, exist_ok=True)
                    con.execute(f"""
                        COPY (SELECT k.meter_e AS meter_id, make_timestamptz(k.t) AS ts, k.value,
                                     CAST({_q(CANONICAL_UNIT[carrier])} AS lit_code) AS unit,
                                     CAST(k.quality AS quality_code) AS quality,
                                     CAST({_q(batch_id)} AS lit_code) AS batch
                              FROM chk k {anti}
                              WHERE k.rej IS NULL AND k.carrier = {_q(carrier)} AND k.y = {y} AND k.m = {m}
                                    AND k.kc = {kc})
                        TO {_q(str(out))} (FORMAT parquet, COMPRESSION {COMPRESSION})""")
                    if pq.read_metadata(out).num_rows:
                        kind = {1: "interval", 2: "counter"}.get(kc)
                        staged.append((out, carrier, y, m, {"kind": kind, "estimated": est}))
                    else:
                        out.unlink()
                mark("write")
                res = lake.commit_files(staged, batch_id, {"source": str(path), "rows": int(n_rows)})
                if res.duplicate:  # this very file was loaded before
                    duplicate, accepted = int(n_good), 0
                else:
                    commits = 1
                mark("commit")
        conflicts = _conflicts(con, src, is_pq) if n_conflicts else []
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        con.close()
    rejects = [Reject(int(rn), "", str(reason), {"meter": m, "ts": ts, "value": v, "unit": u})
               for rn, m, v, ts, u, reason in rej] + conflicts
    qb = quarantine.record(registry, "bulk", str(path), file_key.encode(), rejects,
                           quarantine.Counts(int(n_rows), accepted, duplicate, len(rejects)))
    audit.append(registry, "bulk", "import.bulk", f"lake-batch:{batch_id}",
                 {"file": str(path), "rows": int(n_rows), "accepted": accepted, "duplicate": duplicate,
                  "rejected": len(rejects)})
    mark("quarantine")
    return BulkResult(int(n_rows), accepted, duplicate, len(rejects), commits, qb, timings)


def _reason_sql() -> str:
    """Why a row is rejected (NULL: accepted), over columns carrier, meter_s, v, value_src, factor,
    unit_in, t, ts_src, installed_us, q, kind, interval_us, off (µs past the meter's grid) and locked
    (the enterprise's signed-off years). The order of the rules is nengtan.ingest.validate's."""
    now_us = int(dt.datetime.now(dt.UTC).timestamp() * 1_000_000)
    return f"""CASE
        WHEN carrier IS NULL THEN 'unknown meter ''' || coalesce(meter_s, '') || ''''
        WHEN v IS NULL THEN 'value ' || {number_problem_sql("coalesce(CAST(value_src AS VARCHAR), '')")}
        WHEN isinf(v) OR isnan(v) THEN 'value ' || CAST(value_src AS VARCHAR) || ' is not a finite number'
        WHEN factor IS NULL THEN 'unit ''' || coalesce(unit_in, '') || ''' does not fit ' || carrier
        WHEN t IS NULL THEN 'timestamp ''' || coalesce(CAST(ts_src AS VARCHAR), '') || ''' is not ISO 8601'
        WHEN t < 946684800000000 THEN 'timestamp ' || CAST(ts_src AS VARCHAR) || ' is before 2000-01-01'
        WHEN t > {now_us + FUTURE_TOLERANCE_S * 1_000_000}
             THEN 'timestamp ' || CAST(ts_src AS VARCHAR) || ' is in the future'
        WHEN installed_us IS NOT NULL AND t < installed_us
             THEN 'timestamp ' || CAST(ts_src AS VARCHAR) || ' is before the meter was installed'
        WHEN q NOT IN ('ok', 'estimated', 'suspect') THEN 'unknown quality ''' || q || ''''
        WHEN cardinality(locked) > 0 AND list_contains(map_keys(locked), year(make_timestamp(t + {SH_US})))
             THEN CAST(year(make_timestamp(t + {SH_US})) AS VARCHAR) || ' is signed off by verifier '
                  || locked[year(make_timestamp(t + {SH_US}))]
                  || ': {LOCKED_WHY}'
        WHEN kind = 'interval' AND least(off, interval_us - off) > {GRID_TOLERANCE_S * 1_000_000}
             THEN 'timestamp ' || CAST(ts_src AS VARCHAR) || ' is '
                  || CAST(round(least(off, interval_us - off) / 1e6) AS BIGINT) || ' s off the meter''s '
                  || CAST(interval_us // 60000000 AS VARCHAR) || '-minute grid (tolerance {GRID_TOLERANCE_S} s)'
        END"""


UNMATCHED = "?"  # provisional reason: no (meter, unit) pair matched; resolved by _resolve_unmatched


def _chk_sql(src: str, rn_expr: str, t_expr: str, q_expr: str, unit_col: str) -> str:
    """One pass: parse, join the (meter, unit) catalog once, check, convert, keep in table ``chk``.
    Rows whose meter or unit is unknown (few) get the provisional reason UNMATCHED."""
    step_off = f"((t + {PARK_OFFSET_US}) % interval_us)"
    return f"""
        CREATE TEMP TABLE chk AS
        SELECT rn, mno, code_e AS meter_e,
               CAST(CASE kind WHEN 'interval' THEN 1 WHEN 'counter' THEN 2 ELSE 0 END AS UTINYINT) AS kc,
               carrier_e AS carrier,
               interval_us,
               t_key AS t,
               CASE WHEN reason IS NULL THEN v * factor END AS value,
               CASE WHEN reason IS NOT NULL THEN NULL
                    WHEN q = 'ok' AND ((kind = 'counter' AND least({step_off}, interval_us - {step_off})
                                                              > {GRID_TOLERANCE_S * 1_000_000})
                                       OR (v < 0 AND kind <> 'counter')) THEN CAST('suspect' AS quality_code)
                    ELSE CAST(q AS quality_code) END AS quality,
               CAST(year(make_timestamp(t_key + {SH_US})) AS SMALLINT) AS y,
               CAST(month(make_timestamp(t_key + {SH_US})) AS TINYINT) AS m,
               CASE WHEN reason IS NOT NULL THEN [reason, meter_s, CAST(value_src AS VARCHAR), CAST(ts_src AS VARCHAR),
                                                  unit_in, q] END AS rej
        FROM (
            SELECT *, CASE WHEN mno IS NULL THEN '{UNMATCHED}' ELSE {_reason_sql()} END AS reason,
                   -- an interval reading within the tolerance of its grid takes the grid point's key
                   CASE WHEN kind = 'interval' THEN t - off + CASE WHEN off * 2 > interval_us THEN interval_us
                                                                   ELSE 0 END ELSE t END AS t_key FROM (
                SELECT *, ((t + {PARK_OFFSET_US}) % interval_us) AS off FROM (
                SELECT {rn_expr} AS rn, CAST(r.meter AS VARCHAR) AS meter_s, c.mno, c.code_e, c.carrier_e, c.kind,
                       c.interval_us,
                       c.factor,
                       {unit_col} AS unit_in, {number_sql("r.value")} AS v, {t_expr} AS t,
                       {q_expr} AS q, r.value AS value_src, r.ts AS ts_src, c.carrier, c.installed_us, c.locked
                FROM {src} r
                LEFT JOIN cat_mu c ON c.code = CAST(r.meter AS VARCHAR) AND c.unit_key = coalesce({unit_col}, ''))))"""


def _resolve_unmatched(con: duckdb.DuckDBPyConnection) -> None:
    """The precise reason for rows no (meter, unit) pair matched: unknown meter, bad value, unfit unit..."""
    con.execute(f"""
        CREATE TEMP TABLE fix AS
        SELECT rid, {_reason_sql()} AS reason FROM (
            SELECT k.rowid AS rid, k.rej[2] AS meter_s, c.carrier, c.installed_us, u.factor,
                   coalesce(k.rej[5], c.default_unit) AS unit_in, {number_sql("k.rej[3]")} AS v,
                   k.rej[3] AS value_src, k.t, k.rej[4] AS ts_src, k.rej[6] AS q, c.kind,
                   c.interval_us, ((k.t + {PARK_OFFSET_US}) % c.interval_us) AS off, c.locked
            FROM chk k
            LEFT JOIN cat_meters c ON c.code = k.rej[2]
            LEFT JOIN cat_units u ON u.carrier = c.carrier AND u.unit = coalesce(k.rej[5], c.default_unit)
            WHERE k.rej[1] = '{UNMATCHED}')""")
    con.execute("UPDATE chk SET rej = list_concat([fix.reason], chk.rej[2:6]) FROM fix WHERE chk.rowid = fix.rid")
    con.execute("DROP TABLE fix")


GRID = f"quality <> 'estimated' AND (t + {PARK_OFFSET_US}) % interval_us = 0"  # a measured reading on its grid


def _meters_with_duplicates(con: duckdb.DuckDBPyConnection, span: tuple[int, int, int] | None,
                            n_meters: int) -> list[int] | None:
    """Meter numbers among the accepted rows that hold some (meter, ts, estimated?) key twice, found
    without hashing every key: a reading on its meter's interval grid is a slot number, and per meter
    ``bit_count(bitstring_agg(slot)) = count(*)`` proves its slots distinct (a bitmap per meter, a
    10⁴-group aggregate). Off-grid and estimated readings (few) are checked by an exact hash aggregate.
    `span` = (first, last, smallest interval) of the on-grid measured times (µs); None when there are none.
    None when the bitmaps would be too large (then the caller hashes every key)."""
    grid = GRID
    dup: set[int] = set()
    if span is not None:
        lo, hi, step = span
        slots = (hi - lo) // step + 1
        if slots * max(n_meters, 1) > BITMAP_LIMIT_BITS:
            return None
        dup |= {int(r[0]) for r in con.sql(f"""
            SELECT mno FROM chk WHERE rej IS NULL AND {grid} GROUP BY mno
            HAVING count(*) <> bit_count(bitstring_agg(CAST((t - {lo}) // interval_us AS INTEGER), 0,
                                                       {slots - 1}))""").fetchall()}
    dup |= {int(r[0]) for r in con.sql(f"""
        SELECT DISTINCT mno FROM (SELECT mno, t, quality = 'estimated' AS e FROM chk
                                  WHERE rej IS NULL AND NOT ({grid}) GROUP BY ALL HAVING count(*) > 1)
        """).fetchall()}
    return sorted(dup)


def _part_files(lake: Lake, parts: set[tuple[str, int, int]]) -> list[str]:
    info = lake.file_info()
    return [str(lake.dir / rel) for rel, meta in info.items()
            if (str(meta["carrier"]), int(str(meta["year"])), int(str(meta["month"]))) in parts]


_SAME = "abs({a} - {b}) <= {rel} * greatest(abs({a}), abs({b}))".replace("{rel}", repr(SAME_VALUE_REL))
"""SQL for nengtan.lake.dedupe.same_value: two values of one key are the same reading."""


def _drop_stored(con: duckdb.DuckDBPyConnection, files: list[str]) -> None:
    """Mark rows whose (meter, ts) a committed file already holds as measured: a duplicate when the
    value is the same, else a conflict with the stored value (quarantined; bulk loads never correct)."""
    flist = ", ".join(_q(f) for f in files)
    con.execute(f"""
        INSERT INTO dropped
        SELECT k.rowid, CASE WHEN k.quality <> 'estimated' AND NOT ({_SAME.format(a="k.value", b="any_value(s.v)")})
                             THEN any_value(s.v) END, true
        FROM chk k
        JOIN (SELECT c.mno, epoch_us(s.ts) AS t, s.value AS v FROM read_parquet([{flist}]) s
              JOIN cat_meters c ON c.code = s.meter_id WHERE s.quality <> 'estimated') s
             ON s.mno = k.mno AND s.t = k.t
        WHERE k.rej IS NULL AND k.rowid NOT IN (SELECT rid FROM dropped)
        GROUP BY k.rowid, k.value, k.quality""")


def _conflicts(con: duckdb.DuckDBPyConnection, src: str, is_pq: bool) -> list[Reject]:
    """The rows refused because their key holds another value, with the line a person sees (CSV rows
    unnumbered in the fast pass are found again by a numbered read of only their keys)."""
    rows = con.sql("""SELECT k.rn, CAST(k.meter_e AS VARCHAR), k.t, k.value, d.other, d.stored, c.canon_unit
                      FROM dropped d JOIN chk k ON k.rowid = d.rid JOIN cat_meters c ON c.mno = k.mno
                      WHERE d.other IS NOT NULL ORDER BY k.rn, k.t""").fetchall()
    if not is_pq and any(r[0] is None for r in rows):
        con.execute("CREATE TEMP TABLE wanted AS SELECT DISTINCT CAST(k.meter_e AS VARCHAR) AS meter, k.t "
                    "FROM dropped d JOIN chk k ON k.rowid = d.rid WHERE d.other IS NOT NULL")
        lines: dict[tuple[str, int], list[int]] = {}
        for line, meter, t in con.sql(f"""
                SELECT n.line, n.meter, w.t FROM (SELECT row_number() OVER () + 1 AS line, CAST(meter AS VARCHAR)
                    AS meter, epoch_us(TRY_CAST(CAST(ts AS VARCHAR) AS TIMESTAMPTZ)) AS t FROM {src}) n
                JOIN cat_meters c ON c.code = n.meter
                JOIN wanted w ON w.meter = n.meter
                     AND w.t = n.t - ((n.t + {PARK_OFFSET_US}) % c.interval_us)
                               + CASE WHEN ((n.t + {PARK_OFFSET_US}) % c.interval_us) * 2 > c.interval_us
                                      THEN c.interval_us ELSE 0 END
                ORDER BY n.line""").fetchall():
            lines.setdefault((str(meter), int(t)), []).append(int(line))
        # the first line of a key is the row kept (or stored before); conflicts take the later lines
        taken: dict[tuple[str, int], int] = {}
        numbered = []
        for _rn, meter, t, value, other, stored, unit in rows:
            ks = lines.get((meter, t), [])
            i = taken.get((meter, t), 0 if stored else 1)
            taken[(meter, t)] = i + 1
            numbered.append((ks[i] if i < len(ks) else -1, meter, t, value, other, stored, unit))
        rows = numbered
    return [Reject(int(rn) if rn is not None else -1, "value",
                   conflict_reason(meter, int(t), float(value), float(other), unit, "stored" if stored else "batch"),
                   {"meter": meter, "ts": dt.datetime.fromtimestamp(t / 1e6, dt.UTC).isoformat(), "value": value,
                    "unit": unit})
            for rn, meter, t, value, other, stored, unit in rows]
