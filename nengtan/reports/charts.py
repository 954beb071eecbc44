"""A report's charts (issue 15 item 6), drawn from the very rows its tables print, so a chart and its table can never
disagree: a chart names one table of the report, the column its labels come from and the columns of its values, and
is drawn by matplotlib in the report's CJK font to a PNG the PDF places above that table. Nothing here computes a
figure; a chart only sums or counts rows that share a label when it is told to (a category's total, a status's
count)."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal

from nengtan.labels import STATUSES
from nengtan.reports.words import zh

Kind = Literal["bar", "barh", "line", "pie"]
Fold = Literal["rows", "sum", "count"]

TOTALS = (zh("Total"), zh("Grand total"), "Total", "total")
"""A row whose label starts so is the table's total line, not one of its parts: charts leave it out."""
STATUS_COLORS = {STATUSES[code][0]: colour for code, colour in
                 (("red", "#d64545"), ("yellow", "#f0b429"), ("green", "#3fa66b"), ("grey", "#9e9e9e"))}
"""The warning statuses' colours, by their Chinese words (nengtan.labels.STATUSES), for a pie of statuses."""
PALETTE = ("#2f6f9f", "#f5a524", "#3fa66b", "#c94c4c", "#7a5cc2", "#5aa9c9", "#9a7b4f", "#888888")


@dataclass(frozen=True)
class Chart:
    """One chart over table `table` of a report: labels from the column headed `label`, one series per header in
    `values`. `fold` "sum" adds the rows sharing a label, "count" counts them (no `values` needed). A horizontal bar
    chart stacks its series and ranks its labels largest first, keeping the `top` ones; other kinds keep the table's
    order (the `top` largest, if set)."""

    table: str
    title: str
    label: str
    values: tuple[str, ...] = ()
    kind: Kind = "bar"
    unit: str = ""
    fold: Fold = "rows"
    top: int | None = None
    names: dict[str, str] = field(default_factory=dict)
    """Shown names of the labels (a status code → 红/黄/绿)."""
    colors: dict[str, str] = field(default_factory=dict)
    """Colours of labels that have one (红 is red) on a pie."""

    ALL = ("*",)
    """`values` of a chart over every column right of the label (the scenarios of a path table)."""


def _number(v: Any) -> float | None:
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return float(v) if math.isfinite(v) else None


def series(chart: Chart, rows: Sequence[Sequence[Any]]) -> tuple[list[str], list[str], list[list[float]]]:
    """The chart's labels, its series' names and their values, read from `rows` (a table with its header somewhere in
    its first rows: the first row holding `label` and every header of `values`). Rows below the header count until a
    row with no label; a row whose values are not all numbers (a note, a total line in words) is left out. A table
    with no such header row gives no labels."""
    head_at, cols = None, []
    wanted = list(chart.values)
    for i, r in enumerate(rows[:15]):
        cells = [str(c).strip() if c is not None else "" for c in r]
        if chart.values == Chart.ALL and chart.label in cells:
            at = cells.index(chart.label)
            wanted = [c for c in cells[at + 1:] if c]
        if chart.label in cells and all(v in cells for v in wanted):
            head_at, cols = i, [cells.index(chart.label)] + [cells.index(v) for v in wanted]
            break
    if head_at is None:  # the table is not there (a sheet saying "no allocation yet"): nothing to draw
        return [], wanted, []
    labels: list[str] = []
    columns: list[list[float]] = []  # per row: its values
    width = max(1, len(wanted))
    for r in rows[head_at + 1:]:
        cells = list(r) + [None] * (max(cols) + 1 - len(r))
        if cells[cols[0]] in (None, ""):
            break
        got = [1.0] if chart.fold == "count" else [_number(cells[c]) for c in cols[1:]]
        vals = [v for v in got if v is not None]
        if len(vals) < width:
            continue
        label = str(cells[cols[0]])
        if label.startswith(TOTALS):
            continue
        if chart.fold != "rows" and label in labels:
            at = labels.index(label)
            columns[at] = [a + b for a, b in zip(columns[at], vals, strict=True)]
        else:
            labels.append(label)
            columns.append(vals)
    values = [[row[j] for row in columns] for j in range(width)]
    if chart.kind == "barh" or (chart.top is not None and len(labels) > chart.top):
        keep = sorted(range(len(labels)), key=lambda i: -sum(vs[i] for vs in values))[: chart.top]
        if chart.kind != "barh":
            keep.sort()
        labels = [labels[i] for i in keep]
        values = [[vs[i] for i in keep] for vs in values]
    names = [zh("Count")] if chart.fold == "count" else wanted
    return [chart.names.get(x, x) for x in labels], names, values


