"""The park evaluations' arithmetic, pure, written out by hand: growth, elasticity and reduction rates; HJ 274-2015
indicators, alternatives and the check of printed values; zero-carbon gaps; the GHG inventory's non-CO2 lines."""

from __future__ import annotations

import re

import pytest

from nengtan.errors import InputError
from nengtan.evaluation import ghg, hj274, zero_carbon
from nengtan.evaluation.growth import annual_growth, annual_reduction, elasticity

CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def test_growth_elasticity_and_reduction() -> None:
    # value added 100 → 133.1 over 3 years: (1.331)^(1/3) − 1 = 10 %/yr
    assert annual_growth(100, 133.1, 3) == pytest.approx(0.10)
    # energy 100 → 115.7625 over 3 years = 5 %/yr against 10 %/yr: elasticity 0.5
    assert elasticity(100, 115.7625, 100, 133.1, 3) == pytest.approx(0.5)
    # intensity 1.0 → 0.857375 over 3 years: 1 − 0.95 = 5 %/yr
    assert annual_reduction(1.0, 0.857375, 3) == pytest.approx(0.05)
    with pytest.raises(ValueError, match="positive"):
        annual_growth(0, 5, 3)
    with pytest.raises(ValueError, match="did not change"):
        elasticity(1, 2, 5, 5, 2)


def _inputs(**over: float) -> hj274.Inputs:
    y, b = 2025, 2020
    v = {("value_added", y): 161_051.0, ("value_added", b): 100_000.0, ("value_added", y - 3): 121_000.0,
         ("energy", y): 127_628.16, ("energy", b): 100_000.0, ("gross_output", y): 500_000.0,
         ("hightech_output", y): 140_000.0, ("employees", y): 10_000.0, ("co2", y): 300_000.0, ("co2", b): 260_000.0,
         ("fresh_water", y): 1_000_000.0, ("fresh_water", b): 900_000.0, ("recycled_water", y): 3_000_000.0}
    for p in ("cod", "nh3n", "so2", "nox"):
        v[(p, y)], v[(p, b)] = 100.0, 100.0
    v[("cod", y)] = 110.0
    v |= {(k, y): val for k, val in over.items()}
    return hj274.Inputs(y, b, v, {k: "test" for k in v})


def test_hj274_indicators_by_hand() -> None:
    r = hj274.evaluate(_inputs())
    by = {i["no"]: i for i in r["indicators"]}
    assert by[1]["value"] == pytest.approx(28.0) and by[1]["passed"] is False  # 140 000 / 500 000 < 30 %
    assert by[2]["value"] == pytest.approx(16.1051)  # 万元 per head
    assert by[3]["value"] == pytest.approx(100 * ((161_051 / 121_000) ** (1 / 3) - 1))
    # value added grows 10 %/yr over n = 5 (100 000 → 161 051); energy 5 %/yr (127 628.16 = 1.05^5 × 100 000)
    assert by[10]["value"] == pytest.approx(0.5) and by[10]["passed"] and by[10]["n"] == 5
    assert by[11]["value"] == pytest.approx(127_628.16 / 161_051)  # 0.79 tce/万元 > 0.5: not met
    # CO2 per value added: 2.6 → 1.8628 t/万元 over 5 years
    assert by[26]["value"] == pytest.approx(100 * (1 - ((300_000 / 161_051) / 2.6) ** (1 / 5)))
    # COD grows 110/100 over 5 years against value added 10 %/yr: the least favourable pollutant
    assert by[25]["value"] == pytest.approx((1.1 ** 0.2 - 1) / 0.1)
    assert by[15]["value"] == pytest.approx(75.0) and by[15]["passed"]  # 3 / (3 + 1)
    assert by[5]["passed"] is None and by[5]["reason"] == "no eco_chain_projects for 2025"
    assert by[5]["reason_zh"] == "缺少 2025 年的新增生态工业链项目数"  # its name in nengtan.statistics.items
    assert [x["item"] for x in by[2]["inputs"]] == ["value_added", "employees"]
    assert [x["name_zh"] for x in by[2]["inputs"]] == ["工业增加值", "从业人员"]
    assert not r["passed"] and 5 in r["mandatory_failed"]
    # each row in the standard's Chinese and in English (the label tables hj274_indicators, _groups, _units)
    assert (by[11]["name"], by[11]["unit"], by[11]["group"], by[11]["requirement"]) == (
        "单位工业增加值综合能耗", "吨标煤/万元", "资源节约", "≤ 0.5")
    assert (by[11]["unit_en"], by[11]["requirement_en"]) == ("tce/10⁴ CNY", "≤ 0.5")
    assert by[2]["unit_en"] == "10⁴ CNY/person" and by[10]["requirement_en"].startswith("≤ 0.6 (value added growing)")
    assert by[22]["requirement"] == "具备" and by[22]["requirement_en"] == "in place"
    assert all(i["name_en"] and i["group_en"] and not CJK.search(i["name_en"] + i["group_en"] + i["unit_en"] +
                                                                  i["requirement_en"]) for i in r["indicators"])
    with pytest.raises(InputError, match="chosen indicators 5, 40 are not optional"):
        hj274.evaluate(_inputs(), {1, 5, 40})


