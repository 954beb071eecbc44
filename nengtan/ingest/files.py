"""Importing the interchange files (CSV or XLSX): enterprises, meters, activity, economic, readings.

The formats are documented in docs/formats.md. Every import is one batch: the raw file is kept under
``<home>/raw/``, good rows land, each bad row is reported (file, row, column, what is wrong) and kept
in the quarantine table with its reason; nothing stored is changed silently. A row identical to a
stored one is a duplicate (no-op). A row that differs from a stored one, or falls in a year a
verifier has locked, is quarantined unless the import carries a correction reason, in which case it
becomes a new version and the old one stays on record.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import math
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from nengtan.config import Paths
from nengtan.factors import load_factor_set
from nengtan.factors.provinces import ProvinceError, normalise_province
from nengtan.identifiers import IdentifierError, parse_period, validate_uscc
from nengtan.lake import Lake
from nengtan.registry.models import (
    Activity,
    EconomicData,
    Enterprise,
    ImportBatch,
    Meter,
    QuarantineRow,
    YearLock,
)
from nengtan.registry.ops import ensure_park, new_batch, sector_codes, seed_sectors
from nengtan.registry.store import Registry
from nengtan.units import (
    CANONICAL_UNIT,
    UnitError,
    canonical_factor,
    known_spellings,
    normalise_unit,
    to_canonical,
)

KINDS = ("enterprises", "meters", "activity", "economic", "readings")

REQUIRED: dict[str, tuple[str, ...]] = {
    "enterprises": ("uscc", "name", "sector_code", "province"),
    "meters": ("meter_id", "uscc", "carrier", "unit", "kind"),
    "activity": ("uscc", "period", "carrier", "quantity", "unit"),
    "economic": ("uscc", "period", "value_added", "gross_output"),
    "readings": ("meter_id", "ts", "value", "unit"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "enterprises": ("key_energy_unit", "key_emission_unit", "lon", "lat", "entered_on", "left_on"),
    "meters": ("role", "parent_meter_id", "interval_s", "rollover", "installed_on"),
    "activity": (),
    "economic": ("value_added_constant",),
    "readings": ("quality",),
}
EARLIEST_YEAR = 2000


class ImportFileError(ValueError):
    """The file as a whole cannot be read (not CSV/XLSX, empty, missing columns)."""


@dataclass
class RowIssue:
    row: int
    column: str
    reason: str
    raw: dict[str, str]
    key: str = ""

    def line(self, file: str) -> str:
        return f"{file}:{self.row}: column {self.column}: {self.reason}"


@dataclass
class ImportResult:
    kind: str
    file: str
    batch_id: str
    rows_total: int = 0
    rows_ok: int = 0
    rows_duplicate: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    lake_version: int | None = None

    @property
    def rows_bad(self) -> int:
        return len(self.issues)

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "file": self.file, "batch_id": self.batch_id, "rows_total": self.rows_total,
                "rows_ok": self.rows_ok, "rows_duplicate": self.rows_duplicate, "rows_bad": self.rows_bad,
                "issues": [{"row": i.row, "column": i.column, "reason": i.reason} for i in self.issues]}


class RowError(ValueError):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


# -- reading files ---------------------------------------------------------------------------------

def _decode(data: bytes, name: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(f"{name}: not a text CSV (neither UTF-8 nor GB18030) and not an XLSX workbook")


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return repr(v)
    return str(v).strip()


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (all strings) of a CSV or the first sheet of an XLSX workbook."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read ({exc.strerror})") from exc
    if not data.strip():
        raise ImportFileError(f"{name}: the file is empty")
    if data[:4] == b"PK\x03\x04":
        import openpyxl

        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise ImportFileError(f"{name}: not a readable XLSX workbook ({exc.__class__.__name__})") from exc
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header_row = next(it, None)
        if header_row is None:
            raise ImportFileError(f"{name}: the first sheet is empty")
        header = [_cell(h).lower() for h in header_row]
        rows = [{h: _cell(v) for h, v in zip(header, r, strict=False) if h} for r in it
                if any(v not in (None, "") for v in r)]
        return [h for h in header if h], rows
    if b"\x00" in data[:4096]:
        raise ImportFileError(f"{name}: a binary file, not CSV or XLSX")
    text = _decode(data, name)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    reader = csv.reader(io.StringIO(text), dialect)
    header_raw = next(reader, None)
    if not header_raw:
        raise ImportFileError(f"{name}: no header line")
    header = [h.strip().lower() for h in header_raw]
    rows = []
    for r in reader:
        if not any(c.strip() for c in r):
            continue
        rows.append({h: (r[i].strip() if i < len(r) else "") for i, h in enumerate(header)})
    return header, rows


def _check_columns(kind: str, header: list[str], name: str) -> None:
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        raise ImportFileError(
            f"{name}: a {kind} file needs the columns {','.join(REQUIRED[kind])}; missing {','.join(missing)} "
            f"(found {','.join(header) or 'none'})")


# -- field parsers ---------------------------------------------------------------------------------

def _number(row: dict[str, str], col: str, allow_negative: bool = False, optional: bool = False) -> float | None:
    text = row.get(col, "").replace(",", "").strip()
    if text == "":
        if optional:
            return None
        raise RowError(col, "is empty, a number is required")
    try:
        value = float(text)
    except ValueError:
        raise RowError(col, f"{row.get(col)!r} is not a number") from None
    if math.isnan(value) or math.isinf(value):
        raise RowError(col, f"{row.get(col)!r} is not a finite number")
    if value < 0 and not allow_negative:
        raise RowError(col, f"{value:g} is negative")
    return value


def _uscc(row: dict[str, str], known: dict[str, int] | None = None) -> str:
    try:
        code = validate_uscc(row.get("uscc", ""))
    except IdentifierError as exc:
        raise RowError("uscc", str(exc)) from None
    if known is not None and code not in known:
        raise RowError("uscc", f"enterprise {code} is not registered (import it in an enterprises file first)")
    return code


def _period(row: dict[str, str]) -> str:
    try:
        p = parse_period(row.get("period", ""), lo_year=EARLIEST_YEAR, hi_year=dt.date.today().year)
    except IdentifierError as exc:
        raise RowError("period", str(exc)) from None
    if (p.year, p.month) > (dt.date.today().year, dt.date.today().month):
        raise RowError("period", f"{p} is in the future")
    return str(p)


def _date(row: dict[str, str], col: str) -> dt.date | None:
    text = row.get(col, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise RowError(col, f"{text!r} is not a date (YYYY-MM-DD)") from None


def _flag(row: dict[str, str], col: str) -> bool:
    return row.get(col, "").strip().lower() in ("1", "true", "yes", "y", "是")


# -- the import ------------------------------------------------------------------------------------

def _keep_raw(paths: Paths, path: Path, sha: str) -> None:
    paths.raw.mkdir(parents=True, exist_ok=True)
    target = paths.raw / f"{sha}{path.suffix.lower()}"
    if not target.exists():
        tmp = target.with_suffix(target.suffix + ".tmp")
        shutil.copyfile(path, tmp)
        tmp.replace(target)


def _locked(s: Session, enterprise_id: int, year: int) -> bool:
    return s.execute(select(YearLock.id).where(YearLock.enterprise_id == enterprise_id,
                                               YearLock.year == year)).first() is not None


def import_file(reg: Registry, paths: Paths, kind: str, path: str | Path, correction: str | None = None,
                created_by: str = "cli", allowed_usccs: set[str] | None = None,
                progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import one interchange file as one batch. See the module docstring for the rules.

    `allowed_usccs` restricts which enterprises the file may touch (an enterprise user's own); rows of
    other enterprises are quarantined. `correction` is the reason that lets rows supersede stored ones.
    Raises ImportFileError when the file as a whole cannot be read.
    """
    if kind not in KINDS:
        raise ImportFileError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    p = Path(path)
    rows: list[dict[str, str]] | pa.Table
    if kind == "readings":
        rows = _readings_table(p)
        header = [c.lower() for c in rows.column_names]
        rows = rows.rename_columns(header)
    else:
        header, rows = read_table(p)
    _check_columns(kind, header, p.name)
    sha = hashlib.sha256(p.read_bytes()).hexdigest()
    _keep_raw(paths, p, sha)
    with reg.session() as s:
        seed_sectors(s)
        batch = new_batch(s, kind, p.name, sha, created_by)
        result = ImportResult(kind, p.name, batch.id, rows_total=len(rows))
        if isinstance(rows, pa.Table):
            _validate_and_write_readings(s, rows, result, allowed_usccs, paths)
        else:
            _HANDLERS[kind](s, rows, result, correction, allowed_usccs, paths)
        for issue in result.issues:
            s.add(QuarantineRow(batch_id=batch.id, kind=kind, file=p.name, row=issue.row, column=issue.column,
                                reason=issue.reason, raw=json.dumps(issue.raw, ensure_ascii=False), key=issue.key))
        batch.rows_total = result.rows_total
        batch.rows_ok = result.rows_ok
        batch.rows_duplicate = result.rows_duplicate
        batch.rows_bad = result.rows_bad
    if progress:
        progress(len(rows), len(rows))
    return result