@lru_cache(maxsize=1)
def _font_family() -> str:
    """Register the CJK font's faces with matplotlib and return the Simplified Chinese face's family name."""
    from matplotlib import font_manager, ft2font

    from nengtan.reports.fonts import require_cjk_font

    font = require_cjk_font()
    font_manager.fontManager.addfont(str(font.path))
    return str(ft2font.FT2Font(str(font.path), face_index=font.index).family_name)


def _short(label: str, n: int = 18) -> str:
    return label if len(label) <= n else label[: n - 1] + "…"


def png(chart: Chart, rows: Sequence[Sequence[Any]], width_mm: float = 250, height_mm: float = 80) -> bytes | None:
    """The chart as a PNG (200 dpi) of the given size, or None when the table has no rows to draw."""
    labels, names, values = series(chart, rows)
    if chart.kind == "pie":  # a wedge is a positive part (a sink's negative tCO2e is no slice of a whole)
        keep = [i for i, v in enumerate(values[0]) if v > 0] if values else []
        labels, values = [labels[i] for i in keep], [[values[0][i] for i in keep]]
    if not labels:
        return None
    from matplotlib import rc_context
    from matplotlib.figure import Figure
    from matplotlib.ticker import StrMethodFormatter

    shown = [_short(x) for x in labels]
    with rc_context({"font.family": [_font_family()], "axes.unicode_minus": False}):  # before any text is made
        fig = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=200)
        ax = fig.add_subplot()
        if chart.kind == "pie":
            colors = [chart.colors.get(x, PALETTE[i % len(PALETTE)]) for i, x in enumerate(labels)]
            ax.pie(values[0], labels=shown, autopct="%1.1f%%", colors=colors, startangle=90, counterclock=False,
                   textprops={"fontsize": 7})
            ax.set_aspect("equal")
        elif chart.kind == "line":
            for j, vs in enumerate(values):
                ax.plot(shown, vs, marker="o", markersize=3, color=PALETTE[j % len(PALETTE)], label=names[j])
        elif chart.kind == "barh":  # several series stack: their sum is the bar
            left = [0.0] * len(labels)
            for j, vs in enumerate(values):
                ax.barh(shown[::-1], vs[::-1], left=left[::-1], color=PALETTE[j % len(PALETTE)], label=names[j])
                left = [a + b for a, b in zip(left, vs, strict=True)]
        else:
            n = len(values)
            step = 0.8 / n
            for j, vs in enumerate(values):
                ax.bar([i - 0.4 + step * (j + 0.5) for i in range(len(labels))], vs, width=step,
                       color=PALETTE[j % len(PALETTE)], label=names[j])
            ax.set_xticks(range(len(labels)), shown, rotation=30 if len(labels) > 6 else 0, ha="right"
                          if len(labels) > 6 else "center", fontsize=7)
        if chart.kind != "pie":
            ax.grid(axis="x" if chart.kind == "barh" else "y", color="#dddddd", linewidth=0.6)
            ax.set_axisbelow(True)
            for side in ("top", "right"):
                ax.spines[side].set_visible(False)
            ax.tick_params(labelsize=7)
            (ax.xaxis if chart.kind == "barh" else ax.yaxis).set_major_formatter(StrMethodFormatter("{x:,.0f}"))
            if chart.unit:
                (ax.set_xlabel if chart.kind == "barh" else ax.set_ylabel)(chart.unit, fontsize=8)
            if len(values) > 1:
                ax.legend(fontsize=7, frameon=False)
        ax.set_title(chart.title, fontsize=10)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    return buf.getvalue()

