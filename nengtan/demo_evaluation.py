"""The demo park's evaluation data (issue 13): the statistics a park files for HJ 274-2015, the zero-carbon park
self-assessment and the GHG inventory, for the plan's base year (2020) and the years the evaluations read, written
as the park would write them (``<home>/statistics/park-statistics.csv``, imported with ``nengtan import
park-statistics``), and a report's printed indicator values with the errors the reference table shows (levels filled
with negative rates) for ``nengtan evaluate hj274 --filed``. Every figure is derived from the platform's own value
added and output by fixed ratios (stated beside each), so the demo is deterministic."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nengtan.config import Paths
    from nengtan.engine.stores import Stores

BASE_YEAR = 2020
CHOSEN = (1, 2, 3, 6, 8, 9, 11, 14, 15, 16, 27, 28)
"""The optional HJ 274 indicators the demo park is assessed on (是否选为考核指标)."""


SOURCES = {"统计局": ("hightech_output", "employees"), "园区土地台账": ("industrial_land",),
           "水务部门": ("fresh_water",), "企业上报": ("recycled_water", "limestone", "hfc_134a"),
           "园区污水处理厂": ("wastewater_plant_discharge", "reclaimed_water"),
           "排污许可执行报告": ("wastewater", "cod", "nh3n", "so2", "nox"),
           "固废管理台账": ("solid_waste_generated", "solid_waste_utilised", "solid_waste_stock_utilised",
                      "hazardous_waste"),
           "园区规划实施评估": ("eco_chain_projects",), "园林部门": ("green_coverage", "green_space_area"),
           "生态环境部门": ("key_source_compliance", "total_control_completed", "major_incidents"),
           "园区能源站": ("waste_heat_utilisation",), "电气设备制造企业上报": ("sf6",),
           "园区委托测算的绿地固碳因子，非官方": ("green_space_sink_factor",)}
SOURCE = {item: f"{who}（演示）" for who, items in SOURCES.items() for item in items}
"""Who files each item (the demo's); the park committee's own items are 园区管委会."""


def _rows(va: float, go: float, base: bool) -> list[tuple[str, float, str]]:
    """The park's statistics of a year from its value added `va` and gross output `go` [万元]."""
    fresh = (8.2 if base else 6.4) * va  # m³: 8.2 → 6.4 m³/万元, falling as the plan asks
    p = 1.0 if base else 0.93  # the pollutants fall 7 % while value added grows
    rows: list[tuple[str, float, str]] = [
        ("hightech_output", 0.42 * go, "万元"), ("employees", va / 38, "人"),
        ("industrial_land", 28.0 if base else 30.0, "km²"), ("fresh_water", fresh / 1e4, "万m3"),
        ("recycled_water", 3.5 * fresh, "m3"), ("wastewater_plant_discharge", 0.7 * fresh, "m3"),
        ("reclaimed_water", 0.105 * fresh, "m3"), ("wastewater", 0.7 * fresh, "t"),
        ("solid_waste_generated", 0.06 * va, "t"), ("solid_waste_utilised", 0.054 * va, "t"),
        ("solid_waste_stock_utilised", 0.0012 * va, "t"), ("hazardous_waste", 0.004 * va, "t"),
        ("cod", 420 * p, "t"), ("nh3n", 38 * p, "t"), ("so2", 160 * p, "t"), ("nox", 310 * p, "t")]
    if not base:
        rows += [("plan_base_year", BASE_YEAR, "年"), ("eco_chain_projects", 7, "个"), ("green_coverage", 18.5, "%"),
                 ("key_source_compliance", 100, "%"),
                 ("total_control_completed", 1, "—"), ("major_incidents", 0, "次"),
                 ("env_management_completeness", 100, "%"), ("clean_production_audit_rate", 100, "%"),
                 ("wastewater_facility", 1, "—"), ("risk_system_completeness", 100, "%"),
                 ("solid_waste_disposal_rate", 100, "%"), ("env_disclosure_rate", 100, "%"),
                 ("info_platform_completeness", 100, "%"), ("publicity_events", 4, "次"),
                 ("waste_heat_utilisation", 42, "%"), ("limestone", 1_200, "t"), ("sf6", 35, "kg"),
                 ("hfc_134a", 120, "kg"), ("green_space_area", 420, "ha"),
                 ("green_space_sink_factor", 3.5, "tCO2/ha/yr")]
    return rows


def write_park_statistics(folder: Path, figures: dict[int, tuple[float, float]], last: int, place: str = "") -> Path:
    """The park's statistics file: the base year, three years before `last` (value added included, the platform
    holding no accounts for it) and `last`; filed for `place` (``park:<code>``; empty: the installation)."""
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "park-statistics.csv"
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["year", "item", "value", "unit", "source", "place"])
        for year, (va, go) in sorted(figures.items()):
            if year == last - 3:
                w.writerow([year, "value_added", f"{va:.1f}", "万元", "统计局（演示；平台无该年台账）", place])
            for item, value, unit in _rows(va, go, year == BASE_YEAR):
                w.writerow([year, item, f"{value:.6g}", unit, SOURCE.get(item, "园区管委会（演示）"), place])
    return out


def build_evaluation_demo(paths: Paths, stores: Stores, year: int, place: str = "") -> dict[str, Any]:
    """Write and import the park's statistics, and a report's printed values to check; for `place` (the demo's
    park, ``park:<code>``, so that the park's evaluation stays its own in a province; empty: the installation)."""
    from nengtan.engine.certification import Actor
    from nengtan.engine.cockpit import inventory_dict
    from nengtan.engine.places import at_place
    from nengtan.engine.statistics import import_statistics

    def va_go(y: int) -> tuple[float, float]:
        inv = inventory_dict(at_place(stores, place or None), y, "park")
        return float(inv["value_added"]), float(inv["gross_output"])

    base = va_go(BASE_YEAR)
    now = va_go(year)
    mid = (base[0] * (now[0] / base[0]) ** ((year - 3 - BASE_YEAR) / (year - BASE_YEAR)),
           base[1] * (now[1] / base[1]) ** ((year - 3 - BASE_YEAR) / (year - BASE_YEAR)))
    table = write_park_statistics(paths.home / "statistics", {BASE_YEAR: base, year - 3: mid, year: now}, year,
                                  place)
    res = import_statistics(stores.registry, Actor("demo", "admin"), table)
    if res.errors:
        raise RuntimeError("; ".join(res.errors))
    filed = paths.home / "statistics" / f"hj274-filed-{year}.csv"
    filed.write_text("no,value\n2,38.0\n11,-4.6\n14,-3.1\n27,-2.2\n12,6.3\n", encoding="utf-8")
    return {"statistics": res.landed, "filed": filed}
