"""Live meters over MQTT: exactly-once storage of at-least-once deliveries.

Topic scheme (``<prefix>`` defaults to ``nengtan``)::

    <prefix>/gw/<gateway code>/readings      one message = one batch of that gateway's readings

Payload (UTF-8 JSON, at most ``max_bytes``)::

    {"gateway": "GW-001",                      optional; must equal the topic's gateway
     "readings": [{"meter": "E001-M", "ts": "2025-03-01T08:15:00+08:00", "value": 12.5,
                   "unit": "kWh", "quality": "ok"}, ...]}

A bare JSON list of readings is accepted too. See nengtan.ingest.validate for the rules.

How nothing is lost and nothing is stored twice (MQTT 5, QoS 1):

* the ingester connects with ``clean_start=False`` and a session expiry, so the broker keeps its
  subscription and queues messages while it is away, and it asks for a Receive Maximum of 65 535 so
  the broker may have that many unacknowledged messages in flight to it (MQTT 3.1.1 clients get
  Mosquitto's ``max_inflight_messages``, 20 by default, which would cap throughput);
* messages are acknowledged by hand (``manual_ack``) only after the readings they carry are durably
  committed to the lake and their rejects are in quarantine; a crash before the ack makes the broker
  redeliver, and :class:`nengtan.lake.dedupe.DedupeWriter` stores each (meter, ts) once;
* messages are collected for ``flush_s`` (0.5 s) and committed together, which keeps lake commits
  large and readings visible within about a second (the freshness goal is 5 s);
* acknowledgements are tied to the connection a message came on: after a reconnect the broker resends
  what was not acknowledged, and old packet ids are never acknowledged on the new connection;
* a broker that goes away is reconnected with exponential back-off (1 s to 60 s), logged.

Live alarms: given a watch (nengtan.ingest.watch; the surfaces plug in nengtan.engine.alarms.AlarmWatch), each
committed batch is shown to it before it is acknowledged, and it looks for missing data once a minute.
"""

from __future__ import annotations

import json
import logging
import os
import struct
import threading
import time
import uuid
from dataclasses import dataclass, field

import orjson
import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from nengtan.ingest import quarantine
from nengtan.ingest.validate import Catalog, Reject, Validated, Validator
from nengtan.ingest.watch import ReadingsWatch
from nengtan.lake.dedupe import DedupeWriter
from nengtan.lake.store import Lake
from nengtan.registry import audit
from nengtan.registry.store import Registry

log = logging.getLogger("nengtan.ingest.mqtt")
_PUBACK = struct.Struct("!BBH")  # fixed header, remaining length 2, packet identifier


@dataclass
class MqttConfig:
    host: str = "127.0.0.1"
    port: int = 1883
    prefix: str = "nengtan"
    client_id: str = "nengtan-ingester"
    flush_s: float = 0.5
    max_bytes: int = 256 * 1024
    session_expiry_s: int = 7 * 24 * 3600
    receive_maximum: int = 65535
    keepalive_s: int = 30
    catalog_refresh_s: float = 10.0
    compact_every_s: float | None = 60.0
    crash_after_commits: int | None = None  # fault injection for tests: exit between commit and ack

    @property
    def topic_filter(self) -> str:
        return f"{self.prefix}/gw/+/readings"


@dataclass
class Stats:
    messages: int = 0
    readings: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    rejected_messages: int = 0
    commits: int = 0
    connects: int = 0
    started: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class _Msg:
    topic: str
    payload: bytes
    mid: int
    qos: int
    gen: int


def _load_processing_code() -> None:
    """Import now what the first flush would import (pandas, through the quarantine and the audit log): a second or
    more that would otherwise hold up the first messages after the ingester said it was ready."""
    import pandas  # noqa: F401

    from nengtan.registry.tables import records  # noqa: F401


def gateway_of(topic: str, prefix: str) -> str | None:
    parts = topic.split("/")
    pre = prefix.split("/")
    if len(parts) != len(pre) + 3 or parts[: len(pre)] != pre or parts[len(pre)] != "gw" or parts[-1] != "readings":
        return None
    return parts[len(pre) + 1] or None


