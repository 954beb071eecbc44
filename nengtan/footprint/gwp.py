"""GWP-100 characterisation sets (package data ``data/gwp.yaml``): IPCC AR6 by default, AR5 selectable.

A flow whose name starts with ``CO2e`` is already characterised (an aggregated background dataset, e.g.
a life-cycle electricity factor in kg CO₂e/kWh) and counts 1 in every set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import yaml

from nengtan.footprint.system import ModelError

DEFAULT_GWP = "AR6"
BIOGENIC = ("CO2_biogenic", "CO2_biogenic_uptake", "CH4_biogenic")
"""Flows reported apart as biogenic (ISO 14067:2018 6.4.9.4; GB/T 24067-2024)."""


@dataclass(frozen=True)
class GwpSet:
    name: str
    source: str
    factors: dict[str, float]

    def vector(self, flows: tuple[str, ...]) -> np.ndarray:
        out = np.empty(len(flows))
        for k, f in enumerate(flows):
            if f.startswith("CO2e"):
                out[k] = 1.0
            elif f in self.factors:
                out[k] = self.factors[f]
            else:
                raise ModelError(f"flow {f!r} has no GWP in {self.name} (known: {', '.join(self.factors)}, "
                                 "or CO2e… for characterised data)")
        return out


@lru_cache(maxsize=4)
def gwp_set(name: str = DEFAULT_GWP) -> GwpSet:
    data = yaml.safe_load(resources.files("nengtan.footprint").joinpath("data/gwp.yaml").read_text("utf-8"))
    if name not in data:
        raise ModelError(f"unknown GWP set {name!r} (one of {', '.join(data)})")
    return GwpSet(name, str(data[name]["source"]), {k: float(v) for k, v in data[name]["factors"].items()})


def known_flows() -> tuple[str, ...]:
    return tuple(gwp_set(DEFAULT_GWP).factors)
