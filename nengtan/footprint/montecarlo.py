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
from scipy.sparse.linalg import splu

from nengtan.footprint.model import Built, Entry
from nengtan.footprint.system import ModelError, Solver

DEFAULT_SEED = 14067


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
    """(entries × n) sampled exchange amounts; entries without a distribution keep their amount."""
    out = np.empty((len(entries), n))
    for i, e in enumerate(entries):
        x, u = e.exchange.amount, e.exchange.uncertainty
        if u is None:
            out[i] = x
        elif u.distribution == "lognormal":
            out[i] = x * np.exp(u.sigma * rng.standard_normal(n))
        elif u.distribution == "normal":
            out[i] = rng.normal(x, u.sigma, n)
        elif u.distribution == "triangular":
            out[i] = rng.triangular(u.low, x, u.high, n)
        else:
            out[i] = rng.uniform(u.low, u.high, n)
    return out


def monte_carlo(built: Built, c: np.ndarray, product_col: int, amount: float, n: int,
                seed: int = DEFAULT_SEED) -> Draws:
    """`n` draws of the footprint of `amount` of the product in column `product_col`."""
    if n < 2:
        raise ModelError("--mc needs at least 2 draws")
    system = built.system
    rng = np.random.Generator(np.random.PCG64(seed))
    uncertain = [e for e in built.entries if e.exchange.uncertainty is not None]
    values = sample(uncertain, n, rng)
    f = np.zeros(len(system.products))
    f[product_col] = amount
    a = sp.coo_matrix(system.technosphere)
    a_unc = [(k, e) for k, e in enumerate(uncertain) if e.matrix == "A"]
    b_unc = [(k, e) for k, e in enumerate(uncertain) if e.matrix == "B"]
    base_direct = np.asarray(system.biosphere.T @ c).ravel()
    totals = np.empty(n)
    s_fixed = None if a_unc else Solver(system, c).supply(f)
    for d in range(n):
        # each uncertain exchange moves its matrix entry by (draw − amount) × scale
        if a_unc:
            rows = np.concatenate([a.row, [e.row for _, e in a_unc]])
            cols = np.concatenate([a.col, [e.col for _, e in a_unc]])
            vals = np.concatenate([a.data, [(values[k, d] - e.exchange.amount) * e.scale for k, e in a_unc]])
            lu = splu(sp.csc_matrix((vals, (rows, cols)), shape=a.shape))
            s = lu.solve(f)
        else:
            s = s_fixed
        assert s is not None
        direct = base_direct.copy()
        for k, e in b_unc:
            direct[e.col] += c[e.row] * (values[k, d] - e.exchange.amount) * e.scale
        totals[d] = float(direct @ s)
    return Draws(totals, seed)
