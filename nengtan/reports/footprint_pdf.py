"""Product carbon footprint study report as PDF (ISO 14067:2018 clause 7, GB/T 24067-2024 clause 7): the
statements and tables of nengtan.reports.footprint_study, laid out in Chinese with Debian's Noto CJK font
(fpdf2), with a bar chart of the contributions by stage and by upstream dataset.

It computes nothing: every figure is the engine's (tests read the PDF's text back and compare it with the JSON).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fpdf.fonts import FontFace

from nengtan.reports.cjk_pdf import CjkPdf
from nengtan.reports.footprint_study import Table, background_table, facts, inventory_table, result_tables
from nengtan.reports.words import both, zh

GREEN = (27, 127, 75)
GREY = (230, 236, 233)


def kg(x: float) -> str:
    """kg CO2e as the report prints it: four decimals with thousands separators."""
    return f"{x:,.4f}"


def _cell(v: Any, share: bool = False) -> str:
    if v is None:
        return "—"
    if share and isinstance(v, float):
        return f"{v:.1%}"
    if isinstance(v, float):
        return kg(v)
    return str(v)


class _Report(CjkPdf):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.title_text = title
        self.set_auto_page_break(True, margin=15)
        self.set_margins(15, 15, 15)

    def header(self) -> None:
        self.set_font("cjk", size=8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, self.title_text, new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="C")


def _heading(pdf: _Report, text: str) -> None:
    pdf.ln(3)
    pdf.set_font("cjk", size=12)
    pdf.set_text_color(*GREEN)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("cjk", size=9)


def _table(pdf: _Report, t: Table, widths: tuple[int, ...] | None = None, size: int = 8) -> None:
    pdf.set_font("cjk", size=size)
    right = set(t.kg_columns) | set(t.share_columns)
    align = tuple("RIGHT" if k in right else "LEFT" for k in range(len(t.headers)))
    with pdf.table(col_widths=widths, text_align=align, headings_style=FontFace(fill_color=GREY),
                   line_height=1.6 * size / 2.8, first_row_as_headings=True) as table:
        table.row(t.headers)
        for r in t.rows:
            table.row([_cell(v, k in t.share_columns) for k, v in enumerate(r)])


def _bars(pdf: _Report, title: str, items: dict[str, float], total: float) -> None:
    """A horizontal bar per contribution, its length its share of the total."""
    if not items or not total:
        return
    _heading(pdf, title)
    left, width = pdf.l_margin + 55, pdf.epw - 90
    for name, v in items.items():
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(55, 6, name[:40])
        share = max(v / total, 0.0)
        pdf.set_fill_color(*GREEN)
        pdf.rect(left, y + 1, max(width * min(share, 1.0), 0.3), 4, style="F")
        pdf.set_xy(left + width + 2, y)
        pdf.cell(33, 6, f"{kg(v)} ({share:.1%})", align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_fill_color(255, 255, 255)


def footprint_pdf(out: dict[str, Any], path: str | Path, goal: str = "") -> Path:
    """Write the report of the footprint `out` (the engine's dict) to `path` (.pdf)."""
    title = zh("Carbon footprint study: {product} (1 {unit})", product=out["product"], unit=out["declared_unit"])
    pdf = _Report(title)
    pdf.set_title(title)
    pdf.set_creator("nengtan")
    pdf.set_creation_date(dt.datetime.now(dt.UTC))
    pdf.add_page()
    pdf.set_font("cjk", size=16)
    pdf.multi_cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=22)
    pdf.set_text_color(*GREEN)
    pdf.cell(0, 14, f"{kg(out['total_kgco2e'])} kg CO2e / {out['declared_unit']}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    _heading(pdf, both("Study"))
    rows = [[label, kg(v) if isinstance(v, float) else str(v)] for label, v in facts(out, goal)]
    _table(pdf, Table("", [both("Item"), both("Statement")], rows), (55, 125), size=8)
    total = out["total_kgco2e"]
    _bars(pdf, zh("Chart: by stage"), out["by_stage"], total)
    _bars(pdf, both("Chart: by upstream dataset"), out.get("by_dataset", {}), total)
    for t in result_tables(out):
        if t.rows:
            _heading(pdf, t.title)
            _table(pdf, t, (100, 45, 35))
    _heading(pdf, both("Inventory"))
    _table(pdf, inventory_table(out), (22, 16, 14, 16, 10, 20, 40, 14, 14, 14), size=6)
    _heading(pdf, both("Background"))
    _table(pdf, background_table(out), (30, 40, 12, 60, 18, 20), size=7)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(target))
    return target
