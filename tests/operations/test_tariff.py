"""Time-of-use tariffs, by hand: which band and price an hour falls in, and a month's 电度电费 (Σ kWh × price).

Prices and periods are those of nengtan/energycost/data/jiangsu_tou.csv (Jiangsu's industrial periods from
2023-07-01; example prices: 平段 0.6510, 高峰 = 平段 × 1.6 = 1.0416, 低谷 = 平段 × 0.4 = 0.2604, summer 尖峰 =
高峰 × 1.2 ≈ 1.2499 yuan/kWh)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nengtan.energycost.tariff import BANDS, DEFAULT_TABLE, grids, hour_bands, monthly_cost, parse_months, read_table
from nengtan.errors import InputError

VALLEY, PEAK, FLAT, SHARP = 0.2604, 1.0416, 0.6510, 1.2499


def hour(day: dt.date, h: int) -> int:
    """Park-time hours since 1970-01-01 00:00, the tariff's clock."""
    return (day - dt.date(1970, 1, 1)).days * 24 + h


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    p = tmp_path / "t.csv"
    p.write_text("schedule,valid_from,months,start_hour,end_hour,band,price,source\n" + "\n".join(rows) + "\n",
                 encoding="utf-8")
    return p


def test_each_hour_of_the_jiangsu_table_has_its_band_and_price() -> None:
    table = grids(read_table(DEFAULT_TABLE))
    cases = [  # (day, hour, band, price): periods of the 2023 notice, summer 尖峰 in July and August only
        (dt.date(2025, 1, 15), 3, "valley", VALLEY), (dt.date(2025, 1, 15), 9, "peak", PEAK),
        (dt.date(2025, 1, 15), 14, "flat", FLAT), (dt.date(2025, 1, 15), 20, "peak", PEAK),
        (dt.date(2025, 1, 15), 23, "flat", FLAT), (dt.date(2025, 7, 15), 14, "sharp", SHARP),
        (dt.date(2025, 8, 31), 20, "sharp", SHARP), (dt.date(2025, 7, 15), 15, "flat", FLAT),
        (dt.date(2025, 9, 1), 14, "flat", FLAT), (dt.date(2025, 7, 15), 21, "peak", PEAK)]
    band, price = hour_bands(np.array([hour(d, h) for d, h, _, _ in cases]), table)
    assert [BANDS[b] for b in band] == [c[2] for c in cases]
    assert price.tolist() == [c[3] for c in cases]


def test_a_months_cost_is_the_sum_of_kwh_times_the_hours_price() -> None:
    july, jan = dt.date(2025, 7, 1), dt.date(2025, 1, 1)
    hourly = pd.DataFrame({"hour": [hour(july, 9), hour(july, 14), hour(july, 3), hour(jan, 14), hour(jan, 9)],
                           "kwh": [10.0, 5.0, 2.0, 4.0, 1.0]})
    out = monthly_cost(hourly, grids(read_table(DEFAULT_TABLE))).set_index("month")
    # July: 10 kWh at 09:00 (高峰) + 5 kWh at 14:00 (尖峰) + 2 kWh at 03:00 (低谷)
    assert out.loc["2025-07", "yuan"] == pytest.approx(10 * 1.0416 + 5 * 1.2499 + 2 * 0.2604)  # 17.1863
    assert out.loc["2025-07", "kwh"] == 17.0
    assert out.loc["2025-07", "yuan_sharp"] == pytest.approx(6.2495)
    assert out.loc["2025-07", "kwh_flat"] == 0.0
    # January: 4 kWh at 14:00 (平段, no 尖峰 outside July and August) + 1 kWh at 09:00 (高峰)
    assert out.loc["2025-01", "yuan"] == pytest.approx(4 * 0.6510 + 1 * 1.0416)  # 3.6456
    assert out.loc["2025-01", "avg_price"] == pytest.approx(3.6456 / 5)


def test_a_later_table_takes_over_from_its_day(tmp_path: Path) -> None:
    lines = read_table(_csv(tmp_path, [
        "s,2024-01-01,1-12,0,12,valley,0.3,old", "s,2024-01-01,1-12,12,24,peak,1.0,old",
        "s,2025-03-01,1-12,0,24,flat,0.5,new"]))
    band, price = hour_bands(np.array([hour(dt.date(2025, 2, 28), 13), hour(dt.date(2025, 3, 1), 13)]),
                             grids(lines))
    assert price.tolist() == [1.0, 0.5] and [BANDS[b] for b in band] == ["peak", "flat"]
    with pytest.raises(InputError, match="starts 2024-01-01; no table for 2023-12-31"):
        hour_bands(np.array([hour(dt.date(2023, 12, 31), 5)]), grids(lines))


def test_gaps_ties_and_bad_lines_are_refused_naming_where(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="month 1 hour 12 has no line"):
        read_table(_csv(tmp_path, ["s,2024-01-01,1-12,0,12,valley,0.3,x"]))
    with pytest.raises(InputError, match="month 1 hour 5 is claimed by two lines naming 12 months"):
        read_table(_csv(tmp_path, ["s,2024-01-01,1-12,0,24,flat,0.5,x", "s,2024-01-01,1-12,5,6,peak,1.0,x"]))
    with pytest.raises(InputError, match=r"t.csv:2: band 'high' is not one of sharp, peak, flat, valley"):
        read_table(_csv(tmp_path, ["s,2024-01-01,1-12,0,24,high,0.5,x"]))
    with pytest.raises(InputError, match=r"t.csv:3: hours 8-8"):
        read_table(_csv(tmp_path, ["s,2024-01-01,1-12,0,24,flat,0.5,x", "s,2024-01-01,7,8,8,peak,1.0,x"]))
    with pytest.raises(InputError, match="months '13': months run from 1 to 12"):
        parse_months("13")
    assert parse_months("12,1-2") == frozenset({12, 1, 2}) and parse_months("7，8") == frozenset({7, 8})
