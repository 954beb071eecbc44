"""Intraday load curves and sub-meter balance (issue 15, item 7), from the readings lake.

* :func:`day_curve` — one meter's 15-minute (its own interval) consumption and load over a park-time day, beside the
  day before (环比) and the same date a year before (同比): each interval's kWh and its mean load
  [kW = kWh × 3600 / interval seconds], the day's total, peak load and when it fell, and the changes in %;
* :func:`submeter_balance` — a main meter's monthly consumption against the sum of the sub-meters below it
  (主表与分表平衡): the unmetered rest (losses, unmetered loads) and its share of the main meter, the check the
  online-monitoring rules ask of a metering hierarchy.

Interval readings are stamped at the start of their interval (as the hourly totals of nengtan.lake.scan count
them); a counter's consumption between two register readings counts in the interval starting at the first
(nengtan.accounting.calc.counter_consumption: rollovers, resets and suspect readings handled as in the accounts).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import select

from nengtan.calendar import park_midnight
from nengtan.engine.stores import Stores
from nengtan.errors import InputError, NotFoundError
from nengtan.registry.tables.park import Enterprise, Meter


def meter_of(stores: Stores, uscc: str, code: str) -> Meter:
    with stores.registry.session() as s:
        m = s.execute(select(Meter).join(Enterprise, Enterprise.id == Meter.enterprise_id)
                      .where(Meter.code == code, Enterprise.uscc == uscc.strip().upper())).scalar()
        if m is None:
            raise NotFoundError(f"meter {code} of enterprise {uscc}")
        s.expunge(m)
        return m


def day_series(stores: Stores, m: Meter, day: dt.date) -> dict[str, Any]:
    """One park-time day of a meter: kWh per interval (None where no reading), kW, total, peak and readings."""
    from nengtan.accounting.calc import counter_consumption
    from nengtan.lake.scan import configured_scan

    step_us = m.interval_s * 10**6
    slots = 86_400 // m.interval_s
    start = park_midnight(day)
    end = park_midnight(day + dt.timedelta(days=1))
    last = end if m.kind == "counter" else end - dt.timedelta(microseconds=1)
    got = configured_scan().readings_between(stores.lake, [m.code], start, last)
    ts = got["ts_us"].to_numpy(dtype=np.int64)
    values = got["value"].to_numpy(dtype=float)
    if m.kind == "counter":
        cons, _, _ = counter_consumption(values, m.rollover)
        ts, values = ts[:-1], cons
    start_us = int(start.timestamp()) * 10**6
    kwh = np.full(slots, np.nan)
    idx = (ts - start_us) // step_us
    keep = (idx >= 0) & (idx < slots) & (values >= 0)
    kwh[idx[keep]] = 0.0
    np.add.at(kwh, idx[keep], values[keep])
    return series_shape(day, kwh, m.interval_s)


def series_shape(day: dt.date, kwh: np.ndarray, interval_s: int) -> dict[str, Any]:
    """A day's series as the curves give it: kWh per interval (None where missing), kW, the readings, total and
    peak (a virtual meter's day is built from its meters' arrays, nengtan.engine.virtualmeters)."""
    kw = kwh * 3600.0 / interval_s
    have = ~np.isnan(kwh)
    peak = int(np.nanargmax(kw)) if have.any() else None
    start = park_midnight(day)
    return {"day": day.isoformat(), "kwh": [None if np.isnan(x) else float(x) for x in kwh],
            "kw": [None if np.isnan(x) else float(x) for x in kw], "readings": int(have.sum()),
            "total_kwh": float(np.nansum(kwh)) if have.any() else None,
            "peak_kw": float(kw[peak]) if peak is not None else None,
            "peak_at": (start + dt.timedelta(seconds=peak * interval_s)).strftime("%H:%M") if peak is not None
            else None}


def _year_before(day: dt.date) -> dt.date:
    return day.replace(year=day.year - 1, day=28) if (day.month, day.day) == (2, 29) else day.replace(year=day.year - 1)


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or not before else (now - before) / before * 100.0


def newest_day(stores: Stores, code: str, year: int) -> dt.date | None:
    """The park-time day of a meter's newest reading in ``year`` (None: no reading that year)."""
    from nengtan.calendar import PARK_TZ
    from nengtan.lake.scan import configured_scan

    got = configured_scan().readings_between(stores.lake, [code], park_midnight(dt.date(year, 1, 1)),
                                             park_midnight(dt.date(year + 1, 1, 1)) - dt.timedelta(microseconds=1))
    if got.empty:
        return None
    return dt.datetime.fromtimestamp(int(got["ts_us"].max()) / 1e6, PARK_TZ).date()


