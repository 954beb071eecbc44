"""Hourly matching of consumption with carbon-free supply (24/7 carbon-free energy), pure and vectorised.

For each hour h, with load ``L[h]`` and contracted or on-site carbon-free supply ``S[h]`` (kWh) and the grid's
carbon-free share ``c[h]`` (a fraction):

* storage, if any, charges from the hour's surplus ``S − L`` and discharges into its deficit: it holds at most
  ``capacity`` kWh, moves at most ``power`` kWh per hour, and delivers ``efficiency`` of what it took (the
  round-trip efficiency applied on discharge); what it holds is carbon-free supply shifted in time;
* hourly matched ``M[h] = min(L[h], S[h] + discharge[h])`` — supply beyond the hour's load counts for nothing;
* CFE score ``Σ (M + (L − M)·c) / Σ L``: the matched energy plus the grid's carbon-free share of the rest
  (Google's 24/7 CFE methodology, 2021; the same definition as the UN 24/7 Carbon-free Energy Compact);
* hourly-matched share ``Σ M / Σ L``; annual (volumetric) share ``min(Σ S, Σ L) / Σ L`` — what an annual
  certificate claim would say for the same supply, shown beside the hourly figures.

References: Google, "24/7 by 2030: Realizing a Carbon-free Future" (2020) and its CFE score methodology (2021);
EnergyTag, Granular Certificate Scheme Standard v1 (2022), for hourly granularity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nengtan.errors import InputError


@dataclass(frozen=True)
class Storage:
    capacity_kwh: float  # energy it can hold
    power_kw: float  # the most it charges or discharges in an hour [kWh/h]
    efficiency: float = 0.9  # round-trip: kWh delivered per kWh taken
    initial_kwh: float = 0.0

    def __post_init__(self) -> None:
        if self.capacity_kwh < 0 or self.power_kw < 0 or not 0 < self.efficiency <= 1:
            raise InputError("storage: capacity and power ≥ 0, efficiency in (0, 1]")
        if not 0 <= self.initial_kwh <= self.capacity_kwh:
            raise InputError("storage: the initial charge must lie between 0 and the capacity")


@dataclass(frozen=True)
class Matching:
    load_kwh: float
    supply_kwh: float
    matched_kwh: float
    grid_cfe_kwh: float
    excess_kwh: float  # supply that matched no load (neither at once nor through storage)
    charged_kwh: float
    discharged_kwh: float
    hourly_matched: np.ndarray  # per hour [kWh]
    discharge: np.ndarray  # per hour [kWh]

    @property
    def cfe_score(self) -> float:
        return (self.matched_kwh + self.grid_cfe_kwh) / self.load_kwh if self.load_kwh else 0.0

    @property
    def hourly_matched_share(self) -> float:
        return self.matched_kwh / self.load_kwh if self.load_kwh else 0.0

    @property
    def annual_share(self) -> float:
        return min(self.supply_kwh, self.load_kwh) / self.load_kwh if self.load_kwh else 0.0

    def as_dict(self) -> dict[str, float]:
        return {"cfe_score": self.cfe_score, "hourly_matched_share": self.hourly_matched_share,
                "annual_share": self.annual_share, "load_kwh": self.load_kwh, "supply_kwh": self.supply_kwh,
                "matched_kwh": self.matched_kwh, "grid_cfe_kwh": self.grid_cfe_kwh, "excess_kwh": self.excess_kwh,
                "storage_charged_kwh": self.charged_kwh, "storage_discharged_kwh": self.discharged_kwh}


def _storage(surplus: np.ndarray, deficit: np.ndarray, st: Storage) -> tuple[np.ndarray, np.ndarray]:
    """(charge, discharge) per hour: greedy — charge every surplus hour, discharge into every deficit hour.
    The state of charge depends on the past, so this one pass is sequential (8 760 steps a year)."""
    charge = np.zeros(len(surplus))
    out = np.zeros(len(surplus))
    soc = st.initial_kwh
    for h in range(len(surplus)):
        if surplus[h] > 0:
            c = min(surplus[h], st.power_kw, st.capacity_kwh - soc)
            charge[h] = c
            soc += c
        elif deficit[h] > 0 and soc > 0:
            d = min(deficit[h], st.power_kw * st.efficiency, soc * st.efficiency)
            out[h] = d
            soc -= d / st.efficiency
    return charge, out


def match(load: np.ndarray, supply: np.ndarray, grid_cfe: np.ndarray, storage: Storage | None = None) -> Matching:
    """Hour-by-hour matching of `load` with `supply` (kWh) and the grid's carbon-free share `grid_cfe`."""
    load = np.asarray(load, dtype=np.float64)
    supply = np.asarray(supply, dtype=np.float64)
    c = np.asarray(grid_cfe, dtype=np.float64)
    if not (load.shape == supply.shape == c.shape):
        raise InputError("load, supply and grid carbon-free share must cover the same hours")
    if (load < 0).any() or (supply < 0).any():
        raise InputError("load and supply are quantities of energy: none may be negative")
    if ((c < 0) | (c > 1)).any() or not np.isfinite(c).all():
        raise InputError("the grid's carbon-free share is a fraction between 0 and 1")
    direct = np.minimum(load, supply)
    surplus, deficit = supply - direct, load - direct
    if storage is not None:
        charge, discharge = _storage(surplus, deficit, storage)
    else:
        charge = discharge = np.zeros(len(load))
    matched = direct + discharge
    grid = (load - matched) * c
    return Matching(float(load.sum()), float(supply.sum()), float(matched.sum()), float(grid.sum()),
                    float((surplus - charge).sum()), float(charge.sum()), float(discharge.sum()), matched, discharge)
