"""Templates of the import files (issue 15): one XLSX per kind, its header in Chinese as enterprises write it (the
importers read those headers back, nengtan.ingest.tables.HEADER_ALIASES), an example row, and a sheet that says what
each column is, whether it is required, and its English name."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from nengtan.ingest.tables import OPTIONAL, REQUIRED, chinese_header

KINDS = tuple(REQUIRED)
EXAMPLES: dict[str, dict[str, str]] = {
    "enterprises": {"uscc": "91320115000001230J", "name": "南京示例汽车零部件有限公司", "sector_code": "367",
                    "province": "江苏", "key_energy_unit": "0", "key_emission_unit": "0", "lon": "118.84",
                    "lat": "31.91", "entered_on": "2018-03-01"},
    "meters": {"meter_id": "E001-M", "uscc": "91320115000001230J", "carrier": "电力", "unit": "kWh",
               "kind": "interval", "role": "main", "interval_s": "900", "installed_on": "2024-01-01"},
    "activity": {"uscc": "91320115000001230J", "period": "2025-01", "carrier": "天然气", "quantity": "1.2",
                 "unit": "万m3"},
    "economic": {"uscc": "91320115000001230J", "period": "2025-01", "value_added": "1850.5",
                 "gross_output": "7420", "value_added_constant": "1742.5"},
    "readings": {"meter_id": "E001-M", "ts": "2025-01-01T00:15:00+08:00", "value": "12.5", "unit": "kWh"},
}
NOTES: dict[str, str] = {
    "uscc": "18位统一社会信用代码", "name": "企业全称", "sector_code": "GB/T 4754-2017 行业代码（2–4位数字）",
    "province": "省份（如 江苏）", "park": "所属园区代码（已登记的园区）", "key_energy_unit": "重点用能单位 1/0",
    "key_emission_unit": "重点排放单位 1/0", "lon": "经度", "lat": "纬度", "entered_on": "入园日期 YYYY-MM-DD",
    "left_on": "迁出日期 YYYY-MM-DD", "meter_id": "表计编号（园区内唯一）",
    "carrier": "能源品种：电力、天然气、柴油、汽油、热力、蒸汽、光伏、绿电 …",
    "unit": "计量单位：kWh、万kWh、m3、万m3、t、GJ …", "kind": "interval（区间量）或 counter（累计读数）",
    "role": "main（总表）或 sub（分表）", "parent_meter_id": "上级表计编号（分表）", "interval_s": "采集间隔（秒）",
    "rollover": "累计表满量程", "installed_on": "安装日期 YYYY-MM-DD", "period": "统计期 YYYY-MM",
    "quantity": "实物消费量", "feedstock_quantity": "其中作原料用的量", "feedstock_oxidised": "原料是否氧化 1/0",
    "value_added": "工业增加值（万元，现价）", "gross_output": "工业总产值（万元，现价）",
    "value_added_constant": "工业增加值（万元，可比价）", "ts": "采集时间（带时区，区间结束时刻）",
    "value": "读数", "quality": "数据质量（可空）",
}
KIND_NAMES = {"enterprises": "企业名录", "meters": "计量器具", "activity": "月度能源消费", "economic": "月度经济数据",
              "readings": "表计读数"}


def write_template(kind: str, path: Path) -> Path:
    """The import template of ``kind`` (``enterprises``, ``meters``, ``activity``, ``economic``, ``readings``)."""
    if kind not in REQUIRED:
        raise KeyError(kind)
    columns = [*REQUIRED[kind], *OPTIONAL[kind]]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "数据"
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
    notes = wb.create_sheet("说明")
    notes.append([f"{KIND_NAMES[kind]}（{kind}）导入模板：第1行为列名（中文或英文均可），第2行为示例，请替换后上传。"])
    notes.append(["列名", "英文列名", "必填", "说明"])
    for c in columns:
        notes.append([chinese_header(c), c, "是" if c in REQUIRED[kind] else "否", NOTES.get(c, "")])
    for col, width in zip("ABCD", (18, 22, 8, 60), strict=True):
        notes.column_dimensions[col].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
