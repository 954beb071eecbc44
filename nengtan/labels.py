"""Names of things in Simplified Chinese (the default) and English: carriers, warning statuses, indicators
and ledger figures. Every surface — CLI tables, API payloads (and so the web pages), XLSX reports,
warning texts — takes its names from here, so a carrier is called one thing everywhere. Each table is code →
(Chinese, English), read from the message catalogue's entries ``label.<table>:<code>`` (nengtan.i18n)."""

from __future__ import annotations

from nengtan.i18n import label_table

CARRIERS: dict[str, tuple[str, str]] = label_table("carriers")
STATUSES: dict[str, tuple[str, str]] = label_table("statuses")
LEVELS: dict[str, tuple[str, str]] = label_table("levels")
TARGET_KINDS: dict[str, tuple[str, str]] = label_table("target_kinds")
TARGET_STATUSES: dict[str, tuple[str, str]] = label_table("target_statuses")
ALLOCATION_STATUSES: dict[str, tuple[str, str]] = label_table("allocation_statuses")
SOURCES: dict[str, tuple[str, str]] = label_table("sources")
METER_KINDS: dict[str, tuple[str, str]] = label_table("meter_kinds")
ALLOCATION_METHODS: dict[str, tuple[str, str]] = label_table("allocation_methods")
METER_ROLES: dict[str, tuple[str, str]] = label_table("meter_roles")
INDICATORS: dict[str, tuple[str, str]] = label_table("indicators")
FIGURES: dict[str, tuple[str, str]] = label_table("figures")


CERTIFICATION_STATES: dict[str, tuple[str, str]] = label_table("certification_states")
"""A certification application's states (nengtan.footprint.certification)."""
CERTIFICATE_STATUSES: dict[str, tuple[str, str]] = label_table("certificate_statuses")
"""An issued certificate's public status."""

USER_ROLES: dict[str, tuple[str, str]] = label_table("user_roles")
"""The roles of the platform's users (nengtan.api.users)."""
CERTIFICATE_ACTIONS: dict[str, tuple[str, str]] = label_table("certificate_actions")
"""What may be done to an issued certificate (nengtan.footprint.certification.CERTIFICATE_ACTIONS)."""

COMPLIANCE_STATES: dict[str, tuple[str, str]] = label_table("compliance_states")
"""A key emitter's compliance year (nengtan.assets.compliance), as the portal words it."""
ASSET_MOVES: dict[str, tuple[str, str]] = label_table("asset_moves")
"""Movements of allowances and energy-use rights (nengtan.engine.carbonassets)."""
CCER_STATUSES: dict[str, tuple[str, str]] = label_table("ccer_statuses")
RIGHTS_STATES: dict[str, tuple[str, str]] = label_table("rights_states")
"""An enterprise's energy-use rights against its use."""
GEC_ORIGINS: dict[str, tuple[str, str]] = label_table("gec_origins")
CONTRACT_KINDS: dict[str, tuple[str, str]] = label_table("contract_kinds")
CONTRACT_SHAPES: dict[str, tuple[str, str]] = label_table("contract_shapes")
ORDER_SIDES: dict[str, tuple[str, str]] = label_table("order_sides")
ORDER_PRODUCTS: dict[str, tuple[str, str]] = label_table("order_products")
ORDER_STATUSES: dict[str, tuple[str, str]] = label_table("order_statuses")
"""Green-power contracts and the park's order book (nengtan.engine.greenassets, nengtan.greenpower.market)."""
REVIEW_DECISIONS: dict[str, tuple[str, str]] = label_table("review_decisions")
"""An energy review's decision (nengtan.engine.energybudget.review)."""
GEC_STATUSES: dict[str, tuple[str, str]] = label_table("gec_statuses")
"""A green electricity certificate's status (nengtan.greenpower.gec.STATUSES)."""
REGION_LEVELS: dict[str, tuple[str, str]] = label_table("region_levels")
"""The levels of the region hierarchy (nengtan.registry.tables.regions)."""
QUALITY_FLAGS: dict[str, tuple[str, str]] = label_table("quality_flags")
"""The data-quality rules a reading or a month is flagged by (nengtan.ingest.quality)."""
POINT_KINDS: dict[str, tuple[str, str]] = label_table("point_kinds")
POINT_RULES: dict[str, tuple[str, str]] = label_table("point_rules")
"""Carbon points (nengtan.ratings.points): what an entry is and the earning rule that paid it."""

EMISSION_KINDS: dict[str, tuple[str, str]] = label_table("emission_kinds")
"""The kinds of emission source a verification's line counts under (nengtan.assets.verification.kind_of), which an
accounting guideline covers or not."""

STATISTIC_ITEMS: dict[str, tuple[str, str]] = label_table("statistic_items")
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
