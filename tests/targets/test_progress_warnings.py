"""Seasonal projections on constructed histories and warning thresholds at their boundaries."""

import math

import numpy as np
import pandas as pd
import pytest

from nengtan.targets.progress import calendar_profile, project_year_end, seasonal_profile
from nengtan.targets.targets import Target
from nengtan.targets.warnings import Thresholds, classify, run_warnings, warnings_list

from .helpers import GRID, econ, ledger, row

W = np.arange(1, 13, dtype=float)  # monthly shape 1, 2, ..., 12 (sum 78)


def test_projection_known_answer_from_own_history():
    hist = np.stack([10 * W, 12 * W])[None, :, :]  # one enterprise, two identical-shape years
    prof, src = seasonal_profile(hist, 2025)
    assert src.tolist() == ["own"]
    np.testing.assert_allclose(prof[0], W / 78)
    ytd = np.array([13 * W[:6].sum()])  # 2025 runs at 13 x shape: 273 through June
    pr = project_year_end(ytd, 6, prof, hist)
    assert pr.central[0] == pytest.approx(13 * 78)  # 1014, the true total
    # a flat twelfth would have said 546: the seasonal profile matters here
    assert ytd[0] * 2 == pytest.approx(546)
    # identical shapes -> no empirical spread; only the floor 0.05*sqrt(6/12)
    sigma = 0.05 * math.sqrt(0.5)
    assert pr.sigma[0] == pytest.approx(sigma)
    assert pr.low[0] == pytest.approx(1014 * math.exp(-1.645 * sigma))
    assert pr.high[0] == pytest.approx(1014 * math.exp(1.645 * sigma))
    dec = project_year_end(np.array([13 * 78.0]), 12, prof, hist)
    assert dec.low[0] == dec.central[0] == dec.high[0] == pytest.approx(1014)


def test_projection_spread_from_history():
    # two years whose first halves are 40 % and 60 % of the year: mean profile share 0.5 at June
    y1 = np.r_[np.full(6, 40 / 6), np.full(6, 60 / 6)]
    y2 = np.r_[np.full(6, 60 / 6), np.full(6, 40 / 6)]
    hist = np.stack([y1, y2])[None]
    prof, _ = seasonal_profile(hist, 2025)
    pr = project_year_end(np.array([50.0]), 6, prof, hist, sigma_floor=0.0)
    assert pr.central[0] == pytest.approx(100.0)
    # errors ln(0.5/0.4) and ln(0.5/0.6): sigma = sqrt((ln(1.25)^2 + ln(5/6)^2)/2)
    assert pr.sigma[0] == pytest.approx(math.sqrt((math.log(1.25) ** 2 + math.log(5 / 6) ** 2) / 2))


def test_fallbacks_sector_then_calendar():
    hist = np.full((3, 1, 12), np.nan)
    hist[0, 0] = W
    prof, src = seasonal_profile(hist, 2024, groups=np.array(["36", "36", "38"]))
    assert src.tolist() == ["own", "sector", "calendar"]
    np.testing.assert_allclose(prof[1], W / 78)
    # 2024 is a leap year: February has 29 of 366 days
    assert prof[2][1] == pytest.approx(29 / 366)
    assert calendar_profile(2025)[1] == pytest.approx(28 / 365)


def test_classify_boundaries():
    r = np.array([0.9499999999, 0.95, 0.9999999999, 1.0, 1.5, np.nan])
    assert classify(r).tolist() == ["green", "yellow", "yellow", "red", "red", "grey"]
    # YTD above the path by 10 % turns a green yellow, just under does not
    assert classify(np.array([0.5, 0.5]), np.array([1.10, 1.0999999])).tolist() == ["yellow", "green"]
    th = Thresholds(yellow_at=0.9, red_at=1.05)
    assert classify(np.array([0.9, 1.049999, 1.05]), th=th).tolist() == ["yellow", "yellow", "red"]
    # red on the favourable end of the interval (default): central over the limit but low under it -> yellow
    assert classify(np.array([1.03, 1.03, 1.03]), red_ratio=np.array([0.99, 1.0, np.nan])).tolist() == [
        "yellow",
        "red",
        "yellow",
    ]
    th_c = Thresholds(red_on="central")
    assert classify(np.array([1.0]), th=th_c, red_ratio=np.array([0.5])).tolist() == ["red"]
    with pytest.raises(ValueError, match="red_on"):
        Thresholds(red_on="maybe")
    with pytest.raises(ValueError, match="yellow_at <= red_at"):
        Thresholds(yellow_at=1.1, red_at=1.0)


