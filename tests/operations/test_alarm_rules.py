"""A meter's alarm rules worked by hand: demand (kW = kWh × 3600 / interval), abnormal consumption against the
meter's own profile of the same time of day, missing data."""

from __future__ import annotations

import datetime as dt

import numpy as np

from nengtan.alarms.rules import MIN_DAYS, Rule, check_missing, check_reading, profile, slot_of
from nengtan.calendar import PARK_TZ

RULE = Rule("M1", "X", 900, "kWh", demand_kw=100.0, sigma=3.0, missing_minutes=30)


def us(t: dt.datetime) -> int:
    return int(t.timestamp() * 10**6)


AT = us(dt.datetime(2025, 7, 1, 9, 0, tzinfo=PARK_TZ))


def test_demand_is_the_intervals_mean_load_against_the_limit() -> None:
    (f,) = check_reading(RULE, AT, 30.0, None)  # 30 kWh in 15 min = 30 × 3600 / 900 = 120 kW
    assert (f.kind, f.value, f.limit) == ("demand", 120.0, 100.0)
    assert f.message == "计量器具 M1 07-01 09:00 平均负荷 120.0 kW，超过需量限值 100.0 kW"
    assert f.message_en == "meter M1 07-01 09:00: mean load 120.0 kW over the demand limit 100.0 kW"
    assert check_reading(RULE, AT, 25.0, None) == []  # exactly 100 kW is within the limit


def _history(days: int, values: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """The 09:00 slot's readings on the ``days`` days before 2025-07-01, cycling through ``values``."""
    ts = np.array([AT - d * 86_400 * 10**6 for d in range(1, days + 1)], dtype=np.int64)
    return ts, np.array([values[i % len(values)] for i in range(days)])


def test_abnormal_is_judged_against_the_same_slots_mean_and_spread() -> None:
    ts, v = _history(20, [8.0, 12.0])  # mean 10, population standard deviation 2: limits 10 ± 3 × 2 = 4 and 16
    prof = profile(ts, v, 900)
    slot = int(slot_of(AT, 900))
    assert slot == 36 and prof.mean[slot] == 10.0 and prof.std[slot] == 2.0 and prof.days[slot] == 20
    rule = Rule("M1", "X", 900, "kWh", sigma=3.0)
    (high,) = check_reading(rule, AT, 16.5, prof)
    assert (high.kind, high.limit) == ("abnormal", 16.0)
    assert "高于本表同时段常态 10.0±3σ（上限 16.0）" in high.message
    (low,) = check_reading(rule, AT, 3.5, prof)
    assert low.limit == 4.0 and "低于" in low.message
    assert check_reading(rule, AT, 15.9, prof) == []
    assert check_reading(rule, AT + 15 * 60 * 10**6, 99.0, prof) == []  # 09:15 has no history: not judged


def test_a_flat_profile_uses_five_percent_of_its_mean_and_a_short_one_is_not_judged() -> None:
    rule = Rule("M1", "X", 900, "kWh", sigma=3.0)
    flat = profile(*_history(MIN_DAYS, [10.0]), 900)  # spread max(0, 5 % × 10) = 0.5: limits 8.5 and 11.5
    assert [f.limit for f in check_reading(rule, AT, 11.6, flat)] == [11.5]
    assert check_reading(rule, AT, 11.4, flat) == []
    short = profile(*_history(MIN_DAYS - 1, [10.0]), 900)
    assert check_reading(rule, AT, 1000.0, short) == []


def test_missing_data_after_the_rules_minutes() -> None:
    assert check_missing(RULE, AT, AT + 30 * 60 * 10**6) is None
    f = check_missing(RULE, AT, AT + 45 * 60 * 10**6)
    assert f is not None and (f.kind, f.value, f.limit) == ("missing", 45.0, 30.0)
    assert f.message == "计量器具 M1 已 45 分钟未收到读数（限值 30 分钟）"
    assert f.message_en == "meter M1: no reading for 45 minutes (limit 30 minutes)"
    days = check_missing(RULE, AT, AT + 3 * 86_400 * 10**6)
    assert days is not None and "已 3 天未收到读数" in days.message
    never = check_missing(RULE, None, AT)
    assert never is not None and "从未收到读数" in never.message
