"""Identifiers and periods.

* 统一社会信用代码 (unified social credit code, USCC): 18 characters, check digit per GB 32100-2015
  clause 4.2 / annex B (modulus 31 with weights 3^(i-1) mod 31).
* Periods: calendar months written ``YYYY-MM`` (Asia/Shanghai calendar, see DESIGN.md conventions).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from nengtan.errors import InputError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters GB 32100-2015 allows (no I, O, S, V, Z), in the order of their values."""

USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
"""Weights of positions 1-17: 3^(i-1) mod 31 (GB 32100-2015 annex B)."""

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714-1997 organisation code, check digit modulus 11


class IdentifierError(InputError):
    """An identifier or period that is malformed."""


def uscc_check_char(first17: str) -> str:
    """The 18th character of a USCC whose first 17 characters are given (GB 32100-2015 annex B).

    C18 = 31 − (Σ Ci × Wi mod 31); a result of 31 is written 0.
    """
    total = 0
    for ch, w in zip(first17, USCC_WEIGHTS, strict=True):
        value = USCC_ALPHABET.find(ch)
        if value < 0:
            raise IdentifierError(f"character {ch!r} is not allowed in a USCC")
        total += value * w
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(code: str) -> str:
    """Return the normalised (upper-case, stripped) USCC or raise IdentifierError saying what is wrong."""
    norm = code.strip().upper()
    if len(norm) != 18:
        raise IdentifierError(f"USCC {code!r} has {len(norm)} characters, expected 18")
    bad = [c for c in norm if c not in USCC_ALPHABET]
    if bad:
        raise IdentifierError(f"USCC {code!r} contains {bad[0]!r}, not allowed by GB 32100-2015")
    expected = uscc_check_char(norm[:17])
    if norm[17] != expected:
        raise IdentifierError(f"USCC {code!r} has check digit {norm[17]!r}, GB 32100-2015 gives {expected!r}")
    return norm


def org_code_check_char(first8: str) -> str:
    """Check character of a 9-character organisation code (GB 11714-1997): 11 − Σ mod 11; 10→X, 11→0."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def make_uscc(region_code: str, serial: int) -> str:
    """A valid USCC for a 企业 (category 9, type 1) registered in `region_code` (6-digit 行政区划代码)."""
    body8 = f"{serial:08d}"
    org = body8 + org_code_check_char(body8)
    first17 = "91" + region_code + org
    return first17 + uscc_check_char(first17)


_PERIOD = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True, order=True)
class Month:
    """A calendar month."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1


def parse_period(text: str, lo_year: int = 1990, hi_year: int = 2100) -> Month:
    """Parse ``YYYY-MM`` (also ``YYYY/MM``, and a whole ISO date or datetime, whose month is taken); the
    field is read whole: ``2025-02 garbage`` is refused, not read as 2025-02."""
    raw = str(text).strip().replace("/", "-")
    m = _PERIOD.match(raw)
    shown = repr(raw) if len(raw) <= 40 else repr(raw[:40]) + "…"
    if m is not None:
        year, month = int(m.group(1)), int(m.group(2))
    else:  # a whole date or datetime (an XLSX date cell), never a prefix of something else
        try:
            d = dt.datetime.fromisoformat(raw) if len(raw) > 10 else dt.datetime.combine(dt.date.fromisoformat(raw),
                                                                                     dt.time())
        except ValueError:
            raise IdentifierError(f"period {shown} is not of the form YYYY-MM") from None
        year, month = d.year, d.month
    if not 1 <= month <= 12:
        raise IdentifierError(f"period {shown} has month {month}, expected 01-12")
    if not lo_year <= year <= hi_year:
        raise IdentifierError(f"period {shown} is outside {lo_year}-{hi_year}")
    return Month(year, month)
