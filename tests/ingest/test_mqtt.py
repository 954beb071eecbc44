"""MQTT ingestion against the real Mosquitto on 127.0.0.1:1883 and the real PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
import time

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import select

from nengtan.ingest.mqtt import MqttConfig, MqttIngester
from nengtan.registry.tables.records import QuarantineRow
from tests.ingest.conftest import make_park
from tests.ingest.mqtt_helpers import Running, lake_rows, payload, publish_all, publisher, wait_for

pytestmark = [pytest.mark.mqtt, pytest.mark.postgres]
T0 = dt.datetime(2025, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _r(meter: str, k: int, value: object = 1.5, unit: str = "kWh", **kw: object) -> dict[str, object]:
    return {"meter": meter, "ts": (T0 + dt.timedelta(minutes=15 * k)).isoformat(), "value": value,
            "unit": unit, **kw}


def _cfg(prefix: str, port: int = 1883, **kw: object) -> MqttConfig:
    return MqttConfig(port=port, prefix=prefix, client_id=f"{prefix}-ing", flush_s=0.2, compact_every_s=None,
                      **kw)  # type: ignore[arg-type]


def test_readings_land_once_and_bad_payloads_are_quarantined(registry, lake, prefix):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=2, meters_per_ent=2)
    (gw_a, meters_a), (gw_b, meters_b) = list(park.gateway_meters.items())
    ing = MqttIngester(registry, lake, _cfg(prefix, max_bytes=20_000))
    good = payload([_r(m, k, 10.0 + k) for m in meters_a for k in range(4)], gw_a)
    with Running(ing):
        pub = publisher()
        topic_a, topic_b = f"{prefix}/gw/{gw_a}/readings", f"{prefix}/gw/{gw_b}/readings"
        publish_all(pub, [(topic_a, good), (topic_a, good)])  # the second is a redelivery-like duplicate
        publish_all(pub, [
            (topic_a, b"{not json"),
            (topic_a, payload([_r("NO-SUCH-METER", 0)])),
            (topic_a, payload([_r(meters_a[0], 10, unit="m3")])),
            (topic_a, payload([_r(meters_a[0], 11, value="abc")])),
            (topic_a, payload([{**_r(meters_a[0], 12), "ts": "1970-01-01T00:00:00Z"}])),
            (topic_a, payload([{**_r(meters_a[0], 13), "ts": "2100-01-01T00:00:00Z"}])),
            (topic_a, b'{"readings": [' + b",".join([json.dumps(_r(meters_a[0], 20)).encode()] * 400) + b"]}"),
            (topic_b, payload([_r(meters_a[1], 30)])),  # gateway B writing A's meter
            (topic_b, payload([_r(meters_b[0], 0, 5.0), _r(meters_b[0], 1, "7.5")])),  # still running
        ])
        pub.disconnect()
        wait_for(lambda: len(lake_rows(lake)) == 10)
        wait_for(lambda: ing.stats.messages == 11)
    rows = lake_rows(lake)
    assert len(rows) == 10
    assert len({(m, t) for m, t, _, _ in rows}) == 10
    assert sorted(v for m, _, v, _ in rows if m == meters_b[0]) == [5.0, 7.5]
    assert ing.stats.accepted == 10 and ing.stats.duplicate == 8 and ing.stats.rejected == 8
    with registry.session() as s:
        reasons = [q.reason for q in s.scalars(select(QuarantineRow).where(QuarantineRow.file.like(f"{prefix}/%")))]
    joined = "\n".join(sorted(reasons))
    assert len(reasons) == 8, joined
    for needle in ("not JSON", "unknown meter 'NO-SUCH-METER'", "does not fit electricity",
                   "value 'abc' is not a number", "before 2000-01-01", "in the future",
                   "exceeds the limit of 20000", f"does not belong to gateway '{gw_b}'"):
        assert needle in joined, needle


def test_unit_conversion_suspect_marks_and_the_interval_grid(registry, lake, prefix):  # type: ignore[no-untyped-def]
    """万kWh converted; a negative interval value kept as suspect; 30 s late is the 00:30 reading (the
    key is the interval), 120 s late is quarantined."""
    park = make_park(registry, n_ent=1, meters_per_ent=1)
    gw, (meter,) = next(iter(park.gateway_meters.items()))
    ing = MqttIngester(registry, lake, _cfg(prefix))
    late = {**_r(meter, 2), "ts": (T0 + dt.timedelta(minutes=30, seconds=30)).isoformat()}
    off_grid = {**_r(meter, 3), "ts": (T0 + dt.timedelta(minutes=47)).isoformat()}
    with Running(ing):
        pub = publisher()
        publish_all(pub, [(f"{prefix}/gw/{gw}/readings",
                           payload([_r(meter, 0, 1.2, unit="万kWh"), _r(meter, 1, -3.0), late, off_grid]))])
        wait_for(lambda: len(lake_rows(lake)) == 3 and ing.stats.rejected == 1)
    rows = lake_rows(lake)
    assert [(round(v, 6), q) for _, _, v, q in rows] == [(12000.0, "ok"), (-3.0, "suspect"), (1.5, "ok")]
    assert rows[2][1] == int((T0 + dt.timedelta(minutes=30)).timestamp()) * 1_000_000
    with registry.session() as s:
        (q,) = s.scalars(select(QuarantineRow).where(QuarantineRow.kind == "mqtt",
                                                     QuarantineRow.file == f"{prefix}/gw/{gw}/readings")).all()
    assert f"is 120 s off meter {meter}'s 15-minute grid (tolerance 60 s)" in q.reason


def test_freshness_under_5_seconds(registry, lake, prefix):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=1)
    gw, (meter,) = next(iter(park.gateway_meters.items()))
    ing = MqttIngester(registry, lake, MqttConfig(prefix=prefix, client_id=f"{prefix}-ing", compact_every_s=None))
    with Running(ing):
        pub = publisher()
        t0 = time.monotonic()
        publish_all(pub, [(f"{prefix}/gw/{gw}/readings", payload([_r(meter, 0)]))])
        wait_for(lambda: len(lake_rows(lake)) == 1, timeout=5.0, every=0.02)
        latency = time.monotonic() - t0
    assert latency < 5.0
    print(f"visible after {latency:.3f} s")


def test_persistent_session_keeps_messages_published_while_ingester_is_down(registry, lake, prefix):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=1, meters_per_ent=3)
    gw, meters = next(iter(park.gateway_meters.items()))
    with Running(MqttIngester(registry, lake, _cfg(prefix))):
        pass  # first run creates the session and the subscription
    pub = publisher()
    publish_all(pub, [(f"{prefix}/gw/{gw}/readings", payload([_r(m, k) for m in meters])) for k in range(50)])
    assert lake_rows(lake) == []
    ing = MqttIngester(registry, lake, _cfg(prefix))
    with Running(ing):
        wait_for(lambda: len(lake_rows(lake)) == 150)
    assert ing.stats.accepted == 150 and ing.stats.duplicate == 0


def test_a_payload_is_parsed_whole_or_refused_whole_with_its_reason() -> None:
    from nengtan.ingest.mqtt import parse_message

    ok, whole = parse_message(b'{"gateway": "GW-1", "readings": [{"meter": "M", "value": 1.5}]}', "GW-1", 1000)
    assert whole is None and ok == [{"meter": "M", "value": 1.5}]
    # NaN is not JSON but Python's parser reads it: the message is read, and the reading refused on its own
    nan, whole = parse_message(b'[{"meter": "M", "value": NaN}]', "GW-1", 1000)
    assert whole is None and len(nan) == 1 and nan[0]["value"] != nan[0]["value"]
    _, whole = parse_message(b'{"readings": [', "GW-1", 1000)
    assert whole is not None and whole.reason.startswith("payload is not JSON: ")
    _, whole = parse_message(b'{"gateway": "GW-2", "readings": []}', "GW-1", 1000)
    assert whole is not None and "names gateway 'GW-2' but was published by 'GW-1'" in whole.reason
    _, whole = parse_message(b"x" * 1001, "GW-1", 1000)
    assert whole is not None and "exceeds the limit of 1000" in whole.reason


def test_mqtt5_properties_and_every_qos_are_read_and_acknowledged(registry, lake, prefix):  # type: ignore[no-untyped-def]
    """The ingester decodes a QoS 1 PUBLISH without paho's Properties (nengtan.ingest.mqtt._BufferedClient): a
    message with properties longer than 127 bytes (a two-byte property length) keeps its payload; QoS 0 and 2 go
    through paho's own handler. Every message is acknowledged in one write per batch: a second ingester on the same
    persistent session is sent nothing again."""
    from paho.mqtt.packettypes import PacketTypes
    from paho.mqtt.properties import Properties

    park = make_park(registry, n_ent=1, meters_per_ent=2)
    gw, meters = next(iter(park.gateway_meters.items()))
    topic = f"{prefix}/gw/{gw}/readings"
    props = Properties(PacketTypes.PUBLISH)
    props.ContentType = "application/json"
    props.UserProperty = [("site", "能碳-" + "x" * 150), ("batch", "7")]
    props.MessageExpiryInterval = 3600
    assert len(props.pack()) > 128
    ing = MqttIngester(registry, lake, _cfg(prefix))
    with Running(ing):
        pub = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=mqtt.MQTTv5)
        pub.connect("127.0.0.1", 1883)
        pub.loop_start()
        infos = [pub.publish(topic, payload([_r(m, k, 2.0 + k) for m in meters]), qos=qos,
                             properties=props if k % 2 else None)
                 for k, qos in enumerate([1, 1, 1, 1, 2, 0, 1, 2])]
        for i in infos:
            i.wait_for_publish(timeout=30)
        pub.loop_stop()
        pub.disconnect()
        wait_for(lambda: len(lake_rows(lake)) == 16)
    rows = lake_rows(lake)
    assert sorted({v for _, _, v, _ in rows}) == [2.0 + k for k in range(8)]
    assert ing.stats.messages == 8 and ing.stats.accepted == 16 and ing.stats.rejected == 0
    again = MqttIngester(registry, lake, _cfg(prefix))
    with Running(again):
        time.sleep(1.0)
    assert again.stats.messages == 0
