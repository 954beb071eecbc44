"""The cockpit as a meeting pack (会议材料, issue 15 item 6): the headline indicators against their targets, the
monthly trend beside last year's, energy by carrier, emissions by sector, the largest emitters and the warnings of
the place the stores see, as tables with their charts — a PDF to hand out, or the same tables as a workbook.

It computes nothing of its own: every figure is the one the cockpit's endpoints serve (nengtan.engine.cockpit), so
the pack and the screen cannot disagree (tests/api/test_meeting_pack.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nengtan.calendar import park_time_text
from nengtan.engine import cockpit
from nengtan.engine.stores import Stores
from nengtan.labels import INDICATORS, LEVELS, STATUSES, zh_words
from nengtan.reports.charts import STATUS_COLORS, Chart
from nengtan.reports.tables import Tables, write_tables

TOP = 15
"""Enterprises in the ranking and warnings listed."""

KPI, TREND, CARRIERS, SECTORS, RANKING, WARNINGS, ABOUT = (
    "核心指标", "逐月趋势", "能源结构", "行业排放", "排放排名", "预警", "数据说明")
CHARTS = (
    Chart(TREND, "逐月二氧化碳排放（本年与上年）", "月份", ("本年 tCO2", "上年 tCO2"), "line", "tCO2"),
    Chart(CARRIERS, "分能源综合能耗（当量值）", "能源", ("综合能耗 tce",), "pie"),
    Chart(SECTORS, "分行业二氧化碳排放（前 15 位）", "行业", ("二氧化碳 tCO2",), "barh", "tCO2", top=TOP),
    Chart(RANKING, f"排放前 {TOP} 位企业", "企业", ("二氧化碳 tCO2",), "barh", "tCO2"),
    Chart(WARNINGS, "预警状态分布", "状态", kind="pie", fold="count", colors=STATUS_COLORS),
)
"""The pack's charts, each drawn from the rows of its table."""

STATUS_ZH = zh_words(STATUSES)
LEVEL_ZH = zh_words(LEVELS)


def _share(v: Any, unit: str) -> Any:
    """A share shown as % in the pack (the engine holds fractions)."""
    return v * 100 if unit == "%" and isinstance(v, int | float) else v


def pack_tables(stores: Stores, year: int) -> tuple[str, Tables]:
    """The pack's title and tables for `year` at the stores' place."""
    from nengtan.engine.accounts import park_name

    head = cockpit.headline(stores, year)
    names = zh_words(INDICATORS)
    kpi: list[list[Any]] = [["指标", "本年", "上年", "同比 %", "单位", "目标/限值", "状态", "全年预测", "说明"]]
    for i in head["items"]:
        unit = i["unit"]
        kpi.append([names.get(i["indicator"], i["indicator"]), _share(i["value"], unit), _share(i["last_year"], unit),
                    i["yoy"] * 100 if i["yoy"] is not None else None, unit, _share(i["target"], unit),
                    STATUS_ZH.get(i["status"], i["status"]), _share(i["projection"], unit), i["reason_zh"] or ""])
    tr = cockpit.trends(stores, year)
    trend: list[list[Any]] = [["月份", "本年 tCO2", "上年 tCO2", "本年 tce", "上年 tce"]]
    for k, m in enumerate(tr["months"]):
        trend.append([f"{year}-{m}", tr["this_year"]["co2_t"][k], tr["last_year"]["co2_t"][k],
                      tr["this_year"]["energy_tce"][k], tr["last_year"]["energy_tce"][k]])
    bd = cockpit.breakdown(stores, year)
    carriers: list[list[Any]] = [["能源", "实物量", "单位", "综合能耗 tce", "二氧化碳 tCO2"]]
    carriers += [[c["name_zh"], c["quantity"], c["unit"], c["energy_tce"], c["co2_t"]] for c in bd["by_carrier"]]
    sectors: list[list[Any]] = [["行业", "行业代码", "企业数", "综合能耗 tce", "二氧化碳 tCO2"]]
    sectors += [[s["name_zh"], s["sector_code"], s["enterprises"], s["energy_tce"], s["co2_t"]]
                for s in bd["by_sector"]]
    rk = cockpit.ranking(stores, year, "co2", TOP, None)
    ranking: list[list[Any]] = [["排名", "企业", "统一社会信用代码", "行业代码", "综合能耗 tce", "二氧化碳 tCO2",
                                 "单位增加值排放 tCO2/万元"]]
    ranking += [[r["rank"], r["name"], r["uscc"], r["sector_code"], r["energy_tce"], r["co2_t"], r["co2_intensity"]]
                for r in rk["items"]]
    wn = cockpit.warnings(stores, year)
    warns: list[list[Any]] = [["状态", "层级", "对象", "压力比 %", "原因"]]
    warns += [[STATUS_ZH.get(w["status"], w["status"]), LEVEL_ZH.get(w["level"], w["level"]),
               w.get("name") or w.get("subject"), w["ratio"] * 100 if w.get("ratio") is not None else None,
               w.get("reason_zh") or ""] for w in wn["items"]]
    about: list[list[Any]] = [
        ["项目", "内容"], ["地区/园区", park_name(stores)], ["年份", year],
        ["预警截至", f"{year}年{wn['month']}月" if wn.get("month") else "—"],
        ["企业数", head["enterprises"]], ["因子集", head["factor_set"]], ["数据版本", head["data_version"]],
        ["目标来源", head["targets_source"]], ["生成时间", park_time_text()],
        ["说明", "本材料的每个数字与驾驶舱同源（同一引擎计算）；二氧化碳为范围一与范围二（基于位置）之和"]]
    title = f"{park_name(stores)} {year} 年能源消费与碳排放会议材料"
    return title, {KPI: kpi, TREND: trend, CARRIERS: carriers, SECTORS: sectors, RANKING: ranking,
                   WARNINGS: warns, ABOUT: about}


def write_pack(stores: Stores, year: int, out: Path) -> Path:
    """The meeting pack to `out`: a PDF (tables with their charts) or an XLSX (the same tables)."""
    title, tables = pack_tables(stores, year)

    def for_pdf(name: str, rows: list[list[Any]]) -> list[list[Any]]:  # the warnings' worst first, a page of them
        return rows[: 2 * TOP + 1] if name == WARNINGS else rows

    return write_tables(title, tables, out, for_pdf, CHARTS)
