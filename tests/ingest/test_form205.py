"""205-1 能源购进、消费与库存 import against the real PostgreSQL registry."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from nengtan.identifiers import make_uscc
from nengtan.ingest.form205 import Form205Error, import_form205, write_sample
from nengtan.registry.tables.monitoring import QualityFlag
from nengtan.registry.tables.park import Enterprise
from nengtan.registry.tables.records import Activity, QuarantineRow, StatementLine
from tests.ingest.conftest import make_park

pytestmark = [pytest.mark.postgres]


def test_sample_form_import(registry, tmp_path):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=1, gateways=False)
    uscc = park.enterprises[0]
    path = write_sample(tmp_path / "f.xlsx", uscc=uscc, period="2025-03")
    res = import_form205(registry, path)
    assert (res.uscc, res.period, res.lines, res.quarantined) == (uscc, "2025-03", 6, 0)
    # raw-material use (用作原料、材料) stays in the quantity (综合能耗) and is recorded as its feedstock part
    assert res.activity["natural_gas"] == pytest.approx(85.2 * 1e4)
    assert res.raw_material == {"natural_gas": pytest.approx(32.0 * 1e4)}
    assert res.activity["electricity"] == pytest.approx(612.4e4)
    assert res.activity["heat"] == pytest.approx(15400.0)
    assert res.activity["coal"] == pytest.approx(3100.0)
    # 12.143 tce/万m3 is the library's gas-field gas (1.2143 kgce/m3, GB/T 2589-2020 A.1): nothing to flag
    assert res.flags == []
    assert any("洗精煤" in n for n in res.notes)
    with registry.session() as s:
        ent = s.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
        acts = {a.carrier: a for a in s.scalars(select(Activity).where(Activity.enterprise_id == ent.id))}
        lines = s.scalars(select(StatementLine).where(StatementLine.enterprise_id == ent.id)).all()
    assert set(acts) == {"coal", "natural_gas", "diesel", "electricity", "heat"}
    assert acts["natural_gas"].quantity == pytest.approx(852000.0) and acts["natural_gas"].unit == "m3"
    assert acts["natural_gas"].feedstock_quantity == pytest.approx(320000.0)
    assert acts["natural_gas"].feedstock_oxidised is False
    assert acts["coal"].feedstock_quantity == 0.0
    assert acts["natural_gas"].quantity_raw == pytest.approx(85.2) and acts["natural_gas"].unit_raw == "万立方米"
    gas = next(ln for ln in lines if ln.energy_name == "天然气")
    assert gas.raw_material_use == 32.0 and gas.coefficient == 12.143
    assert gas.library_coefficient == pytest.approx(12.143) and not gas.coefficient_flag
    # the same file again is recognised
    assert import_form205(registry, path).duplicate


def test_a_coefficient_unlike_the_library_is_flagged_and_not_used(registry, tmp_path):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=1, gateways=False)
    uscc = park.enterprises[0]
    path = write_sample(tmp_path / "f.xlsx", uscc=uscc, period="2025-05")
    wb = load_workbook(path)
    wb.active["K10"] = 13.3  # the form uses oilfield gas (1.3300 kgce/m3) for the natural-gas line
    wb.save(path)
    res = import_form205(registry, path, feedstock_oxidised=True)
    # (13.3 − 12.143) / 12.143 = 9.5 % above the library's gas-field gas
    assert len(res.flags) == 1 and "天然气" in res.flags[0] and "9.5%" in res.flags[0]
    with registry.session() as s:
        ent = s.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
        flags = s.scalars(select(QualityFlag).where(QualityFlag.enterprise_id == ent.id)).all()
        gas = s.scalar(select(Activity).where(Activity.enterprise_id == ent.id, Activity.carrier == "natural_gas"))
    assert [f.rule for f in flags] == ["coefficient"]
    assert gas.feedstock_oxidised is True and gas.feedstock_quantity == pytest.approx(320000.0)


def test_bad_lines_are_quarantined_and_whole_file_errors_are_clear(registry, tmp_path):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=1, gateways=False)
    uscc = park.enterprises[0]
    path = write_sample(tmp_path / "f.xlsx", uscc=uscc, period="2025-04")
    wb = load_workbook(path)
    ws = wb.active
    ws["G9"] = "三千"  # coal consumption as text
    ws["I11"] = 99  # diesel raw-material use above its total
    ws["B12"] = "m3"  # electricity in m3
    wb.save(path)
    res = import_form205(registry, path)
    assert res.lines == 3 and res.quarantined == 3
    assert set(res.activity) == {"natural_gas", "heat"}
    with registry.session() as s:
        q = select(QuarantineRow).where(QuarantineRow.batch_id == res.batch_id)
        reasons = sorted(r.reason for r in s.scalars(q))
    assert len(reasons) == 3
    assert "'三千' is not a number" in reasons[0] or any("'三千' is not a number" in r for r in reasons)
    assert any("exceeds 消费量合计 18.4" in r for r in reasons)
    assert any("does not fit electricity" in r for r in reasons)
    other = write_sample(tmp_path / "g.xlsx", uscc="91320900MA1XXXXX0X", period="2025-04")
    with pytest.raises(Form205Error, match="USCC"):
        import_form205(registry, other)
    with pytest.raises(Form205Error, match="not registered"):
        import_form205(registry, write_sample(tmp_path / "h.xlsx", uscc=make_uscc("110000", 424242)))