def parse_message(payload: bytes, gateway: str | None, max_bytes: int) -> tuple[list[object], Reject | None]:
    """The readings a message carries, or the reason the whole message is rejected."""
    if len(payload) > max_bytes:
        return [], Reject(-1, "", f"message of {len(payload)} bytes exceeds the limit of {max_bytes}", payload)
    if gateway is None:
        return [], Reject(-1, "", "topic is not <prefix>/gw/<gateway>/readings", payload)
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError:
        try:  # what orjson refuses and Python's parser reads (NaN, Infinity) is refused reading by reading
            data = json.loads(payload)
        except (UnicodeDecodeError, ValueError) as exc:
            return [], Reject(-1, "", f"payload is not JSON: {exc}", payload)
    if isinstance(data, dict):
        gw = data.get("gateway")
        if gw is not None and gw != gateway:
            return [], Reject(-1, "gateway", f"payload names gateway {gw!r} but was published by {gateway!r}",
                              payload)
        data = data.get("readings")
    if not isinstance(data, list):
        return [], Reject(-1, "readings", "payload has no 'readings' list", payload)
    return data, None


class _BufferedClient(mqtt.Client):
    """paho 2.x reads each packet with three or four ``recv`` calls and goes back to ``select`` after
    every packet; at thousands of messages per second those system calls dominate the network thread.
    This client reads up to 256 KiB per ``recv`` and handles every packet already buffered before it
    selects again; and, having no per-topic callbacks, hands each message straight to ``on_message``
    instead of walking paho's topic-filter tree for it (a recursive generator per message).
    (Overrides paho's ``_sock_recv``/``loop_read``/``_handle_on_message``; paho is pinned in requirements.lock.)"""

    _nt_data: bytes = b""
    _nt_pos: int = 0
    _nt_sock: object = None

    def _sock_recv(self, bufsize: int) -> bytes:
        if self._nt_sock is not self._sock:  # a new connection: drop what the old one left
            self._nt_sock, self._nt_data, self._nt_pos = self._sock, b"", 0
        if self._nt_pos >= len(self._nt_data):
            data = super()._sock_recv(262144)
            if not data:
                return data
            self._nt_data, self._nt_pos = data, 0
        out = self._nt_data[self._nt_pos:self._nt_pos + bufsize]
        self._nt_pos += len(out)
        return out

    def _handle_publish(self) -> mqtt.MQTTErrorCode:
        """A QoS 1 PUBLISH under MQTT 5 with manual acks (the ingester's every message) decoded without its
        properties (MQTT 5 §3.3.2: topic, packet identifier, property length, properties; the payload after them),
        which the ingester never reads: paho builds a Properties object per message, the largest part of its work
        per message. Anything else (QoS 0 or 2, an empty topic) goes to paho's own handler; the broker sends no
        topic alias, as the ingester grants no Topic Alias Maximum (§3.1.2.11.8)."""
        command, packet = self._in_packet["command"], self._in_packet["packet"]
        if (command & 0x06) != 0x02 or not self._manual_ack or self._protocol != mqtt.MQTTv5 or len(packet) < 5:
            return super()._handle_publish()
        topic_end = 2 + ((packet[0] << 8) | packet[1])
        if topic_end == 2 or topic_end + 3 > len(packet):  # an empty topic (an alias) or a short packet
            return super()._handle_publish()
        pos = topic_end + 2
        props_len, shift = 0, 0
        while True:  # the property length: a variable byte integer (§1.5.5)
            byte = packet[pos]
            pos += 1
            props_len |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80 or shift > 21 or pos >= len(packet):
                break
        mid = (packet[topic_end] << 8) | packet[topic_end + 1]
        message = mqtt.MQTTMessage(mid=mid, topic=bytes(packet[2:topic_end]))
        message.dup = bool(command & 0x08)
        message.qos = 1
        message.retain = bool(command & 0x01)
        message.payload = packet[pos + props_len:]
        message.timestamp = time.monotonic()
        self._handle_on_message(message)
        return mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS

    def _handle_on_message(self, message: mqtt.MQTTMessage) -> None:
        if self._on_message_filtered._root._children:  # per-topic callbacks were added: paho's own dispatch
            super()._handle_on_message(message)
            return
        on_message = self.on_message
        if on_message is not None:
            with self._in_callback_mutex:
                on_message(self, self._userdata, message)

    def ack_all(self, mids: list[int]) -> None:
        """Acknowledge QoS 1 messages (manual acks) with one queued write: their PUBACKs (MQTT 5 §3.4, success
        without properties: 4 bytes each) joined. paho's ``ack`` queues each PUBACK apart and wakes the network
        thread for it — at tens of thousands of messages a second, a system call or two per message."""
        if mids:
            packet = b"".join(_PUBACK.pack(mqtt.PUBACK, 2, mid) for mid in mids)
            self._packet_queue(mqtt.PUBACK, packet, 0, 1)

    def loop_read(self, max_packets: int = 1) -> mqtt.MQTTErrorCode:
        rc = super().loop_read(max_packets)
        while (rc == mqtt.MQTTErrorCode.MQTT_ERR_SUCCESS and self._sock is not None
               and self._nt_sock is self._sock and self._nt_pos < len(self._nt_data)):
            rc = super().loop_read(1)
        return rc


