"""The accounting scan reads each lake file the cheapest exact way; every way gives the same totals — on DuckDB and
on Spark (local mode), the back-ends the configuration chooses between (NENGTAN_ENGINE)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from nengtan.config import Paths
from nengtan.engine.ledgers import inventory
from nengtan.lake import Lake
from nengtan.lake.scan import configured_scan
from nengtan.registry.ops import ensure_park, new_batch, seed_sectors
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import Enterprise, Meter

USCC = "91320115000001230J"


@pytest.fixture(params=["duckdb", "spark"], autouse=True)
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NENGTAN_ENGINE", request.param)
    return str(request.param)


def _setup(reg: Registry) -> None:
    with reg.session() as s:
        seed_sectors(s)
        park = ensure_park(s)
        new_batch(s, "test", "setup", "0" * 64)
        e = Enterprise(park_id=park.id, uscc=USCC, name="测试", sector_code="367", province="jiangsu")
        s.add(e)
        s.flush()
        s.add_all([Meter(code="I", enterprise_id=e.id, carrier="electricity", unit="kWh", kind="interval"),
                   Meter(code="C", enterprise_id=e.id, carrier="electricity", unit="kWh", kind="counter",
                         rollover=1000.0, installed_on=dt.date(2024, 1, 1))])


def _readings(meter: str, values: np.ndarray, start: str = "2025-01-31T00:00", quality: str = "ok") -> pa.Table:
    # local Asia/Shanghai times, stored as UTC (−8 h); hourly steps cross from January into February
    local = np.datetime64(start) + np.arange(len(values)) * np.timedelta64(60, "m")
    ts = (local - np.timedelta64(8, "h")).astype("datetime64[us]")
    n = len(values)
    return pa.table({"meter_id": [meter] * n, "ts": pa.array(ts, pa.timestamp("us", tz="UTC")),
                     "value": values.astype(float), "unit": ["kWh"] * n, "quality": [quality] * n})


# 48 hours: 24 on 31 January, 24 on 1 February (local)
INTERVAL = np.arange(48, dtype=float) + 1.0                        # Jan Σ 1..24 = 300, Feb Σ 25..48 = 876
COUNTER = np.concatenate([np.arange(990.0, 1000.0), np.arange(0.0, 38.0)])  # rolls over at 1 000 on 31 Jan


@pytest.mark.parametrize("with_kinds", [True, False])
def test_interval_and_counter_months_are_exact_by_either_path(registry: Registry, home: Paths,
                                                              with_kinds: bool) -> None:
    _setup(registry)
    lake = Lake(home.lake)
    table = pa.concat_tables([_readings("I", INTERVAL), _readings("C", COUNTER)])
    kinds = pa.array(["interval"] * 48 + ["counter"] * 48) if with_kinds else None
    lake.write_batch(table, "electricity", kinds=kinds)
    jan = inventory(registry, lake, 2025, month=1).by_carrier["electricity"]["quantity"]
    feb = inventory(registry, lake, 2025, month=2).by_carrier["electricity"]["quantity"]
    # interval: Σ of the January hours 1..24 = 300, February 25..48 = 876
    # counter, each hour counted in the month it starts: January has 24 intervals starting on 31 Jan —
    # 990→991 … 998→999 (9 × 1), 999→0 (rollover of a 1 000 register: 1000 − 999 + 0 = 1), 0→1 … 13→14
    # (14 × 1) = 24 kWh; February: 23 intervals (the last reading has no successor yet) = 23 kWh
    assert jan == pytest.approx(300.0 + 24.0)
    assert feb == pytest.approx(876.0 + 23.0)
    kinds_seen = {info.get("kind") for info in lake.file_info().values()}
    assert kinds_seen == ({"interval", "counter"} if with_kinds else {None})


def test_a_measured_reading_wins_over_the_gap_estimate_for_the_same_time(registry: Registry, home: Paths) -> None:
    _setup(registry)
    lake = Lake(home.lake)
    values = np.full(24, 10.0)
    lake.write_batch(_readings("I", values[:12], start="2025-03-10T00:00"), "electricity",
                     kinds=pa.array(["interval"] * 12))
    # hours 12-23 were missing and filled with estimates of 8 kWh …
    lake.write_batch(_readings("I", np.full(12, 8.0), start="2025-03-10T12:00", quality="estimated"),
                     "electricity", kinds=pa.array(["interval"] * 12))
    inv = inventory(registry, lake, 2025, month=3)
    assert inv.by_carrier["electricity"]["quantity"] == pytest.approx(12 * 10 + 12 * 8)
    assert inv.by_carrier["electricity"]["estimated_quantity"] == pytest.approx(12 * 8)
    # … then the measured values of hours 12-17 arrive: they replace those estimates, hours 18-23 stay estimated
    lake.write_batch(_readings("I", np.full(6, 11.0), start="2025-03-10T12:00"), "electricity",
                     kinds=pa.array(["interval"] * 6))
    inv = inventory(registry, lake, 2025, month=3)
    assert inv.by_carrier["electricity"]["quantity"] == pytest.approx(12 * 10 + 6 * 11 + 6 * 8)
    assert inv.by_carrier["electricity"]["estimated_quantity"] == pytest.approx(6 * 8)
    assert inv.shares["estimated_energy_share"] == pytest.approx(48 / (120 + 66 + 48))


def test_a_meters_month_in_two_files_is_one_row_of_the_month_scan(registry: Registry, home: Paths) -> None:
    _setup(registry)
    lake = Lake(home.lake)
    # two deliveries of 10 May (local): hours 0-11 at 2 kWh, then hours 12-23 at 3 kWh, each its own file
    lake.write_batch(_readings("I", np.full(12, 2.0), start="2025-05-10T00:00"), "electricity",
                     kinds=pa.array(["interval"] * 12))
    lake.write_batch(_readings("I", np.full(12, 3.0), start="2025-05-10T12:00"), "electricity",
                     kinds=pa.array(["interval"] * 12))
    assert len(lake.files(months=[(2025, 5)])) == 2
    scan = configured_scan().month_scan(lake, 2025)
    may = scan[(scan["meter_id"] == "I") & (scan["month"] == 5)]
    assert len(may) == 1
    assert may["total"].iloc[0] == pytest.approx(12 * 2.0 + 12 * 3.0)
    assert int(may["n"].iloc[0]) == 24
    assert inventory(registry, lake, 2025, month=5).by_carrier["electricity"]["quantity"] == pytest.approx(60.0)


@pytest.mark.parametrize("with_kinds", [True, False])
def test_negative_interval_readings_are_left_out_of_consumption(registry: Registry, home: Paths,
                                                                 with_kinds: bool) -> None:
    _setup(registry)
    lake = Lake(home.lake)
    values = np.full(24, 5.0)
    values[7] = -40.0  # a reversed or faulty reading, stored marked suspect by the live path
    t = _readings("I", values, start="2025-04-02T00:00", quality="suspect")
    lake.write_batch(t, "electricity", kinds=pa.array(["interval"] * 24) if with_kinds else None)
    assert lake.files_with_negatives(lake.files()) == set(lake.files())
    inv = inventory(registry, lake, 2025, month=4)
    # 23 hours × 5 kWh; the −40 kWh reading is not consumption (nengtan quality flags it)
    assert inv.by_carrier["electricity"]["quantity"] == pytest.approx(23 * 5.0)


def test_files_without_a_negative_count_are_judged_by_their_parquet_statistics(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    lake.write_batch(_readings("I", np.full(4, 2.0)), "electricity")
    lake.write_batch(_readings("I", np.array([1.0, -1.0]), start="2025-05-01T00:00"), "electricity")
    for info in lake.file_info().values():  # as a writer that records no count would leave them
        info.pop("negative")
    flagged = {Path(f).parent.name for f in lake.files_with_negatives(lake.files())}
    assert flagged == {"month=5"}
