"""Reliability: kill -9 the ingester while 1 000 simulated gateways publish (QoS 1, real Mosquitto).

The test broker is a second Mosquitto with an unlimited per-client queue (max_queued_messages 0): with
Mosquitto's default of 1 000, messages published while the ingester is dead beyond that are dropped
by the broker itself and were never delivered. With the unlimited queue every message the publisher
got acknowledged must be stored exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from nengtan.lake import Lake
from tests.ingest.conftest import make_park
from tests.ingest.mqtt_helpers import wait_for

pytestmark = [pytest.mark.mqtt, pytest.mark.postgres, pytest.mark.slow]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def children():  # type: ignore[no-untyped-def]
    """Every process a test starts; whatever is still running when the test ends — a failed assertion
    included — is killed, so an ingester never outlives its test and its broker."""
    procs: list[subprocess.Popen] = []  # type: ignore[type-arg]
    yield procs
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait(timeout=10)


def _ingester(children, home, url, port, prefix, log):  # type: ignore[no-untyped-def]
    p = subprocess.Popen([sys.executable, "-m", "nengtan.ingest.mqtt", "--home", str(home), "--database-url",
                          url, "--port", str(port), "--prefix", prefix, "--client-id", f"{prefix}-ing",
                          "--flush", "0.3", "--no-compact"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    children.append(p)
    return p


def _counts(lake: Lake) -> tuple[int, int]:
    files = lake.files()
    if not files:
        return 0, 0
    return duckdb.sql(f"SELECT count(*), count(DISTINCT (meter_id, ts)) FROM read_parquet({files!r})").fetchall()[0]  # type: ignore[return-value]


def test_kill9_while_1000_gateways_publish(registry, pg_url, private_broker, prefix, tmp_path, children):  # type: ignore[no-untyped-def]
    park = make_park(registry, n_ent=100, meters_per_ent=20, meters_per_gateway=2)
    assert len(park.gateways) == 1000
    intervals = 6
    expected = 1000 * intervals * 2
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"port": private_broker, "prefix": prefix, "gateways": park.gateway_meters,
                                "start_s": 1740758400, "intervals": intervals, "procs": 2, "rate": 350}))
    # 6 000 messages at 350/s keep the publisher busy for about 17 s: long enough for two kills and two
    # restarts of an ingester that takes a few seconds to import on a loaded 2-core machine (at 700/s the
    # publisher finished before the second kill here, and the test could not test what it says)
    home = tmp_path / "home"
    lake = Lake(home / "lake")
    log = open(tmp_path / "ingester.log", "w")  # noqa: SIM115 (handed to child processes)
    ing = _ingester(children, home, pg_url, private_broker, prefix, log)
    wait_for(lambda: (tmp_path / "ingester.log").read_text().count("; ready") == 1, timeout=30)
    pub = subprocess.Popen([sys.executable, "-m", "nengtan.ingest.simulator", str(spec)], cwd=ROOT,
                           stdout=subprocess.PIPE, text=True)
    children.append(pub)
    at_kill = []
    for threshold in (2000, 7000):  # kill while readings are arriving, twice
        wait_for(lambda t=threshold: _counts(lake)[0] >= t, timeout=60, every=0.05)  # type: ignore[misc]
        ing.send_signal(signal.SIGKILL)
        ing.wait()
        at_kill.append(_counts(lake)[0])
        ing = _ingester(children, home, pg_url, private_broker, prefix, log)
    assert pub.poll() is None, "the publisher was still publishing at the second kill"
    assert 2000 <= at_kill[0] < at_kill[1] < expected
    out, _ = pub.communicate(timeout=120)
    assert int(out.split()[0]) == 6000  # the broker acknowledged every message
    wait_for(lambda: _counts(lake)[0] >= expected, timeout=60, every=0.5)
    time.sleep(1.5)  # anything stored twice would show up now
    ing.send_signal(signal.SIGTERM)
    ing.wait(timeout=30)
    log.close()
    total, distinct = _counts(lake)
    assert (total, distinct) == (expected, expected)
    text = (tmp_path / "ingester.log").read_text()
    assert text.count("; ready") == 3
    assert "session present: True" in text


def test_crash_between_commit_and_ack_stores_redelivery_once(registry, pg_url, private_broker, prefix, tmp_path,
                                                             children):  # type: ignore[no-untyped-def]
    """The worst moment: readings are durable in the lake but the broker never got the acknowledgement,
    so it redelivers them all to the restarted ingester, which must store none of them again."""
    park = make_park(registry, n_ent=10, meters_per_ent=4, meters_per_gateway=4)
    home = tmp_path / "home"
    lake = Lake(home / "lake")
    logf = tmp_path / "ingester.log"
    log = open(logf, "w")  # noqa: SIM115 (handed to child processes)
    args = [sys.executable, "-m", "nengtan.ingest.mqtt", "--home", str(home), "--database-url", pg_url, "--port",
            str(private_broker), "--prefix", prefix, "--client-id", f"{prefix}-ing", "--flush", "1.0",
            "--no-compact"]
    ing = subprocess.Popen([*args, "--crash-after-commits", "1"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    children.append(ing)
    wait_for(lambda: logf.read_text().count("; ready") == 1, timeout=30)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"port": private_broker, "prefix": prefix, "gateways": park.gateway_meters,
                                "start_s": 1740758400, "intervals": 20, "procs": 1}))
    out = subprocess.run([sys.executable, "-m", "nengtan.ingest.simulator", str(spec)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert int(out.split()[0]) == 200
    assert ing.wait(timeout=30) == 137
    stored_before_ack = _counts(lake)[0]
    assert stored_before_ack > 0
    ing = subprocess.Popen(args, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    children.append(ing)

    def dups() -> int:
        return sum(int(x.split(" duplicate")[0].rsplit(" ", 1)[1]) for x in logf.read_text().splitlines()
                   if "readings accepted" in x)

    wait_for(lambda: dups() >= stored_before_ack and _counts(lake)[0] >= 800, timeout=30)
    time.sleep(1.0)
    ing.send_signal(signal.SIGTERM)
    ing.wait(timeout=30)
    log.close()
    assert _counts(lake) == (800, 800)
    assert dups() == stored_before_ack  # every redelivered reading was recognised, none stored twice
