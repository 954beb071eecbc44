"""Seasonal pro-rata paths and year-end projections with an interval.

Seasonality comes from each enterprise's own history, not a flat twelfth:

* profile ``p[i, k]`` = mean over the enterprise's complete history years of (month-k value / year
  total) [fraction]; a year counts when all 12 months are present and the total is positive;
* an enterprise without such a year takes the pooled profile of its group (sector), and failing that
  the calendar profile (days in month / days in year) — documented fallbacks, never silent: the
  ``profile_source`` array says which one was used.

Year-to-date path for an annual limit ``L``: ``L × c[i, m]`` with ``c[i, m] = Σ_{k≤m} p[i, k]``.
Year-end projection (ratio-to-date estimator): ``Ŷ = YTD / c[i, m]``.

Interval: for each history year h the projection would have erred by ``ℓ_h = ln(c̄_m / c_{h,m})``;
``σ_emp = sqrt(Σ ℓ_h² / n_h)``. A floor for the months still to come, ``σ_0 × sqrt((12 − m)/12)``
(``σ_0`` default 0.05 [fraction]), is added in quadrature; the interval is
``[Ŷ e^{−zσ}, Ŷ e^{zσ}]`` with ``z = 1.645`` (90 %). In December σ = 0 and the interval collapses to
the actual total.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nengtan.targets.errors import TargetsError

#: Default z of the projection interval (two-sided 90 %).
DEFAULT_Z = 1.645
#: Default floor of the relative projection uncertainty for a full year ahead [fraction].
DEFAULT_SIGMA_FLOOR = 0.05


def calendar_profile(year: int) -> np.ndarray:
    """Days in each month / days in the year [fraction], shape (12,)."""
    days = np.array([calendar.monthrange(year, m)[1] for m in range(1, 13)], dtype=float)
    return days / days.sum()


def _valid_years(history: np.ndarray) -> np.ndarray:
    tot = np.nansum(history, axis=2)
    return np.all(np.isfinite(history), axis=2) & (tot > 0)


def seasonal_profile(
    history: np.ndarray,
    year: int,
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Monthly profile per enterprise from its own history.

    Parameters
    ----------
    history : ndarray, shape (n, h, 12)
        Monthly values of past years [any unit]; NaN where missing. ``h`` may be 0.
    year : int
        The year being tracked (for the calendar fallback).
    groups : ndarray of str, shape (n,), optional
        Group (sector) of each enterprise for the pooled fallback.

    Returns
    -------
    profile : ndarray, shape (n, 12)
        Shares summing to 1 per row.
    source : ndarray of str, shape (n,)
        ``own``, ``sector`` or ``calendar``.
    """
    history = np.asarray(history, dtype=float)
    if history.ndim != 3 or history.shape[2] != 12:
        raise TargetsError("history must have shape (enterprises, years, 12)")
    n = history.shape[0]
    valid = _valid_years(history)  # (n, h)
    tot = np.where(valid, np.nansum(history, axis=2), 1.0)
    shares = np.where(valid[..., None], np.nan_to_num(history) / tot[..., None], 0.0)
    nvalid = valid.sum(axis=1)
    prof = np.zeros((n, 12))
    own = nvalid > 0
    prof[own] = shares[own].sum(axis=1) / nvalid[own, None]
    source = np.where(own, "own", "calendar").astype(object)
    cal = calendar_profile(year)
    if groups is not None and (~own).any():
        g = np.asarray(groups).astype(str)
        for grp in np.unique(g[~own]):
            members = (g == grp) & own
            if members.any():
                sel = (g == grp) & ~own
                prof[sel] = prof[members].mean(axis=0)
                source[sel] = "sector"
    rest = source == "calendar"
    prof[rest] = cal
    prof = prof / prof.sum(axis=1, keepdims=True)
    return prof, source.astype(str)


@dataclass(frozen=True)
class Projection:
    """Year-end projection per enterprise (arrays of shape (n,))."""

    month: int
    ytd: np.ndarray
    cumulative_share: np.ndarray
    central: np.ndarray
    low: np.ndarray
    high: np.ndarray
    sigma: np.ndarray