def test_a_level_stands_in_for_its_elasticity_and_printed_values_are_checked() -> None:
    # energy grows as fast as value added (elasticity 1.0) but the level 0.4 tce/万元 meets indicator 11
    x = _inputs(energy=0.4 * 161_051)
    x.values[("energy", 2020)] = 0.4 * 100_000
    r = hj274.evaluate(x)
    by = {i["no"]: i for i in r["indicators"]}
    assert by[10]["passed"] is False and by[11]["passed"] and by[10]["substituted_by"] == 11
    assert 10 not in r["mandatory_failed"]
    flags = {c["no"]: c["flags"] for c in hj274.check_filed(r, {11: -4.6, 1: 28.0, 15: 120.0, 2: 20.0})}
    assert flags[11][0] == "a tce/10⁴ CNY level is never negative: -4.6 looks like a rate of change"
    assert flags[1] == [] and flags[15][0] == "a share lies in 0–100 %: 120" and "differs" in flags[2][0]
    zh = {c["no"]: c["flags_zh"] for c in hj274.check_filed(r, {11: -4.6, 2: 20.0})}
    assert zh[11] == ["以 吨标煤/万元 计的水平值不可能为负：-4.6 像是变化率", "与重新计算的 0.4 不符"]
    assert zh[2] == [f"与重新计算的 {161_051 / 10_000:.4g} 不符"]  # 161 051 万元 / 10 000 people (_inputs)


def test_value_added_falling_turns_the_elasticity_requirement() -> None:
    x = _inputs()
    x.values[("value_added", 2025)] = 90_000.0
    x.values[("energy", 2025)] = 80_000.0  # energy falls faster than value added: elasticity > 0.6 is required
    r = {i["no"]: i for i in hj274.evaluate(x)["indicators"]}
    e = (0.8 ** 0.2 - 1) / (0.9 ** 0.2 - 1)
    assert r[10]["value"] == pytest.approx(e) and e > 0.6 and r[10]["passed"]


def test_zero_carbon_gaps_by_hand() -> None:
    p = zero_carbon.Park(energy_tce=400_000, co2_energy_t=900_000, co2_process_t=20_000, value_added=2_000_000,
                         electricity_kwh=2e9, renewable_kwh=4e8, nonfossil_tce=50_000, natural_gas_tce=30_000,
                         grid_factor_t_per_mwh=0.5703, enterprises=95, verified_enterprises=9,
                         certified_enterprises=10)
    rows = {r["key"]: r for r in zero_carbon.evaluate(p)}
    c = rows["co2_per_energy"]
    assert c["value"] == pytest.approx(920_000 / 400_000) and c["requirement"] == "≤ 0.2"
    cut = 920_000 - 0.2 * 400_000  # 840 000 t
    assert c["gap"]["co2_to_cut_t"] == pytest.approx(cut)
    assert c["gap"]["or_green_power_mwh"] == pytest.approx(cut / 0.5703)  # grid factor 0.5703 t/MWh
    assert c["gap"]["or_pv_kwp"] == pytest.approx(cut / 0.5703 * 1000 / 1100)
    assert rows["renewable_electricity_share"]["gap"]["green_power_mwh_to_add"] == pytest.approx((6e8 - 4e8) / 1e3)
    assert rows["co2_per_value_added"]["passed"]  # 0.46 ≤ 0.6 t/万元
    assert (rows["co2_per_value_added"]["unit"], rows["co2_per_value_added"]["unit_en"]) == ("tCO2/万元",
                                                                                             "tCO2/10⁴ CNY")
    assert c["note"] == "limit 0.2 for a park using 40.0 × 10⁴ tce a year"
    assert c["note_zh"] == "年综合能耗 40.0 万吨标准煤的园区，限值 0.2"
    assert rows["waste_heat_utilisation"]["note"] == "no waste_heat_utilisation in the park's statistics"
    assert all(r["name_en"] and not CJK.search(r["name_en"] + r["unit_en"]) for r in rows.values())
    assert rows["verified_enterprises"]["gap"]["enterprises_to_add"] == 1  # 10 % of 95 is 9.5: 10 needed
    assert rows["certified_enterprises"]["passed"]
    assert rows["waste_heat_utilisation"]["passed"] is None
    assert zero_carbon.co2_limit(1_200_000) == 0.3


