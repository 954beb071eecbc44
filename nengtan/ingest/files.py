"""Importing the interchange files (CSV or XLSX): enterprises, meters, activity, economic, readings.

The formats are documented in docs/formats.md. Every import is one batch: the raw file is kept under
``<home>/raw/``, good rows land, each bad row is reported (file, row, column, what is wrong) and kept
in the quarantine table with its reason; nothing stored is changed silently. A row identical to a
stored one is a duplicate (no-op). A row that differs from a stored one, or falls in a year a
verifier has locked, is quarantined unless the import carries a correction reason, in which case it
becomes a new version and the old one stays on record.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyarrow as pa
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from nengtan.config import Paths
from nengtan.factors.provinces import ProvinceError, normalise_province
from nengtan.ingest import KINDS
from nengtan.ingest.activity import import_activity
from nengtan.ingest.fields import length_problem, quote
from nengtan.ingest.readings_file import import_readings_table, validate_and_write_readings
from nengtan.ingest.rows import (
    RowError,
    apply_resolutions,
    date_field,
    enterprise_period,
    flag,
    in_range,
    number_field,
    numbered,
    resolve,
    uscc_field,
    year_locked,
)
from nengtan.ingest.tables import (
    LINE,
    REQUIRED,
    ImportFileError,
    ImportResult,
    RowIssue,
    check_columns,
    read_table,
    table_chunks,
    whole_table,
)
from nengtan.registry import audit
from nengtan.registry.ops import ensure_park, new_batch, sector_codes, seed_sectors
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import EconomicData, Enterprise, Meter, Park
from nengtan.registry.tables.records import Activity, ImportBatch, QuarantineRow
from nengtan.units import CANONICAL_UNIT, UnitError, canonical_factor, normalise_unit

__all__ = ["KINDS", "REQUIRED", "ImportFileError", "ImportResult", "RowIssue", "batches", "import_file",
           "import_readings_table", "quarantine"]


# -- the import ------------------------------------------------------------------------------------

def _keep_raw(paths: Paths, path: Path, sha: str) -> None:
    paths.raw.mkdir(parents=True, exist_ok=True)
    target = paths.raw / f"{sha}{path.suffix.lower()}"
    if not target.exists():
        tmp = target.with_suffix(target.suffix + ".tmp")
        shutil.copyfile(path, tmp)
        tmp.replace(target)


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
    rows: list[dict[str, str]] | pa.Table | Iterator[pa.Table]
    if kind == "readings":  # streamed in chunks: a file of any length costs bounded memory
        header, rows = table_chunks(p)
    elif kind == "activity":  # set-wise
        rows = whole_table(p)
        header = [c.lower() for c in rows.column_names]
        rows = rows.rename_columns(header)
    else:
        header, rows = read_table(p)
    check_columns(kind, header, p.name)
    with p.open("rb") as fh:
        sha = hashlib.file_digest(fh, "sha256").hexdigest()
    _keep_raw(paths, p, sha)
    with reg.session(write=True) as s:
        seed_sectors(s)
        batch = new_batch(s, kind, p.name, sha, created_by)
        result = ImportResult(kind, p.name, batch.id, rows_total=len(rows) if isinstance(rows, list | pa.Table) else 0)
        if kind == "activity":
            assert isinstance(rows, pa.Table)
            import_activity(s, rows, result, correction, allowed_usccs, paths)
        elif kind == "readings":
            assert not isinstance(rows, list)
            validate_and_write_readings(s, rows, result, allowed_usccs, paths, correction)
        else:
            assert isinstance(rows, list)
            _HANDLERS[kind](s, _refuse_long_fields(rows, result), result, correction, allowed_usccs, paths)
        apply_resolutions(s, batch.id)
        if result.issues:  # one multi-row INSERT (a file of bad rows is as fast as a good one)
            s.execute(insert(QuarantineRow), [
                {"batch_id": batch.id, "kind": kind, "file": p.name, "row": i.row, "column": i.column,
                 "reason": i.reason, "raw": json.dumps(i.raw, ensure_ascii=False), "key": i.key}
                for i in result.issues])
        batch.rows_total = result.rows_total
        batch.rows_ok = result.rows_ok
        batch.rows_duplicate = result.rows_duplicate
        batch.rows_bad = result.rows_bad
        audit.record(s, created_by, f"import.{kind}", f"batch:{batch.id}",
                     {"file": p.name, "sha256": sha, "rows_ok": result.rows_ok, "rows_bad": result.rows_bad,
                      "rows_duplicate": result.rows_duplicate, "rows_revised": result.rows_revised,
                      "correction": correction, "lake_version": result.lake_version})
    if progress:
        progress(result.rows_total, result.rows_total)
    return result


def _refuse_long_fields(rows: list[dict[str, str]], res: ImportResult) -> list[dict[str, str]]:
    """Rows with a field longer than any column takes are quarantined before the kind's rules run."""
    kept = []
    for row in rows:
        long = next(((k, v) for k, v in row.items() if k != LINE and length_problem(v)), None)
        if long is None:
            kept.append(row)
        else:
            res.issues.append(RowIssue(int(row[LINE]), long[0], str(length_problem(long[1])), row))
    return kept


