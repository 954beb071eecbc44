"""Data-quality rules on real lake data and the real PostgreSQL registry."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pytest
from sqlalchemy import select

from nengtan.ingest.quality import compute
from nengtan.lake.dedupe import DedupeWriter
from nengtan.registry.tables.monitoring import QualityDay, QualityFlag
from nengtan.registry.tables.park import Enterprise, Meter
from nengtan.registry.tables.records import Activity, ImportBatch
from tests.ingest.conftest import make_park

pytestmark = [pytest.mark.postgres]
SH = dt.timezone(dt.timedelta(hours=8))
DAY0 = dt.datetime(2025, 3, 1, tzinfo=SH)


def _write(lake, meter: str, points: list[tuple[int, float]], quality: str = "ok") -> None:  # type: ignore[no-untyped-def]
    ts = [int((DAY0 + dt.timedelta(minutes=15 * k)).timestamp()) * 1_000_000 for k, _ in points]
    t = pa.table({"meter_id": [meter] * len(points), "ts": pa.array(ts, pa.int64()).cast(pa.timestamp("us", "UTC")),
                  "value": [float(v) for _, v in points], "unit": ["kWh"] * len(points),
                  "quality": [quality] * len(points)})
    DedupeWriter(lake).write(t, "electricity")


def test_quality_rules_completeness_statement_and_gap_fill(registry, lake):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=2, gateways=False)
    uscc = park.enterprises[0]
    main, sub = park.meters[uscc]
    with registry.session() as s:
        m = s.scalar(select(Meter).where(Meter.code == sub))
        m.kind, m.rollover = "counter", 100000.0
        ent = s.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
        s.add(ImportBatch(id=f"qtest-{park.tag}", seq=900000 + int(park.tag, 16) % 90000, kind="test",
                          filename="t", sha256="0" * 64))
        s.flush()
        # statement for March: the meters will show far less (one and a bit days): mismatch
        s.add(Activity(enterprise_id=ent.id, period="2025-03", carrier="electricity", quantity=5000.0, unit="kWh",
                       quantity_raw=5000.0, unit_raw="kWh", batch_id=f"qtest-{park.tag}"))
    # day 1: 96 points, a spike at k=40, a stuck run of 10 at k=60..69, a negative at k=80
    day1 = [(k, 10.0 + (k % 7)) for k in range(96)]
    day1[40] = (40, 500.0)
    for k in range(60, 70):
        day1[k] = (k, 12.5)
    day1[80] = (80, -4.0)
    # day 2: 80 of 96 points (83 % < 90 %): k = 96..191 without 120..135
    day2 = [(k, 10.0 + (k % 5)) for k in range(96, 192) if not 120 <= k < 136]
    _write(lake, main, day1 + day2)
    # counter: rises 100/interval, resets at k=10, wraps at the rollover at k=20
    reg = [(k, 50000.0 + 100 * k) for k in range(10)] + [(10, 5.0)] + [(k, 5.0 + 100 * (k - 10)) for k in range(11, 16)]
    reg += [(16, 99950.0), (17, 30.0), (18, 130.0)]
    _write(lake, sub, reg)
    now = dt.datetime(2025, 3, 3, tzinfo=SH)
    rep = compute(registry, lake, 2025, 3, uscc=uscc, now=now)
    by = {m.code: m for m in rep.meters}
    assert by[main].days == 2 and by[main].complete_days == 1
    assert (by[main].expected, by[main].received) == (192, 176)
    assert by[main].flags == {"spike": 1, "stuck": 1, "negative": 1}
    assert by[sub].flags.get("counter_reset") == 1 and by[sub].flags.get("rollover") == 1
    # counter consumption: 9 × 100 + 5 (after reset) + 5 × 100 + 99950 - 1505 ... computed per interval
    expected_sub = 900 + 5 + 500 + (99950 - 505) + (100000 - 99950 + 30) + 100
    assert by[sub].total == pytest.approx(expected_sub)
    ent = rep.enterprises[0]
    assert len(ent.mismatches) == 1 and "statement 5000" in ent.mismatches[0]
    metered = ent.mismatches[0].split("meters ")[1].split(" kWh")[0]  # the same figure, said in Chinese beside it
    assert ent.mismatches_zh == [f"外购电力 2025-03：计量 {metered} kWh，统计报表 5000（偏差 "
                                 f"{(float(metered) - 5000) / 5000:+.1%}，限值 ±5%）"]
    with registry.session() as s:
        days = s.scalars(select(QualityDay).join(Meter).where(Meter.code == main).order_by(QualityDay.day)).all()
        q = select(QualityFlag).where(QualityFlag.enterprise_id == ent_id(s, uscc))
        rules = sorted(f.rule for f in s.scalars(q))
    assert [(d.received, d.complete) for d in days] == [(96, True), (80, False)]
    assert rules == ["counter_reset", "negative", "rollover", "spike", "spike", "statement_mismatch", "stuck"]
    # gap filling only when asked; estimates are flagged and counted apart
    rep2 = compute(registry, lake, 2025, 3, uscc=uscc, now=now, fill_gaps=True)
    assert rep2.filled >= 16
    by2 = {m.code: m for m in rep2.meters}
    assert by2[main].estimated == 16
    assert by2[main].total_estimated == pytest.approx(sum(14 - 3 * j / 17 for j in range(1, 17)))  # linear 14 → 11
    assert by2[main].total == pytest.approx(by[main].total)  # measured total unchanged
    files = lake.files()
    n_est = duckdb.sql(f"SELECT count(*) FROM read_parquet({files!r}) WHERE quality = 'estimated' "
                       f"AND meter_id = '{main}'").fetchall()[0][0]
    assert n_est == 16
    # asking again does not estimate twice
    assert compute(registry, lake, 2025, 3, uscc=uscc, now=now, fill_gaps=True).filled == 0


def ent_id(s, uscc: str) -> int:  # type: ignore[no-untyped-def]
    return int(s.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc)))


def test_counter_first_interval_of_the_month_uses_the_previous_months_last_reading(registry, lake):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=1, gateways=False)
    uscc = park.enterprises[0]
    (meter,) = park.meters[uscc]
    with registry.session() as s:
        s.scalar(select(Meter).where(Meter.code == meter)).kind = "counter"
    # 28 Feb 23:15, 23:30, 23:45, then 1 Mar 00:00 ... 01:00: +10 per interval
    _write(lake, meter, [(k, 1000.0 + 10 * (k + 3)) for k in range(-3, 5)])
    now = dt.datetime(2025, 3, 2, tzinfo=SH)
    rep = compute(registry, lake, 2025, 3, uscc=uscc, now=now)
    by = {m.code: m for m in rep.meters}
    assert by[meter].total == pytest.approx(50.0)  # 5 intervals ending 00:00 ... 01:00, the first across months
    feb = compute(registry, lake, 2025, 2, uscc=uscc, now=now)
    assert {m.code: m for m in feb.meters}[meter].total == pytest.approx(20.0)  # 23:30 and 23:45
