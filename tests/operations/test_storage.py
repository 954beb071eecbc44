"""Storage dispatch (削峰填谷) worked by hand on Jiangsu's January periods: 低谷 00–08 at 0.2604, 高峰 08–11 and
17–22 at 1.0416, 平段 11–17 and 22–24 at 0.6510 yuan/kWh."""

from __future__ import annotations

import numpy as np

from nengtan.energycost.storage import Battery, dispatch, dispatch_day

PRICE = np.array([0.2604] * 8 + [1.0416] * 3 + [0.6510] * 6 + [1.0416] * 5 + [0.6510] * 2)
LOAD = np.full(24, 100.0)


def test_a_day_charges_in_the_valley_and_discharges_into_the_dearest_hours() -> None:
    # 200 kWh usable, 50 kW, 80 % round trip. The valley (8 h × 50 kW × 0.8 = 320 kWh out) can fill it, so 200 kWh
    # go out at 50 kW into the first peak hours by price then time (08, 09, 10, 17) and 200 / 0.8 = 250 kWh come in
    # at 50 kW from 00:00 (00–04).
    charge, discharge = dispatch_day(LOAD, PRICE, Battery(200.0, 50.0, 0.8))
    assert discharge.tolist() == [0.0] * 8 + [50.0] * 3 + [0.0] * 6 + [50.0] + [0.0] * 6
    assert charge.tolist() == [50.0] * 5 + [0.0] * 19
    saving = (discharge * PRICE).sum() - (charge * PRICE).sum()
    assert saving == 200 * 1.0416 - 250 * 0.2604  # 208.32 - 65.10 = 143.22 yuan


def test_charging_power_and_efficiency_bound_what_a_day_can_shift() -> None:
    # 1000 kWh but 50 kW at 30 %: the valley takes 8 × 50 = 400 kWh in, 120 kWh out; peak hours pay
    # (1.0416 × 0.3 = 0.312 > 0.2604) but 平段 does not (0.651 × 0.3 = 0.195 < 0.2604).
    charge, discharge = dispatch_day(LOAD, PRICE, Battery(1000.0, 50.0, 0.3))
    assert discharge[8:11].tolist() == [50.0, 50.0, 20.0] and discharge.sum() == 120.0
    assert charge.tolist() == [50.0] * 8 + [0.0] * 16


def test_no_export_the_discharge_never_exceeds_the_sites_load() -> None:
    load = LOAD.copy()
    load[8:11] = [10.0, 0.0, 30.0]
    _, discharge = dispatch_day(load, PRICE, Battery(200.0, 50.0, 0.8))
    assert discharge[8:11].tolist() == [10.0, 0.0, 30.0]
    assert discharge[17:22].tolist() == [50.0, 50.0, 50.0, 10.0, 0.0]  # 200 - 40 = 160 left for the evening


def test_days_before_commissioning_and_incomplete_days_are_left_alone() -> None:
    day = 20_000  # days since 1970-01-01
    hours = np.concatenate([np.arange(24) + 24 * day, np.arange(24) + 24 * (day + 1), np.arange(5) + 24 * (day + 2)])
    load = np.full(len(hours), 100.0)
    price = np.concatenate([PRICE, PRICE, PRICE[:5]])
    charge, discharge = dispatch(hours, load, price, Battery(200.0, 50.0, 0.8), from_day=day + 1)
    assert charge[:24].sum() == 0 and discharge[:24].sum() == 0  # before commissioning
    assert charge[24:48].sum() == 250.0 and discharge[24:48].sum() == 200.0
    assert charge[48:].sum() == 0 and discharge[48:].sum() == 0  # five hours: not a whole day
