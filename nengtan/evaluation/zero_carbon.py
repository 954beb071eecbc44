"""Zero-carbon park evaluation, pure: the national zero-carbon park indicators (国家发展改革委 工业和信息化部 国家能源局
关于开展零碳园区建设的通知, 发改环资〔2025〕910号) and the Jiangsu (near-)zero-carbon industrial park guide's reference
values (江苏省（近）零碳产业园区建设指南), each with its source and status (../shared/reference/factors.md 4: found in
secondary sources), and for each failing indicator the gap in its own units and what closes it.

National core indicator: CO₂ per unit of energy (单位能耗碳排放) = (energy CO₂ + industrial-process CO₂) / energy
consumption ≤ 0.2 tCO₂/tce for parks using 0.2–1 Mtce a year, ≤ 0.3 above 1 Mtce (nengtan applies 0.2 below
0.2 Mtce too: the notice's lower band is its smallest). Guidance: clean-energy share ≥ 90 % (nengtan counts non-fossil
energy and natural gas as clean — to-verify), solid-waste utilisation ≥ 80 %, waste heat/cold/pressure utilisation
≥ 50 %, industrial water reuse ≥ 80 %. Jiangsu: energy ≤ 0.35 tce and CO₂ ≤ 0.6 t per 万元 value added, non-fossil
share ≥ 20 %, renewable electricity incl. certificates ≥ 30 %, electrification ≥ 50 %, enterprises with a carbon
verification ≥ 10 %, with a product-footprint certification ≥ 10 %.

What closes a gap: CO₂ to cut [t]; that cut as green electricity contracted in place of grid power (MWh = t / the
grid factor in t/MWh) and as PV to add (kWp = MWh × 1000 / the yearly yield in kWh/kWp, a park parameter, default
1 100 for Jiangsu — recalled); energy to save [tce]; clean or renewable energy to add [tce or MWh]; enterprises to
bring in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from nengtan.i18n import Both, label_table, names, names_en, pair

NAMES = names("zero_carbon_indicators")
"""The indicators' names, by key (their English beside them in the catalogue)."""
NAMES_EN = names_en("zero_carbon_indicators")
UNITS = label_table("zero_carbon_units")
"""The units per 万元 of value added: code → (Chinese, English)."""

KWH_TCE = 0.1229e-3  # tce per kWh, electricity at calorific equivalent (GB/T 2589-2020)
NATIONAL = pair("note.zero_carbon:found", document="发改环资〔2025〕910号")
JIANGSU = pair("note.zero_carbon:found", document="江苏省（近）零碳产业园区建设指南")
"""The documents the requirements come from, by their own titles, with how they were found: (English, Chinese)."""


@dataclass(frozen=True)
class Park:
    """The park-year's figures (platform accounts unless the park's statistics override them)."""

    energy_tce: float
    co2_energy_t: float  # Scope 1 combustion + Scope 2 location-based
    co2_process_t: float
    value_added: float | None  # 万元
    electricity_kwh: float
    renewable_kwh: float  # GEC-backed and on-site renewable electricity
    nonfossil_tce: float
    natural_gas_tce: float
    grid_factor_t_per_mwh: float
    enterprises: int
    verified_enterprises: int
    certified_enterprises: int
    solid_waste_utilisation: float | None = None  # %
    waste_heat_utilisation: float | None = None  # %
    water_reuse: float | None = None  # %
    pv_yield_kwh_per_kwp: float = 1100.0


def co2_limit(energy_tce: float) -> float:
    return 0.3 if energy_tce > 1_000_000 else 0.2


def _row(key: str, name: str, unit: str, value: float | None, op: str, limit: float, source: tuple[str, str],
         gap: dict[str, float] | None, inputs: dict[str, Any], note: tuple[str, str] = ("", "")) -> dict[str, Any]:
    ok = None if value is None else (value <= limit + 1e-12 if op == "<=" else value >= limit - 1e-12)
    zh_unit, en_unit = UNITS.get(unit, (unit, unit))
    return {"key": key, "name": name, "name_en": NAMES_EN[key], "unit": zh_unit, "unit_en": en_unit, "value": value,
            "requirement": f"{'≤' if op == '<=' else '≥'} {limit:g}", "passed": ok, "source": source[0],
            "source_zh": source[1], "gap": gap if ok is False else None, "inputs": inputs, "note": note[0],
            "note_zh": note[1]}


def _cut(p: Park, t: float) -> dict[str, float]:
    mwh = t / p.grid_factor_t_per_mwh if p.grid_factor_t_per_mwh > 0 else float("nan")
    return {"co2_to_cut_t": t, "or_green_power_mwh": mwh, "or_pv_kwp": mwh * 1000 / p.pv_yield_kwh_per_kwp}


