"""Units: Chinese statistical units and standard coal (GB/T 2589-2020: 1 kgce = 29 307.6 kJ)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nengtan.units import UnitError, conversion_factor, to_canonical


def test_wan_units_are_ten_thousand() -> None:
    assert to_canonical("electricity", 12.5, "万kWh") == 125_000.0
    assert to_canonical("natural_gas", 1.2, "万m3") == pytest.approx(12_000.0)
    assert to_canonical("electricity", 3, "MWh") == 3_000.0
    assert to_canonical("diesel", 1500, "kg") == 1.5


def test_standard_coal_energy() -> None:
    # GB/T 2589-2020: 1 kgce = 29.3076 MJ, so 1 tce = 29.3076 GJ
    assert conversion_factor("tce", "GJ") == pytest.approx(29.3076)
    assert conversion_factor("kgce", "MJ") == pytest.approx(29.3076)


def test_litres_need_density() -> None:
    # 1 000 L of diesel at 0.84 t/m3 = 1 m3 × 0.84 = 0.84 t
    assert to_canonical("diesel", 1000, "L", density_t_per_m3=0.84) == pytest.approx(0.84)
    with pytest.raises(UnitError, match="density"):
        to_canonical("diesel", 1000, "L")


@pytest.mark.parametrize(("carrier", "unit"), [("electricity", "m3"), ("natural_gas", "kWh"), ("heat", "t")])
def test_wrong_unit_for_carrier(carrier: str, unit: str) -> None:
    with pytest.raises(UnitError, match="does not fit"):
        to_canonical(carrier, 1, unit)


def test_unknown_unit_and_carrier() -> None:
    with pytest.raises(UnitError, match="unknown unit 'furlong'"):
        to_canonical("electricity", 1, "furlong")
    with pytest.raises(UnitError, match="unknown carrier 'water'"):
        to_canonical("water", 1, "t")


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False),
       st.sampled_from([("electricity", "kWh", "万kWh"), ("electricity", "MWh", "kWh"),
                        ("natural_gas", "m3", "万m3"), ("diesel", "t", "kg"), ("heat", "GJ", "MJ")]))
def test_round_trip(x: float, case: tuple[str, str, str]) -> None:
    _, a, b = case
    back = x * conversion_factor(a, b) * conversion_factor(b, a)
    assert math.isclose(back, x, rel_tol=1e-12, abs_tol=1e-9)


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False), st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_conversion_is_linear(x: float, y: float) -> None:
    f = conversion_factor("万kWh", "kWh")
    assert math.isclose((x + y) * f, x * f + y * f, rel_tol=1e-12, abs_tol=1e-6)
