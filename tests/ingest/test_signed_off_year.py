"""A signed-off enterprise-year is locked on every path that writes readings (issue 9, item 3).

The write paths are enumerated from the code (every module that writes the lake), so a new path
without a test here fails `test_every_lake_writer_is_covered`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import select

from nengtan.config import Paths
from nengtan.ingest.bulk import load_file
from nengtan.ingest.files import import_file
from nengtan.ingest.http import IngestService
from nengtan.ingest.mqtt import MqttConfig, MqttIngester, _Msg
from nengtan.ingest.quality import compute
from nengtan.lake import Lake
from nengtan.registry.tables.park import Enterprise
from nengtan.registry.tables.records import QuarantineRow
from nengtan.registry.tables.verification import YearLock
from tests.ingest.conftest import make_park

pytestmark = [pytest.mark.postgres]
CST = dt.timezone(dt.timedelta(hours=8))
COVERED = {"nengtan/ingest/readings_file.py", "nengtan/ingest/bulk.py", "nengtan/ingest/http.py",
           "nengtan/ingest/mqtt.py", "nengtan/ingest/quality.py",
           "nengtan/demo.py",  # the demo builds a new home: no year of it can be signed off yet
           "nengtan/demo_province.py"}  # so does the synthetic province (it refuses a lake holding readings)
SIGNED = "signed off by verifier 核查员甲: readings for a signed-off year are quarantined"


def test_every_lake_writer_is_covered() -> None:
    root = Path(__file__).resolve().parents[2]
    writers = {str(p.relative_to(root)) for p in (root / "nengtan").rglob("*.py")
               if not p.is_relative_to(root / "nengtan" / "lake")
               and re.search(r"DedupeWriter\(|\.commit_files\(|\.write_batch\(|\.revise\(", p.read_text())}
    assert writers == COVERED


def _stored(lake: Lake) -> list[tuple[str, int, float]]:
    files = lake.files()
    return duckdb.sql(f"SELECT meter_id, epoch_us(ts), value FROM read_parquet({files!r}) ORDER BY 1, 2").fetchall()


def test_readings_of_a_signed_off_year_are_quarantined_on_every_path(registry, tmp_path) -> None:  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=2)
    (gateway, (m1, m2)), = park.gateway_meters.items()
    paths = Paths(tmp_path / "home")
    lake = Lake(paths.lake)
    t = [dt.datetime(2025, 6, 1, h, tzinfo=CST) for h in range(4)]
    f = tmp_path / "first.csv"
    f.write_text("meter_id,ts,value,unit\n" + "".join(f"{m1},{x.isoformat()},10,kWh\n" for x in t[:2]))
    assert import_file(registry, paths, "readings", f).rows_ok == 2
    with registry.session() as s:
        ent = s.execute(select(Enterprise).where(Enterprise.uscc == park.enterprises[0])).scalar_one()
        s.add(YearLock(enterprise_id=ent.id, year=2025, locked_by="核查员甲", signed_energy_tce=1.0, signed_co2_t=1.0))
    before = _stored(lake)
    rows = [{"meter": m1, "ts": t[0].isoformat(), "value": 99.0, "unit": "kWh"},  # a changed value
            {"meter": m2, "ts": t[2].isoformat(), "value": 5.0, "unit": "kWh"}]   # a new reading
    # 1. a readings file (the CLI and the enterprise and admin uploads all run import_file)
    f2 = tmp_path / "second.csv"
    f2.write_text("meter_id,ts,value,unit\n" + "".join(f"{r['meter']},{r['ts']},{r['value']},kWh\n" for r in rows))
    res = import_file(registry, paths, "readings", f2, created_by="enterprise-user")
    assert (res.rows_ok, res.rows_bad) == (0, 2) and all(SIGNED in i.reason for i in res.issues)
    # 2. a bulk load
    f3 = tmp_path / "bulk.csv"
    f3.write_text("meter,ts,value,unit\n" + "".join(f"{r['meter']},{r['ts']},{r['value']},kWh\n" for r in rows))
    bulk = load_file(registry, lake, f3)
    assert (bulk.accepted, bulk.rejected) == (0, 2)
    # 3. an HTTP gateway batch
    http = IngestService(registry, lake)
    answer = http.ingest(gateway, json.dumps({"readings": rows}).encode(), "application/json")
    assert (answer.accepted, answer.rejected) == (0, 2) and all(SIGNED in r.reason for r in answer.rejections)
    # 4. MQTT messages
    mqtt = MqttIngester(registry, lake, MqttConfig(prefix="p"))
    mqtt._process([_Msg(f"p/gw/{gateway}/readings", json.dumps({"readings": rows}).encode(), 1, 1, 0)])
    assert (mqtt.stats.accepted, mqtt.stats.rejected) == (0, 2)
    # 5. gap filling: a signed-off year gets no estimates
    compute(registry, lake, 2025, 6, uscc=park.enterprises[0], fill_gaps=True,
            now=dt.datetime(2025, 7, 1, tzinfo=dt.UTC))
    assert _stored(lake) == before  # nothing of 2025 changed on any path
    with registry.session() as s:
        reasons = [q.reason for q in s.scalars(select(QuarantineRow).where(QuarantineRow.reason.contains("核查员甲")))]
    assert len(reasons) == 8  # two readings on each of the four paths, each with the reason
    # another year of the same enterprise is open
    open_year = [{"meter": m2, "ts": dt.datetime(2026, 1, 5, tzinfo=CST).isoformat(), "value": 1.0, "unit": "kWh"}]
    assert http.ingest(gateway, json.dumps({"readings": open_year}).encode(), "application/json").accepted == 1
    # 6. only a correction with a reason changes the signed-off year; the old value stays on record
    fixed = import_file(registry, paths, "readings", f2, correction="meter M1 replaced, register misread",
                        created_by="王主任")
    assert (fixed.rows_ok, fixed.rows_revised, fixed.rows_bad) == (2, 1, 0)
    now = {(m, ts): v for m, ts, v in _stored(lake)}
    assert now[(m1, int(t[0].timestamp()) * 1_000_000)] == 99.0
    old = lake.superseded_rows()
    assert old is not None and old.to_pylist()[0]["value"] == 10.0
    why = lake.correction_meta(old.to_pylist()[0]["superseded_by"])["correction"]
    assert why == "meter M1 replaced, register misread"
