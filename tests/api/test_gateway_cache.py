"""Gateway ingestion through the main app, the principal cache's bound, ETags on cached endpoints."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from nengtan.api.app import create_app
from nengtan.api.services import MISS, PrincipalCache
from nengtan.api.settings import load_settings
from nengtan.registry.tables.access import User
from nengtan.registry.tables.park import Enterprise, Meter

from .conftest import login

YEAR = 2025


def _interval_meter(app, uscc: str) -> tuple[str, str, int]:  # type: ignore[no-untyped-def]
    with app.state.services.registry.session() as s:
        eid = s.execute(select(Enterprise.id).where(Enterprise.uscc == uscc)).scalar_one()
        m = s.execute(select(Meter).where(Meter.enterprise_id == eid, Meter.kind == "interval")).scalars().first()
        assert m is not None, f"{uscc} has no interval meter in the demo park"
        return m.code, m.unit, m.interval_s


def test_gateway_posts_a_batch_through_the_main_app(client: TestClient, app, demo, tokens) -> None:  # type: ignore[no-untyped-def]
    from nengtan.ingest.gateways import add_gateway

    svc = app.state.services
    with svc.registry.session() as s:
        metered = [u for u in s.execute(select(Enterprise.uscc).join(Meter, Meter.enterprise_id == Enterprise.id)
                                        .where(Meter.kind == "interval")).scalars()]
    mine, theirs = metered[0], next(u for u in metered if u != metered[0])
    code, unit, step_s = _interval_meter(app, mine)
    other, _, _ = _interval_meter(app, theirs)
    token = add_gateway(svc.registry, "GW-API-TEST", [code], mine)
    t0 = dt.datetime(2026, 10, 5, 8, 0, tzinfo=dt.UTC)  # an interval no other test writes
    readings = [{"meter": code, "ts": (t0 + dt.timedelta(seconds=step_s * k)).isoformat(), "value": 10.0 + k,
                 "unit": unit} for k in range(4)]
    readings.append({"meter": other, "ts": t0.isoformat(), "value": 1.0, "unit": unit})  # not this gateway's
    version = svc.lake.version
    r = client.post("/api/ingest/readings", json={"readings": readings}, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["gateway"] == "GW-API-TEST" and body["accepted"] == 4 and body["rejected"] == 1
    assert body["rejections"][0]["meter"] == other and body["lake_version"] > version
    again = client.post("/api/ingest/readings", json={"readings": readings[:4]},
                        headers={"Authorization": f"Bearer {token}"}).json()
    assert again["accepted"] == 0 and again["duplicate"] == 4  # exactly once
    # a user's login is not a gateway token, and no token is no entry
    user = client.post("/api/ingest/readings", json={"readings": readings[:1]}, headers=tokens["admin"])
    assert user.status_code == 401
    assert client.post("/api/ingest/readings", json={"readings": readings[:1]}).status_code == 401


def test_principal_cache_entries_expire() -> None:
    c = PrincipalCache(0.2)
    c.put("tok", "p", token_expires_in=3600)
    assert c.get("tok") == "p"
    c.put("short", "q", token_expires_in=0.05)  # never beyond the token's own expiry
    time.sleep(0.25)
    assert c.get("tok") is MISS and c.get("short") is MISS
    off = PrincipalCache(0.0)
    off.put("tok", "p", 3600)
    assert off.get("tok") is MISS


def test_disabled_user_refused_within_the_cache_bound(demo) -> None:  # type: ignore[no-untyped-def]
    """A user disabled behind the service's back (the CLI, another worker) is refused within
    auth_cache_seconds; through the API of the same process at once."""
    ttl = 0.6
    app = create_app(load_settings(home=str(demo.home), database_url=demo.url, secret_key="c-" + "z" * 40,
                                   login_max_attempts=1000, auth_cache_seconds=ttl))
    svc = app.state.services
    with TestClient(app, raise_server_exceptions=False) as c:
        admin = login(c, "admin", demo.accounts["admin"].password)
        assert c.post("/api/users", json={"username": "cache-probe", "password": "cache-probe-pw1",
                                          "role": "enterprise", "enterprises": [demo.a]},
                      headers=admin).status_code == 201
        h = login(c, "cache-probe", "cache-probe-pw1")
        assert c.get("/api/auth/me", headers=h).status_code == 200
        with svc.registry.session() as s:  # as `nengtan users disable` would, from another process
            s.execute(select(User).where(User.username == "cache-probe")).scalar_one().active = False
        time.sleep(ttl + 0.1)
        assert c.get("/api/auth/me", headers=h).status_code == 401
        # re-enable through the API, then disable through the API: refused at once
        assert c.patch("/api/users/cache-probe", json={"active": True}, headers=admin).status_code == 200
        assert c.get("/api/auth/me", headers=h).status_code == 200
        assert c.patch("/api/users/cache-probe", json={"active": False}, headers=admin).status_code == 200
        assert c.get("/api/auth/me", headers=h).status_code == 401


def test_cockpit_etag(client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    h = tokens["admin"]
    r = client.get(f"/api/cockpit/sankey?year={YEAR}", headers=h)
    assert r.status_code == 200 and r.json()["links"]
    etag = r.headers["etag"]
    same = client.get(f"/api/cockpit/sankey?year={YEAR}", headers={**h, "If-None-Match": etag})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
    other = client.get(f"/api/cockpit/sankey?year={YEAR}", headers={**h, "If-None-Match": '"stale"'})
    assert other.status_code == 200 and other.content == r.content
    # a 304 is still only for the administrator
    assert client.get(f"/api/cockpit/sankey?year={YEAR}", headers={**tokens["enterprise-a"],
                                                                   "If-None-Match": etag}).status_code == 403


@pytest.mark.parametrize("path", ["/api/cockpit/summary", "/api/cockpit/ranking?by=intensity"])
def test_cached_bytes_equal_fresh_json(client: TestClient, tokens, path: str) -> None:  # type: ignore[no-untyped-def]
    a = client.get(path, headers=tokens["admin"])
    b = client.get(path, headers=tokens["admin"])
    assert a.status_code == b.status_code == 200 and a.content == b.content and a.headers["etag"] == b.headers["etag"]