def _resolve(s: Session, key: str, batch_id: str) -> None:
    """Mark quarantined rows with this key as resolved by the batch that supplied the row."""
    s.execute(update(QuarantineRow).where(QuarantineRow.key == key, QuarantineRow.resolved_batch_id.is_(None),
                                          QuarantineRow.batch_id != batch_id)
              .values(resolved_batch_id=batch_id))


def _enterprise_ids(s: Session) -> dict[str, int]:
    return {u: i for u, i in s.execute(select(Enterprise.uscc, Enterprise.id))}


def _import_enterprises(s: Session, rows: list[dict[str, str]], res: ImportResult, correction: str | None,
                        allowed: set[str] | None, _paths: Paths) -> None:
    park = ensure_park(s)
    sectors = sector_codes(s)
    stored = {e.uscc: e for e in s.execute(select(Enterprise)).scalars()}
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=2):
        try:
            code = _uscc(row)
            key = f"enterprise|{code}"
            if allowed is not None and code not in allowed:
                raise RowError("uscc", f"enterprise {code} is not one you may write")
            if code in seen:
                raise RowError("uscc", f"duplicate of row {seen[code]}")
            name = row.get("name", "").strip()
            if not name:
                raise RowError("name", "is empty")
            sector = row.get("sector_code", "").strip()
            if not sector.isdigit() or sector[:2] not in sectors:
                raise RowError("sector_code", f"{sector!r} is not a GB/T 4754-2017 code nengtan knows")
            try:
                province = normalise_province(row.get("province", ""))
            except ProvinceError as exc:
                raise RowError("province", str(exc)) from None
            values = {"name": name, "sector_code": sector, "province": province,
                      "key_energy_unit": _flag(row, "key_energy_unit"),
                      "key_emission_unit": _flag(row, "key_emission_unit"),
                      "lon": _number(row, "lon", allow_negative=True, optional=True),
                      "lat": _number(row, "lat", allow_negative=True, optional=True),
                      "entered_on": _date(row, "entered_on"), "left_on": _date(row, "left_on")}
        except RowError as exc:
            res.issues.append(RowIssue(n, exc.column, exc.reason, row, f"enterprise|{row.get('uscc', '').upper()}"))
            continue
        seen[code] = n
        old = stored.get(code)
        if old is None:
            s.add(Enterprise(park_id=park.id, uscc=code, **values))
            res.rows_ok += 1
        else:
            changed = {k: v for k, v in values.items() if getattr(old, k) != v and not (v is None or v is False)}
            if not changed:
                res.rows_duplicate += 1
                continue
            if correction is None:
                what = ", ".join(f"{k} {getattr(old, k)!r}→{v!r}" for k, v in changed.items())
                res.issues.append(RowIssue(n, next(iter(changed)),
                                           f"differs from the registered enterprise ({what}); "
                                           "re-import with a correction reason to change it", row, key))
                continue
            for k, v in changed.items():
                setattr(old, k, v)
            res.rows_ok += 1
        _resolve(s, key, res.batch_id)
    s.flush()


