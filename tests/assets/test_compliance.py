"""Compliance arithmetic worked by hand: allocation, surrender, carry-over, the 5 % CCER cap at its boundary."""

from __future__ import annotations

import datetime as dt

import pytest

from nengtan.assets.compliance import Account, CcerLot, settle, warning
from nengtan.errors import InputError


def test_surplus_carries_over() -> None:
    # held = 9 000 + 500 + 1 000 + 0 − 200 = 10 300; obligation 10 000, no CCER: surrender 10 000, carry 300
    s = settle(Account(2024, verified_t=10_000, pre_allocation_t=9_000, true_up_t=500, carried_in_t=1_000,
                       sold_t=200))
    assert (s.allowances_held_t, s.allowances_surrendered_t, s.shortfall_t, s.carry_over_t) == (10_300, 10_000, 0,
                                                                                                  300)
    assert s.compliant and "10,300 t" in s.lines[1]
    assert s.lines_zh[1] == "持有配额 = 预分配 9,000 + 核定补发 500 + 上年结转 1,000 + 买入 0 − 卖出 200 = 10,300 t"


def test_the_ccer_cap_at_its_boundary() -> None:
    # cap = 5 % × 10 000 = 500 t
    exactly = settle(Account(2024, 10_000, 9_000, ccer=(CcerLot("A", 500),)))
    assert (exactly.ccer_cap_t, exactly.ccer_used_t, exactly.allowances_surrendered_t, exactly.shortfall_t) == \
        (500, 500, 9_000, 500)
    over = settle(Account(2024, 10_000, 9_000, ccer=(CcerLot("A", 400), CcerLot("B", 201))))
    assert over.ccer_used_t == 500 and over.shortfall_t == 500  # 101 t of CCER beyond the cap are not used
    under = settle(Account(2024, 10_000, 9_000, ccer=(CcerLot("A", 499),)))
    assert under.ccer_used_t == 499 and under.shortfall_t == 501
    # a project inside the market's boundary cannot offset at all
    inside = settle(Account(2024, 10_000, 9_500, ccer=(CcerLot("C", 500, project_in_boundary=True),)))
    assert inside.ccer_used_t == 0 and inside.shortfall_t == 500 and "not usable" in inside.lines[2]
    assert "不可使用" in inside.lines_zh[2] and len(inside.lines_zh) == len(inside.lines) == 5


def test_shortfall_warning_before_the_deadline() -> None:
    a = Account(2024, 10_000, 9_000, deadline=dt.date(2025, 12, 31))
    s = settle(a)
    assert s.shortfall_t == 1_000 and not s.compliant
    assert warning(a, s, dt.date(2025, 12, 1)) == ("2024: 1,000 t short, 30 days to the deadline 2025-12-31",
                                                   "2024 年度：缺口 1,000 t，距清缴截止日 2025-12-31 还有 30 天")
    assert warning(a, s, dt.date(2025, 6, 1)) is None
    passed = warning(a, s, dt.date(2026, 1, 2))
    assert passed is not None and "passed" in passed[0] and "已过" in passed[1]
    with pytest.raises(InputError, match="more allowances sold than held"):
        settle(Account(2024, 10_000, 100, sold_t=200))
