"""A name that looks like a formula is written into the workbooks as text (issue 9, item 9)."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from nengtan.config import Paths
from nengtan.engine import LocalStores
from nengtan.engine.accounts import inventory_report
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.registry.store import Registry

EVIL = {"91320115000000043A": "=cmd|' /C calc'!A0", "913201150000000515": "@SUM(1+1)*cmd|' /C calc'!A0",
        "9132011500000006XW": "+1+1", "91320115000000078W": "-2+3"}


def test_formula_like_names_are_text_in_the_inventory_workbook(registry: Registry, home: Paths,
                                                               tmp_path: Path) -> None:
    ent = tmp_path / "e.csv"
    ent.write_text("uscc,name,sector_code,province\n" + "".join(f'{u},"{n}",2614,江苏\n' for u, n in EVIL.items()),
                   encoding="utf-8")
    act = tmp_path / "a.csv"
    act.write_text("uscc,period,carrier,quantity,unit\n" + "".join(f"{u},2025-01,coal,1,t\n" for u in EVIL),
                   encoding="utf-8")
    assert import_file(registry, home, "enterprises", ent).rows_ok == 4
    assert import_file(registry, home, "activity", act).rows_ok == 4
    out, _ = inventory_report(LocalStores(registry, Lake(home.lake)), tmp_path / "inv.xlsx", 2025)
    wb = openpyxl.load_workbook(out)
    found: dict[str, str] = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if cell.value in EVIL.values():
                    found[str(cell.value)] = cell.data_type
                    assert cell.quotePrefix
    assert found == {n: "s" for n in EVIL.values()}