def _import_meters(s: Session, rows: list[dict[str, str]], res: ImportResult, correction: str | None,
                   allowed: set[str] | None, _paths: Paths) -> None:
    ents = _enterprise_ids(s)
    stored = {m.code: m for m in s.execute(select(Meter)).scalars()}
    seen: dict[str, int] = {}
    pending_parents: list[tuple[Meter, str, int, dict[str, str]]] = []
    for n, row in enumerate(rows, start=2):
        try:
            code = row.get("meter_id", "").strip()
            if not code:
                raise RowError("meter_id", "is empty")
            if code in seen:
                raise RowError("meter_id", f"duplicate of row {seen[code]}")
            uscc = _uscc(row, ents)
            if allowed is not None and uscc not in allowed:
                raise RowError("uscc", f"enterprise {uscc} is not one you may write")
            carrier = row.get("carrier", "").strip()
            if carrier not in CANONICAL_UNIT:
                raise RowError("carrier", f"unknown carrier {carrier!r} (one of {', '.join(CANONICAL_UNIT)})")
            try:
                canonical_factor(carrier, row.get("unit", ""))
            except UnitError as exc:
                raise RowError("unit", str(exc)) from None
            kind = row.get("kind", "").strip()
            if kind not in ("counter", "interval", "statement"):
                raise RowError("kind", f"{kind!r} is not counter, interval or statement")
            role = row.get("role", "").strip() or "main"
            if role not in ("main", "sub"):
                raise RowError("role", f"{role!r} is not main or sub")
            parent = row.get("parent_meter_id", "").strip()
            if role == "sub" and not parent:
                raise RowError("parent_meter_id", "a sub meter needs its parent meter")
            interval = _number(row, "interval_s", optional=True)
            if interval is not None and interval <= 0:
                raise RowError("interval_s", "must be positive")
        except RowError as exc:
            res.issues.append(RowIssue(n, exc.column, exc.reason, row, f"meter|{row.get('meter_id', '')}"))
            continue
        seen[code] = n
        if code in stored:
            res.rows_duplicate += 1
            continue
        meter = Meter(code=code, enterprise_id=ents[uscc], carrier=carrier, unit=normalise_unit(row["unit"]),
                      kind=kind, role=role, interval_s=int(interval or 900),
                      rollover=_number(row, "rollover", optional=True), installed_on=_date(row, "installed_on"))
        s.add(meter)
        stored[code] = meter
        if parent:
            pending_parents.append((meter, parent, n, row))
        res.rows_ok += 1
        _resolve(s, f"meter|{code}", res.batch_id)
    s.flush()
    for meter, parent, n, row in pending_parents:
        p = stored.get(parent)
        if p is None or p.enterprise_id != meter.enterprise_id:
            s.delete(meter)
            res.rows_ok -= 1
            res.issues.append(RowIssue(n, "parent_meter_id", f"parent meter {parent!r} is not a meter of the same "
                                       "enterprise", row, f"meter|{meter.code}"))
        else:
            meter.parent_id = p.id
    s.flush()


