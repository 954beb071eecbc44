"""Workbooks are meeting-ready (issue 15 item 6): every table's header frozen and filtered, repeated on each printed
page, the page landscape one page wide, columns wide enough for their text — the inventory, targets and evaluation
workbooks alike, because every workbook is saved through nengtan.reports.cells.save_workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from nengtan.config import data_home, database_url
from nengtan.demo import SMALL, build_demo
from nengtan.engine.accounts import inventory_report
from nengtan.engine.stores import LocalStores
from nengtan.lake import Lake
from nengtan.registry.store import Registry
from nengtan.reports import inventory_xlsx, targets_xlsx
from nengtan.reports.cells import header_row, save_workbook
from nengtan.reports.charts import Chart, series
from nengtan.reports.tables import write_tables
from nengtan.reports.workbook_pdf import workbook_tables


def _check_tables(path: Path) -> int:
    """Every sheet with a table is meeting-ready; returns how many sheets have one."""
    n = 0
    for ws in load_workbook(path).worksheets:
        head = header_row(ws)
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        if head is None or ws.max_row <= head:
            continue
        n += 1
        assert ws.freeze_panes and int(ws.freeze_panes.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) == head + 1, ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith(f"A{head}:"), ws.title
        assert (ws.print_title_rows or "").replace("$", "") == f"{head}:{head}", ws.title
    return n


def test_a_table_is_found_below_its_title_and_made_meeting_ready(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["园区能源消费 2025"])
    ws.append([])
    ws.append(["企业名称", "综合能耗 tce", "二氧化碳排放 tCO2"])
    ws.append(["南京滨江汽车制造有限公司", 48120.5, 182450.07])
    ws.append(["南京百家湖储能电池制造有限公司", 31220.0, 135010.0])
    out = save_workbook(wb, tmp_path / "t.xlsx")
    back = load_workbook(out).active
    assert back is not None and header_row(back) == 3
    assert (back.freeze_panes, back.auto_filter.ref, back.print_title_rows) == ("A4", "A3:C5", "$3:$3")
    assert back.column_dimensions["A"].width == pytest.approx(2 * len("南京百家湖储能电池制造有限公司") + 2)
    assert back.page_setup.orientation == "portrait"  # three columns fit upright


def test_the_reports_are_meeting_ready(tmp_path: Path) -> None:
    paths = data_home(tmp_path / "home")
    reg = Registry.open(database_url(paths))
    build_demo(paths, reg, SMALL, minutes=60)
    stores = LocalStores(reg, Lake(paths.lake))
    inv, _ = inventory_report(stores, tmp_path / "inventory.xlsx", 2025)
    assert _check_tables(inv) >= 2
    tables = write_tables("园区评价", {"指标": [["指标", "数值", "要求"], ["单位工业增加值综合能耗", 0.05, "≤ 0.5"]]},
                          tmp_path / "eval.xlsx")
    assert _check_tables(tables) == 1
    from typer.testing import CliRunner

    from nengtan.cli.main import app

    out = CliRunner().invoke(app, ["report", "inventory", "--year", "2025", "--scope", "park", "--output",
                                   str(tmp_path / "park.pdf"), "--home", str(paths.home)])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "park.pdf").read_bytes()[:5] == b"%PDF-" and _check_tables(tmp_path / "park.xlsx") >= 2
    from nengtan.engine.targets import allocate_budget

    allocate_budget(stores, 2025, "hybrid", "王主任")
    out = CliRunner().invoke(app, ["report", "targets", "--year", "2025", "-o", str(tmp_path / "targets.pdf"),
                                   "--draws", "200", "--home", str(paths.home)])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "targets.pdf").read_bytes()[:5] == b"%PDF-" and _check_tables(tmp_path / "targets.xlsx") >= 2
    reg.close()
    _check_meeting_words(tmp_path / "park.xlsx", tmp_path / "targets.xlsx")
    assert _check_charts(tmp_path / "park.pdf", tmp_path / "park.xlsx", inventory_xlsx.CHARTS) == 5
    assert _check_charts(tmp_path / "targets.pdf", tmp_path / "targets.xlsx", targets_xlsx.CHARTS) == 3


def _check_meeting_words(inventory: Path, targets: Path) -> None:
    """Sectors have their names, statuses and levels are Chinese words, times are the park's local time."""
    sectors = list(load_workbook(inventory)["分行业 Sectors"].iter_rows(values_only=True))
    assert sectors[0][:2] == ("行业代码 GB/T 4754", "行业名称 Sector")
    names = {r[0]: r[1] for r in sectors[1:]}
    assert names["36"] == "汽车制造业" and names["26"] == "化学原料和化学制品制造业"  # GB/T 4754-2017 divisions
    summary = [r for r in load_workbook(inventory)["汇总 Summary"].iter_rows(values_only=True) if r[0]]
    assert any(r[0] == "生成时间 Generated" and str(r[1]).endswith("(北京时间)") for r in summary)
    wb = load_workbook(targets)
    warn = list(wb["预警"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(warn) if r[0] == "状态 status")
    rows = [r for r in warn[head + 1:] if r[0]]
    assert rows and {r[0] for r in rows} <= {"红", "黄", "绿", "灰"}
    assert {r[1] for r in rows} <= {"园区", "行业", "企业"}
    assert all(r[12] is None or not str(r[12]).isascii() for r in rows)  # the driving carrier by its name
    approved = next(r[1] for r in wb["预算分配"].iter_rows(values_only=True) if r[0] == "批准时间 approved at")
    assert str(approved).endswith("(北京时间)")
    alloc = list(wb["预算分配"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(alloc) if r[0] == "行业 sector")
    assert alloc[head][1] == "行业名称 Sector"
    by_sector = [r for r in alloc[head + 1:] if r[0] and r[0] != "分企业 by enterprise"][:3]
    assert by_sector and all(r[1] and not str(r[1]).isascii() for r in by_sector)  # each code with its name


def _check_charts(pdf: Path, xlsx: Path, charts: tuple[Chart, ...]) -> int:
    """The PDF holds one image per chart the workbook's rows can draw; returns how many."""
    from pypdf import PdfReader

    images = [im for page in PdfReader(pdf).pages for im in page.images]
    tables = workbook_tables(xlsx)
    drawn = [c for c in charts if series(c, tables[c.table])[0]]
    assert len(images) == len(drawn)
    return len(drawn)
