"""A synthetic province (issue 14, item 4): N enterprises across Jiangsu's thirteen cities and their parks, the
largest with a 15-minute main electricity meter, the rest with monthly statements, all with monthly value added.

The readings go straight to the lake as parallel-friendly files. Each file holds one Asia/Shanghai month for one
shard of meters, sorted by (meter, time). Row groups hold 2²⁰ rows, about 350 meters' month each, so their
min/max statistics prune a scan by meter and by time. The files are written by a pool of processes, one
(month, shard) at a time, and made visible by a single lake commit (`Lake.commit_files`). Either every reading is
visible or none is.

Sizes: a 15-minute meter gives 35 040 readings a year, so 10⁸ readings need about 2 854 metered enterprises and
10⁹ about 28 540. The figures are drawn from a fixed seed: the same arguments give the same province, and the same
registry and lake numbers on any back-end."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

CITIES = (("320100", "南京市"), ("320200", "无锡市"), ("320300", "徐州市"), ("320400", "常州市"),
          ("320500", "苏州市"), ("320600", "南通市"), ("320700", "连云港市"), ("320800", "淮安市"),
          ("320900", "盐城市"), ("321000", "扬州市"), ("321100", "镇江市"), ("321200", "泰州市"), ("321300", "宿迁市"))
"""Jiangsu's prefecture-level cities (GB/T 2260)."""
SECTORS = ("361", "367", "382", "384", "397", "398", "344", "345", "261", "266", "291", "331", "171", "221")
"""GB/T 4754 classes the synthetic enterprises are drawn from."""
SHARD_METERS = 2_000
"""Meters per file: a month of 15-minute readings of 2 000 meters is about 6 × 10⁶ rows (30–50 MB)."""
ROW_GROUP = 1 << 20
MINUTES = 15


@dataclass(frozen=True)
class ProvinceSize:
    enterprises: int = 50_000
    metered: int = 2_854  # about 10⁸ readings a year at 15 minutes
    parks_per_city: int = 4
    year: int = 2025


@dataclass
class ProvinceTruth:
    enterprises: int = 0
    metered: int = 0
    parks: int = 0
    files: int = 0
    readings: int = 0
    statement_rows: int = 0
    kwh_metered: float = 0.0


def _shard_table(year: int, month: int, first: int, last: int, seed: int, batch: str) -> Any:
    """The readings of meters [first, last) in one month: a pyarrow table sorted by (meter, ts)."""
    import pyarrow as pa

    from nengtan.calendar import PARK_OFFSET_US

    start = dt.datetime(year, month, 1)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1)
    slots = int((end - start).total_seconds() // (MINUTES * 60))
    local0 = int(start.replace(tzinfo=dt.UTC).timestamp() * 1e6)  # park-local wall time as if UTC
    step = MINUTES * 60 * 1_000_000
    ts_local = local0 + step * (np.arange(slots, dtype=np.int64) + 1)  # interval ends: (00:00, 00:15], …
    hour = (ts_local // 3_600_000_000) % 24
    day = (ts_local // 86_400_000_000 + 3) % 7  # 1970-01-01 was a Thursday: 0 = Monday
    shape = np.where((hour >= 8) & (hour < 20), 1.35, 0.7) * np.where(day >= 5, 0.75, 1.0)
    n = last - first
    rng = np.random.default_rng([seed, year, month, first])
    base = _base_kw(np.arange(first, last), seed)  # kW
    values = (base[:, None] * shape[None, :] * rng.lognormal(0.0, 0.08, (n, slots)) * MINUTES / 60).round(3)
    codes = np.array([meter_code(i) for i in range(first, last)], dtype=object)
    meter = pa.DictionaryArray.from_arrays(pa.array(np.repeat(np.arange(n, dtype=np.int32), slots)),
                                           pa.array(codes, pa.string()))
    ts_utc = np.tile(ts_local - PARK_OFFSET_US, n)
    return pa.table({
        "meter_id": meter.cast(pa.string()),
        "ts": pa.array(ts_utc, pa.timestamp("us", tz="UTC")),
        "value": pa.array(values.ravel(), pa.float64()),
        "unit": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n * slots, np.int32)),
                                               pa.array(["kWh"])).cast(pa.string()),
        "quality": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n * slots, np.int32)),
                                                  pa.array(["ok"])).cast(pa.string()),
        "batch": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n * slots, np.int32)),
                                                pa.array([batch])).cast(pa.string()),
    })


