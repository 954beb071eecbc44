"""Targets workbook (openpyxl): targets and progress, budget allocation, warnings, scenario comparison
with a line chart, project assessment — a file a park officer can hand to a meeting.

Headers are in Simplified Chinese with the English term after them; numbers keep full precision in the
cell and show two decimals (tCO2, tce) or four (intensities) through the number format.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nengtan.calendar import park_time_text
from nengtan.labels import (
    ALLOCATION_STATUSES,
    CARRIERS,
    INDICATORS,
    LEVELS,
    STATUSES,
    TARGET_KINDS,
    TARGET_STATUSES,
    zh_words,
)
from nengtan.reports.cells import save_workbook
from nengtan.reports.charts import STATUS_COLORS, Chart

FILL = {"red": PatternFill("solid", fgColor="F4B6B6"), "yellow": PatternFill("solid", fgColor="FBE7A1"),
        "green": PatternFill("solid", fgColor="C8E6C9"), "grey": PatternFill("solid", fgColor="E0E0E0")}
HEAD = Font(bold=True)
TITLE = Font(bold=True, size=14)


def _v(x: Any) -> Any:
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if hasattr(x, "item"):
        with contextlib.suppress(ValueError, AttributeError):
            x = x.item()
        if isinstance(x, float) and not math.isfinite(x):
            return None
    return x


WORDS: dict[str, Mapping[str, str]] = {
    "status": zh_words(STATUSES), "level": zh_words(LEVELS), "indicator": zh_words(INDICATORS),
    "kind": zh_words(TARGET_KINDS), "target_status": zh_words(TARGET_STATUSES),
    "allocation_status": zh_words(ALLOCATION_STATUSES), "driver_carrier": zh_words(CARRIERS),
}
"""Codes a meeting reads as words: a column of one of these names shows the Chinese word for its code."""


CHARTS = (
    Chart("预警", "预警状态分布（园区、行业、企业）", "状态 status", kind="pie", fold="count", colors=STATUS_COLORS),
    Chart("预算分配", "分行业碳排放预算（前 15 位）", "行业名称 Sector", ("分配 tCO2",), "barh", "tCO2", top=15),
    Chart("情景对比", "园区二氧化碳排放情景", "年份 year", Chart.ALL, "line", "tCO2"),
)
"""The charts the targets workbook's PDF draws from its sheets."""


def targets_pdf(xlsx: Path, out: Path, title: str) -> Path:
    """The targets workbook `xlsx` printed to `out`, with its charts."""
    from nengtan.reports.workbook_pdf import workbook_pdf

    return workbook_pdf(xlsx, out, title, charts=CHARTS)


