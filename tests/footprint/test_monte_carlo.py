"""Monte Carlo: seeded and reproducible, its mean the analytic mean of the distribution within three
standard errors, an interval on every footprint; technosphere uncertainty refactorises per draw."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from nengtan.engine.footprints import Request, footprint

ACTS = "activity,product,amount,unit,location\nx,x,1,kg,CN\nsteel,steel,1,kg,CN\n"


def test_lognormal_mean_and_reproducibility(model_dir: Callable[..., Path]) -> None:
    m = model_dir(ACTS, "activity,type,flow,amount,unit,provider,uncertainty,sigma\n"
                        "x,biosphere,CO2_fossil,10,kg,,lognormal,0.3\n")
    n = 4000
    out = footprint(Request(m, "x", mc=n, seed=7))
    mc = out["monte_carlo"]
    analytic = 10 * math.exp(0.3 ** 2 / 2)  # the median is the amount: mean = median · exp(σ²/2)
    assert abs(mc["mean"] - analytic) < 3 * mc["sd"] / math.sqrt(n)
    assert out["total_kgco2e"] == pytest.approx(10.0)  # the deterministic result stays the median's
    lo, hi = out["interval_95"]
    assert lo == pytest.approx(10 * math.exp(-1.96 * 0.3), rel=0.05) and hi == pytest.approx(
        10 * math.exp(1.96 * 0.3), rel=0.05)
    again = footprint(Request(m, "x", mc=n, seed=7))
    assert again["interval_95"] == out["interval_95"] and again["monte_carlo"] == mc
    assert footprint(Request(m, "x", mc=n, seed=8))["monte_carlo"]["mean"] != mc["mean"]


def test_technosphere_uncertainty_refactorises(model_dir: Callable[..., Path]) -> None:
    # x takes U(1, 3) kg of steel at 2 kg CO2/kg: mean 2 × 2 = 4, sd 2 × (3 − 1)/√12
    m = model_dir(ACTS, "activity,type,flow,amount,unit,provider,uncertainty,min,max\n"
                        "x,technosphere,,2,kg,steel,uniform,1,3\nsteel,biosphere,CO2_fossil,2,kg,,,,\n")
    n = 3000
    mc = footprint(Request(m, "x", mc=n, seed=1))["monte_carlo"]
    assert abs(mc["mean"] - 4.0) < 3 * (4 / math.sqrt(12)) / math.sqrt(n)
    assert mc["sd"] == pytest.approx(4 / math.sqrt(12), rel=0.05)


def test_normal_and_triangular(model_dir: Callable[..., Path]) -> None:
    m = model_dir(ACTS, "activity,type,flow,amount,unit,provider,uncertainty,sd,min,max\n"
                        "x,biosphere,CO2_fossil,5,kg,,normal,0.5,,\nx,biosphere,CH4_fossil,0.1,kg,,triangular,,0,0.5\n")
    n = 4000
    mc = footprint(Request(m, "x", mc=n, seed=3))["monte_carlo"]
    mean = 5 + 29.8 * (0 + 0.1 + 0.5) / 3  # triangular mean (min + mode + max)/3, CH4 fossil GWP 29.8 (AR6)
    assert abs(mc["mean"] - mean) < 3 * mc["sd"] / math.sqrt(n)
