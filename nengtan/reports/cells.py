"""Saving workbooks safely: every text cell is written as text, never as a formula.

openpyxl stores a string that starts with ``=`` as a formula, so an enterprise named
``=cmd|' /C calc'!A0`` would become a live formula in a report a park officer opens (formula or CSV
injection, OWASP). nengtan's workbooks hold data only, so before saving every string cell is marked as
a string; values starting with ``=``, ``+``, ``-`` or ``@`` also get Excel's quote prefix, so editing
the cell later keeps it text.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@")


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


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Neutralise and save atomically (a temporary file renamed into place)."""
    out = Path(path)
    neutralise(wb)
    tmp = out.with_name(f".{out.name}.tmp")
    wb.save(tmp)
    tmp.replace(out)
    return out