def project_year_end(
    ytd: np.ndarray,
    month: int,
    profile: np.ndarray,
    history: np.ndarray | None = None,
    z: float = DEFAULT_Z,
    sigma_floor: float = DEFAULT_SIGMA_FLOOR,
) -> Projection:
    """Project the year-end total from the year to date.

    Parameters
    ----------
    ytd : ndarray, shape (n,)
        Year-to-date actual through ``month`` [any unit].
    month : int
        Last month with data (1–12).
    profile : ndarray, shape (n, 12)
        Seasonal profile [fraction] (:func:`seasonal_profile`).
    history : ndarray, shape (n, h, 12), optional
        Past years, for the empirical spread of the estimator.
    z : float
        Normal quantile of the interval [-], default 1.645 (90 %).
    sigma_floor : float
        Relative uncertainty floor for a full year ahead [fraction], default 0.05.
    """
    if not 1 <= month <= 12:
        raise TargetsError(f"month must be 1..12, got {month}")
    ytd = np.asarray(ytd, dtype=float)
    c = profile[:, :month].sum(axis=1)
    c = np.where(c > 0, c, np.nan)
    central = np.where(np.isfinite(c), ytd / c, ytd)
    sig2 = np.zeros(len(ytd))
    if history is not None and history.shape[1] > 0 and month < 12:
        valid = _valid_years(history)
        tot = np.where(valid, np.nansum(history, axis=2), 1.0)
        ch = np.nancumsum(history, axis=2)[:, :, month - 1] / tot  # (n, h)
        ok = valid & (ch > 0) & np.isfinite(c)[:, None]
        ell = np.where(ok, np.log(np.where(ok, c[:, None], 1.0) / np.where(ok, ch, 1.0)), 0.0)
        nh = ok.sum(axis=1)
        sig2 = np.where(nh > 0, (ell**2).sum(axis=1) / np.maximum(nh, 1), 0.0)
    sig2 = sig2 + (sigma_floor**2) * (12 - month) / 12
    sigma = np.sqrt(sig2)
    return Projection(
        month=month,
        ytd=ytd,
        cumulative_share=np.nan_to_num(c, nan=0.0),
        central=central,
        low=central * np.exp(-z * sigma),
        high=central * np.exp(z * sigma),
        sigma=sigma,
    )


def monthly_matrix(
    frame: pd.DataFrame, value: str, year: int, key: str = "uscc", keys: list[str] | None = None
) -> tuple[list[str], np.ndarray]:
    """Pivot a frame with ``period`` (YYYY-MM) into a (n, 12) matrix of ``value`` for ``year``.

    Months without rows are 0. ``keys`` fixes the row order (missing keys get zeros).
    """
    f = frame[frame["period"].astype(str).str.startswith(f"{year}-")]
    month = f["period"].astype(str).str.slice(5, 7).astype(int)
    piv = (
        f.assign(_m=month.to_numpy())
        .pivot_table(index=key, columns="_m", values=value, aggfunc="sum", fill_value=0.0, observed=True)
        .reindex(columns=range(1, 13), fill_value=0.0)
    )
    if keys is not None:
        piv = piv.reindex(keys, fill_value=0.0)
    return [str(k) for k in piv.index], piv.to_numpy(dtype=float)


def history_cube(
    frame: pd.DataFrame, value: str, years: list[int], keys: list[str], key: str = "uscc"
) -> np.ndarray:
    """Stack :func:`monthly_matrix` of past ``years`` into (n, h, 12); enterprises absent in a
    year get NaN there (so that year is not used for their profile)."""
    cube = np.full((len(keys), len(years), 12), np.nan)
    for j, y in enumerate(years):
        present, m = monthly_matrix(frame, value, y, key=key)
        if not present:
            continue
        idx = pd.Index(present)
        pos = idx.get_indexer(pd.Index(keys))
        has = pos >= 0
        cube[has, j, :] = m[pos[has]]
    return cube