def _supersede(old: Activity | EconomicData | None) -> int:
    """Deactivate the stored row a correction replaces (it stays on record); the new row's version."""
    if old is None:
        return 1
    old.active = False
    return old.version + 1


def _enterprise_ids(s: Session) -> dict[str, int]:
    return {u: i for u, i in s.execute(select(Enterprise.uscc, Enterprise.id))}


def _import_enterprises(s: Session, rows: list[dict[str, str]], res: ImportResult, correction: str | None,
                        allowed: set[str] | None, _paths: Paths) -> None:
    park = ensure_park(s)
    parks = {p.code: p.id for p in s.execute(select(Park)).scalars()}
    sectors = sector_codes(s)
    stored = {e.uscc: e for e in s.execute(select(Enterprise)).scalars()}
    seen: dict[str, int] = {}
    for n, row in numbered(rows):
        try:
            code = uscc_field(row)
            key = f"enterprise|{code}"
            if allowed is not None and code not in allowed:
                raise RowError("uscc", f"enterprise {code} is not one you may write")
            if code in seen:
                raise RowError("uscc", f"duplicate of row {seen[code]}")
            name = row.get("name", "").strip()
            if not name:
                raise RowError("name", "is empty")
            if len(name) > 200:
                raise RowError("name", f"is {len(name):,} characters long (at most 200): {quote(name)}")
            sector = row.get("sector_code", "").strip()
            if not sector.isdigit() or len(sector) > 4 or sector[:2] not in sectors:
                raise RowError("sector_code", f"{sector!r} is not a GB/T 4754-2017 code nengtan knows")
            try:
                province = normalise_province(row.get("province", ""))
            except ProvinceError as exc:
                raise RowError("province", str(exc)) from None
            park_code = row.get("park", "").strip()
            if park_code and park_code not in parks:
                raise RowError("park", f"park {park_code!r} is not registered (nengtan region park --code …)")
            values = {"name": name, "sector_code": sector, "province": province,
                      "key_energy_unit": flag(row, "key_energy_unit"),
                      "key_emission_unit": flag(row, "key_emission_unit"),
                      "lon": in_range(row, "lon", -180.0, 180.0),
                      "lat": in_range(row, "lat", -90.0, 90.0),
                      "entered_on": date_field(row, "entered_on"), "left_on": date_field(row, "left_on")}
        except RowError as exc:
            res.issues.append(RowIssue(n, exc.column, exc.reason, row, f"enterprise|{row.get('uscc', '').upper()}"))
            continue
        seen[code] = n
        old = stored.get(code)
        if park_code:
            values["park_id"] = parks[park_code]
        if old is None:
            s.add(Enterprise(uscc=code, **{"park_id": park.id, **values}))
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
        resolve(s, key, res.batch_id)
    s.flush()


