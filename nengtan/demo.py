"""A deterministic demo park: a national-level development zone in Jiangsu, one full year.

About 300 enterprises in automotive, smart-grid (power distribution) equipment, batteries, electronics,
machinery, chemicals and services; 15-minute electricity on main and sub-meters (interval meters and
cumulative counters, one counter rolling over and one replaced mid-year); monthly natural gas, diesel,
heat and steam statements; rooftop PV and green-electricity purchases; monthly economic data.

Calibration (see docs/demo.md): the zone's own 2021 report — about 370 000 tce of comprehensive energy
consumption and 7.6 × 10⁶ 万元 of industrial value added, about 0.05 tce/万元 — read as 综合能耗 at
当量值 (GB/T 2589-2020, electricity at 0.1229 kgce/kWh). The mix is electricity-dominated as in a
machinery and electronics zone: about 1.9 × 10⁹ kWh of grid electricity (≈ 63 % of the energy), 8 × 10⁷ m³
of natural gas (≈ 26 %), purchased heat and steam, some diesel, rooftop PV. CO2 is not calibrated: it
follows from the factors (about 1.3 × 10⁶ t with the Jiangsu grid factor).

Everything comes from one seeded ``numpy.random.Generator``, so the same seed gives the same park,
byte for byte in the registry and the lake.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
from sqlalchemy import insert

from nengtan.config import Paths
from nengtan.identifiers import make_uscc
from nengtan.lake import Lake
from nengtan.registry.ops import ensure_park, new_batch, seed_sectors
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import EconomicData, Enterprise, Meter
from nengtan.registry.tables.records import Activity

DEMO_YEAR = 2025
HISTORY_YEARS = (2020, 2023, 2024)
REGION_CODE = "320115"  # 南京市江宁区 行政区划代码

# sector code, name stem, share of enterprises, value-added share, electricity kWh per 万元 VA,
# gas m3 per 万元 VA, diesel t per 万元 VA, heat GJ per 万元 VA, steam t per 万元 VA, shift pattern
SECTORS: list[tuple[str, str, float, float, float, float, float, float, float, int]] = [
    ("361", "汽车", 0.04, 0.14, 75, 4.0, 0.0004, 0.00, 0.010, 2),
    ("367", "汽车零部件", 0.13, 0.12, 80, 3.0, 0.0004, 0.00, 0.000, 2),
    ("382", "电气", 0.13, 0.13, 55, 1.0, 0.0003, 0.00, 0.000, 1),
    ("384", "储能电池", 0.04, 0.06, 150, 2.0, 0.0002, 0.00, 0.030, 3),
    ("397", "微电子", 0.08, 0.10, 130, 2.0, 0.0001, 0.05, 0.020, 3),
    ("398", "电子材料", 0.08, 0.08, 110, 3.0, 0.0001, 0.02, 0.010, 3),
    ("344", "机械", 0.09, 0.07, 60, 1.5, 0.0005, 0.00, 0.000, 1),
    ("345", "传动", 0.06, 0.05, 65, 2.0, 0.0004, 0.00, 0.000, 1),
    ("261", "化工", 0.03, 0.04, 140, 30.0, 0.0006, 0.30, 0.080, 3),
    ("266", "新材料", 0.03, 0.04, 120, 20.0, 0.0005, 0.20, 0.060, 3),
    ("651", "软件", 0.15, 0.12, 12, 0.1, 0.0000, 0.00, 0.000, 0),
    ("59", "物流", 0.07, 0.03, 15, 0.1, 0.0030, 0.00, 0.000, 0),
    ("73", "研究院", 0.07, 0.02, 25, 0.5, 0.0000, 0.00, 0.000, 0),
]
NAME_WORDS = ["江宁", "秦淮", "方山", "东山", "百家湖", "将军山", "牛首", "九龙湖", "空港", "滨江", "汤山",
              "禄口", "科学园", "翠屏", "竹山", "天元", "胜太", "双龙", "河定", "诚信"]
NAME_SUFFIX = ["科技有限公司", "制造有限公司", "股份有限公司", "实业有限公司", "技术有限公司"]

DEMO_PARK_CODE = "jiangning-demo"
"""The demo park's code; demo accounts (known passwords) are made only in a home holding nothing else."""
# park totals the generator is calibrated to (see the module docstring)
TARGET_VALUE_ADDED = 7.6e6  # 万元
TARGET_ELECTRICITY_KWH = 1.9e9
TARGET_GAS_M3 = 8.0e7
TARGET_DIESEL_T = 3.0e3
TARGET_HEAT_GJ = 4.0e5
TARGET_STEAM_T = 8.0e4

