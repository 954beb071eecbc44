"""Validating readings files set-wise in DuckDB and writing the good rows to the lake.

Rules (docs/formats.md): the meter must be registered (and writable by the caller); the timestamp
ISO 8601 (no offset = Asia/Shanghai), not in the future, not before 2000 nor before the meter was
installed; the value a finite non-negative number; the unit convertible to the meter's carrier;
(meter, ts) unique within the file. Good rows land in one lake commit per carrier (the same rows
again are the same batch: a no-op); each bad row becomes a RowIssue.
"""

from __future__ import annotations

import hashlib
import json

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select
from sqlalchemy.orm import Session

from nengtan.config import Paths
from nengtan.ingest.tables import EARLIEST_YEAR, ImportResult, RowIssue
from nengtan.lake import Lake
from nengtan.registry.ops import new_batch
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import Enterprise, Meter
from nengtan.registry.tables.records import QuarantineRow
from nengtan.units import CANONICAL_UNIT, UnitError, canonical_factor, known_spellings

READINGS_SQL = """
WITH src AS (
    SELECT row_number() OVER () + 1 AS row_no, * FROM {source}
), typed AS (
    SELECT s.*, m.carrier, m.kind, m.installed_on, m.enterprise, m.allowed,
           TRY_CAST(REPLACE(CAST(s.value AS VARCHAR), ',', '') AS DOUBLE) AS v,
           CASE WHEN regexp_matches(trim(CAST(s.ts AS VARCHAR)), '{offset_re}')
                THEN TRY_CAST(trim(CAST(s.ts AS VARCHAR)) AS TIMESTAMPTZ)
                ELSE TRY_CAST(trim(CAST(s.ts AS VARCHAR)) || '+08:00' AS TIMESTAMPTZ) END AS t,
           u.factor
    FROM src s
    LEFT JOIN meters m ON m.meter_id = CAST(s.meter_id AS VARCHAR)
    LEFT JOIN units u ON u.carrier = m.carrier AND u.unit = lower(trim(CAST(s.unit AS VARCHAR)))
)
SELECT row_no, CAST(meter_id AS VARCHAR) AS meter_id, t AS ts, v * factor AS value, carrier, kind,
       COALESCE(CAST({quality} AS VARCHAR), 'ok') AS quality,
       CASE
         WHEN carrier IS NULL
           THEN 'meter_id|meter ' || COALESCE(CAST(meter_id AS VARCHAR), '') || ' is not registered'
         WHEN NOT allowed THEN 'meter_id|meter ' || meter_id || ' belongs to an enterprise you may not write'
         WHEN t IS NULL THEN 'ts|' || COALESCE(CAST(ts AS VARCHAR), '') || ' is not a timestamp (ISO 8601)'
         WHEN t > now() + INTERVAL 1 DAY THEN 'ts|' || CAST(ts AS VARCHAR) || ' is in the future'
         WHEN t < TIMESTAMPTZ '{earliest}-01-01 00:00:00+00'
           THEN 'ts|' || CAST(ts AS VARCHAR) || ' is before {earliest}'
         WHEN installed_on IS NOT NULL AND t < CAST(installed_on AS TIMESTAMPTZ) - INTERVAL 8 HOUR
           THEN 'ts|' || CAST(ts AS VARCHAR) || ' is before the meter was installed ('
                || CAST(installed_on AS VARCHAR) || ')'
         WHEN v IS NULL THEN 'value|' || COALESCE(CAST(value AS VARCHAR), '') || ' is not a number'
         WHEN isnan(v) OR isinf(v) THEN 'value|' || CAST(value AS VARCHAR) || ' is not a finite number'
         WHEN v < 0 THEN 'value|' || CAST(value AS VARCHAR) || ' is negative'
         WHEN COALESCE(CAST({quality} AS VARCHAR), 'ok') NOT IN ('ok', 'estimated', 'suspect')
           THEN 'quality|' || CAST({quality} AS VARCHAR) || ' is not ok, estimated or suspect'
         WHEN factor IS NULL
           THEN 'unit|unit ' || COALESCE(CAST(unit AS VARCHAR), '') || ' does not fit ' || carrier
         WHEN row_number() OVER (PARTITION BY meter_id, t ORDER BY row_no) > 1
           THEN 'ts|duplicate reading for this meter and time (first at row '
                || CAST(min(row_no) OVER (PARTITION BY meter_id, t) AS VARCHAR) || ')'
         ELSE NULL
       END AS problem
FROM typed
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


def validate_and_write_readings(s: Session, table: pa.Table, res: ImportResult, allowed: set[str] | None,
                                 paths: Paths) -> None:
    meter_rows = s.execute(select(Meter.code, Meter.carrier, Meter.kind, Meter.installed_on, Enterprise.uscc)
                           .join(Enterprise, Enterprise.id == Meter.enterprise_id)).all()
    meters = pa.table({
        "meter_id": [m[0] for m in meter_rows], "carrier": [m[1] for m in meter_rows],
        "kind": [m[2] for m in meter_rows], "installed_on": pa.array([m[3] for m in meter_rows], pa.date32()),
        "enterprise": [m[4] for m in meter_rows],
        "allowed": [allowed is None or m[4] in allowed for m in meter_rows],
    }, schema=pa.schema([("meter_id", pa.string()), ("carrier", pa.string()), ("kind", pa.string()),
                         ("installed_on", pa.date32()), ("enterprise", pa.string()), ("allowed", pa.bool_())]))
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.register("meters", meters)
    con.register("units", _units_frame())
    con.register("incoming", table)
    quality = "quality" if "quality" in table.column_names else "NULL"
    out = con.sql(READINGS_SQL.format(source="incoming", quality=quality, earliest=EARLIEST_YEAR,
                                      offset_re=OFFSET_RE)).to_arrow_table()
    assert out is not None
    problems = out.column("problem")
    bad_mask = problems.is_valid()
    bad = out.filter(bad_mask)
    good = out.filter(pc.invert(bad_mask))
    raw_by_row: dict[int, dict[str, str]] = {}
    if bad.num_rows:
        src = table.to_pylist()
        for r in bad.column("row_no").to_pylist()[:100_000]:
            raw_by_row[int(r)] = {k: "" if v is None else str(v) for k, v in src[int(r) - 2].items()}
    for r, p, m, t in zip(bad.column("row_no").to_pylist(), bad.column("problem").to_pylist(),
                          bad.column("meter_id").to_pylist(), bad.column("ts").to_pylist(), strict=True):
        column, _, reason = str(p).partition("|")
        res.issues.append(RowIssue(int(r), column, reason, raw_by_row.get(int(r), {}), f"reading|{m}|{t}"))
    if good.num_rows:
        lake = Lake(paths.lake)
        for carrier in pc.unique(good.column("carrier")).to_pylist():
            part = good.filter(pc.equal(good.column("carrier"), carrier)).sort_by(
                [("meter_id", "ascending"), ("ts", "ascending")])  # same rows → same batch digest
            unit = CANONICAL_UNIT[str(carrier)]
            readings = pa.table({"meter_id": part.column("meter_id"), "ts": part.column("ts"),
                                 "value": part.column("value"),
                                 "unit": pa.array([unit] * part.num_rows, pa.string()),
                                 "quality": part.column("quality")})
            commit = lake.write_batch(readings, str(carrier), meta={"source": res.file, "batch": res.batch_id},
                                      kinds=part.column("kind"))
            if commit.duplicate:
                res.rows_duplicate += part.num_rows
            else:
                res.rows_ok += part.num_rows
                res.lake_version = commit.version


def import_readings_table(reg: Registry, paths: Paths, table: pa.Table, name: str,
                          allowed_usccs: set[str] | None = None, created_by: str = "cli") -> ImportResult:
    """Import an Arrow table of readings (meter_id, ts, value, unit[, quality]) as one batch."""
    with reg.session() as s:
        batch = new_batch(s, "readings", name, hashlib.sha256(name.encode()).hexdigest(), created_by)
        res = ImportResult("readings", name, batch.id, rows_total=table.num_rows)
        validate_and_write_readings(s, table, res, allowed_usccs, paths)
        for issue in res.issues:
            s.add(QuarantineRow(batch_id=batch.id, kind="readings", file=name, row=issue.row, column=issue.column,
                                reason=issue.reason, raw=json.dumps(issue.raw, ensure_ascii=False), key=issue.key))
        batch.rows_total, batch.rows_ok = res.rows_total, res.rows_ok
        batch.rows_duplicate, batch.rows_bad = res.rows_duplicate, res.rows_bad
    return res
