"""Upward reporting: the payload worked by hand from the example files, and store and forward against the reference
receiver over real HTTPS (a self-signed certificate made here): retried while the endpoint fails or is down, never
lost, and received once per message when nengtan is killed mid-send and sent again."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nengtan.config import Paths
from nengtan.engine.stores import LocalStores
from nengtan.engine.upward import enqueue, outbox, payload, push
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.registry.store import Registry
from nengtan.upward import delivery, format

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
A = "91320115000001230J"
FAR = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)  # a `now` after every back-off


def later(days: int) -> dt.datetime:
    return FAR + dt.timedelta(days=days)


def test_delivery_rules_and_backoff() -> None:
    assert [delivery.outcome(s) for s in (200, 201, 409, 422, 400, 429, 408, 500, 503, None)] == [
        "sent", "sent", "sent", "rejected", "rejected", "retry", "retry", "retry", "retry", "retry"]
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    waits = [(delivery.next_attempt("k", n, t0) - t0).total_seconds() for n in (1, 2, 3, 12, 20)]
    assert 5 <= waits[0] <= 5.5 and 10 <= waits[1] <= 11 and 20 <= waits[2] <= 22  # 5 s × 2^(n−1), +≤10 %
    assert 3600 <= waits[3] <= 3960 and 3600 <= waits[4] <= 3960  # capped at an hour
    with pytest.raises(ValueError, match="states realtime"):
        format.envelope("energy", A, "x", "2025-01", {"monthly": []}, "v", "f")


@pytest.fixture
def stores(registry: Registry, home: Paths) -> LocalStores:
    for kind in ("enterprises", "meters", "activity", "economic", "readings"):
        assert import_file(registry, home, kind, EXAMPLES / f"{kind}.csv").rows_bad == 0
    return LocalStores(registry, Lake(home.lake))


def test_the_energy_payload_by_hand(stores: LocalStores) -> None:
    p = payload(stores, "energy", A, "2025-01")
    (rt,) = p["realtime"]  # X1-M, A's main interval meter (docs/examples/readings.csv)
    assert rt["meter"] == "X1-M" and rt["values"] == [["2025-01-01T00:00:00+08:00", 412.5],
                                                      ["2025-01-01T00:15:00+08:00", 409.1],
                                                      ["2025-01-01T00:30:00+08:00", 398.7]]
    assert p["daily"] == [{"date": "2025-01-01", "carrier": "electricity", "quantity": pytest.approx(1220.3)}]
    monthly = {m["carrier"]: m for m in p["monthly"]}
    # the statement's 1.2 万m³ of gas and 3.5 t of diesel (docs/examples/activity.csv); the meters' electricity
    assert monthly["natural_gas"]["quantity"] == pytest.approx(12_000) and monthly["diesel"]["quantity"] == 3.5
    assert p["economic"]["value_added"] == 1850.5 and p["products"] == []
    assert p["total_energy_tce"] == pytest.approx(sum(m["energy_tce"] for m in p["monthly"]))
    d = payload(stores, "deposit", A, "2025-01")
    gas = {m["carrier"]: m for m in d["monthly"]}["natural_gas"]
    assert gas["co2_t"] == pytest.approx(12_000 * 389.31e-4 * 0.0153 * 0.99 * 44 / 12)  # factors.md 2
    assert d["co2_t"] == pytest.approx(sum(m["co2_t"] for m in d["monthly"]))


def _cert(tmp: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "province-test")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    c, k = tmp / "cert.pem", tmp / "key.pem"
    c.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    k.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()))
    return c, k


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Receiver:
    def __init__(self, tmp: Path) -> None:
        self.cert, self.key = _cert(tmp)
        self.db = tmp / "province.sqlite"
        self.port = _port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, *extra: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "nengtan.upward.receiver", "--db", str(self.db), "--port",
                                      str(self.port), "--certfile", str(self.cert), "--keyfile", str(self.key),
                                      *extra])
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError("the receiver did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None

    def keys(self) -> list[str]:
        with sqlite3.connect(self.db) as con:
            return [k for (k,) in con.execute("SELECT key FROM received ORDER BY key")]


@pytest.fixture
def receiver(tmp_path: Path):  # type: ignore[no-untyped-def]
    r = Receiver(tmp_path)
    yield r
    r.stop()


def test_store_and_forward_over_https(stores: LocalStores, receiver: Receiver) -> None:
    reg = stores.registry
    assert enqueue(stores, "energy", A, "2025-01")["new"] and enqueue(stores, "deposit", A, "2025-01")["new"]
    assert not enqueue(stores, "energy", A, "2025-01")["new"]  # the same content is not queued twice
    # the endpoint is down: nothing is lost, each message waits for its retry
    assert push(reg, receiver.url, str(receiver.cert)) == {"sent": 0, "rejected": 0, "retry": 2}
    assert push(reg, receiver.url, str(receiver.cert)) == {"sent": 0, "rejected": 0, "retry": 0}  # backing off
    receiver.start("--fail-first", "1")  # up, but its first answer is 503
    assert push(reg, receiver.url, str(receiver.cert), now=later(1)) == {"sent": 1, "rejected": 0, "retry": 1}
    assert push(reg, receiver.url, str(receiver.cert), now=later(2)) == {"sent": 1, "rejected": 0, "retry": 0}
    assert receiver.keys() == [f"deposit/{A}/2025-01/v1", f"energy/{A}/2025-01/v1"]
    assert {m["status"] for m in outbox(reg)} == {"sent"}
    # a correction makes a new version, sent as a new message
    assert import_file(reg, Paths(Path(stores.lake.root).parent), "activity",
                       _write(Path(stores.lake.root).parent / "fix.csv",
                              f"uscc,period,carrier,quantity,unit\n{A},2025-01,diesel,4.0,t\n"),
                       correction="meter read again").rows_bad == 0
    stores.invalidate()  # as a new CLI run would read afresh
    assert enqueue(stores, "energy", A, "2025-01")["key"] == f"energy/{A}/2025-01/v2"
    # a certificate nengtan does not trust (the system's CAs) is a failure to retry, never a send
    assert push(reg, receiver.url, True, now=later(3)) == {"sent": 0, "rejected": 0, "retry": 1}
    assert "CERTIFICATE_VERIFY_FAILED" in outbox(reg, "queued")[0]["last_error"]
    assert push(reg, receiver.url, str(receiver.cert), now=later(4))["sent"] == 1
    assert len(receiver.keys()) == 3


def _write(p: Path, text: str) -> Path:
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.slow
def test_killed_mid_send_the_message_is_received_once(stores: LocalStores, home: Paths, receiver: Receiver) -> None:
    for u in (A, "91320115000002129Y", "91320115000003121D"):
        enqueue(stores, "deposit", u, "2025-01")
    receiver.start("--delay", "5")  # the province stores, then answers slowly: nengtan dies before it hears
    env = {**os.environ, "NENGTAN_UPWARD_URL": receiver.url, "NENGTAN_UPWARD_CA": str(receiver.cert)}
    cmd = [sys.executable, "-m", "nengtan.cli.entry", "upward", "push", "--home", str(home.home)]
    proc = subprocess.Popen(cmd, env=env)
    deadline = time.monotonic() + 60
    while not receiver.keys() and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)  # the first message is stored, its answer not yet heard
    proc.wait(10)
    assert len(receiver.keys()) == 1 and {m["status"] for m in outbox(stores.registry)} == {"queued"}
    done = subprocess.run([*cmd, "--loop", "--interval", "0.2"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert [m["status"] for m in outbox(stores.registry)] == ["sent"] * 3
    assert len(receiver.keys()) == 3  # the resent message was acknowledged as a duplicate, not stored again
