"""Publishing helpers for the tests (a real paho client against the real broker)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable

import duckdb
import paho.mqtt.client as mqtt

from nengtan.lake import Lake


def publisher(port: int = 1883, client_id: str | None = None) -> mqtt.Client:
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id or "", protocol=mqtt.MQTTv311)
    c.max_inflight_messages_set(1000)
    c.max_queued_messages_set(0)
    c.connect("127.0.0.1", port)
    c.loop_start()
    return c


def publish_all(c: mqtt.Client, msgs: Iterable[tuple[str, bytes | str]]) -> int:
    infos = [c.publish(t, p, qos=1) for t, p in msgs]
    for i in infos:
        i.wait_for_publish(timeout=30)
    assert all(i.is_published() for i in infos)
    return len(infos)


def payload(readings: list[dict[str, object]], gateway: str | None = None) -> bytes:
    body: dict[str, object] = {"readings": readings}
    if gateway:
        body["gateway"] = gateway
    return json.dumps(body).encode()


def lake_rows(lake: Lake) -> list[tuple[str, object, float, str]]:
    files = lake.files()
    if not files:
        return []
    sql = f"SELECT meter_id, epoch_us(ts), value, quality FROM read_parquet({files!r}) ORDER BY 1, 2"
    return duckdb.sql(sql).fetchall()


def wait_for(cond: Callable[[], bool], timeout: float = 20.0, every: float = 0.1) -> float:
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if cond():
            return time.monotonic() - t0
        time.sleep(every)
    raise AssertionError(f"condition not met within {timeout} s")


class Running:
    """Runs an MqttIngester in a thread for the duration of a with-block."""

    def __init__(self, ingester) -> None:  # type: ignore[no-untyped-def]
        self.ingester = ingester
        self.stop = threading.Event()
        self.thread = threading.Thread(target=ingester.run, kwargs={"stop": self.stop}, daemon=True)

    def __enter__(self):  # type: ignore[no-untyped-def]
        self.thread.start()
        assert self.ingester.wait_connected(10)
        time.sleep(0.3)  # subscription acknowledged
        return self.ingester

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)