MONTH_ELEC = np.array([0.97, 0.78, 1.00, 0.98, 0.97, 1.03, 1.10, 1.12, 1.02, 0.95, 1.00, 1.05])
MONTH_GAS = np.array([1.35, 1.15, 1.05, 0.90, 0.80, 0.75, 0.75, 0.75, 0.80, 0.90, 1.10, 1.30])
MONTH_VA = np.array([0.95, 0.70, 1.00, 1.00, 1.00, 1.05, 1.02, 1.00, 1.05, 0.98, 1.05, 1.20])
DEFLATOR_2020 = 1.062  # value added at 2020 constant prices = current / deflator (illustrative)


@dataclass(frozen=True)
class DemoSize:
    enterprises: int = 300
    metered_share: float = 0.62  # enterprises with a 15-minute main meter
    counter_meters: int = 20
    sub_metered: int = 60


FULL = DemoSize()
SMALL = DemoSize(enterprises=24, metered_share=0.5, counter_meters=3, sub_metered=4)


@dataclass
class DemoTruth:
    """What the generator put in, per carrier in canonical units, for tests to check the engine against."""

    carrier_totals: dict[str, float] = field(default_factory=dict)
    value_added: float = 0.0
    readings: int = 0
    enterprises: int = 0
    meters: int = 0


def _local_grid(year: int, minutes: int) -> np.ndarray:
    """UTC timestamps [datetime64 us] of interval starts covering the Asia/Shanghai calendar year."""
    start = np.datetime64(f"{year:04d}-01-01T00:00") - np.timedelta64(8, "h")
    end = np.datetime64(f"{year + 1:04d}-01-01T00:00") - np.timedelta64(8, "h")
    return np.arange(start, end, np.timedelta64(minutes, "m")).astype("datetime64[us]")


def _holiday_factor(local: np.ndarray) -> np.ndarray:
    """Working-day factor: 2025 Spring Festival (Jan 28 - Feb 4), Labour Day, National Day, weekends."""
    day = local.astype("datetime64[D]")
    f = np.ones(len(local))
    for a, b, k in [("2025-01-28", "2025-02-05", 0.30), ("2025-05-01", "2025-05-06", 0.60),
                    ("2025-10-01", "2025-10-09", 0.55)]:
        f[(day >= np.datetime64(a)) & (day < np.datetime64(b))] = k
    return f


def _profiles(local: np.ndarray) -> dict[int, np.ndarray]:
    """Relative load shape per shift pattern (0 office, 1 one shift, 2 two shifts, 3 continuous)."""
    hour = (local.astype("datetime64[m]").astype(np.int64) % 1440) / 60.0
    weekday = (local.astype("datetime64[D]").astype(np.int64) + 3) % 7  # 0 = Monday
    weekend = weekday >= 5
    hol = _holiday_factor(local)
    office = np.where((hour >= 8) & (hour < 18), 1.0, 0.25) * np.where(weekend, 0.3, 1.0)
    one = np.where((hour >= 8) & (hour < 17), 1.0, 0.2) * np.where(weekend, 0.35, 1.0)
    two = np.where((hour >= 7) & (hour < 23), 1.0, 0.35) * np.where(weekend, 0.6, 1.0)
    cont = 0.85 + 0.15 * np.sin((hour - 6) / 24 * 2 * np.pi)
    return {0: office * hol, 1: one * hol, 2: two * hol, 3: cont * np.maximum(hol, 0.7)}