def _park(factors: dict[str, float]):
    """Enterprises whose 2025 H1 runs at `factor` x their 2024 (shape W) in electricity."""
    rows, eco, alloc = [], [], []
    for u, f in factors.items():
        for m in range(1, 13):
            rows.append(row(u, "3670", f"2024-{m:02d}", "electricity", 1000 * W[m - 1]))
            eco.append(econ(u, f"2024-{m:02d}", 100.0))
            if m <= 6:
                rows.append(row(u, "3670", f"2025-{m:02d}", "electricity", 1000 * W[m - 1] * f))
                rows.append(row(u, "3670", f"2025-{m:02d}", "natural_gas", 10.0))
                eco.append(econ(u, f"2025-{m:02d}", 100.0))
        # budget = its 2024 CO2; intensity = budget / expected VA 1200 万元 (VA runs flat at 100/month)
        b = 78_000 * GRID
        alloc.append({"uscc": u, "enterprise": f"E{u}", "sector_code": "3670", "allocated_t": b, "intensity": b / 1200})
    led = ledger(rows)
    e = pd.DataFrame(eco)
    hist = led[led["period"].str.startswith("2024")]
    cur = led[led["period"].str.startswith("2025")]
    return cur, e[e["period"].str.startswith("2025")], hist, e[e["period"].str.startswith("2024")], pd.DataFrame(alloc)


def test_enterprise_warnings_on_constructed_park():
    cur, eco, hist, heco, alloc = _park({"R": 1.2, "Y": 0.96, "G": 0.9})
    w = run_warnings(cur, eco, 2025, 6, allocation=alloc, history_ledger=hist, history_economics=heco)
    ent = w[w["level"] == "enterprise"].set_index("subject")
    gas = 6 * 10 * 2.165e-3  # 0.1299 t of gas in H1, projected with the electricity-dominated profile
    for u, f, status in (("R", 1.2, "red"), ("Y", 0.96, "yellow"), ("G", 0.9, "green")):
        ytd = 21_000 * f * GRID + gas
        assert ent.loc[u, "ytd_actual"] == pytest.approx(ytd)
        assert ent.loc[u, "projection"] == pytest.approx(ytd * 78 / 21)
        assert ent.loc[u, "limit"] == pytest.approx(78_000 * GRID)  # VA on plan -> elastic = planned
        assert ent.loc[u, "ratio"] == pytest.approx(ytd * 78 / 21 / (78_000 * GRID))
        assert ent.loc[u, "status"] == status
    assert ent.loc["R", "driver_carrier"] == "electricity"
    assert "外购电力" in ent.loc["R", "reason_zh"] and "electricity" in ent.loc["R", "reason_en"]
    sec = w[w["level"] == "sector"].iloc[0]
    assert sec["limit"] == pytest.approx(3 * 78_000 * GRID)
    assert "R" in sec["driver_enterprises"]
    wl = warnings_list(w)
    assert wl["status"].tolist()[:1] == ["red"] and "G" not in wl["subject"].tolist()


def test_park_targets_with_base_level():
    cur, eco, hist, heco, _alloc = _park({"A": 1.0, "B": 1.0})
    # carbon-intensity reduction 20 % 2020->2025: limit = base * 0.8; base chosen so that the
    # projected 2025 intensity (= 2024's, same run rate) is exactly at the limit -> red (r = 1.00)
    proj_int = (2 * (78_000 * GRID + 60 * 2.165e-3 * 78 / 21)) / 2400
    t = Target("p-ci", "park", "park", "carbon_intensity", "reduction", 0.2, 2020, 2025)
    cap = Target("p-cap", "park", "park", "carbon_total", "cap", 1000.0)
    w = run_warnings(
        cur,
        eco,
        2025,
        6,
        targets=[t, cap],
        base_levels={"carbon_intensity": proj_int / 0.8},
        history_ledger=hist,
        history_economics=heco,
        park_budget_t=95.0,
    )
    p = w[w["level"] == "park"].set_index("subject")
    assert p.loc["p-ci", "limit"] == pytest.approx(proj_int)
    assert p.loc["p-ci", "ratio"] == pytest.approx(1.0)
    assert p.loc["p-cap", "status"] == "green"  # ~91 t against 1000 t
    assert p.loc["park-budget", "projection"] == pytest.approx(2 * (78_000 * GRID + 60 * 2.165e-3 * 78 / 21))
    # 91.158 / 95 = 0.9596 -> yellow
    assert p.loc["park-budget", "status"] == "yellow"
    # missing base level -> grey with a reason
    w2 = run_warnings(cur, eco, 2025, 6, targets=[t])
    assert w2.iloc[0]["status"] == "grey" and "基年" in w2.iloc[0]["reason_zh"]