def _write_table(ws: Worksheet, row: int, df: pd.DataFrame, cols: list[tuple[str, str, str | None]],
                 status_col: str | None = None, words: Mapping[str, str] | None = None) -> int:
    """Write ``df`` at ``row`` with (column, header, number format); returns the next free row. A column named in
    `words` (column → vocabulary of :data:`WORDS`; by default a column of the vocabulary's own name) shows words."""
    vocab = {col: WORDS[words.get(col, col) if words else col] for col, _, _ in cols
             if (words and col in words) or col in WORDS}
    for j, (_, head, _) in enumerate(cols, start=1):
        c = ws.cell(row=row, column=j, value=head)
        c.font = HEAD
    for i, rec in enumerate(df.to_dict(orient="records"), start=row + 1):
        for j, (col, _, fmt) in enumerate(cols, start=1):
            value = rec.get(col)
            if col in vocab and isinstance(value, str):
                value = vocab[col].get(value, value)
            c = ws.cell(row=i, column=j, value=_v(value))
            if fmt:
                c.number_format = fmt
        if status_col and rec.get(status_col) in FILL:
            for j in range(1, len(cols) + 1):
                ws.cell(row=i, column=j).fill = FILL[rec[status_col]]
    return row + len(df) + 2


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def write_targets_workbook(
    path: str | Path,
    year: int,
    month: int,
    targets: list[tuple[Any, float | None]],
    indicators: dict[str, Any],
    warnings: pd.DataFrame,
    allocation: Any | None,
    scenario_summary: pd.DataFrame,
    scenario_paths: pd.DataFrame,
    assessment: Any | None = None,
    note: str = "",
    sector_names: dict[str, str] | None = None,
) -> Path:
    """Write the workbook and return its path.

    Parameters
    ----------
    targets : list of (Target, base level)
    indicators : dict  the park's year-to-date indicators (:func:`nengtan.targets.targets.indicator_frame`)
    warnings : DataFrame  the full warning run (:func:`nengtan.targets.warnings.run_warnings`)
    allocation : Allocation or None
    scenario_summary, scenario_paths : DataFrame  from :func:`nengtan.targets.scenarios.compare`
    assessment : Assessment or None
    sector_names : dict  GB/T 4754 code → Chinese name, written beside each sector's code (the code if none)
    """
    wb = Workbook()
    # -- 1 targets and progress
    ws = wb.active
    assert ws is not None
    ws.title = "目标与进度"
    ws["A1"] = f"{year}年 目标与进度 targets and progress（截至{month}月）"
    ws["A1"].font = TITLE
    if note:
        ws["A2"] = f"说明 note: {note}"
    r = 4
    ind_rows = pd.DataFrame([
        {"k": "能耗 energy [tce]", "v": indicators.get("energy_tce"), "f": "#,##0.00"},
        {"k": "二氧化碳 CO2 [t]", "v": indicators.get("co2_t"), "f": "#,##0.00"},
        {"k": "增加值(不变价) value added [万元]", "v": indicators.get("value_added_constant"), "f": "#,##0.00"},
        {"k": "单位增加值能耗 [tce/万元]", "v": indicators.get("energy_intensity"), "f": "0.0000"},
        {"k": "单位增加值CO2 [tCO2/万元]", "v": indicators.get("carbon_intensity"), "f": "0.0000"},
        {"k": "非化石能源比重 non-fossil share", "v": indicators.get("nonfossil_share"), "f": "0.00%"},
        {"k": "可再生电力比重 renewable electricity share", "v": indicators.get("renewable_electricity_share"),
         "f": "0.00%"},
    ])
    ws.cell(row=r, column=1, value="园区年内指标 park year-to-date").font = HEAD
    for i, rec in enumerate(ind_rows.to_dict(orient="records"), start=r + 1):
        ws.cell(row=i, column=1, value=rec["k"])
        c = ws.cell(row=i, column=2, value=_v(rec["v"]))
        c.number_format = rec["f"]
    r = r + len(ind_rows) + 2
    trows = pd.DataFrame([{
        "id": t.target_id, "indicator": t.indicator, "kind": t.kind, "value": t.value, "unit": t.unit,
        "base_year": t.base_year, "target_year": t.target_year, "base_level": bl, "document": t.document,
        "clause": t.clause, "status": t.status} for t, bl in targets])
    ws.cell(row=r, column=1, value="已采纳目标 adopted targets").font = HEAD
    if len(trows):
        r = _write_table(ws, r + 1, trows, [
            ("id", "目标 id", None), ("indicator", "指标 indicator", None), ("kind", "类型 kind", None),
            ("value", "目标值 value", "0.0000"), ("unit", "单位 unit", None), ("base_year", "基年", None),
            ("target_year", "目标年", None), ("base_level", "基年水平 base level", "0.0000"),
            ("document", "依据文件 document", None), ("clause", "条款 clause", None), ("status", "状态 status", None)],
            words={"status": "target_status"})
    else:
        ws.cell(row=r + 1, column=1, value="尚未采纳目标 none adopted")
        r += 3
    park = warnings[warnings["level"] == "park"] if len(warnings) else warnings
    ws.cell(row=r, column=1, value="目标进度 progress against targets").font = HEAD
    r = _write_table(ws, r + 1, park, [
        ("subject", "目标 target", None), ("name", "指标", None), ("ytd_actual", "年内实际 YTD", "#,##0.0000"),
        ("ytd_path", "进度线 path / 限值", "#,##0.0000"), ("projection", "全年预测 projection", "#,##0.0000"),
        ("low", "区间下限 low", "#,##0.0000"), ("high", "区间上限 high", "#,##0.0000"),
        ("limit", "限值 limit", "#,##0.0000"), ("unit", "单位", None), ("ratio", "压力比 ratio", "0.0%"),
        ("status", "状态", None), ("reason_zh", "原因 reason", None)], status_col="status")
    _widths(ws, [34, 22, 16, 16, 16, 14, 14, 14, 30, 26, 12, 90])

    # -- 2 allocation
    wa = wb.create_sheet("预算分配")
    wa["A1"] = f"{year}年 碳排放预算分配 carbon budget allocation"
    wa["A1"].font = TITLE
    if allocation is None:
        wa["A3"] = "尚无分配 no allocation: nengtan budget allocate"
    else:
        approved_at = park_time_text(allocation.approved_at) if allocation.approved_at else None
        info = [("版本 version", allocation.version), ("方法 method", allocation.method),
                ("批准人 approved by", allocation.approved_by), ("批准时间 approved at", approved_at),
                ("园区预算 budget [tCO2]", allocation.budget_t), ("储备 reserve [tCO2]", allocation.reserve_t),
                ("参数 parameters", str(allocation.parameters)),
                ("约束 binding", "以碳强度约束为主、总量弹性为辅：年底按实际增加值 × 分配强度，在±10%范围内调整")]
        for i, (k, v) in enumerate(info, start=3):
            wa.cell(row=i, column=1, value=k).font = HEAD
            c = wa.cell(row=i, column=2, value=_v(v))
            if isinstance(v, float):
                c.number_format = "#,##0.00"
        r = 3 + len(info) + 1
        wa.cell(row=r, column=1, value="分行业 by sector").font = HEAD
        by_sector = allocation.by_sector()
        by_sector["sector_name"] = [(sector_names or {}).get(str(c), str(c)) for c in by_sector["sector_code"]]
        r = _write_table(wa, r + 1, by_sector, [
            ("sector_code", "行业 sector", None), ("sector_name", "行业名称 Sector", None),
            ("enterprises", "企业数", None),
            ("allocated_t", "分配 tCO2", "#,##0.00"), ("expected_value_added", "预期增加值 万元", "#,##0.00")])
        wa.cell(row=r, column=1, value="分企业 by enterprise").font = HEAD
        tab = allocation.table.sort_values(["sector_code", "allocated_t"], ascending=[True, False])
        r = _write_table(wa, r + 1, tab, [
            ("uscc", "统一社会信用代码", None), ("enterprise", "企业", None), ("sector_code", "行业", None),
            ("allocated_t", "分配 tCO2", "#,##0.00"), ("expected_value_added", "预期增加值 万元", "#,##0.00"),
            ("intensity", "分配强度 tCO2/万元", "0.0000"), ("status", "状态", None)],
            words={"status": "allocation_status"})
        tot_row = r - 1
        wa.cell(row=tot_row, column=1, value="合计(含储备) total incl. reserve").font = HEAD
        wa.cell(row=tot_row, column=4, value=(int(allocation.table["allocated_units"].sum())
                                              + allocation.reserve_units) * allocation.unit).number_format = "#,##0.00"
    _widths(wa, [26, 36, 12, 18, 18, 18, 14])

    # -- 3 warnings
    ww = wb.create_sheet("预警")
    ww["A1"] = f"{year}年{month}月 预警 early warnings"
    ww["A1"].font = TITLE
    counts = warnings["status"].value_counts().to_dict() if len(warnings) else {}
    ww["A2"] = (f"红 {counts.get('red', 0)} · 黄 {counts.get('yellow', 0)} · 绿 {counts.get('green', 0)} · "
                f"灰 {counts.get('grey', 0)}")
    order = {"red": 0, "yellow": 1, "grey": 2, "green": 3}
    lvl = {"park": 0, "sector": 1, "enterprise": 2}
    wl = warnings.assign(_o=warnings["status"].map(order), _l=warnings["level"].map(lvl)).sort_values(
        ["_o", "_l", "ratio"], ascending=[True, True, False]) if len(warnings) else warnings
    _write_table(ww, 4, wl, [
        ("status", "状态 status", None), ("level", "层级 level", None), ("subject", "对象 subject", None),
        ("name", "名称 name", None), ("sector_code", "行业", None), ("ytd_actual", "年内实际 YTD", "#,##0.00"),
        ("ytd_path", "进度线 path", "#,##0.00"), ("projection", "全年预测", "#,##0.00"), ("low", "下限", "#,##0.00"),
        ("high", "上限", "#,##0.00"), ("limit", "限值 limit", "#,##0.00"), ("ratio", "压力比", "0.0%"),
        ("driver_carrier", "驱动能源", None), ("reason_zh", "原因 reason", None)], status_col="status")
    _widths(ww, [8, 11, 22, 30, 8, 14, 14, 14, 14, 14, 14, 9, 14, 100])

    # -- 4 scenarios with a chart
    wsn = wb.create_sheet("情景对比")
    wsn["A1"] = "达峰情景对比 peak-year scenario comparison"
    wsn["A1"].font = TITLE
    pcol = next((c for c in scenario_summary.columns if c.startswith("p_peak_by_")), "p_peak_by_2030")
    r = _write_table(wsn, 3, scenario_summary, [
        ("label", "情景 scenario", None), ("central_peak_year", "达峰年(中值路径)", None),
        ("central_peak_t", "峰值 tCO2", "#,##0.00"), ("peak_year_p5", "达峰年 P5", None),
        ("peak_year_p50", "达峰年 P50", None), ("peak_year_p95", "达峰年 P95", None),
        ("peak_t_p5", "峰值 P5", "#,##0.00"), ("peak_t_p95", "峰值 P95", "#,##0.00"),
        (pcol, "2030年前达峰概率 P(peak≤2030)", "0.0%"), ("co2_end_t", "末年排放 tCO2", "#,##0.00")])
    start = r
    paths = scenario_paths.reset_index()
    r = _write_table(wsn, start, paths, [("year", "年份 year", None)]
                     + [(c, str(scenario_summary.set_index("scenario").loc[c, "label"])
                         if c in set(scenario_summary["scenario"]) else c, "#,##0.00")
                        for c in scenario_paths.columns])
    chart = LineChart()
    chart.title = "园区CO2排放情景 park CO2 by scenario"
    chart.y_axis.title = "tCO2"
    chart.x_axis.title = "year"
    chart.height, chart.width = 9, 18
    data = Reference(wsn, min_col=2, max_col=1 + len(scenario_paths.columns), min_row=start, max_row=start + len(paths))
    cats = Reference(wsn, min_col=1, min_row=start + 1, max_row=start + len(paths))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(cats)
    wsn.add_chart(chart, f"L{start}")
    _widths(wsn, [22, 18, 16, 12, 12, 12, 16, 16, 24, 18])

    # -- 5 assessment
    if assessment is not None:
        wp = wb.create_sheet("项目评估")
        wp["A1"] = f"新建项目碳排放预评估 project pre-assessment: {assessment.project}"
        wp["A1"].font = TITLE
        d = assessment.to_dict()
        rows = [
            ("行业 sector", d["sector_code"], None), ("年排放 CO2 [t/yr]", d["co2_t"], "#,##0.00"),
            ("年排放(市场法) CO2 market-based [t/yr]", d["co2_market_t"], "#,##0.00"),
            ("年综合能耗 energy [tce/yr]", d["energy_tce"], "#,##0.00"),
            ("单位工业增加值碳排放 [tCO2/万元]", d["co2_per_value_added"], "0.0000"),
            ("行业基准 benchmark [tCO2/万元 VA]", d["benchmark_co2_per_value_added"], "0.0000"),
            ("单位工业总产值碳排放 [tCO2/万元]", d["co2_per_gross_output"], "0.0000"),
            ("行业基准 benchmark [tCO2/万元 output]", d["benchmark_co2_per_gross_output"], "0.0000"),
            ("基准来源 benchmark source", d["benchmark_source"], None),
            ("园区平均强度 park intensity", d["park_intensity"], "0.0000"),
            ("投产后园区强度 park intensity after", d["park_intensity_after"], "0.0000"),
            ("结论 verdict", f"{d['verdict_zh']} {d['verdict']}", None),
        ]
        for i, (k, v, f) in enumerate(rows, start=3):
            wp.cell(row=i, column=1, value=k).font = HEAD
            c = wp.cell(row=i, column=2, value=_v(v))
            if f:
                c.number_format = f
        r = 3 + len(rows) + 1
        fill = {"approve": FILL["green"], "approve_with_conditions": FILL["yellow"], "reject": FILL["red"]}
        wp.cell(row=3 + len(rows) - 1, column=2).fill = fill[d["verdict"]]
        wp.cell(row=r, column=1, value="理由 reasons").font = HEAD
        for i, t in enumerate(d["reasons"], start=r + 1):
            wp.cell(row=i, column=1, value=t).alignment = Alignment(wrap_text=False)
        r = r + len(d["reasons"]) + 2
        wp.cell(row=r, column=1, value="条件 conditions").font = HEAD
        for i, t in enumerate(d["conditions"] or ["—"], start=r + 1):
            wp.cell(row=i, column=1, value=t)
        _widths(wp, [44, 60])
    return save_workbook(wb, path)
