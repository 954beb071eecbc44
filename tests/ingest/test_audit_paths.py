"""Every write path leaves an audit-log entry (issue 9, item 14): CLI and upload imports, bulk loads,
HTTP gateway batches and MQTT messages, each naming who wrote and what landed; the chain stays intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from nengtan.config import Paths
from nengtan.ingest.bulk import load_file
from nengtan.ingest.files import import_file
from nengtan.ingest.http import IngestService
from nengtan.ingest.mqtt import MqttConfig, MqttIngester, _Msg
from nengtan.lake import Lake
from nengtan.registry import audit
from nengtan.registry.tables.access import AuditEntry
from tests.ingest.conftest import make_park

pytestmark = [pytest.mark.postgres]


def test_every_write_path_is_audited(registry, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=2)
    (gateway, (m1, m2)), = park.gateway_meters.items()
    paths = Paths(tmp_path / "home")
    lake = Lake(paths.lake)
    with registry.session() as s:
        start = s.execute(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)).scalar() or 0
    f = tmp_path / "r.csv"
    f.write_text(f"meter_id,ts,value,unit\n{m1},2025-03-01T00:00:00+08:00,1,kWh\n", encoding="utf-8")
    import_file(registry, paths, "readings", f, created_by="王主任")
    b = tmp_path / "b.csv"
    b.write_text(f"meter,ts,value,unit\n{m1},2025-03-01T00:15:00+08:00,2,kWh\n", encoding="utf-8")
    load_file(registry, lake, b)
    rows = [{"meter": m2, "ts": "2025-03-01T00:00:00+08:00", "value": 3.0, "unit": "kWh"}]
    IngestService(registry, lake).ingest(gateway, json.dumps({"readings": rows}).encode(), "application/json")
    rows2 = [{"meter": m2, "ts": "2025-03-01T00:15:00+08:00", "value": 4.0, "unit": "kWh"}]
    MqttIngester(registry, lake, MqttConfig(prefix="p", client_id="ing-1"))._process(
        [_Msg(f"p/gw/{gateway}/readings", json.dumps({"readings": rows2}).encode(), 1, 1, 0)])
    with registry.session() as s:
        new = s.execute(select(AuditEntry).where(AuditEntry.seq > start).order_by(AuditEntry.seq)).scalars().all()
        got = [(e.actor, e.action, json.loads(e.detail).get("accepted", json.loads(e.detail).get("rows_ok")))
               for e in new]
        assert audit.verify(s).intact
    assert got == [("王主任", "import.readings", 1), ("bulk", "import.bulk", 1),
                   (f"gateway:{gateway}", "ingest.readings", 1), ("mqtt:ing-1", "ingest.readings", 1)]
