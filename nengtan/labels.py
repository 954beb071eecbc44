"""Names of things in Simplified Chinese (the default) and English: carriers, warning statuses, indicators
and ledger figures. Every surface — CLI tables, API payloads (and so the web pages), XLSX reports,
warning texts — takes its names from here, so a carrier is called one thing everywhere."""

from __future__ import annotations

from nengtan.statistics.items import ITEMS as _STATISTIC_ITEMS

CARRIERS: dict[str, tuple[str, str]] = {
    "electricity": ("外购电力", "Purchased electricity"),
    "green_electricity": ("绿色电力（交易/绿证）", "Green electricity (traded / certificates)"),
    "pv": ("光伏自发自用", "On-site PV"),
    "natural_gas": ("天然气", "Natural gas"),
    "diesel": ("柴油", "Diesel"),
    "gasoline": ("汽油", "Gasoline"),
    "fuel_oil": ("燃料油", "Fuel oil"),
    "lpg": ("液化石油气", "LPG"),
    "coal": ("原煤", "Raw coal"),
    "coke": ("焦炭", "Coke"),
    "kerosene": ("煤油", "Kerosene"),
    "heat": ("外购热力", "Purchased heat"),
    "steam": ("外购蒸汽", "Purchased steam"),
}
STATUSES: dict[str, tuple[str, str]] = {
    "red": ("红", "red"), "yellow": ("黄", "yellow"), "green": ("绿", "green"), "grey": ("灰", "grey"),
}
LEVELS: dict[str, tuple[str, str]] = {
    "park": ("园区", "park"), "sector": ("行业", "sector"), "enterprise": ("企业", "enterprise"),
    "region": ("区域", "region"),
}
TARGET_KINDS: dict[str, tuple[str, str]] = {
    "reduction": ("较基年降低", "reduction from the base year"), "max_level": ("不高于", "at most"),
    "cap": ("总量上限", "cap"), "min_share": ("不低于", "at least"),
}
TARGET_STATUSES: dict[str, tuple[str, str]] = {
    "confirmed": ("已核实", "confirmed"), "to-verify": ("待核实", "to verify"),
}
ALLOCATION_STATUSES: dict[str, tuple[str, str]] = {
    "active": ("在册", "active"), "left": ("已迁出", "left"), "entered": ("新进入", "entered"),
    "entered (reserve_exhausted)": ("新进入（储备已用尽）", "entered (reserve exhausted)"),
}
SOURCES: dict[str, tuple[str, str]] = {
    "statement": ("月度报表", "statement"), "meter": ("计量表", "meter"), "ledger": ("绿证账本", "GEC ledger"),
    "estimated": ("估算", "estimated"), "entry": ("手工填报", "entered"),
}
METER_KINDS: dict[str, tuple[str, str]] = {
    "interval": ("区间表（15分钟）", "interval"), "counter": ("累计表", "counter"),
    "statement": ("报表表计", "statement"), "virtual": ("虚拟表", "virtual"),
}
ALLOCATION_METHODS: dict[str, tuple[str, str]] = {
    "grandfather": ("历史法", "grandfathering"), "benchmark": ("基准法", "benchmark"),
    "hybrid": ("混合法（强度约束、总量弹性）", "hybrid (intensity binding, total elastic)"),
}
METER_ROLES: dict[str, tuple[str, str]] = {"main": ("总表", "main"), "sub": ("分表", "sub")}
INDICATORS: dict[str, tuple[str, str]] = {
    "energy_total": ("综合能耗总量", "Total energy consumption"),
    "energy_dual_control": ("能耗双控口径能耗", "Energy on the dual-control basis"),
    "carbon_total": ("二氧化碳排放总量", "Total CO2 emissions"),
    "energy_intensity": ("单位增加值能耗", "Energy per value added"),
    "carbon_intensity": ("单位增加值二氧化碳排放", "CO2 per value added"),
    "nonfossil_share": ("非化石能源消费比重", "Non-fossil energy share"),
    "renewable_electricity_share": ("可再生能源电力消费比重", "Renewable electricity share"),
    "co2_per_tce": ("单位能耗碳排放", "CO2 per unit of energy"),
}
FIGURES: dict[str, tuple[str, str]] = {
    "energy_tce": ("综合能耗 当量值 (tce)", "Energy, calorific equivalent (tce)"),
    "energy_equiv_tce": ("综合能耗 等价值 (tce)", "Energy, coal-equivalent of electricity (tce)"),
    "feedstock_tce": ("其中：原料用能 (tce)", "of which raw-material energy (tce)"),
    "energy_dual_control_tce": ("能耗双控口径 (tce)", "Dual-control basis (tce)"),
    "scope1_t": ("范围一 (tCO2)", "Scope 1 (tCO2)"),
    "process_t": ("其中：工业过程 (tCO2)", "of which process (tCO2)"),
    "feedstock_carbon_t": ("原料含碳 (tCO2)", "Feedstock carbon (tCO2)"),
    "scope2_location_t": ("范围二 基于位置 (tCO2)", "Scope 2 location-based (tCO2)"),
    "scope2_market_t": ("范围二 基于市场 (tCO2)", "Scope 2 market-based (tCO2)"),
}


