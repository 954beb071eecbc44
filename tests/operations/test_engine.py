"""Energy cost, curves, sub-meter balance and alarms on the small demo park, each against a plain DuckDB query of the
same lake files (a measured reading wins over a gap estimate: DISTINCT ON per meter and instant) or against the
arithmetic written out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest

from nengtan.calendar import PARK_TZ, park_midnight
from nengtan.config import data_home, database_url
from nengtan.demo import SMALL, build_demo
from nengtan.demo_operations import metered_site
from nengtan.engine import alarms as live
from nengtan.engine.curves import day_curve, submeter_balance
from nengtan.engine.energycost import add_storage, enterprise_cost, load_tariff
from nengtan.engine.stores import LocalStores
from nengtan.errors import InputError, NoDataError
from nengtan.lake import Lake
from nengtan.registry.store import Registry

YEAR = 2025


@pytest.fixture(scope="module")
def park(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalStores, str, str]]:
    paths = data_home(tmp_path_factory.mktemp("ops") / "home")
    reg = Registry.open(database_url(paths))
    build_demo(paths, reg, SMALL)
    stores = LocalStores(reg, Lake(paths.lake))
    load_tariff(reg, "test")
    site = metered_site(stores)
    assert site is not None
    yield stores, site[0], site[1]
    reg.close()


def readings(stores: LocalStores, where: str) -> Any:
    """A DuckDB connection with view ``r``: meter_id, park-time ``t``, value and ``us`` (µs since the epoch) of the
    lake's readings (one per meter and instant, a measured one first)."""
    con = duckdb.connect()
    con.execute(
        f"CREATE VIEW r AS SELECT DISTINCT ON (meter_id, ts) meter_id, timezone('Asia/Shanghai', ts) AS t, value, "
        f"epoch_us(ts) AS us FROM read_parquet({[str(f) for f in stores.lake.files()]!r}) WHERE {where} "
        "ORDER BY meter_id, ts, quality = 'estimated', batch")
    return con


PRICE_SQL = """CASE WHEN month(t) IN (7, 8) AND hour(t) IN (14, 20) THEN 1.2499
                    WHEN hour(t) < 8 THEN 0.2604
                    WHEN hour(t) BETWEEN 8 AND 10 OR hour(t) BETWEEN 17 AND 21 THEN 1.0416
                    ELSE 0.6510 END"""
"""Jiangsu's periods (nengtan/energycost/data/jiangsu_tou.csv) written out: 尖峰 14-15 and 20-21 in July and August,
低谷 00-08, 高峰 08-11 and 17-22, 平段 the rest."""


def test_cost_per_month_equals_duckdb_sum_of_kwh_times_the_hours_price(park: tuple[LocalStores, str, str]) -> None:
    stores, uscc, meter = park
    out = enterprise_cost(stores, uscc, YEAR)
    assert out["meters"] == [meter] and out["schedule"] == "jiangsu-industrial-1-10kV"
    want = readings(stores, f"meter_id = '{meter}'").sql(
        f"SELECT strftime(t, '%Y-%m') AS m, sum(value) AS kwh, sum(value * {PRICE_SQL}) AS yuan "
        f"FROM r WHERE year(t) = {YEAR} AND value >= 0 GROUP BY m ORDER BY m").fetchall()
    assert [r["month"] for r in out["months"]] == [m for m, _, _ in want]
    for r, (_, kwh, yuan) in zip(out["months"], want, strict=True):
        assert r["kwh"] == pytest.approx(kwh, rel=1e-9) and r["yuan"] == pytest.approx(yuan, rel=1e-9)
        assert sum(b["yuan"] for b in r["bands"].values()) == pytest.approx(r["yuan"], rel=1e-12)
    assert out["total"]["yuan"] == pytest.approx(sum(y for _, _, y in want), rel=1e-9)
    assert out["months"][0]["bands"]["sharp"]["kwh"] == 0.0  # no 尖峰 in January


