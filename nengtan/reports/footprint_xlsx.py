"""Product carbon footprint study report as a workbook (ISO 14067:2018 clause 7, GB/T 24067-2024 clause 7):
the statements and tables of nengtan.reports.footprint_study, one sheet each.

It computes nothing: every figure is the engine's (tests compare the cells with the JSON).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from nengtan.reports.cells import save_workbook
from nengtan.reports.footprint_study import Table, background_table, facts, inventory_table, result_tables
from nengtan.reports.words import both, zh

HEAD = Font(bold=True)
TITLE = Font(bold=True, size=14)
KG = "#,##0.0000"


def _table(ws: Worksheet, t: Table) -> None:
    ws.append(t.headers)
    for c in ws[ws.max_row]:
        c.font = HEAD
    for r in t.rows:
        ws.append(r)
        for k in t.kg_columns:
            ws.cell(ws.max_row, k + 1).number_format = KG
        for k in t.share_columns:
            ws.cell(ws.max_row, k + 1).number_format = "0.0%"
    for col in ws.columns:
        width = max(len(str(c.value or "")) for c in col)
        ws.column_dimensions[col[0].column_letter].width = min(60, max(12, width + 2))


def footprint_report(out: dict[str, Any], path: str | Path, goal: str = "") -> Path:
    """Write the report of the footprint `out` (the engine's dict) to `path` (.xlsx)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = both("Study")
    ws.append([zh("Carbon footprint of {product}", product=out["product"])])
    ws["A1"].font = TITLE
    for label, value in facts(out, goal):
        ws.append([label, value])
        ws.cell(ws.max_row, 1).font = HEAD
        if isinstance(value, float):
            ws.cell(ws.max_row, 2).number_format = KG
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 100
    for t in [*result_tables(out), inventory_table(out), background_table(out)]:
        if t.rows or t.title != both("By upstream dataset"):
            _table(wb.create_sheet(t.title), t)
    return save_workbook(wb, path)
