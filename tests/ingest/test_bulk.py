"""Bulk CSV/Parquet loading with validation (DuckDB) into the lake, real PostgreSQL registry."""

from __future__ import annotations

import duckdb
import pytest
from sqlalchemy import select

from nengtan.ingest.bulk import load_file
from nengtan.registry.models import QuarantineRow
from tests.ingest.conftest import make_park
from tests.ingest.mqtt_helpers import lake_rows

pytestmark = [pytest.mark.postgres]


def test_csv_then_parquet_of_the_same_rows(registry, lake, tmp_path):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=2, gateways=False)
    a, b = park.meters[park.enterprises[0]]
    lines = ["meter,ts,value,unit"]
    lines += [f"{a},2025-03-01T{h:02d}:00:00+08:00,{h}.5,kWh" for h in range(24)]
    lines += [f"{b},2025-03-01 {h:02d}:00:00,{h},万kWh" for h in range(24)]  # no offset: Asia/Shanghai
    lines += [f"{a},2025-03-01T00:00:00+08:00,99,kWh",  # duplicate key in the same file
              "NOPE,2025-03-01T00:00:00+08:00,1,kWh", f"{a},2025-03-02T00:00:00+08:00,abc,kWh",
              f"{a},2025-03-02T00:15:00+08:00,1,m3", f"{a},1970-01-01T00:00:00Z,1,kWh",
              f"{a},2100-01-01T00:00:00Z,1,kWh"]
    csv = tmp_path / "r.csv"
    csv.write_text("\n".join(lines) + "\n")
    res = load_file(registry, lake, csv)
    assert (res.rows, res.accepted, res.duplicate, res.rejected) == (54, 48, 1, 5)
    rows = lake_rows(lake)
    assert len(rows) == 48
    assert sum(v for m, _, v, _ in rows if m == b) == pytest.approx(sum(range(24)) * 1e4)
    first_b = min(t for m, t, _, _ in rows if m == b)
    assert first_b == 1740758400_000000  # 2025-03-01 00:00 Asia/Shanghai
    with registry.session() as s:
        q = select(QuarantineRow).where(QuarantineRow.batch_id == res.quarantine_batch)
        reasons = sorted(r.reason for r in s.scalars(q))
    assert len(reasons) == 5 and any("unknown meter 'NOPE'" in r for r in reasons)
    assert any("'abc' is not a finite number" in r for r in reasons)
    assert any("does not fit electricity" in r for r in reasons)
    pq_path = tmp_path / "r.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv}', all_varchar = true)) TO '{pq_path}' (FORMAT parquet)")
    again = load_file(registry, lake, pq_path)
    assert (again.accepted, again.duplicate, again.rejected) == (0, 49, 5)
    assert len(lake_rows(lake)) == 48
