"""Reading interchange files as tables: CSV (UTF-8 or GB18030, any common delimiter), XLSX (first
sheet) and, for readings, Parquet. The column contract per kind is in docs/formats.md."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from nengtan.errors import InputError
from nengtan.ingest.fields import for_record
from nengtan.labels import CARRIERS as CARRIER_LABELS

REQUIRED: dict[str, tuple[str, ...]] = {
    "enterprises": ("uscc", "name", "sector_code", "province"),
    "meters": ("meter_id", "uscc", "carrier", "unit", "kind"),
    "activity": ("uscc", "period", "carrier", "quantity", "unit"),
    "economic": ("uscc", "period", "value_added", "gross_output"),
    "readings": ("meter_id", "ts", "value", "unit"),
}
OPTIONAL: dict[str, tuple[str, ...]] = {
    "enterprises": ("key_energy_unit", "key_emission_unit", "lon", "lat", "entered_on", "left_on"),
    "meters": ("role", "parent_meter_id", "interval_s", "rollover", "installed_on"),
    "activity": ("feedstock_quantity", "feedstock_oxidised"),
    "economic": ("value_added_constant",),
    "readings": ("quality",),
}
EARLIEST_YEAR = 2000
LINE = "\x00line"
"""Key under which read_table gives each row the line it starts on in the file (as an editor counts)."""
csv.field_size_limit(1 << 26)  # read long fields whole, so the row is refused with its reason, not the file


class ImportFileError(InputError):
    """The file as a whole cannot be read (not CSV/XLSX, empty, missing columns)."""


@dataclass
class RowIssue:
    row: int
    column: str
    reason: str
    raw: dict[str, str]
    key: str = ""

    def __post_init__(self) -> None:
        self.raw = for_record({k: v for k, v in self.raw.items() if k != LINE})
        self.key = self.key[:200]
        if len(self.reason) > 600:  # a safety net: messages quote at most a few dozen characters of a field
            self.reason = self.reason[:600] + "…"

    def line(self, file: str) -> str:
        return f"{file}:{self.row}: column {self.column}: {self.reason}"

    def line_zh(self, file: str) -> str:
        """:meth:`line` in Chinese: the column by its Chinese header, the reason from nengtan.reasons."""
        from nengtan.reasons import in_chinese

        return f"{file}:{self.row}：{chinese_header(self.column)}列：{in_chinese(self.reason) or self.reason}"


@dataclass
class ImportResult:
    kind: str
    file: str
    batch_id: str
    rows_total: int = 0
    rows_ok: int = 0
    rows_duplicate: int = 0
    rows_revised: int = 0  # stored rows a correction replaced (kept on record)
    issues: list[RowIssue] = field(default_factory=list)
    lake_version: int | None = None

    @property
    def rows_bad(self) -> int:
        return len(self.issues)

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "file": self.file, "batch_id": self.batch_id, "rows_total": self.rows_total,
                "rows_ok": self.rows_ok, "rows_duplicate": self.rows_duplicate, "rows_bad": self.rows_bad,
                "rows_revised": self.rows_revised,
                "issues": [{"row": i.row, "column": i.column, "reason": i.reason} for i in self.issues]}


def _decode(data: bytes, name: str) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(f"{name}: not a text CSV (neither UTF-8 nor GB18030) and not an XLSX workbook")


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return repr(v)
    return str(v).strip()


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (all strings) of a CSV or the first sheet of an XLSX workbook."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read ({exc.strerror})") from exc
    if not data.strip():
        raise ImportFileError(f"{name}: the file is empty")
    if data[:4] == b"PK\x03\x04":
        import openpyxl

        check_workbook_size(data, name)
        try:
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise ImportFileError(f"{name}: not a readable XLSX workbook ({exc.__class__.__name__})") from exc
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # read every row there is, not only those the sheet's <dimension> claims
        it = ws.iter_rows(values_only=True, max_col=XLSX_MAX_COLUMNS)
        header_row = next(it, None)
        if header_row is None:
            raise ImportFileError(f"{name}: the first sheet is empty")
        header = [canonical_header(_cell(h)) for h in header_row]
        check_header(header, name)
        rows = []
        for n, r in enumerate(it, start=2):
            if n > XLSX_MAX_ROWS + 1:
                raise ImportFileError(f"{name}: more than {XLSX_MAX_ROWS:,} rows; split the workbook or send CSV")
            if any(v not in (None, "") for v in r):
                rows.append(_carrier_named({LINE: str(n), **{h: _cell(v) for h, v in zip(header, r, strict=False)
                                                             if h}}))
        return [h for h in header if h], rows
    if b"\x00" in data[:4096]:
        raise ImportFileError(f"{name}: a binary file, not CSV or XLSX")
    text = _decode(data, name)
    reader = csv.reader(io.StringIO(text), _dialect(text))
    header_raw = next(reader, None)
    if not header_raw:
        raise ImportFileError(f"{name}: no header line")
    header = [canonical_header(h) for h in header_raw]
    check_header(header, name)
    rows = []
    line = reader.line_num + 1  # where the next record starts
    try:
        for r in reader:
            if any(c.strip() for c in r):
                fields = {h: (r[i].strip() if i < len(r) else "") for i, h in enumerate(header)}
                rows.append(_carrier_named({LINE: str(line), **fields}))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(f"{name}:{line}: cannot be read as CSV ({exc})") from None
    return header, rows


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect of a file (comma, semicolon or tab separated), from its first 4 KiB."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _delimiter(header_line: str) -> str:
    return str(_dialect(header_line).delimiter)


HEADER_ALIASES: dict[str, str] = {
    "统一社会信用代码": "uscc", "社会信用代码": "uscc", "信用代码": "uscc", "企业名称": "name", "单位名称": "name",
    "行业代码": "sector_code", "所属行业代码": "sector_code", "国民经济行业代码": "sector_code", "省份": "province",
    "所在省份": "province", "园区": "park", "所属园区": "park", "园区代码": "park", "经度": "lon", "纬度": "lat",
    "重点用能单位": "key_energy_unit", "重点排放单位": "key_emission_unit", "入园日期": "entered_on",
    "迁出日期": "left_on", "统计期": "period", "统计期间": "period", "期间": "period", "月份": "period",
    "能源品种": "carrier", "能源种类": "carrier", "品种": "carrier", "数量": "quantity", "消费量": "quantity",
    "实物量": "quantity", "单位": "unit", "计量单位": "unit", "原料用量": "feedstock_quantity",
    "原料用能量": "feedstock_quantity", "原料是否氧化": "feedstock_oxidised", "工业增加值": "value_added",
    "增加值": "value_added", "工业总产值": "gross_output", "总产值": "gross_output",
    "可比价工业增加值": "value_added_constant", "可比价增加值": "value_added_constant", "表计编号": "meter_id",
    "计量器具编号": "meter_id", "电表编号": "meter_id", "表计类型": "kind", "类型": "kind", "用途": "role",
    "上级表计": "parent_meter_id", "采集间隔": "interval_s", "采集间隔秒": "interval_s", "满量程": "rollover",
    "安装日期": "installed_on", "时间": "ts", "采集时间": "ts", "读数": "value", "数值": "value",
    "质量": "quality", "数据质量": "quality",
}
"""Chinese column headers the importers accept beside the English ones (docs/formats.md)."""
CARRIER_ALIASES: dict[str, str] = {
    **{zh: key for key, (zh, _) in CARRIER_LABELS.items()},
    "电力": "electricity", "电": "electricity", "用电": "electricity", "网购电力": "electricity",
    "绿电": "green_electricity", "绿色电力": "green_electricity", "光伏": "pv", "光伏发电": "pv",
    "自发自用光伏": "pv", "煤": "coal", "煤炭": "coal", "热力": "heat", "热": "heat", "蒸汽": "steam",
}
"""Chinese carrier names (nengtan.labels and the usual short forms) the importers accept beside the keys."""


def chinese_header(column: str) -> str:
    """The first Chinese header the importers read as ``column`` (the column's own name if none)."""
    return next((zh for zh, col in HEADER_ALIASES.items() if col == column), column)


def canonical_header(name: str) -> str:
    """A column header as the importers name it: lower case, stripped, a Chinese header translated."""
    h = name.strip().lstrip("\ufeff").strip()
    return HEADER_ALIASES.get(h, h.lower())


def _carrier_named(row: dict[str, str]) -> dict[str, str]:
    c = row.get("carrier")
    if c is not None and c.strip() in CARRIER_ALIASES:
        row["carrier"] = CARRIER_ALIASES[c.strip()]
    return row


def _carriers_named(table: pa.Table) -> pa.Table:
    """A chunk's Chinese carrier names as the carriers' keys."""
    if "carrier" not in table.column_names:
        return table
    col = table.column("carrier")
    if not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
        return table
    coded = col.combine_chunks().dictionary_encode()  # a chunk holds few distinct names: translate those only
    names = coded.dictionary.to_pylist()
    named = [CARRIER_ALIASES.get(v.strip(), v) if v is not None else None for v in names]
    if named == names:
        return table
    translated = pa.DictionaryArray.from_arrays(coded.indices, pa.array(named, col.type)).cast(col.type)
    return table.set_column(table.column_names.index("carrier"), "carrier", translated)


def check_header(header: list[str], name: str) -> None:
    """A column named twice is refused: which of the two is meant cannot be guessed."""
    seen: dict[str, int] = {}
    for i, h in enumerate(header, start=1):
        if not h:
            continue
        if h in seen:
            raise ImportFileError(f"{name}: column {h!r} appears twice (columns {seen[h]} and {i}); "
                                  "keep one of them")
        seen[h] = i


XLSX_MAX_BYTES = 256 * 1024 * 1024
"""The most an XLSX workbook may expand to (all its parts, uncompressed) before it is parsed."""
XLSX_MAX_RATIO = 200
"""A part compressed more than this (zip bombs reach 1000:1; real sheets stay well under 100:1) is refused."""
XLSX_MAX_ROWS = 1_000_000
XLSX_MAX_COLUMNS = 200


def check_workbook_size(data: bytes, name: str) -> None:
    """Refuse a workbook that would expand beyond the limits, from its zip directory alone (nothing is
    decompressed to find out)."""
    import zipfile

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportFileError(f"{name}: not a readable XLSX workbook (damaged zip)") from None
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if total > XLSX_MAX_BYTES:
            raise ImportFileError(f"{name}: expands to more than {XLSX_MAX_BYTES // 2**20} MiB; "
                                  "split the workbook or send CSV")
        ratio = info.file_size / info.compress_size if info.compress_size else 0.0
        if info.file_size > 1_000_000 and ratio > XLSX_MAX_RATIO:
            raise ImportFileError(f"{name}: part {info.filename} is compressed {ratio:.0f}:1, more than a "
                                  "spreadsheet ever is; refused as a possible zip bomb")


def check_columns(kind: str, header: list[str], name: str) -> None:
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        raise ImportFileError(
            f"{name}: a {kind} file needs the columns {','.join(REQUIRED[kind])}; missing {','.join(missing)} "
            f"(found {','.join(header) or 'none'})")


CHUNK_ROWS = 250_000
"""Rows a large CSV or Parquet file is read and checked in at a time (memory stays bounded)."""


def whole_table(path: Path) -> pa.Table:
    """A readings or activity file as one Arrow table (see :func:`table_chunks`)."""
    _, chunks = table_chunks(path)
    try:
        return pa.concat_tables(list(chunks))
    except ImportFileError:  # a line Arrow's reader refused past its first block: the csv module's turn
        return _rows_table(*read_table(path))


def table_chunks(path: Path, chunk_rows: int | None = None) -> tuple[list[str], Iterator[pa.Table]]:
    """The lower-cased column names of a CSV, XLSX or Parquet file and its rows as Arrow tables of
    text (Parquet: as typed) of at most `chunk_rows` rows: Parquet and clean comma-separated UTF-8 CSV
    streamed, anything else (XLSX, semicolons or tabs, GB18030, blank lines, quoted line breaks) read
    whole by :func:`read_table`, its line numbers in column ``_line``."""
    import pyarrow.csv as pacsv

    chunk_rows = chunk_rows or CHUNK_ROWS
    import pyarrow.parquet as pq

    name = path.name
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
            first = head + fh.readline()
    except OSError as exc:
        raise ImportFileError(f"{path}: cannot read ({exc.strerror})") from exc
    if head == b"PAR1":
        try:
            pf = pq.ParquetFile(path)
        except pa.ArrowException as exc:
            raise ImportFileError(f"{name}: not a readable Parquet file ({exc})") from exc
        names = [canonical_header(n) for n in pf.schema_arrow.names]
        return names, (_carriers_named(pa.Table.from_batches([b]).rename_columns(names))
                       for b in pf.iter_batches(batch_size=chunk_rows))
    if head[:4] == b"PK\x03\x04" or not head or _needs_csv_module(path) or _delimiter(_decode(first, name)) != ",":
        return _whole(path)
    raw = [c.strip() for c in _decode(first, name).strip().split(",")]
    names = [canonical_header(c) for c in raw]
    check_header(names, name)
    try:
        reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=4 << 20),
                                convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in raw},
                                                                     strings_can_be_null=True, null_values=[""]))
        first_batch = reader.read_next_batch()
    except (pa.ArrowException, StopIteration):
        return _whole(path)
    return names, _csv_chunks(path, reader, first_batch, names, chunk_rows)


