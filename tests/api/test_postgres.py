"""The service as a multi-user server on PostgreSQL (database nengtan_test_api)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DatabaseError

from nengtan.api.app import create_app
from nengtan.api.settings import load_settings
from nengtan.engine.ledgers import inventory
from nengtan.lake import Lake
from nengtan.registry.store import Registry

from .conftest import PG_ADMIN_URL, PG_TEST_DB, make_demo

pytestmark = pytest.mark.postgres
URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_TEST_DB}"


@pytest.fixture(scope="module")
def pg_demo(tmp_path_factory):  # type: ignore[no-untyped-def]
    eng = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{PG_TEST_DB}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{PG_TEST_DB}"'))
    eng.dispose()
    return make_demo(tmp_path_factory.mktemp("pg-park"), URL)


def test_postgres_service(pg_demo) -> None:  # type: ignore[no-untyped-def]
    app = create_app(load_settings(home=str(pg_demo.home), database_url=URL, secret_key="pg-" + "p" * 40))
    with TestClient(app) as c:
        tok = c.post("/api/auth/token", json={"username": "admin", "password": "demo-admin-pass"}).json()
        h = {"Authorization": f"Bearer {tok['access_token']}"}
        s = c.get("/api/cockpit/summary?year=2025", headers=h).json()
        reg = Registry.open(URL)
        inv = inventory(reg, Lake(pg_demo.home / "lake"), year=2025).to_dict()
        co2 = {i["key"]: i["value"] for i in s["items"]}["co2_t"]
        assert co2 == pytest.approx(inv["co2_t"], rel=1e-12)
        a = pg_demo.accounts["enterprise-a"]
        ta = c.post("/api/auth/token", json={"username": a.username, "password": a.password}).json()
        c.cookies.clear()
        ha = {"Authorization": f"Bearer {ta['access_token']}"}
        assert c.get(f"/api/enterprises/{pg_demo.b}", headers=ha).status_code == 404
        assert c.post("/api/publications", headers=h, json={"year": 2025}).status_code == 201
        log = c.get("/api/audit", headers=h).json()
        assert log["chain"]["intact"] and log["items"][0]["action"] == "publication.create"
        for stmt in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
            with pytest.raises(DatabaseError, match="append-only"), reg.session() as ses:
                ses.execute(text(stmt))
        reg.close()
