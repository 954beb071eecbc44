"""A report's PDF beside its XLSX (issue 15 item 6): each sheet of the workbook a section of a landscape A4 PDF in a
CJK font (nengtan.reports.tables), so the two can never disagree — the PDF is printed from the workbook the engine's
figures were written to, its charts drawn from the sheets' rows (nengtan.reports.charts). Long sheets are cut to their
first rows, saying so (the workbook holds them all); the charts see every row."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nengtan.reports.charts import Chart
from nengtan.reports.tables import Tables, write_tables
from nengtan.reports.words import zh

MAX_ROWS = 400
"""Rows of a sheet printed; the rest are in the workbook."""


def workbook_tables(xlsx: Path) -> Tables:
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
        out[str(ws.title)] = [(r + [None] * width)[:width] for r in rows]
    wb.close()
    return out


def cut(rows: list[list[Any]], max_rows: int = MAX_ROWS) -> list[list[Any]]:
    """The first `max_rows` rows below the header, and a line saying how many more the workbook holds."""
    if len(rows) <= max_rows + 1:
        return rows
    n = len(rows) - max_rows - 1
    more = [zh("… {n:,} more rows in the workbook", n=n)]
    return [*rows[: max_rows + 1], more + [None] * (len(rows[0]) - 1)]


def workbook_pdf(xlsx: Path, out: Path, title: str, max_rows: int = MAX_ROWS, charts: Sequence[Chart] = ()) -> Path:
    """The PDF of ``xlsx``: its title, then each sheet as a table, `charts` above the sheets they are drawn from."""
    return write_tables(title, workbook_tables(xlsx), out, lambda _, rows: cut(rows, max_rows), charts)