def day_curve(stores: Stores, uscc: str, code: str, day: dt.date | None = None, year: int | None = None
              ) -> dict[str, Any]:
    """The meter's day (default: the day of its newest reading in ``year``) beside the day before (环比) and the same
    date a year before (同比), see the module docstring; a statement line has no curve (InputError). A virtual meter
    (nengtan.engine.virtualmeters) gives its formula's day; its newest day is that of the first meter it names."""
    from nengtan.errors import NoDataError

    try:
        m = meter_of(stores, uscc, code)
    except NotFoundError:  # a virtual meter: its formula over its meters' days
        from nengtan.engine.virtualmeters import virtual_day, virtual_interval, virtual_of

        v = virtual_of(stores.registry, uscc, code)
        interval_s, unit, kind, role = virtual_interval(stores.registry, v), v["unit"], "virtual", "virtual"
        newest_code = v["meters"][0]

        def one(d: dt.date) -> dict[str, Any]:
            return virtual_day(stores, v, d)
    else:
        if m.kind not in ("interval", "counter"):
            raise InputError(f"meter {code} is a monthly statement line: it has no intraday curve")
        interval_s, unit, kind, role = m.interval_s, m.unit, m.kind, m.role
        newest_code = m.code

        def one(d: dt.date) -> dict[str, Any]:
            return day_series(stores, m, d)
    if day is None:
        y = year or dt.date.today().year
        day = newest_day(stores, newest_code, y)
        if day is None:
            raise NoDataError(f"meter {code} holds no readings in {y}")
    today = one(day)
    prev = one(day - dt.timedelta(days=1))
    ago = one(_year_before(day))
    times = [(dt.datetime(2000, 1, 1) + dt.timedelta(seconds=i * interval_s)).strftime("%H:%M")
             for i in range(86_400 // interval_s)]
    return {"meter": code, "enterprise": uscc.strip().upper(), "unit": unit, "interval_s": interval_s,
            "kind": kind, "role": role, "times": times, "day": today, "previous_day": prev, "year_before": ago,
            "change_pct": {"previous_day": _change(today["total_kwh"], prev["total_kwh"]),
                           "year_before": _change(today["total_kwh"], ago["total_kwh"])},
            "data_version": stores.lake.version}


def submeter_balance(stores: Stores, uscc: str, code: str, year: int) -> dict[str, Any]:
    """Per month of ``year``: the main meter's consumption, each sub-meter's, their sum and the unmetered rest
    (main − Σ sub) with its share of the main meter [%]; a meter without sub-meters has no balance (InputError)."""
    from nengtan.engine.cockpit import meter_monthly

    m = meter_of(stores, uscc, code)
    with stores.registry.session() as s:
        subs = [(c, k) for c, k in s.execute(select(Meter.code, Meter.kind).where(Meter.parent_id == m.id)
                                             .order_by(Meter.code)).all()]
    if not subs:
        raise InputError(f"meter {code} has no sub-meters: there is nothing to balance it against")
    main = meter_monthly(stores, year, m.code, m.kind)
    parts = {c: meter_monthly(stores, year, c, k) for c, k in subs}
    months = []
    for i, row in enumerate(main):
        sub_q = {c: parts[c][i]["quantity"] for c, _ in subs}
        total = float(sum(sub_q.values()))
        rest = row["quantity"] - total
        months.append({"period": row["period"], "main": row["quantity"], "subs": sub_q, "sub_total": total,
                       "unmetered": rest, "unmetered_pct": rest / row["quantity"] * 100.0 if row["quantity"] else None,
                       "has_data": row["has_data"]})
    q = sum(r["main"] for r in months)
    st = sum(r["sub_total"] for r in months)
    return {"meter": m.code, "enterprise": uscc.strip().upper(), "unit": m.unit, "year": year,
            "sub_meters": [c for c, _ in subs], "months": months,
            "total": {"main": q, "sub_total": st, "unmetered": q - st,
                      "unmetered_pct": (q - st) / q * 100.0 if q else None},
            "data_version": stores.lake.version}
