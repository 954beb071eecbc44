"""How a field of an interchange file is read: numbers, and how much of a bad field a message quotes.

Numbers (docs/formats.md, "Numbers"), the same on every import kind and path — Python here, and the
DuckDB expression :func:`number_sql` for the set-wise readings paths:

* a plain decimal (``1234``, ``-12.5``, ``.5``) or scientific notation (``1.2e3``);
* thousands separators only in correct groups of three with a ``.`` decimal (``1,234`` ``1,234,567.5``);
* anything else is refused with the reason: a decimal comma (``1,5``, ``18,50``, ``1.234,5``),
  misplaced separators (``12,34``, ``1,2,3,4``), full-width digits (``１２``), words, NaN and ∞.

A field is read whole: text after a number is not ignored. A message quotes at most :data:`QUOTE_CHARS`
characters of what it refers to, so a megabyte-long field is never echoed back.
"""

from __future__ import annotations

import math
import re

PLAIN = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"  # ASCII digits only (\d is Unicode)
GROUPED = r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?"
_PLAIN = re.compile(PLAIN)
_GROUPED = re.compile(GROUPED)
_FULL_WIDTH = re.compile("[\uff10-\uff19\uff0c\uff0e]")
QUOTE_CHARS = 60
MAX_FIELD_CHARS = 2000
"""The longest field any column takes; longer is refused (names and units are far shorter)."""


class FieldError(ValueError):
    """A field that cannot be read; the message says why."""


def quote(text: object, limit: int = QUOTE_CHARS) -> str:
    """``repr`` of a field for a message, cut to `limit` characters with the full length said."""
    s = str(text)
    if len(s) <= limit:
        return repr(s)
    return repr(s[:limit]) + f"… ({len(s):,} characters)"


def number_problem(text: str) -> str | None:
    """Why `text` is not a number nengtan reads (None: it is one)."""
    t = text.strip()
    if _PLAIN.fullmatch(t) or _GROUPED.fullmatch(t):
        return None
    if _FULL_WIDTH.search(t):
        return f"{quote(text)} has full-width digits or separators; write ASCII digits (1234.5)"
    if "," in t:
        return (f"{quote(text)} is ambiguous: use '.' for decimals and ',' only between groups of three "
                "digits (1234.5 or 1,234.5)")
    return f"{quote(text)} is not a number"


def parse_number(text: str) -> float:
    """The value of a number field (see the module docstring); raises FieldError with the reason."""
    problem = number_problem(text)
    if problem is not None:
        raise FieldError(problem)
    value = float(text.strip().replace(",", ""))
    if math.isinf(value):
        raise FieldError(f"{quote(text)} is not a finite number")
    return value


def number_sql(expr: str) -> str:
    """DuckDB: the DOUBLE value of the text `expr` under the same rules, NULL when it is not a number."""
    e = f"trim(CAST({expr} AS VARCHAR))"
    return (f"CASE WHEN regexp_full_match({e}, '{PLAIN}') THEN TRY_CAST({e} AS DOUBLE) "
            f"WHEN regexp_full_match({e}, '{GROUPED}') THEN TRY_CAST(replace({e}, ',', '') AS DOUBLE) END")


def number_problem_sql(expr: str) -> str:
    """DuckDB: the reason the text `expr` is not a number (for rows whose value is NULL)."""
    e = f"CAST({expr} AS VARCHAR)"
    shown = f"'''' || left({e}, {QUOTE_CHARS}) || ''''"
    return (f"CASE WHEN regexp_matches({e}, '[０-９，．]') THEN {shown} || ' has full-width digits or separators; "
            "write ASCII digits (1234.5)' "
            f"WHEN contains({e}, ',') THEN {shown} || ' is ambiguous: use ''.'' for decimals and '','' only "
            "between groups of three digits (1234.5 or 1,234.5)' "
            f"ELSE {shown} || ' is not a number' END")


def length_problem(text: str) -> str | None:
    """Why a field is too long to take (None: it is not)."""
    if len(text) > MAX_FIELD_CHARS:
        return f"is {len(text):,} characters long (at most {MAX_FIELD_CHARS:,}): {quote(text)}"
    return None


def for_record(row: dict[str, str]) -> dict[str, str]:
    """A row as quarantine keeps it: every field cut to MAX_FIELD_CHARS (the file itself is kept whole)."""
    return {k: v if len(v) <= MAX_FIELD_CHARS else v[:MAX_FIELD_CHARS] + "…" for k, v in row.items()}