def _import_activity(s: Session, rows: list[dict[str, str]], res: ImportResult, correction: str | None,
                     allowed: set[str] | None, _paths: Paths) -> None:
    ents = _enterprise_ids(s)
    fs = load_factor_set()
    stored: dict[tuple[int, str, str], Activity] = {}
    for a in s.execute(select(Activity).where(Activity.active.is_(True))).scalars():
        stored[(a.enterprise_id, a.period, a.carrier)] = a
    seen: dict[tuple[str, str, str], tuple[int, float]] = {}
    for n, row in enumerate(rows, start=2):
        key = f"activity|{row.get('uscc', '').upper()}|{row.get('period', '')}|{row.get('carrier', '')}"
        try:
            uscc = _uscc(row, ents)
            if allowed is not None and uscc not in allowed:
                raise RowError("uscc", f"enterprise {uscc} is not one you may write")
            period = _period(row)
            carrier = row.get("carrier", "").strip()
            if carrier not in CANONICAL_UNIT:
                raise RowError("carrier", f"unknown carrier {carrier!r} (one of {', '.join(CANONICAL_UNIT)})")
            qty_raw = _number(row, "quantity")
            assert qty_raw is not None
            unit_raw = row.get("unit", "").strip()
            try:
                qty = to_canonical(carrier, qty_raw, unit_raw, fs.density(carrier))
            except UnitError as exc:
                raise RowError("unit", str(exc)) from None
            key = f"activity|{uscc}|{period}|{carrier}"
            k3 = (uscc, period, carrier)
            if k3 in seen:
                first, q0 = seen[k3]
                what = "duplicate of" if math.isclose(q0, qty, rel_tol=1e-12) else "conflicts with"
                raise RowError("quantity", f"{what} row {first} (same enterprise, period and carrier)")
            seen[k3] = (n, qty)
            eid = ents[uscc]
            old = stored.get((eid, period, carrier))
            locked = _locked(s, eid, int(period[:4]))
            if old is not None and math.isclose(old.quantity, qty, rel_tol=1e-9, abs_tol=1e-9):
                res.rows_duplicate += 1
                continue
            if locked and correction is None:
                raise RowError("period", f"{period[:4]} of {uscc} is signed off by a verifier; "
                                         "re-import with a correction reason to create a new version")
            if old is not None and correction is None:
                raise RowError("quantity", f"differs from the stored {old.quantity:g} {old.unit} "
                                           f"(batch {old.batch_id[:8]}); re-import with a correction reason "
                                           "to supersede it")
        except RowError as exc:
            res.issues.append(RowIssue(n, exc.column, exc.reason, row, key))
            continue
        version = 1
        if old is not None:
            old.active = False
            version = old.version + 1
        s.add(Activity(enterprise_id=eid, period=period, carrier=carrier, quantity=qty,
                       unit=CANONICAL_UNIT[carrier], quantity_raw=qty_raw, unit_raw=unit_raw, version=version,
                       active=True, reason=correction if old is not None or locked else None,
                       batch_id=res.batch_id))
        s.flush()
        res.rows_ok += 1
        _resolve(s, key, res.batch_id)


