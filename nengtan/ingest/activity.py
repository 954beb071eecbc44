"""Importing monthly activity rows (``uscc,period,carrier,quantity,unit[,feedstock_quantity,...]``).

The rules are those of docs/formats.md ("activity"): a registered enterprise the caller may write, a
whole period not in the future, a known carrier, a number in a unit that fits the carrier (litres of a
liquid fuel by the factor set's density), raw-material use no greater than the quantity, one row per
(enterprise, period, carrier) in the file. A row equal to the stored one (relative 1e-9) is a duplicate;
one that differs, or falls in a signed-off year, is quarantined unless the import names a correction
reason, and then it becomes the next version while the old one stays on record. Green electricity
above the same month's purchased electricity is capped at it (the excess quarantined).

Set-wise, like the readings path: the questions that depend on a field's text alone (is this a
registered enterprise the caller may write, a valid period, a unit that fits this carrier and by what
factor) are answered once per distinct text in Python (nengtan.ingest.rows, the rules every kind
shares) and joined in DuckDB, which also parses the numbers (nengtan.ingest.fields.number_sql), finds
repeated keys, joins the stored rows of the file's periods and the signed-off years, and decides each
row. Only the rows that fail are explained in Python, with the same messages as every other kind.
Superseded rows are deactivated in one UPDATE and the new ones written with one executemany.
Measured in bench/bench_ingest.py ("activity").
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import duckdb
import pyarrow as pa
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from nengtan.config import Paths
from nengtan.ingest.fields import MAX_FIELD_CHARS, length_problem, number_sql, quote
from nengtan.ingest.rows import YES, RowError, number_field, period_field, resolve, uscc_field
from nengtan.ingest.tables import ImportResult, RowIssue
from nengtan.ingest.validate import signed_off_years
from nengtan.registry.tables.park import Enterprise
from nengtan.registry.tables.records import Activity, QuarantineRow
from nengtan.units import CANONICAL_UNIT, UnitError, to_canonical

SAME_QUANTITY_REL = 1e-9
"""Two quantities this close (relative, or 1e-9 absolute) are the same row re-sent."""
WHITESPACE = " \t\r\n\x0b\x0c"
"""What a number field is trimmed of before it is read (as Python's str.strip for ASCII text)."""

ACTIVITY_SQL = """
WITH src AS (
    SELECT row_number() OVER () - 1 AS idx, {line} AS row_no,
           coalesce(CAST(uscc AS VARCHAR), '') AS uscc_t, coalesce(CAST(period AS VARCHAR), '') AS period_t,
           coalesce(CAST(carrier AS VARCHAR), '') AS carrier_t, coalesce(CAST(quantity AS VARCHAR), '') AS qty_t,
           coalesce(CAST({unit} AS VARCHAR), '') AS unit_t, coalesce(CAST({feed} AS VARCHAR), '') AS feed_t,
           lower(trim(coalesce(CAST({oxidised} AS VARCHAR), ''), '{ws}')) IN ({yes}) AS ox,
           {too_long} AS too_long
    FROM incoming
), checked AS (
    SELECT s.*, u.uscc, u.eid, p.period, coalesce(u.problem, p.problem) AS where_problem,
           CASE WHEN u.problem IS NOT NULL THEN u.problem_column ELSE p.problem_column END AS where_column,
           f.carrier, f.factor, f.canonical_unit,
           f.problem AS factor_problem, f.problem_column AS factor_column,
           {qty} AS q_raw,
           CASE WHEN trim(s.feed_t, '{ws}') = '' THEN 0.0 ELSE {feed_num} END AS feed_raw
    FROM src s
    LEFT JOIN uscc_answers u ON u.text = s.uscc_t
    LEFT JOIN period_answers p ON p.text = s.period_t
    LEFT JOIN factor_answers f ON f.carrier_t = s.carrier_t AND f.unit_t = s.unit_t
), staged AS (
    SELECT *, q_raw * factor AS qty, feed_raw * factor AS feed,
           CASE WHEN too_long THEN 'long'
                WHEN where_problem IS NOT NULL THEN 'where'
                WHEN factor_column = 'carrier' THEN 'carrier'
                WHEN q_raw IS NULL OR q_raw < 0 THEN 'quantity'
                WHEN factor_problem IS NOT NULL THEN 'unit'
                WHEN feed_raw IS NULL OR feed_raw < 0 THEN 'feedstock'
                WHEN feed_raw * factor > q_raw * factor * (1 + 1e-12) THEN 'feed_exceeds'
           END AS pre
    FROM checked
), ranked AS (
    -- one row per (enterprise, period, carrier): among the rows passing the checks above, the first
    SELECT *, row_number() OVER k AS k_rank, first_value(row_no) OVER k AS first_row,
           first_value(qty) OVER k AS first_qty
    FROM staged WINDOW k AS (PARTITION BY uscc, period, carrier, pre IS NULL ORDER BY row_no)
), compared AS (
    SELECT r.*, o.id AS old_id, o.quantity AS old_qty, o.unit AS old_unit, o.version AS old_version,
           o.batch_id AS old_batch, l.eid IS NOT NULL AS locked
    FROM ranked r
    LEFT JOIN stored o ON r.pre IS NULL AND o.enterprise_id = r.eid AND o.period = r.period AND o.carrier = r.carrier
    LEFT JOIN locks l ON r.pre IS NULL AND l.eid = r.eid AND l.year = CAST(left(r.period, 4) AS INTEGER)
), decided AS (
    SELECT *, CASE WHEN pre IS NOT NULL THEN pre
                   WHEN k_rank > 1 THEN 'in_file'
                   WHEN old_id IS NOT NULL AND abs(old_qty - qty)
                        <= greatest({same_rel} * greatest(abs(old_qty), abs(qty)), 1e-9) THEN 'duplicate'
                   WHEN locked AND NOT {correcting} THEN 'locked'
                   WHEN old_id IS NOT NULL AND NOT {correcting} THEN 'differs'
              END AS stage
    FROM compared
), bought AS (  -- the month's purchased electricity a green-electricity claim is capped at
    SELECT eid, period, qty FROM decided WHERE stage IS NULL AND carrier = 'electricity'
)
SELECT d.*, CASE WHEN d.carrier = 'green_electricity' AND d.stage IS NULL THEN coalesce(b.qty, e.quantity) END AS cap
FROM decided d
LEFT JOIN bought b ON d.carrier = 'green_electricity' AND b.eid = d.eid AND b.period = d.period
LEFT JOIN stored e ON d.carrier = 'green_electricity' AND e.enterprise_id = d.eid AND e.period = d.period
                      AND e.carrier = 'electricity'
"""


def _answers(texts: list[str], check: Callable[[str], tuple[Any, ...]], names: list[str],
             types: list[pa.DataType]) -> pa.Table:
    """One row per distinct text: the check's values, or the column and reason of the RowError it raised."""
    rows: list[tuple[Any, ...]] = []
    for t in texts:
        try:
            rows.append((t, *check(t), None, None))
        except RowError as exc:
            rows.append((t, *([None] * len(names)), exc.column, exc.reason))
    cols: list[Any] = list(zip(*rows, strict=True)) if rows else [() for _ in range(len(names) + 3)]
    return pa.table([pa.array(c, ty) for c, ty in zip(cols, [pa.string(), *types, pa.string(), pa.string()],
                                                          strict=True)],
                    names=["text", *names, "problem_column", "problem"])


def _carrier_factor(carrier_t: str, unit_t: str) -> tuple[str, float]:
    """The carrier and the multiplier from the unit to its canonical unit (litres by the fuel's density)."""
    carrier = carrier_t.strip()
    if carrier not in CANONICAL_UNIT:
        raise RowError("carrier", f"unknown carrier {carrier!r} (one of {', '.join(CANONICAL_UNIT)})")
    from nengtan.factors import load_factor_set  # densities only (the library loads pandas: not at start-up)

    try:
        return carrier, to_canonical(carrier, 1.0, unit_t, load_factor_set().density(carrier))
    except UnitError as exc:
        raise RowError("unit", str(exc)) from None


def _factor_answers(pairs: list[tuple[str, str]]) -> pa.Table:
    """Per distinct (carrier, unit) text: the carrier, its canonical unit and the factor, or the problem."""
    names = ("carrier_t", "unit_t", "carrier", "canonical_unit", "factor", "problem_column", "problem")
    out: dict[str, list[Any]] = {k: [] for k in names}
    for c, u in pairs:
        try:
            carrier, f = _carrier_factor(c, u)
            got: tuple[Any, ...] = (c, u, carrier, CANONICAL_UNIT[carrier], f, None, None)
        except RowError as exc:
            got = (c, u, None, None, None, exc.column, exc.reason)
        for k, v in zip(names, got, strict=True):
            out[k].append(v)
    return pa.table({k: pa.array(v, pa.float64() if k == "factor" else pa.string()) for k, v in out.items()})


def _stored(s: Session, con: duckdb.DuckDBPyConnection, periods: list[str]) -> None:
    """The active rows of the file's periods, as DuckDB table ``stored``."""
    got: list[Any] = []
    for i in range(0, len(periods), 500):
        got += s.execute(select(Activity.enterprise_id, Activity.period, Activity.carrier, Activity.id,
                                Activity.quantity, Activity.unit, Activity.version, Activity.batch_id)
                         .where(Activity.active.is_(True), Activity.period.in_(periods[i:i + 500]))).all()
    names = ["enterprise_id", "period", "carrier", "id", "quantity", "unit", "version", "batch_id"]
    types = [pa.int64(), pa.string(), pa.string(), pa.int64(), pa.float64(), pa.string(), pa.int64(), pa.string()]
    cols: list[Any] = list(zip(*got, strict=True)) if got else [() for _ in names]
    con.register("stored", pa.table([pa.array(c, t) for c, t in zip(cols, types, strict=True)], names=names))


def import_activity(s: Session, table: pa.Table, res: ImportResult, correction: str | None,
                    allowed: set[str] | None, _paths: Paths) -> None:
    """Check the rows of `table` (text columns; ``_line`` = the line each starts on, when known) and
    store the good ones in the session's transaction (see the module docstring)."""
    ents = {u: i for u, i in s.execute(select(Enterprise.uscc, Enterprise.id))}
    con = duckdb.connect()
    con.register("incoming", table)
    cols = [c for c in table.column_names if c != "_line"]

    def distinct(expr: str) -> list[Any]:
        return [r[0] if len(r) == 1 else r for r in con.sql(f"SELECT DISTINCT {expr} FROM incoming").fetchall()]

    def enterprise(text: str) -> tuple[str, int]:
        code = uscc_field({"uscc": text}, ents)
        if allowed is not None and code not in allowed:
            raise RowError("uscc", f"enterprise {code} is not one you may write")
        return code, ents[code]

    con.register("uscc_answers", _answers(distinct("coalesce(CAST(uscc AS VARCHAR), '')"), enterprise,
                                          ["uscc", "eid"], [pa.string(), pa.int64()]))
    periods = _answers(distinct("coalesce(CAST(period AS VARCHAR), '')"),
                       lambda t: (period_field({"period": t}),), ["period"], [pa.string()])
    con.register("period_answers", periods)
    con.register("factor_answers", _factor_answers(
        [tuple(r) for r in con.sql("SELECT DISTINCT coalesce(CAST(carrier AS VARCHAR), ''), "
                                   "coalesce(CAST(unit AS VARCHAR), '') FROM incoming").fetchall()]))
    _stored(s, con, sorted({p for p in periods.column("period").to_pylist() if p is not None}))
    locks = signed_off_years(s)
    con.register("locks", pa.table({"eid": pa.array([e for e, ys in locks.items() for _ in ys], pa.int64()),
                                    "year": pa.array([y for ys in locks.values() for y in ys], pa.int64())}))
    feed = "feedstock_quantity" if "feedstock_quantity" in cols else "NULL"
    oxidised = "feedstock_oxidised" if "feedstock_oxidised" in cols else "NULL"
    lengths = ", ".join(f"length(coalesce(CAST(\"{c}\" AS VARCHAR), ''))" for c in cols)
    con.execute("CREATE TEMP TABLE checked AS " + ACTIVITY_SQL.format(
        line="_line" if "_line" in table.column_names else "row_number() OVER () + 1", unit="unit", feed=feed,
        oxidised=oxidised, yes=", ".join(f"'{w}'" for w in YES), too_long=f"greatest({lengths}) > {MAX_FIELD_CHARS}",
        ws=WHITESPACE,
        qty=number_sql(f"trim(s.qty_t, '{WHITESPACE}')"), feed_num=number_sql(f"trim(s.feed_t, '{WHITESPACE}')"),
        same_rel=SAME_QUANTITY_REL, correcting="true" if correction else "false"))
    try:
        _refused(con, table, cols, res)
        _store(s, con, table, cols, res, correction)
    finally:
        con.close()


def _refused(con: duckdb.DuckDBPyConnection, table: pa.Table, cols: list[str], res: ImportResult) -> None:
    """Each row the query refused, explained (these are few: the query keeps the good ones to itself)."""
    res.rows_duplicate += int(con.sql("SELECT count(*) FROM checked WHERE stage = 'duplicate'").fetchall()[0][0])
    bad = con.sql("SELECT * FROM checked WHERE stage <> 'duplicate' ORDER BY row_no").to_arrow_table().to_pylist()
    if not bad:
        return
    sent = table.select(cols).take([r["idx"] for r in bad]).to_pylist()
    for r, row in zip(bad, (_text(x) for x in sent), strict=True):
        col, reason = _explain(r, row)
        canonical = r["stage"] in ("in_file", "locked", "differs")
        key = (f"activity|{r['uscc']}|{r['period']}|{r['carrier']}" if canonical else
               f"activity|{row.get('uscc', '').upper()}|{row.get('period', '')}|{row.get('carrier', '')}")
        res.issues.append(RowIssue(int(r["row_no"]), col, reason, row, key))


INSERT_CHUNK = 100_000
"""Rows per executemany: memory stays bounded whatever the file's size."""


def _store(s: Session, con: duckdb.DuckDBPyConnection, table: pa.Table, cols: list[str], res: ImportResult,
           correction: str | None) -> None:
    """Cap green claims, supersede the stored rows the good ones replace, insert the good ones and resolve
    the quarantined rows they supply."""
    capped = con.sql("SELECT idx, row_no, qty, cap, period, uscc, carrier FROM checked WHERE stage IS NULL "
                     "AND cap IS NOT NULL AND qty > cap * (1 + 1e-12) ORDER BY row_no").fetchall()
    for idx, row_no, qty, cap, period, uscc, carrier in capped:
        res.issues.append(RowIssue(row_no, "quantity", f"green electricity {qty:,.0f} kWh exceeds the {cap:,.0f} "
                                   f"kWh of electricity purchased in {period}; the claim is capped at {cap:,.0f} kWh "
                                   f"and the excess {qty - cap:,.0f} kWh is quarantined", _raw(table, cols, idx),
                                   f"activity|{uscc}|{period}|{carrier}|excess"))
    superseded = [r[0] for r in con.sql("SELECT old_id FROM checked WHERE stage IS NULL AND old_id IS NOT NULL "
                                        "ORDER BY old_id").fetchall()]
    for i in range(0, len(superseded), 500):
        s.execute(update(Activity).where(Activity.id.in_(superseded[i:i + 500])).values(active=False))
    _resolve_supplied(s, con, res.batch_id)
    cur = con.execute(f"""
        SELECT eid, period, carrier, CASE WHEN cap IS NOT NULL AND qty > cap * (1 + 1e-12) THEN cap ELSE qty END,
               feed, ox AND feed > 0, canonical_unit, q_raw, trim(unit_t, '{WHITESPACE}'),
               coalesce(old_version, 0) + 1, true, CASE WHEN old_id IS NOT NULL OR locked THEN $reason END, $batch
        FROM checked WHERE stage IS NULL ORDER BY eid, period, carrier""",  # index order: pages touched once
        {"reason": correction, "batch": res.batch_id})
    while chunk := cur.fetchmany(INSERT_CHUNK):
        _insert(s, chunk)
        res.rows_ok += len(chunk)


def _resolve_supplied(s: Session, con: duckdb.DuckDBPyConnection, batch_id: str) -> None:
    """Queue the keys of open quarantine rows this file supplies (read once; usually there are none)."""
    open_keys = [k for (k,) in s.execute(select(QuarantineRow.key).distinct().where(
        QuarantineRow.resolved_batch_id.is_(None), QuarantineRow.batch_id != batch_id,
        QuarantineRow.key.like("activity|%")))]
    if not open_keys:
        return
    con.register("open_keys", pa.table({"key": pa.array(open_keys, pa.string())}))
    for (key,) in con.sql("SELECT DISTINCT o.key FROM checked c JOIN open_keys o ON o.key = 'activity|' || c.uscc "
                          "|| '|' || c.period || '|' || c.carrier WHERE c.stage IS NULL").fetchall():
        resolve(s, key, batch_id)


def _raw(table: pa.Table, cols: list[str], idx: int) -> dict[str, str]:
    """Row `idx` as sent, as text (for the quarantine record)."""
    return _text(table.select(cols).slice(idx, 1).to_pylist()[0])


def _text(row: dict[str, Any]) -> dict[str, str]:
    return {k: "" if v is None else str(v).strip() for k, v in row.items()}


ACTIVITY_COLUMNS = ("enterprise_id", "period", "carrier", "quantity", "feedstock_quantity", "feedstock_oxidised",
                    "unit", "quantity_raw", "unit_raw", "version", "active", "reason", "batch_id")


def _insert(s: Session, rows: list[tuple[Any, ...]]) -> None:
    """Rows in the session's transaction: PostgreSQL by COPY, SQLite by one executemany of plain tuples
    (SQLAlchemy's per-row parameter processing cost more than the database's insert)."""
    conn = s.connection()
    columns = ", ".join(ACTIVITY_COLUMNS)
    if conn.dialect.name == "postgresql":
        raw: Any = conn.connection.dbapi_connection
        with raw.cursor() as cur, cur.copy(f"COPY activity ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA cache_size = -262144")  # 256 MiB for this connection's index pages
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(f"INSERT INTO activity ({columns}) VALUES ({', '.join([mark] * len(ACTIVITY_COLUMNS))})",
                         rows)


def _explain(r: dict[str, Any], row: dict[str, str]) -> tuple[str, str]:
    """The column and reason of a row the query refused, in the words every kind uses."""
    st = r["stage"]
    if st == "long":
        col, text = next((k, v) for k, v in row.items() if length_problem(v))
        return col, str(length_problem(text))
    if st == "where":
        return str(r["where_column"]), str(r["where_problem"])
    if st in ("carrier", "unit"):
        return str(r["factor_column"]), str(r["factor_problem"])
    if st in ("quantity", "feedstock"):
        col = "quantity" if st == "quantity" else "feedstock_quantity"
        try:
            number_field(row, col, optional=col != "quantity")
        except RowError as exc:
            return exc.column, exc.reason
        return col, f"{quote(row.get(col, ''))} is not a number"  # only whitespace Python strips and SQL keeps
    if st == "feed_exceeds":
        return "feedstock_quantity", (f"raw-material use {r['feed_raw']:g} exceeds the quantity {r['q_raw']:g} "
                                      f"{row.get('unit', '')} it is part of")
    if st == "in_file":
        what = "duplicate of" if math.isclose(r["first_qty"], r["qty"], rel_tol=1e-12) else "conflicts with"
        return "quantity", f"{what} row {r['first_row']} (same enterprise, period and carrier)"
    if st == "locked":
        return "period", (f"{r['period'][:4]} of {r['uscc']} is signed off by a verifier; re-import with a "
                          "correction reason to create a new version")
    assert st == "differs", st
    return "quantity", (f"differs from the stored {r['old_qty']:g} {r['old_unit']} (batch {r['old_batch'][:8]}); "
                        "re-import with a correction reason to supersede it")
