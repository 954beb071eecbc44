"""Time-of-use electricity tariffs (分时电价), pure.

A tariff table is dated data: lines "in months M, park-time hours [a, b) are in band B at price P yuan/kWh", in force
from ``valid_from`` until a later table of the same schedule. Where lines overlap (a summer 尖峰 hour inside a
year-round 高峰 or 平段 line) the line naming fewer months wins, so a table can state the year-round bands and then
the seasonal exceptions; every month's 24 hours must be covered, and two equally specific lines may not claim the
same hour. Jiangsu's industrial table (nengtan/energycost/data/jiangsu_tou.csv) has its periods from the province's
2023 notice and example prices (see docs/energycost.md: the month's agency purchase price table replaces them).

Cost of a month = Σ over its hours of kWh(h) × price(band of h) — the 电度电费 of the time-of-use bill, without the
capacity charge, surcharges and funds.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from nengtan.errors import InputError
from nengtan.i18n import names

BANDS = ("sharp", "peak", "flat", "valley")
BAND_ZH = names("tariff_bands")
COLUMNS = ("schedule", "valid_from", "months", "start_hour", "end_hour", "band", "price", "source")
DEFAULT_TABLE = Path(__file__).parent / "data" / "jiangsu_tou.csv"
DEFAULT_SCHEDULE = "jiangsu-industrial-1-10kV"
_EPOCH = dt.date(1970, 1, 1)


@dataclass(frozen=True)
class Line:
    schedule: str
    valid_from: dt.date
    months: frozenset[int]
    start_hour: int
    end_hour: int
    band: str
    price: float  # yuan/kWh
    source: str


def parse_months(text: str) -> frozenset[int]:
    """``1-12``, ``7,8`` or ``12,1-2`` as a set of month numbers; anything else is refused."""
    out: set[int] = set()
    for part in str(text).replace("，", ",").split(","):
        part = part.strip()
        a, _, b = part.partition("-")
        if not (a.isdigit() and (not b or b.isdigit())):
            raise InputError(f"months {text!r}: write month numbers as 1-12 or 7,8")
        lo, hi = int(a), int(b or a)
        if not 1 <= lo <= hi <= 12:
            raise InputError(f"months {text!r}: months run from 1 to 12")
        out.update(range(lo, hi + 1))
    return frozenset(out)


def months_text(months: frozenset[int]) -> str:
    return ",".join(str(m) for m in sorted(months))


def read_table(path: Path) -> list[Line]:
    """The lines of a tariff CSV (COLUMNS); a bad line is refused naming the file, line and column."""
    lines: list[Line] = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path.name}: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")
        for no, row in enumerate(reader, start=2):
            where = f"{path.name}:{no}"
            try:
                line = Line(row["schedule"].strip(), dt.date.fromisoformat(row["valid_from"].strip()),
                            parse_months(row["months"]), int(row["start_hour"]), int(row["end_hour"]),
                            row["band"].strip(), float(row["price"]), (row["source"] or "").strip())
            except (ValueError, InputError) as exc:
                raise InputError(f"{where}: {exc}") from None
            if line.band not in BANDS:
                raise InputError(f"{where}: band {line.band!r} is not one of {', '.join(BANDS)}")
            if not 0 <= line.start_hour < line.end_hour <= 24:
                raise InputError(f"{where}: hours {line.start_hour}-{line.end_hour}: need 0 <= start < end <= 24")
            if not line.price > 0 or not line.schedule or not line.source:
                raise InputError(f"{where}: a line needs a schedule, a price above 0 and its source")
            lines.append(line)
    if not lines:
        raise InputError(f"{path.name}: no tariff lines")
    check(lines)
    return lines


@dataclass(frozen=True)
class Grid:
    """One table in force: the band index (into BANDS) and price of every (month, hour), 12 × 24."""

    schedule: str
    valid_from: dt.date
    band: np.ndarray
    price: np.ndarray


def grids(lines: list[Line]) -> list[Grid]:
    """Each (schedule, valid_from) table as a Grid, oldest first; a gap or a tie is refused (:func:`check`)."""
    out = []
    for (schedule, valid_from), group in _tables(lines).items():
        band = np.full((12, 24), -1, dtype=np.int8)
        price = np.zeros((12, 24))
        span = np.full((12, 24), 13, dtype=np.int8)  # months the winning line names
        for ln in sorted(group, key=lambda x: -len(x.months)):
            for m in sorted(ln.months):
                for h in range(ln.start_hour, ln.end_hour):
                    if span[m - 1, h] == len(ln.months):
                        raise InputError(f"tariff {schedule} from {valid_from}: month {m} hour {h} is claimed by two "
                                         f"lines naming {len(ln.months)} months each")
                    band[m - 1, h], price[m - 1, h], span[m - 1, h] = BANDS.index(ln.band), ln.price, len(ln.months)
        gaps = np.argwhere(band < 0)
        if len(gaps):
            m, h = gaps[0]
            raise InputError(f"tariff {schedule} from {valid_from}: month {m + 1} hour {h} has no line "
                             f"({len(gaps)} hours uncovered)")
        out.append(Grid(schedule, valid_from, band, price))
    return sorted(out, key=lambda g: (g.schedule, g.valid_from))


def check(lines: list[Line]) -> None:
    """Refuse a table with a gap or two equally specific lines on one hour (one line naming both)."""
    grids(lines)


def _tables(lines: list[Line]) -> dict[tuple[str, dt.date], list[Line]]:
    out: dict[tuple[str, dt.date], list[Line]] = {}
    for ln in lines:
        out.setdefault((ln.schedule, ln.valid_from), []).append(ln)
    return out


def hour_bands(hours: np.ndarray, schedule: list[Grid]) -> tuple[np.ndarray, np.ndarray]:
    """The band index and price of each park-time hour (hours since 1970-01-01 00:00 park time), from the table in
    force on its day; an hour before the first table is refused."""
    hours = np.asarray(hours, dtype=np.int64)
    days = hours // 24
    starts = np.array([(g.valid_from - _EPOCH).days for g in schedule], dtype=np.int64)
    which = np.searchsorted(starts, days, side="right") - 1
    if len(hours) and which.min() < 0:
        first = _EPOCH + dt.timedelta(days=int(days[which < 0].min()))
        raise InputError(f"tariff {schedule[0].schedule} starts {schedule[0].valid_from}; no table for {first}")
    months = pd.DatetimeIndex(days.astype("datetime64[D]")).month.to_numpy() - 1
    hod = hours % 24
    band = np.empty(len(hours), dtype=np.int8)
    price = np.empty(len(hours))
    for i, g in enumerate(schedule):
        sel = which == i
        band[sel], price[sel] = g.band[months[sel], hod[sel]], g.price[months[sel], hod[sel]]
    return band, price


def monthly_cost(hourly: pd.DataFrame, schedule: list[Grid]) -> pd.DataFrame:
    """Per park-time month of ``hourly`` (``hour``, ``kwh``): kWh and yuan per band, total kWh and yuan and the
    average price (yuan/kWh). Columns ``month`` (YYYY-MM), ``kwh_<band>``, ``yuan_<band>``, ``kwh``, ``yuan``."""
    band, price = hour_bands(hourly["hour"].to_numpy(), schedule)
    kwh = hourly["kwh"].to_numpy(dtype=float)
    frame = pd.DataFrame({"month": pd.DatetimeIndex((hourly["hour"].to_numpy() // 24).astype("datetime64[D]"))
                          .strftime("%Y-%m"), "band": band, "kwh": kwh, "yuan": kwh * price})
    out = frame.groupby("month").agg(kwh=("kwh", "sum"), yuan=("yuan", "sum"))
    per = frame.groupby(["month", "band"])[["kwh", "yuan"]].sum().unstack("band", fill_value=0.0)
    for i, b in enumerate(BANDS):
        for col in ("kwh", "yuan"):
            out[f"{col}_{b}"] = per[(col, i)] if (col, i) in per.columns else 0.0
    out["avg_price"] = np.where(out["kwh"] > 0, out["yuan"] / out["kwh"].where(out["kwh"] > 0, 1.0), np.nan)
    return out.reset_index()