class MqttIngester:
    """Subscribes to the gateway topics and stores what arrives (see the module docstring)."""

    def __init__(self, registry: Registry, lake: Lake, config: MqttConfig | None = None,
                 watch: ReadingsWatch | None = None) -> None:
        self.registry = registry
        self.lake = lake
        self.config = config or MqttConfig()
        self.writer = DedupeWriter(lake)
        self.stats = Stats()
        self._catalog = Catalog.load(registry)
        self._catalog_at = time.monotonic()
        self._validator = Validator(self._catalog)  # kept across flushes: unit factors, parsed times
        self._validator.warm_up()
        _load_processing_code()
        self._buf: list[_Msg] = []
        self._retry: list[_Msg] = []
        self._lock = threading.Lock()
        self._gen = 0
        self._connected = threading.Event()
        self._stop = threading.Event()
        self._client = self._make_client()
        self._compactor: threading.Thread | None = None
        self.watch = watch
        self._missing_at = time.monotonic()

    # -- MQTT callbacks (network thread) ------------------------------------------------------
    def _make_client(self) -> _BufferedClient:
        c = _BufferedClient(mqtt.CallbackAPIVersion.VERSION2, client_id=self.config.client_id,
                            protocol=mqtt.MQTTv5)
        c.manual_ack_set(True)
        c.reconnect_delay_set(min_delay=1, max_delay=60)
        c.on_connect = self._on_connect
        c.on_disconnect = self._on_disconnect
        c.on_connect_fail = self._on_connect_fail
        c.on_message = self._on_message
        c.on_subscribe = self._on_subscribe  # type: ignore[assignment]
        return c

    def _on_connect(self, client: mqtt.Client, _u: object, flags: mqtt.ConnectFlags,
                    reason: object, _p: object) -> None:
        with self._lock:
            self._gen += 1
        if getattr(reason, "is_failure", False):
            log.error("broker refused the connection: %s", reason)
            return
        self.stats.connects += 1
        log.info("connected to %s:%s (session present: %s); subscribing to %s", self.config.host,
                 self.config.port, flags.session_present, self.config.topic_filter)
        client.subscribe(self.config.topic_filter, qos=1)

    def _on_subscribe(self, _c: mqtt.Client, _u: object, _mid: int, reasons: list[object], _p: object) -> None:
        if any(getattr(r, "is_failure", False) for r in reasons):
            log.error("broker refused the subscription to %s: %s", self.config.topic_filter, reasons)
            return
        log.info("subscribed to %s; ready", self.config.topic_filter)
        self._connected.set()

    def _on_disconnect(self, _c: mqtt.Client, _u: object, _f: object, reason: object, _p: object) -> None:
        with self._lock:
            self._gen += 1
        self._connected.clear()
        if not self._stop.is_set():
            log.warning("disconnected from broker (%s); reconnecting with back-off 1-60 s", reason)

    def _on_connect_fail(self, _c: mqtt.Client, _u: object) -> None:
        log.warning("cannot reach broker %s:%s; retrying with back-off", self.config.host, self.config.port)

    def _on_message(self, _c: mqtt.Client, _u: object, msg: mqtt.MQTTMessage) -> None:
        m = _Msg(msg.topic, bytes(msg.payload), msg.mid, msg.qos, self._gen)
        with self._lock:
            self._buf.append(m)

    # -- processing (main thread) -------------------------------------------------------------
    def _refresh_catalog(self) -> None:
        if time.monotonic() - self._catalog_at >= self.config.catalog_refresh_s:
            self._catalog = Catalog.load(self.registry)
            self._catalog_at = time.monotonic()
            self._validator = Validator(self._catalog)
            self._validator.warm_up()

    def flush(self) -> int:
        """Process what has arrived: commit, quarantine, then acknowledge. Returns messages handled."""
        with self._lock:
            batch, self._buf = self._retry + self._buf, []
            self._retry = []
        if not batch:
            return 0
        try:
            self._process(batch)
        except Exception:
            log.exception("could not store %d messages; they stay unacknowledged and are retried", len(batch))
            with self._lock:
                self._retry = batch
            time.sleep(1.0)
            return 0
        if self.config.crash_after_commits is not None and self.stats.commits >= self.config.crash_after_commits:
            log.warning("fault injection: exiting after the lake commit, before acknowledging")
            os._exit(137)
        with self._lock:
            gen = self._gen
        self._client.ack_all([m.mid for m in batch if m.gen == gen and m.qos == 1])
        for m in batch:
            if m.gen == gen and m.qos == 2:
                self._client.ack(m.mid, m.qos)
        return len(batch)

    def _process(self, batch: list[_Msg]) -> None:
        self._refresh_catalog()
        self._catalog.refresh_locks(self.registry)
        validator = self._validator
        good = Validated()
        bad: dict[int, tuple[_Msg, list[Reject], int]] = {}  # message position -> its rejects
        spans: list[tuple[int, int, int, int]] = []  # (message position, first, end, readings sent)
        n_readings = 0
        for pos, m in enumerate(batch):
            gw = gateway_of(m.topic, self.config.prefix)
            readings, whole = parse_message(m.payload, gw, self.config.max_bytes)
            if whole is not None:
                bad[pos] = (m, [whole], 0)
                continue
            before, first = len(good.rejects), len(good)
            validator.validate(readings, gateway=gw, out=good)
            n_readings += len(readings)
            spans.append((pos, first, len(good), len(readings)))
            if len(good.rejects) > before:
                bad[pos] = (m, good.rejects[before:], len(readings))
        result = self.writer.write(good.table(), good.carriers(), f"mqtt-{uuid.uuid4().hex}",
                                   {"source": "mqtt", "messages": len(batch)}) if len(good) else None
        if result is not None and result.conflicts:  # readings differing from the stored value of their key
            for c, rej in zip(result.conflicts, good.conflict_rejects(result.conflicts), strict=True):
                pos, total = next((p, n) for p, a, b, n in spans if a <= c.index < b)
                bad.setdefault(pos, (batch[pos], [], total))[1].append(rej)
        if result is not None and self.watch is not None:
            self._tell_watch(good)
        for m, rejects, total in bad.values():
            quarantine.record(self.registry, "mqtt", m.topic, m.topic.encode() + b"\0" + m.payload, rejects,
                              quarantine.Counts(total, total - len(rejects), 0, len(rejects)), "mqtt")
        audit.append(self.registry, f"mqtt:{self.config.client_id}", "ingest.readings",
                     f"lake:{result.version if result else '-'}",
                     {"path": "mqtt", "messages": len(batch), "readings": n_readings,
                      "accepted": result.accepted if result else 0, "duplicate": result.duplicate if result else 0,
                      "rejected": sum(len(r) for _, r, _ in bad.values())})
        st = self.stats
        st.messages += len(batch)
        st.readings += n_readings
        st.rejected += sum(len(r) for _, r, _ in bad.values())
        st.rejected_messages += sum(1 for _, r, t in bad.values() if t == 0)
        if result is not None:
            st.accepted += result.accepted
            st.duplicate += result.duplicate
            st.commits += 1 if result.accepted else 0
        log.info("stored %d messages: %d readings accepted, %d duplicate, %d rejected (lake version %s)",
                 len(batch), result.accepted if result else 0, result.duplicate if result else 0,
                 sum(len(r) for _, r, _ in bad.values()), result.version if result else "-")

    def _tell_watch(self, good: Validated) -> None:
        """The stored batch to the watch, and a look for missing data once a minute (a watch that fails is logged,
        never a reason to refuse the readings)."""
        assert self.watch is not None
        try:
            self.watch.check(good.table())
            if time.monotonic() - self._missing_at >= 60:
                self._missing_at = time.monotonic()
                self.watch.check_missing()
        except Exception:
            log.exception("live alarm check failed; the readings are stored")

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> None:
        """Connect (retrying until the broker answers) and start the network thread."""
        props = Properties(PacketTypes.CONNECT)
        props.SessionExpiryInterval = self.config.session_expiry_s
        props.ReceiveMaximum = self.config.receive_maximum
        log.info("ingester %s: broker %s:%s, topics %s, lake %s", self.config.client_id, self.config.host,
                 self.config.port, self.config.topic_filter, self.lake.root)
        self._client.connect_async(self.config.host, self.config.port, keepalive=self.config.keepalive_s,
                                   clean_start=False, properties=props)
        self._client.loop_start()
        if self.config.compact_every_s:
            from nengtan.lake.compaction import Compactor

            comp = Compactor(self.lake, on_replace=self.writer.note_replaced)
            self._compactor = threading.Thread(target=comp.run_forever,
                                               args=(self._stop, self.config.compact_every_s),
                                               name="compactor", daemon=True)
            self._compactor.start()

    def run(self, duration_s: float | None = None, stop: threading.Event | None = None) -> Stats:
        """Run until `duration_s` passes, `stop` is set, or KeyboardInterrupt; then drain and disconnect."""
        self.start()
        end = time.monotonic() + duration_s if duration_s else None
        last_report = time.monotonic()
        try:
            while not self._stop.is_set() and (stop is None or not stop.is_set()):
                if end is not None and time.monotonic() >= end:
                    break
                t0 = time.monotonic()
                self.flush()
                if time.monotonic() - last_report >= 60:
                    last_report = time.monotonic()
                    log.info("totals: %d messages, %d accepted, %d duplicate, %d rejected", self.stats.messages,
                             self.stats.accepted, self.stats.duplicate, self.stats.rejected)
                time.sleep(max(0.0, self.config.flush_s - (time.monotonic() - t0)))
        except KeyboardInterrupt:
            log.info("interrupted; storing what has arrived")
        finally:
            self.close()
        return self.stats

    def close(self) -> None:
        self.flush()
        self._stop.set()
        self._client.disconnect()
        self._client.loop_stop()
        if self._compactor is not None:
            self._compactor.join(timeout=30)
        if self.watch is not None:
            self.watch.close()
        log.info("stopped: %d messages, %d readings accepted, %d duplicate, %d rejected", self.stats.messages,
                 self.stats.accepted, self.stats.duplicate, self.stats.rejected)

    def wait_connected(self, timeout: float = 10.0) -> bool:
        return self._connected.wait(timeout)


def main(argv: list[str] | None = None) -> int:
    """``python -m nengtan.ingest.mqtt``: the ingester without the CLI (used by tests and benchmarks)."""
    import argparse

    from nengtan.config import data_home, database_url

    ap = argparse.ArgumentParser(prog="python -m nengtan.ingest.mqtt")
    ap.add_argument("--home")
    ap.add_argument("--database-url")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=1883)
    ap.add_argument("--prefix", default="nengtan")
    ap.add_argument("--client-id", default="nengtan-ingester")
    ap.add_argument("--flush", type=float, default=0.5)
    ap.add_argument("--duration", type=float, default=None)
    ap.add_argument("--no-compact", action="store_true")
    ap.add_argument("--crash-after-commits", type=int, default=None, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    paths = data_home(a.home)
    reg = Registry.open(database_url(paths, a.database_url))
    cfg = MqttConfig(host=a.host, port=a.port, prefix=a.prefix, client_id=a.client_id, flush_s=a.flush,
                     compact_every_s=None if a.no_compact else 60.0, crash_after_commits=a.crash_after_commits)
    MqttIngester(reg, Lake(paths.lake), cfg).run(duration_s=a.duration)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
