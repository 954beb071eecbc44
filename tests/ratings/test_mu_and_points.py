"""The 亩均 evaluation and carbon credit points, pure, worked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from nengtan.errors import InputError
from nengtan.ratings import mu_efficiency, points
from nengtan.ratings.methods import check_new_version, load, packaged


def test_mu_scores_against_the_parks_own_benchmarks() -> None:
    method = load("mu_efficiency", 1)
    inputs = {
        "X": {"land_area": 100, "tax": 1000, "sales": 20000, "value_added": 5000, "energy_tce": 2000},
        "Y": {"land_area": 50, "tax": 200, "sales": 5000, "value_added": 1000, "energy_tce": 1000},
        "Z": {"land_area": 50, "tax": 300, "sales": 5000, "value_added": 2000, "energy_tce": 500},
        "W": {"land_area": None, "tax": 100, "sales": 100, "value_added": 10, "energy_tce": 5},
    }
    out = {r["uscc"]: r for r in mu_efficiency.evaluate(inputs, method)}  # type: ignore[arg-type]
    # benchmarks over X, Y, Z: tax/mu 1500/200 = 7.5, sales/mu 30000/200 = 150, VA/mu 8000/200 = 40,
    # tax/tce 1500/3500; weights 0.4, 0.2, 0.2, 0.2 (mu_efficiency@v1)
    assert out["X"]["benchmarks"]["tax_per_tce"] == pytest.approx(1500 / 3500)
    x = 100 * (0.4 * 10 / 7.5 + 0.2 * 200 / 150 + 0.2 * 50 / 40 + 0.2 * 0.5 / (1500 / 3500))
    y = 100 * (0.4 * 4 / 7.5 + 0.2 * 100 / 150 + 0.2 * 20 / 40 + 0.2 * 0.2 / (1500 / 3500))
    z = 100 * (0.4 * 6 / 7.5 + 0.2 * 100 / 150 + 0.2 * 40 / 40 + 0.2 * 0.6 / (1500 / 3500))
    assert (out["X"]["score"], out["Y"]["score"], out["Z"]["score"]) == pytest.approx((x, y, z))
    assert x == pytest.approx(128.3333, abs=1e-4) and z == pytest.approx(93.3333, abs=1e-4)
    # ranks X 1, Z 2, Y 3 of 3: A needs rank ≤ 0.2 × 3, B ≤ 0.7 × 3 = 2.1, C ≤ 2.85, D the rest
    assert [(out[u]["rank"], out[u]["class"]) for u in "XZY"] == [(1, "B"), (2, "B"), (3, "D")]
    assert out["W"]["class"] is None and out["W"]["reason"] == "not evaluated: no land_area"
    assert out["W"]["reason_zh"] == "未评价：缺少用地面积"
    assert out["Z"]["reason_zh"].startswith(f"得分 {z:.1f}，排名 2/3：")


def test_points_earned_by_rule() -> None:
    method = load("carbon_points", 1)
    year = points.Year(co2_t=900, value_added=1000, base_intensities=(1.0, 1.2), verified=True, green_mwh=200,
                       certificates=1, complete_days=0.97)
    earned, why = points.earn(year, method)
    got = {e.rule: e.points for e in earned}
    # baseline (1.0 + 1.2) / 2 = 1.1 tCO2/万元; the year 900/1000 = 0.9; cut (1.1 − 0.9) × 1000 = 200 t × 0.1
    assert got == pytest.approx({"verified_reduction": 20.0, "green_power": 200 * 0.05, "certified_footprint": 20.0,
                                 "complete_verified_data": 10.0})
    assert why == []
    earned, why = points.earn(points.Year(900, 1000, (1.1,), False, 0, 0, 0.97), method)
    assert earned == [] and "verified_reduction: the year is not verified" in why
    assert "complete_verified_data: the year is not verified" in why
    assert points.expires_on(2025, method) == dt.date(2028, 12, 31)


def test_spends_take_the_soonest_to_expire_and_what_is_never_spent_expires() -> None:
    lots = [points.Lot(1, 10, dt.date(2026, 12, 31)), points.Lot(2, 20, dt.date(2027, 12, 31))]
    left, expired = points.remaining(lots, [(dt.date(2026, 6, 1), 15)], dt.date(2027, 6, 1))
    assert left == {1: 0, 2: 15} and expired == {}
    with pytest.raises(InputError, match=r"only 15\.00 were available"):
        points.remaining(lots, [(dt.date(2026, 6, 1), 15), (dt.date(2027, 6, 1), 16)], dt.date(2027, 6, 1))
    # lot 1 expired unspent: a spend in 2027 cannot take from it
    left, expired = points.remaining(lots, [(dt.date(2027, 3, 1), 20)], dt.date(2027, 3, 1))
    assert left == {1: 10, 2: 0} and expired == {1: 10}


def test_a_park_version_keeps_the_methods_parameters() -> None:
    base = packaged("mu_efficiency")
    new = {**{k: v for k, v in base[0].items() if k != "version"}, "source": "our county's 2026 rule",
           "status": "confirmed", "cap": 3.0}
    v = check_new_version("mu_efficiency", new, base)
    assert v["version"] == 2 and load("mu_efficiency", 2, (v,)).params["cap"] == 3.0
    assert load("mu_efficiency", 1, (v,)).params["cap"] == 2.0  # the old version is still there
    with pytest.raises(InputError, match="has no parameter weights"):
        check_new_version("mu_efficiency", {**new, "weights": 1}, base)
    with pytest.raises(InputError, match="states indicators"):
        check_new_version("mu_efficiency", {k: v for k, v in new.items() if k != "indicators"}, base)
