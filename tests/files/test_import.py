"""Importing interchange files: good rows land, bad rows are quarantined with file/row/column/reason,
nothing stored changes silently, and importing the corrected rows later completes the data."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from nengtan.config import Paths
from nengtan.engine.ledgers import inventory
from nengtan.ingest.files import ImportFileError, import_file, quarantine
from nengtan.lake import Lake
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import EconomicData, Enterprise, Meter
from nengtan.registry.tables.records import Activity
from nengtan.registry.tables.verification import YearLock

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
A, B, C = "91320115000001230J", "91320115000002129Y", "91320115000003121D"


def _write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def loaded(registry: Registry, home: Paths) -> tuple[Registry, Paths]:
    for kind in ("enterprises", "meters", "activity", "economic", "readings"):
        res = import_file(registry, home, kind, EXAMPLES / f"{kind}.csv")
        assert res.rows_bad == 0, [i.reason for i in res.issues]
    return registry, home


def test_documented_examples_import_and_add_up(loaded: tuple[Registry, Paths]) -> None:
    reg, home = loaded
    inv = inventory(reg, Lake(home.lake), 2025, month=1)
    el = inv.by_carrier["electricity"]
    # statements: 85.6 万kWh + 1 250 MWh = 856 000 + 1 250 000 kWh
    # meters (enterprise A files no electricity statement, so its main meters count; B's and C's
    # statements take precedence over any meter of theirs):
    #   X1-M interval 412.5 + 409.1 + 398.7 = 1 220.3 kWh (X1-S1 is its sub meter: never added)
    #   X2-M counter 523 150.0 → 523 388.5 → 523.62 MWh: 238.5 + 231.5 = 470 kWh
    assert el["quantity"] == pytest.approx(856_000 + 1_250_000 + 1_220.3 + 470.0)
    # diesel: 3.5 t + 1 200 L × 0.84 t/m3 = 3.5 + 1.008 t
    assert inv.by_carrier["diesel"]["quantity"] == pytest.approx(4.508)
    # natural gas: 1.2 万m3 + 98 000 m3 = 110 000 m3 → 110 000 × 0.0021650 tCO2/m3
    assert inv.by_carrier["natural_gas"]["scope1_t"] == pytest.approx(110_000 * 389.31 * 0.0153 * 0.99 * 44 / 12
                                                                     / 10_000)
    assert inv.value_added == pytest.approx(1742.5 + 904.0 + 2081.0)  # constant prices, all reported


BAD_ACTIVITY = f"""uscc,period,carrier,quantity,unit
{A},2025-02,electricity,12.5,万kWh
{A},2025-02,natural_gas,abc,m3
{A},2025-02,water,5,t
{A},2025-03,diesel,-3,t
{A},2025-13,diesel,3,t
{A},2025-03,diesel,3,furlong
{A},2025-03,electricity,5,m3
{A},2025-02,electricity,12.5,万kWh
91350100M000100Y44,2025-02,diesel,1,t
91350100M000100Y43,2025-02,diesel,1,t
{A},2099-01,diesel,1,t
"""


def test_bad_activity_rows_are_each_reported_and_quarantined(loaded: tuple[Registry, Paths],
                                                             tmp_path: Path) -> None:
    reg, home = loaded
    res = import_file(reg, home, "activity", _write(tmp_path, "bad.csv", BAD_ACTIVITY))
    assert (res.rows_total, res.rows_ok, res.rows_bad) == (11, 1, 10)
    lines = [i.line("bad.csv") for i in res.issues]
    assert lines == [
        "bad.csv:3: column quantity: 'abc' is not a number",
        "bad.csv:4: column carrier: unknown carrier 'water' (one of electricity, green_electricity, pv, "
        "natural_gas, diesel, gasoline, fuel_oil, kerosene, lpg, coal, coke, heat, steam)",
        "bad.csv:5: column quantity: -3 is negative",
        "bad.csv:6: column period: period '2025-13' has month 13, expected 01-12",
        "bad.csv:7: column unit: unknown unit 'furlong' "
        "(known: kWh, MWh, 万kWh, m3, 万m3, t, kg, L, GJ, MJ, tce, kgce)",
        "bad.csv:8: column unit: unit 'm3' does not fit electricity (expected something convertible to kWh)",
        "bad.csv:9: column quantity: duplicate of row 2 (same enterprise, period and carrier)",
        "bad.csv:10: column uscc: USCC '91350100M000100Y44' has check digit '4', GB 32100-2015 gives '3'",
        "bad.csv:11: column uscc: enterprise 91350100M000100Y43 is not registered (import it in an enterprises "
        "file first)",
        lines[9],
    ]
    assert lines[9].startswith("bad.csv:12: column period: period '2099-01' is outside")
    stored = quarantine(reg)
    assert len(stored) == 10 and {q.file for q in stored} == {"bad.csv"}
    # the corrected row lands later and resolves its quarantined twin
    fixed = _write(tmp_path, "fixed.csv", f"uscc,period,carrier,quantity,unit\n{A},2025-02,natural_gas,1800,m3\n")
    assert import_file(reg, home, "activity", fixed).rows_ok == 1
    assert len(quarantine(reg)) == 9
    assert [q.row for q in quarantine(reg, open_only=False) if q.resolved_batch_id] == [3]


def test_stored_values_never_change_silently_and_corrections_are_versions(loaded: tuple[Registry, Paths],
                                                                         tmp_path: Path) -> None:
    reg, home = loaded
    f = _write(tmp_path, "again.csv", f"uscc,period,carrier,quantity,unit\n{A},2025-01,diesel,3.5,t\n")
    res = import_file(reg, home, "activity", f)
    assert (res.rows_ok, res.rows_duplicate, res.rows_bad) == (0, 1, 0)
    changed = _write(tmp_path, "changed.csv", f"uscc,period,carrier,quantity,unit\n{A},2025-01,diesel,4.0,t\n")
    res = import_file(reg, home, "activity", changed)
    assert res.rows_bad == 1 and "differs from the stored 3.5 t" in res.issues[0].reason
    res = import_file(reg, home, "activity", changed, correction="fuel card statement corrected")
    assert res.rows_ok == 1
    with reg.session() as s:
        rows = s.execute(select(Activity.quantity, Activity.version, Activity.active, Activity.reason)
                         .join(Enterprise).where(Enterprise.uscc == A, Activity.carrier == "diesel")
                         .order_by(Activity.version)).all()
    assert rows == [(3.5, 1, False, None), (4.0, 2, True, "fuel card statement corrected")]


def test_a_verified_year_is_locked_until_re_versioned(loaded: tuple[Registry, Paths], tmp_path: Path) -> None:
    reg, home = loaded
    with reg.session() as s:
        eid = s.execute(select(Enterprise.id).where(Enterprise.uscc == B)).scalar_one()
        s.add(YearLock(enterprise_id=eid, year=2025, locked_by="verifier-1"))
    f = _write(tmp_path, "late.csv", f"uscc,period,carrier,quantity,unit\n{B},2025-02,heat,100,GJ\n")
    res = import_file(reg, home, "activity", f)
    assert res.rows_bad == 1 and "signed off by a verifier" in res.issues[0].reason
    res = import_file(reg, home, "activity", f, correction="late heat invoice, verifier informed")
    assert res.rows_ok == 1


def test_enterprises_meters_economic_and_readings_bad_rows(loaded: tuple[Registry, Paths], tmp_path: Path) -> None:
    reg, home = loaded
    ent = import_file(reg, home, "enterprises", _write(tmp_path, "e.csv", (
        "uscc,name,sector_code,province\n"
        f"{A},南京示例汽车零部件有限公司,367,江苏\n"       # identical: duplicate, unchanged
        f"{A},改名公司,367,江苏\n"                         # same enterprise twice in one file
        "91320115000004128B,无名,9999,江苏\n"            # bad check digit (A is right)
        f"{C},新名字,266,火星\n")))                       # differs from stored + unknown province
    assert ent.rows_duplicate == 1 and ent.rows_bad == 3
    assert [i.column for i in ent.issues] == ["uscc", "uscc", "province"]
    met = import_file(reg, home, "meters", _write(tmp_path, "m.csv", (
        "meter_id,uscc,carrier,unit,kind,role,parent_meter_id\n"
        f"Y1,{A},electricity,m3,interval,main,\n"
        f"Y2,{A},electricity,kWh,sometimes,main,\n"
        f"Y3,{B},electricity,kWh,interval,sub,X1-M\n")))  # parent belongs to another enterprise
    assert met.rows_ok == 0 and [i.column for i in met.issues] == ["unit", "kind", "parent_meter_id"]
    eco = import_file(reg, home, "economic", _write(tmp_path, "x.csv", (
        "uscc,period,value_added,gross_output\n"
        f"{A},2025-02,-5,100\n{A},2025-02,,100\n")))
    assert [i.column for i in eco.issues] == ["value_added", "period"]
    rd = import_file(reg, home, "readings", _write(tmp_path, "r.csv", (
        "meter_id,ts,value,unit\n"
        "X1-M,2025-02-01 00:00,10,kWh\n"
        "NOPE,2025-02-01 00:00,10,kWh\n"
        "X1-M,yesterday,10,kWh\n"
        "X1-M,2025-02-01 00:15,ten,kWh\n"
        "X1-M,2025-02-01 00:30,-1,kWh\n"
        "X1-M,2025-02-01 00:45,1,m3\n"
        "X1-M,2100-01-01 00:00,1,kWh\n"
        "X1-M,1970-01-01 00:00,1,kWh\n"
        "X1-M,2025-02-01 00:00,11,kWh\n")))
    assert rd.rows_ok == 1
    assert sorted((i.row, i.column) for i in rd.issues) == [
        (3, "meter_id"), (4, "ts"), (5, "value"), (6, "value"), (7, "unit"), (8, "ts"), (9, "ts"), (10, "ts")]
    reasons = {i.row: i.reason for i in rd.issues}
    assert "in the future" in reasons[8] and "before 2000" in reasons[9] and "duplicate" in reasons[10]
    with reg.session() as s:
        assert s.execute(select(func.count()).select_from(Meter)).scalar() == 3
        assert s.execute(select(func.count()).select_from(EconomicData)).scalar() == 3


@pytest.mark.parametrize(("content", "message"), [
    (b"", "the file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not CSV or XLSX"),
    (b"PK\x03\x04garbage", "not a readable XLSX workbook"),
    (b"uscc,name\n1,2\n", "needs the columns uscc,name,sector_code,province; missing sector_code,province"),
])
def test_whole_file_errors_are_one_clear_line(registry: Registry, home: Paths, tmp_path: Path, content: bytes,
                                              message: str) -> None:
    p = tmp_path / "f.csv"
    p.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        import_file(registry, home, "enterprises", p)


def test_xlsx_with_the_same_columns_imports(registry: Registry, home: Paths, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["uscc", "name", "sector_code", "province"])
    ws.append([A, "表格导入公司", 367, "江苏"])
    wb.save(tmp_path / "e.xlsx")
    res = import_file(registry, home, "enterprises", tmp_path / "e.xlsx")
    assert res.rows_ok == 1
    with registry.session() as s:
        assert s.execute(select(Enterprise.sector_code)).scalar_one() == "367"
