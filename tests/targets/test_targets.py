"""Target model, seed templates, target paths and indicators."""

import math

import pandas as pd
import pytest

from nengtan.targets import TargetsError
from nengtan.targets.targets import Target, indicator_frame, load_templates, required_level, template

from .helpers import econ, ledger, row


def test_templates_cite_seed_clauses():
    ts = {t.target_id: t for t in load_templates()}
    js = ts["jiangsu-2025-energy-intensity"]
    # Jiangsu plan 二、主要目标: 单位地区生产总值能耗比2020年下降14%
    assert (js.value, js.base_year, js.target_year, js.kind) == (0.14, 2020, 2025, "reduction")
    assert "江苏省碳达峰实施方案" in js.document and "二、主要目标" in js.clause and js.status == "confirmed"
    assert ts["jiangsu-2025-nonfossil-share"].value == 0.18
    co2 = ts["jiangsu-2030-carbon-intensity"]
    assert (co2.value, co2.base_year, co2.target_year) == (0.65, 2005, 2030)
    # Yancheng 盐政发〔2024〕16号 一、（二）: 13.5 %, 20 %, 35 %
    assert ts["yancheng-2025-energy-intensity"].value == 0.135
    assert ts["yancheng-2025-carbon-intensity"].value == 0.20
    assert ts["yancheng-2025-nonfossil-share"].value == 0.35
    assert all(t.status in ("confirmed", "to-verify") for t in ts.values())
    # the inferred base year is not presented as confirmed
    assert ts["yancheng-2025-carbon-intensity"].status == "to-verify"


def test_unknown_template_names_available():
    with pytest.raises(TargetsError, match="jiangsu-2025-energy-intensity"):
        template("nope")


def test_required_level_geometric_path():
    t = template("jiangsu-2025-energy-intensity").adopt()
    # base 0.5 tce/万元 in 2020, -14 % by 2025: 2025 limit = 0.5 * 0.86 = 0.43
    assert required_level(t, 2025, 0.5) == pytest.approx(0.43, rel=1e-12)
    # 2023: 0.5 * 0.86 ** (3/5) = 0.5 * exp(0.6 * ln 0.86) = 0.5 * 0.913486...
    assert required_level(t, 2023, 0.5) == pytest.approx(0.5 * math.exp(0.6 * math.log(0.86)), rel=1e-12)
    assert required_level(t, 2027, 0.5) == pytest.approx(0.43)  # stays after target year
    with pytest.raises(TargetsError, match="base-year"):
        required_level(t, 2025, None)


def test_target_validation():
    with pytest.raises(TargetsError, match="fraction below 1"):
        Target("x", "park", "park", "energy_intensity", "reduction", 14, 2020, 2025)
    with pytest.raises(TargetsError, match="does not fit"):
        Target("x", "park", "park", "carbon_total", "reduction", 0.1, 2020, 2025)


def test_indicators_by_hand():
    led = ledger(
        [
            row("A", "3670", "2025-01", "electricity", 100_000),
            row("A", "3670", "2025-01", "natural_gas", 10_000),
            row("A", "3670", "2025-01", "pv", 20_000),
            row("A", "3670", "2025-01", "green_electricity", 30_000),
        ]
    )
    eco = pd.DataFrame([econ("A", "2025-01", 100.0)])
    f = indicator_frame(led, eco)
    # energy = 100000*1.229e-4 + 10000*1.2143e-3 + 20000*1.229e-4 = 12.29 + 12.143 + 2.458 = 26.891 tce
    assert f["energy_tce"].iloc[0] == pytest.approx(26.891)
    # CO2 = 100000*5.827e-4 + 10000*2.165e-3 = 58.27 + 21.65 = 79.92 t
    assert f["carbon_intensity"].iloc[0] == pytest.approx(0.7992)
    # green rows carry no energy -> they are part of "electricity": electricity used = 100000 + 20000
    # renewable = pv 20000 + green 30000 = 50000 -> 50000/120000
    assert f["renewable_electricity_share"].iloc[0] == pytest.approx(50_000 / 120_000)
    # non-fossil at 等价值: (20000 + 30000) * 3e-4 = 15 tce of (100000+20000)*3e-4 + 12.143 = 48.143
    assert f["nonfossil_share"].iloc[0] == pytest.approx(15 / 48.143)
