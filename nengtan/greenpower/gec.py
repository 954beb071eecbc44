"""Green electricity certificates (绿证, GEC): codes, holdings as ranges of codes, and the rules of their life.

Rules (发改能源〔2023〕1044号 《关于做好可再生能源绿色电力证书全覆盖工作促进可再生能源电力消费的通知》 and the
NEA's GEC implementation rules of 2024):

* one GEC stands for 1 MWh of renewable electricity (1044号 一(二));
* a GEC is valid for two years from its production month; one not cancelled by then expires (1044号 三(九));
* a GEC is traded at most once (1044号 三(八): 绿证仅可交易一次);
* GECs for self-consumed power (自发自用) and for existing conventional hydro (存量常规水电) are issued but not
  tradable for now (1044号 二(四), 二(五)); they can only be cancelled for consumption;
* a project that chose CCER for the same power has its GECs frozen (the two may not be claimed twice);
* a claim of green-power consumption cancels (核销) the GECs behind it, which then can serve no other claim.

The code is 32 characters (NEA GEC rules; 2025 public Q&A of the platform): the first 17 are the project's
filing code (项目建档立卡编码: project type, energy type, technology type, approval or filing time, address,
sequence, check character), the last 15 the power's production date, the GEC's sequence, the electricity class
and the trade class. The rules' text at hand gives the order of the fields, not their widths; the widths below
are nengtan's reading (:data:`LAYOUT`), written once here so that a correction is one table. The check
character is computed with ISO 7064 MOD 37,36 (the hybrid system for alphanumeric codes), also nengtan's
reading until the filing-code standard is at hand.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from nengtan.errors import InputError
from nengtan.i18n import names

LAYOUT: tuple[tuple[str, int], ...] = (
    ("project_type", 1), ("energy_type", 1), ("technology", 1), ("approval_year", 4), ("address", 6),
    ("project_sequence", 3), ("check", 1),  # the 17-character project filing code
    ("production_month", 6), ("sequence", 7), ("electricity_class", 1), ("trade_class", 1),
)
"""(field, width) in the order of the code; widths sum to 32 (see the module's note on their source)."""
PROJECT_CODE_LENGTH = 17
SEQUENCE_START = PROJECT_CODE_LENGTH + 6  # the GEC sequence follows the production month
SEQUENCE_WIDTH = 7

ENERGY_TYPES = {"1": "wind", "2": "solar", "3": "conventional_hydro", "4": "biomass", "5": "geothermal",
                "6": "ocean", "9": "other"}
ENERGY_ZH = names("gec_energy_types")
ELECTRICITY_CLASSES = {"1": "grid", "2": "self_consumed", "3": "existing_hydro"}
"""电量分类: power fed to the grid (上网电量), self-consumed power (自发自用), existing conventional hydro."""
TRADE_CLASSES = {"1": "tradable", "2": "not_tradable"}
VALID_MONTHS = 24

STATUSES = ("issued", "listed", "traded", "cancelled", "expired", "frozen")
"""issued → listed → traded → cancelled (核销) | expired | frozen. ``issued`` and ``traded`` GECs can be
cancelled by their holder; only an ``issued`` tradable GEC can be listed (a traded one never again)."""

_CODE = re.compile(r"[0-9A-Z]{32}")
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def check_character(body: str) -> str:
    """ISO 7064 MOD 37,36 check character of an alphanumeric string (0-9, A-Z)."""
    m = 36
    p = m
    for ch in body:
        s = (p + _ALPHABET.index(ch)) % m or m
        p = (2 * s) % (m + 1)
    return _ALPHABET[(m + 1 - p) % m]


@dataclass(frozen=True)
class GecCode:
    """One parsed 32-character GEC code."""

    code: str
    project_code: str
    energy_type: str  # wind | solar | …
    technology: str
    address: str  # GB/T 2260 administrative division code of the project
    production_month: dt.date  # the first day of the month the power was produced
    sequence: int
    electricity_class: str  # grid | self_consumed | existing_hydro
    trade_class: str  # tradable | not_tradable

    @property
    def tradable(self) -> bool:
        return self.trade_class == "tradable"


def parse(code: str, where: str = "") -> GecCode:
    """Parse and validate a GEC code; an :class:`InputError` names what is wrong and ``where`` it came from."""
    text = code.strip().upper()
    at = f"{where}: " if where else ""
    if not _CODE.fullmatch(text):
        raise InputError(f"{at}GEC code {code[:40]!r}: 32 characters of 0-9 and A-Z expected")
    fields: dict[str, str] = {}
    pos = 0
    for name, width in LAYOUT:
        fields[name] = text[pos:pos + width]
        pos += width
    project = text[:PROJECT_CODE_LENGTH]
    if check_character(project[:-1]) != project[-1]:
        raise InputError(f"{at}GEC code {text}: the project code's check character is {project[-1]}, "
                         f"{check_character(project[:-1])} expected (ISO 7064 MOD 37,36)")
    energy = ENERGY_TYPES.get(fields["energy_type"])
    if energy is None:
        raise InputError(f"{at}GEC code {text}: energy type {fields['energy_type']!r} unknown "
                         f"(use {', '.join(f'{k}={v}' for k, v in ENERGY_TYPES.items())})")
    if not fields["address"].isdigit():
        raise InputError(f"{at}GEC code {text}: the address {fields['address']} is not a 6-digit division code")
    month = _month(fields["production_month"])
    if month is None:
        raise InputError(f"{at}GEC code {text}: production month {fields['production_month']} is not YYYYMM")
    if not fields["sequence"].isdigit():
        raise InputError(f"{at}GEC code {text}: the GEC sequence {fields['sequence']} is not a number")
    eclass = ELECTRICITY_CLASSES.get(fields["electricity_class"])
    tclass = TRADE_CLASSES.get(fields["trade_class"])
    if eclass is None or tclass is None:
        raise InputError(f"{at}GEC code {text}: electricity class {fields['electricity_class']} / trade class "
                         f"{fields['trade_class']} unknown (electricity 1-3, trade 1-2)")
    if eclass != "grid" and tclass == "tradable":
        raise InputError(f"{at}GEC code {text}: a GEC for {eclass.replace('_', ' ')} power is not tradable "
                         "(发改能源〔2023〕1044号 二)")
    return GecCode(text, project, energy, fields["technology"], fields["address"], month, int(fields["sequence"]),
                   eclass, tclass)


def _month(text: str) -> dt.date | None:
    if not text.isdigit():
        return None
    year, month = int(text[:4]), int(text[4:])
    if not (2017 <= year <= 2100 and 1 <= month <= 12):  # China's GECs began in 2017
        return None
    return dt.date(year, month, 1)


def make_code(project_code: str, month: dt.date, sequence: int, electricity_class: str = "1",
              trade_class: str = "1") -> str:
    """The code of one GEC of a project (the inverse of :func:`parse`)."""
    return f"{project_code}{month:%Y%m}{sequence:0{SEQUENCE_WIDTH}d}{electricity_class}{trade_class}"


def project_code(project_type: str, energy_type: str, technology: str, year: int, address: str,
                 sequence: int) -> str:
    """A 17-character project filing code with its check character (demo data and tests)."""
    body = f"{project_type}{energy_type}{technology}{year:04d}{address}{sequence:03d}"
    return body + check_character(body)


def expires_on(production_month: dt.date) -> dt.date:
    """The first day a GEC is no longer valid: two years after the start of its production month."""
    return production_month.replace(year=production_month.year + VALID_MONTHS // 12)


@dataclass(frozen=True)
class Range:
    """Consecutive GECs of one project, production month and class: ``first`` to ``last`` (sequences)."""

    head: GecCode  # the first code
    first: int
    last: int

    @property
    def count(self) -> int:
        """How many GECs, i.e. MWh."""
        return self.last - self.first + 1

    @property
    def first_code(self) -> str:
        return self.code_of(self.first)

    @property
    def last_code(self) -> str:
        return self.code_of(self.last)

    def code_of(self, sequence: int) -> str:
        h = self.head
        return (h.code[:SEQUENCE_START] + f"{sequence:0{SEQUENCE_WIDTH}d}"
                + h.code[SEQUENCE_START + SEQUENCE_WIDTH:])

    def take(self, n: int) -> tuple[Range, Range | None]:
        """The first ``n`` GECs, and the rest (None when nothing is left)."""
        if not 0 < n <= self.count:
            raise InputError(f"{self.first_code}…: cannot take {n} of {self.count} GECs")
        taken = replace(self, last=self.first + n - 1)
        rest = replace(self, first=self.first + n) if n < self.count else None
        return taken, rest


def parse_range(first: str, last: str | None = None, count: int | None = None, where: str = "") -> Range:
    """A holding given as first and last code, or first code and a count; both ends must agree on
    everything but the sequence."""
    head = parse(first, where)
    at = f"{where}: " if where else ""
    if last:
        tail = parse(last, where)
        if tail.code[:SEQUENCE_START] != head.code[:SEQUENCE_START] or tail.code[-2:] != head.code[-2:]:
            raise InputError(f"{at}GEC range {head.code}…{tail.code}: both ends must share project, production "
                             "month and classes")
        if tail.sequence < head.sequence:
            raise InputError(f"{at}GEC range {head.code}…{tail.code}: the last code comes before the first")
        if count is not None and count != tail.sequence - head.sequence + 1:
            raise InputError(f"{at}GEC range {head.code}…{tail.code} holds {tail.sequence - head.sequence + 1} "
                             f"GECs, not {count}")
        return Range(head, head.sequence, tail.sequence)
    if count is None or count < 1:
        raise InputError(f"{at}GEC range from {head.code}: give the last code or a count of at least 1")
    if head.sequence + count - 1 >= 10 ** SEQUENCE_WIDTH:
        raise InputError(f"{at}GEC range from {head.code}: {count} GECs run past the largest sequence")
    return Range(head, head.sequence, head.sequence + count - 1)


def overlaps(a: Range, b: Range) -> bool:
    """Do two ranges share a GEC?"""
    same = (a.head.code[:SEQUENCE_START] == b.head.code[:SEQUENCE_START]
            and a.head.code[-2:] == b.head.code[-2:])
    return same and a.first <= b.last and b.first <= a.last


def usable_for(head: GecCode, status: str, month: dt.date) -> str | None:
    """Why GECs in ``status`` cannot back a claim of consumption in ``month`` (None: they can).

    The power must be produced by the end of the consumption month and the GEC still valid in it; only
    GECs held (issued to or traded to the claimant) can be cancelled."""
    if status not in ("issued", "traded"):
        return f"the GECs are {status}"
    if head.production_month > month:
        return f"the power was produced in {head.production_month:%Y-%m}, after {month:%Y-%m}"
    if month >= expires_on(head.production_month):
        return f"the GECs expired on {expires_on(head.production_month)}"
    return None


def transition(status: str, action: str, tradable: bool, traded_before: bool) -> str:
    """The status after ``action`` (list | unlist | trade | cancel | expire | freeze), or an InputError.

    A traded GEC is never listed again (traded at most once); a non-tradable one is never listed."""
    allowed = {
        ("issued", "list"): "listed", ("listed", "unlist"): "issued", ("listed", "trade"): "traded",
        ("issued", "trade"): "traded",  # a bilateral green-power contract delivers its bundled GECs directly
        ("issued", "cancel"): "cancelled", ("traded", "cancel"): "cancelled",
        ("issued", "expire"): "expired", ("listed", "expire"): "expired", ("traded", "expire"): "expired",
        ("issued", "freeze"): "frozen", ("listed", "freeze"): "frozen",
    }
    if action in ("list", "trade") and not tradable:
        raise InputError("these GECs are not tradable (self-consumed or existing hydro power)")
    if action in ("list", "trade") and traded_before:
        raise InputError("these GECs were traded once already: a GEC is traded at most once")
    after = allowed.get((status, action))
    if after is None:
        raise InputError(f"GECs that are {status} cannot be {_PAST.get(action, action)}")
    return after


_PAST = {"list": "listed", "unlist": "withdrawn from sale", "trade": "traded", "cancel": "cancelled",
         "expire": "expired", "freeze": "frozen"}
