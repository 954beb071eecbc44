"""(meter, interval) is the key of the lake on every write path (issue 9, items 1 and 2).

A property test: arbitrary interleavings of overlapping readings files (some of them corrections), bulk
loads, HTTP gateway batches and MQTT messages — with repeats, changed values and times up to ±59 s off
the grid (or 120 s, which must be refused) — leave exactly one stored row per (meter, interval), holding
the value a simple model of the rules predicts, and the accounting scan's monthly totals equal to the
model's. The model: the first reading of a key is stored; the same value again is a duplicate; another
value is quarantined, unless it comes in a correction, which replaces it (the old value kept on record).

The MQTT path is driven through the ingester's message handling (``MqttIngester._process``, the code the
network thread calls); the broker transport itself is exercised in test_mqtt.py.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from nengtan.config import Paths
from nengtan.ingest.bulk import load_file
from nengtan.ingest.files import import_file
from nengtan.ingest.http import IngestService
from nengtan.ingest.mqtt import MqttConfig, MqttIngester, _Msg
from nengtan.lake import Lake
from nengtan.lake.scan import DUCKDB
from tests.ingest.conftest import make_park

T0 = dt.datetime(2025, 3, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # spans March and April
SLOTS = 8  # 15-minute intervals from T0
VALUES = (1.0, 2.0, 2.5)
SKEWS = (0, 0, 30, -30, 59, -59, 120)  # seconds off the grid; 120 is beyond the tolerance

reading = st.tuples(st.integers(0, 1), st.integers(0, SLOTS - 1), st.sampled_from(VALUES), st.sampled_from(SKEWS))
operation = st.tuples(st.sampled_from(["file", "correction", "bulk", "http", "mqtt"]),
                      st.lists(reading, min_size=1, max_size=6))


def _ts(slot: int, skew: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=15 * slot, seconds=skew)


def _model(ops: list[tuple[str, list[tuple[int, int, float, int]]]]) -> dict[tuple[int, int], float]:
    stored: dict[tuple[int, int], float] = {}
    for path, readings in ops:
        seen: set[tuple[int, int]] = set()
        for m, slot, value, skew in readings:
            key = (m, slot)
            if abs(skew) > 60 or key in seen:  # refused, or a repeat within the batch (never stored)
                continue
            seen.add(key)
            if key not in stored or path == "correction":
                stored[key] = value
    return stored


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(operation, min_size=1, max_size=6))
def test_every_path_keeps_one_current_value_per_meter_and_interval(registry, ops) -> None:  # type: ignore[no-untyped-def]
    note(repr(ops))
    park = make_park(registry, n_ent=1, meters_per_ent=2)
    (gateway, meters), = park.gateway_meters.items()
    token = park.gateways[gateway]
    with tempfile.TemporaryDirectory() as tmp:
        paths = Paths(Path(tmp) / "home")
        lake = Lake(paths.lake)
        http = IngestService(registry, lake)
        assert http.authenticate(token) == gateway
        mqtt = MqttIngester(registry, lake, MqttConfig(prefix="p"))
        for n, (path, readings) in enumerate(ops):
            rows = [{"meter": meters[m], "ts": _ts(slot, skew).isoformat(), "value": value, "unit": "kWh"}
                    for m, slot, value, skew in readings]
            if path in ("file", "correction"):
                f = Path(tmp) / f"r{n}.csv"
                f.write_text("meter_id,ts,value,unit\n" + "".join(
                    f"{r['meter']},{r['ts']},{r['value']},kWh\n" for r in rows))
                import_file(registry, paths, "readings", f, correction="meter replaced" if path == "correction"
                            else None)
            elif path == "bulk":
                f = Path(tmp) / f"b{n}.csv"
                f.write_text("meter,ts,value,unit\n" + "".join(
                    f"{r['meter']},{r['ts']},{r['value']},kWh\n" for r in rows))
                load_file(registry, lake, f)
            elif path == "http":
                http.ingest(gateway, json.dumps({"readings": rows}).encode(), "application/json")
            else:
                mqtt._process([_Msg(f"p/gw/{gateway}/readings", json.dumps({"readings": rows}).encode(), n, 1, 0)])
        expected = _model(ops)
        files = lake.files()
        stored = duckdb.sql(f"SELECT meter_id, epoch_us(ts), value FROM read_parquet({files!r})").fetchall() \
            if files else []
        keys = [(m, t) for m, t, _ in stored]
        assert len(keys) == len(set(keys)), "a (meter, interval) is stored twice"
        want = {(meters[m], int(_ts(slot, 0).timestamp()) * 1_000_000): v for (m, slot), v in expected.items()}
        assert {(m, t): v for m, t, v in stored} == want
        # what the accounting reads: Σ per meter and month equals the model's
        scan = DUCKDB.month_scan(lake, 2025)
        got = {(r.meter_id, int(r.month)): round(float(r.total), 9) for r in scan.itertuples() if r.total}
        model_sum: dict[tuple[str, int], float] = {}
        for (m, slot), v in expected.items():
            k = (meters[m], _ts(slot, 0).astimezone(dt.timezone(dt.timedelta(hours=8))).month)
            model_sum[k] = round(model_sum.get(k, 0.0) + v, 9)
        assert got == model_sum
