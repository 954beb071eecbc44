"""One enterprise can never read or write another's data, by any endpoint.

The route table is enumerated from the app itself; every route must have a rule below, so a new
endpoint without an isolation check fails this test until someone decides how it is scoped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import Mount

from nengtan.engine.certification import Actor
from nengtan.registry.tables.park import Enterprise, Meter

YEAR = 2025
# Routes with {uscc} are tried against B; the rest are classified here.
ADMIN_ONLY = {
    ("GET", "/api/users"), ("POST", "/api/users"), ("PATCH", "/api/users/{username}"), ("GET", "/api/audit"),
    ("POST", "/api/publications"),
    ("GET", "/api/reports/inventory"), ("GET", "/api/reports/targets"), ("GET", "/api/reports/pack"),
    ("GET", "/api/cockpit/summary"), ("GET", "/api/cockpit/trends"), ("GET", "/api/cockpit/breakdown"),
    ("GET", "/api/cockpit/sankey"), ("GET", "/api/cockpit/ranking"), ("GET", "/api/cockpit/map"),
    ("GET", "/api/cockpit/warnings"), ("GET", "/api/cockpit/sectors/{code}"), ("GET", "/api/cockpit/places"),
    ("GET", "/api/cockpit/years"), ("GET", "/api/cockpit/geo"),
    ("GET", "/api/targets"), ("GET", "/api/warnings"), ("GET", "/api/targets/templates"),
    ("GET", "/api/budgets/{year}"), ("POST", "/api/budgets/{year}"), ("POST", "/api/targets"),
    ("GET", "/api/scenarios"), ("GET", "/api/lmdi"),
    ("POST", "/api/assessments"), ("GET", "/api/assessments"), ("GET", "/api/greenpower/grid"),
    ("GET", "/api/greenpower/cfe"), ("GET", "/api/ratings/summary"),
    ("GET", "/api/evaluation/hj274"), ("GET", "/api/evaluation/hj274/trend"), ("GET", "/api/evaluation/zero-carbon"),
    ("GET", "/api/evaluation/ghg"), ("GET", "/api/evaluation/{kind}/export"),
    ("GET", "/api/energy-budget"), ("GET", "/api/energy-budget/status"), ("GET", "/api/energy-budget/reviews"),
}
# Gateway ingestion (issue 3): authenticated by gateway tokens only; a user's login is refused (401),
# and a gateway writes only its own meters (tests/api/test_gateway_cache.py).
GATEWAY_ONLY = {("POST", "/api/ingest/readings")}
ADMIN_PAGES = {("GET", "/cockpit"), ("GET", "/cockpit/sectors/{code}"), ("GET", "/cockpit/evaluation"),
               ("GET", "/admin"), ("GET", "/cockpit/screen")}
NO_ENTERPRISE_DATA = {  # answer the same for everyone and hold no enterprise's data
    ("GET", "/api/health"), ("GET", "/labels.js"), ("GET", "/i18n.js"), ("POST", "/api/auth/token"),
    ("POST", "/api/auth/logout"),
    ("GET", "/api/public/publications"), ("GET", "/api/public/publications/{year}"),
    ("GET", "/api/sectors"), ("GET", "/api/factor-sets"), ("GET", "/api/ingest/health"),
    ("GET", "/api/openapi.json"), ("GET", "/api/docs"), ("GET", "/favicon.ico"), ("GET", "/api/templates/{kind}.xlsx"),
    ("GET", "/api/templates/{kind}/columns"),
    ("GET", "/api/greenpower/ledger/head"), ("GET", "/api/greenpower/book"), ("GET", "/api/tariffs"),
    ("GET", "/"), ("GET", "/login"), ("GET", "/public"),
}
# Footprint records, requests, applications and certificates are reached by their own ids: tried here with
# B's (a record, an application, its certificate, a request to B); tests/api/test_footprints.py goes role by role.
OBJECT_ROUTES = {
    # green power (issue 11): own holdings, contracts, claims, orders, trades and proofs; B's order and its
    # ledger entry are tried by id
    ("GET", "/api/greenpower/holdings"), ("GET", "/api/greenpower/stock"), ("GET", "/api/greenpower/contracts"),
    ("GET", "/api/greenpower/claims"), ("POST", "/api/greenpower/claims"), ("GET", "/api/greenpower/orders"),
    ("POST", "/api/greenpower/orders"), ("DELETE", "/api/greenpower/orders/{order_id}"),
    ("GET", "/api/greenpower/trades"), ("GET", "/api/greenpower/ledger/proof/{seq}"),
    # ratings (issue 12): the staff see all, an enterprise its own rows
    ("GET", "/api/ratings/carbon-efficiency"), ("GET", "/api/ratings/green-code"), ("GET", "/api/assets/compliance"),
    ("GET", "/api/ratings/mu"), ("GET", "/api/ratings/points"), ("GET", "/api/ratings/runs"),
    ("GET", "/api/assets/compliance/export"), ("GET", "/api/assets/verifications"),
    ("GET", "/api/assets/energy-rights"), ("GET", "/api/assets/ccer-lots"),
    ("GET", "/api/footprints/{pf_id}"), ("GET", "/api/footprints/{pf_id}/pact"),
    ("GET", "/api/footprints/{pf_id}/report.{kind}"),
    ("POST", "/api/footprint-requests/{request_id}/answer"), ("GET", "/api/certification/applications"),
    ("POST", "/api/certification/applications"), ("GET", "/api/certification/applications/{number}"),
    ("POST", "/api/certification/applications/{number}/steps"), ("POST", "/api/certificates/{number}/actions"),
    ("GET", "/pact/3/footprints"), ("GET", "/pact/3/footprints/{pf_id}"), ("POST", "/pact/3/events"),
    ("GET", "/footprints"), ("POST", "/pact/auth/token"),
}
# A certificate is public by design (the label's QR code opens it): it shows what the label shows and no more.
PUBLIC_CERTIFICATE = {("GET", "/api/public/certificates/{number}"), ("GET", "/verify/{number}"),
                      ("GET", "/api/public/certificates/{number}/label.{kind}")}
# What enterprises chose to publish of their ESG pack is public by their choice: B has published nothing here.
PUBLISHED_BY_ENTERPRISES = {("GET", "/api/public/esg")}
OWN_ONLY = {("GET", "/api/auth/me"), ("GET", "/api/enterprises"), ("GET", "/api/inventory"), ("GET", "/portal"),
            ("GET", "/api/me/subscriptions"), ("POST", "/api/me/subscriptions"),
            ("DELETE", "/api/me/subscriptions/{subscription_id}"),
            ("GET", "/api/alarms")}  # tests/api/test_operations.py: an enterprise sees its own meters' alarms only


def _flatten(routes, prefix: str = ""):  # type: ignore[no-untyped-def]
    """(full path, route) of every route, through FastAPI's lazily included routers and their prefixes."""
    for r in routes:
        inner = getattr(r, "original_router", None)
        if inner is not None:
            ctx = getattr(r, "include_context", None)
            yield from _flatten(inner.routes, prefix + (getattr(ctx, "prefix", "") or ""))
        else:
            yield prefix + getattr(r, "path", ""), r