def test_storage_shifts_its_capacity_each_day_into_the_dearest_hours(park: tuple[LocalStores, str, str]) -> None:
    stores, uscc, _ = park
    add_storage(stores.registry, "test", uscc, "1号储能", 2000.0, 500.0, 0.88, dt.date(YEAR, 3, 1))
    out = enterprise_cost(stores, uscc, YEAR)
    # The site draws well above 500 kW at every peak hour, so each day from 1 March the battery puts out its whole
    # 2000 kWh at 500 kW: outside July and August into four 高峰 hours, in them into the two 尖峰 hours and two
    # 高峰 hours; it takes 2000 / 0.88 kWh in the 低谷 hours.
    charge_cost = 2000 / 0.88 * 0.2604
    daily = {m: (1000 * 1.2499 + 1000 * 1.0416 if m in (7, 8) else 2000 * 1.0416) - charge_cost
             for m in range(1, 13)}
    for r in out["months"]:
        m = int(r["month"][5:])
        days = 0 if m < 3 else (dt.date(YEAR + (m == 12), m % 12 + 1, 1) - dt.date(YEAR, m, 1)).days
        assert r["storage"]["shifted_kwh"] == pytest.approx(2000 * days)
        assert r["storage"]["charged_kwh"] == pytest.approx(2000 / 0.88 * days)
        assert r["storage"]["saving_yuan"] == pytest.approx(daily[m] * days, rel=1e-9)
    assert out["storage"][0]["commissioned_on"] == f"{YEAR}-03-01"


def test_an_enterprise_without_metered_electricity_has_no_time_of_use_cost(park: tuple[LocalStores, str, str]
                                                                           ) -> None:
    from sqlalchemy import select

    from nengtan.registry.tables.park import Enterprise, Meter

    stores, _, _ = park
    with stores.registry.session() as s:
        metered = select(Meter.enterprise_id).where(Meter.kind.in_(("interval", "counter")))
        uscc = s.execute(select(Enterprise.uscc).where(Enterprise.id.not_in(metered)).limit(1)).scalar_one()
    with pytest.raises(NoDataError, match="has no electricity main meter"):
        enterprise_cost(stores, uscc, YEAR)


def test_the_day_curve_is_the_meters_readings_of_that_park_day(park: tuple[LocalStores, str, str]) -> None:
    stores, uscc, meter = park
    day = dt.date(YEAR, 12, 31)
    out = day_curve(stores, uscc, meter, year=YEAR)
    assert out["day"]["day"] == day.isoformat() and len(out["times"]) == 96 and out["times"][37] == "09:15"
    con = readings(stores, f"meter_id = '{meter}'")
    want = con.sql(f"SELECT hour(t) * 4 + minute(t) // 15 AS slot, value FROM r WHERE CAST(t AS DATE) = "
                      f"DATE '{day}' ORDER BY slot").fetchall()
    assert [out["day"]["kwh"][s] for s, _ in want] == [v for _, v in want]
    assert out["day"]["kw"][want[0][0]] == want[0][1] * 4  # kWh in 15 minutes × 3600 / 900
    ((prev,),) = con.sql(f"SELECT sum(value) FROM r WHERE CAST(t AS DATE) = DATE '{day - dt.timedelta(days=1)}'"
                         ).fetchall()
    total = sum(v for _, v in want)
    assert out["day"]["total_kwh"] == pytest.approx(total)
    assert out["change_pct"]["previous_day"] == pytest.approx((total - prev) / prev * 100)
    assert out["year_before"]["total_kwh"] is None and out["change_pct"]["year_before"] is None  # no 2024 readings
    peak = max(range(96), key=lambda i: out["day"]["kw"][i] or -1)
    assert out["day"]["peak_at"] == out["times"][peak]


def test_sub_meter_balance_is_the_main_meter_less_its_sub_meters(park: tuple[LocalStores, str, str]) -> None:
    stores, uscc, meter = park
    out = submeter_balance(stores, uscc, meter, YEAR)
    assert out["sub_meters"] and all(s.startswith(meter.rsplit("-", 1)[0]) for s in out["sub_meters"])
    codes = [meter, *out["sub_meters"]]
    con = readings(stores, f"meter_id IN ({', '.join(repr(c) for c in codes)})")
    sums = {(m, p): q for m, p, q in con.sql(
        f"SELECT meter_id, strftime(t, '%Y-%m'), sum(value) FROM r WHERE year(t) = {YEAR} AND value >= 0 "
        "GROUP BY ALL").fetchall()}
    for r in out["months"]:
        main = sums[(meter, r["period"])]
        subs = sum(sums[(c, r["period"])] for c in out["sub_meters"])
        assert r["main"] == pytest.approx(main) and r["sub_total"] == pytest.approx(subs)
        assert r["unmetered_pct"] == pytest.approx((main - subs) / main * 100)
    with pytest.raises(InputError, match="has no sub-meters"):
        submeter_balance(stores, uscc, out["sub_meters"][0], YEAR)


