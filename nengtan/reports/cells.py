"""Saving workbooks safely and meeting-ready: every text cell is written as text, never as a formula; every table has
its header frozen, a filter, its header repeated on each printed page, columns wide enough for their text, and the
page set up to print landscape one page wide (issue 15 item 6).

openpyxl stores a string that starts with ``=`` as a formula, so an enterprise named
``=cmd|' /C calc'!A0`` would become a live formula in a report a park officer opens (formula or CSV
injection, OWASP). nengtan's workbooks hold data only, so before saving every string cell is marked as
a string; values starting with ``=``, ``+``, ``-`` or ``@`` also get Excel's quote prefix, so editing
the cell later keeps it text.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@")
HEADER_SEARCH_ROWS = 12
"""A table's header is looked for in a sheet's first rows (a title and notes may stand above it)."""


def neutralise(wb: Workbook) -> int:
    """Mark every text cell of `wb` as text; returns how many looked like formulas."""
    n = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if isinstance(v, str):
                    cell.data_type = "s"
                    if v.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True
                        n += 1
    return n


def _width(v: object) -> int:
    """A cell's text width in characters, a CJK character counting two."""
    text = f"{v:,.2f}" if isinstance(v, float) else str(v)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def header_row(ws: Worksheet) -> int | None:
    """The row of a sheet's table header: the frozen row above the panes, else the first row (of the first few) with
    at least two cells, all text, above a row holding a number. None: a sheet with no table."""
    if ws.freeze_panes:
        row = int("".join(ch for ch in str(ws.freeze_panes) if ch.isdigit()) or "1") - 1
        return row if row >= 1 else None
    rows = list(ws.iter_rows(min_row=1, max_row=min(ws.max_row, HEADER_SEARCH_ROWS + 1), values_only=True))
    for i, (row, nxt) in enumerate(pairwise(rows), start=1):
        filled = [v for v in row if v is not None and v != ""]
        if len(filled) >= 2 and all(isinstance(v, str) for v in filled) and any(
                isinstance(v, int | float) and not isinstance(v, bool) for v in nxt):
            return i
    return None


def meeting_ready(ws: Worksheet) -> None:
    """Header frozen, a filter over the table, the header repeated on every printed page, landscape one page wide,
    columns as wide as their text (at most 60 characters); what the sheet already sets is kept."""
    head = header_row(ws)
    last_col = get_column_letter(max(ws.max_column, 1))
    if head is not None and ws.max_row > head:
        if not ws.freeze_panes:
            ws.freeze_panes = f"A{head + 1}"
        if not ws.auto_filter.ref:
            ws.auto_filter.ref = f"A{head}:{last_col}{ws.max_row}"
        ws.print_title_rows = f"{head}:{head}"
    ws.page_setup.orientation = "landscape" if ws.max_column > 5 else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    for col in ws.iter_cols(min_row=1, max_row=min(ws.max_row, 2000)):
        letter = col[0].column_letter
        if ws.column_dimensions[letter].width not in (None, 13.0):  # set by the report itself
            continue
        widest = max((_width(c.value) for c in col if c.value is not None), default=8)
        ws.column_dimensions[letter].width = min(60, max(8, widest + 2))


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Neutralise, make every sheet meeting-ready, and save atomically (a temporary file renamed into place)."""
    out = Path(path)
    neutralise(wb)
    for ws in wb.worksheets:
        meeting_ready(ws)
    tmp = out.with_name(f".{out.name}.tmp")
    wb.save(tmp)
    tmp.replace(out)
    return out
