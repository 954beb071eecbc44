"""Ingestion benchmarks (issue 3), each with its baseline in the same run; writes the section
"## Ingestion (issue 3)" of docs/benchmarks.md.

* bulk: a CSV and a Parquet file of N readings validated and stored in the lake (nengtan.ingest.bulk)
  vs DuckDB's own ``COPY (SELECT * FROM file) TO 'x.parquet'`` of the same file (goal: within 2×);
* stream: 1 000 gateways × 10 meters publishing over MQTT QoS 1 from separate processes into the
  ingester (its own process, persistent session, manual ack after the lake commit) vs what
  ``mosquitto_sub -q 1`` alone receives from the same publisher (goal: ≥ 50 000 readings/s).

    python bench/bench_ingest.py [--rows N] [--intervals K] [--skip-bulk] [--skip-stream]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sections import replace_section  # noqa: E402

from nengtan.lake import Lake  # noqa: E402
from nengtan.registry.store import Registry  # noqa: E402
from nengtan.registry.tables.monitoring import Gateway, GatewayMeter  # noqa: E402
from nengtan.registry.tables.park import Enterprise, Meter, Park  # noqa: E402

METERS_PER_GW = 10
START_S = 1735660800  # 2025-01-01 00:00 Asia/Shanghai


def make_registry(url: str, gateways: int) -> dict[str, list[str]]:
    from nengtan.identifiers import make_uscc
    from nengtan.ingest.gateways import hash_token

    reg = Registry.open(url)
    plan: dict[str, list[str]] = {}
    with reg.session() as s:
        p = Park(code="BENCH", name="bench", province="江苏")
        s.add(p)
        s.flush()
        ents = [Enterprise(park_id=p.id, uscc=make_uscc("320900", i + 1), name=f"E{i}", sector_code="C26",
                           province="江苏") for i in range(gateways)]
        s.add_all(ents)
        s.flush()
        meters = []
        for i, e in enumerate(ents):
            codes = [f"B{i:04d}-{k}" for k in range(METERS_PER_GW)]
            plan[f"GW{i:04d}"] = codes
            meters += [Meter(code=c, enterprise_id=e.id, carrier="electricity", unit="kWh", kind="interval",
                             role="main" if k == 0 else "sub", interval_s=900) for k, c in enumerate(codes)]
        s.add_all(meters)
        s.flush()
        by_code = {m.code: m.id for m in meters}
        gws = [Gateway(code=g, enterprise_id=ents[i].id, token_sha256=hash_token(g), active=True)
               for i, g in enumerate(plan)]
        s.add_all(gws)
        s.flush()
        s.add_all([GatewayMeter(gateway_id=g.id, meter_id=by_code[c]) for g in gws for c in plan[g.code]])
    reg.close()
    return plan


def bench_bulk(rows: int, work: Path, url: str, plan: dict[str, list[str]]) -> dict[str, Any]:
    codes = [c for cs in plan.values() for c in cs]
    csv = work / "readings.csv"
    pq = work / "readings.parquet"
    t0 = time.perf_counter()
    con = duckdb.connect()
    con.register("codes", __import__("pyarrow").table({"code": codes, "i": list(range(len(codes)))}))
    per_meter = -(-rows // len(codes))
    con.execute(f"""COPY (
        SELECT c.code AS meter,
               strftime(TIMESTAMP '2025-01-01 00:00:00' + INTERVAL 15 MINUTE * k, '%Y-%m-%dT%H:%M:%S+08:00') AS ts,
               round(10 + (hash(c.i, k) % 1000) / 100.0, 2) AS value, 'kWh' AS unit
        FROM codes c, range({per_meter}) t(k) WHERE c.i * {per_meter} + k < {rows}
    ) TO '{csv}' (HEADER)""")
    con.execute(f"COPY (SELECT * FROM read_csv('{csv}')) TO '{pq}' (FORMAT parquet)")
    gen_s = time.perf_counter() - t0
    out: dict[str, Any] = {"rows": rows, "generate_s": gen_s}
    from nengtan.ingest.bulk import load_file

    reg = Registry.open(url)
    for kind, path in (("csv", csv), ("parquet", pq)):
        t0 = time.perf_counter()
        duckdb.connect().execute(f"COPY (SELECT * FROM {'read_parquet' if kind == 'parquet' else 'read_csv'}"
                                 f"('{path}')) TO '{work / ('copy-' + kind + '.parquet')}' (FORMAT parquet)")
        out[f"{kind}_duckdb_s"] = time.perf_counter() - t0
        lake_dir = work / f"lake-{kind}"
        t0 = time.perf_counter()
        res = load_file(reg, Lake(lake_dir), path)
        out[f"{kind}_nengtan_s"] = time.perf_counter() - t0
        assert res.accepted == rows and res.rejected == 0, res
        out[f"{kind}_stages"] = dict(res.timings)
        shutil.rmtree(lake_dir)
        print(f"bulk {kind}: nengtan {out[f'{kind}_nengtan_s']:.1f} s, duckdb COPY {out[f'{kind}_duckdb_s']:.1f} s",
              flush=True)
    reg.close()
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Publishers:
    """Publisher processes started together; result() = (messages acknowledged, first start, last end)."""

    def __init__(self, procs: list[subprocess.Popen[str]]) -> None:
        self.procs = procs

    def result(self) -> tuple[int, float, float]:
        outs = [p.communicate(timeout=600)[0].split() for p in self.procs]
        if any(p.returncode for p in self.procs) or any(len(o) != 3 for o in outs):
            raise RuntimeError(f"publisher failed: {outs}")
        return sum(int(o[0]) for o in outs), min(float(o[1]) for o in outs), max(float(o[2]) for o in outs)


def build_c_publisher(work: Path) -> Path | None:
    """Compile bench/mqtt_pub.c against libmosquitto (Debian: gcc, libmosquitto-dev); None if it cannot."""
    exe = work / "mqtt_pub"
    try:
        subprocess.run(["gcc", "-O2", "-o", str(exe), str(ROOT / "bench" / "mqtt_pub.c"), "-lmosquitto", "-lpthread"],
                       check=True, capture_output=True, text=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"cannot build the C publisher ({getattr(exc, 'stderr', exc)}); using the Python one", flush=True)
        return None
    return exe


def _publish(port: int, prefix: str, plan: dict[str, list[str]], intervals: int, work: Path,
             procs: int, c_pub: Path | None) -> _Publishers:
    """Start `procs` publisher processes, each with its slice of the gateways, interval k of every
    gateway before k + 1, one message = one gateway's readings of its 10 meters for one interval. The
    C publisher sends the same payloads (nengtan.ingest.simulator.message), prepared before it starts."""
    if c_pub is None:
        spec = work / f"spec-{prefix}.json"
        spec.write_text(json.dumps({"port": port, "prefix": prefix, "gateways": plan, "start_s": START_S,
                                    "intervals": intervals, "procs": procs}))
        return _Publishers([subprocess.Popen([sys.executable, "-m", "nengtan.ingest.simulator", str(spec)], cwd=ROOT,
                                             stdout=subprocess.PIPE, text=True)])
    from nengtan.ingest.simulator import SimMeter, message

    items = sorted(plan.items())
    files = []
    for i in range(procs):
        f = work / f"msgs-{prefix}-{i}.txt"
        mine = [(g, [SimMeter(m) for m in ms]) for g, ms in items[i::procs]]
        with open(f, "wb") as fh:
            for k in range(intervals):
                ts = START_S + k * 900
                for g, meters in mine:
                    fh.write(f"{prefix}/gw/{g}/readings\t".encode() + message(g, meters, ts) + b"\n")
        files.append(f)
    return _Publishers([subprocess.Popen([str(c_pub), "127.0.0.1", str(port), str(f), "4000"],
                                         stdout=subprocess.PIPE, text=True) for f in files])


def bench_stream(intervals: int, work: Path, url: str, plan: dict[str, list[str]], procs: int,
                 c_pub: Path | None) -> dict[str, float]:
    port = _free_port()
    conf = work / "mosquitto.conf"
    conf.write_text((ROOT / "bench" / "mosquitto-bench.conf").read_text() + f"\nlistener {port} 127.0.0.1\n")
    broker = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    n_msgs = len(plan) * intervals
    n_readings = n_msgs * METERS_PER_GW
    out: dict[str, float] = {"gateways": len(plan), "meters": len(plan) * METERS_PER_GW, "messages": n_msgs,
                             "readings": n_readings}
    try:
        # baseline: mosquitto_sub alone, QoS 1, counting messages
        sub = subprocess.Popen(["mosquitto_sub", "-p", str(port), "-q", "1", "-t", "base/gw/+/readings",
                                "-C", str(n_msgs)], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        pub = _publish(port, "base", plan, intervals, work, procs, c_pub)
        sub.wait(timeout=600)
        t_recv = time.time()
        _, p0, p1 = pub.result()
        out["sub_s"] = t_recv - p0
        out["publisher_s"] = p1 - p0
        print(f"mosquitto_sub: {n_msgs} messages in {out['sub_s']:.1f} s", flush=True)
        # nengtan ingester in its own process
        home = work / "stream-home"
        log = open(work / "ingester.log", "w")  # noqa: SIM115 (handed to a child process)
        ing = subprocess.Popen([sys.executable, "-m", "nengtan.ingest.mqtt", "--home", str(home), "--database-url",
                                url, "--port", str(port), "--prefix", "ing", "--client-id", "bench-ingester",
                                "--no-compact"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        while "; ready" not in (work / "ingester.log").read_text():
            time.sleep(0.1)
        lake = Lake(home / "lake")
        t0 = time.time()
        pub = _publish(port, "ing", plan, intervals, work, procs, c_pub)
        stored = 0
        while stored < n_readings and time.time() - t0 < 900:
            time.sleep(0.05)
            stored = sum(int(str(f["rows"])) for f in lake.file_info().values())
        t_done = time.time()
        _, p0, p1 = pub.result()
        out["ingest_s"] = t_done - p0
        out["ingest_publisher_s"] = p1 - p0
        out["stored"] = stored
        ing.terminate()
        ing.wait(timeout=60)
        log.close()
        text = (work / "ingester.log").read_text()
        out["duplicates_logged"] = sum(int(m) for m in re.findall(r"accepted, (\d+) duplicate", text))
        print(f"ingester: {stored} readings in {out['ingest_s']:.1f} s", flush=True)
    finally:
        broker.terminate()
        broker.wait(timeout=30)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=2_000_000, help="bulk file size (make bench: 50 000 000)")
    ap.add_argument("--intervals", type=int, default=20, help="messages per gateway in the stream benchmark")
    ap.add_argument("--gateways", type=int, default=1000)
    ap.add_argument("--procs", type=int, default=2, help="publisher processes")
    ap.add_argument("--publisher", choices=["c", "python"], default="c",
                    help="c: bench/mqtt_pub.c built with gcc + libmosquitto-dev (falls back to python)")
    ap.add_argument("--skip-bulk", action="store_true")
    ap.add_argument("--skip-stream", action="store_true")
    ap.add_argument("--work", help="scratch directory (default: a temporary one)")
    a = ap.parse_args()
    work = Path(a.work or tempfile.mkdtemp(prefix="nengtan-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{work / 'registry.sqlite'}"
    load_start = os.getloadavg()
    plan = make_registry(url, a.gateways)
    bulk = None if a.skip_bulk else bench_bulk(a.rows, work, url, plan)
    c_pub = None if a.skip_stream or a.publisher == "python" else build_c_publisher(work)
    stream = None if a.skip_stream else bench_stream(a.intervals, work, url, plan, a.procs, c_pub)
    load_end = os.getloadavg()
    lines = ["## Ingestion (issue 3)", "",
             f"Run {dt.datetime.now().strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} CPUs, {platform.platform()}, "
             f"Python {platform.python_version()}, DuckDB {duckdb.__version__}; `python bench/bench_ingest.py "
             + " ".join(sys.argv[1:]) + f"`. Load average (1 min) {load_start[0]:.1f} at the start, "
             f"{load_end[0]:.1f} at the end (the machine is shared: figures vary by ±20 % between runs).", ""]
    if bulk:
        r = bulk["rows"]
        lines += ["### Bulk: readings file → validated lake", "",
                  f"{int(r):,} readings (meter, ISO time with offset, value, unit), {len(plan) * METERS_PER_GW:,} "
                  "meters. nengtan (`nengtan.ingest.bulk.load_file`) = parse, check against the registry (meter, "
                  "unit, value, time rules), convert to the canonical unit, dedupe on (meter, ts) within the file "
                  "and against the lake, write partitioned Parquet, one commit record; the registry catalog load "
                  "is included. Baseline = DuckDB `COPY (SELECT * FROM file) TO 'x.parquet'` of the same file "
                  "(no validation), timed just before.", "",
                  "| input | nengtan [s] | readings/s | DuckDB COPY [s] | ratio (goal ≤ 2) |", "|---|---|---|---|---|"]
        for kind in ("csv", "parquet"):
            n, d = bulk[f"{kind}_nengtan_s"], bulk[f"{kind}_duckdb_s"]
            lines.append(f"| {kind} | {n:.1f} | {r / n:,.0f} | {d:.1f} | {n / d:.2f} |")
        lines += ["", "Stages of nengtan's time [s]: " + "; ".join(
            f"{kind}: " + ", ".join(f"{k} {v:.1f}" for k, v in bulk[f"{kind}_stages"].items())
            for kind in ("csv", "parquet")) + ".", ""]
        missed = [k for k in ("csv", "parquet") if bulk[f"{k}_nengtan_s"] / bulk[f"{k}_duckdb_s"] > 2]
        if missed:
            lines += [f"Goal (≤ 2×) not met for {' and '.join(missed)} in this run.", ""]
    if stream:
        s = stream
        publisher = "C (bench/mqtt_pub.c, libmosquitto)" if c_pub else "Python (paho)"
        lines += ["### Stream: MQTT QoS 1 from 1 000 gateways", "",
                  f"{int(s['gateways']):,} gateways × {METERS_PER_GW} meters, {int(s['messages']):,} messages "
                  f"({int(s['readings']):,} readings; one message = one gateway's 10 readings of one interval), "
                  f"published by {a.procs} separate {publisher} processes with QoS 1 (at most 4 000 unacknowledged "
                  "each) to a Mosquitto 2.0 started from bench/mosquitto-bench.conf (unlimited queue and in-flight "
                  "window). Times run from the moment the publishers start publishing (after their start-up, "
                  "payloads prepared beforehand) to the last message received / stored (visible in the lake); the "
                  f"publishers alone took {s['publisher_s']:.1f} s (with mosquitto_sub) and "
                  f"{s['ingest_publisher_s']:.1f} s (with the ingester).", "",
                  "| receiver | time [s] | readings/s | messages/s |", "|---|---|---|---|",
                  f"| `mosquitto_sub -q 1` alone | {s['sub_s']:.1f} | {s['readings'] / s['sub_s']:,.0f} | "
                  f"{s['messages'] / s['sub_s']:,.0f} |",
                  f"| nengtan ingester (validate, lake commit, then ack) | {s['ingest_s']:.1f} | "
                  f"{s['stored'] / s['ingest_s']:,.0f} | {s['stored'] / METERS_PER_GW / s['ingest_s']:,.0f} |", "",
                  f"Stored {int(s['stored']):,} of {int(s['readings']):,} readings; "
                  f"{int(s['duplicates_logged'])} duplicates. Goal ≥ 50 000 readings/s"
                  + (" — met." if s['stored'] / s['ingest_s'] >= 50_000 else " — not met in this run."), ""]
    replace_section("\n".join(lines) + "\n")
    print("\n".join(lines))
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