def evaluate(p: Park) -> list[dict[str, Any]]:
    co2 = p.co2_energy_t + p.co2_process_t
    limit = co2_limit(p.energy_tce)
    rows = []
    v = co2 / p.energy_tce if p.energy_tce > 0 else None
    rows.append(_row("co2_per_energy", NAMES["co2_per_energy"], "tCO2/tce", v, "<=", limit, NATIONAL,
                     _cut(p, co2 - limit * p.energy_tce) if v is not None else None,
                     {"co2_energy_t": p.co2_energy_t, "co2_process_t": p.co2_process_t, "energy_tce": p.energy_tce},
                     pair("note.zero_carbon:limit", limit=limit, tce=p.energy_tce / 1e4)))
    clean = p.nonfossil_tce + p.natural_gas_tce
    v = 100 * clean / p.energy_tce if p.energy_tce > 0 else None
    rows.append(_row("clean_energy_share", NAMES["clean_energy_share"], "%", v, ">=", 90,
                     pair("note.zero_carbon:clean", source=Both(*NATIONAL)),
                     {"clean_tce_to_add": 0.9 * p.energy_tce - clean,
                      "or_green_power_mwh": (0.9 * p.energy_tce - clean) / KWH_TCE / 1e3},
                     {"nonfossil_tce": p.nonfossil_tce, "natural_gas_tce": p.natural_gas_tce,
                      "energy_tce": p.energy_tce}))
    for key, value, limit_, what in (
            ("solid_waste_utilisation", p.solid_waste_utilisation, 80, "percentage points"),
            ("waste_heat_utilisation", p.waste_heat_utilisation, 50, "percentage points"),
            ("water_reuse", p.water_reuse, 80, "percentage points")):
        rows.append(_row(key, NAMES[key], "%", value, ">=", limit_,
                         pair("note.zero_carbon:guidance", source=Both(*NATIONAL)),
                         None if value is None else {f"{what}_to_gain": limit_ - value}, {key: value},
                         ("", "") if value is not None else
                         pair("note.zero_carbon:no_statistic", item=Both(key, NAMES[key]))))
    va = p.value_added
    rows.append(_row("energy_per_value_added", NAMES["energy_per_value_added"], "tce_per_10k_cny",
                     p.energy_tce / va if va else None, "<=", 0.35, JIANGSU,
                     {"energy_to_save_tce": p.energy_tce - 0.35 * va} if va else None,
                     {"energy_tce": p.energy_tce, "value_added": va}))
    rows.append(_row("co2_per_value_added", NAMES["co2_per_value_added"], "tco2_per_10k_cny",
                     co2 / va if va else None, "<=", 0.6, JIANGSU, _cut(p, co2 - 0.6 * va) if va else None,
                     {"co2_t": co2, "value_added": va}))
    v = 100 * p.nonfossil_tce / p.energy_tce if p.energy_tce > 0 else None
    rows.append(_row("nonfossil_share", NAMES["nonfossil_share"], "%", v, ">=", 20, JIANGSU,
                     {"nonfossil_tce_to_add": 0.2 * p.energy_tce - p.nonfossil_tce,
                      "or_green_power_mwh": (0.2 * p.energy_tce - p.nonfossil_tce) / KWH_TCE / 1e3},
                     {"nonfossil_tce": p.nonfossil_tce, "energy_tce": p.energy_tce}))
    v = 100 * p.renewable_kwh / p.electricity_kwh if p.electricity_kwh > 0 else None
    rows.append(_row("renewable_electricity_share", NAMES["renewable_electricity_share"], "%", v, ">=", 30, JIANGSU,
                     {"green_power_mwh_to_add": (0.3 * p.electricity_kwh - p.renewable_kwh) / 1e3,
                      "or_pv_kwp": (0.3 * p.electricity_kwh - p.renewable_kwh) / p.pv_yield_kwh_per_kwp},
                     {"renewable_kwh": p.renewable_kwh, "electricity_kwh": p.electricity_kwh}))
    elec_tce = p.electricity_kwh * KWH_TCE
    v = 100 * elec_tce / p.energy_tce if p.energy_tce > 0 else None
    rows.append(_row("electrification", NAMES["electrification"], "%", v, ">=", 50, JIANGSU,
                     {"electricity_tce_to_add": 0.5 * p.energy_tce - elec_tce},
                     {"electricity_tce": elec_tce, "energy_tce": p.energy_tce}, pair("note.zero_carbon:calorific")))
    for key, name, n in (("verified_enterprises", NAMES["verified_enterprises"], p.verified_enterprises),
                         ("certified_enterprises", NAMES["certified_enterprises"], p.certified_enterprises)):
        v = 100 * n / p.enterprises if p.enterprises else None
        need = max(0, math.ceil(0.1 * p.enterprises - 1e-9) - n)
        rows.append(_row(key, name, "%", v, ">=", 10, JIANGSU, {"enterprises_to_add": float(need)},
                         {key: n, "enterprises": p.enterprises}))
    return rows
