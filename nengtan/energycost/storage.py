"""Load shifted by storage (储能削峰填谷), pure: one cycle a day under a time-of-use tariff.

Decided rule (the common arbitrage operation of an industrial battery): each day the battery starts empty, charges in
the day's first run of cheapest hours, and discharges after that run into the dearest hours first (尖峰, then 高峰,
then 平段 where it still pays: price × efficiency above the charging price), never more in an hour than its power nor
than the site's own load (no export), and never more in the day than its usable capacity. The charge is what the
discharge needs divided by the round-trip efficiency, drawn at up to its power from the first cheap hour on. The battery
is the hourly matching's (nengtan.greenpower.cfe.Storage); its initial charge is unused, each day starting empty.
"""

from __future__ import annotations

import numpy as np

from nengtan.greenpower.cfe import Storage as Battery

__all__ = ["Battery", "dispatch", "dispatch_day"]


def dispatch_day(load: np.ndarray, price: np.ndarray, battery: Battery) -> tuple[np.ndarray, np.ndarray]:
    """Charge and discharge [kWh] in each of a day's 24 hours (see the module docstring)."""
    load, price = np.asarray(load, dtype=float), np.asarray(price, dtype=float)
    charge, discharge = np.zeros(24), np.zeros(24)
    low = price.min()
    first = int(np.argmax(price == low))
    end = first
    while end < 24 and price[end] == low:
        end += 1
    cheap = list(range(first, end))
    room = battery.power_kw * len(cheap) * battery.efficiency  # what the cheap hours can store, as output
    left = min(battery.capacity_kwh, room)
    for h in sorted(range(end, 24), key=lambda h: (-price[h], h)):
        if left <= 0 or price[h] * battery.efficiency <= low:
            break
        d = min(battery.power_kw, max(load[h], 0.0), left)
        discharge[h], left = d, left - d
    need = discharge.sum() / battery.efficiency
    for h in cheap:
        c = min(battery.power_kw, need)
        charge[h], need = c, need - c
    return charge, discharge


def dispatch(hours: np.ndarray, load: np.ndarray, price: np.ndarray, battery: Battery,
             from_day: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Charge and discharge per hour of a series of park-time hours (hours since 1970-01-01), day by day; days before
    ``from_day`` (days since 1970-01-01, the commissioning) and incomplete days are left alone."""
    hours = np.asarray(hours, dtype=np.int64)
    charge, discharge = np.zeros(len(hours)), np.zeros(len(hours))
    days = hours // 24
    for day in np.unique(days):
        if from_day is not None and day < from_day:
            continue
        idx = np.flatnonzero(days == day)
        if len(idx) != 24:
            continue
        order = idx[np.argsort(hours[idx] % 24)]
        c, d = dispatch_day(load[order], price[order], battery)
        charge[order], discharge[order] = c, d
    return charge, discharge