def all_routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every (method, path) the app answers, from its route table (API, pages and documentation)."""
    out = []
    for path, r in _flatten(app.routes):
        if isinstance(r, Mount):
            continue  # /static: vendored files and scripts, no data
        methods = r.methods if isinstance(r, APIRoute) else getattr(r, "methods", None) or set()
        for m in sorted(methods - {"HEAD", "OPTIONS"}):
            out.append((m, path))
    return out


def test_route_table_matches_openapi(app) -> None:  # type: ignore[no-untyped-def]
    """The enumeration sees every operation of the OpenAPI document."""
    ops = {(m.upper(), p) for p, item in app.openapi()["paths"].items() for m in item}
    assert ops and ops <= set(all_routes(app))


@pytest.fixture(scope="module")
def b_objects(client: TestClient, tokens, demo, app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Something of B's for every kind of path parameter: a meter, an upload, a sector."""
    with app.state.services.registry.session() as s:
        b_id = s.execute(select(Enterprise.id).where(Enterprise.uscc == demo.b)).scalar_one()
        meter = s.execute(select(Meter.code).where(Meter.enterprise_id == b_id)).scalars().first()
        sector = s.execute(select(Enterprise.sector_code).where(Enterprise.id == b_id)).scalar_one()
        name = s.execute(select(Enterprise.name).where(Enterprise.id == b_id)).scalar_one()
    csv = (f"uscc,period,carrier,quantity,unit\n{demo.b},{YEAR}-01,diesel,1.5,t\n"
           f"{demo.b},{YEAR}-02,diesel,x,t\n").encode()  # the second row is quarantined
    r = client.post(f"/api/enterprises/{demo.b}/uploads", headers=tokens["enterprise-b"],
                    files={"file": ("b.csv", csv, "text/csv")}, data={"kind": "activity"})
    assert r.status_code == 201, r.text
    quarantined = client.get(f"/api/enterprises/{demo.b}/quarantine", headers=tokens["enterprise-b"]).json()
    b_sub = client.post("/api/me/subscriptions", headers=tokens["enterprise-b"],
                        json={"kinds": ["quality"], "channel": "email", "target": "quality@b.example"}).json()
    objects = _b_footprint_objects(app, demo, b_id)
    order = client.post("/api/greenpower/orders", json={"owner": demo.b, "side": "buy", "product": "gec",
                                                        "price": 450, "mwh": 5}, headers=tokens["enterprise-b"])
    assert order.status_code == 201, order.text
    objects |= {"order_id": str(order.json()["order"]), "seq": str(order.json()["ledger_seq"])}
    return {"uscc": demo.b, "code": meter or "NO-METER", "upload_id": str(r.json()["id"]), "year": str(YEAR),
            "row_id": str(quarantined["items"][0]["id"]), "subscription_id": str(b_sub["id"]),
            "username": "enterprise-b", "sector": sector,
            "name": name, "kind": "svg", **objects}


