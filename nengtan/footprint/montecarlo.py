"""Monte Carlo over the exchanges' distributions, seeded and reproducible (ISO 14067:2018 6.4.9.2 asks
for the uncertainty of the CFP; the draws follow the ecoinvent / Brightway conventions):

* lognormal — the exchange's amount is the median: ``amount · exp(σ Z)``, mean ``amount · exp(σ²/2)``;
* normal — mean ``amount``, standard deviation ``sd``;
* triangular — ``min``, mode ``amount``, ``max``;  uniform — ``min`` … ``max``.

Draw ``k`` of every exchange comes from one ``numpy.random.Generator(PCG64(seed))`` in a fixed order,
so the same model, seed and draw count give the same numbers on any machine. When only biosphere
exchanges are uncertain the supply is solved once. Otherwise each draw's technosphere ``A + ΔA`` differs
from the deterministic one in the uncertain entries only, so the draw is solved by GMRES (Saad & Schultz
1986) preconditioned with the deterministic LU factors, from the deterministic supply, to a relative residual
of 1e-12 — a few triangular solves instead of a new factorisation; a draw that does not converge so is
refactorised exactly (as bw2calc does for every draw). The solution is thus the exact one to ~1e-12.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, gmres

from nengtan.footprint.model import Built, Entry
from nengtan.footprint.system import ModelError, Solver, factorise

DEFAULT_SEED = 14067
BLOCK = 64
"""Draws sampled at a time (the first k draws are the same whatever the total number asked for)."""
RTOL = 1e-12
"""Relative residual a draw's iterative solve must reach, else it is refactorised."""


def solve_near(a: sp.csc_matrix, f: np.ndarray, base_lu: Any, s0: np.ndarray) -> tuple[np.ndarray, bool]:
    """The supply ``s`` of ``a s = f`` for a technosphere ``a`` near the one `base_lu` factorises: GMRES
    preconditioned by those factors, from `s0`; (s, True) when its relative residual is within RTOL,
    otherwise the exact solution from a new factorisation and False."""
    n = a.shape[0]
    precondition = LinearOperator((n, n), matvec=lambda r: base_lu.solve(np.asarray(r).ravel(), trans="T"),
                                  dtype=np.float64)
    s, info = gmres(a, f, x0=s0, M=precondition, rtol=RTOL, atol=0.0, restart=20, maxiter=3)
    norm_f = float(np.linalg.norm(f)) or 1.0
    if info == 0 and np.all(np.isfinite(s)) and float(np.linalg.norm(a @ s - f)) <= 10 * RTOL * norm_f:
        return np.asarray(s), True
    return np.asarray(factorise(a).solve(f, trans="T")), False


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


def _pattern(a: sp.coo_matrix, rows: np.ndarray, cols: np.ndarray) -> tuple[sp.csc_matrix, np.ndarray, np.ndarray]:
    """The technosphere's CSC pattern (its entries and the uncertain ones), its deterministic values in that
    pattern, and where in it each uncertain entry sits: a draw's matrix is then one bincount away."""
    n = a.shape[0]
    pattern = sp.csc_matrix((np.ones(len(a.data) + len(rows)), (np.concatenate([a.row, rows]),
                                                                 np.concatenate([a.col, cols]))), shape=a.shape)
    pattern.sum_duplicates()
    pattern.sort_indices()
    keys = np.repeat(np.arange(n, dtype=np.int64), np.diff(pattern.indptr)) * n + pattern.indices
    base = np.bincount(np.searchsorted(keys, a.col.astype(np.int64) * n + a.row), weights=a.data,
                       minlength=len(keys))
    return pattern, base, np.searchsorted(keys, cols.astype(np.int64) * n + rows)


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
    amounts = np.array([e.exchange.amount for e in uncertain], dtype=np.float64)
    pattern, base_data, where = _pattern(a, rows[in_a], cols[in_a])
    base_direct = np.asarray(system.biosphere.T @ c).ravel()
    base = Solver(system, c)
    s0 = base.supply(f)
    s_fixed = None if in_a.any() else s0
    totals = np.empty(n)
    for start in range(0, n, BLOCK):  # blocks of draws: memory stays (exchanges × BLOCK)
        m = min(BLOCK, n - start)
        # each uncertain exchange moves its matrix entry by (draw − amount) × scale
        delta = (sample(uncertain, m, rng) - amounts[:, None]) * scale[:, None]
        direct = np.tile(base_direct[:, None], (1, m))
        np.add.at(direct, cols[~in_a], c[rows[~in_a]][:, None] * delta[~in_a])
        for d in range(m):
            if s_fixed is None:
                vals = base_data + np.bincount(where, weights=delta[in_a, d], minlength=len(base_data))
                s, _ = solve_near(sp.csc_matrix((vals, pattern.indices, pattern.indptr), shape=a.shape), f, base.lu,
                                  s0)
            else:
                s = s_fixed
            totals[start + d] = float(direct[:, d] @ s)
    return Draws(totals, seed)
