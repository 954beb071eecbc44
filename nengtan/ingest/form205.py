"""Import of the monthly 能源购进、消费与库存 statement (form 205-1) that above-scale industrial
enterprises file, from XLSX.

Layout (the statistical form; the header may span two rows, merged cells are fine)::

    能源名称 | 计量单位 | 代码 | 期初库存量 | 购进量: 实物量, 金额（千元） |
    消费量: 合计, 工业生产消费, 其中：用作原料、材料 | 期末库存量 | 采用折标系数 | 参考折标系数

Columns are found by their header text, not their position. Enterprise (统一社会信用代码) and period
(报告期, e.g. ``2025年03月``) are read from the cells above the table unless given by the caller.

Rules:

* 用作原料、材料 (raw-material use) stays in the activity quantity — it is part of 综合能耗 (GB/T 2589-2020
  clause 4) — and is recorded beside it as the feedstock part, so the accounts can report 原料用能 as a
  separate deduction for the dual-control energy basis (发改环资〔2022〕803号: deducted in the base and
  the target year alike) and keep its carbon: feedstock carbon is reported, and where the enterprise
  says the feedstock is oxidised (``feedstock_oxidised``) it is a process emission by carbon balance
  (GB/T 32150-2015 clause 6.3.2) instead of a combustion emission.
* The conversion coefficient on the form (采用折标系数, tce per form unit) is compared with the factor
  library (GB/T 2589-2020 annex A via nengtan.factors); a difference above :data:`COEFF_TOLERANCE`
  is flagged on the statement line and as a quality flag, and the library value stays in use.
* Lines whose energy the library does not know (e.g. 洗精煤, 液化天然气, 其他能源) are stored as
  statement lines but not turned into activity; the import says so.
* Bad cells (text where a number belongs, a unit that does not fit the energy, raw-material use above
  total consumption) send the line to quarantine with the reason.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from nengtan.errors import InputError
from nengtan.factors.library import FactorError, load_factor_set
from nengtan.identifiers import IdentifierError, make_uscc, parse_period, validate_uscc
from nengtan.ingest import quarantine
from nengtan.ingest.validate import Reject
from nengtan.registry.store import Registry
from nengtan.registry.tables.monitoring import QualityFlag
from nengtan.registry.tables.park import Enterprise
from nengtan.registry.tables.records import Activity, ImportBatch, QuarantineRow, StatementLine
from nengtan.units import CANONICAL_UNIT, UnitError, canonical_factor, to_canonical

COEFF_TOLERANCE = 0.01
"""Relative difference between the form's and the library's coefficient above which a line is flagged."""

ENERGY_CARRIER: dict[str, str] = {
    "原煤": "coal", "煤炭": "coal", "烟煤": "coal", "无烟煤": "coal", "褐煤": "coal",
    "焦炭": "coke",
    "天然气": "natural_gas", "天然气（气态）": "natural_gas", "天然气(气态)": "natural_gas",
    "汽油": "gasoline", "柴油": "diesel", "燃料油": "fuel_oil", "煤油": "kerosene",
    "液化石油气": "lpg",
    "热力": "heat", "电力": "electricity", "蒸汽": "steam",
}
"""Form energy name → nengtan carrier (names the factor library covers)."""

TOTAL_NAMES = ("能源合计", "合计", "综合能源消费量")


class Form205Error(InputError):
    """A statement that cannot be imported as a whole (no table, no enterprise, unknown enterprise)."""


@dataclass
class Form205Result:
    batch_id: str
    uscc: str
    period: str
    lines: int
    activity: dict[str, float] = field(default_factory=dict)  # carrier -> canonical quantity (excl. raw)
    raw_material: dict[str, float] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quarantined: int = 0
    duplicate: bool = False


_COLUMNS = {
    "name": ("能源名称",),
    "unit": ("计量单位",),
    "code": ("代码",),
    "opening_stock": ("期初库存",),
    "purchase_quantity": ("购进", "实物量"),
    "purchase_amount": ("金额",),
    "consumption_total": ("消费量", "合计"),
    "industrial_use": ("工业生产消费",),
    "raw_material_use": ("原料",),
    "closing_stock": ("期末库存",),
    "coefficient": ("采用折标系数",),
}


def _text(v: object) -> str:
    return "" if v is None else re.sub(r"\s+", "", str(v))


def _matches(key: str, lab: str) -> bool:
    if key == "industrial_use":
        return "工业生产消费" in lab and "原料" not in lab
    if key == "purchase_quantity":
        return "购进" in lab and "金额" not in lab
    if key == "consumption_total":
        return "消费量" in lab and ("合计" in lab or not any(x in lab for x in ("工业", "原料", "非工业")))
    if key == "raw_material_use":
        return "原料" in lab
    if key == "coefficient":
        return "折标系数" in lab and "参考" not in lab
    return all(n in lab for n in _COLUMNS[key])


def _find_columns(rows: list[list[object]]) -> tuple[int, dict[str, int]]:
    """Header row index and field → column index. The header may span up to three rows; a group title
    in merged cells (购进量, 消费量) is carried to the columns under it."""
    for i, row in enumerate(rows):
        if not any("能源名称" in _text(c) for c in row):
            continue
        width = max(len(r) for r in rows[i:i + 3])
        labels, carry = [], ""
        for j in range(width):
            t = _text(row[j]) if j < len(row) else ""
            carry = t or carry
            labels.append(carry)
        for r in rows[i + 1:i + 3]:
            for j in range(width):
                labels[j] += "|" + (_text(r[j]) if j < len(r) else "")
        cols: dict[str, int] = {}
        for key in _COLUMNS:
            for j, lab in enumerate(labels):
                if j not in cols.values() and _matches(key, lab):
                    cols[key] = j
                    break
        missing = [k for k in ("name", "unit", "consumption_total") if k not in cols]
        if missing:
            raise Form205Error(f"205-1 table header lacks {', '.join(missing)} (row {i + 1})")
        return i, cols
    raise Form205Error("no 205-1 table found: no header cell '能源名称'")


def _number(v: object) -> float | None:
    if v is None or (isinstance(v, str) and v.strip() in ("", "-", "—")):
        return None
    if isinstance(v, bool):
        raise ValueError(f"{v!r} is not a number")
    if isinstance(v, int | float):
        return float(v)
    return float(str(v).replace(",", "").strip())


def _header_value(rows: list[list[object]], header_row: int, key: str) -> str | None:
    for row in rows[:header_row]:
        for j, c in enumerate(row):
            t = _text(c)
            if key in t:
                rest = re.split(r"[：:]", t, maxsplit=1)
                if len(rest) == 2 and rest[1]:
                    return rest[1]
                nxt = next((_text(x) for x in row[j + 1:] if _text(x)), "")
                return nxt or None
    return None


def _period(text: str) -> str:
    m = re.search(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})", text)
    if m is None:
        raise Form205Error(f"报告期 {text!r} is not a year and month (e.g. 2025年03月)")
    return str(parse_period(f"{m.group(1)}-{int(m.group(2)):02d}"))


def _parse_lines(rows: list[list[object]], header: int,
                 cols: dict[str, int]) -> tuple[list[dict[str, Any]], list[Reject]]:
    out: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    for i in range(header + 1, len(rows)):
        row = rows[i]

        def cell(key: str, row: list[object] = row) -> object:
            j = cols.get(key)
            return row[j] if j is not None and j < len(row) else None

        name = _text(cell("name"))
        if not name or name in ("甲",) or re.fullmatch(r"[甲乙丙丁0-9]+", name):
            continue
        if name.startswith(("单位负责人", "填表人", "统计负责人", "说明", "报出日期")):
            break
        if name in TOTAL_NAMES:
            continue
        line: dict[str, Any] = {"row": i + 1, "name": name, "unit": _text(cell("unit")),
                                "code": _text(cell("code"))}
        try:
            for key in ("opening_stock", "purchase_quantity", "purchase_amount", "consumption_total",
                        "industrial_use", "raw_material_use", "closing_stock", "coefficient"):
                try:
                    line[key] = _number(cell(key))
                except ValueError as exc:
                    raise ValueError(f"{key} {cell(key)!r} is not a number") from exc
            total, raw = line["consumption_total"] or 0.0, line["raw_material_use"] or 0.0
            if min(total, raw, line["industrial_use"] or 0.0) < 0:
                raise ValueError("negative consumption")
            if raw > total + 1e-9:
                raise ValueError(f"用作原料、材料 {raw} exceeds 消费量合计 {total}")
            carrier = ENERGY_CARRIER.get(name)
            line["carrier"] = carrier
            if carrier is not None:
                if not line["unit"]:
                    raise ValueError("计量单位 is empty")
                try:
                    canonical_factor(carrier, line["unit"])
                except UnitError as exc:
                    raise ValueError(str(exc)) from exc
        except ValueError as exc:
            rejects.append(Reject(i + 1, "", f"line {name!r}: {exc}", [str(c) for c in row]))
            continue
        out.append(line)
    return out, rejects


def import_form205(registry: Registry, path: str | Path, uscc: str | None = None, period: str | None = None,
                   factor_set: str = "cn", raw_dir: Path | None = None,
                   created_by: str = "cli", feedstock_oxidised: bool = False) -> Form205Result:
    """Import one 205-1 XLSX; returns what was stored and flagged (Form205Error for a whole-file mistake)."""
    path = Path(path)
    data = path.read_bytes()
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception as exc:
        raise Form205Error(f"{path.name} is not a readable XLSX file: {exc}") from exc
    ws = wb.worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header, cols = _find_columns(rows)
    uscc_text = uscc or _header_value(rows, header, "统一社会信用代码")
    if not uscc_text:
        raise Form205Error(f"{path.name}: no 统一社会信用代码 above the table; pass --enterprise <uscc>")
    try:
        uscc_n = validate_uscc(uscc_text)
    except IdentifierError as exc:
        raise Form205Error(f"{path.name}: {exc}") from exc
    period_text = period or _header_value(rows, header, "报告期")
    if not period_text:
        raise Form205Error(f"{path.name}: no 报告期 above the table; pass --period YYYY-MM")
    per = _period(period_text)
    lines, rejects = _parse_lines(rows, header, cols)
    sha = hashlib.sha256(data).hexdigest()
    batch_id = f"f205-{sha[:34]}"
    result = Form205Result(batch_id, uscc_n, per, len(lines))
    fs = load_factor_set(factor_set).for_year(int(per[:4]))
    with registry.session() as s:
        ent = s.scalar(select(Enterprise).where(Enterprise.uscc == uscc_n))
        if ent is None:
            raise Form205Error(f"{path.name}: enterprise {uscc_n} is not registered; import enterprises first")
        if s.get(ImportBatch, batch_id) is not None:
            result.duplicate = True
            return result
    if raw_dir is not None:
        raw_dir.mkdir(parents=True, exist_ok=True)
        (raw_dir / sha).write_bytes(data)
    for attempt in range(20):
        try:
            _store(registry, result, ent.id, lines, rejects, fs, path.name, sha, created_by, feedstock_oxidised)
            break
        except IntegrityError:
            if attempt == 19:
                raise
    return result


def _store(registry: Registry, result: Form205Result, ent_id: int, lines: list[dict[str, Any]],
           rejects: list[Reject], fs: Any, filename: str, sha: str, created_by: str,
           feedstock_oxidised: bool = False) -> None:
    result.activity, result.raw_material, result.flags, result.notes = {}, {}, [], []
    with registry.session() as s:
        seq = (s.scalar(select(func.max(ImportBatch.seq))) or 0) + 1
        s.add(ImportBatch(id=result.batch_id, seq=seq, kind="form205", filename=filename[:500], sha256=sha,
                          rows_total=len(lines) + len(rejects), rows_ok=len(lines), rows_duplicate=0,
                          rows_bad=len(rejects), created_by=created_by))
        s.flush()
        for r in rejects:
            s.add(QuarantineRow(batch_id=result.batch_id, kind="form205", file=filename[:500], row=r.index,
                                column=r.column, reason=r.reason, raw=quarantine.raw_text(r.raw)))
        result.quarantined = len(rejects)
        prev = s.scalar(select(func.max(StatementLine.version)).where(
            StatementLine.enterprise_id == ent_id, StatementLine.period == result.period)) or 0
        s.execute(update(StatementLine).where(StatementLine.enterprise_id == ent_id,
                                              StatementLine.period == result.period).values(active=False))
        s.execute(delete(QualityFlag).where(QualityFlag.enterprise_id == ent_id, QualityFlag.period == result.period,
                                            QualityFlag.rule == "coefficient"))
        for ln in lines:
            carrier = ln["carrier"]
            lib = flag = qty = None
            if carrier is not None:
                total = ln["consumption_total"] or 0.0
                raw = ln["raw_material_use"] or 0.0
                qty = to_canonical(carrier, total, ln["unit"])
                result.activity[carrier] = result.activity.get(carrier, 0.0) + qty
                if raw:
                    result.raw_material[carrier] = (result.raw_material.get(carrier, 0.0)
                                                    + to_canonical(carrier, raw, ln["unit"]))
                try:
                    factor = fs.tce(carrier)
                    lib = factor.value * canonical_factor(carrier, ln["unit"])
                except FactorError:
                    lib = None
                coeff = ln["coefficient"]
                if coeff is not None and lib:
                    diff = abs(coeff - lib) / lib
                    if diff > COEFF_TOLERANCE:
                        flag = (f"{ln['name']}: 采用折标系数 {coeff:g} tce/{ln['unit']} differs from the factor "
                                f"library's {lib:.6g} ({', '.join(factor.rows)}, {fs.name}) by {diff:.1%}; "
                                "the library value is used")
                        try:
                            eq = fs.tce_equivalent(carrier).value * canonical_factor(carrier, ln["unit"])
                            if abs(coeff - eq) / eq <= COEFF_TOLERANCE:
                                flag += " (the form's value is the 等价值 coefficient)"
                        except FactorError:
                            pass
                        result.flags.append(flag)
                        s.add(QualityFlag(enterprise_id=ent_id, period=result.period, rule="coefficient",
                                          value=coeff, detail=flag))
            else:
                result.notes.append(f"{ln['name']} ({ln['unit']}): not in the factor library; kept as a statement "
                                    "line, not counted in energy or emissions")
            s.add(StatementLine(
                enterprise_id=ent_id, period=result.period, energy_name=ln["name"][:64], energy_code=ln["code"][:8],
                carrier=carrier, unit=ln["unit"][:16], opening_stock=ln["opening_stock"],
                purchase_quantity=ln["purchase_quantity"], purchase_amount=ln["purchase_amount"],
                consumption_total=ln["consumption_total"], industrial_use=ln["industrial_use"],
                raw_material_use=ln["raw_material_use"], closing_stock=ln["closing_stock"],
                coefficient=ln["coefficient"], library_coefficient=lib, coefficient_flag=flag,
                energy_quantity=qty, version=prev + 1, active=True, batch_id=result.batch_id))
        for carrier, qty in result.activity.items():
            feed = result.raw_material.get(carrier, 0.0)
            old = s.scalars(select(Activity).where(Activity.enterprise_id == ent_id, Activity.period == result.period,
                                                   Activity.carrier == carrier)).all()
            active = [a for a in old if a.active]
            if active and all(abs(a.quantity - qty) <= 1e-9 * max(1.0, abs(qty))
                              and abs(a.feedstock_quantity - feed) <= 1e-9 * max(1.0, abs(feed))
                              and a.feedstock_oxidised == feedstock_oxidised for a in active):
                continue
            for a in active:
                a.active = False
            raw_sum = sum(ln["consumption_total"] or 0.0 for ln in lines if ln["carrier"] == carrier)
            units = {ln["unit"] for ln in lines if ln["carrier"] == carrier}
            s.add(Activity(enterprise_id=ent_id, period=result.period, carrier=carrier, quantity=qty,
                           feedstock_quantity=feed, feedstock_oxidised=feedstock_oxidised and feed > 0,
                           unit=CANONICAL_UNIT[carrier], quantity_raw=raw_sum if len(units) == 1 else qty,
                           unit_raw=(units.pop() if len(units) == 1 else CANONICAL_UNIT[carrier])[:16],
                           version=max((a.version for a in old), default=0) + 1, active=True,
                           reason=f"205-1 statement {filename}" + (" (revised)" if old else ""),
                           batch_id=result.batch_id))


# -- sample ---------------------------------------------------------------------------------------

SAMPLE_LINES: list[tuple[str, str, str, float, float, float, float, float, float, float, float]] = [
    # name, unit, code, opening, purchase qty, amount (千元), total, industrial, raw material, closing, coefficient
    ("原煤", "吨", "01", 1200, 3000, 2850, 3100, 3100, 0, 1100, 0.7143),
    ("天然气", "万立方米", "15", 0, 85.2, 2930, 85.2, 85.2, 32.0, 0, 12.143),
    ("柴油", "吨", "22", 12.5, 20, 170, 18.4, 18.4, 0, 14.1, 1.4571),
    ("电力", "万千瓦时", "33", 0, 612.4, 3980, 612.4, 612.4, 0, 0, 1.229),
    ("热力", "百万千焦", "32", 0, 15400, 770, 15400, 15400, 0, 0, 0.03412),
    ("洗精煤", "吨", "02", 0, 150, 210, 150, 150, 150, 0, 0.9),
]


def write_sample(path: str | Path, uscc: str | None = None, period: str = "2025-03",
                 name: str = "盐城示范化工有限公司") -> Path:
    """Write a filled-in 205-1 form (the layout this importer reads) to `path`."""
    uscc = uscc or make_uscc("320900", 1)
    y, m = period.split("-")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "205-1"
    ws["A1"] = "能源购进、消费与库存"
    ws.merge_cells("A1:L1")
    ws["J2"] = "表    号：205-1表"
    ws["A3"] = f"统一社会信用代码：{uscc}"
    ws["F3"] = f"单位详细名称：{name}"
    ws["A4"] = f"报告期：{y}年{int(m):02d}月"
    ws["J4"] = "计量单位：见各行"
    head1 = ["能源名称", "计量单位", "代码", "期初库存量", "购进量", None, "消费量", None, None,
             "期末库存量", "采用折标系数", "参考折标系数"]
    head2 = [None, None, None, None, "实物量", "金额（千元）", "合计", "工业生产消费", "其中：用作原料、材料",
             None, None, None]
    for j, v in enumerate(head1, start=1):
        ws.cell(6, j, v)
    for j, v in enumerate(head2, start=1):
        ws.cell(7, j, v)
    ws.merge_cells("E6:F6")
    ws.merge_cells("G6:I6")
    for col in "ABCDJKL":
        ws.merge_cells(f"{col}6:{col}7")
    for j, v in enumerate(["甲", "乙", "丙", "1", "2", "3", "4", "5", "6", "7", "8", "9"], start=1):
        ws.cell(8, j, v)
    for i, line in enumerate(SAMPLE_LINES, start=9):
        for j, cell_value in enumerate(line, start=1):
            ws.cell(i, j, cell_value)
    ws.cell(9 + len(SAMPLE_LINES) + 1, 1,
            f"单位负责人：张三    统计负责人：李四    填表人：王五    报出日期：{period}-28")
    for col, width in zip("ABCDEFGHIJKL", (14, 10, 6, 11, 10, 12, 10, 13, 18, 11, 13, 13), strict=True):
        ws.column_dimensions[col].width = width
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
