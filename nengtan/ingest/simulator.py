"""Simulated gateways publishing meter readings to the broker (tests, benchmarks, ``nengtan demo --live``).

Each gateway publishes one message per interval with the readings of all its meters at that
interval (the payload of nengtan.ingest.mqtt). Interval meters send the 15-minute consumption
(a daily load profile plus deterministic noise); counter meters send their cumulative register.
Publishing uses QoS 1 and waits for the broker's acknowledgement of every message, so when a
publisher exits 0 the broker holds everything it sent.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import multiprocessing as mp
import threading
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt

from nengtan.calendar import PARK_OFFSET_S, PARK_TZ

log = logging.getLogger("nengtan.ingest.simulator")
SHANGHAI = PARK_TZ


@dataclass(frozen=True)
class SimMeter:
    code: str
    kind: str = "interval"  # interval | counter
    unit: str = "kWh"
    base: float = 50.0  # mean consumption per interval [unit]


def profile(code: str, ts_s: int, base: float) -> float:
    """Deterministic 15-minute consumption: day/night profile × weekday factor × small noise."""
    local_h = ((ts_s + PARK_OFFSET_S) % 86400) / 3600.0
    shape = 0.55 + 0.45 * math.sin(math.pi * max(0.0, min(1.0, (local_h - 6) / 14)))
    noise = (zlib.crc32(f"{code}|{ts_s}".encode()) % 1000) / 1000.0 * 0.1 - 0.05
    return round(base * shape * (1 + noise), 3)


def counter_value(code: str, ts_s: int, base: float, interval_s: int = 900) -> float:
    """Cumulative register: 0.775 × base per elapsed interval since 2020-01-01 plus the current
    interval's profile (strictly increasing, since the profile varies by less than 0.775 × base)."""
    start = 1577808000  # 2020-01-01T00:00:00+08:00
    n = max(0, (ts_s - start) // interval_s)
    return round(1000.0 + base * 0.775 * n + profile(code, ts_s, base), 3)


def message(gateway: str, meters: Sequence[SimMeter], ts_s: int, interval_s: int = 900) -> bytes:
    iso = dt.datetime.fromtimestamp(ts_s, SHANGHAI).isoformat()
    readings = [{"meter": m.code, "ts": iso, "unit": m.unit,
                 "value": counter_value(m.code, ts_s, m.base, interval_s) if m.kind == "counter"
                 else profile(m.code, ts_s, m.base)} for m in meters]
    return json.dumps({"gateway": gateway, "readings": readings}, separators=(",", ":")).encode()


def _client(host: str, port: int, client_id: str = "") -> mqtt.Client:
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv311)
    c.max_inflight_messages_set(2000)
    c.max_queued_messages_set(0)
    c.connect(host, port, keepalive=60)
    c.loop_start()
    return c


