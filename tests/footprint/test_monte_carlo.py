"""Monte Carlo: seeded and reproducible, its mean the analytic mean of the distribution within three
standard errors, an interval on every footprint; a draw with an uncertain technosphere is solved near the
deterministic factors and equals the exact solution of its own matrix."""

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


def test_draws_solved_near_the_factors_equal_exact_refactorisation(model_dir: Callable[..., Path],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Every draw of a model with loops and uncertain technosphere exchanges: the preconditioned GMRES
    answer equals a fresh factorisation of that draw's matrix to 1e-10."""
    from nengtan.footprint import montecarlo
    from nengtan.footprint.system import factorise

    m = model_dir("activity,product,amount,unit,location\nmodule,module,1,m2,CN\ncell,cell,1,m2,CN\n"
                  "power,kwh,1,kWh,CN\nsilicon,si,1,kg,CN\n",
                  "activity,type,flow,amount,unit,provider,uncertainty,sigma,min,max\n"
                  "module,technosphere,,1.05,m2,cell,lognormal,0.2,,\n"
                  "module,technosphere,,14,kWh,power,triangular,,10,20\n"
                  "cell,technosphere,,0.6,kg,silicon,lognormal,0.3,,\n"
                  "cell,technosphere,,18,kWh,power,uniform,,12,25\n"
                  "silicon,technosphere,,50,kWh,power,lognormal,0.25,,\n"
                  "power,technosphere,,0.08,kg,silicon,lognormal,0.5,,\n"  # a loop: power plants need silicon
                  "power,technosphere,,0.03,kWh,power,uniform,,0.01,0.05\n"  # and their own electricity
                  "power,biosphere,CO2_fossil,0.6,kg,,lognormal,0.1,,\n"
                  "silicon,biosphere,CO2_fossil,3,kg,,,,,\n")
    near = footprint(Request(m, "module", mc=300, seed=7))["monte_carlo"]

    def exact(a, f, lu, s0):  # type: ignore[no-untyped-def]
        return factorise(a).solve(f, trans="T"), False

    monkeypatch.setattr(montecarlo, "solve_near", exact)
    full = footprint(Request(m, "module", mc=300, seed=7))["monte_carlo"]
    assert near["mean"] == pytest.approx(full["mean"], rel=1e-10)
    assert near["sd"] == pytest.approx(full["sd"], rel=1e-8)


def test_solve_near_is_exact_near_or_far() -> None:
    """Close to the factorised matrix GMRES converges; far from it the draw is refactorised: exact both ways."""
    import numpy as np
    import scipy.sparse as sp

    from nengtan.footprint.montecarlo import solve_near
    from nengtan.footprint.system import factorise

    rng = np.random.default_rng(3)
    n = 300
    a0 = sp.identity(n, format="csc") - sp.random(n, n, density=0.02, random_state=4, format="csc") * 0.05
    f = rng.uniform(0, 1, n)
    lu = factorise(a0)
    s0 = lu.solve(f, trans="T")
    for scale, converges in ((0.01, True), (40.0, False)):
        a = (a0 + sp.random(n, n, density=0.02, random_state=5, format="csc") * scale).tocsc()
        s, used_gmres = solve_near(a, f, lu, s0)
        assert used_gmres is converges
        assert np.allclose(s, np.linalg.solve(a.toarray(), f), rtol=1e-9, atol=1e-12)