def _whole(path: Path) -> tuple[list[str], Iterator[pa.Table]]:
    header, rows = read_table(path)
    return header, iter([_rows_table(header, rows)])


def _csv_chunks(path: Path, reader: Any, first: pa.RecordBatch, names: list[str],
                chunk_rows: int) -> Iterator[pa.Table]:
    """Tables of exactly `chunk_rows` rows (the last one fewer) from Arrow's streaming CSV reader."""
    pending = pa.Table.from_batches([first])
    while True:
        while pending.num_rows >= chunk_rows:
            yield _carriers_named(pending.slice(0, chunk_rows).rename_columns(names))
            pending = pending.slice(chunk_rows)
        try:
            b = reader.read_next_batch()
        except StopIteration:
            break
        except pa.ArrowException as exc:  # a malformed line past the first block
            raise ImportFileError(f"{path.name}: cannot be read as CSV ({exc}); fix the line or send it "
                                  "as XLSX") from None
        pending = pa.concat_tables([pending, pa.Table.from_batches([b])])
    if pending.num_rows:
        yield _carriers_named(pending.rename_columns(names))


def _needs_csv_module(path: Path) -> bool:
    """Does the file hold an empty line or a quoted field (which may span lines)? Those files are read by
    the csv module, which numbers lines as an editor does. (Read in blocks: a file of any size costs one
    block of memory.)"""
    prev = b""
    with path.open("rb") as fh:
        if fh.read(1) == b"\n":
            return True
        fh.seek(0)
        while block := fh.read(1 << 22):
            data = prev + block
            if b"\n\n" in data or b"\n\r\n" in data or b'"' in block:
                return True
            prev = data[-2:]
    return False


def _rows_table(header: list[str], rows: list[dict[str, str]]) -> pa.Table:
    """Rows of read_table as an Arrow table, the line numbers in column ``_line``."""
    cols = {h: pa.array([r.get(h, "") for r in rows], pa.string()) for h in header}
    cols["_line"] = pa.array([int(r[LINE]) for r in rows], pa.int64())
    return pa.table(cols)