def test_alarms_open_count_and_clear_with_the_readings(park: tuple[LocalStores, str, str]) -> None:
    stores, uscc, meter = park
    start, end = park_midnight(dt.date(YEAR, 12, 29)), park_midnight(dt.date(YEAR + 1, 1, 1))
    rows = readings(stores, f"meter_id = '{meter}' AND ts >= '{start.isoformat()}' AND ts < '{end.isoformat()}'"
                    ).sql("SELECT * FROM r ORDER BY us").fetchall()
    kw = np.array([v * 4 for _, _, v, _ in rows])
    limit = float(np.quantile(kw, 0.97))
    live.set_rule(stores.registry, "test", uscc, meter, demand_kw=limit, missing_minutes=60)
    watch = live.AlarmWatch(stores.registry, stores.lake, notify=False)
    opened = watch.replay(start, end)
    # Each run of readings above the limit is one alarm, counted once per reading, cleared by the next reading.
    over = kw > limit
    runs = [(i, j) for i, j in _runs(over)]
    assert len(opened) == len(runs) > 1
    got = sorted(live.alarms(stores.registry, {uscc}, open_only=False), key=lambda a: a["id"])
    demand = [a for a in got if a["kind"] == "demand"]
    assert [(a["count"], a["first_ts"]) for a in demand] == [
        (j - i, rows[i][1].replace(tzinfo=PARK_TZ).isoformat()) for i, j in runs]
    assert [a["cleared_at"] for a in demand] == [
        rows[j][1].replace(tzinfo=PARK_TZ).isoformat() if j < len(rows) else None for _, j in runs]
    # missing data: the newest reading is 23:45 on 31 December; at 01:00 that is 75 minutes, over the 60 allowed
    (miss,) = watch.check_missing(dt.datetime(YEAR + 1, 1, 1, 1, 0, tzinfo=PARK_TZ))
    assert miss["kind"] == "missing" and miss["message"].endswith("已 75 分钟未收到读数（限值 60 分钟）")
    stored = next(a for a in live.alarms(stores.registry, {uscc}) if a["kind"] == "missing")  # both languages kept
    assert (stored["message"], stored["message_en"]) == (miss["message"], miss["message_en"])
    assert stored["message_en"].endswith("no reading for 75 minutes (limit 60 minutes)")
    assert watch.check_missing(dt.datetime(YEAR + 1, 1, 1, 1, 5, tzinfo=PARK_TZ)) == []  # still the same one open
    watch.replay(park_midnight(dt.date(YEAR, 12, 31)), end)  # a reading arrives: the gap closes
    assert not [a for a in live.alarms(stores.registry, {uscc}) if a["kind"] == "missing"]
    watch.close()
    live.set_rule(stores.registry, "test", uscc, meter)  # no thresholds: the rule goes
    assert live.rules_of(stores.registry, {uscc}) == []


def _runs(flags: np.ndarray) -> Iterator[tuple[int, int]]:
    i = 0
    while i < len(flags):
        if flags[i]:
            j = i
            while j < len(flags) and flags[j]:
                j += 1
            yield i, j
            i = j
        i += 1


