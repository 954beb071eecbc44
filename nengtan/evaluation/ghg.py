"""The park's greenhouse-gas inventory (温室气体排放清单), pure, laid out as the provincial inventory guideline lays
out a territory's (省级温室气体清单编制指南（试行）, 2011: energy activities, industrial processes, land use and
forestry as a separate sink), with selectable GWP sets (nengtan.footprint.gwp: AR6 default, AR5, SAR — the set the
provincial guideline uses).

Lines, each with its method and factor:

* **Energy, fuel combustion, CO₂, per sector** (GB/T 4754 division): the platform's Scope 1 combustion CO₂
  (AD × NCV × CC × OF × 44/12, GB/T 32150-2015 6.3.1, the factor set named) without its process part.
* **Energy, fuel combustion, CH₄ and N₂O**: the fuels' energy [TJ] × IPCC 2006 Vol. 2 Table 2.3 default factors for
  manufacturing industries (coal 10 kg CH₄ and 1.5 kg N₂O per TJ, oil products 3 and 0.6, natural gas 1 and 0.1;
  recalled, to-verify), times the set's GWP.
* **Memo: electricity and heat brought in** (调入电力/热力隐含排放): location-based Scope 2, reported apart and not
  added to the territorial total (the guideline's practice for electricity imported across the boundary).
* **Industrial processes**: carbonates used (CaCO₃ 0.4397 t CO₂/t, MgCO₃ 0.5220, dolomite 0.4773: stoichiometric,
  IPCC 2006 Vol. 3 Table 2.1), the carbon of feedstock oxidised (the platform's carbon balance of 205-1 raw-material
  use), SF₆ emitted by makers of electrical equipment and HFCs emitted, each gas times the set's GWP.
* **Carbon sink** of green space: area [ha] × the park's sequestration factor [tCO₂/ha/yr] (the park states its
  source; nengtan ships no default), a removal reported as a separate line, not netted into the total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nengtan.footprint.gwp import gwp_set
from nengtan.i18n import names, names_en, pair

TJ_PER_TCE = 29.3076e-3  # 1 kgce = 29.3076 MJ (GB/T 2589-2020)
FUEL_CLASS = {"coal": "coal", "coke": "coal", "diesel": "oil", "gasoline": "oil", "fuel_oil": "oil", "kerosene": "oil",
              "lpg": "oil", "natural_gas": "gas"}
NON_CO2 = {"coal": (10.0, 1.5), "oil": (3.0, 0.6), "gas": (1.0, 0.1)}
"""kg CH₄ and kg N₂O per TJ, IPCC 2006 Vol. 2 Table 2.3 (manufacturing industries and construction; recalled)."""
CARBONATES = {"limestone": 0.4397, "magnesite": 0.5220, "dolomite": 0.4773}
"""t CO₂ per t of carbonate, stoichiometric (IPCC 2006 Vol. 3 Table 2.1)."""


@dataclass(frozen=True)
class Activity:
    """The park-year's activity data."""

    combustion_co2_by_sector: dict[str, float]  # t, per 2-digit sector
    fuel_tce: dict[str, float]  # per carrier burnt, tce
    scope2_t: float
    feedstock_process_t: float
    carbonates_t: dict[str, float] = field(default_factory=dict)  # per carbonate, t used
    sf6_kg: float = 0.0
    hfc_kg: dict[str, float] = field(default_factory=dict)  # per gas (HFC-134a, HFC-23)
    green_space_ha: float | None = None
    sink_factor_t_per_ha: float | None = None
    sink_factor_source: str = ""


CATEGORIES = names("ghg_categories")
"""The inventory's categories (省级温室气体清单编制指南 layout) in Chinese, as its lines name them."""
CATEGORIES_EN = names_en("ghg_categories")


def _said(key: str, **fields: object) -> tuple[str, str]:
    return pair(f"note.ghg:{key}", **fields)


def _both(field: str, said: tuple[str, str]) -> dict[str, str]:
    """A line's field in English and its ``_zh`` twin (the method, the factor)."""
    return {field: said[0], f"{field}_zh": said[1]}


def _named(category: str, item: tuple[str, str]) -> dict[str, str]:
    """A line's category (a code of the label table ghg_categories) and item, in Chinese and in English."""
    return {"category": CATEGORIES[category], "item": item[1], "category_en": CATEGORIES_EN[category],
            "item_en": item[0]}


