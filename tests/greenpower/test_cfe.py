"""Hourly carbon-free-energy matching worked by hand, with and without storage."""

from __future__ import annotations

import numpy as np
import pytest

from nengtan.errors import InputError
from nengtan.greenpower.cfe import Storage, match

LOAD = np.array([10.0, 10.0, 10.0, 10.0])
SUPPLY = np.array([0.0, 20.0, 5.0, 0.0])
GRID = np.array([0.5, 0.5, 0.2, 0.1])


def test_hour_by_hour() -> None:
    m = match(LOAD, SUPPLY, GRID)
    # matched min(L, S) = 0 + 10 + 5 + 0 = 15; the rest at the grid's CFE: 10·0.5 + 0 + 5·0.2 + 10·0.1 = 7
    assert m.matched_kwh == 15 and m.grid_cfe_kwh == pytest.approx(7.0)
    assert m.cfe_score == pytest.approx(22 / 40)
    assert m.hourly_matched_share == pytest.approx(15 / 40)
    assert m.annual_share == pytest.approx(25 / 40)  # the same supply claimed annually
    assert m.excess_kwh == 10  # hour 1's surplus counts for nothing


def test_storage_shifts_the_surplus() -> None:
    """8 kWh, 6 kW, 90 %: hour 1 charges min(10, 6, 8) = 6; hour 2 takes min(5, 6·0.9) = 5 (leaving 6 − 5/0.9);
    hour 3 the last (6 − 5/0.9)·0.9 = 0.4. Matched 0 + 10 + 10 + 0.4; grid 5 + 0 + 0 + 9.6·0.1."""
    m = match(LOAD, SUPPLY, GRID, Storage(8, 6, 0.9))
    assert m.hourly_matched == pytest.approx([0.0, 10.0, 10.0, 0.4])
    assert m.cfe_score == pytest.approx((20.4 + 5.96) / 40)
    assert (m.charged_kwh, m.discharged_kwh, m.excess_kwh) == pytest.approx((6.0, 5.4, 4.0))


def test_bad_input_is_refused() -> None:
    with pytest.raises(InputError, match="same hours"):
        match(LOAD, SUPPLY[:3], GRID)
    with pytest.raises(InputError, match="fraction"):
        match(LOAD, SUPPLY, GRID * 3)
    with pytest.raises(InputError, match="negative"):
        match(-LOAD, SUPPLY, GRID)
    with pytest.raises(InputError, match="efficiency"):
        Storage(1, 1, 1.5)
