"""Scenario projections with known answers, seeded reproducibility, and project assessment."""

import numpy as np
import pandas as pd
import pytest

from nengtan.targets import TargetsError
from nengtan.targets.allocation import load_benchmarks
from nengtan.targets.assessment import (
    DEFAULT_FACTORS,
    ParkContext,
    assess,
    implied_factors,
    parse_proposal,
    post_assess,
)
from nengtan.targets.scenarios import (
    TCE_PER_KWH,
    ScenarioBase,
    base_from_ledger,
    compare,
    load_scenarios,
    run_scenario,
    scenario_from_dict,
)

from .helpers import GRID, econ, ledger, row


def _base(elec_share=0.0, fuel_ef=2.0, grid_ef=5e-4):
    # one sector, 1000 万元, 500 tce
    return ScenarioBase(
        year=2025,
        sectors=["36"],
        value_added=np.array([1000.0]),
        energy=np.array([500.0]),
        elec_share=np.array([elec_share]),
        fuel_ef=np.array([fuel_ef]),
        grid_ef=grid_ef,
        pv_kwh=0.0,
        green_kwh=0.0,
    )


def _scn(g=0.0, k=0.0, d=0.0, x=0.0, pv=0.0, gr=0.0, r=0.0, sd=0.0):
    return scenario_from_dict(
        "t",
        {
            "va_growth": {"default": [g, sd]},
            "va_growth_decay": [k, 0.0],
            "energy_intensity_decline": [d, sd],
            "electrification": [x, 0.0],
            "electrification_cap": 0.9,
            "pv_additions_mwh": [pv, 0.0],
            "green_additions_mwh": [gr, 0.0],
            "grid_factor_decline": [r, 0.0],
        },
    )


def test_constant_drivers_compound_exactly():
    res = run_scenario(_base(), _scn(g=0.05, d=0.03), to_year=2035, draws=0)
    # fuel only: C(t) = 500 tce * 2 t/tce * (1.05 * 0.97)^t
    t = np.arange(11)
    np.testing.assert_allclose(res.central, 1000.0 * (1.05 * 0.97) ** t, rtol=1e-12)


def test_electricity_grid_factor_and_pv():
    # all electric: 500 tce = 500/1.229e-4 kWh; PV adds 1000 MWh/yr; grid factor -2 %/yr
    res = run_scenario(_base(elec_share=1.0), _scn(pv=1000.0, r=0.02), to_year=2027, draws=0)
    kwh = 500.0 / TCE_PER_KWH
    expect = [(kwh - 1e6 * t) * 5e-4 * 0.98**t for t in range(3)]
    np.testing.assert_allclose(res.central, expect, rtol=1e-12)


def test_peak_year_known_answer():
    # g(t) = 0.06 * 0.9^(t-1), d = 0.03: growth of C is (1+g(t))*0.97 - 1, positive while
    # g(t) > 0.03/0.97 = 0.030928: t = 7 gives g = 0.0319 (up), t = 8 gives 0.0287 (down) -> peak 2032
    res = run_scenario(_base(), _scn(g=0.06, k=0.1, d=0.03), to_year=2040, draws=200, seed=3)
    assert res.central_peak_year == 2032
    # no spread in any driver -> every draw peaks in 2032
    assert set(res.peak_years.tolist()) == {2032}
    assert res.p_peak_by(2030) == 0.0 and res.p_peak_by(2032) == 1.0


def test_not_peaked_within_horizon_is_not_counted():
    res = run_scenario(_base(), _scn(g=0.05), to_year=2030, draws=50, seed=1)
    assert set(res.peak_years.tolist()) == {2030}
    assert res.p_peak_by(2030) == 1.0  # horizon is the year asked for: maximum at 2030 is by 2030
    res2 = run_scenario(_base(), _scn(g=0.05), to_year=2035, draws=50, seed=1)
    assert res2.p_peak_by(2030) == 0.0


def test_monte_carlo_reproducible_with_seed():
    scn = load_scenarios()
    base = _base(elec_share=0.4)
    a = run_scenario(base, scn["policy"], to_year=2035, draws=2000, seed=7)
    b = run_scenario(base, scn["policy"], to_year=2035, draws=2000, seed=7)
    c = run_scenario(base, scn["policy"], to_year=2035, draws=2000, seed=8)
    np.testing.assert_array_equal(a.peak_years, b.peak_years)
    np.testing.assert_array_equal(a.quantiles[50], b.quantiles[50])
    # in the policy scenario this park peaks in the base year in every draw; the later years differ
    assert not np.array_equal(a.quantiles[95], c.quantiles[95])
    assert 0.0 <= a.p_peak_by(2030) <= 1.0