def test_ghg_non_co2_and_processes_by_hand() -> None:
    a = ghg.Activity(combustion_co2_by_sector={"26": 1000.0}, fuel_tce={"coal": 1000.0, "natural_gas": 500.0},
                     scope2_t=5000.0, feedstock_process_t=12.0, carbonates_t={"limestone": 100.0}, sf6_kg=2.0,
                     hfc_kg={"HFC-134a": 10.0}, green_space_ha=100.0, sink_factor_t_per_ha=3.0,
                     sink_factor_source="park study")
    r = ghg.inventory(a, "SAR")
    lines = {(x["item"], x["gas"]): x for x in r["lines"]}
    tj_coal, tj_gas = 1000 * 0.0293076, 500 * 0.0293076  # 1 tce = 29.3076 GJ
    ch4 = (tj_coal * 10 + tj_gas * 1) / 1e3  # kg/TJ → t
    n2o = (tj_coal * 1.5 + tj_gas * 0.1) / 1e3
    assert lines[("化石燃料燃烧", "CH4")]["t_co2e"] == pytest.approx(ch4 * 21)  # SAR
    assert not [x for x in [*r["lines"], r["memo"][0], r["sink"]] if CJK.search(x["category_en"] + x["item_en"])]
    assert lines[("化石燃料燃烧", "N2O")]["t_co2e"] == pytest.approx(n2o * 310)
    assert lines[("碳酸盐使用 limestone", "CO2")]["t_co2e"] == pytest.approx(43.97)
    assert lines[("电气设备制造 SF6 排放", "SF6")]["t_co2e"] == pytest.approx(0.002 * 23900)
    assert r["total_t_co2e"] == pytest.approx(1000 + ch4 * 21 + n2o * 310 + 43.97 + 12 + 47.8 + 0.01 * 1300)
    assert r["sink"]["t_co2e"] == -300 and r["total_with_imports_t_co2e"] == pytest.approx(r["total_t_co2e"] + 5000)
    assert ghg.inventory(a, "AR6")["lines"][-1]["gwp"] == 1530  # HFC-134a in AR6


def test_an_indicator_without_a_base_year_or_a_defined_value_says_why_in_both_languages() -> None:
    r = hj274.evaluate(hj274.Inputs(2025, None, {("value_added", 2025): 1.0}, {}))
    by = {i["no"]: i for i in r["indicators"]}
    assert by[10]["reason"] == "no base year (--base-year) for 2025"
    assert by[10]["reason_zh"] == "2025 年无基准年：请填报统计项“规划基准年”（plan_base_year）或指定基准年"
    assert hj274.undefined_zh(ValueError("the denominator is 0")) == "无法计算：分母为零"
    assert hj274.undefined_zh(ValueError("growth from 0 to 5: both must be positive")) == \
        "无法计算：基准年与数据年的数值均须为正"


def test_every_hj274_formula_is_said_in_chinese() -> None:
    """The Chinese workbook's 计算方法 column: each indicator's formula has its Chinese in the catalogue
    (``note.hj274_formula``, keyed by the English), with the inputs by their Chinese names, and the catalogue holds
    no formula no indicator has."""
    from nengtan import i18n

    said = i18n.chinese("note.hj274_formula")
    assert set(said) == {i.formula for i in hj274.INDICATORS}
    assert said["value_added / employees"] == "工业增加值 / 从业人员"
    assert all(CJK.search(zh) and not re.search(r"[a-z]{3,}", zh.replace("n−3", "")) for zh in said.values())
