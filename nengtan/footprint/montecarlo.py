"""Monte Carlo over the exchanges' distributions, seeded and reproducible (ISO 14067:2018 6.4.9.2 asks
for the uncertainty of the CFP; the draws follow the ecoinvent / Brightway conventions):

* lognormal — the exchange's amount is the median: ``amount · exp(σ Z)``, mean ``amount · exp(σ²/2)``;
* normal — mean ``amount``, standard deviation ``sd``;
* triangular — ``min``, mode ``amount``, ``max``;  uniform — ``min`` … ``max``.

Draw ``k`` of every exchange comes from one ``numpy.random.Generator(PCG64(seed))`` in a fixed order,
so the same model, seed and draw count give the same numbers on any machine. When only biosphere
exchanges are uncertain the supply is solved once; otherwise each draw refactorises the technosphere
(as bw2calc does) — the sparsity pattern is fixed, only the values change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from nengtan.footprint.model import Built, Entry
from nengtan.footprint.system import ModelError, Solver, factorise

DEFAULT_SEED = 14067
BLOCK = 64
"""Draws sampled at a time (the first k draws are the same whatever the total number asked for)."""


@dataclass(frozen=True)
class Draws:
    totals: np.ndarray  # kg CO2e per draw
    seed: int

    @property
    def mean(self) -> float:
        return float(self.totals.mean())

    @property
    def sd(self) -> float:
        return float(self.totals.std(ddof=1)) if len(self.totals) > 1 else 0.0

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        lo, hi = np.quantile(self.totals, [(1 - level) / 2, (1 + level) / 2])
        return float(lo), float(hi)


def sample(entries: list[Entry], n: int, rng: np.random.Generator) -> np.ndarray:
    """(entries × n) sampled exchange amounts, drawn distribution by distribution (vectorised), each
    exchange's draws from its own rows of the generator's stream in the entries' order."""
    out = np.empty((len(entries), n))
    kinds = [e.exchange.uncertainty.distribution if e.exchange.uncertainty else "" for e in entries]
    amount = np.array([e.exchange.amount for e in entries], dtype=np.float64)
    z = rng.standard_normal((len(entries), n))  # one block of draws; the uniform ones come from it too
    u01 = _uniform_from(z)
    for kind in set(kinds):
        idx = np.array([i for i, k in enumerate(kinds) if k == kind], dtype=np.int64)
        unc = [entries[i].exchange.uncertainty for i in idx]
        x = amount[idx][:, None]
        if kind == "":
            out[idx] = x
        elif kind == "lognormal":
            out[idx] = x * np.exp(np.array([u.sigma for u in unc if u])[:, None] * z[idx])
        elif kind == "normal":
            out[idx] = x + np.array([u.sigma for u in unc if u])[:, None] * z[idx]
        else:
            lo = np.array([u.low for u in unc if u])[:, None]
            hi = np.array([u.high for u in unc if u])[:, None]
            p = u01[idx]
            if kind == "uniform":
                out[idx] = lo + (hi - lo) * p
            else:  # triangular by its inverse distribution function
                fc = (x - lo) / (hi - lo)
                out[idx] = np.where(p < fc, lo + np.sqrt(p * (hi - lo) * (x - lo)),
                                    hi - np.sqrt((1 - p) * (hi - lo) * (hi - x)))
    return out


def _uniform_from(z: np.ndarray) -> np.ndarray:
    """U(0, 1) from standard normal draws (Φ(z)), so every distribution reads one stream."""
    from scipy.special import ndtr

    return np.asarray(ndtr(z))


def monte_carlo(built: Built, c: np.ndarray, product_col: int, amount: float, n: int,
                seed: int = DEFAULT_SEED) -> Draws:
    """`n` draws of the footprint of `amount` of the product in column `product_col`."""
    if n < 2:
        raise ModelError("--mc needs at least 2 draws")
    system = built.system
    rng = np.random.Generator(np.random.PCG64(seed))
    uncertain = [e for e in built.entries if e.exchange.uncertainty is not None]
    f = np.zeros(len(system.products))
    f[product_col] = amount
    a = sp.coo_matrix(system.technosphere)
    in_a = np.array([e.matrix == "A" for e in uncertain], dtype=bool)
    rows = np.array([e.row for e in uncertain], dtype=np.int64)
    cols = np.array([e.col for e in uncertain], dtype=np.int64)
    scale = np.array([e.scale for e in uncertain], dtype=np.float64)
    base = np.array([e.exchange.amount for e in uncertain], dtype=np.float64)
    a_rows = np.concatenate([a.row, rows[in_a]])
    a_cols = np.concatenate([a.col, cols[in_a]])
    base_direct = np.asarray(system.biosphere.T @ c).ravel()
    s_fixed = None if in_a.any() else Solver(system, c).supply(f)
    totals = np.empty(n)
    for start in range(0, n, BLOCK):  # blocks of draws: memory stays (exchanges × BLOCK)
        m = min(BLOCK, n - start)
        # each uncertain exchange moves its matrix entry by (draw − amount) × scale
        delta = (sample(uncertain, m, rng) - base[:, None]) * scale[:, None]
        direct = np.tile(base_direct[:, None], (1, m))
        np.add.at(direct, cols[~in_a], c[rows[~in_a]][:, None] * delta[~in_a])
        for d in range(m):
            if s_fixed is None:
                vals = np.concatenate([a.data, delta[in_a, d]])
                s = factorise(sp.csc_matrix((vals, (a_rows, a_cols)), shape=a.shape)).solve(f, trans="T")
            else:
                s = s_fixed
            totals[start + d] = float(direct[:, d] @ s)
    return Draws(totals, seed)
