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
from nengtan.reports.words import both, zh

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
    Chart(
        zh("Warnings"),
        zh("Warning statuses (park, sectors, enterprises)"),
        both("status"),
        kind="pie",
        fold="count",
        colors=STATUS_COLORS,
    ),
    Chart(
        zh("Budget allocation"),
        zh("Carbon budget by sector (top 15)"),
        zh("Sector name"),
        (zh("Allocated tCO2"),),
        "barh",
        "tCO2",
        top=15,
    ),
    Chart(zh("Scenarios"), zh("Park CO2 scenarios"), both("year"), Chart.ALL, "line", "tCO2"),
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
    ws.title = zh("Targets and progress")
    ws["A1"] = zh("{year} targets and progress (to month {month})", year=year, month=month)
    ws["A1"].font = TITLE
    if note:
        ws["A2"] = zh("note: {note}", note=note)
    r = 4
    ind_rows = pd.DataFrame([
        {"k": both("energy [tce]"), "v": indicators.get("energy_tce"), "f": "#,##0.00"},
        {"k": both("CO2 [t]"), "v": indicators.get("co2_t"), "f": "#,##0.00"},
        {"k": zh("value added [10⁴ yuan]"), "v": indicators.get("value_added_constant"), "f": "#,##0.00"},
        {"k": zh("Energy per value added [tce per 10⁴ yuan]"), "v": indicators.get("energy_intensity"), "f": "0.0000"},
        {"k": zh("CO2 per value added [tCO2 per 10⁴ yuan]"), "v": indicators.get("carbon_intensity"), "f": "0.0000"},
        {"k": both("non-fossil share"), "v": indicators.get("nonfossil_share"), "f": "0.00%"},
        {"k": both("renewable electricity share"), "v": indicators.get("renewable_electricity_share"),
         "f": "0.00%"},
    ])
    ws.cell(row=r, column=1, value=both("park year-to-date")).font = HEAD
    for i, rec in enumerate(ind_rows.to_dict(orient="records"), start=r + 1):
        ws.cell(row=i, column=1, value=rec["k"])
        c = ws.cell(row=i, column=2, value=_v(rec["v"]))
        c.number_format = rec["f"]
    r = r + len(ind_rows) + 2
    trows = pd.DataFrame([{
        "id": t.target_id, "indicator": t.indicator, "kind": t.kind, "value": t.value, "unit": t.unit,
        "base_year": t.base_year, "target_year": t.target_year, "base_level": bl, "document": t.document,
        "clause": t.clause, "status": t.status} for t, bl in targets])
    ws.cell(row=r, column=1, value=both("adopted targets")).font = HEAD
    if len(trows):
        r = _write_table(ws, r + 1, trows, [
            ("id", zh("Target id"), None), ("indicator", both("indicator"), None), ("kind", zh("kind"), None),
            ("value", both("value"), "0.0000"), ("unit", both("unit"), None), ("base_year", zh("Base year"), None),
            ("target_year", zh("Target year"), None), ("base_level", both("base level"), "0.0000"),
            ("document", both("document"), None), ("clause", both("clause"), None), ("status", both("status"), None)],
            words={"status": "target_status"})
    else:
        ws.cell(row=r + 1, column=1, value=both("none adopted"))
        r += 3
    park = warnings[warnings["level"] == "park"] if len(warnings) else warnings
    ws.cell(row=r, column=1, value=both("progress against targets")).font = HEAD
    r = _write_table(ws, r + 1, park, [
        ("subject", zh("target"), None), ("name", zh("Indicator"), None), ("ytd_actual", both("YTD"), "#,##0.0000"),
        ("ytd_path", zh("path / limit"), "#,##0.0000"), ("projection", both("projection"), "#,##0.0000"),
        ("low", both("low"), "#,##0.0000"), ("high", both("high"), "#,##0.0000"),
        ("limit", both("limit"), "#,##0.0000"), ("unit", zh("Unit"), None), ("ratio", both("ratio"), "0.0%"),
        ("status", zh("Status"), None), ("reason_zh", both("reason"), None)], status_col="status")
    _widths(ws, [34, 22, 16, 16, 16, 14, 14, 14, 30, 26, 12, 90])

    # -- 2 allocation
    wa = wb.create_sheet(zh("Budget allocation"))
    wa["A1"] = zh("{year} carbon budget allocation", year=year)
    wa["A1"].font = TITLE
    if allocation is None:
        wa["A3"] = zh("no allocation: nengtan budget allocate")
    else:
        approved_at = park_time_text(allocation.approved_at) if allocation.approved_at else None
        info = [
            (both("version"), allocation.version),
            (both("method"), allocation.method),
            (both("approved by"), allocation.approved_by),
            (both("approved at"), approved_at),
            (both("budget [tCO2]"), allocation.budget_t),
            (both("reserve [tCO2]"), allocation.reserve_t),
            (both("parameters"), str(allocation.parameters)),
            (
                both("binding"),
                zh("Intensity first, the total flexible: at year end the actual value added × the allocated intensity, "
                   "adjusted within ±10%"),
            ),
        ]
        for i, (k, v) in enumerate(info, start=3):
            wa.cell(row=i, column=1, value=k).font = HEAD
            c = wa.cell(row=i, column=2, value=_v(v))
            if isinstance(v, float):
                c.number_format = "#,##0.00"
        r = 3 + len(info) + 1
        wa.cell(row=r, column=1, value=both("by sector")).font = HEAD
        by_sector = allocation.by_sector()
        by_sector["sector_name"] = [(sector_names or {}).get(str(c), str(c)) for c in by_sector["sector_code"]]
        r = _write_table(
            wa,
            r + 1,
            by_sector,
            [
                ("sector_code", both("sector"), None),
                ("sector_name", zh("Sector name"), None),
                ("enterprises", zh("Enterprises"), None),
                ("allocated_t", zh("Allocated tCO2"), "#,##0.00"),
                ("expected_value_added", zh("Expected value added, 10⁴ yuan"), "#,##0.00"),
            ],
        )
        wa.cell(row=r, column=1, value=both("by enterprise")).font = HEAD
        tab = allocation.table.sort_values(["sector_code", "allocated_t"], ascending=[True, False])
        r = _write_table(
            wa,
            r + 1,
            tab,
            [
                ("uscc", zh("USCC"), None),
                ("enterprise", zh("Enterprise"), None),
                ("sector_code", zh("Sector"), None),
                ("allocated_t", zh("Allocated tCO2"), "#,##0.00"),
                ("expected_value_added", zh("Expected value added, 10⁴ yuan"), "#,##0.00"),
                ("intensity", zh("Allocated intensity, tCO2 per 10⁴ yuan"), "0.0000"),
                ("status", zh("Status"), None),
            ],
            words={"status": "allocation_status"},
        )
        tot_row = r - 1
        wa.cell(row=tot_row, column=1, value=both("total incl. reserve")).font = HEAD
        wa.cell(row=tot_row, column=4, value=(int(allocation.table["allocated_units"].sum())
                                              + allocation.reserve_units) * allocation.unit).number_format = "#,##0.00"
    _widths(wa, [26, 36, 12, 18, 18, 18, 14])

    # -- 3 warnings
    ww = wb.create_sheet(zh("Warnings"))
    ww["A1"] = zh("{year}-{month} early warnings", year=year, month=month)
    ww["A1"].font = TITLE
    counts = warnings["status"].value_counts().to_dict() if len(warnings) else {}
    ww["A2"] = " · ".join(f"{STATUSES[s][0]} {counts.get(s, 0)}" for s in ("red", "yellow", "green", "grey"))
    order = {"red": 0, "yellow": 1, "grey": 2, "green": 3}
    lvl = {"park": 0, "sector": 1, "enterprise": 2}
    wl = warnings.assign(_o=warnings["status"].map(order), _l=warnings["level"].map(lvl)).sort_values(
        ["_o", "_l", "ratio"], ascending=[True, True, False]) if len(warnings) else warnings
    _write_table(
        ww,
        4,
        wl,
        [
            ("status", both("status"), None),
            ("level", both("level"), None),
            ("subject", both("subject"), None),
            ("name", both("name"), None),
            ("sector_code", zh("Sector"), None),
            ("ytd_actual", both("YTD"), "#,##0.00"),
            ("ytd_path", both("path"), "#,##0.00"),
            ("projection", zh("Projection for the year"), "#,##0.00"),
            ("low", zh("Low"), "#,##0.00"),
            ("high", zh("High"), "#,##0.00"),
            ("limit", both("limit"), "#,##0.00"),
            ("ratio", zh("Pressure ratio"), "0.0%"),
            ("driver_carrier", zh("Driving carrier"), None),
            ("reason_zh", both("reason"), None),
        ],
        status_col="status",
    )
    _widths(ww, [8, 11, 22, 30, 8, 14, 14, 14, 14, 14, 14, 9, 14, 100])

    # -- 4 scenarios with a chart
    wsn = wb.create_sheet(zh("Scenarios"))
    wsn["A1"] = both("peak-year scenario comparison")
    wsn["A1"].font = TITLE
    pcol = next((c for c in scenario_summary.columns if c.startswith("p_peak_by_")), "p_peak_by_2030")
    r = _write_table(wsn, 3, scenario_summary, [
        ("label", both("scenario"), None), ("central_peak_year", zh("Peak year (median path)"), None),
        ("central_peak_t", zh("Peak tCO2"), "#,##0.00"), ("peak_year_p5", zh("Peak year P5"), None),
        ("peak_year_p50", zh("Peak year P50"), None), ("peak_year_p95", zh("Peak year P95"), None),
        ("peak_t_p5", zh("Peak P5"), "#,##0.00"), ("peak_t_p95", zh("Peak P95"), "#,##0.00"),
        (pcol, zh("P(peak≤2030)"), "0.0%"), ("co2_end_t", zh("Final-year CO2 tCO2"), "#,##0.00")])
    start = r
    paths = scenario_paths.reset_index()
    r = _write_table(wsn, start, paths, [("year", both("year"), None)]
                     + [(c, str(scenario_summary.set_index("scenario").loc[c, "label"])
                         if c in set(scenario_summary["scenario"]) else c, "#,##0.00")
                        for c in scenario_paths.columns])
    chart = LineChart()
    chart.title = zh("park CO2 by scenario")
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
        wp = wb.create_sheet(zh("Project assessment"))
        wp["A1"] = zh("project pre-assessment: {project}", project=assessment.project)
        wp["A1"].font = TITLE
        d = assessment.to_dict()
        rows = [
            (both("sector"), d["sector_code"], None), (both("CO2 [t/yr]"), d["co2_t"], "#,##0.00"),
            (both("CO2 market-based [t/yr]"), d["co2_market_t"], "#,##0.00"),
            (both("energy [tce/yr]"), d["energy_tce"], "#,##0.00"),
            (zh("CO2 per industrial value added [tCO2 per 10⁴ yuan]"), d["co2_per_value_added"], "0.0000"),
            (zh("benchmark [tCO2 per 10⁴ yuan VA]"), d["benchmark_co2_per_value_added"], "0.0000"),
            (zh("CO2 per gross industrial output [tCO2 per 10⁴ yuan]"), d["co2_per_gross_output"], "0.0000"),
            (zh("benchmark [tCO2 per 10⁴ yuan output]"), d["benchmark_co2_per_gross_output"], "0.0000"),
            (both("benchmark source"), d["benchmark_source"], None),
            (both("park intensity"), d["park_intensity"], "0.0000"),
            (both("park intensity after"), d["park_intensity_after"], "0.0000"),
            (both("verdict"), f"{d['verdict_zh']} {d['verdict']}", None),
        ]
        for i, (k, v, f) in enumerate(rows, start=3):
            wp.cell(row=i, column=1, value=k).font = HEAD
            c = wp.cell(row=i, column=2, value=_v(v))
            if f:
                c.number_format = f
        r = 3 + len(rows) + 1
        fill = {"approve": FILL["green"], "approve_with_conditions": FILL["yellow"], "reject": FILL["red"]}
        wp.cell(row=3 + len(rows) - 1, column=2).fill = fill[d["verdict"]]
        wp.cell(row=r, column=1, value=both("reasons")).font = HEAD
        for i, t in enumerate(d["reasons"], start=r + 1):
            wp.cell(row=i, column=1, value=t).alignment = Alignment(wrap_text=False)
        r = r + len(d["reasons"]) + 2
        wp.cell(row=r, column=1, value=both("conditions")).font = HEAD
        for i, t in enumerate(d["conditions"] or ["—"], start=r + 1):
            wp.cell(row=i, column=1, value=t)
        _widths(wp, [44, 60])
    return save_workbook(wb, path)
