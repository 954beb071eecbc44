"""Accounting arithmetic, each expected figure written out by hand with its factor's source."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nengtan.accounting import apply_factors, counter_consumption
from nengtan.accounting.inventory import Period, build_inventory
from nengtan.factors import load_factor_set

FS = load_factor_set("cn-2023")


def _activity(rows: list[tuple[str, str, str, float]], province: str = "jiangsu") -> pd.DataFrame:
    return pd.DataFrame([{"uscc": u, "enterprise": u, "sector_code": "367" if u.startswith("A") else "261",
                          "province": province, "period": p, "carrier": c, "quantity": q,
                          "unit": "x", "source": "statement", "estimated_quantity": 0.0} for u, p, c, q in rows])


def test_ten_thousand_cubic_metres_of_natural_gas() -> None:
    led = apply_factors(_activity([("A", "2025-01", "natural_gas", 10_000.0)]), FS)
    row = led.iloc[0]
    # GB/T 32150-2015 annex B table B.1: NCV 389.31 GJ/10^4 Nm3, CC 0.0153 tC/GJ, OF 0.99
    assert row["scope1_t"] == pytest.approx(389.31 * 0.0153 * 0.99 * 44 / 12)  # = 21.622 t
    # GB/T 2589-2020 annex A: 1.2143 kgce/m3 (gas-field gas) → 10 000 m3 = 12.143 tce
    assert row["energy_tce"] == pytest.approx(12.143)
    assert row["scope2_location_t"] == 0.0


def test_purchased_electricity_location_and_market() -> None:
    act = _activity([("A", "2025-01", "electricity", 1_000_000.0), ("A", "2025-01", "green_electricity", 300_000.0)])
    led = apply_factors(act, FS).set_index("carrier")
    e = led.loc["electricity"]
    # 1 000 MWh × 0.5827 tCO2/MWh (Jiangsu 2023, 公告2025年第47号) = 582.7 t
    assert e["scope2_location_t"] == pytest.approx(582.7)
    # market: (1 000 − 300) MWh × 0.6096 (2023 national factor excluding market-traded non-fossil power,
    # 公告2025年第47号 table 4) = 426.72 t
    assert e["scope2_market_t"] == pytest.approx(426.72)
    # energy: 1 000 000 kWh × 0.1229 kgce/kWh = 122.9 tce (当量值); × 0.300 kgce/kWh = 300 tce (等价值)
    assert e["energy_tce"] == pytest.approx(122.9)
    assert e["energy_equiv_tce"] == pytest.approx(300.0)
    g = led.loc["green_electricity"]
    assert g["energy_tce"] == 0.0 and g["scope2_location_t"] == 0.0


def test_market_based_with_the_2022_excluding_factor_and_floor_at_zero() -> None:
    fs = load_factor_set("cn-2022")
    act = _activity([("A", "2025-01", "electricity", 1_000_000.0), ("A", "2025-01", "green_electricity", 400_000.0),
                     ("B", "2025-01", "electricity", 100_000.0), ("B", "2025-01", "green_electricity", 150_000.0)])
    led = apply_factors(act, fs)
    e = led[led["carrier"] == "electricity"].set_index("uscc")
    # 600 MWh × 0.5856 (national, excluding market-traded non-fossil, 公告2024年第33号) = 351.36 t
    assert e.loc["A", "scope2_market_t"] == pytest.approx(351.36)
    # location: 1 000 MWh × 0.5978 (Jiangsu 2022) = 597.8 t
    assert e.loc["A", "scope2_location_t"] == pytest.approx(597.8)
    # B bought more green power than it used: market-based floored at zero, never negative
    assert e.loc["B", "scope2_market_t"] == 0.0


def test_heat_steam_and_diesel() -> None:
    led = apply_factors(_activity([("A", "2025-02", "heat", 1_000.0), ("A", "2025-02", "steam", 100.0),
                                   ("A", "2025-02", "diesel", 10.0)]), FS).set_index("carrier")
    # heat: 1 000 GJ × 0.11 tCO2/GJ = 110 t; 1 000 GJ × 0.03412 tce/GJ = 34.12 tce
    assert led.loc["heat", "scope2_location_t"] == pytest.approx(110.0)
    assert led.loc["heat", "energy_tce"] == pytest.approx(34.12)
    # steam 100 t: (2.777 − 0.08374) GJ/t × 100 t = 269.326 GJ × 0.11 = 29.62586 t
    assert led.loc["steam", "scope2_location_t"] == pytest.approx(29.62586)
    # the same delivered heat in energy: 269.326 GJ × 0.03412 tce/GJ = 9.18940312 tce
    assert led.loc["steam", "energy_tce"] == pytest.approx(9.18940312)
    # diesel 10 t × 42.652 GJ/t × 0.0202 tC/GJ × 0.98 × 44/12 = 30.959 t; 10 t × 1.4571 = 14.571 tce
    assert led.loc["diesel", "scope1_t"] == pytest.approx(10 * 42.652 * 0.0202 * 0.98 * 44 / 12)
    assert led.loc["diesel", "energy_tce"] == pytest.approx(14.571)


def test_counter_differencing_rollover_and_reset() -> None:
    # plain: 100, 105, 112 → 5, 7
    c, roll, reset = counter_consumption(np.array([100.0, 105.0, 112.0]), None)
    assert list(c) == [5.0, 7.0] and (roll, reset) == (0, 0)
    # rollover of a 10^6 register: 999 990 → 5 means 10 + 5 = 15
    c, roll, reset = counter_consumption(np.array([999_980.0, 999_990.0, 5.0, 20.0]), 1e6)
    assert list(c) == [10.0, 15.0, 15.0] and (roll, reset) == (1, 0)
    # replaced meter (reset): 5 000 → 3 means the new register's 3, never −4 997
    c, roll, reset = counter_consumption(np.array([4_990.0, 5_000.0, 3.0, 9.0]), 1e6)
    assert list(c) == [10.0, 3.0, 6.0] and (roll, reset) == (0, 1)


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=2, max_size=200))
def test_counter_consumption_never_negative(values: list[float]) -> None:
    c, _, _ = counter_consumption(np.array(values), 1e6)
    assert (c >= 0).all()


def test_intensities_and_provenance() -> None:
    act = _activity([("A", "2025-01", "electricity", 1_000_000.0), ("A", "2025-01", "natural_gas", 10_000.0)])
    led = apply_factors(act, FS)
    econ = pd.DataFrame([{"uscc": "A", "period": "2025-01", "value_added": 1_000.0, "gross_output": 4_000.0,
                          "value_added_constant": 950.0}])
    inv = build_inventory(led, econ, FS, "park", Period(2025, 1), "registry#1+lake#0")
    co2 = 582.7 + 389.31 * 0.0153 * 0.99 * 44 / 12
    tce = 122.9 + 12.143  # 1 000 000 kWh × 0.1229 kgce + 10 000 m3 × 1.2143 kgce (GB/T 2589-2020 A.1)
    assert inv.co2_t == pytest.approx(co2)
    assert inv.energy_tce == pytest.approx(tce)
    assert inv.value_added_basis == "constant prices"
    assert inv.intensities["co2_t_per_10k_cny_value_added"] == pytest.approx(co2 / 950.0)
    assert inv.intensities["energy_tce_per_10k_cny_gross_output"] == pytest.approx(tce / 4_000.0)
    assert inv.intensities["co2_t_per_tce"] == pytest.approx(co2 / tce)
    d = inv.to_dict()
    assert d["factor_set"] == FS.id and d["data_version"] == "registry#1+lake#0"
    assert set(d) >= {"energy_tce", "co2_t", "scope1_t", "scope2_location_t", "scope2_market_t", "by_carrier",
                      "intensities"}


carriers = st.sampled_from(["electricity", "natural_gas", "diesel", "heat", "steam", "pv", "green_electricity"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A1", "A2", "B1", "B2", "B3"]), st.integers(1, 12), carriers,
                          st.floats(min_value=0, max_value=1e8, allow_nan=False)), min_size=1, max_size=40,
                unique_by=lambda t: (t[0], t[1], t[2])))
def test_park_equals_sum_of_enterprises_and_sectors(rows: list[tuple[str, int, str, float]]) -> None:
    act = _activity([(u, f"2025-{m:02d}", c, q) for u, m, c, q in rows])
    led = apply_factors(act, FS)
    econ = pd.DataFrame(columns=["uscc", "period", "value_added", "gross_output", "value_added_constant"])
    park = build_inventory(led, econ, FS, "park", Period(2025), "v")
    ents = [build_inventory(led, econ, FS, f"enterprise:{u}", Period(2025), "v") for u in led["uscc"].unique()]
    secs = [build_inventory(led, econ, FS, f"sector:{s}", Period(2025), "v") for s in ("367", "261")]
    for field in ("energy_tce", "energy_equiv_tce", "scope1_t", "scope2_location_t", "scope2_market_t"):
        total = getattr(park, field)
        assert total == pytest.approx(sum(getattr(e, field) for e in ents), rel=1e-12, abs=1e-9)
        assert total == pytest.approx(sum(getattr(s, field) for s in secs), rel=1e-12, abs=1e-9)
    quarters = [build_inventory(led, econ, FS, "park", Period(2025, quarter=q), "v") for q in (1, 2, 3, 4)]
    assert park.co2_t == pytest.approx(sum(q.co2_t for q in quarters), rel=1e-12, abs=1e-9)


def _one_reading_at_a_time(v: "np.ndarray", rollover: float | None, lookahead: int = 4) -> tuple[list[float], int, int]:
    """counter_consumption's rule applied reading by reading, as its docstring states it: the reference."""
    out, rolls, resets, last, i = [0.0] * (len(v) - 1), 0, 0, v[0], 1
    while i < len(v):
        if v[i] >= last:
            out[i - 1], last, i = v[i] - last, v[i], i + 1
            continue
        back = [k for k, x in enumerate(v[i + 1: i + 1 + lookahead]) if x >= last]
        if back:  # a suspect reading: skip to the one that returns
            j = i + 1 + back[0]
            out[j - 1], last, i = v[j] - last, v[j], j + 1
            continue
        if rollover is not None and last >= 0.9 * rollover:
            out[i - 1], rolls = rollover - last + v[i], rolls + 1
        else:
            out[i - 1], resets = v[i], resets + 1
        last, i = v[i], i + 1
    return out, rolls, resets


def test_counter_consumption_agrees_with_the_rule_read_one_reading_at_a_time() -> None:
    import numpy as np

    from nengtan.accounting.calc import counter_consumption

    rng = np.random.default_rng(7)
    for _ in range(3000):
        n = int(rng.integers(2, 40))
        v = np.cumsum(rng.integers(0, 5, n)).astype(float) + 900.0
        for _ in range(int(rng.integers(0, 4))):  # resets, suspect readings and rollovers of a 1 000 register
            k, kind = int(rng.integers(0, n)), int(rng.integers(0, 3))
            if kind == 0:
                v[k:] = v[k:] - v[k] + float(rng.integers(0, 3))
            elif kind == 1:
                v[k] = float(rng.integers(0, 5))
            else:
                v[k:] = v[k:] % 1000.0
        rollover = 1000.0 if rng.random() < 0.5 else None
        cons, rolls, resets = counter_consumption(v, rollover)
        ref, ref_rolls, ref_resets = _one_reading_at_a_time(v, rollover)
        assert (rolls, resets) == (ref_rolls, ref_resets)
        assert cons.tolist() == ref
