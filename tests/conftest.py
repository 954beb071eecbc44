"""Shared fixtures: a fresh data home, a small demo park built once per session, the real PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from nengtan.config import Paths, data_home, database_url
from nengtan.lake import Lake
from nengtan.registry.store import Registry

os.environ["NENGTAN_LANG"] = "en"  # the CLI's messages as the tests read them, whatever the machine's locale
PG_ADMIN_URL = os.environ.get("NENGTAN_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def home(tmp_path: Path) -> Paths:
    return data_home(tmp_path / "home")


@pytest.fixture
def registry(home: Paths) -> Iterator[Registry]:
    reg = Registry.open(database_url(home))
    yield reg
    reg.close()


@pytest.fixture
def lake(home: Paths) -> Lake:
    return Lake(home.lake)


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The SMALL demo park (24 enterprises, 15-minute meters for a year), built once."""
    from nengtan.demo import SMALL, build_demo

    paths = data_home(tmp_path_factory.mktemp("demo") / "home")
    reg = Registry.open(database_url(paths))
    truth = build_demo(paths, reg, SMALL)
    yield paths, reg, Lake(paths.lake), truth
    reg.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh database on the real PostgreSQL server for one test, dropped afterwards."""
    name = f"nengtan_core_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
