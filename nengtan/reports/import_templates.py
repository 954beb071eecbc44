"""Templates of the import files (issue 15): one XLSX per kind, its header in Chinese as enterprises write it (the
importers read those headers back, nengtan.ingest.tables.HEADER_ALIASES), an example row, and a sheet that says what
each column is, whether it is required, and its English name."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from nengtan.ingest.tables import OPTIONAL, REQUIRED, chinese_header
from nengtan.reports.words import zh

KINDS = tuple(REQUIRED)
EXAMPLES: dict[str, dict[str, str]] = {
    "enterprises": {
        "uscc": "91320115000001230J",
        "name": zh("Example: Nanjing Example Auto Parts Co., Ltd."),
        "sector_code": "367",
        "province": zh("Example: Jiangsu"),
        "key_energy_unit": "0",
        "key_emission_unit": "0",
        "lon": "118.84",
        "lat": "31.91",
        "entered_on": "2018-03-01",
    },
    "meters": {
        "meter_id": "E001-M",
        "uscc": "91320115000001230J",
        "carrier": zh("Example: electricity"),
        "unit": "kWh",
        "kind": "interval",
        "role": "main",
        "interval_s": "900",
        "installed_on": "2024-01-01",
    },
    "activity": {
        "uscc": "91320115000001230J",
        "period": "2025-01",
        "carrier": zh("Example: natural gas"),
        "quantity": "1.2",
        "unit": zh("Example: 10⁴ m3"),
    },
    "economic": {
        "uscc": "91320115000001230J",
        "period": "2025-01",
        "value_added": "1850.5",
        "gross_output": "7420",
        "value_added_constant": "1742.5",
    },
    "readings": {"meter_id": "E001-M", "ts": "2025-01-01T00:15:00+08:00", "value": "12.5", "unit": "kWh"},
}
NOTES: dict[str, str] = {
    "uscc": zh("18-character unified social credit code"),
    "name": zh("Full name of the enterprise"),
    "sector_code": zh("GB/T 4754-2017 sector code (2–4 digits)"),
    "province": zh("Province (e.g. Jiangsu)"),
    "park": zh("Park code (a registered park)"),
    "key_energy_unit": zh("Key energy-using unit 1/0"),
    "key_emission_unit": zh("Key emitter 1/0"),
    "lon": zh("Longitude"),
    "lat": zh("Latitude"),
    "entered_on": zh("Entry date YYYY-MM-DD"),
    "left_on": zh("Exit date YYYY-MM-DD"),
    "meter_id": zh("Meter number (unique in the park)"),
    "carrier": zh("Carrier: electricity, natural gas, diesel, gasoline, heat, steam, PV, green electricity …"),
    "unit": zh("Unit: kWh, 10⁴ kWh, m3, 10⁴ m3, t, GJ …"),
    "kind": zh("interval (quantity per interval) or counter (cumulative register)"),
    "role": zh("main (main meter) or sub (sub-meter)"),
    "parent_meter_id": zh("Parent meter number (sub-meters)"),
    "interval_s": zh("Sampling interval (seconds)"),
    "rollover": zh("Counter full scale"),
    "installed_on": zh("Installed YYYY-MM-DD"),
    "period": zh("Statistical period YYYY-MM"),
    "quantity": zh("Quantity consumed"),
    "feedstock_quantity": zh("Of which used as raw material"),
    "feedstock_oxidised": zh("Raw material oxidised 1/0"),
    "value_added": zh("Industrial value added (10⁴ yuan, current prices)"),
    "gross_output": zh("Gross industrial output (10⁴ yuan, current prices)"),
    "value_added_constant": zh("Industrial value added (10⁴ yuan, comparable prices)"),
    "ts": zh("Reading time (with time zone, the end of the interval)"),
    "value": zh("Reading"),
    "quality": zh("Data quality (may be empty)"),
}
KIND_NAMES = {
    "enterprises": zh("Enterprise register"),
    "meters": zh("Meters"),
    "activity": zh("Monthly energy consumption"),
    "economic": zh("Monthly economic data"),
    "readings": zh("Meter readings"),
}


def write_template(kind: str, path: Path) -> Path:
    """The import template of ``kind`` (``enterprises``, ``meters``, ``activity``, ``economic``, ``readings``)."""
    if kind not in REQUIRED:
        raise KeyError(kind)
    columns = [*REQUIRED[kind], *OPTIONAL[kind]]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = zh("Data")
    ws.append([chinese_header(c) for c in columns])
    ws.append([EXAMPLES[kind].get(c, "") for c in columns])
    bold, required = Font(bold=True), PatternFill("solid", fgColor="FFE2EFDA")
    for i, c in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = bold
        if c in REQUIRED[kind]:
            cell.fill = required
        ws.column_dimensions[cell.column_letter].width = max(12, 2 * len(str(cell.value)) + 4)
    ws.freeze_panes = "A2"
    notes = wb.create_sheet(zh("Notes"))
    notes.append([zh("{name} ({kind}) import template: row 1 holds the column headers (Chinese or English), row 2 an "
                     "example; replace it and upload.", name=KIND_NAMES[kind], kind=kind)])
    notes.append([zh("Column header"), zh("English column header"), zh("Required"), zh("Notes")])
    for c in columns:
        notes.append([chinese_header(c), c, zh("Yes") if c in REQUIRED[kind] else zh("No"), NOTES.get(c, "")])
    for col, width in zip("ABCD", (18, 22, 8, 60), strict=True):
        notes.column_dimensions[col].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
