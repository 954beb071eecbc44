"""Files as a Chinese enterprise or park writes them: Chinese column headers
(统一社会信用代码, 企业名称, 统计期, 能源品种, 数量, 单位 …) and Chinese carrier names
(电力, 天然气, 柴油, 热力, 蒸汽 …), in CSV and XLSX, land like the English ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from nengtan.config import Paths
from nengtan.ingest.files import import_file
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import EconomicData, Enterprise
from nengtan.registry.tables.records import Activity

CODES = {"csv": "91320115000001230J", "xlsx": "91320115000002129Y"}  # one enterprise per run (a shared registry)


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)  # type: ignore[union-attr]
    wb.save(path)
    return path


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_chinese_headers_and_carriers(registry: Registry, home: Paths, tmp_path: Path, fmt: str) -> None:
    A = CODES[fmt]
    ents = [["统一社会信用代码", "企业名称", "行业代码", "省份"], [A, "南京示例汽车零部件有限公司", "367", "江苏"]]
    act = [["统一社会信用代码", "统计期", "能源品种", "数量", "单位"],
           [A, "2025-01", "电力", "120000", "kWh"], [A, "2025-01", "天然气", "1.2", "万m3"],
           [A, "2025-01", "柴油", "3.5", "t"], [A, "2025-01", "热力", "80", "GJ"], [A, "2025-01", "蒸汽", "40", "t"],
           [A, "2025-01", "煤气", "1", "m3"]]
    eco = [["统一社会信用代码", "统计期", "工业增加值", "工业总产值"], [A, "2025-01", "1850.5", "7420"]]

    def write(name: str, rows: list[list[str]]) -> Path:
        if fmt == "xlsx":
            return _xlsx(tmp_path / f"{name}.xlsx", rows)  # type: ignore[arg-type]
        path = tmp_path / f"{name}.csv"
        path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8-sig")  # as Excel saves it
        return path

    assert import_file(registry, home, "enterprises", write("企业", ents)).rows_ok == 1
    res = import_file(registry, home, "activity", write("能源", act))
    assert res.rows_ok == 5 and res.rows_bad == 1
    assert res.issues[0].column == "carrier" and "煤气" in res.issues[0].reason
    assert import_file(registry, home, "economic", write("经济", eco)).rows_ok == 1
    with registry.session() as s:
        eid = s.execute(select(Enterprise.id).where(Enterprise.uscc == A)).scalar_one()
        got = dict(s.execute(select(Activity.carrier, Activity.quantity).where(Activity.enterprise_id == eid)).all())
        va = s.execute(select(EconomicData.value_added).where(EconomicData.enterprise_id == eid)).scalar_one()
    assert got == {"electricity": 120000.0, "natural_gas": 12000.0, "diesel": 3.5, "heat": 80.0, "steam": 40.0}
    assert va == 1850.5


def test_every_template_reads_back(tmp_path: Path) -> None:
    """Each kind's template, as downloaded, holds an example row the importer takes (its enterprise and meter
    registered first, as a park would do), into a new home."""
    from openpyxl import load_workbook

    home = Paths(tmp_path / "home")
    registry = Registry.open(f"sqlite:///{home.sqlite}")

    from nengtan.ingest.tables import OPTIONAL, REQUIRED, read_table
    from nengtan.reports.import_templates import KINDS, write_template

    assert set(KINDS) == {"enterprises", "meters", "activity", "economic", "readings"}
    results = {}
    for kind in ("enterprises", "meters", "activity", "economic", "readings"):
        path = write_template(kind, tmp_path / f"{kind}.xlsx")
        header, rows = read_table(path)
        assert header == [*REQUIRED[kind], *OPTIONAL[kind]] and len(rows) == 1  # Chinese headers read back
        assert load_workbook(path)["数据"].cell(1, 1).value in ("统一社会信用代码", "表计编号")
        results[kind] = import_file(registry, home, kind, path)
    registry.close()
    assert {k: (r.rows_ok, r.rows_bad) for k, r in results.items()} == {k: (1, 0) for k in results}, \
        {k: [i.reason for i in r.issues] for k, r in results.items()}
