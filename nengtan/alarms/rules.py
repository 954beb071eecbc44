"""A meter's live-alarm rules, pure.

* **demand** — the interval's mean load [kW = kWh × 3600 / interval seconds] above the meter's demand limit (the
  contracted maximum demand, 最大需量);
* **abnormal** — a reading farther than ``sigma`` standard deviations from the meter's own profile: the mean of the
  same time of day (its interval slot, park time) over the previous :data:`PROFILE_DAYS` days, the deviation no
  smaller than :data:`MIN_SPREAD` of the mean (a flat profile would otherwise alarm on rounding); a slot with fewer
  than :data:`MIN_DAYS` days of history is not judged yet;
* **missing** — no reading for more than ``missing_minutes``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from nengtan.calendar import PARK_OFFSET_US, PARK_TZ
from nengtan.i18n import Both, names, pair

PROFILE_DAYS = 28
MIN_DAYS = 14
MIN_SPREAD = 0.05
KIND_ZH = names("alarm_kinds")


@dataclass(frozen=True)
class Rule:
    meter: str
    uscc: str
    interval_s: int
    unit: str
    demand_kw: float | None = None
    sigma: float | None = None
    missing_minutes: int | None = None


@dataclass(frozen=True)
class Profile:
    """Per interval slot of the park-time day: mean, standard deviation and days of history."""

    mean: np.ndarray
    std: np.ndarray
    days: np.ndarray


@dataclass(frozen=True)
class Finding:
    meter: str
    kind: str  # demand | abnormal | missing
    ts_us: int  # the reading's instant (missing: the check's)
    value: float  # kW (demand), the reading (abnormal), minutes without data (missing)
    limit: float
    message: str  # zh-CN
    message_en: str  # the same in English (note.alarm:<kind> of the catalogue)


def slot_of(ts_us: np.ndarray | int, interval_s: int) -> np.ndarray:
    """The interval slot of the park-time day an instant falls in (0 … 86 400 / interval − 1)."""
    return ((np.asarray(ts_us, dtype=np.int64) + PARK_OFFSET_US) // (interval_s * 10**6)) % (86_400 // interval_s)


def profile(ts_us: np.ndarray, values: np.ndarray, interval_s: int) -> Profile:
    """The profile of a meter's readings (its history: the :data:`PROFILE_DAYS` days before the day judged)."""
    slots = 86_400 // interval_s
    ok = np.asarray(values, dtype=float) >= 0
    s = slot_of(np.asarray(ts_us)[ok], interval_s)
    v = np.asarray(values, dtype=float)[ok]
    n = np.bincount(s, minlength=slots).astype(float)
    total = np.bincount(s, weights=v, minlength=slots)
    squares = np.bincount(s, weights=v * v, minlength=slots)
    mean = np.divide(total, n, out=np.zeros(slots), where=n > 0)
    var = np.divide(squares, n, out=np.zeros(slots), where=n > 0) - mean * mean
    return Profile(mean, np.sqrt(np.clip(var, 0.0, None)), n.astype(int))


def _hm(ts_us: int) -> str:
    """The park-time date and minute of an instant, ``MM-DD HH:MM``."""
    return dt.datetime.fromtimestamp(ts_us / 1e6, PARK_TZ).strftime("%m-%d %H:%M")


def _span(minutes: float) -> Both:
    """A gap in the unit a reader takes in at once: minutes below two hours, hours below two days, else days."""
    if minutes < 120:
        return Both(*pair("note.alarm:minutes", n=minutes))
    if minutes < 2880:
        return Both(*pair("note.alarm:hours", n=minutes / 60))
    return Both(*pair("note.alarm:days", n=minutes / 1440))


def check_reading(rule: Rule, ts_us: int, value: float, prof: Profile | None) -> list[Finding]:
    """What one reading breaks of its meter's rule (demand, abnormal)."""
    out: list[Finding] = []
    if value < 0:
        return out
    if rule.demand_kw is not None:
        kw = value * 3600.0 / rule.interval_s
        if kw > rule.demand_kw:
            en, zh = pair("note.alarm:demand", meter=rule.meter, at=_hm(ts_us), kw=kw, limit=rule.demand_kw)
            out.append(Finding(rule.meter, "demand", ts_us, kw, rule.demand_kw, zh, en))
    if rule.sigma is not None and prof is not None:
        i = int(slot_of(ts_us, rule.interval_s))
        if prof.days[i] >= MIN_DAYS:
            mean = float(prof.mean[i])
            spread = max(float(prof.std[i]), MIN_SPREAD * abs(mean))
            if spread > 0 and abs(value - mean) > rule.sigma * spread:
                high = value > mean
                limit = mean + rule.sigma * spread if high else mean - rule.sigma * spread
                en, zh = pair("note.alarm:high" if high else "note.alarm:low", meter=rule.meter, at=_hm(ts_us),
                              value=value, unit=rule.unit, mean=mean, sigma=rule.sigma, limit=limit)
                out.append(Finding(rule.meter, "abnormal", ts_us, value, limit, zh, en))
    return out


def check_missing(rule: Rule, last_us: int | None, now_us: int) -> Finding | None:
    """A missing-data finding when the meter's newest reading is older than its rule allows."""
    if rule.missing_minutes is None:
        return None
    gap = None if last_us is None else (now_us - last_us) / 60e6
    if gap is not None and gap <= rule.missing_minutes:
        return None
    en, zh = (pair("note.alarm:never", meter=rule.meter, limit=rule.missing_minutes) if gap is None else
              pair("note.alarm:silent", meter=rule.meter, span=_span(gap), limit=rule.missing_minutes))
    return Finding(rule.meter, "missing", now_us, gap if gap is not None else float(rule.missing_minutes),
                   float(rule.missing_minutes), zh, en)
