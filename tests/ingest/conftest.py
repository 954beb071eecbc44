"""Fixtures for the ingest tests: real PostgreSQL (database nengtan_test_ingest), real Mosquitto."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import socket
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import create_engine, text

from nengtan.identifiers import make_uscc
from nengtan.ingest.gateways import add_gateway
from nengtan.lake import Lake
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import Enterprise, Meter, Park

PG = os.environ.get("NENGTAN_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
DB = f"nengtan_test_ingest_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # one per parallel worker
BROKER = ("127.0.0.1", 1883)
_serial = itertools.count(int(uuid.uuid4().int % 10_000_000))


def _ensure_db() -> str:
    eng = create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)"))
        c.execute(text(f"CREATE DATABASE {DB}"))
    eng.dispose()
    return f"{PG}/{DB}"


@pytest.fixture(scope="session")
def pg_url() -> str:
    return _ensure_db()


@pytest.fixture(scope="session")
def registry(pg_url: str) -> Iterator[Registry]:
    reg = Registry.open(pg_url)
    yield reg
    reg.close()


@pytest.fixture
def lake(tmp_path) -> Lake:  # type: ignore[no-untyped-def]
    return Lake(tmp_path / "lake")


@pytest.fixture
def prefix() -> str:
    return f"nt-test-{uuid.uuid4().hex[:12]}"


@dataclass
class TestPark:
    tag: str
    enterprises: list[str] = field(default_factory=list)  # USCCs
    meters: dict[str, list[str]] = field(default_factory=dict)  # uscc -> meter codes
    gateways: dict[str, str] = field(default_factory=dict)  # gateway code -> token
    gateway_meters: dict[str, list[str]] = field(default_factory=dict)


def make_park(registry: Registry, n_ent: int = 2, meters_per_ent: int = 2, kind: str = "interval",
              gateways: bool = True, carrier: str = "electricity", unit: str = "kWh",
              installed_on: dt.date | None = dt.date(2020, 1, 1), meters_per_gateway: int | None = None,
              rollover: float | None = None) -> TestPark:
    """Enterprises with meters (codes unique per call) and one gateway per enterprise (or per
    `meters_per_gateway` meters)."""
    tag = uuid.uuid4().hex[:8].upper()
    park = TestPark(tag)
    with registry.session() as s:
        p = Park(code=f"P{tag}", name=f"测试园区 {tag}", province="江苏")
        s.add(p)
        s.flush()
        for e in range(n_ent):
            uscc = make_uscc("320900", next(_serial))
            ent = Enterprise(park_id=p.id, uscc=uscc, name=f"企业{e}", sector_code="C26", province="江苏")
            s.add(ent)
            s.flush()
            codes = [f"T{tag}-E{e:03d}-{'M' if k == 0 else f'S{k}'}" for k in range(meters_per_ent)]
            for k, code in enumerate(codes):
                s.add(Meter(code=code, enterprise_id=ent.id, carrier=carrier, unit=unit, kind=kind,
                            role="main" if k == 0 else "sub", interval_s=900, installed_on=installed_on,
                            rollover=rollover))
            park.enterprises.append(uscc)
            park.meters[uscc] = codes
    if gateways:
        all_codes = [c for u in park.enterprises for c in park.meters[u]]
        if meters_per_gateway is None:
            groups = [(f"GW{tag}-{i:04d}", park.meters[u], u) for i, u in enumerate(park.enterprises)]
        else:
            groups = [(f"GW{tag}-{i // meters_per_gateway:04d}", all_codes[i:i + meters_per_gateway], None)
                      for i in range(0, len(all_codes), meters_per_gateway)]
        for code, ms, uscc in groups:
            park.gateways[code] = add_gateway(registry, code, ms, uscc)
            park.gateway_meters[code] = list(ms)
    return park


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def private_broker(tmp_path) -> Iterator[int]:  # type: ignore[no-untyped-def]
    """A second Mosquitto on a free loopback port whose queue per client is unlimited
    (max_queued_messages 0), so nothing published while the ingester is dead is dropped by the broker."""
    port = free_port()
    conf = tmp_path / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
                    "max_queued_messages 0\nmax_inflight_messages 0\nuser root\n"
                    f"log_dest file {tmp_path / 'mosquitto.log'}\n")
    proc = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            import time

            time.sleep(0.05)
    else:
        proc.kill()
        raise RuntimeError("private mosquitto did not start")
    yield port
    proc.terminate()
    proc.wait(timeout=10)