def _import_meters(s: Session, rows: list[dict[str, str]], res: ImportResult, correction: str | None,
                   allowed: set[str] | None, _paths: Paths) -> None:
    ents = _enterprise_ids(s)
    stored = {m.code: m for m in s.execute(select(Meter)).scalars()}
    seen: dict[str, int] = {}
    pending_parents: list[tuple[Meter, str, int, dict[str, str]]] = []
    for n, row in numbered(rows):
        try:
            code = row.get("meter_id", "").strip()
            if not code:
                raise RowError("meter_id", "is empty")
            if len(code) > 64:
                raise RowError("meter_id", f"{quote(code)} is longer than 64 characters")
            if code in seen:
                raise RowError("meter_id", f"duplicate of row {seen[code]}")
            uscc = uscc_field(row, ents)
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
            interval = number_field(row, "interval_s", optional=True)
            if interval is not None and (interval <= 0 or not interval.is_integer()):
                raise RowError("interval_s", f"{interval:g} is not a positive whole number of seconds")
            rollover = number_field(row, "rollover", optional=True)
            installed_on = date_field(row, "installed_on")
            definition = {"enterprise_id": ents[uscc], "carrier": carrier, "unit": normalise_unit(row["unit"]),
                          "kind": kind, "role": role, "interval_s": int(interval or 900), "rollover": rollover,
                          "installed_on": installed_on}
            old = stored.get(code)
            changed = {} if old is None else {k: v for k, v in definition.items() if getattr(old, k) != v}
            if changed and correction is None:
                what = ", ".join(f"{k} {getattr(old, k)!r}→{v!r}" for k, v in changed.items())
                raise RowError(next(iter(changed)), f"differs from the registered meter ({what}); re-import "
                                                    "with a correction reason to change it")
        except RowError as exc:
            res.issues.append(RowIssue(n, exc.column, exc.reason, row, f"meter|{row.get('meter_id', '')}"))
            continue
        seen[code] = n
        if old is not None:
            if not changed:
                res.rows_duplicate += 1
                continue
            for k, v in changed.items():  # a correction: the meter's definition changes, with its reason
                setattr(old, k, v)
            res.rows_ok += 1
            resolve(s, f"meter|{code}", res.batch_id)
            continue
        meter = Meter(code=code, **definition)
        s.add(meter)
        stored[code] = meter
        if parent:
            pending_parents.append((meter, parent, n, row))
        res.rows_ok += 1
        resolve(s, f"meter|{code}", res.batch_id)
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


def _import_economic(s: Session, rows: list[dict[str, str]], res: ImportResult, correction: str | None,
                     allowed: set[str] | None, _paths: Paths) -> None:
    ents = _enterprise_ids(s)
    stored = {(e.enterprise_id, e.period): e
              for e in s.execute(select(EconomicData).where(EconomicData.active.is_(True))).scalars()}
    seen: dict[tuple[str, str], int] = {}
    for n, row in numbered(rows):
        key = f"economic|{row.get('uscc', '').upper()}|{row.get('period', '')}"
        try:
            uscc, period = enterprise_period(row, ents, allowed)
            key = f"economic|{uscc}|{period}"
            if (uscc, period) in seen:
                raise RowError("period", f"duplicate of row {seen[(uscc, period)]}")
            seen[(uscc, period)] = n
            va = number_field(row, "value_added")
            go = number_field(row, "gross_output")
            vac = number_field(row, "value_added_constant", optional=True)
            eid = ents[uscc]
            old = stored.get((eid, period))
            if old is not None and (old.value_added, old.gross_output, old.value_added_constant) == (va, go, vac):
                res.rows_duplicate += 1
                continue
            locked = year_locked(s, eid, int(period[:4]))
            if (old is not None or locked) and correction is None:
                why = "the year is signed off by a verifier" if locked else \
                    f"differs from the stored value added {old.value_added:g} 万元" if old else ""
                raise RowError("value_added", f"{why}; re-import with a correction reason to create a new version")
        except RowError as exc:
            res.issues.append(RowIssue(n, exc.column, exc.reason, row, key))
            continue
        version = _supersede(old)
        assert va is not None and go is not None
        s.add(EconomicData(enterprise_id=eid, period=period, value_added=va, gross_output=go,
                           value_added_constant=vac, version=version, active=True,
                           reason=correction if old is not None or locked else None, batch_id=res.batch_id))
        res.rows_ok += 1
        resolve(s, key, res.batch_id)


_HANDLERS: dict[str, Callable[[Session, list[dict[str, str]], ImportResult, str | None, set[str] | None, Paths],
                              None]] = {
    "enterprises": _import_enterprises,
    "meters": _import_meters,
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

