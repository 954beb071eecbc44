"""The figures a verifier checked (issue 8 b), each written out by hand with the source of its factor."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from nengtan.accounting import apply_factors, counter_consumption
from nengtan.accounting.inventory import Period, build_inventory
from nengtan.factors import FactorError, load_factor_set, load_library
from nengtan.factors.provinces import grid_region

AS_OF = dt.date(2026, 12, 1)


def _act(rows: list[tuple], province: str = "jiangsu") -> pd.DataFrame:
    out = []
    for r in rows:
        u, p, c, q = r[:4]
        feed, ox = (r[4], r[5]) if len(r) > 4 else (0.0, False)
        out.append({"uscc": u, "enterprise": u, "sector_code": "261", "province": province, "period": p,
                    "carrier": c, "quantity": q, "unit": "x", "source": "statement", "estimated_quantity": 0.0,
                    "feedstock_quantity": feed, "feedstock_oxidised": ox})
    return pd.DataFrame(out)


# -- 1. time-matching ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("year", "grid_year", "jiangsu"), [
    (2021, 2021, 0.6451),  # 公告2024年第12号, Jiangsu 2021
    (2022, 2022, 0.5978),  # 公告2024年第33号, Jiangsu 2022
    (2023, 2023, 0.5827),  # 公告2025年第47号, Jiangsu 2023
    (2025, 2023, 0.5827),  # no 2025 factors published by 2026-12-01: the newest (2023)
    (2020, 2021, 0.6451),  # none published for 2020: the oldest the library holds (2021)
])
def test_default_set_is_time_matched(year: int, grid_year: int, jiangsu: float) -> None:
    fs = load_factor_set(as_of=AS_OF).for_year(year)
    assert fs.grid_year == grid_year
    assert fs.grid_location("jiangsu").value == pytest.approx(jiangsu / 1000)
    assert any(f"{year} activity: {grid_year} grid factors" in n for n in fs.basis)
    assert len(fs.basis_zh) == len(fs.basis)  # each sentence in Chinese beside it
    assert any(f"{year} 年活动数据：采用 {grid_year} 年电网排放因子" in n for n in fs.basis_zh)


def test_a_notice_not_yet_published_at_the_report_date_is_not_used() -> None:
    # the 2023 notice (公告2025年第47号) was issued 2025-12-31: a report dated 2025-06-30 cannot use it
    fs = load_factor_set(as_of=dt.date(2025, 6, 30)).for_year(2023)
    assert fs.grid_year == 2022
    assert fs.grid_location("jiangsu").value == pytest.approx(0.5978 / 1000)
    assert "none published for 2023 by 2025-06-30" in " ".join(fs.basis)


def test_named_set_pins_the_grid_year() -> None:
    fs = load_factor_set("cn-2022", as_of=AS_OF).for_year(2025)
    assert fs.grid_year == 2022
    assert fs.grid_location("jiangsu").value == pytest.approx(0.5978 / 1000)


def test_activity_after_the_gbt32150_revision_says_the_2015_values_are_used() -> None:
    assert any("GB/T 32150-2025" in n for n in load_factor_set(as_of=AS_OF).for_year(2026).basis)
    assert not any("GB/T 32150-2025" in n for n in load_factor_set(as_of=AS_OF).for_year(2025).basis)


def test_time_matched_figures_of_a_past_year_do_not_change_with_a_newer_notice() -> None:
    act = _act([("A", "2021-05", "electricity", 1_000_000.0)])
    before = apply_factors(act, load_factor_set(as_of=dt.date(2024, 6, 1)).for_year(2021))
    after = apply_factors(act, load_factor_set(as_of=AS_OF).for_year(2021))
    # 1 000 MWh × 0.6451 tCO2/MWh (Jiangsu 2021) = 645.1 t, before and after the 2022 and 2023 notices
    assert before["scope2_location_t"].iloc[0] == pytest.approx(645.1)
    assert after["scope2_location_t"].iloc[0] == pytest.approx(645.1)


# -- 2. excluding-market factors ----------------------------------------------------------------------

@pytest.mark.parametrize(("year", "excl"), [(2021, 0.5942), (2022, 0.5856), (2023, 0.6096)])
def test_market_based_scope2_uses_the_excluding_market_factor(year: int, excl: float) -> None:
    fs = load_factor_set(as_of=AS_OF).for_year(year)
    act = _act([("A", f"{year}-01", "electricity", 1_000_000.0), ("A", f"{year}-01", "green_electricity", 300_000.0)])
    e = apply_factors(act, fs).set_index("carrier").loc["electricity"]
    # (1 000 − 300) MWh × the national factor excluding market-traded non-fossil power of that year
    assert e["scope2_market_t"] == pytest.approx(700 * excl)
    assert fs.grid_market("jiangsu").note == "fell back from jiangsu to national"


# -- 3. counters --------------------------------------------------------------------------------------

def test_one_bad_counter_reading_is_a_suspect_not_a_reset() -> None:
    cons, rolls, resets = counter_consumption(np.array([500000.0, 500010.0, 0.0, 500030.0, 500040.0]), None)
    # 500 010 − 500 000 = 10; the 0 is skipped: 500 030 − 500 010 = 20; 500 040 − 500 030 = 10 → 40 kWh
    assert cons.sum() == pytest.approx(40.0)
    assert (rolls, resets) == (0, 0)


def test_a_fall_that_stays_is_still_a_reset() -> None:
    cons, _, resets = counter_consumption(np.array([500000.0, 500010.0, 3.0, 8.0, 15.0]), None)
    # 10, then the reset: 3, 5, 7 → 25 kWh
    assert cons.sum() == pytest.approx(25.0)
    assert resets == 1


def test_two_bad_readings_in_a_row_are_both_skipped() -> None:
    cons, _, resets = counter_consumption(np.array([100.0, 110.0, 0.0, 5.0, 130.0, 140.0]), None)
    assert cons.sum() == pytest.approx(40.0)  # 10 + (130 − 110) + 10
    assert resets == 0


# -- 4. green electricity above the purchased electricity ----------------------------------------------

def test_green_claim_is_capped_and_shares_stay_at_or_below_one() -> None:
    fs = load_factor_set("cn-2023", as_of=AS_OF)
    act = _act([("A", "2025-01", "electricity", 100_000.0), ("A", "2025-01", "green_electricity", 150_000.0)])
    led = apply_factors(act, fs)
    g = led.set_index("carrier").loc["green_electricity"]
    assert g["quantity"] == pytest.approx(100_000.0)
    assert g["green_excess_kwh"] == pytest.approx(50_000.0)
    inv = build_inventory(led, pd.DataFrame(columns=["uscc", "period", "value_added", "gross_output",
                                                     "value_added_constant"]), fs, "park", Period(2025), "t")
    # renewable: 100 000 / 100 000 = 1; non-fossil: 100 000 × 0.300 kgce (等价值) / (100 000 × 0.300) = 1
    assert inv.shares["renewable_electricity_share"] == pytest.approx(1.0)
    assert inv.shares["non_fossil_energy_share"] == pytest.approx(1.0)
    assert "50,000 kWh" in " ".join(inv.grid_notes)


# -- 5. raw-material energy ---------------------------------------------------------------------------

def test_raw_material_gas_stays_in_energy_and_its_carbon_is_kept() -> None:
    fs = load_factor_set("cn-2023", as_of=AS_OF)
    # 100 000 m3 of natural gas, 40 000 m3 of it feedstock
    kept = apply_factors(_act([("A", "2025-01", "natural_gas", 100_000.0, 40_000.0, False)]), fs).iloc[0]
    burnt = apply_factors(_act([("A", "2025-01", "natural_gas", 100_000.0, 40_000.0, True)]), fs).iloc[0]
    # energy: 100 000 m3 × 1.2143 kgce/m3 (GB/T 2589-2020 A.1, gas-field gas) = 121.43 tce, feedstock 48.572
    assert kept["energy_tce"] == pytest.approx(121.43)
    assert kept["feedstock_tce"] == pytest.approx(48.572)
    assert kept["energy_dual_control_tce"] == pytest.approx(121.43 - 48.572)
    # combustion: 6 万m3 × 389.31 GJ × 0.0153 tC/GJ × 0.99 × 44/12 (GB/T 32150-2015 B.1)
    comb = 6 * 389.31 * 0.0153 * 0.99 * 44 / 12
    carbon = 4 * 389.31 * 0.0153 * 44 / 12  # feedstock carbon: no oxidation factor
    assert kept["scope1_t"] == pytest.approx(comb)
    assert kept["feedstock_carbon_t"] == pytest.approx(carbon)
    assert kept["process_t"] == 0.0
    # oxidised feedstock: a process emission by carbon balance (GB/T 32150-2015 6.3.2)
    assert burnt["process_t"] == pytest.approx(carbon)
    assert burnt["scope1_t"] == pytest.approx(comb + carbon)


def test_dual_control_basis_deducts_new_renewables() -> None:
    fs = load_factor_set("cn-2023", as_of=AS_OF)
    led = apply_factors(_act([("A", "2025-01", "electricity", 100_000.0),
                              ("A", "2025-01", "green_electricity", 20_000.0), ("A", "2025-01", "pv", 10_000.0)]), fs)
    # 综合能耗 (110 000 kWh × 0.1229 kgce) = 13.519 tce; minus PV and green power, 30 000 kWh × 0.1229 = 3.687
    assert led["energy_tce"].sum() == pytest.approx(13.519)
    assert led["energy_dual_control_tce"].sum() == pytest.approx(13.519 - 3.687)


# -- 6. factor rows -----------------------------------------------------------------------------------

def test_factor_rows_a_verifier_flagged() -> None:
    lib = load_library().set_index("id")
    assert lib.loc["cc.natural_gas", "value"] == pytest.approx(0.0153)  # B.1 prints 15.3 × 10⁻³
    assert lib.loc["tce.natural_gas", "value"] == pytest.approx(1.2143)  # pipeline (gas-field) gas
    assert "ipcc2006" not in set(lib["family"])
    assert "by rank" in lib.loc["cc.coal", "clause"] and lib.loc["cc.coal", "status"] == "to-verify"
    assert lib.loc["grid.national.2022", "valid_from"] == "2024-12-20"
    assert lib.loc["grid.national.2023", "valid_from"] == "2025-12-31"
    assert lib.loc["tce.electricity", "valid_from"] == "2021-04-01"
    assert lib.loc["heat.co2", "valid_from"] == "2016-06-01"
    assert grid_region("sichuan") == "southwest"
    fs = load_factor_set("cn-2022", as_of=AS_OF)
    assert fs.grid_location("sichuan").value == pytest.approx(0.2268 / 1000)  # 西南 2022
    assert fs.grid_location("hubei").value == pytest.approx(0.5395 / 1000)  # 华中 2022


def test_choosing_a_missing_family_is_a_clear_error() -> None:
    fs = load_factor_set("cn-2023", as_of=AS_OF)
    fs.fuel_family = "ipcc2006"
    with pytest.raises(FactorError, match="no ncv for diesel"):
        fs.combustion_co2("diesel")


def test_steam_energy_and_co2_use_the_same_heat() -> None:
    fs = load_factor_set("cn-2023", as_of=AS_OF)
    heat = 2.777 - 0.08374  # GJ/t: enthalpy − condensate at 83.74 kJ/kg (industrial-other guideline formula 8)
    assert fs.steam_heat().value == pytest.approx(heat)
    assert fs.tce("steam").value == pytest.approx(heat * 0.03412)  # tce/GJ, GB/T 2589-2020 A.1 热力
    assert fs.steam_co2().value == pytest.approx(heat * 0.11)  # tCO2/GJ, GB/T 32150-2015 B.2


def test_digest_covers_only_the_rows_a_set_can_use() -> None:
    a = load_factor_set("cn-2022", as_of=AS_OF)
    b = load_factor_set("cn-2023", as_of=AS_OF)
    assert a.digest != b.digest
    assert load_factor_set("cn-2023", as_of=AS_OF).id == b.id  # deterministic