B_RECORD: list[str] = []  # B's footprint record, for the application a caller tries to make with it


def _b_footprint_objects(app, demo, b_id: int) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """B's footprint record, its application and certificate (DEMO-CB), and a request made to B."""
    from nengtan.demo_chain import AUDITOR_USER, BODY, DECIDER_USER
    from nengtan.engine.certification import actor_of, apply, request_footprint, save_footprint, take_step
    from nengtan.engine.footprints import Request, footprint

    reg = app.state.services.registry
    wafer = Path(__file__).resolve().parents[2] / "docs" / "examples" / "footprint-wafer"
    result = footprint(Request(wafer, "wafer"))
    b = Actor("enterprise-b", "enterprise", frozenset({b_id}))
    rec = save_footprint(reg, b, demo.b, result, "B 的硅片")
    B_RECORD.append(rec["id"])
    number = apply(reg, b, rec["id"], BODY)["number"]
    auditor, decider = actor_of(reg, AUDITOR_USER), actor_of(reg, DECIDER_USER)
    for step in ("accept", "document_review", "site_inspection", "verification"):
        take_step(reg, auditor, number, step)
    cert = take_step(reg, decider, number, "decision")["certificate"]
    asker = next(u for u in (demo.a,) if u != demo.b)
    q = request_footprint(reg, Actor("cli", "admin"), asker, demo.b, "wafer")
    return {"pf_id": rec["id"], "number": number, "certificate": cert, "request_id": str(q["id"])}


def fill(path: str, values: dict[str, str]) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name == "code" and "/sectors/" in path:
            return values["sector"]
        if name == "kind" and ("/report." in path or "/export." in path):
            return "pdf"
        return values[name]
    return re.sub(r"\{(\w+)\}", sub, path)