def test_named_scenarios_order():
    _res, summary, paths = compare(_base(elec_share=0.4), load_scenarios(), to_year=2035, draws=500, seed=1)
    assert list(summary["scenario"]) == ["baseline", "policy", "enhanced"]
    # stronger drivers -> lower 2035 emissions
    assert paths.loc[2035, "baseline"] > paths.loc[2035, "policy"] > paths.loc[2035, "enhanced"]
    assert (
        summary.set_index("scenario").loc["enhanced", "p_peak_by_2030"]
        >= summary.set_index("scenario").loc["baseline", "p_peak_by_2030"]
    )


def test_base_from_ledger_by_hand():
    led = ledger(
        [row("A", "3670", "2025-01", "electricity", 100_000), row("A", "3670", "2025-01", "natural_gas", 10_000)]
    )
    b = base_from_ledger(led, pd.DataFrame([econ("A", "2025-01", 100.0)]), 2025)
    # energy 12.29 + 12.143 = 24.433 tce; electricity share 12.29/24.433; fuel EF 21.65 t / 12.143 tce
    assert b.energy[0] == pytest.approx(24.433)
    assert b.elec_share[0] == pytest.approx(12.29 / 24.433)
    assert b.fuel_ef[0] == pytest.approx(21.65 / 12.143)
    assert b.grid_ef == pytest.approx(GRID)
    res = run_scenario(b, _scn(), to_year=2026, draws=0)
    assert res.central[0] == pytest.approx(58.27 + 21.65)  # the base year reproduces the ledger


def test_bad_scenario_driver():
    with pytest.raises(TargetsError, match="missing driver"):
        scenario_from_dict("x", {"va_growth": {"default": [0.1, 0.0]}})


PROJECT = {
    "name": "新能源汽车零部件项目",
    "sector_code": "3670",
    "expected_gross_output": 100_000.0,
    "expected_value_added": 25_000.0,
    "energy": {"electricity": 8_000_000.0, "natural_gas": 200_000.0},
    "pv_kwh": 1_000_000.0,
    "green_kwh": 2_000_000.0,
}


def test_assessment_by_hand():
    p = parse_proposal(PROJECT)
    f = dict(DEFAULT_FACTORS)
    bms = load_benchmarks()
    # CO2 = (8e6 - 1e6) kWh * 5.827e-4 + 2e5 m3 * 2.165e-3 = 4078.9 + 433 = 4511.9 t
    # per VA = 4511.9 / 25000 = 0.180476 <= 0.25 (36 benchmark); per output 0.045119 <= 0.05
    park = ParkContext(co2_t=30_000.0, value_added=200_000.0, gross_output=800_000.0)  # 0.15 t/万元
    a = assess(p, park, bms, f)
    assert a.co2_t == pytest.approx(4511.9)
    assert a.co2_per_value_added == pytest.approx(0.180476)
    assert a.co2_market_t == pytest.approx(4511.9 - 2e6 * 5.827e-4)
    # above the park average 0.15 -> approve with conditions; PV to close the gap:
    # (4511.9 - 0.15 * 25000) / 5.827e-4 = 761.9 / 5.827e-4 = 1 307 533.9 -> at least 1 307 534 kWh
    assert a.verdict == "approve_with_conditions"
    assert "1,307,534 kWh" in a.conditions[0] and a.conditions_en[0].startswith("add at least 1,307,534 kWh/yr")
    assert a.park_intensity_after == pytest.approx((30_000 + 4511.9) / 225_000)
    # same project in a park averaging 0.2 t/万元 -> approve
    assert assess(p, ParkContext(40_000.0, 200_000.0, 800_000.0), bms, f).verdict == "approve"
    # twice the gas and no PV -> 8e6*5.827e-4 + 4e5*2.165e-3 = 4661.6 + 866 = 5527.6 t; 0.2211 <= 0.25 but
    # per output 0.055276 > 0.05 -> reject
    p2 = parse_proposal({**PROJECT, "pv_kwh": 0.0, "energy": {"electricity": 8e6, "natural_gas": 4e5}})
    r = assess(p2, park, bms, f)
    assert r.verdict == "reject" and "单位工业总产值碳排放 0.0553" in r.reasons[0]
    assert r.reasons_en[0].startswith("CO2 per gross industrial output 0.0553 tCO2/10⁴ CNY above the sector benchmark")
    assert len(r.reasons_en) == len(r.reasons) and r.to_dict()["reasons_en"] == r.reasons_en
    # a tenth of the value added: 4511.9 t / 10 000 万元 = 0.4512 > 0.25 (sector 36's benchmark, a placeholder to
    # verify); the sector, the document and the status are named in each language
    v = assess(parse_proposal({**PROJECT, "expected_value_added": 10_000.0}), park, bms, f)
    assert v.verdict == "reject"
    assert v.reasons[0] == ("单位工业增加值碳排放 0.451 tCO2/万元 高于行业基准 0.250"
                            "（汽车制造业，nengtan 占位值，待核实）")
    assert v.reasons_en[0] == ("CO2 per industrial value added 0.451 tCO2/10⁴ CNY above the sector benchmark 0.250 "
                               "(automotive, nengtan placeholder, to verify)")
    d = v.to_dict()
    assert (d["benchmark_sector"], d["benchmark_sector_en"]) == ("汽车制造业", "automotive")
    assert (d["benchmark_source"], d["benchmark_source_en"]) == ("nengtan 占位值 —（待核实）",
                                                                 "nengtan placeholder — (to verify)")


