"""Passwords, tokens, rate limiting, roles, no default accounts."""

from __future__ import annotations

import datetime as dt

import jwt
from fastapi.testclient import TestClient
from sqlalchemy import select

from nengtan.api.app import create_app
from nengtan.api.auth import issue_token
from nengtan.api.settings import load_settings
from nengtan.registry.tables.access import User


def test_login_returns_expiring_token(client: TestClient, demo) -> None:  # type: ignore[no-untyped-def]
    r = client.post("/api/auth/token", json={"username": "admin", "password": "demo-admin-pass"})
    assert r.status_code == 200
    body = r.json()
    claims = jwt.decode(body["access_token"], options={"verify_signature": False})
    lifetime = claims["exp"] - claims["iat"]
    assert lifetime == 60 * 60
    assert body["role"] == "admin"
    client.cookies.clear()


def test_passwords_are_argon2_hashes(app, demo) -> None:  # type: ignore[no-untyped-def]
    with app.state.services.registry.session() as s:
        hashes = s.execute(select(User.password_hash)).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert all("demo-" not in h for h in hashes)


def test_wrong_password_is_401_problem(client: TestClient) -> None:
    r = client.post("/api/auth/token", json={"username": "admin", "password": "wrong-password"})
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["detail"] == "wrong username or password"


def test_expired_and_forged_tokens_are_refused(client: TestClient) -> None:
    old, _ = issue_token("admin", "admin", "test-secret-" + "x" * 40, ttl_minutes=-1)
    r = client.get("/api/auth/me", headers={"Authorization": f"Bearer {old}"})
    assert r.status_code == 401
    forged = jwt.encode({"sub": "admin", "exp": dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)}, "other-key" * 5,
                        algorithm="HS256")
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    assert client.get("/api/auth/me").status_code == 401


def test_login_rate_limit_slows_the_attacker_not_the_user(demo) -> None:  # type: ignore[no-untyped-def]
    """Failures count per (account, address) and per address: the attacker's address is held back with
    Retry-After, while the real user, from another address, still logs in (no hard lock-out); the
    refusals are in the audit log."""
    from nengtan.registry.tables.access import AuditEntry

    app = create_app(load_settings(home=str(demo.home), database_url=demo.url, login_max_attempts=3,
                                   login_window_seconds=60))
    attacker = TestClient(app, client=("203.0.113.9", 40000))
    user = TestClient(app, client=("198.51.100.7", 40001))
    with attacker, user:
        codes = [attacker.post("/api/auth/token", json={"username": "enterprise-a", "password": "bad-password"})
                 .status_code for _ in range(6)]
        assert codes == [401, 401, 401, 429, 429, 429]
        # the attacker's address is refused even with the right password ...
        r = attacker.post("/api/auth/token", json={"username": "enterprise-a", "password": "demo-enterprise-a"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        # ... and another account from that address too (per-address limit)
        assert attacker.post("/api/auth/token", json={"username": "admin", "password": "x" * 12}).status_code == 429
        # the real user, elsewhere, is not locked out
        ok = user.post("/api/auth/token", json={"username": "enterprise-a", "password": "demo-enterprise-a"})
        assert ok.status_code == 200, ok.text
        with app.state.services.registry.session() as s:
            limited = s.execute(select(AuditEntry).where(AuditEntry.action == "auth.rate_limited",
                                                         AuditEntry.target == "user:enterprise-a")).scalars().all()
        assert len(limited) >= 4 and all("203.0.113.9" in e.detail for e in limited)


def test_a_password_change_ends_open_sessions(demo) -> None:  # type: ignore[no-untyped-def]
    import time

    app = create_app(load_settings(home=str(demo.home), database_url=demo.url, auth_cache_seconds=0))
    with TestClient(app) as c:
        def login(name: str, pw: str) -> dict[str, str]:
            r = c.post("/api/auth/token", json={"username": name, "password": pw})
            assert r.status_code == 200, r.text
            return {"Authorization": f"Bearer {r.json()['access_token']}"}

        admin = login("admin", "demo-admin-pass")
        r = c.post("/api/users", headers=admin, json={"username": "pw-change", "password": "first-password-1",
                                                      "role": "enterprise", "enterprises": [demo.b]})
        assert r.status_code == 201, r.text
        old = login("pw-change", "first-password-1")
        assert c.get("/api/auth/me", headers=old).status_code == 200
        time.sleep(1.05)  # tokens carry whole seconds: the change is a later second than the old login
        r = c.patch("/api/users/pw-change", headers=admin, json={"password": "a-new-password-2026"})
        assert r.status_code == 200, r.text
        assert c.get("/api/auth/me", headers=old).status_code == 401  # the open session is over
        new = login("pw-change", "a-new-password-2026")
        assert c.get("/api/auth/me", headers=new).status_code == 200
        assert c.get(f"/api/enterprises/{demo.b}", headers=old).status_code == 401


def test_no_default_account_outside_demo(tmp_path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(load_settings(home=str(tmp_path / "fresh")))
    with TestClient(app) as c:
        with app.state.services.registry.session() as s:
            assert s.execute(select(User)).first() is None
        for user, pw in [("admin", "admin"), ("admin", "demo-admin-pass"), ("root", "password")]:
            assert c.post("/api/auth/token", json={"username": user, "password": pw}).status_code == 401


def test_admin_manages_users_and_disabling_cuts_access(client: TestClient, tokens, demo) -> None:  # type: ignore[no-untyped-def]
    admin = tokens["admin"]
    r = client.post("/api/users", headers=admin, json={"username": "temp-user", "password": "short",
                                                        "role": "enterprise", "enterprises": [demo.a]})
    assert r.status_code == 422
    r = client.post("/api/users", headers=admin, json={"username": "temp-user", "password": "long-enough-pw",
                                                        "role": "enterprise", "enterprises": [demo.a]})
    assert r.status_code == 201 and r.json()["enterprises"] == [demo.a]
    t = client.post("/api/auth/token", json={"username": "temp-user", "password": "long-enough-pw"}).json()
    client.cookies.clear()
    h = {"Authorization": f"Bearer {t['access_token']}"}
    assert client.get(f"/api/enterprises/{demo.a}", headers=h).status_code == 200
    assert client.patch("/api/users/temp-user", headers=admin, json={"active": False}).status_code == 200
    assert client.get(f"/api/enterprises/{demo.a}", headers=h).status_code == 401
    assert client.post("/api/users", headers=tokens["enterprise-a"],
                       json={"username": "x1", "password": "long-enough-pw", "role": "admin"}).status_code == 403