def call(client: TestClient, method: str, url: str, headers: dict[str, str], demo):  # type: ignore[no-untyped-def]
    if method == "POST" and url.endswith("/uploads"):
        csv = f"uscc,period,carrier,quantity,unit\n{demo.b},{YEAR}-02,diesel,9,t\n".encode()
        return client.post(url, headers=headers, files={"file": ("x.csv", csv, "text/csv")}, data={"kind": "activity"})
    body = {"text": "x", "statement": "", "username": "zz-new", "password": "long-enough-pw", "role": "admin",
            "year": YEAR}
    if url.endswith("/comments"):
        body = {"text": "x"}
    elif url.endswith("/entries"):
        body = {"kind": "activity", "rows": [{"uscc": demo.b, "period": f"{YEAR}-03", "carrier": "diesel",
                                              "quantity": "9", "unit": "t"}]}
    elif url.endswith("/fix"):
        body = {"row": {"uscc": demo.b, "period": f"{YEAR}-02", "carrier": "diesel", "quantity": "2", "unit": "t"}}
    elif url.endswith("/signoff"):
        body = {"statement": "x"}
    elif url.endswith("/publications"):
        body = {"year": YEAR}
    elif method == "PATCH":
        body = {"active": False}
    elif url.endswith("/steps"):
        body = {"step": "accept"}
    elif url.endswith("/actions"):
        body = {"action": "suspend", "note": "x"}
    elif url.endswith("/answer"):
        body = {"share": None}
    elif url.endswith("/certification/applications"):
        body = {"footprint": B_RECORD[0] if B_RECORD else "none", "body": "DEMO-CB"}
    kw = {"json": body} if method in ("POST", "PATCH", "PUT") else {}
    client.cookies.clear()
    return client.request(method, url, headers=headers, **kw)


def test_every_route_isolates_enterprises(client: TestClient, app, tokens, demo, b_objects) -> None:  # type: ignore[no-untyped-def]
    a = tokens["enterprise-a"]
    routes = all_routes(app)
    assert len(routes) > 30
    untested = []
    for method, path in routes:
        key = (method, path)
        url = fill(path, b_objects)
        if "{uscc}" in path:
            for who in ("enterprise-a", "verifier"):  # the verifier is engaged by A only
                r = call(client, method, url, tokens[who], demo)
                assert r.status_code in (403, 404), f"{who} reached {method} {url}: {r.status_code} {r.text[:200]}"
                # the refusal may echo the code the caller sent, but nothing of B's (its name)
                assert b_objects["name"] not in r.text, f"{method} {url} leaked B's data"
        elif key in ADMIN_ONLY:
            r = call(client, method, url, a, demo)
            assert r.status_code == 403, f"enterprise A reached admin route {method} {url}: {r.status_code}"
        elif key in GATEWAY_ONLY:
            for who in ("enterprise-a", "admin"):
                r = call(client, method, url, tokens[who], demo)
                assert r.status_code == 401, f"{who}'s login reached gateway route {method} {url}: {r.status_code}"
        elif key in ADMIN_PAGES:
            r = call(client, method, url, a, demo)
            assert r.status_code == 403 and b_objects["name"] not in r.text
        elif key in NO_ENTERPRISE_DATA:
            r = call(client, method, url, a, demo)
            assert r.status_code < 500 and demo.b not in r.text and b_objects["name"] not in r.text, \
                f"{method} {url} shows B's data"
        elif key in OBJECT_ROUTES:
            for who in ("enterprise-a", "verifier"):
                r = call(client, method, url, tokens[who], demo)
                assert r.status_code in (200, 400, 401, 403, 404, 422), f"{who}: {method} {url}: {r.status_code}"
                # a refusal may echo the id the caller sent, but nothing of B's; a listing shows none of B's ids
                assert b_objects["name"] not in r.text, f"{who} reached B's objects through {method} {url}"
                if "{" in path:
                    assert r.status_code in (403, 404), f"{who} reached {method} {url}: {r.status_code}"
                elif method == "GET":
                    assert b_objects["pf_id"] not in r.text and b_objects["number"] not in r.text
        elif key in PUBLIC_CERTIFICATE:
            cert_url = fill(path.replace("{number}", "{certificate}"), b_objects)
            r = call(client, method, cert_url, a, demo)
            assert r.status_code == 200 and b_objects["pf_id"] not in r.text and "inventory" not in r.text
        elif key in PUBLISHED_BY_ENTERPRISES:
            r = call(client, method, url, a, demo)
            assert r.status_code == 200 and b_objects["name"] not in r.text
        elif key in OWN_ONLY:
            pass  # checked one by one in test_own_only_routes
        else:
            untested.append(key)
    assert not untested, f"routes without an isolation rule: {untested}"


