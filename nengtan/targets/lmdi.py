"""LMDI-I additive decomposition of the change in CO2 between two years.

Identity (Ang 2004, 2005) over sectors ``i`` and carriers ``j``::

    C = Σ_ij  Q · (Q_i/Q) · (E_i/Q_i) · (E_ij/E_i) · (C_ij/E_ij)
          activity  structure  intensity   mix       emission factor

with ``Q`` value added at constant prices [万元], ``E`` energy [tce], ``C`` CO2 [t]. For two years 0 and
T, each effect is ``ΔC_k = Σ_ij L(C^T_ij, C^0_ij) · ln(x^T_k,ij / x^0_k,ij)`` with the logarithmic mean
``L(a, b) = (a − b)/(ln a − ln b)``, ``L(a, a) = a``. Because the five ratios multiply to
``C^T_ij / C^0_ij`` and ``L(a, b)·ln(a/b) = a − b``, the effects sum to ``C^T − C^0`` exactly (no
residual).

Zero values (Ang and Liu 2007): a cell that exists in one year only (a new carrier, a new sector,
a carrier that stopped) has ``L → 0`` while one log ratio → ±∞. Replacing the zeros by δ → 0 gives a
finite limit: the whole change of that cell, ``C^T_ij − C^0_ij``, goes to the first factor of the chain
whose value is zero in one of the years (structure for a new/closed sector, mix for a new/dropped
carrier, emission factor for a carrier whose factor became zero). That limit is used here directly.

References
----------
.. [1] Ang, B. W. (2004) Decomposition analysis for policymaking in energy: which is the preferred
       method? Energy Policy 32, 1131–1139.
.. [2] Ang, B. W. (2005) The LMDI approach to decomposition analysis: a practical guide. Energy
       Policy 33, 867–871.
.. [3] Ang, B. W. and Liu, N. (2007) Handling zero values in the logarithmic mean Divisia index
       decomposition approach. Energy Policy 35, 238–246.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nengtan.i18n import names
from nengtan.targets.errors import TargetsError

EFFECTS = ("activity", "structure", "intensity", "mix", "emission_factor")
EFFECTS_ZH = names("lmdi_effects")


def logmean(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Logarithmic mean ``L(a, b) = (a − b)/(ln a − ln b)``, ``L(a, a) = a``, ``L(a, 0) = 0`` [unit of a]."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    out = np.zeros(np.broadcast(a, b).shape)
    pos = (a > 0) & (b > 0)
    eq = pos & np.isclose(a, b, rtol=1e-12, atol=0.0)
    ne = pos & ~eq
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(ne, (a - b) / (np.log(np.where(ne, a, 1.0)) - np.log(np.where(ne, b, 1.0))), out)
    # near-equal: series (a+b)/2 − (a−b)²/(12 (a+b)/2) ... first term is exact to ~1e-24 relative
    return np.where(eq, 0.5 * (a + b), out)


@dataclass(frozen=True)
class Decomposition:
    """Result: effects [tCO2] summing to ``total`` = ``C_T − C_0``."""

    c0: float
    cT: float
    effects: dict[str, float]
    by_sector: pd.DataFrame

    @property
    def total(self) -> float:
        """Change of CO2 between the two years [tCO2]."""
        return self.cT - self.c0

    @property
    def residual(self) -> float:
        """Σ effects − total [tCO2]; zero up to floating rounding."""
        return float(sum(self.effects.values()) - self.total)


def _cube(frame: pd.DataFrame, sectors: list[str], carriers: list[str], col: str) -> np.ndarray:
    return (
        frame.pivot_table(
            index="sector", columns="carrier", values=col, aggfunc="sum", fill_value=0.0, observed=True
        )
        .reindex(index=sectors, columns=carriers, fill_value=0.0)
        .to_numpy(dtype=float)
    )


def decompose_arrays(
    q0: np.ndarray, e0: np.ndarray, c0: np.ndarray, qT: np.ndarray, eT: np.ndarray, cT: np.ndarray
) -> np.ndarray:
    """LMDI-I additive effects per sector.

    Parameters
    ----------
    q0, qT : ndarray, shape (s,)
        Value added of each sector in years 0 and T [万元].
    e0, eT : ndarray, shape (s, f)
        Energy by sector and carrier [tce].
    c0, cT : ndarray, shape (s, f)
        CO2 by sector and carrier [t].

    Returns
    -------
    ndarray, shape (5, s)
        Effects (activity, structure, intensity, mix, emission_factor) per sector [t].
    """
    q0, qT = np.asarray(q0, float), np.asarray(qT, float)
    e0, eT, c0, cT = (np.asarray(x, float) for x in (e0, eT, c0, cT))
    for name, x in (
        ("value added", q0),
        ("value added", qT),
        ("energy", e0),
        ("energy", eT),
        ("CO2", c0),
        ("CO2", cT),
    ):
        if np.any(~np.isfinite(x)) or np.any(x < 0):
            raise TargetsError(f"LMDI: {name} must be finite and non-negative")
    if np.any((c0 > 0) & (e0 <= 0)) or np.any((cT > 0) & (eT <= 0)):
        raise TargetsError("LMDI: a carrier has CO2 but no energy; process emissions are not decomposed here")
    E0s, ETs = e0.sum(axis=1), eT.sum(axis=1)
    if np.any((E0s > 0) & (q0 <= 0)) or np.any((ETs > 0) & (qT <= 0)):
        raise TargetsError("LMDI: a sector uses energy but has no value added; give its value added")
    Q0, QT = q0.sum(), qT.sum()
    if Q0 <= 0 or QT <= 0:
        raise TargetsError("LMDI: park value added must be positive in both years")
    s, f = c0.shape
    L = logmean(cT, c0)  # (s, f)
    both = (c0 > 0) & (cT > 0)

    def lr(xT: np.ndarray, x0: np.ndarray) -> np.ndarray:
        ok = both & (xT > 0) & (x0 > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(ok, np.log(np.where(ok, xT, 1.0) / np.where(ok, x0, 1.0)), 0.0)

    bs = lambda x: np.broadcast_to(x[:, None], (s, f))  # noqa: E731
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = [
            lr(np.full((s, f), QT), np.full((s, f), Q0)),
            lr(bs(qT / QT), bs(q0 / Q0)),
            lr(
                bs(np.where(qT > 0, ETs / np.where(qT > 0, qT, 1), 0)),
                bs(np.where(q0 > 0, E0s / np.where(q0 > 0, q0, 1), 0)),
            ),
            lr(
                np.where(ETs[:, None] > 0, eT / np.where(ETs[:, None] > 0, ETs[:, None], 1), 0),
                np.where(E0s[:, None] > 0, e0 / np.where(E0s[:, None] > 0, E0s[:, None], 1), 0),
            ),
            lr(
                np.where(eT > 0, cT / np.where(eT > 0, eT, 1), 0),
                np.where(e0 > 0, c0 / np.where(e0 > 0, e0, 1), 0),
            ),
        ]
    eff = np.stack([L * r for r in ratios])  # (5, s, f)
    # cells present in one year only: the whole change to the first factor that is zero
    one = (c0 > 0) ^ (cT > 0)
    if one.any():
        d = cT - c0
        zero_struct = (bs(q0) <= 0) | (bs(qT) <= 0)
        zero_mix = (e0 <= 0) | (eT <= 0)
        to_struct = one & zero_struct
        to_mix = one & ~zero_struct & zero_mix
        to_ef = one & ~zero_struct & ~zero_mix
        eff[1] += np.where(to_struct, d, 0.0)
        eff[3] += np.where(to_mix, d, 0.0)
        eff[4] += np.where(to_ef, d, 0.0)
    return eff.sum(axis=2)


def lmdi(
    frame0: pd.DataFrame,
    frame1: pd.DataFrame,
    economics0: pd.DataFrame,
    economics1: pd.DataFrame,
    sector_key: str = "sector_code",
    sector_digits: int | None = 2,
) -> Decomposition:
    """Decompose the park's CO2 change between two ledgers (years 0 and T).

    Parameters
    ----------
    frame0, frame1 : DataFrame
        Ledgers of the two years (``sector_code, carrier, energy_tce, scope1_t, scope2_location_t``).
    economics0, economics1 : DataFrame
        Economics of the two years (``uscc, value_added_constant``); sectors via the ledgers' ``uscc``.
    sector_digits : int or None
        Group sectors by the first digits of the GB/T 4754 code (2 = division); None keeps codes.
    """

    def prep(led: pd.DataFrame, eco: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
        code = led[sector_key].astype(str)
        sec = code.str.slice(0, sector_digits) if sector_digits else code
        f = pd.DataFrame(
            {
                "sector": sec.to_numpy(),
                "carrier": led["carrier"].astype(str).to_numpy(),
                "energy": led["energy_tce"].astype(float).to_numpy(),
                "co2": (led["scope1_t"].astype(float) + led["scope2_location_t"].astype(float)).to_numpy(),
            }
        )
        m = pd.DataFrame(
            {"uscc": led["uscc"].astype(str).to_numpy(), "sector": sec.to_numpy()}
        ).drop_duplicates("uscc")
        e = eco.assign(uscc=eco["uscc"].astype(str)).merge(m, on="uscc", how="inner")
        return f, e.groupby("sector")["value_added_constant"].sum()

    f0, q0s = prep(frame0, economics0)
    f1, q1s = prep(frame1, economics1)
    sectors = sorted(set(f0["sector"]) | set(f1["sector"]) | set(q0s.index) | set(q1s.index))
    carriers = sorted(set(f0["carrier"]) | set(f1["carrier"]))
    e0, e1 = _cube(f0, sectors, carriers, "energy"), _cube(f1, sectors, carriers, "energy")
    c0, c1 = _cube(f0, sectors, carriers, "co2"), _cube(f1, sectors, carriers, "co2")
    q0 = q0s.reindex(sectors, fill_value=0.0).to_numpy(float)
    q1 = q1s.reindex(sectors, fill_value=0.0).to_numpy(float)
    eff = decompose_arrays(q0, e0, c0, q1, e1, c1)
    by = pd.DataFrame(eff.T, columns=list(EFFECTS), index=pd.Index(sectors, name="sector"))
    by["total"] = c1.sum(axis=1) - c0.sum(axis=1)
    return Decomposition(
        c0=float(c0.sum()),
        cT=float(c1.sum()),
        effects={k: float(eff[i].sum()) for i, k in enumerate(EFFECTS)},
        by_sector=by.reset_index(),
    )
