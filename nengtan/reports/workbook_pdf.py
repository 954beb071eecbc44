"""A report's PDF beside its XLSX (issue 15 item 6): each sheet of the workbook a section of a landscape A4 PDF in a
CJK font (nengtan.reports.tables), so the two can never disagree — the PDF is printed from the workbook the engine's
figures were written to. Long sheets are cut to their first rows, saying so (the workbook holds them all)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nengtan.reports.tables import Tables, write_tables

MAX_ROWS = 400
"""Rows of a sheet printed; the rest are in the workbook."""


def workbook_tables(xlsx: Path, max_rows: int = MAX_ROWS) -> Tables:
    """The workbook's sheets as tables: empty rows dropped, every row as wide as the sheet's widest."""
    from openpyxl import load_workbook

    wb = load_workbook(xlsx, read_only=True, data_only=True)
    out: Tables = {}
    for ws in wb.worksheets:
        rows: list[list[Any]] = [list(r) for r in ws.iter_rows(values_only=True)
                                 if any(v is not None and v != "" for v in r)]
        if not rows:
            continue
        width = max(len(r) for r in rows)
        while width > 1 and all(len(r) < width or r[width - 1] in (None, "") for r in rows):
            width -= 1
        cut = len(rows) > max_rows + 1
        table = [(r + [None] * width)[:width] for r in rows[: max_rows + 1]]
        if cut:
            table.append([f"… {len(rows) - max_rows - 1:,} more rows in the workbook 其余各行见 XLSX"]
                         + [None] * (width - 1))
        out[str(ws.title)] = table
    wb.close()
    return out


def workbook_pdf(xlsx: Path, out: Path, title: str, max_rows: int = MAX_ROWS) -> Path:
    """The PDF of ``xlsx``: its title, then each sheet as a table."""
    return write_tables(title, workbook_tables(xlsx, max_rows), out)
