"""Reading the fields of an interchange row (docs/formats.md) and the bookkeeping every kind's import
shares: the row error that names its column, the line a row starts on, signed-off years, and marking
quarantined rows as resolved by the batch that supplied them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from nengtan.errors import InputError
from nengtan.identifiers import IdentifierError, parse_period, validate_uscc
from nengtan.ingest.fields import FieldError, parse_number, quote
from nengtan.ingest.tables import EARLIEST_YEAR, LINE, read_table
from nengtan.ingest.validate import signed_off_years
from nengtan.registry.tables.records import QuarantineRow


class RowError(ValueError):
    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


# -- field parsers ---------------------------------------------------------------------------------

def number_field(row: dict[str, str], col: str, allow_negative: bool = False, optional: bool = False) -> float | None:
    text = row.get(col, "").strip()
    if text == "":
        if optional:
            return None
        raise RowError(col, "is empty, a number is required")
    try:
        value = parse_number(text)
    except FieldError as exc:
        raise RowError(col, str(exc)) from None
    if value < 0 and not allow_negative:
        raise RowError(col, f"{value:g} is negative")
    return value


def in_range(row: dict[str, str], col: str, lo: float, hi: float) -> float | None:
    value = number_field(row, col, allow_negative=True, optional=True)
    if value is not None and not lo <= value <= hi:
        raise RowError(col, f"{value:g} is outside {lo:g} … {hi:g}")
    return value


def uscc_field(row: dict[str, str], known: dict[str, int] | None = None) -> str:
    try:
        code = validate_uscc(row.get("uscc", ""))
    except IdentifierError as exc:
        raise RowError("uscc", str(exc)) from None
    if known is not None and code not in known:
        raise RowError("uscc", f"enterprise {code} is not registered (import it in an enterprises file first)")
    return code


def period_field(row: dict[str, str]) -> str:
    try:
        p = parse_period(row.get("period", ""), lo_year=EARLIEST_YEAR, hi_year=dt.date.today().year)
    except IdentifierError as exc:
        raise RowError("period", str(exc)) from None
    if (p.year, p.month) > (dt.date.today().year, dt.date.today().month):
        raise RowError("period", f"{p} is in the future")
    return str(p)


def enterprise_period(row: dict[str, str], ents: dict[str, int], allowed: set[str] | None) -> tuple[str, str]:
    """The row's registered enterprise (one the caller may write) and its period."""
    uscc = uscc_field(row, ents)
    if allowed is not None and uscc not in allowed:
        raise RowError("uscc", f"enterprise {uscc} is not one you may write")
    return uscc, period_field(row)


def date_field(row: dict[str, str], col: str) -> dt.date | None:
    text = row.get(col, "").strip()
    if not text:
        return None
    try:  # the whole field: a date, or (XLSX cells) a date at midnight
        if len(text) > 10:
            d = dt.datetime.fromisoformat(text)
            if d.time() != dt.time():
                raise ValueError
            return d.date()
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RowError(col, f"{quote(text)} is not a date (YYYY-MM-DD)") from None


YES = ("1", "true", "yes", "y", "是")
"""What a yes/no field reads as yes (lower-cased, trimmed); anything else is no."""


def flag(row: dict[str, str], col: str) -> bool:
    return row.get(col, "").strip().lower() in YES


def year_locked(s: Session, enterprise_id: int, year: int) -> bool:
    """Is the enterprise-year signed off? (The locks are read once per import.)"""
    locks = s.info.get("locks")
    if locks is None:
        locks = s.info["locks"] = signed_off_years(s)
    return year in locks.get(enterprise_id, {})


def numbered(rows: list[dict[str, str]]) -> Iterator[tuple[int, dict[str, str]]]:
    """Each row with the line it starts on in the file (as an editor counts, blank lines included)."""
    for row in rows:
        yield int(row[LINE]), row


def resolve(s: Session, key: str, batch_id: str) -> None:
    """Mark quarantined rows with this key as resolved by the batch that supplied the row (queued, and
    applied set-wise by :func:`apply_resolutions` once the file is read)."""
    s.info.setdefault("resolve", []).append(key)


def apply_resolutions(s: Session, batch_id: str) -> None:
    """Resolve the queued keys that open quarantine rows of other batches hold: the open keys are read
    once and intersected with the file's (an import of 10⁶ clean rows issues no UPDATE at all)."""
    queued = set(s.info.pop("resolve", []))
    if not queued:
        return
    open_keys = set(s.scalars(select(QuarantineRow.key).distinct().where(
        QuarantineRow.resolved_batch_id.is_(None), QuarantineRow.batch_id != batch_id)))
    keys = sorted(queued & open_keys)
    for i in range(0, len(keys), 500):
        s.execute(update(QuarantineRow).where(QuarantineRow.key.in_(keys[i:i + 500]),
                                              QuarantineRow.resolved_batch_id.is_(None),
                                              QuarantineRow.batch_id != batch_id)
                  .values(resolved_batch_id=batch_id))


def table_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[str, dict[str, str]]]:
    """(``file:line``, row) of a CSV or XLSX table with at least `columns`, read as every import reads a table
    (nengtan.ingest.tables: encodings, delimiters, a repeated column refused, size bounds): the tables of the imports
    that are not interchange kinds (GECs, contracts, verification records, statistics, regions …)."""
    header, rows = read_table(path)
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(f"{path.name}: needs the columns {', '.join(columns)}; missing {', '.join(missing)}")
    if not rows:
        raise InputError(f"{path.name}: has no rows")
    return [(f"{path.name}:{n}", row) for n, row in numbered(rows)]


def number_at(text: str, where: str, what: str) -> float:
    """A number under the rule every import follows (nengtan.ingest.fields), refused with its place."""
    try:
        return parse_number(text)
    except FieldError as exc:
        raise InputError(f"{where}: {what} {exc}") from None
