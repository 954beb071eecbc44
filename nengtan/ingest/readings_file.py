"""Validating readings files set-wise in DuckDB and writing the good rows to the lake.

Rules (docs/formats.md): the meter must be registered (and writable by the caller); the timestamp
ISO 8601 (no offset = Asia/Shanghai), not in the future, not before 2000 nor before the meter was
installed; the value a finite non-negative number; the unit convertible to the meter's carrier;
interval meters' times within ± 60 s of their grid (snapped onto it; farther off: refused); one reading
per (meter, interval) within the file. Good rows land in one lake commit through
nengtan.lake.dedupe.DedupeWriter: a key already stored with the same value is a duplicate, with another
value a quarantined conflict unless the import is a correction (then it replaces the stored reading,
which stays on record). Each bad row becomes a RowIssue.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select
from sqlalchemy.orm import Session

from nengtan.calendar import PARK_OFFSET_US
from nengtan.config import Paths
from nengtan.ingest.fields import number_problem_sql, number_sql
from nengtan.ingest.tables import EARLIEST_YEAR, ImportResult, RowIssue
from nengtan.ingest.validate import (
    DEFAULT_INTERVAL_S,
    GRID_TOLERANCE_S,
    LOCKED_WHY,
    conflict_reason,
    signed_off_years,
)
from nengtan.lake import Lake
from nengtan.lake.dedupe import DedupeStream, DedupeWriter, dedupe_stream
from nengtan.registry import audit
from nengtan.registry.ops import new_batch
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import Enterprise, Meter
from nengtan.registry.tables.records import QuarantineRow
from nengtan.units import CANONICAL_UNIT, UnitError, canonical_factor, known_spellings

READINGS_SQL = """
WITH src AS (
    SELECT row_number() OVER () - 1 AS idx, {line} AS row_no, * {exclude} FROM {source}
), typed AS (
    SELECT s.*, m.carrier, m.kind, m.installed_on, m.enterprise, m.allowed, m.interval_s, m.locked,
           {number_v} AS v,
           CASE WHEN regexp_matches(trim(CAST(s.ts AS VARCHAR)), '{offset_re}')
                THEN TRY_CAST(trim(CAST(s.ts AS VARCHAR)) AS TIMESTAMPTZ)
                ELSE TRY_CAST(trim(CAST(s.ts AS VARCHAR)) || '+08:00' AS TIMESTAMPTZ) END AS t,
           u.factor
    FROM src s
    LEFT JOIN meters m ON m.meter_id = CAST(s.meter_id AS VARCHAR)
    LEFT JOIN units u ON u.carrier = m.carrier AND u.unit = lower(trim(CAST(s.unit AS VARCHAR)))
), gridded AS (
    -- interval meters: the distance to the nearest window boundary of the meter's grid (00:00 Asia/Shanghai)
    SELECT *, CASE WHEN kind = 'interval' AND t IS NOT NULL THEN
                  ((epoch_us(t) + {park_offset_us}) % (interval_s * 1000000)) END AS off_us
    FROM typed
), snapped AS (
    SELECT *, CASE WHEN off_us IS NULL THEN t
                   WHEN off_us * 2 <= interval_s * 1000000 THEN t - to_microseconds(off_us)
                   ELSE t + to_microseconds(interval_s * 1000000 - off_us) END AS t0,
              least(off_us, interval_s * 1000000 - off_us) AS skew_us
    FROM gridded
)
SELECT idx, row_no, meter_id, ts, value, carrier, kind, quality,
       -- among the readings that pass every other rule, the first of an interval is the one kept
       CASE WHEN problem IS NOT NULL THEN problem
            WHEN row_number() OVER (PARTITION BY meter_id, ts, problem IS NULL ORDER BY row_no) > 1
            THEN 'ts|duplicate reading for this meter and interval (first at row '
                 || CAST(min(row_no) OVER (PARTITION BY meter_id, ts, problem IS NULL) AS VARCHAR) || ')'
       END AS problem
