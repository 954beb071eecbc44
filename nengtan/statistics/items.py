"""Statistic items and their units, pure. Each item has one canonical unit; a value arrives in any unit of the
item's dimension and is stored in the canonical one. Area: 1 亩 (mu) = 10 000 / 15 m² (the statutory 市亩:
15 亩 = 1 hectare); money: 1 万元 = 10⁴ 元, 1 亿元 = 10⁸ 元; water: 1 t = 1 m³; energy in tce (1 万tce = 10⁴ tce).
The keys are those docs/evaluation.md and docs/ratings.md list."""

from __future__ import annotations

from nengtan.errors import InputError

AREA = {"mu": 1.0, "亩": 1.0, "m2": 15 / 10_000, "m²": 15 / 10_000, "平方米": 15 / 10_000, "ha": 15.0,
        "公顷": 15.0, "km2": 1_500.0, "km²": 1_500.0, "平方公里": 1_500.0}
"""Multipliers to 亩 (mu)."""
MONEY = {"万元": 1.0, "元": 1e-4, "千元": 0.1, "亿元": 1e4}
"""Multipliers to 万元."""
COUNT = {"人": 1.0, "persons": 1.0, "个": 1.0, "项": 1.0, "次": 1.0, "—": 1.0, "-": 1.0, "": 1.0}
KM2 = {k: v / 1_500.0 for k, v in AREA.items()}
"""Multipliers to km²."""
HA = {k: v / 15.0 for k, v in AREA.items()}
"""Multipliers to hectares."""
TONNES = {"t": 1.0, "吨": 1.0, "kg": 1e-3, "千克": 1e-3, "万t": 1e4, "万吨": 1e4}
KG = {k: v * 1e3 for k, v in TONNES.items()}
WATER = {"m3": 1.0, "m³": 1.0, "立方米": 1.0, "t": 1.0, "吨": 1.0, "万m3": 1e4, "万m³": 1e4, "万立方米": 1e4,
         "万t": 1e4, "万吨": 1e4}
"""Multipliers to m³ (1 t of water = 1 m³)."""
TCE = {"tce": 1.0, "吨标煤": 1.0, "吨标准煤": 1.0, "kgce": 1e-3, "万tce": 1e4, "万吨标煤": 1e4, "万吨标准煤": 1e4}
PERCENT = {"%": 1.0, "百分比": 1.0}
SINK = {"tCO2/ha/yr": 1.0, "tCO2/ha": 1.0, "吨CO2/公顷/年": 1.0}

ITEMS: dict[str, tuple[str, dict[str, float]]] = {
    "land_area": ("亩", AREA),
    "tax": ("万元", MONEY),
    "sales": ("万元", MONEY),
    "rnd_spending": ("万元", MONEY),
    "employees": ("人", COUNT),
    # the park evaluations (docs/evaluation.md)
    "value_added": ("万元", MONEY),
    "gross_output": ("万元", MONEY),
    "hightech_output": ("万元", MONEY),
    "recycling_value_added": ("万元", MONEY),
    "industrial_land": ("km²", KM2),
    "energy": ("tce", TCE),
    "renewable_energy": ("tce", TCE),
    "co2": ("t", TONNES),
    "fresh_water": ("m³", WATER),
    "recycled_water": ("m³", WATER),
    "reclaimed_water": ("m³", WATER),
    "wastewater_plant_discharge": ("m³", WATER),
    "wastewater": ("t", TONNES),
    "solid_waste_generated": ("t", TONNES),
    "solid_waste_utilised": ("t", TONNES),
    "solid_waste_stock_utilised": ("t", TONNES),
    "hazardous_waste": ("t", TONNES),
    "renewable_resources_recycled": ("t", TONNES),
    "renewable_resources_collected": ("t", TONNES),
    "cod": ("t", TONNES),
    "nh3n": ("t", TONNES),
    "so2": ("t", TONNES),
    "nox": ("t", TONNES),
    "green_coverage": ("%", PERCENT),
    "green_space_area": ("ha", HA),
    "green_space_sink_factor": ("tCO2/ha/yr", SINK),
    "eco_chain_projects": ("个", COUNT),
    "waste_heat_utilisation": ("%", PERCENT),
    "key_source_compliance": ("%", PERCENT),
    "total_control_completed": ("—", COUNT),
    "major_incidents": ("次", COUNT),
    "env_management_completeness": ("%", PERCENT),
    "clean_production_audit_rate": ("%", PERCENT),
    "wastewater_facility": ("—", COUNT),
    "risk_system_completeness": ("%", PERCENT),
    "solid_waste_disposal_rate": ("%", PERCENT),
    "env_disclosure_rate": ("%", PERCENT),
    "info_platform_completeness": ("%", PERCENT),
    "publicity_events": ("次", COUNT),
    "plan_base_year": ("年", {"年": 1.0, "": 1.0, "year": 1.0}),
    "limestone": ("t", TONNES),
    "dolomite": ("t", TONNES),
    "magnesite": ("t", TONNES),
    "sf6": ("kg", KG),
    "hfc_134a": ("kg", KG),
    "hfc_23": ("kg", KG),
}
PLATFORM_ITEMS = {"value_added", "gross_output", "energy", "co2", "renewable_energy"}
"""Items the platform computes itself: its own figure is used unless the park's statistics give one."""
"""item → (canonical unit, accepted units with their multipliers); what each is, in words, is the message
catalogue's label table ``statistic_items`` (nengtan.labels.STATISTIC_ITEMS)."""


def canonical(item: str, value: float, unit: str) -> tuple[float, str]:
    """`value` in `unit` converted to the item's canonical unit."""
    if item not in ITEMS:
        raise InputError(f"statistic item {item!r}: one of {', '.join(ITEMS)}")
    target, units = ITEMS[item]
    u = unit.strip()
    mult = units.get(u, units.get(u.lower()))
    if mult is None:
        raise InputError(f"unit {unit!r} does not fit {item} (one of {', '.join(units)})")
    if value < 0:
        raise InputError(f"{item} {value} is negative")
    return value * mult, target
