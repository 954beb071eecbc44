"""Growth arithmetic of the park evaluations, pure (HJ 274-2015 appendix: data collection and calculation).

* average annual growth rate between a base year 0 and year n (geometric): ``r = (Xₙ / X₀)^(1/n) − 1``;
* elasticity of a quantity X against value added V: ``e = r_X / r_V`` (average annual growth rates over the same
  n years);
* average annual reduction rate of an intensity I: ``d = 1 − (Iₙ / I₀)^(1/n)``.

Every function states its n; a rate over a non-positive base or of a non-positive value is undefined (ValueError:
the caller reports it as such, never as a number).
"""

from __future__ import annotations


def annual_growth(x0: float, xn: float, n: int) -> float:
    """Average annual growth rate over `n` years (a fraction: 0.05 = 5 %/yr)."""
    if n < 1:
        raise ValueError(f"growth over {n} years: the data year must come after the base year")
    if not x0 > 0 or not xn > 0:
        raise ValueError(f"growth from {x0:g} to {xn:g}: both must be positive")
    return float((xn / x0) ** (1.0 / n) - 1.0)


def elasticity(x0: float, xn: float, v0: float, vn: float, n: int) -> float:
    """Elasticity of X against value added V over `n` years: r_X / r_V."""
    rv = annual_growth(v0, vn, n)
    if rv == 0:
        raise ValueError("value added did not change: the elasticity is undefined")
    return annual_growth(x0, xn, n) / rv


def annual_reduction(i0: float, i_n: float, n: int) -> float:
    """Average annual reduction rate of an intensity over `n` years (a fraction; negative when it rose)."""
    return -annual_growth(i0, i_n, n)