def inventory(a: Activity, gwp: str = "AR6") -> dict[str, Any]:
    """The inventory's lines (category, gas, quantity of the gas, tCO₂e, method, factor) and totals."""
    g = gwp_set(gwp)
    lines: list[dict[str, Any]] = []

    def add(category: str, item: tuple[str, str], gas: str, mass_t: float, flow: str, method: tuple[str, str],
            factor: tuple[str, str]) -> None:
        lines.append({**_named(category, item), "gas": gas, "mass_t": mass_t,
                      "t_co2e": mass_t * g.factors[flow], "gwp": g.factors[flow], **_both("method", method),
                      **_both("factor", factor)})

    for sector, t in sorted(a.combustion_co2_by_sector.items()):
        add("energy", _said("combustion_sector", sector=sector), "CO2", t, "CO2_fossil", _said("combustion_method"),
            _said("factor_set"))
    ch4 = n2o = 0.0
    for carrier, tce in sorted(a.fuel_tce.items()):
        cls = FUEL_CLASS.get(carrier)
        if cls is None or tce <= 0:
            continue
        tj = tce * TJ_PER_TCE
        ch4 += tj * NON_CO2[cls][0] / 1e3
        n2o += tj * NON_CO2[cls][1] / 1e3
    tj_all = sum(t for c, t in a.fuel_tce.items() if c in FUEL_CLASS) * TJ_PER_TCE
    fuel_energy = _said("fuel_energy", tj=tj_all)
    add("energy", _said("combustion"), "CH4", ch4, "CH4_fossil", fuel_energy,
        _said("ipcc_ch4"))
    add("energy", _said("combustion"), "N2O", n2o, "N2O", fuel_energy,
        _said("ipcc_n2o"))
    for kind, t in sorted(a.carbonates_t.items()):
        add("process", _said("carbonate", kind=kind), "CO2", t * CARBONATES[kind], "CO2_fossil",
            _said("carbonate_method", t=t, factor=CARBONATES[kind]), _said("stoichiometric"))
    add("process", _said("feedstock"), "CO2", a.feedstock_process_t, "CO2_fossil", _said("feedstock_method"),
        _said("feedstock_accounts"))
    if a.sf6_kg:
        add("process", _said("sf6"), "SF6", a.sf6_kg / 1e3, "SF6", _said("gas_kg", gas="SF6"), _said("as_reported"))
    for gas, kg in sorted(a.hfc_kg.items()):
        add("process", _said("gas_emitted", gas=gas), gas, kg / 1e3, gas, _said("gas_kg", gas=gas),
            _said("as_reported"))
    total = sum(x["t_co2e"] for x in lines)
    memo = {**_named("memo", _said("scope2")), "gas": "CO2", "mass_t": a.scope2_t,
            "t_co2e": a.scope2_t, "gwp": 1.0, **_both("method", _said("scope2_method")),
            **_both("factor", _said("factor_set"))}
    if a.green_space_ha is not None and a.sink_factor_t_per_ha is not None:
        removal = a.green_space_ha * a.sink_factor_t_per_ha
        sink = {**_named("sink", _said("green_space")), "gas": "CO2", "mass_t": -removal,
                "t_co2e": -removal, "gwp": 1.0,
                **_both("method", _said("sink_method", ha=a.green_space_ha, factor=a.sink_factor_t_per_ha)),
                **_both("factor", (a.sink_factor_source, a.sink_factor_source) if a.sink_factor_source else
                        _said("park_factor"))}
    else:
        sink = {**_named("sink", _said("green_space")), "gas": "CO2", "mass_t": None,
                "t_co2e": None, "gwp": 1.0, **_both("method", _said("sink_missing")), **_both("factor", ("", ""))}
    by_gas: dict[str, float] = {}
    for x in lines:
        by_gas[x["gas"]] = by_gas.get(x["gas"], 0.0) + x["t_co2e"]
    return {"gwp": g.name, "gwp_source": g.source, "lines": lines, "total_t_co2e": total, "by_gas": by_gas,
            "memo": [memo], "sink": sink,
            "total_with_imports_t_co2e": total + a.scope2_t}
