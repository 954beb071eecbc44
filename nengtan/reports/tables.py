"""Tables of figures the engine computed, written as a workbook (one sheet per table, bold headers, frozen header
row) or as a landscape A4 PDF in a CJK font (one section per table). Nothing here computes."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nengtan.reports.charts import Chart

Tables = dict[str, list[list[Any]]]
CHART_MM = (250.0, 80.0)
"""A chart's size on the landscape A4 page (width, height)."""


def write_tables(title: str, tables: Tables, out: Path,
                 for_pdf: Callable[[str, list[list[Any]]], list[list[Any]]] | None = None,
                 charts: Sequence[Chart] = ()) -> Path:
    """`tables` (sheet title → rows, the first row the headings) to `out` (``.pdf`` or ``.xlsx``); `for_pdf` may
    shorten a table's cells for the page; in a PDF each of `charts` is drawn above the table it names, from that
    table's whole rows."""
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".pdf":
        return _pdf(title, tables, out, for_pdf, charts)
    return _xlsx(tables, out)


def _xlsx(tables: Tables, out: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from nengtan.reports.cells import save_workbook

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for title, table in tables.items():
        ws = wb.create_sheet(title[:31])
        for r in table:
            ws.append(r)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        ws.column_dimensions["A"].width = 44
        for col in "BCDEFGHIJ":
            ws.column_dimensions[col].width = 22
    return save_workbook(wb, out)


def _pdf(title: str, tables: Tables, out: Path,
         for_pdf: Callable[[str, list[list[Any]]], list[list[Any]]] | None, charts: Sequence[Chart]) -> Path:
    from fpdf.fonts import FontFace

    from nengtan.reports.charts import png
    from nengtan.reports.cjk_pdf import CjkPdf

    unknown = sorted({c.table for c in charts} - set(tables))
    if unknown:
        raise KeyError(f"charts over tables the report does not have: {unknown}")
    pdf = CjkPdf(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("cjk", size=14)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    w, h = CHART_MM
    for name, table in tables.items():
        pdf.set_font("cjk", size=11)
        pdf.ln(2)
        pdf.cell(0, 7, name, new_x="LMARGIN", new_y="NEXT")
        for chart in (c for c in charts if c.table == name):
            image = png(chart, table, w, h)
            if image is None:
                continue
            if pdf.get_y() + h > pdf.page_break_trigger:
                pdf.add_page()
            pdf.image(io.BytesIO(image), x=pdf.l_margin, w=w, h=h)
            pdf.ln(2)
        if for_pdf is not None:
            table = for_pdf(name, table)
        pdf.set_font("cjk", size=7)
        with pdf.table(first_row_as_headings=True,
                       headings_style=FontFace(emphasis="", fill_color=(230, 236, 240))) as t:
            for r in table:
                row = t.row()
                for v in r:
                    row.cell(text(v))
    pdf.output(str(out))
    return out


def text(v: Any) -> str:
    """A cell as the PDF prints it: thousands separated, small numbers with four decimals, None as a dash."""
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) >= 1 else f"{v:.4f}"
    return str(v)
