"""Bulk CSV/Parquet loading with validation (DuckDB) into the lake, real PostgreSQL registry."""

from __future__ import annotations

import duckdb
import pytest
from sqlalchemy import select

from nengtan.ingest.bulk import load_file
from nengtan.registry.tables.records import QuarantineRow
from tests.ingest.conftest import make_park
from tests.ingest.mqtt_helpers import lake_rows

pytestmark = [pytest.mark.postgres]


def test_csv_then_parquet_of_the_same_rows(registry, lake, tmp_path):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=2, gateways=False)
    a, b = park.meters[park.enterprises[0]]
    lines = ["meter,ts,value,unit"]
    lines += [f"{a},2025-03-01T{h:02d}:00:00+08:00,{h}.5,kWh" for h in range(24)]
    lines += [f"{b},2025-03-01 {h:02d}:00:00,{h},万kWh" for h in range(24)]  # no offset: Asia/Shanghai
    lines += [f"{a},2025-03-01T00:00:00+08:00,99,kWh",  # the same key again in the file, another value
              "NOPE,2025-03-01T00:00:00+08:00,1,kWh", f"{a},2025-03-02T00:00:00+08:00,abc,kWh",
              f"{a},2025-03-02T00:15:00+08:00,1,m3", f"{a},1970-01-01T00:00:00Z,1,kWh",
              f"{a},2100-01-01T00:00:00Z,1,kWh"]
    csv = tmp_path / "r.csv"
    csv.write_text("\n".join(lines) + "\n")
    res = load_file(registry, lake, csv)
    assert (res.rows, res.accepted, res.duplicate, res.rejected) == (54, 48, 0, 6)
    rows = lake_rows(lake)
    assert len(rows) == 48
    assert sum(v for m, _, v, _ in rows if m == b) == pytest.approx(sum(range(24)) * 1e4)
    assert [v for m, t, v, _ in rows if m == a and t == 1740758400_000000] == [0.5]  # first occurrence wins
    first_b = min(t for m, t, _, _ in rows if m == b)
    assert first_b == 1740758400_000000  # 2025-03-01 00:00 Asia/Shanghai
    with registry.session() as s:
        q = select(QuarantineRow).where(QuarantineRow.batch_id == res.quarantine_batch)
        reasons = sorted(r.reason for r in s.scalars(q))
    assert len(reasons) == 6 and any("unknown meter 'NOPE'" in r for r in reasons)
    assert any("99 kWh differs from an earlier reading in the same batch (0.5 kWh)" in r for r in reasons)
    assert any("value 'abc' is not a number" in r for r in reasons)
    assert any("does not fit electricity" in r for r in reasons)
    pq_path = tmp_path / "r.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true)) TO '{pq_path}' (FORMAT parquet)")
    again = load_file(registry, lake, pq_path)
    assert (again.accepted, again.duplicate, again.rejected) == (0, 48, 6)
    assert len(lake_rows(lake)) == 48


