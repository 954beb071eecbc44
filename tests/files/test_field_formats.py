"""Fields read whole and unambiguously, on every import kind (issue 9, items 4-8).

One table of number spellings runs through every kind that takes a number — activity, economic,
readings files, bulk loads and gateway batches — and must be read the same way everywhere: accepted
with the same value, or quarantined with a reason that says why. Periods, coordinates, dates, repeated
columns, megabyte fields and blank lines are checked the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import openpyxl
import pytest
from sqlalchemy import select

from nengtan.config import Paths
from nengtan.ingest.bulk import load_file
from nengtan.ingest.fields import FieldError, parse_number
from nengtan.ingest.files import ImportFileError, import_file
from nengtan.ingest.validate import Catalog, Validator
from nengtan.lake import Lake
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import EconomicData, Enterprise
from nengtan.registry.tables.records import Activity, QuarantineRow

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
A = "91320115000001230J"
ACCEPTED = [("1234", 1234.0), ("12.5", 12.5), (".5", 0.5), ("1.2e3", 1200.0), ("1,234", 1234.0),
            ("1,234,567.5", 1234567.5), (" 7 ", 7.0)]
REFUSED = [("12,34", "ambiguous"), ("1,2,3,4", "ambiguous"), ("1.234,5", "ambiguous"), ("1,5", "ambiguous"),
           ("18,50", "ambiguous"), ("１２", "full-width"), ("abc", "is not a number"),
           ("12 kWh", "is not a number"), ("1_000", "is not a number"), ("nan", "is not a number"),
           ("inf", "is not a number")]


@pytest.mark.parametrize(("text", "value"), ACCEPTED)
def test_numbers_read(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(("text", "why"), REFUSED)
def test_numbers_refused(text: str, why: str) -> None:
    with pytest.raises(FieldError, match=why):
        parse_number(text)


@pytest.fixture
def park(registry: Registry, home: Paths) -> tuple[Registry, Paths]:
    for kind in ("enterprises", "meters"):
        assert import_file(registry, home, kind, EXAMPLES / f"{kind}.csv").rows_bad == 0
    return registry, home


def _reasons(reg: Registry, batch: str) -> list[tuple[int, str]]:
    with reg.session() as s:
        return [(q.row, q.reason) for q in s.scalars(select(QuarantineRow).where(QuarantineRow.batch_id == batch)
                                                       .order_by(QuarantineRow.row))]


def test_the_same_number_rules_on_every_kind(park: tuple[Registry, Paths], tmp_path: Path) -> None:
    reg, home = park
    cases = ACCEPTED + [(t, None) for t, _ in REFUSED]
    months = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2023-{m:02d}" for m in range(1, 13)]
    assert len(cases) <= len(months)
    # activity quantity and economic value added: one row per case, each in its own month
    act = tmp_path / "activity.csv"
    act.write_text("uscc,period,carrier,quantity,unit\n" + "".join(
        f'{A},{months[i]},coal,"{t}",t\n' for i, (t, _) in enumerate(cases)), encoding="utf-8")
    eco = tmp_path / "economic.csv"
    eco.write_text("uscc,period,value_added,gross_output\n" + "".join(
        f'{A},{months[i]},"{t}",1\n' for i, (t, _) in enumerate(cases)), encoding="utf-8")
    ra = import_file(reg, home, "activity", act)
    re_ = import_file(reg, home, "economic", eco)
    with reg.session() as s:
        eid = s.execute(select(Enterprise.id).where(Enterprise.uscc == A)).scalar_one()
        qty = {a.period: a.quantity for a in s.scalars(select(Activity).where(Activity.enterprise_id == eid))}
        va = {e.period: e.value_added for e in s.scalars(select(EconomicData).where(EconomicData.enterprise_id == eid))}
    # readings: one interval each (X1-M has a 15-minute grid), as a file, a bulk load and a gateway batch
    times = [f"2024-06-01T{i // 4:02d}:{i % 4 * 15:02d}:00+08:00" for i in range(len(cases))]
    rd = tmp_path / "readings.csv"
    rd.write_text("meter_id,ts,value,unit\n" + "".join(
        f'X1-M,{times[i]},"{t}",kWh\n' for i, (t, _) in enumerate(cases)), encoding="utf-8")
    rr = import_file(reg, home, "readings", rd)
    bk = tmp_path / "bulk.csv"
    bk.write_text("meter,ts,value,unit\n" + "".join(
        f'X1-S1,{times[i]},"{t}",kWh\n' for i, (t, _) in enumerate(cases)), encoding="utf-8")
    bulk_lake = Lake(tmp_path / "bulk-lake")
    rb = load_file(reg, bulk_lake, bk)
    live = Validator(Catalog.load(reg)).validate(
        [{"meter": "X1-M", "ts": times[i], "value": t, "unit": "kWh"} for i, (t, _) in enumerate(cases)])
    files = Lake(home.lake).files()
    stored = dict(duckdb.sql(f"SELECT strftime(ts AT TIME ZONE 'Asia/Shanghai', '%H:%M'), value FROM "
                             f"read_parquet({files!r}) WHERE meter_id = 'X1-M'").fetchall())
    bulk_stored = dict(duckdb.sql(f"SELECT strftime(ts AT TIME ZONE 'Asia/Shanghai', '%H:%M'), value FROM "
                                  f"read_parquet({bulk_lake.files()!r})").fetchall())
    live_values = dict(zip(live.origin, live.value, strict=True))
    for i, (text, value) in enumerate(cases):
        hhmm = times[i][11:16]
        got = [qty.get(months[i]), va.get(months[i]), stored.get(hhmm), bulk_stored.get(hhmm), live_values.get(i)]
        assert got == [value] * 5, (text, got)
    n_bad = len(REFUSED)
    assert (ra.rows_bad, re_.rows_bad, rr.rows_bad, rb.rejected, len(live.rejects)) == (n_bad,) * 5
    for text, why in REFUSED:  # every path says the same thing about the same spelling
        line = 2 + [t for t, _ in cases].index(text)
        msgs = [r for n, r in _reasons(reg, ra.batch_id) if n == line] + \
               [r for n, r in _reasons(reg, rr.batch_id) if n == line] + \
               [r for n, r in _reasons(reg, str(rb.quarantine_batch)) if n == line] + \
               [r.reason for r in live.rejects if r.index == line - 2]
        assert len(msgs) == 4 and all(why in m for m in msgs), (text, msgs)


def test_periods_coordinates_and_dates_are_read_whole(park: tuple[Registry, Paths], tmp_path: Path) -> None:
    reg, home = park
    act = tmp_path / "a.csv"
    act.write_text("uscc,period,carrier,quantity,unit\n"
                   f"{A},2025-02 garbage,coal,1,t\n{A},2025-13,coal,1,t\n{A},2025/03,coal,1,t\n"
                   f"{A},2025-04-01 00:00:00,coal,1,t\n{A},2025-05-01x,coal,1,t\n", encoding="utf-8")
    res = import_file(reg, home, "activity", act)
    assert res.rows_ok == 2
    reasons = dict(_reasons(reg, res.batch_id))
    assert "'2025-02 garbage' is not of the form YYYY-MM" in reasons[2] and "has month 13" in reasons[3]
    assert "is not of the form YYYY-MM" in reasons[6]
    ent = tmp_path / "e.csv"
    ent.write_text("uscc,name,sector_code,province,lon,lat,entered_on\n"
                   "91320115000000043A,甲,2614,江苏,999,31,\n913201150000000515,乙,2614,江苏,118.8,-123,\n"
                   "9132011500000006XW,丙,2614,江苏,118.8,31.9,2024-01-01T08:00:00\n"
                   "91320115000000078W,丁,2614,江苏,118.8,31.9,2024-01-01\n", encoding="utf-8")
    res = import_file(reg, home, "enterprises", ent)
    reasons = dict(_reasons(reg, res.batch_id))
    assert res.rows_ok == 1 and "999 is outside -180 … 180" in reasons[2] and "-123 is outside -90 … 90" in reasons[3]
    assert "is not a date" in reasons[4]
    met = tmp_path / "m.csv"
    met.write_text("meter_id,uscc,carrier,unit,kind,installed_on\n"
                   f"Z1,{A},electricity,kWh,interval,2024-13-01\nZ2,{A},electricity,kWh,interval,2024-02-01\n"
                   f"X1-M,{A},natural_gas,m3,interval,\n", encoding="utf-8")
    res = import_file(reg, home, "meters", met)  # a bad date is one quarantined row, not a traceback
    reasons = dict(_reasons(reg, res.batch_id))
    assert res.rows_ok == 1 and "'2024-13-01' is not a date" in reasons[2]
    assert "differs from the registered meter (enterprise_id" not in reasons[4]
    assert "carrier 'electricity'→'natural_gas'" in reasons[4] and "correction" in reasons[4]


def test_repeated_columns_refuse_the_file(park: tuple[Registry, Paths], tmp_path: Path) -> None:
    reg, home = park
    csv = tmp_path / "dup.csv"
    csv.write_text(f"uscc,period,carrier,quantity,unit,quantity\n{A},2025-02,coal,1,t,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match=r"column 'quantity' appears twice \(columns 4 and 6\)"):
        import_file(reg, home, "activity", csv)
    rd = tmp_path / "dup-readings.csv"
    rd.write_text("meter_id,ts,value,unit,value\nX1-M,2025-01-01 00:00,1,kWh,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="column 'value' appears twice"):
        import_file(reg, home, "readings", rd)
    wb = openpyxl.Workbook()
    wb.active.append(["uscc", "period", "carrier", "quantity", "unit", "Unit"])
    wb.active.append([A, "2025-02", "coal", 1, "t", "kg"])
    xl = tmp_path / "dup.xlsx"
    wb.save(xl)
    with pytest.raises(ImportFileError, match="column 'unit' appears twice"):
        import_file(reg, home, "activity", xl)


def test_huge_fields_and_blank_lines(park: tuple[Registry, Paths], tmp_path: Path) -> None:
    reg, home = park
    big = "甲" * 1_000_000
    ent = tmp_path / "e.csv"
    ent.write_text("uscc,name,sector_code,province\n\n"  # a blank line 2: the rows are on lines 3 and 5
                   f"91320115000000043A,{big},2614,江苏\n\n913201150000000515,乙,2614,江苏\n", encoding="utf-8")
    res = import_file(reg, home, "enterprises", ent)
    assert (res.rows_ok, res.rows_bad) == (1, 1)
    (row, reason), = _reasons(reg, res.batch_id)
    assert row == 3 and "is 1,000,000 characters long (at most 2,000)" in reason and len(reason) < 300
    rd = tmp_path / "r.csv"
    rd.write_text("meter_id,ts,value,unit\nX1-M,2025-01-01 00:00,1,kWh\n\n"
                  f"{'M' * 1_000_000},2025-01-01 00:00,1,kWh\nX1-M,2025-01-01 00:15,x,kWh\n", encoding="utf-8")
    res = import_file(reg, home, "readings", rd)
    assert res.rows_ok == 1
    reasons = _reasons(reg, res.batch_id)
    assert [n for n, _ in reasons] == [4, 5] and all(len(r) < 300 for _, r in reasons)
    with reg.session() as s:
        raws = [q.raw for q in s.scalars(select(QuarantineRow).where(QuarantineRow.batch_id == res.batch_id))]
    assert all(len(json.dumps(r)) < 10_000 for r in raws)


def test_workbooks_that_expand_hugely_are_refused_before_parsing(park: tuple[Registry, Paths], tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A small .xlsx whose sheet or shared strings expand to gigabytes is refused from its zip directory;
    one with too many rows at the row limit (lowered here to 10 000 to keep the test short)."""
    import time
    import zipfile

    from nengtan.ingest import tables

    reg, home = park
    wb = openpyxl.Workbook()
    wb.active.append(["uscc", "period", "carrier", "quantity", "unit"])
    wb.active.append([A, "2025-02", "coal", 1, "t"])
    good = tmp_path / "good.xlsx"
    wb.save(good)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # one 300 MB cell: compresses ~1000:1
                head, _, tail = data.partition(b"</sheetData>")
                data = (head + b'<row r="3"><c r="A3" t="inlineStr"><is><t>' + b"A" * 300_000_000
                        + b"</t></is></c></row></sheetData>" + tail)
            dst.writestr(item, data)
    assert bomb.stat().st_size < 2_000_000
    t0 = time.monotonic()
    with pytest.raises(ImportFileError, match=r"expands to more than 256 MiB|possible zip bomb"):
        import_file(reg, home, "activity", bomb)
    assert time.monotonic() - t0 < 5
    rows = tmp_path / "rows.xlsx"  # many small rows: refused at the row limit, not run for minutes
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(rows, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, _, tail = data.partition(b"</sheetData>")
                many = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i)
                                for i in range(3, 10_010))
                data = head + many + b"</sheetData>" + tail
            dst.writestr(item, data)
    monkeypatch.setattr(tables, "XLSX_MAX_ROWS", 10_000)
    with pytest.raises(ImportFileError, match="more than 10,000 rows; split the workbook or send CSV"):
        import_file(reg, home, "activity", rows)