def _bilingual(key: str, text: str) -> tuple[str, str]:
    """"中文 (english)" as (中文, english); without an English part the English name is the key in words."""
    zh, _, en = text.partition(" (")
    en = en.rstrip(")")
    return zh, en if en and en.isascii() else key.replace("_", " ")


CERTIFICATION_STATES: dict[str, tuple[str, str]] = {
    "applied": ("已委托", "applied"), "accepted": ("已受理", "accepted"),
    "documents_reviewed": ("文件评审通过", "documents reviewed"), "inspected": ("现场检查通过", "inspected"),
    "verified": ("碳足迹核查通过", "verified"), "corrections": ("待整改", "corrections requested"),
    "refused": ("不予受理", "refused"), "certified": ("已获证", "certified"), "rejected": ("不予批准", "rejected"),
    "withdrawn": ("已撤回", "withdrawn"),
}
"""A certification application's states (nengtan.footprint.certification)."""
CERTIFICATE_STATUSES: dict[str, tuple[str, str]] = {
    "valid": ("有效", "valid"), "suspended": ("暂停", "suspended"), "withdrawn": ("撤销", "withdrawn"),
    "expired": ("过期", "expired"),
}
"""An issued certificate's public status."""

USER_ROLES: dict[str, tuple[str, str]] = {
    "admin": ("园区管理员", "park administrator"), "enterprise": ("企业用户", "enterprise user"),
    "verifier": ("核查机构", "verifier"), "public": ("公众", "public"),
    "cert_auditor": ("认证审核员", "certification auditor"),
    "cert_decider": ("认证决定人", "certification decision maker"),
}
"""The roles of the platform's users (nengtan.api.users)."""
CERTIFICATE_ACTIONS: dict[str, tuple[str, str]] = {
    "surveillance": ("监督", "surveillance"), "suspend": ("暂停", "suspension"), "reinstate": ("恢复", "reinstatement"),
    "withdraw": ("撤销", "withdrawal"),
}
"""What may be done to an issued certificate (nengtan.footprint.certification.CERTIFICATE_ACTIONS)."""

COMPLIANCE_STATES: dict[str, tuple[str, str]] = {
    "settled": ("已清缴", "settled"), "compliant": ("足额", "covered"), "short": ("存在缺口", "short"),
    "awaiting_verification": ("待核查", "awaiting verification"),
}
"""A key emitter's compliance year (nengtan.assets.compliance), as the portal words it."""
GEC_STATUSES: dict[str, tuple[str, str]] = {
    "issued": ("已核发", "issued"), "listed": ("挂牌中", "listed"), "traded": ("已交易", "traded"),
    "cancelled": ("已核销", "cancelled (claimed)"), "expired": ("已过期", "expired"), "frozen": ("已冻结", "frozen"),
}
"""A green electricity certificate's status (nengtan.greenpower.gec.STATUSES)."""
POINT_KINDS: dict[str, tuple[str, str]] = {"earn": ("获得", "earned"), "spend": ("使用", "spent"),
                                           "expire": ("过期", "expired")}
POINT_RULES: dict[str, tuple[str, str]] = {
    "verified_reduction": ("经核查的减排量", "verified reduction"), "green_power": ("绿电消费", "green power"),
    "certified_footprint": ("产品碳足迹认证", "certified product footprint"),
    "complete_verified_data": ("数据完整且经核查", "complete, verified data"),
}
"""Carbon points (nengtan.ratings.points): what an entry is and the earning rule that paid it."""

STATISTIC_ITEMS: dict[str, tuple[str, str]] = {k: _bilingual(k, d) for k, (_, _, d) in _STATISTIC_ITEMS.items()} | {
    "base_year": ("基准年", "base year")}
"""The statistic items (nengtan.statistics.items) and the evaluations' base year, by name."""

PAGE_TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "carrier": CARRIERS, "status": STATUSES, "level": LEVELS, "source": SOURCES, "meterKind": METER_KINDS,
    "meterRole": METER_ROLES, "indicator": INDICATORS, "allocationMethod": ALLOCATION_METHODS,
    "statItem": STATISTIC_ITEMS, "pointKind": POINT_KINDS, "pointRule": POINT_RULES,
    "certState": CERTIFICATION_STATES, "certStatus": CERTIFICATE_STATUSES}
"""The tables the web pages name codes with (served as /labels.js by the pages router)."""


def zh_words(table: dict[str, tuple[str, str]]) -> dict[str, str]:
    """The Chinese names of a table's codes, for a workbook column that shows the words."""
    return {k: zh for k, (zh, _) in table.items()}


def carrier_zh(carrier: str) -> str:
    """Chinese name of a carrier (the key itself for one nengtan does not know)."""
    return CARRIERS.get(carrier, (carrier, carrier))[0]


def carrier_en(carrier: str) -> str:
    return CARRIERS.get(carrier, (carrier, carrier))[1]


def name(table: dict[str, tuple[str, str]], key: str, lang: str = "zh") -> str:
    """The name of ``key`` in ``table`` in ``lang`` (zh | en)."""
    zh, en = table.get(key, (key, key))
    return zh if lang == "zh" else en