def publish_backlog(host: str, port: int, prefix: str, gateways: dict[str, list[SimMeter]], start_s: int,
                    intervals: int, interval_s: int = 900, rate_msgs_s: float | None = None,
                    window: int = 2000) -> int:
    """Publish `intervals` messages per gateway (interval k for every gateway before k+1) with QoS 1;
    returns the number acknowledged by the broker. `rate_msgs_s` paces publishing (None: as fast as the
    broker acknowledges, at most `window` unacknowledged)."""
    c = _client(host, port)
    pending: list[mqtt.MQTTMessageInfo] = []
    sent = 0
    t0 = time.monotonic()
    items = list(gateways.items())
    for k in range(intervals):
        ts = start_s + k * interval_s
        for gw, meters in items:
            pending.append(c.publish(f"{prefix}/gw/{gw}/readings", message(gw, meters, ts, interval_s), qos=1))
            sent += 1
            if len(pending) >= window:
                for info in pending[: window // 2]:
                    info.wait_for_publish(timeout=60)
                pending = pending[window // 2:]
            if rate_msgs_s:
                ahead = sent / rate_msgs_s - (time.monotonic() - t0)
                if ahead > 0:
                    time.sleep(ahead)
    for info in pending:
        info.wait_for_publish(timeout=60)
    c.disconnect()
    c.loop_stop()
    return sent


def _worker(args: tuple[Any, ...]) -> tuple[int, float, float]:
    t0 = time.time()
    n = publish_backlog(*args)
    return n, t0, time.time()


def publish_parallel(host: str, port: int, prefix: str, gateways: dict[str, list[SimMeter]], start_s: int,
                     intervals: int, procs: int = 2, interval_s: int = 900,
                     rate_msgs_s: float | None = None) -> tuple[int, float, float]:
    """publish_backlog split over `procs` processes (each its own connection and slice of gateways);
    returns (messages acknowledged, first start, last end) with times from time.time()."""
    items = sorted(gateways.items())
    slices = [dict(items[i::procs]) for i in range(procs)]
    rate = rate_msgs_s / procs if rate_msgs_s else None
    with mp.get_context("spawn").Pool(procs) as pool:
        res = pool.map(_worker, [(host, port, prefix, s, start_s, intervals, interval_s, rate)
                                 for s in slices if s])
    return sum(r[0] for r in res), min(r[1] for r in res), max(r[2] for r in res)


def main(argv: list[str] | None = None) -> int:
    """``python -m nengtan.ingest.simulator SPEC.json``: publish a backlog described by a JSON spec
    ``{"host", "port", "prefix", "gateways": {gw: [meter, ...]}, "start_s", "intervals", "procs",
    "rate"}``; prints the number of messages the broker acknowledged and the publishing start and end
    (epoch seconds)."""
    import sys

    spec = json.loads(Path((argv or sys.argv[1:])[0]).read_text())
    gws = {g: [SimMeter(m) for m in ms] for g, ms in spec["gateways"].items()}
    n, t0, t1 = publish_parallel(spec.get("host", "127.0.0.1"), int(spec["port"]), spec["prefix"], gws,
                                 int(spec["start_s"]), int(spec["intervals"]), int(spec.get("procs", 1)),
                                 rate_msgs_s=spec.get("rate"))
    print(f"{n} {t0:.6f} {t1:.6f}", flush=True)
    return 0


# -- the live demo ----------------------------------------------------------------------------------

@dataclass
class LiveDemoResult:
    gateways: int
    meters: int
    messages: int
    accepted: int
    duplicate: int
    rejected: int
    last_ts: str


def run_live_demo(paths: Any, registry: Any, lake: Any, duration_s: float | None = 60.0, rate: float = 4.0,
                  host: str = "127.0.0.1", port: int = 1883, prefix: str = "nengtan",
                  start: dt.datetime | None = None, watch: Any = None) -> LiveDemoResult:
    """Feed the demo park live: run the MQTT ingester and a simulator publishing every demo meter.

    Creates one gateway per enterprise (``GW-<uscc>``, owning that enterprise's interval and counter
    meters) if missing. The simulated clock starts at `start` (default: today 00:00 Asia/Shanghai) and
    advances one 15-minute interval every 1/`rate` seconds until it reaches the wall clock, then one
    interval each time the wall clock crosses the next 15-minute boundary. Stops after `duration_s`
    (None: until Ctrl-C). `paths` is nengtan.config.Paths (unused beyond logging); `watch` (nengtan.ingest.watch)
    sees each stored batch, for the live alarms.
    """
    from sqlalchemy import select

    from nengtan.ingest.gateways import add_gateway, gateways_by_enterprise
    from nengtan.ingest.mqtt import MqttConfig, MqttIngester
    from nengtan.registry.tables.monitoring import Gateway
    from nengtan.registry.tables.park import Meter

    plan = gateways_by_enterprise(registry)
    with registry.session() as s:
        existing = set(s.scalars(select(Gateway.code)))
        kinds = {m.code: (m.kind, m.unit) for m in s.scalars(select(Meter))}
    for gw, meters in plan.items():
        if gw not in existing:
            add_gateway(registry, gw, meters, gw.removeprefix("GW-"))
    sims = {gw: [SimMeter(c, kinds[c][0], kinds[c][1], 20.0 + zlib.crc32(c.encode()) % 200)
                 for c in ms] for gw, ms in plan.items()}
    ing = MqttIngester(registry, lake, MqttConfig(host=host, port=port, prefix=prefix,
                                                  client_id=f"{prefix}-demo-ingester"), watch=watch)
    stop = threading.Event()
    runner = threading.Thread(target=ing.run, kwargs={"stop": stop}, daemon=True)
    runner.start()
    ing.wait_connected(15)
    now = dt.datetime.now(SHANGHAI)
    t = start or now.replace(hour=0, minute=0, second=0, microsecond=0)
    ts = int(t.timestamp()) // 900 * 900
    c = _client(host, port)
    sent = 0
    t_end = time.monotonic() + duration_s if duration_s else None
    log.info("live demo: %d gateways, %d meters, from %s, broker %s:%s", len(sims),
             sum(len(v) for v in sims.values()), t.isoformat(), host, port)
    try:
        while t_end is None or time.monotonic() < t_end:
            if ts > time.time():
                time.sleep(min(1.0, ts - time.time()))
                continue
            infos = [c.publish(f"{prefix}/gw/{gw}/readings", message(gw, ms, ts), qos=1) for gw, ms in sims.items()]
            for i in infos:
                i.wait_for_publish(timeout=30)
            sent += len(infos)
            ts += 900
            time.sleep(1.0 / rate)
    except KeyboardInterrupt:
        pass
    finally:
        c.disconnect()
        c.loop_stop()
        time.sleep(1.5)  # let the last flush land
        stop.set()
        runner.join(timeout=30)
    return LiveDemoResult(len(sims), sum(len(v) for v in sims.values()), sent, ing.stats.accepted,
                          ing.stats.duplicate, ing.stats.rejected,
                          dt.datetime.fromtimestamp(ts - 900, SHANGHAI).isoformat())


if __name__ == "__main__":
    raise SystemExit(main())