def _base_kw(idx: np.ndarray, seed: int) -> np.ndarray:
    """Each metered enterprise's mean load [kW], a lognormal around 400 kW fixed by its index."""
    return np.array([np.random.default_rng([seed, int(i)]).lognormal(np.log(400.0), 0.9) for i in idx])


def meter_code(i: int) -> str:
    """Metered enterprise i's main meter (codes sort in index order, so a shard's meters are one range)."""
    return f"P{i:06d}-M"


def _write_shard(args: tuple[str, int, int, int, int, int, str]) -> tuple[str, int, int, float]:
    folder, year, month, first, last, seed, batch = args
    import pyarrow.parquet as pq

    table = _shard_table(year, month, first, last, seed, batch)
    path = Path(folder) / f".province-{year}-{month:02d}-{first:06d}.parquet"
    pq.write_table(table, path, compression="zstd", row_group_size=ROW_GROUP, write_statistics=True,
                   use_dictionary=["meter_id", "unit", "quality", "batch"])
    return str(path), month, table.num_rows, float(np.sum(table.column("value").to_numpy()))


def build_province(paths: Any, reg: Any, lake: Any, size: ProvinceSize = ProvinceSize(), seed: int = 14,
                   workers: int | None = None, progress: Callable[[str, float], None] | None = None) -> ProvinceTruth:
    """Generate the province into an empty registry and lake. Returns what was generated."""
    say = progress or (lambda _m, _f: None)
    truth = ProvinceTruth()
    rng = np.random.default_rng(seed)
    n, year = size.enterprises, size.year
    if not 0 <= size.metered <= n:
        raise ValueError(f"metered {size.metered} must lie in 0..{n}")
    if lake.version > 0:
        from nengtan.errors import StateError

        raise StateError(f"{lake.dir} holds readings: a province is generated into an empty data home")
    say("registry", 0.0)
    truth.parks, ids = _registry(reg, size, rng)
    truth.enterprises, truth.metered = n, size.metered
    truth.statement_rows = _statements(reg, ids, size, rng)
    say("readings", 0.2)
    batch = "province-" + hashlib.sha256(f"{seed}/{n}/{size.metered}/{year}".encode()).hexdigest()[:16]
    staging = lake.dir / ".province-staging"
    staging.mkdir(parents=True, exist_ok=True)
    tasks = [(str(staging), year, month, first, min(first + SHARD_METERS, size.metered), seed, batch)
             for month in range(1, 13) for first in range(0, size.metered, SHARD_METERS)]
    staged = []
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        for k, (path, month, rows, kwh) in enumerate(pool.map(_write_shard, tasks)):
            staged.append((path, "electricity", year, month, {"kind": "interval", "estimated": 0, "negative": 0}))
            truth.readings += rows
            truth.kwh_metered += kwh
            say("readings", 0.2 + 0.75 * (k + 1) / max(len(tasks), 1))
    if staged:
        lake.commit_files(staged, batch, {"source": "synthetic province", "seed": seed, "rows": truth.readings})
    truth.files = len(staged)
    say("done", 1.0)
    return truth