FROM (
SELECT idx, row_no, CAST(meter_id AS VARCHAR) AS meter_id, t0 AS ts, v * factor AS value, carrier, kind,
       COALESCE(NULLIF(TRIM(CAST({quality} AS VARCHAR)), ''), 'ok') AS quality,
       CASE
         WHEN carrier IS NULL
           THEN 'meter_id|meter ' || left(COALESCE(CAST(meter_id AS VARCHAR), ''), 60) || ' is not registered'
         WHEN NOT allowed THEN 'meter_id|meter ' || meter_id || ' belongs to an enterprise you may not write'
         WHEN t IS NULL
           THEN 'ts|''' || left(COALESCE(CAST(ts AS VARCHAR), ''), 60) || ''' is not a timestamp (ISO 8601)'
         WHEN t > now() + INTERVAL 1 DAY THEN 'ts|' || CAST(ts AS VARCHAR) || ' is in the future'
         WHEN t < TIMESTAMPTZ '{earliest}-01-01 00:00:00+00'
           THEN 'ts|' || CAST(ts AS VARCHAR) || ' is before {earliest}'
         WHEN installed_on IS NOT NULL AND t < CAST(installed_on AS TIMESTAMPTZ) - INTERVAL 8 HOUR
           THEN 'ts|' || CAST(ts AS VARCHAR) || ' is before the meter was installed ('
                || CAST(installed_on AS VARCHAR) || ')'
         WHEN v IS NULL THEN 'value|' || {number_problem}
         WHEN isnan(v) OR isinf(v) THEN 'value|' || CAST(value AS VARCHAR) || ' is not a finite number'
         WHEN v < 0 THEN 'value|' || CAST(value AS VARCHAR) || ' is negative'
         WHEN COALESCE(NULLIF(TRIM(CAST({quality} AS VARCHAR)), ''), 'ok') NOT IN ('ok', 'estimated', 'suspect')
           THEN 'quality|' || left(CAST({quality} AS VARCHAR), 60) || ' is not ok, estimated or suspect'
         WHEN factor IS NULL
           THEN 'unit|unit ' || left(COALESCE(CAST(unit AS VARCHAR), ''), 60) || ' does not fit ' || carrier
         WHEN {check_locks} AND list_contains(map_keys(locked), year(t0 + INTERVAL {park_offset_us} MICROSECOND))
           THEN 'ts|' || CAST(year(t0 + INTERVAL {park_offset_us} MICROSECOND) AS VARCHAR)
                || ' is signed off by verifier '
                || locked[year(t0 + INTERVAL {park_offset_us} MICROSECOND)]
                || ': {locked_why}'
         WHEN skew_us > {tolerance_s} * 1000000
           THEN 'ts|' || CAST(ts AS VARCHAR) || ' is ' || CAST(round(skew_us / 1e6) AS BIGINT)
                || ' s off the meter''s ' || CAST(interval_s // 60 AS VARCHAR)
                || '-minute grid (tolerance {tolerance_s} s)'
         ELSE NULL
       END AS problem
FROM snapped
)
"""
OFFSET_RE = r"[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$"
"""A timestamp that carries its UTC offset; one without is Asia/Shanghai local time."""


def _units_frame() -> pa.Table:
    carriers, units, factors = [], [], []
    spellings = {s.lower() for s in known_spellings()}  # matched against lower(unit): one row each
    for carrier in CANONICAL_UNIT:
        for spelling in sorted(spellings):
            try:
                f = canonical_factor(carrier, spelling)
            except UnitError:
                continue
            carriers.append(carrier)
            units.append(spelling)
            factors.append(f)
    return pa.table({"carrier": carriers, "unit": units, "factor": factors})


def _checker(s: Session, allowed: set[str] | None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection holding the registered meters (with their locks) and the unit factors."""
    meter_rows = s.execute(select(Meter.code, Meter.carrier, Meter.kind, Meter.installed_on, Enterprise.uscc,
                                  Meter.interval_s, Meter.enterprise_id)
                           .join(Enterprise, Enterprise.id == Meter.enterprise_id)).all()
    locks = signed_off_years(s)
    meters = pa.table({
        "meter_id": [m[0] for m in meter_rows], "carrier": [m[1] for m in meter_rows],
        "kind": [m[2] for m in meter_rows], "installed_on": pa.array([m[3] for m in meter_rows], pa.date32()),
        "enterprise": [m[4] for m in meter_rows],
        "allowed": [allowed is None or m[4] in allowed for m in meter_rows],
        "interval_s": [m[5] or DEFAULT_INTERVAL_S for m in meter_rows],
        "locked": [list(locks.get(int(m[6]), {}).items()) for m in meter_rows],
    }, schema=pa.schema([("meter_id", pa.string()), ("carrier", pa.string()), ("kind", pa.string()),
                         ("installed_on", pa.date32()), ("enterprise", pa.string()), ("allowed", pa.bool_()),
                         ("interval_s", pa.int64()), ("locked", pa.map_(pa.int64(), pa.string()))]))
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("meters", meters)
    con.register("units", _units_frame())
    return con


def _check(con: duckdb.DuckDBPyConnection, table: pa.Table, first_line: int, correction: str | None) -> pa.Table:
    """The rows of `table` with their problem (NULL: good), converted and snapped; `first_line` is the
    file line of the table's first row when the table carries no ``_line`` column."""
    con.register("incoming", table)
    quality = "quality" if "quality" in table.column_names else "NULL"
    has_lines = "_line" in table.column_names
    out = con.sql(READINGS_SQL.format(source="incoming", quality=quality, earliest=EARLIEST_YEAR,
                                      line="_line" if has_lines else f"row_number() OVER () + {first_line - 1}",
                                      exclude="EXCLUDE (_line)" if has_lines else "",
                                      number_v=number_sql("s.value"),
                                      number_problem=number_problem_sql("COALESCE(CAST(value AS VARCHAR), '')"),
                                      offset_re=OFFSET_RE, park_offset_us=PARK_OFFSET_US,
                                      tolerance_s=GRID_TOLERANCE_S,
                                      check_locks="false" if correction else "true",
                                      locked_why=LOCKED_WHY)).to_arrow_table()
    con.unregister("incoming")
    assert out is not None
    return out


def _refused(out: pa.Table, sent: pa.Table, res: ImportResult) -> pa.Table:
    """Record the rows with a problem; the good ones."""
    bad_mask = out.column("problem").is_valid()
    bad = out.filter(bad_mask)
    for i, r, p, m, t in zip(bad.column("idx").to_pylist(), bad.column("row_no").to_pylist(),
                             bad.column("problem").to_pylist(), bad.column("meter_id").to_pylist(),
                             bad.column("ts").to_pylist(), strict=True):
        column, _, reason = str(p).partition("|")
        res.issues.append(RowIssue(int(r), column, reason, _raw(sent, int(i)), f"reading|{m}|{t}"))
    return out.filter(pc.invert(bad_mask))


def validate_and_write_readings(s: Session, table: pa.Table | Iterable[pa.Table], res: ImportResult,
                                allowed: set[str] | None, paths: Paths, correction: str | None = None) -> None:
    """Check readings (one table, or a file's chunks in order) and store the good ones as one lake batch.

    Chunks are checked and staged one at a time (:class:`nengtan.lake.dedupe.DedupeStream`), so memory
    stays bounded by the chunk size; a correction, which rewrites stored files, reads the file whole.
    """
    con = _checker(s, allowed)
    chunks: Iterable[pa.Table] = [table] if isinstance(table, pa.Table) else table
    meta: dict[str, object] = {"source": res.file, "batch": res.batch_id}
    try:
        if correction:
            whole = pa.concat_tables(list(chunks))
            res.rows_total = whole.num_rows
            sent = whole.drop_columns(["_line"]) if "_line" in whole.column_names else whole
            good = _refused(_check(con, whole, 2, correction), sent, res)
            if good.num_rows:
                _write(good, sent, res, paths, correction)
            return
        res.rows_total = 0
        with dedupe_stream(DedupeWriter(Lake(paths.lake)), res.batch_id, meta) as stream:
            for chunk in chunks:
                first_line = res.rows_total + 2  # the header is line 1
                res.rows_total += chunk.num_rows
                sent = chunk.drop_columns(["_line"]) if "_line" in chunk.column_names else chunk
                good = _refused(_check(con, chunk, first_line, None), sent, res)
                if good.num_rows:
                    _stage(stream, good, sent, res)
            version = stream.commit()
            if version is not None:
                res.lake_version = version
            else:
                res.rows_duplicate += res.rows_ok  # this very batch was committed before
                res.rows_ok = 0
    finally:
        con.close()


def _stage(stream: DedupeStream, good: pa.Table, sent: pa.Table, res: ImportResult) -> None:
    carriers = pc.dictionary_encode(good.column("carrier")).combine_chunks()
    units = pa.array([CANONICAL_UNIT[str(c)] for c in carriers.dictionary.to_pylist()], pa.string())
    unit = pc.take(units, carriers.indices)
    readings = pa.table({"meter_id": good.column("meter_id"), "ts": good.column("ts"), "value": good.column("value"),
                         "unit": unit, "quality": good.column("quality")})
    rows = np.asarray(good.column("row_no").to_numpy(), dtype=np.int64)
    got = stream.add(readings, carriers.dictionary_decode(), good.column("kind"), rows)
    res.rows_ok += got.accepted
    res.rows_duplicate += got.duplicate

    def at(i: int) -> tuple[str, dt.datetime, float, str, dict[str, str]]:
        r = good.slice(i, 1).to_pylist()[0]
        return r["meter_id"], r["ts"], r["value"], unit[i].as_py(), _raw(sent, int(r["idx"]))

    for c in got.conflicts:
        meter, ts, value, u, raw = at(c.index)
        reason = conflict_reason(meter, int(ts.timestamp() * 1_000_000), value, c.other_value, u, c.where)
        res.issues.append(RowIssue(int(rows[c.index]), "value", reason, raw, f"reading|{meter}|{ts}"))
    for i, first in got.repeats:
        meter, ts, _, _, raw = at(i)
        res.issues.append(RowIssue(int(rows[i]), "ts", f"duplicate reading for this meter and interval (first at "
                                   f"row {first})", raw, f"reading|{meter}|{ts}"))


def _raw(table: pa.Table, i: int) -> dict[str, str]:
    """Row `i` of what was sent, as text (for the quarantine record)."""
    return {k: "" if v is None else str(v) for k, v in table.slice(i, 1).to_pylist()[0].items()}


def _write(good: pa.Table, table: pa.Table, res: ImportResult, paths: Paths, correction: str | None) -> None:
    """All the file's good readings in one lake commit (every carrier at once: an inventory running
    meanwhile sees all of the import or none of it); keys already held are duplicates or conflicts."""
    good = good.sort_by([("carrier", "ascending"), ("meter_id", "ascending"), ("ts", "ascending")])
    carriers = good.column("carrier").to_pylist()
    units = [CANONICAL_UNIT[str(c)] for c in carriers]
    readings = pa.table({"meter_id": good.column("meter_id"), "ts": good.column("ts"), "value": good.column("value"),
                         "unit": pa.array(units, pa.string()), "quality": good.column("quality")})
    # the lake batch is this import's: a re-import is recognised key by key, not by content (a
    # correction back to an earlier value has the content of an earlier import)
    meta: dict[str, object] = {"source": res.file, "batch": res.batch_id}
    if correction:
        meta["correction"] = correction
    commit = DedupeWriter(Lake(paths.lake)).write(readings, pa.array(carriers, pa.string()), res.batch_id, meta,
                                                  kinds=good.column("kind"), correction=correction is not None)
    res.rows_ok += commit.accepted
    res.rows_duplicate += commit.duplicate
    res.rows_revised += commit.revised
    if commit.accepted:
        res.lake_version = commit.version
    idx, rows, meters, tss, values = (good.column(c).to_pylist() for c in ("idx", "row_no", "meter_id", "ts", "value"))
    for c in commit.conflicts:
        i = c.index
        reason = conflict_reason(meters[i], int(tss[i].timestamp() * 1_000_000), values[i], c.other_value, units[i],
                                 c.where)
        res.issues.append(RowIssue(int(rows[i]), "value", reason, _raw(table, int(idx[i])),
                                   f"reading|{meters[i]}|{tss[i]}"))


def import_readings_table(reg: Registry, paths: Paths, table: pa.Table, name: str,
                          allowed_usccs: set[str] | None = None, created_by: str = "cli") -> ImportResult:
    """Import an Arrow table of readings (meter_id, ts, value, unit[, quality]) as one batch."""
    with reg.session(write=True) as s:
        batch = new_batch(s, "readings", name, hashlib.sha256(name.encode()).hexdigest(), created_by)
        res = ImportResult("readings", name, batch.id, rows_total=table.num_rows)
        validate_and_write_readings(s, table, res, allowed_usccs, paths)
        for issue in res.issues:
            s.add(QuarantineRow(batch_id=batch.id, kind="readings", file=name, row=issue.row, column=issue.column,
                                reason=issue.reason, raw=json.dumps(issue.raw, ensure_ascii=False), key=issue.key))
        batch.rows_total, batch.rows_ok = res.rows_total, res.rows_ok
        batch.rows_duplicate, batch.rows_bad = res.rows_duplicate, res.rows_bad
        audit.record(s, created_by, "import.readings", f"batch:{batch.id}",
                     {"file": name, "rows_ok": res.rows_ok, "rows_bad": res.rows_bad,
                      "rows_duplicate": res.rows_duplicate, "lake_version": res.lake_version})
    return res
