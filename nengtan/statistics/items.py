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

ITEMS: dict[str, tuple[str, dict[str, float], str]] = {
    "land_area": ("亩", AREA, "用地面积 (land in use)"),
    "tax": ("万元", MONEY, "实缴税金 (tax paid)"),
    "sales": ("万元", MONEY, "营业收入 / 销售收入 (sales revenue)"),
    "rnd_spending": ("万元", MONEY, "研发经费支出 (R&D spending)"),
    "employees": ("人", COUNT, "从业人员 (employees)"),
    # the park evaluations (docs/evaluation.md)
    "value_added": ("万元", MONEY, "工业增加值 (industrial value added, comparable prices)"),
    "gross_output": ("万元", MONEY, "工业总产值 (gross industrial output)"),
    "hightech_output": ("万元", MONEY, "高新技术企业工业总产值 (output of high-tech enterprises)"),
    "recycling_value_added": ("万元", MONEY, "资源再生利用产业增加值 (value added of resource recycling)"),
    "industrial_land": ("km²", KM2, "工业用地面积 (industrial land)"),
    "energy": ("tce", TCE, "综合能耗 (energy consumption)"),
    "renewable_energy": ("tce", TCE, "可再生能源使用量 (renewable energy used)"),
    "co2": ("t", TONNES, "二氧化碳排放量 (CO2 emissions)"),
    "fresh_water": ("m³", WATER, "新鲜水资源消耗量 (fresh water)"),
    "recycled_water": ("m³", WATER, "工业重复用水量 (water reused in industry)"),
    "reclaimed_water": ("m³", WATER, "再生水（中水）回用量 (reclaimed water reused)"),
    "wastewater_plant_discharge": ("m³", WATER, "园区污水处理厂排放总量 (treatment plant discharge)"),
    "wastewater": ("t", TONNES, "废水排放量 (wastewater discharged)"),
    "solid_waste_generated": ("t", TONNES, "工业固体废物产生量 (solid waste generated)"),
    "solid_waste_utilised": ("t", TONNES, "工业固体废物综合利用量 (solid waste utilised)"),
    "solid_waste_stock_utilised": ("t", TONNES, "综合利用往年贮存量 (past stock utilised)"),
    "hazardous_waste": ("t", TONNES, "危险废物产生量 (hazardous waste)"),
    "renewable_resources_recycled": ("t", TONNES, "再生资源循环利用量 (renewable resources recycled)"),
    "renewable_resources_collected": ("t", TONNES, "再生资源收集量 (renewable resources collected)"),
    "cod": ("t", TONNES, "化学需氧量排放量 (COD)"),
    "nh3n": ("t", TONNES, "氨氮排放量 (NH3-N)"),
    "so2": ("t", TONNES, "二氧化硫排放量 (SO2)"),
    "nox": ("t", TONNES, "氮氧化物排放量 (NOx)"),
    "green_coverage": ("%", PERCENT, "绿化覆盖率 (green coverage)"),
    "green_space_area": ("ha", HA, "绿地面积 (green space)"),
    "green_space_sink_factor": ("tCO2/ha/yr", SINK, "绿地固碳因子 (sequestration of green space)"),
    "eco_chain_projects": ("个", COUNT, "新增生态工业链项目数 (eco-chain projects since the plan)"),
    "waste_heat_utilisation": ("%", PERCENT, "余热余冷余压利用率 (waste heat, cold and pressure used)"),
    "key_source_compliance": ("%", PERCENT, "重点污染源稳定排放达标率 (key sources in compliance)"),
    "total_control_completed": ("—", COUNT, "总量控制指标完成情况 (1 = 全部完成)"),
    "major_incidents": ("次", COUNT, "特别重大、重大突发环境事件数量 (major incidents)"),
    "env_management_completeness": ("%", PERCENT, "环境管理能力完善度"),
    "clean_production_audit_rate": ("%", PERCENT, "重点企业清洁生产审核实施率"),
    "wastewater_facility": ("—", COUNT, "污水集中处理设施 (1 = 具备)"),
    "risk_system_completeness": ("%", PERCENT, "环境风险防控体系建设完善度"),
    "solid_waste_disposal_rate": ("%", PERCENT, "工业固体废物（含危险废物）处置利用率"),
    "env_disclosure_rate": ("%", PERCENT, "重点企业环境信息公开率"),
    "info_platform_completeness": ("%", PERCENT, "生态工业信息平台完善程度"),
    "publicity_events": ("次", COUNT, "生态工业主题宣传活动 (events a year)"),
    "plan_base_year": ("年", {"年": 1.0, "": 1.0, "year": 1.0}, "规划基准年 (the plan's base year, filed as a value)"),
    "limestone": ("t", TONNES, "石灰石（碳酸盐）使用量"),
    "dolomite": ("t", TONNES, "白云石使用量"),
    "magnesite": ("t", TONNES, "菱镁矿使用量"),
    "sf6": ("kg", KG, "SF6 排放量 (electrical equipment makers)"),
    "hfc_134a": ("kg", KG, "HFC-134a 排放量"),
    "hfc_23": ("kg", KG, "HFC-23 排放量"),
}
PLATFORM_ITEMS = {"value_added", "gross_output", "energy", "co2", "renewable_energy"}
"""Items the platform computes itself: its own figure is used unless the park's statistics give one."""
"""item → (canonical unit, accepted units with their multipliers, what it is)."""


def canonical(item: str, value: float, unit: str) -> tuple[float, str]:
    """`value` in `unit` converted to the item's canonical unit."""
    if item not in ITEMS:
        raise InputError(f"statistic item {item!r}: one of {', '.join(ITEMS)}")
    target, units, _ = ITEMS[item]
    u = unit.strip()
    mult = units.get(u, units.get(u.lower()))
    if mult is None:
        raise InputError(f"unit {unit!r} does not fit {item} (one of {', '.join(units)})")
    if value < 0:
        raise InputError(f"{item} {value} is negative")
    return value * mult, target