def _month_index(local: np.ndarray) -> np.ndarray:
    return local.astype("datetime64[M]").astype(np.int64) % 12


def _company_name(rng: np.random.Generator, stem: str, used: set[str]) -> str:
    while True:
        name = f"南京{rng.choice(NAME_WORDS)}{stem}{rng.choice(NAME_SUFFIX)}"
        if name not in used:
            used.add(name)
            return name
        stem = stem + rng.choice(["新", "恒", "瑞", "博", "华", "达", "通"])


def build_demo(paths: Paths, reg: Registry, size: DemoSize = FULL, seed: int = 2025, year: int = DEMO_YEAR,
               minutes: int = 15, progress: Callable[[str, float], None] | None = None,
               history_years: tuple[int, ...] = HISTORY_YEARS) -> DemoTruth:
    """Generate the demo park into an empty registry and lake. Returns what was generated.

    The demo year has 15-minute meters and monthly statements; `history_years` (the 2020 base year
    of the provincial targets and the two years before the demo year) have monthly statements only.
    """
    rng = np.random.default_rng(seed)
    say = progress or (lambda _msg, _frac: None)
    truth = DemoTruth()
    n = size.enterprises

    # -- enterprises and their annual quantities -----------------------------------------------
    shares = np.array([sector[2] for sector in SECTORS])
    sector_idx = np.repeat(np.arange(len(SECTORS)), np.round(shares / shares.sum() * n).astype(int))
    sector_idx = np.resize(sector_idx, n)
    rng.shuffle(sector_idx)
    weight = rng.lognormal(0.0, 1.0, n)
    va = np.zeros(n)
    for k, sector in enumerate(SECTORS):
        m = sector_idx == k
        if m.any():
            va[m] = weight[m] / weight[m].sum() * sector[3]
    va = va / va.sum() * TARGET_VALUE_ADDED
    noise = rng.lognormal(0.0, 0.25, (n, 5))
    intens = np.array([list(sector[4:9]) for sector in SECTORS])[sector_idx] * noise
    raw = va[:, None] * intens  # kWh, m3, t, GJ, t per year
    targets = np.array([TARGET_ELECTRICITY_KWH, TARGET_GAS_M3, TARGET_DIESEL_T, TARGET_HEAT_GJ, TARGET_STEAM_T])
    scale = n / FULL.enterprises
    annual = raw / raw.sum(axis=0) * targets * scale
    va = va * scale
    # heat and steam only where a supply pipe reaches: zero them for a random half of those with some
    for col in (3, 4):
        has = annual[:, col] > 0
        annual[has & (rng.random(n) < 0.35), col] = 0.0

    order = np.argsort(-annual[:, 0])  # metered = the largest electricity users
    n_metered = round(n * size.metered_share)
    metered = np.zeros(n, bool)
    metered[order[:n_metered]] = True
    pv_share = np.where(rng.random(n) < 0.25, rng.uniform(0.05, 0.20, n), 0.0)  # PV kWh / grid kWh
    software = next(k for k, sec in enumerate(SECTORS) if sec[0] == "651")
    pv_share[sector_idx == software] = 0.0  # office tenants have no roof of their own
    green_share = np.where(rng.random(n) < 0.12, rng.uniform(0.10, 0.50, n), 0.0)

    lon0, lat0 = 118.84, 31.90
    used_names: set[str] = set()
    say("registry", 0.02)
    with reg.session() as s:
        seed_sectors(s)
        park = ensure_park(s, DEMO_PARK_CODE, "江宁经济技术开发区（演示）", "jiangsu")
        batch = new_batch(s, "demo", f"demo seed={seed} size={n}", hashlib.sha256(f"{seed}/{n}".encode()).hexdigest())
        ent_rows = []
        for i in range(n):
            sec = SECTORS[sector_idx[i]]
            ent_rows.append({
                "park_id": park.id, "uscc": make_uscc(REGION_CODE, 10_000_000 + 7919 * (i + 1) % 89_999_999),
                "name": _company_name(rng, sec[1], used_names), "sector_code": sec[0], "province": "jiangsu",
                "key_energy_unit": False, "key_emission_unit": False,
                "lon": round(lon0 + rng.normal(0, 0.035), 5), "lat": round(lat0 + rng.normal(0, 0.03), 5),
                "entered_on": dt.date(2010 + int(rng.integers(0, 14)), 1, 1), "left_on": None,
            })
        s.execute(insert(Enterprise), ent_rows)
        ids = {r.uscc: r.id for r in s.query(Enterprise.uscc, Enterprise.id)}
        ent_ids = np.array([ids[r["uscc"]] for r in ent_rows])

        # -- meters -------------------------------------------------------------------------------
        meter_rows: list[dict[str, object]] = []
        metered_idx = [i for i in order[:n_metered]]
        counter_set = set(metered_idx[len(metered_idx) // 3: len(metered_idx) // 3 + size.counter_meters])
        sub_set = metered_idx[: size.sub_metered]
        for i in metered_idx:
            kind = "counter" if i in counter_set else "interval"
            meter_rows.append({"code": f"E{i + 1:03d}-M", "enterprise_id": int(ent_ids[i]), "carrier": "electricity",
                               "unit": "kWh", "kind": kind, "role": "main", "interval_s": minutes * 60,
                               "rollover": 1e7 if kind == "counter" else None,
                               "installed_on": dt.date(2020, 1, 1)})
        s.execute(insert(Meter), meter_rows)
        main_ids = {m.code: m.id for m in s.query(Meter.code, Meter.id)}
        sub_rows: list[dict[str, object]] = []
        for i in sub_set:
            for k in range(1 + int(i % 2 == 0)):
                sub_rows.append({"code": f"E{i + 1:03d}-S{k + 1}", "enterprise_id": int(ent_ids[i]),
                                 "carrier": "electricity", "unit": "kWh", "kind": "interval", "role": "sub",
                                 "parent_id": main_ids[f"E{i + 1:03d}-M"], "interval_s": minutes * 60,
                                 "installed_on": dt.date(2021, 1, 1)})
        if sub_rows:
            s.execute(insert(Meter), sub_rows)

        # -- monthly statements and economic data: the demo year, then the history years ---------------
        act_rows: list[dict[str, object]] = []
        econ_rows: list[dict[str, object]] = []
        pv_shape = np.array([0.6, 0.7, 0.9, 1.05, 1.15, 1.1, 1.15, 1.2, 1.05, 0.95, 0.75, 0.6])

        def statements(yr: int, gen: np.random.Generator, qty: np.ndarray, va_yr: np.ndarray, pv_k: float,
                       green_k: float, all_electricity: bool) -> None:
            def spread(total: float, shape: np.ndarray) -> np.ndarray:
                w = shape * gen.lognormal(0, 0.04, 12)
                return np.round(total * w / w.sum(), 3)

            def add(i: int, carrier: str, unit: str, monthly: np.ndarray) -> None:
                for m in range(12):
                    act_rows.append({"enterprise_id": int(ent_ids[i]), "period": f"{yr:04d}-{m + 1:02d}",
                                     "carrier": carrier, "quantity": float(monthly[m]), "unit": unit,
                                     "quantity_raw": float(monthly[m]), "unit_raw": unit, "batch_id": batch.id})
                if yr == year:
                    truth.carrier_totals[carrier] = truth.carrier_totals.get(carrier, 0.0) + float(monthly.sum())

            deflator = 1.0 + (DEFLATOR_2020 - 1.0) * (yr - 2020) / 5
            for i in range(n):
                if ent_rows[i]["entered_on"].year > yr:  # type: ignore[union-attr]
                    continue
                if all_electricity or not metered[i]:
                    add(i, "electricity", "kWh", spread(qty[i, 0], MONTH_ELEC))
                for col, carrier, unit, shape in ((1, "natural_gas", "m3", MONTH_GAS), (2, "diesel", "t", np.ones(12)),
                                                  (3, "heat", "GJ", MONTH_GAS), (4, "steam", "t", np.ones(12))):
                    if qty[i, col] > 0:
                        add(i, carrier, unit, spread(qty[i, col], shape))
                if pv_share[i] > 0 and pv_k > 0:
                    add(i, "pv", "kWh", spread(qty[i, 0] * pv_share[i] * pv_k, pv_shape))
                if green_share[i] > 0 and green_k > 0:
                    add(i, "green_electricity", "kWh", spread(qty[i, 0] * green_share[i] * green_k, MONTH_ELEC * 0.99))
                monthly_va = spread(va_yr[i], MONTH_VA)
                ratio = {"651": 0.45, "73": 0.5, "59": 0.35}.get(SECTORS[sector_idx[i]][0], 0.24)
                for m in range(12):
                    econ_rows.append({"enterprise_id": int(ent_ids[i]), "period": f"{yr:04d}-{m + 1:02d}",
                                      "value_added": float(monthly_va[m]),
                                      "gross_output": round(float(monthly_va[m]) / ratio, 3),
                                      "value_added_constant": round(float(monthly_va[m]) / deflator, 3),
                                      "batch_id": batch.id})
                if yr == year:
                    truth.value_added += float(monthly_va.sum())

        statements(year, rng, annual, va, 1.0, 1.0, all_electricity=False)
        # history (statements only): value added grows 3-8 %/yr, energy intensity falls 2-5 %/yr, PV from
        # 2023, green electricity from 2024; a separate generator keeps the demo year unchanged
        hist = np.random.default_rng(seed + 1)
        growth = hist.uniform(1.03, 1.08, n)
        decline = hist.uniform(0.02, 0.05, n)
        for yr in history_years:
            k = year - yr
            va_yr = va / growth**k
            qty = annual * (va_yr / va)[:, None] * ((1 + decline) ** k)[:, None] * hist.lognormal(0, 0.05, (n, 5))
            statements(yr, hist, qty, va_yr, {2023: 0.6, 2024: 0.85}.get(yr, 0.0), 0.6 if yr == 2024 else 0.0,
                       all_electricity=True)
        s.execute(insert(Activity), act_rows)
        s.execute(insert(EconomicData), econ_rows)

        # flags: 重点用能单位 ≥ 10 000 tce (当量值, GB/T 2589) / ETS threshold ≈ 26 000 tCO2
        tce = annual[:, 0] * 0.0001229 + annual[:, 1] * 0.0012143 + annual[:, 2] * 1.4571 + annual[:, 3] * 0.03412
        co2 = annual[:, 0] * 0.0005827 + annual[:, 1] * 0.002165 + annual[:, 2] * 3.096 + annual[:, 3] * 0.11
        for i in np.where((tce >= 10_000) | (co2 >= 26_000))[0]:
            s.query(Enterprise).filter(Enterprise.id == int(ent_ids[i])).update(
                {"key_energy_unit": bool(tce[i] >= 10_000), "key_emission_unit": bool(co2[i] >= 26_000)})
        truth.enterprises = n
        truth.meters = len(meter_rows) + len(sub_rows)

    # -- 15-minute readings into the lake, one batch per month ---------------------------------------
    say("readings", 0.1)
    lake = Lake(paths.lake)
    ts = _local_grid(year, minutes)
    local = ts + np.timedelta64(8, "h")
    month = _month_index(local)
    profiles = _profiles(local)
    codes: list[str] = []
    series: list[np.ndarray] = []
    kinds: list[str] = []
    for i in metered_idx:
        sec = SECTORS[sector_idx[i]]
        shape = profiles[sec[9]] * MONTH_ELEC[month] * rng.lognormal(0, 0.08, len(ts))
        kwh = shape / shape.sum() * annual[i, 0]
        codes.append(f"E{i + 1:03d}-M")
        series.append(kwh)
        kinds.append("counter" if i in counter_set else "interval")
        truth.carrier_totals["electricity"] = truth.carrier_totals.get("electricity", 0.0) + float(kwh.sum())
        if i in sub_set:
            for k in range(1 + int(i % 2 == 0)):
                part = kwh * rng.uniform(0.15, 0.35) * rng.lognormal(0, 0.05, len(ts))
                codes.append(f"E{i + 1:03d}-S{k + 1}")
                series.append(part)
                kinds.append("interval")
    values = np.vstack(series)
    counter_rows = [j for j, k in enumerate(kinds) if k == "counter"]
    closing = np.zeros(len(codes))
    for nth, j in enumerate(counter_rows):
        c = values[j]
        if nth == 0:  # a register that rolls over at 10^7 kWh during the year
            start = 1e7 - c.sum() / 2
            reg_vals = np.mod(start + np.concatenate([[0.0], np.cumsum(c)]), 1e7)
        elif nth == 1:  # meter replaced mid-year: the new register starts from the last interval's use
            cum = 3.2e6 + np.concatenate([[0.0], np.cumsum(c)])
            k = len(c) // 2
            reg_vals = cum.copy()
            reg_vals[k:] = cum[k:] - cum[k - 1]
        else:
            reg_vals = float(rng.uniform(1e5, 5e6)) + np.concatenate([[0.0], np.cumsum(c)])
        values[j] = reg_vals[:-1]
        closing[j] = reg_vals[-1]
    code_arr = pa.array(codes, pa.string())
    kind_arr = pa.array(kinds, pa.string())
    n_m = len(codes)
    for m in range(12):
        sel = np.where(month == m)[0]
        k = len(sel)
        idx = np.repeat(np.arange(n_m, dtype=np.int32), k)
        table = pa.table({
            "meter_id": code_arr.take(pa.array(idx)),
            "ts": pa.array(np.tile(ts[sel], n_m), pa.timestamp("us", tz="UTC")),
            "value": pa.array(values[:, sel].ravel()),
            "unit": pa.array(["kWh"], pa.string()).take(pa.array(np.zeros(n_m * k, np.int32))),
        })
        lake.write_batch(table, "electricity", batch_id=f"demo-{seed}-{n}-{year}-{m + 1:02d}",
                         meta={"source": "demo"}, kinds=kind_arr.take(pa.array(idx)))
        truth.readings += table.num_rows
        say("readings", 0.1 + 0.85 * (m + 1) / 12)
    if counter_rows:  # closing register readings at the first instant of the next year
        t_close = np.datetime64(f"{year + 1:04d}-01-01T00:00") - np.timedelta64(8, "h")
        table = pa.table({
            "meter_id": pa.array([codes[j] for j in counter_rows]),
            "ts": pa.array(np.full(len(counter_rows), t_close.astype("datetime64[us]")), pa.timestamp("us", tz="UTC")),
            "value": pa.array([closing[j] for j in counter_rows]),
            "unit": pa.array(["kWh"] * len(counter_rows)),
        })
        lake.write_batch(table, "electricity", batch_id=f"demo-{seed}-{n}-{year + 1}-close", meta={"source": "demo"},
                         kinds=pa.array(["counter"] * len(counter_rows)))
        truth.readings += table.num_rows
    from nengtan.engine.geo import demo_geojson
    from nengtan.engine.stores import LocalStores

    demo_geojson(LocalStores(reg, lake), DEMO_PARK_CODE)  # the park's map: outline and plots (no map tiles)
    say("done", 1.0)
    return truth