def _import_economic(s: Session, rows: list[dict[str, str]], res: ImportResult, correction: str | None,
                     allowed: set[str] | None, _paths: Paths) -> None:
    ents = _enterprise_ids(s)
    stored = {(e.enterprise_id, e.period): e
              for e in s.execute(select(EconomicData).where(EconomicData.active.is_(True))).scalars()}
    seen: dict[tuple[str, str], int] = {}
    for n, row in enumerate(rows, start=2):
        key = f"economic|{row.get('uscc', '').upper()}|{row.get('period', '')}"
        try:
            uscc = _uscc(row, ents)
            if allowed is not None and uscc not in allowed:
                raise RowError("uscc", f"enterprise {uscc} is not one you may write")
            period = _period(row)
            key = f"economic|{uscc}|{period}"
            if (uscc, period) in seen:
                raise RowError("period", f"duplicate of row {seen[(uscc, period)]}")
            seen[(uscc, period)] = n
            va = _number(row, "value_added")
            go = _number(row, "gross_output")
            vac = _number(row, "value_added_constant", optional=True)
            eid = ents[uscc]
            old = stored.get((eid, period))
            if old is not None and (old.value_added, old.gross_output, old.value_added_constant) == (va, go, vac):
                res.rows_duplicate += 1
                continue
            locked = _locked(s, eid, int(period[:4]))
            if (old is not None or locked) and correction is None:
                why = "the year is signed off by a verifier" if locked else \
                    f"differs from the stored value added {old.value_added:g} 万元" if old else ""
                raise RowError("value_added", f"{why}; re-import with a correction reason to create a new version")
        except RowError as exc:
            res.issues.append(RowIssue(n, exc.column, exc.reason, row, key))
            continue
        version = 1
        if old is not None:
            old.active = False
            version = old.version + 1
        assert va is not None and go is not None
        s.add(EconomicData(enterprise_id=eid, period=period, value_added=va, gross_output=go,
                           value_added_constant=vac, version=version, active=True,
                           reason=correction if old is not None else None, batch_id=res.batch_id))
        s.flush()
        res.rows_ok += 1
        _resolve(s, key, res.batch_id)


