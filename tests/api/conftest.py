"""Shared fixtures: one small demo park per session (SQLite), the app over it, tokens per role."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)

from fastapi.testclient import TestClient  # noqa: E402

from nengtan.api.app import create_app  # noqa: E402
from nengtan.api.demo_users import DemoAccount, ensure_demo_users  # noqa: E402
from nengtan.api.settings import load_settings  # noqa: E402
from nengtan.config import Paths  # noqa: E402
from nengtan.demo import SMALL, build_demo  # noqa: E402
from nengtan.registry.store import Registry  # noqa: E402

PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_TEST_DB = f"nengtan_test_api_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"  # one per parallel worker


@dataclass
class DemoPark:
    home: Path
    url: str
    accounts: dict[str, DemoAccount]
    a: str  # enterprise A's credit code
    b: str  # enterprise B's credit code


def make_demo(home: Path, url: str | None = None) -> DemoPark:
    paths = Paths(home)
    home.mkdir(parents=True, exist_ok=True)
    url = url or f"sqlite:///{paths.sqlite}"
    reg = Registry.open(url)
    build_demo(paths, reg, SMALL, minutes=60)
    accounts = {a.username: a for a in ensure_demo_users(reg)}
    reg.close()
    return DemoPark(home, url, accounts, accounts["enterprise-a"].enterprises[0],
                    accounts["enterprise-b"].enterprises[0])


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoPark:
    return make_demo(tmp_path_factory.mktemp("demo-park"))


@pytest.fixture(scope="session")
def app(demo: DemoPark):  # type: ignore[no-untyped-def]
    return create_app(load_settings(home=str(demo.home), database_url=demo.url, secret_key="test-secret-" + "x" * 40,
                                    login_max_attempts=1000))


@pytest.fixture(scope="session")
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def login(client: TestClient, username: str, password: str) -> dict[str, str]:
    r = client.post("/api/auth/token", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture(scope="session")
def tokens(client: TestClient, demo: DemoPark) -> dict[str, dict[str, str]]:
    return {name: login(client, a.username, a.password) for name, a in demo.accounts.items()}


def own_park(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[tuple[TestClient, DemoPark]]:
    """A small demo park and the app over it for one test module that changes what it holds (the session's demo is
    shared by modules that read it)."""
    demo = make_demo(Path(tmp_path_factory.mktemp(name)))
    app = create_app(load_settings(home=str(demo.home), database_url=demo.url, secret_key="test-secret-" + "y" * 40,
                                   login_max_attempts=1000))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c, demo


def auth(c: TestClient, demo: DemoPark, who: str) -> dict[str, str]:
    """Log in as one of the demo's accounts."""
    return login(c, demo.accounts[who].username, demo.accounts[who].password)