def test_bulk_keys_on_the_interval_snaps_within_tolerance_and_quarantines_differences(registry, lake, tmp_path):  # type: ignore[no-untyped-def]
    """(meter, interval) is the key: 30 s off the grid is the grid point's reading, 7.5 min off is
    quarantined, the same key with another value is a conflict (in the file or against the lake)."""
    from nengtan.registry.tables.records import QuarantineRow

    park = make_park(registry, n_ent=1, meters_per_ent=2, gateways=False)
    a, b = park.meters[park.enterprises[0]]
    lines = ["meter,ts,value,unit"]
    lines += [f"{m},2025-04-01T{h:02d}:{mi:02d}:00+08:00,{h},kWh" for h in (5, 3, 4, 1) for m in (b, a)
              for mi in (0, 15)]
    lines += [f"{a},2025-04-01T02:07:30+08:00,7,kWh", f"{a},2025-04-01T02:07:30+08:00,8,kWh",  # 450 s off grid
              f"{b},2025-03-31T23:45:00+08:00,2,kWh",  # other partition (March)
              f"{b},2025-04-01T03:15:00+08:00,9,kWh",  # line 21: (b, 03:15) again, another value
              f"{a},2025-04-01T04:15:30+08:00,4,kWh"]  # 30 s late: the same key as (a, 04:15), same value
    csv = tmp_path / "u.csv"
    csv.write_text("\n".join(lines) + "\n")
    v0 = lake.version
    res = load_file(registry, lake, csv)
    assert (res.rows, res.accepted, res.duplicate, res.rejected, res.commits) == (21, 17, 1, 3, 1)
    assert lake.version == v0 + 1  # two partitions, one commit record
    rows = lake_rows(lake)
    assert len(rows) == 17 and all(t % 900_000_000 == 0 for _, t, _, _ in rows)  # every reading on its grid
    assert [v for m, t, v, _ in rows if m == b and t == 1743448500_000000] == [3.0]  # 03:15 first value kept
    with registry.session() as s:
        q = {r.row: r.reason for r in s.query(QuarantineRow).filter(QuarantineRow.batch_id == res.quarantine_batch)}
    assert set(q) == {18, 19, 21}  # lines as an editor shows them (the header is line 1)
    assert "450 s off the meter's 15-minute grid (tolerance 60 s)" in q[18] == q[19]
    assert "9 kWh differs from an earlier reading in the same batch (3 kWh)" in q[21]
    again = load_file(registry, lake, csv)
    assert (again.accepted, again.duplicate, again.rejected, again.commits) == (0, 18, 3, 0)
    # a clean file (fast, unnumbered pass) repeating one stored key with another value: the conflict
    # names its line and the stored value, the rest lands
    other = tmp_path / "v.csv"
    other.write_text("meter,ts,value,unit\n"
                     f"{a},2025-04-02T00:00:00+08:00,1,kWh\n"
                     f"{a},2025-04-01T05:00:00+08:00,6,kWh\n")  # stored: 5 kWh
    res2 = load_file(registry, lake, other)
    assert (res2.accepted, res2.duplicate, res2.rejected) == (1, 0, 1)
    with registry.session() as s:
        (c,) = s.query(QuarantineRow).filter(QuarantineRow.batch_id == res2.quarantine_batch).all()
    assert c.row == 3 and "6 kWh differs from the stored reading (5 kWh)" in c.reason


def test_commit_files_checks_the_schema_and_is_idempotent(tmp_path):  # type: ignore[no-untyped-def]
    from nengtan.lake.store import Lake, LakeError

    lake = Lake(tmp_path / "lake")
    stage = lake.dir / "_staging-t"
    stage.mkdir(parents=True)
    good, bad = stage / "g.parquet", stage / "b.parquet"
    duckdb.sql(f"COPY (SELECT 'M1' AS meter_id, TIMESTAMPTZ '2025-01-01 00:00:00+00' AS ts, 1.0::DOUBLE AS value, "
               f"'kWh' AS unit, 'ok' AS quality, 'x' AS batch) TO '{good}' (FORMAT parquet)")
    duckdb.sql(f"COPY (SELECT 'M1' AS meter_id) TO '{bad}' (FORMAT parquet)")
    with pytest.raises(LakeError):
        lake.commit_files([(bad, "electricity", 2025, 1, {})], "b1")
    res = lake.commit_files([(good, "electricity", 2025, 1, {"kind": "interval", "estimated": 0})], "b1")
    assert (res.rows, res.duplicate, lake.version) == (1, False, 1) and not good.exists()
    assert lake.files() == [str(lake.dir / "carrier=electricity/year=2025/month=1/b1-0.parquet")]
    duckdb.sql(f"COPY (SELECT 'M1' AS meter_id, TIMESTAMPTZ '2025-01-01 00:00:00+00' AS ts, 1.0::DOUBLE AS value, "
               f"'kWh' AS unit, 'ok' AS quality, 'x' AS batch) TO '{good}' (FORMAT parquet)")
    assert lake.kind_of(lake.files()[0]) == "interval" and not lake.files_with_estimates(lake.files())
    assert lake.commit_files([(good, "electricity", 2025, 1, {})], "b1").duplicate and not good.exists()