def test_own_only_routes(client: TestClient, tokens, demo) -> None:  # type: ignore[no-untyped-def]
    a = tokens["enterprise-a"]
    me = client.get("/api/auth/me", headers=a).json()
    assert me["enterprises"] == [demo.a]
    listing = client.get("/api/enterprises?limit=1000", headers=a).json()
    assert [e["uscc"] for e in listing["items"]] == [demo.a] and listing["total"] == 1
    assert client.get(f"/api/inventory?scope=enterprise:{demo.b}", headers=a).status_code == 404
    assert client.get(f"/api/inventory?scope=enterprise:{demo.a}", headers=a).status_code == 200
    assert client.get("/api/inventory?scope=park", headers=a).status_code == 403
    assert client.get("/api/inventory?scope=sector:C", headers=a).status_code == 403
    r = client.get("/portal", headers=a, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/portal/{demo.a}"
    # subscriptions: each user sees and stops only their own
    b = tokens["enterprise-b"]
    sub = client.post("/api/me/subscriptions", headers=b, json={"kinds": ["warnings"], "channel": "email",
                                                                 "target": "energy@b.example"}).json()
    assert all(x["id"] != sub["id"] for x in client.get("/api/me/subscriptions", headers=a).json()["items"])
    assert "energy@b.example" not in client.get("/api/me/subscriptions", headers=a).text
    assert client.delete(f"/api/me/subscriptions/{sub['id']}", headers=a).status_code == 404
    assert [x["active"] for x in client.get("/api/me/subscriptions", headers=b).json()["items"]
            if x["id"] == sub["id"]] == [True]


def test_b_data_unchanged_by_a(client: TestClient, tokens, demo) -> None:  # type: ignore[no-untyped-def]
    """A file naming B, uploaded by A to A's own URL, lands nothing for B (rows quarantined)."""
    before = client.get(f"/api/inventory?scope=enterprise:{demo.b}&year={YEAR}", headers=tokens["admin"]).json()
    csv = f"uscc,period,carrier,quantity,unit\n{demo.b},{YEAR}-03,diesel,500,t\n".encode()
    r = client.post(f"/api/enterprises/{demo.a}/uploads", headers=tokens["enterprise-a"],
                    files={"file": ("sneaky.csv", csv, "text/csv")}, data={"kind": "activity"})
    assert r.status_code == 201
    assert r.json()["rows_ok"] == 0 and r.json()["rows_bad"] == 1
    after = client.get(f"/api/inventory?scope=enterprise:{demo.b}&year={YEAR}", headers=tokens["admin"]).json()
    assert after["energy_tce"] == pytest.approx(before["energy_tce"], rel=0, abs=1e-9)


def test_public_user_sees_only_publications(client: TestClient, tokens, demo) -> None:  # type: ignore[no-untyped-def]
    p = tokens["public"]
    assert client.get("/api/enterprises", headers=p).json()["total"] == 0
    assert client.get(f"/api/enterprises/{demo.a}", headers=p).status_code == 404
    assert client.get("/api/cockpit/summary", headers=p).status_code == 403
    assert client.get("/api/inventory", headers=p).status_code == 403
