"""Green power over HTTP: one enterprise never sees another's holdings, orders, claims or proofs; the statement and
the claims are the engine's numbers."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*httpx.*", category=DeprecationWarning)

from fastapi.testclient import TestClient  # noqa: E402

from nengtan.api.app import create_app  # noqa: E402
from nengtan.api.settings import load_settings  # noqa: E402
from nengtan.api.users import add_user  # noqa: E402
from nengtan.config import Paths  # noqa: E402
from nengtan.engine import accounts, greenassets  # noqa: E402
from nengtan.engine.stores import LocalStores  # noqa: E402
from nengtan.greenpower import gec  # noqa: E402
from nengtan.ingest.files import import_file  # noqa: E402
from nengtan.lake import Lake  # noqa: E402
from nengtan.registry.store import Registry  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
A, B = "91320115000001230J", "91320115000002129Y"
WIND = gec.project_code("1", "1", "2", 2021, "320900", 1)


def _token(c: TestClient, user: str) -> dict[str, str]:
    r = c.post("/api/auth/token", json={"username": user, "password": "pw-" + user + "-123456"})
    assert r.status_code == 200, r.text
    c.cookies.clear()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_green_power_endpoints_keep_enterprises_apart(registry: Registry, home: Paths, tmp_path: Path) -> None:
    assert import_file(registry, home, "enterprises", EXAMPLES / "enterprises.csv").rows_bad == 0
    (tmp_path / "act.csv").write_text(f"uscc,period,carrier,quantity,unit\n{A},2025-01,electricity,800000,kWh\n"
                                      f"{B},2025-01,electricity,500000,kWh\n")
    assert import_file(registry, home, "activity", tmp_path / "act.csv").rows_bad == 0
    with registry.session(write=True) as s:
        for user, role, ents in (("staff", "admin", []), ("ent-a", "enterprise", [A]), ("ent-b", "enterprise", [B])):
            add_user(s, "test", user, "pw-" + user + "-123456", role, ents)
        greenassets.add_contract(s, "test", "GT-A", "green_trade", "wind farm", WIND, A, dt.date(2025, 1, 1), 120,
                                 450.0, "wind")
    app = create_app(load_settings(home=str(home.home), database_url=f"sqlite:///{home.sqlite}",
                                   secret_key="test-secret-" + "x" * 40, login_max_attempts=1000))
    with TestClient(app, raise_server_exceptions=False) as c:
        ta, tb = _token(c, "ent-a"), _token(c, "ent-b")
        r = c.post("/api/greenpower/claims", json={"uscc": A, "period": "2025-01", "mwh": 100}, headers=ta)
        assert r.status_code == 201, r.text
        seq = r.json()["ledger_seq"]
        assert c.post("/api/greenpower/claims", json={"uscc": A, "period": "2025-01", "mwh": 1},
                      headers=tb).status_code == 404
        assert [h["mwh"] for h in c.get("/api/greenpower/holdings", headers=ta).json()["items"]] == [100, 20]
        assert c.get("/api/greenpower/holdings", headers=tb).json()["items"] == []
        assert c.get(f"/api/greenpower/holdings?owner={A}", headers=tb).status_code == 404
        assert c.get(f"/api/greenpower/claims?uscc={A}", headers=tb).status_code == 404
        assert c.get(f"/api/greenpower/ledger/proof/{seq}", headers=tb).status_code == 404
        proof = c.get(f"/api/greenpower/ledger/proof/{seq}", headers=ta).json()
        from nengtan.ledger.entries import verify_bundle

        assert verify_bundle(proof).ok and proof["entry"]["body"]["mwh"] == 100
        assert c.get(f"/api/greenpower/statement/{A}?year=2025", headers=tb).status_code == 404
        st = c.get(f"/api/greenpower/statement/{A}?year=2025", headers=ta).json()
        inv = accounts.inventory(LocalStores(registry, Lake(home.lake)), 2025, scope=f"enterprise:{A}")
        assert st["figures"]["scope2_market_t"] == pytest.approx(inv.scope2_market_t, rel=1e-12)
        assert inv.scope2_market_t == pytest.approx((800_000 - 100_000) * 0.6096 / 1000)  # 公告2025年第47号 表4
        xlsx = c.get(f"/api/greenpower/statement/{A}?year=2025&format=xlsx", headers=ta)
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        # B's order is its own; A sees the public book without B's name
        r = c.post("/api/greenpower/orders", json={"owner": B, "side": "buy", "product": "gec", "price": 450,
                                                   "mwh": 10}, headers=tb)
        assert r.status_code == 201, r.text
        assert c.get("/api/greenpower/orders", headers=ta).json()["items"] == []
        book = c.get("/api/greenpower/book", headers=ta).json()
        assert book["levels"]["gec"]["buy"] == [{"price": 450.0, "mwh": 10.0}] and B not in str(book)
        assert c.delete(f"/api/greenpower/orders/{r.json()['order']}", headers=ta).status_code == 404
        assert c.get("/api/greenpower/grid", headers=ta).status_code == 403  # the grid names every load: staff only
        assert c.get("/api/greenpower/grid", headers=_token(c, "staff")).status_code == 404  # no network here