def _registry(reg: Any, size: ProvinceSize, rng: np.random.Generator) -> tuple[int, np.ndarray]:
    """Regions, parks, enterprises and the metered ones' meters; returns the parks and the enterprise ids."""
    from sqlalchemy import insert, select

    from nengtan.identifiers import make_uscc
    from nengtan.registry.ops import seed_sectors
    from nengtan.registry.tables.park import Enterprise, Meter, Park, Region

    n = size.enterprises
    with reg.session() as s:
        seed_sectors(s)
        s.add(Region(code="320000", name="江苏省", level="province"))
        s.flush()
        prov = s.execute(select(Region).where(Region.code == "320000")).scalar_one()
        park_ids = []
        for code, name in CITIES:
            city = Region(code=code, name=name, level="city", parent_id=prov.id)
            s.add(city)
            s.flush()
            district = Region(code=code[:4] + "90", name=f"{name}开发区（合成）", level="district", parent_id=city.id)
            s.add(district)
            s.flush()
            for k in range(size.parks_per_city):
                park = Park(code=f"{code}-p{k + 1}", name=f"{name}第{k + 1}园区（合成）", province="jiangsu",
                            region_id=district.id)
                s.add(park)
                s.flush()
                park_ids.append((park.id, district.code))
        which = rng.integers(0, len(park_ids), n)
        sectors = rng.integers(0, len(SECTORS), n)
        rows = [{"park_id": park_ids[which[i]][0], "uscc": make_uscc(park_ids[which[i]][1], 30_000_000 + i),
                 "name": f"合成企业{i:06d}", "sector_code": SECTORS[sectors[i]], "province": "jiangsu",
                 "key_energy_unit": i < size.metered, "key_emission_unit": False, "lon": None, "lat": None,
                 "entered_on": dt.date(2015, 1, 1), "left_on": None} for i in range(n)]
        for k in range(0, n, 20_000):
            s.execute(insert(Enterprise), rows[k:k + 20_000])
        by_uscc = dict(s.execute(select(Enterprise.uscc, Enterprise.id)).all())
        ids = np.array([by_uscc[r["uscc"]] for r in rows])
        meters = [{"code": meter_code(i), "enterprise_id": int(ids[i]), "carrier": "electricity", "unit": "kWh",
                   "kind": "interval", "role": "main", "interval_s": MINUTES * 60, "rollover": None,
                   "installed_on": dt.date(2020, 1, 1)} for i in range(size.metered)]
        for k in range(0, len(meters), 20_000):
            s.execute(insert(Meter), meters[k:k + 20_000])
    return len(park_ids), ids


def _statements(reg: Any, ids: np.ndarray, size: ProvinceSize, rng: np.random.Generator) -> int:
    """Monthly electricity statements of the unmetered enterprises, gas of some of all, value added of all."""
    from sqlalchemy import insert

    from nengtan.registry.ops import new_batch
    from nengtan.registry.tables.park import EconomicData
    from nengtan.registry.tables.records import Activity

    n, year = size.enterprises, size.year
    kwh = rng.lognormal(np.log(3e6), 1.0, n)
    gas = np.where(rng.random(n) < 0.4, rng.lognormal(np.log(2e5), 1.0, n), 0.0)
    va = kwh * rng.uniform(0.0008, 0.002, n)
    season = np.array([0.96, 0.80, 1.00, 0.99, 1.00, 1.04, 1.09, 1.10, 1.02, 0.97, 1.00, 1.03])
    w = season / season.sum()
    act: list[dict[str, object]] = []
    eco: list[dict[str, object]] = []
    with reg.session() as s:
        batch = new_batch(s, "synthetic-province", f"province n={n}", hashlib.sha256(f"{n}".encode()).hexdigest())
        for i in range(n):
            for m in range(12):
                period = f"{year}-{m + 1:02d}"
                if i >= size.metered:
                    q = round(float(kwh[i] * w[m]), 1)
                    act.append({"enterprise_id": int(ids[i]), "period": period, "carrier": "electricity",
                                "quantity": q, "unit": "kWh", "quantity_raw": q, "unit_raw": "kWh",
                                "batch_id": batch.id})
                if gas[i] > 0:
                    g = round(float(gas[i] * w[m]), 1)
                    act.append({"enterprise_id": int(ids[i]), "period": period, "carrier": "natural_gas",
                                "quantity": g, "unit": "m3", "quantity_raw": g, "unit_raw": "m3", "batch_id": batch.id})
                v = round(float(va[i] * w[m]), 3)
                eco.append({"enterprise_id": int(ids[i]), "period": period, "value_added": v,
                            "gross_output": round(v / 0.25, 3), "value_added_constant": v, "batch_id": batch.id})
        for k in range(0, len(act), 50_000):
            s.execute(insert(Activity), act[k:k + 50_000])
        for k in range(0, len(eco), 50_000):
            s.execute(insert(EconomicData), eco[k:k + 50_000])
    return len(act)
