"""An enterprise's compliance (清缴履约) for one compliance year of the national carbon market, pure.

Rules (碳排放权交易管理暂行条例, 2024, art. 14–15; 碳排放权交易管理办法（试行）, 2020, art. 29; the MEE's CCER rules
for offsetting, as ../shared/reference/factors.md section 11 records them — status: recalled, verify the
figures before relying on them):

* the obligation is the year's verified emissions (tCO2; direct emissions only for steel, cement and aluminium);
* CCERs may offset at most 5 % of the allowances due (``ccer_cap``), and none from a project inside the market's
  own boundary (a facility whose emissions are under allowance management);
* allowances held = pre-allocation + true-up (预分配 + 核定调整) + carried in + bought − sold;
* surrender: eligible CCERs first, up to the cap, then allowances; a shortfall is what remains due;
* what is held and not surrendered carries over to the next year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nengtan.errors import InputError
from nengtan.i18n import Both, pair

CCER_CAP = 0.05


@dataclass(frozen=True)
class CcerLot:
    serial: str  # the serial range, as the registry writes it
    tonnes: float
    project_in_boundary: bool = False  # the project is a facility under allowance management


@dataclass(frozen=True)
class Account:
    year: int
    verified_t: float
    pre_allocation_t: float
    true_up_t: float = 0.0  # may be negative: the final allocation below the pre-allocation
    carried_in_t: float = 0.0
    bought_t: float = 0.0
    sold_t: float = 0.0
    ccer: tuple[CcerLot, ...] = field(default_factory=tuple)
    deadline: dt.date | None = None

    def __post_init__(self) -> None:
        for name in ("verified_t", "pre_allocation_t", "carried_in_t", "bought_t", "sold_t"):
            if getattr(self, name) < 0:
                raise InputError(f"compliance {self.year}: {name} must be ≥ 0")
        if any(c.tonnes < 0 for c in self.ccer):
            raise InputError(f"compliance {self.year}: a CCER lot is ≥ 0 t")


@dataclass(frozen=True)
class Settlement:
    year: int
    obligation_t: float
    allowances_held_t: float
    ccer_cap_t: float
    ccer_eligible_t: float
    ccer_used_t: float
    allowances_surrendered_t: float
    shortfall_t: float
    carry_over_t: float
    lines: tuple[str, ...]  # the arithmetic, step by step, in English
    lines_zh: tuple[str, ...]  # the same in Chinese

    @property
    def compliant(self) -> bool:
        return self.shortfall_t == 0


def settle(a: Account) -> Settlement:
    """Surrender for one compliance year (see the module), with each step explained."""
    held = a.pre_allocation_t + a.true_up_t + a.carried_in_t + a.bought_t - a.sold_t
    if held < 0:
        raise InputError(f"compliance {a.year}: more allowances sold than held ({held:,.0f} t)")
    cap = CCER_CAP * a.verified_t
    eligible = sum(c.tonnes for c in a.ccer if not c.project_in_boundary)
    excluded = sum(c.tonnes for c in a.ccer if c.project_in_boundary)
    ccer_used = min(eligible, cap, a.verified_t)
    surrendered = min(held, a.verified_t - ccer_used)
    shortfall = a.verified_t - ccer_used - surrendered
    carry = held - surrendered
    said = [
        pair("note.compliance:obligation", verified=a.verified_t),
        pair("note.compliance:held", pre=a.pre_allocation_t, true_up=a.true_up_t, carried=a.carried_in_t,
             bought=a.bought_t, sold=a.sold_t, held=held),
        pair("note.compliance:ccer", verified=a.verified_t, cap=cap, eligible=eligible, used=ccer_used,
             excluded=Both(*pair("note.compliance:excluded", excluded=excluded)) if excluded else ""),
        pair("note.compliance:surrendered", held=held, verified=a.verified_t, used=ccer_used,
             surrendered=surrendered),
        pair("note.compliance:shortfall", shortfall=shortfall, carry=carry),
    ]
    return Settlement(a.year, a.verified_t, held, cap, eligible, ccer_used, surrendered, shortfall, carry,
                      tuple(en for en, _ in said), tuple(zh for _, zh in said))


def warning(a: Account, s: Settlement, today: dt.date, days: int = 60) -> tuple[str, str] | None:
    """A warning (English, Chinese) when the enterprise is short and the deadline is within `days` (or passed)."""
    if s.compliant or a.deadline is None:
        return None
    left = (a.deadline - today).days
    if left < 0:
        return pair("note.compliance:passed", year=a.year, deadline=a.deadline, shortfall=s.shortfall_t)
    if left <= days:
        return pair("note.compliance:short", year=a.year, deadline=a.deadline, shortfall=s.shortfall_t, left=left)
    return None
