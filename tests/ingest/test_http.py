"""HTTP batch ingestion (FastAPI router) against the real PostgreSQL registry."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from nengtan.ingest.http import create_app
from nengtan.registry.tables.records import QuarantineRow
from tests.ingest.conftest import make_park
from tests.ingest.mqtt_helpers import lake_rows

pytestmark = [pytest.mark.postgres]


def test_json_and_csv_batches_with_counts_and_ownership(registry, lake):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=2, meters_per_ent=2)
    (gw_a, meters_a), (_gw_b, meters_b) = list(park.gateway_meters.items())
    client = TestClient(create_app(registry, lake))
    auth = {"Authorization": f"Bearer {park.gateways[gw_a]}"}
    body = {"readings": [{"meter": meters_a[0], "ts": f"2025-03-01T00:{m:02d}:00+08:00", "value": 1.0 + m,
                          "unit": "kWh"} for m in (0, 15, 30, 45)]
            + [{"meter": meters_b[0], "ts": "2025-03-01T00:00:00+08:00", "value": 1, "unit": "kWh"},
               {"meter": meters_a[1], "ts": "2025-03-01T00:00:00+08:00", "value": "x", "unit": "kWh"}]}
    r = client.post("/ingest/readings", json=body, headers=auth)
    assert r.status_code == 200, r.text
    a = r.json()
    assert (a["accepted"], a["duplicate"], a["rejected"]) == (4, 0, 2)
    reasons = {x["meter"]: x["reason"] for x in a["rejections"]}
    assert f"does not belong to gateway '{gw_a}'" in reasons[meters_b[0]]
    assert "value 'x' is not a number" in reasons[meters_a[1]]
    # the same batch again: everything duplicate, nothing stored twice
    a2 = client.post("/ingest/readings", json=body, headers=auth).json()
    assert (a2["accepted"], a2["duplicate"], a2["rejected"]) == (0, 4, 2)
    csv_body = ("meter,ts,value,unit\n"
                f"{meters_a[1]},2025-03-01T00:00:00+08:00,2.5,万kWh\n"
                f"{meters_a[1]},2025-03-01 00:15:00,3,kWh\n"
                f"{meters_a[0]},2025-03-01T00:00:00+08:00,99,kWh\n"
                f"{meters_a[1]},1970-01-01T00:00:00Z,3,kWh\n")
    r3 = client.post("/ingest/readings", content=csv_body.encode(),
                     headers={**auth, "Content-Type": "text/csv"})
    a3 = r3.json()
    # meters_a[0] at 00:00 holds another value (stored from the first batch): not a duplicate, a conflict,
    # quarantined with both values named, the stored one unchanged
    assert (a3["accepted"], a3["duplicate"], a3["rejected"]) == (2, 0, 2), a3
    (conflict,) = [x for x in a3["rejections"] if x["meter"] == meters_a[0]]
    assert "99 kWh differs from the stored reading" in conflict["reason"] and "correction" in conflict["reason"]
    rows = lake_rows(lake)
    assert len(rows) == 6
    assert sorted(v for m, _, v, _ in rows if m == meters_a[1]) == [3.0, 25000.0]
    with registry.session() as s:
        q = s.scalars(select(QuarantineRow).where(QuarantineRow.file == f"http:{gw_a}")).all()
    assert len(q) == 4  # 2 from the first batch (recorded once although sent twice) + 2 from the CSV


def test_auth_and_unreadable_bodies(registry, lake):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=1)
    gw = next(iter(park.gateways))
    client = TestClient(create_app(registry, lake))
    assert client.post("/ingest/readings", json=[]).status_code == 401
    assert client.post("/ingest/readings", json=[], headers={"Authorization": "Bearer nope"}).status_code == 401
    auth = {"X-Gateway-Token": park.gateways[gw]}
    bad = client.post("/ingest/readings", content=b"{oops", headers={**auth, "Content-Type": "application/json"})
    assert bad.status_code == 400 and "not JSON" in bad.json()["detail"]
    bad_csv = client.post("/ingest/readings", content=b"a,b\n1,2\n", headers={**auth, "Content-Type": "text/csv"})
    assert bad_csv.status_code == 400 and "lacks meter, ts, value" in bad_csv.json()["detail"]
    assert lake_rows(lake) == []
