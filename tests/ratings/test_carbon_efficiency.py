"""The carbon-efficiency grade on constructed enterprises whose grades are known by hand, and method versions."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from nengtan.errors import NotFoundError
from nengtan.ratings.carbon_efficiency import grades
from nengtan.ratings.methods import Method, load


def test_grades_by_k_against_the_sector_average() -> None:
    # sector 36: Σ CO2 = 100 + 200 + 300 + 400 = 1 000 t over Σ value added 1 000 万元 → average 1.0 tCO2/万元
    figures = pd.DataFrame({
        "uscc": ["A", "B", "C", "D", "E", "F", "G"],
        "sector_code": ["3670", "3611", "3699", "3620", "3610", "2611", "2612"],
        "co2_t": [100.0, 200.0, 300.0, 400.0, 50.0, 10.0, 20.0],
        "value_added": [200.0, 250.0, 300.0, 250.0, 0.0, 10.0, 10.0],
    })
    out = grades(figures, load("carbon_efficiency", 1)).set_index("uscc")
    # A: 0.5/1.0 = 0.5 ≤ 0.6 → 1; B: 0.8 ≤ 0.8 → 2 (the boundary belongs to the better grade); C: 1.0 → 3;
    # D: 1.6 → 4
    assert out.loc[["A", "B", "C", "D"], "k"].tolist() == pytest.approx([0.5, 0.8, 1.0, 1.6])
    assert out.loc[["A", "B", "C", "D"], "grade"].tolist() == [1, 2, 3, 4]
    assert out.loc["A", "sector_intensity"] == pytest.approx(1.0) and out.loc["A", "sector_enterprises"] == 4
    assert "0.50 × the sector 36 average 1.0000" in out.loc["A", "reason"]
    assert "为行业 36 平均 1.0000 的 0.50 倍（4 家企业）" in out.loc["A", "reason_zh"]
    assert out.loc["E", "reason_zh"] == "未报送增加值：强度无法计算，不评级"
    assert pd.isna(out.loc["E", "grade"]) and "no value added" in out.loc["E", "reason"]
    # sector 26 has two enterprises with value added, fewer than the method's three: no average to grade against
    assert pd.isna(out.loc["F", "grade"]) and "fewer than 3" in out.loc["F", "reason"]
    assert set(out["method"]) == {"carbon_efficiency@v1"}


def test_an_old_rating_is_reproduced_by_its_method_version() -> None:
    v1 = load("carbon_efficiency", 1)
    stricter = Method("carbon_efficiency", 2, json.loads(json.dumps(v1.params)) | {"version": 2})
    stricter.params["grades"][0]["max_k"] = 0.4
    figures = pd.DataFrame({"uscc": ["A", "B", "C"], "sector_code": ["36", "36", "36"],
                            "co2_t": [50.0, 100.0, 150.0], "value_added": [100.0, 100.0, 100.0]})
    # sector average 1.0; A's K = 0.5: grade 1 under v1, grade 2 under the stricter v2
    assert grades(figures, v1).set_index("uscc").loc["A", "grade"] == 1
    assert grades(figures, stricter).set_index("uscc").loc["A", "grade"] == 2
    assert grades(figures, v1).equals(grades(figures, load("carbon_efficiency", 1)))
    with pytest.raises(NotFoundError, match="version 9"):
        load("carbon_efficiency", 9)