# -- readings: vectorised validation with DuckDB ---------------------------------------------------

def _readings_table(path: Path) -> pa.Table:
    """A readings file as an Arrow table: Parquet as it is, CSV read by Arrow as text, XLSX via openpyxl."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    name = path.name
    try:
        head = path.read_bytes()[:4] if path.stat().st_size else b""
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read ({exc.strerror})") from exc
    if head == b"PAR1":
        try:
            return pq.read_table(path)
        except pa.ArrowException as exc:
            raise ImportFileError(f"{name}: not a readable Parquet file ({exc})") from exc
    if head[:4] == b"PK\x03\x04" or not head:
        header, rows = read_table(path)
        return pa.Table.from_pylist(rows) if rows else pa.table({h: pa.array([], pa.string()) for h in header})
    try:
        first = path.open("rb").readline()
        names = [c.strip().lower() for c in _decode(first, name).strip().split(",")]
        return pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in names}, strings_can_be_null=True))
    except (pa.ArrowException, ImportFileError):
        header, rows = read_table(path)
        return pa.Table.from_pylist(rows) if rows else pa.table({h: pa.array([], pa.string()) for h in header})


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
SELECT row_no, CAST(meter_id AS VARCHAR) AS meter_id, t AS ts, v * factor AS value, carrier,
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


def _validate_and_write_readings(s: Session, table: pa.Table, res: ImportResult, allowed: set[str] | None,
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
            commit = lake.write_batch(readings, str(carrier), meta={"source": res.file, "batch": res.batch_id})
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
        _validate_and_write_readings(s, table, res, allowed_usccs, paths)
        for issue in res.issues:
            s.add(QuarantineRow(batch_id=batch.id, kind="readings", file=name, row=issue.row, column=issue.column,
                                reason=issue.reason, raw=json.dumps(issue.raw, ensure_ascii=False), key=issue.key))
        batch.rows_total, batch.rows_ok = res.rows_total, res.rows_ok
        batch.rows_duplicate, batch.rows_bad = res.rows_duplicate, res.rows_bad
    return res


_HANDLERS: dict[str, Callable[[Session, list[dict[str, str]], ImportResult, str | None, set[str] | None, Paths],
                              None]] = {
    "enterprises": _import_enterprises,
    "meters": _import_meters,
    "activity": _import_activity,
    "economic": _import_economic,
}


def quarantine(reg: Registry, open_only: bool = True, kinds: Iterable[str] | None = None) -> list[QuarantineRow]:
    """Quarantined rows (by default those no later batch has resolved)."""
    with reg.session() as s:
        q = select(QuarantineRow).order_by(QuarantineRow.id)
        if open_only:
            q = q.where(QuarantineRow.resolved_batch_id.is_(None))
        if kinds is not None:
            q = q.where(QuarantineRow.kind.in_(list(kinds)))
        return list(s.execute(q).scalars())


def batches(reg: Registry) -> list[ImportBatch]:
    with reg.session() as s:
        return list(s.execute(select(ImportBatch).order_by(ImportBatch.seq)).scalars())