def test_a_park_edited_benchmark_file_without_the_english_columns_still_loads(tmp_path):
    # the columns of a file a park wrote before sector_name_en and document_en: the Chinese serves in both languages
    f = tmp_path / "benchmarks.csv"
    f.write_text("sector_prefix,sector_name,co2_per_value_added,co2_per_gross_output,energy_per_value_added,unit_co2,"
                 "unit_energy,document,clause,status,note\n"
                 "36,汽车制造业,0.25,0.05,0.12,tCO2/万元,tce/万元,园区批复文件,第三条,confirmed,\n", encoding="utf-8")
    (b,) = load_benchmarks(str(f))
    assert (b.sector_name, b.sector_name_en, b.document, b.document_en) == ("汽车制造业", "汽车制造业", "园区批复文件",
                                                                            "园区批复文件")
    v = assess(parse_proposal({**PROJECT, "expected_value_added": 10_000.0}),
               ParkContext(co2_t=30_000.0, value_added=200_000.0, gross_output=800_000.0), [b], dict(DEFAULT_FACTORS))
    assert v.reasons_en[0].endswith("(汽车制造业, 园区批复文件, confirmed)")
    assert v.reasons[0].endswith("（汽车制造业，园区批复文件，已核实）")


def test_assessment_budget_reserve_condition():
    a = assess(
        parse_proposal(PROJECT),
        ParkContext(40_000.0, 200_000.0, 800_000.0, budget_reserve_t=1000.0),
        load_benchmarks(),
        dict(DEFAULT_FACTORS),
    )
    assert a.verdict == "approve_with_conditions" and "预算储备" in a.reasons[-1]


def test_proposal_errors_name_the_field():
    with pytest.raises(TargetsError, match="expected_value_added"):
        parse_proposal({**PROJECT, "expected_value_added": -1})
    with pytest.raises(TargetsError, match="no factor for carrier 'plasma'"):
        assess(
            parse_proposal({**PROJECT, "energy": {"plasma": 1.0}}),
            ParkContext(1, 1, 1),
            load_benchmarks(),
            dict(DEFAULT_FACTORS),
        )


def test_post_assessment():
    p = parse_proposal({**PROJECT, "uscc": "P1"})
    # promised 0.180476 t/万元 VA. Actual year: 7e6 kWh grid + 2e5 m3 gas = 4511.9 t on VA 20000 -> 0.2256
    led = ledger([row("P1", "3670", "2026-01", "electricity", 7e6), row("P1", "3670", "2026-01", "natural_gas", 2e5)])
    eco = pd.DataFrame([econ("P1", "2026-01", 20_000.0, 100_000.0)])
    f = implied_factors(led)
    pa = post_assess(p, led, eco, 2026, load_benchmarks(), f)
    assert pa.actual_co2_per_value_added == pytest.approx(4511.9 / 20_000)
    assert pa.status == "yellow"  # worse than promised by 25 %, still under the 0.25 benchmark
    eco_ok = pd.DataFrame([econ("P1", "2026-01", 25_000.0, 100_000.0)])
    assert post_assess(p, led, eco_ok, 2026, load_benchmarks(), f).status == "green"
    eco_bad = pd.DataFrame([econ("P1", "2026-01", 15_000.0, 100_000.0)])
    assert post_assess(p, led, eco_bad, 2026, load_benchmarks(), f).status == "red"  # 0.3008 > 0.25
    with pytest.raises(TargetsError, match="no 2027 data"):
        post_assess(p, led, eco, 2027, load_benchmarks(), f)