def test_rules_are_checked_before_they_are_kept(park: tuple[LocalStores, str, str]) -> None:
    from sqlalchemy import select

    from nengtan.registry.tables.park import Enterprise, Meter

    stores, uscc, meter = park
    with stores.registry.session() as s:
        counter = s.execute(select(Enterprise.uscc, Meter.code).join(Meter, Meter.enterprise_id == Enterprise.id)
                            .where(Meter.kind == "counter").limit(1)).one()
    with pytest.raises(InputError, match="is a counter meter: demand and abnormal-consumption alarms need an "
                                         "interval meter"):
        live.set_rule(stores.registry, "test", counter[0], counter[1], demand_kw=100.0)
    assert live.set_rule(stores.registry, "test", counter[0], counter[1], missing_minutes=30)["rule"] == {
        "demand_kw": None, "sigma": None, "missing_minutes": 30}
    with pytest.raises(InputError, match=r"sigma 0\.5: give 1 to 10"):
        live.set_rule(stores.registry, "test", uscc, meter, sigma=0.5)
    with pytest.raises(Exception, match=f"meter NOPE of enterprise {uscc}"):
        live.set_rule(stores.registry, "test", uscc, "NOPE", demand_kw=1.0)
    live.set_rule(stores.registry, "test", counter[0], counter[1])


def test_a_tariff_table_is_loaded_once_and_never_changed(park: tuple[LocalStores, str, str], tmp_path: Path) -> None:
    from nengtan.energycost.tariff import DEFAULT_TABLE

    stores, _, _ = park
    assert load_tariff(stores.registry, "test") == {"loaded": [], "unchanged": ["jiangsu-industrial-1-10kV@2023-07-01"]}
    changed = tmp_path / "t.csv"
    changed.write_text(DEFAULT_TABLE.read_text(encoding="utf-8").replace("0.2604", "0.2700"), encoding="utf-8")
    with pytest.raises(InputError, match="already loaded with other lines; a table is never changed"):
        load_tariff(stores.registry, "test", changed)


def test_a_virtual_meter_is_its_formula_over_its_meters(park: tuple[LocalStores, str, str]) -> None:
    from sqlalchemy import select

    from nengtan.demo_operations import submeters
    from nengtan.engine.virtualmeters import add_virtual, virtual_monthly
    from nengtan.errors import NotFoundError
    from nengtan.registry.tables.park import Enterprise, Meter

    stores, uscc, meter = park
    subs = submeters(stores, meter)
    formula = " - ".join(f"{{{c}}}" for c in (meter, *subs))
    add_virtual(stores.registry, "test", uscc, "REST-1", "公用及损耗", formula)
    out = virtual_monthly(stores, uscc, "REST-1", YEAR)
    balance = submeter_balance(stores, uscc, meter, YEAR)  # the same difference, worked out by the balance
    assert [r["quantity"] for r in out["monthly"]] == pytest.approx([r["unmetered"] for r in balance["months"]])
    assert out["monthly"][0]["parts"][meter] == balance["months"][0]["main"]
    day = dt.date(YEAR, 6, 30)
    v = day_curve(stores, uscc, "REST-1", day)
    parts = [day_curve(stores, uscc, c, day)["day"]["kwh"] for c in (meter, *subs)]
    assert v["kind"] == "virtual" and v["interval_s"] == 900
    assert v["day"]["kwh"] == pytest.approx([p[0] - sum(q[i] for q in parts[1:]) for i, p in
                                             enumerate(zip(*parts, strict=True))])
    # refused: a code already taken, a meter of another carrier, a meter the caller may not read
    with pytest.raises(InputError, match="already taken"):
        add_virtual(stores.registry, "test", uscc, meter, "x", f"{{{meter}}}")
    other = "GAS-1"
    with stores.registry.session() as s:
        own = s.execute(select(Enterprise.id).where(Enterprise.uscc == uscc)).scalar_one()
        stranger = s.execute(select(Enterprise.id).where(Enterprise.uscc != uscc).limit(1)).scalar_one()
        s.add(Meter(code=other, enterprise_id=stranger, carrier="natural_gas", unit="m3", kind="interval"))
    with pytest.raises(InputError, match="give meters of one carrier and unit"):
        add_virtual(stores.registry, "test", uscc, "MIX-1", "x", f"{{{meter}}} + {{{other}}}")
    with pytest.raises(NotFoundError, match=f"no meter {other} that you may read"):
        add_virtual(stores.registry, "test", uscc, "MIX-2", "x", f"{{{other}}}", may_use=lambda eid: eid == own)
