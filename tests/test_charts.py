"""The reports' charts (issue 15 item 6) are drawn from the rows their tables print: the labels, sums and counts a
chart shows are read from the table, a total line is never a part, and the drawing uses the CJK font."""

from __future__ import annotations

import io
import warnings

import pytest
from PIL import Image

from nengtan.reports.charts import Chart, png, series

TABLE = [
    ["2025 年分能源 by carrier", None, None],  # a title above the table
    ["能源 Carrier", "综合能耗 (tce)", "CO2 (t)"],
    ["柴油 diesel", 349.704, 1082.6],
    ["外购电力 electricity", 18680.8, 88573.4],
    ["天然气 natural_gas", 7771.52, 13838.0],
    ["备注", "见因子表", None],  # a note: its values are words, it is left out
    ["合计 Total", 26802.024, 103494.0],  # the total line is not a carrier
    [None, None, None],
    ["后续表格", 1, 2],  # below the first blank label: another table
]


def test_a_bar_chart_reads_its_rows_below_the_header_and_leaves_out_notes_and_totals() -> None:
    labels, names, values = series(Chart("t", "分能源", "能源 Carrier", ("综合能耗 (tce)", "CO2 (t)")), TABLE)
    assert labels == ["柴油 diesel", "外购电力 electricity", "天然气 natural_gas"]  # the table's order
    assert names == ["综合能耗 (tce)", "CO2 (t)"]
    assert values == [[349.704, 18680.8, 7771.52], [1082.6, 88573.4, 13838.0]]


def test_a_horizontal_bar_ranks_largest_first_and_keeps_the_top() -> None:
    labels, _, values = series(Chart("t", "分能源", "能源 Carrier", ("综合能耗 (tce)",), "barh", top=2), TABLE)
    assert labels == ["外购电力 electricity", "天然气 natural_gas"] and values == [[18680.8, 7771.52]]
    # several series stack: the rank is by their sum (diesel 349.704 + 1082.6 < gas 7771.52 + 13838.0)
    labels, _, _ = series(Chart("t", "x", "能源 Carrier", ("综合能耗 (tce)", "CO2 (t)"), "barh"), TABLE)
    assert labels == ["外购电力 electricity", "天然气 natural_gas", "柴油 diesel"]
    # other kinds keep the table's order among the top ones
    labels, _, _ = series(Chart("t", "x", "能源 Carrier", ("综合能耗 (tce)",), "bar", top=2), TABLE)
    assert labels == ["外购电力 electricity", "天然气 natural_gas"]


def test_sum_and_count_fold_the_rows_that_share_a_label() -> None:
    rows = [["类别", "气体", "tCO2e"], ["能源活动", "CO2", 100.0], ["工业过程", "CO2", 40.0], ["能源活动", "CH4", 2.5],
            ["能源活动", "N2O", 0.5]]
    assert series(Chart("t", "x", "类别", ("tCO2e",), fold="sum"), rows)[::2] == (["能源活动", "工业过程"],
                                                                                 [[100.0 + 2.5 + 0.5, 40.0]])
    status = [["状态 status", "对象"], ["红", "a"], ["黄", "b"], ["红", "c"], ["绿", "d"], ["红", "e"]]
    labels, names, values = series(Chart("t", "x", "状态 status", kind="pie", fold="count"), status)
    assert (labels, names, values) == (["红", "黄", "绿"], ["个数"], [[3.0, 1.0, 1.0]])


def test_every_column_right_of_the_label_is_a_series_when_asked() -> None:
    rows = [["情景", "达峰年"], ["基准", 2032], ["年份 year", "基准 baseline", "政策 policy"], [2025, 100.0, 100.0],
            [2026, 101.0, 95.0]]
    labels, names, values = series(Chart("t", "x", "年份 year", Chart.ALL, "line"), rows)
    assert labels == ["2025", "2026"] and names == ["基准 baseline", "政策 policy"]
    assert values == [[100.0, 101.0], [100.0, 95.0]]


def test_a_table_without_the_named_columns_draws_nothing() -> None:
    assert series(Chart("t", "x", "能源 Carrier", ("MWh",)), TABLE) == ([], ["MWh"], [])
    assert png(Chart("t", "x", "能源 Carrier", ("MWh",)), TABLE) is None


@pytest.mark.parametrize("kind", ["bar", "barh", "line", "pie"])
def test_a_chart_is_a_png_of_its_size_drawn_in_the_cjk_font(kind: str) -> None:
    chart = Chart("t", "分能源综合能耗", "能源 Carrier", ("综合能耗 (tce)",), kind, "tce")  # type: ignore[arg-type]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        data = png(chart, TABLE, width_mm=127, height_mm=50.8)
    assert data is not None and data[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(data)).size == (1000, 400)  # 5 × 2 inches at 200 dpi
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing[:3]


def test_a_table_with_no_rows_draws_no_chart() -> None:
    assert png(Chart("t", "x", "能源 Carrier", ("综合能耗 (tce)",)), TABLE[1:2]) is None


def test_a_pie_draws_only_the_positive_parts() -> None:
    rows = [["气体", "tCO2e"], ["CO2", 100.0], ["CH4", 2.5], ["碳汇", -30.0], ["N2O", 0.0]]
    chart = Chart("t", "x", "气体", ("tCO2e",), "pie", fold="sum")
    assert series(chart, rows)[0] == ["CO2", "CH4", "碳汇", "N2O"]  # the table's rows, as printed
    assert png(chart, rows) is not None  # drawn without the sink and the empty part (matplotlib refuses negatives)
    assert png(chart, [["气体", "tCO2e"], ["碳汇", -30.0]]) is None


def test_a_negative_power_prints_with_a_minus_the_cjk_font_has(tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    """The factor library writes 15.3 × 10⁻³ and reports CO₂; Noto CJK lacks "⁻" and "₂", so the PDF prints 10^-3
    and CO2 (and nothing is missing)."""
    import logging

    from nengtan.reports.cjk_pdf import CjkPdf, in_font
    from nengtan.reports.tables import write_tables

    has = {ord(c) for c in "0123456789.,×/ tCGJmO^-³"}  # a font with ³ but neither ⁻ nor ₂
    assert in_font(has)("15.3 × 10⁻³ tC/GJ, m³, CO₂") == "15.3 × 10^-3 tC/GJ, m³, CO2"
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        write_tables("因子", {"因子 Factors": [["说明 Note"], ["15.3 × 10⁻³ tC/GJ"], ["m³, CO₂"]]}, tmp_path / "f.pdf")
        pdf = CjkPdf()  # every report's PDF (the footprint study's too): a plain cell is written the same way
        pdf.add_page()
        pdf.set_font("cjk", size=10)
        pdf.cell(0, 5, "kg CO₂e × 10⁻³")
        pdf.output(str(tmp_path / "g.pdf"))
    assert not [r for r in caplog.records if "missing" in r.getMessage()]
