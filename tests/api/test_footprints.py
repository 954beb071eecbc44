"""The demo's PV chain through the service: footprints from metered data worked by hand, the certification
workflow with its roles, the label's QR code, the public check, PACT over REST, and who sees what."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from nengtan.demo_chain import BODY, ChainResult, run
from nengtan.engine.certification import Actor, answer_request, request_footprint
from nengtan.registry.tables.footprints import Certificate

YEAR = 2025
GRID = 0.6205  # kg CO2e/kWh: 2023 national life-cycle electricity factor (MEE/NBS/NEA 2025 notice), background.csv
PV = 0.0545  # kg CO2e/kWh: 2023 PV electricity life-cycle factor, same notice


@pytest.fixture(scope="module")
def chain(app: Any, demo: Any) -> ChainResult:
    r = run(Path(demo.home), app.state.services, YEAR)
    assert r is not None, "the small demo park has a PV chain"
    app.state.services.invalidate()
    return r


def _carriers(client: TestClient, admin: dict[str, str], uscc: str) -> dict[str, tuple[float, float]]:
    """Each carrier's quantity and direct CO2 [t] in the year, from the enterprise's monthly accounts."""
    rows = client.get(f"/api/enterprises/{uscc}/accounts?year={YEAR}&limit=1000", headers=admin).json()["items"]
    out: dict[str, tuple[float, float]] = {}
    for r in rows:
        q, co2 = out.get(r["carrier"], (0.0, 0.0))
        out[r["carrier"]] = (q + r["quantity"], co2 + r["scope1_t"])
    return out


def _outputs(model: Path) -> dict[str, float]:
    rows = csv.DictReader(io.StringIO((model / "activities.csv").read_text("utf-8")))
    return {r["activity"]: float(r["output"]) for r in rows if r["output"]}


def test_the_module_footprint_worked_by_hand_from_the_metered_data(chain: ChainResult, client: TestClient,
                                                                  tokens: dict[str, dict[str, str]], demo: Any) -> None:
    """Each stage per unit = what it takes from its supplier × the supplier's footprint + its own metered
    electricity × 0.6205 (+ own PV × 0.0545) + its gas's direct CO2 (the inventory's), over its output."""
    admin = tokens["admin"]
    models = Path(demo.home) / "footprints" / str(YEAR)

    def own(uscc: str, share: float, output: float) -> float:
        c = _carriers(client, admin, uscc)
        kg = c["electricity"][0] * share * GRID + c.get("pv", (0.0, 0.0))[0] * share * PV
        kg += c.get("natural_gas", (0.0, 0.0))[1] * 1000 * share
        return kg / output

    ch = chain.chain
    out = _outputs(models / "ingot")
    poly = own(ch.ingot, 0.6, out["polysilicon plant"])
    ingot = 1.05 * poly + own(ch.ingot, 0.4, out["ingot puller"])
    wafer = (150e-6 * 2329 / 0.6) * ingot + own(ch.wafer, 1.0, _outputs(models / "wafer")["wafer line"])
    cell = 1.02 * wafer + own(ch.cell, 1.0, _outputs(models / "cell")["cell line"])
    module_m2 = 0.92 * cell + own(ch.leader, 1.0, _outputs(models / "module")["module line"])
    per_kwp = module_m2 * 1000 / (0.22 * 1000)  # 1 kWp = 1 000 W, 1 W = 1 / (0.22 × 1 000 W/m²) m²
    got = {k: v["total_kgco2e"] for k, v in chain.records.items()}
    assert got["ingot"] == pytest.approx(ingot, rel=1e-9)
    assert got["wafer"] == pytest.approx(wafer, rel=1e-9)
    assert got["cell"] == pytest.approx(cell, rel=1e-9)
    assert got["module"] == pytest.approx(per_kwp, rel=1e-9)
    # the certificate, the public check and the PACT file state that same figure
    assert chain.certificate["value_kgco2e"] == got["module"]
    pact = json.loads(chain.pact.read_text("utf-8"))
    assert float(pact["pcf"]["pcfIncludingBiogenicUptake"]) == pytest.approx(got["module"], abs=1e-6)
    assert pact["pcf"]["declaredUnitOfMeasurement"] == "piece" and "kWp" in pact["productDescription"]
    r = client.get(f"/api/footprints/{chain.records['module']['id']}", headers=tokens["pv-leader"]).json()
    assert r["total_kgco2e"] == got["module"] and r["data_version"] and r["factor_set"]
    assert r["result"]["primary_data"]["year"] == YEAR
    assert r["result"]["data_quality"]["primary_data_share"] == pytest.approx(1.0)  # all metered, suppliers too


def test_the_label_qr_opens_the_public_check(chain: ChainResult, client: TestClient) -> None:
    import zxingcpp
    from PIL import Image

    number = chain.certificate["number"]
    codes = zxingcpp.read_barcodes(Image.open(chain.label_png))
    assert [c.text for c in codes] == [f"http://127.0.0.1:8000/verify/{number}"]
    r = client.get(f"/api/public/certificates/{number}/label.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    assert [c.text for c in zxingcpp.read_barcodes(Image.open(io.BytesIO(r.content)))] == \
        [f"http://127.0.0.1:8000/verify/{number}"]
    svg = client.get(f"/api/public/certificates/{number}/label.svg").text
    assert svg.startswith("<svg") and number in svg and "kWp" in svg
    page = client.get(f"/verify/{number}")
    assert page.status_code == 200 and "有效 valid" in page.text and number in page.text
    assert client.get("/verify/CFP-NONE-2026-00001").status_code == 404


def _step(client: TestClient, token: dict[str, str], number: str, step: str, passed: bool = True,
          **kw: Any) -> Any:
    return client.post(f"/api/certification/applications/{number}/steps", headers=token,
                       json={"step": step, "passed": passed, "note": f"{step} note", **kw})


def test_the_workflow_roles_order_and_certificate_life(chain: ChainResult, client: TestClient, app: Any,
                                                       tokens: dict[str, dict[str, str]]) -> None:
    ingot = chain.records["ingot"]["id"]
    supplier, auditor, decider = tokens["pv-ingot"], tokens["cert-auditor"], tokens["cert-decider"]
    r = client.post("/api/certification/applications", headers=supplier, json={"footprint": ingot, "body": BODY})
    assert r.status_code == 201, r.text
    number = r.json()["number"]
    assert r.json()["state"] == "applied"
    assert _step(client, supplier, number, "accept").status_code == 403  # the applicant does not accept itself
    assert _step(client, auditor, number, "decision").status_code == 403  # the auditor does not decide
    assert _step(client, auditor, number, "site_inspection").status_code == 409  # not before document review
    assert _step(client, auditor, number, "accept").json()["state"] == "accepted"
    assert _step(client, auditor, number, "document_review", False).json()["state"] == "corrections"
    assert _step(client, supplier, number, "resubmit").json()["state"] == "accepted"
    for step in ("document_review", "site_inspection"):
        assert _step(client, auditor, number, step).status_code == 200
    assert _step(client, decider, number, "decision").status_code == 409  # no certificate before verification
    assert _step(client, auditor, number, "verification").json()["state"] == "verified"
    done = _step(client, decider, number, "decision").json()
    assert done["state"] == "certified" and done["certificate"]
    cert = done["certificate"]
    steps = [(s["step"], s["actor"], s["passed"]) for s in done["steps"]]
    assert steps[0] == ("apply", "pv-ingot", True) and steps[-1] == ("decision", "cert-decider", True)
    audit = client.get("/api/audit?limit=1000", headers=tokens["admin"]).json()["items"]
    assert any(a["action"] == "certification.decision" and a["actor"] == "cert-decider" and number in a["target"]
               for a in audit)

    def act(token: dict[str, str], action: str, note: str = "", passed: bool = True) -> Any:
        return client.post(f"/api/certificates/{cert}/actions", headers=token,
                           json={"action": action, "passed": passed, "note": note})

    def verdict() -> str:
        return str(client.get(f"/api/public/certificates/{cert}").json()["status"])

    assert verdict() == "valid"
    assert act(decider, "suspend").status_code == 422  # a reason is required
    assert act(auditor, "suspend", "x").status_code == 403
    assert act(auditor, "surveillance", "annual surveillance: metering changed, PCF not updated",
               passed=False).json()["status"] == "suspended"
    assert verdict() == "suspended" and "暂停 suspended" in client.get(f"/verify/{cert}").text
    assert act(decider, "reinstate", "corrected").json()["status"] == "valid"
    assert act(decider, "withdraw", "product discontinued").json()["status"] == "withdrawn"
    assert act(decider, "reinstate", "again").status_code == 409
    page = client.get(f"/verify/{cert}").text
    assert "撤销 withdrawn" in page and "product discontinued" in page
    # expiry: a certificate past its last valid day says so (its date set back in the registry, then restored)
    module_cert = chain.certificate["number"]
    with app.state.services.registry.session() as s:
        s.execute(update(Certificate).where(Certificate.number == module_cert).values(valid_to=dt.date(2020, 1, 1)))
    assert client.get(f"/api/public/certificates/{module_cert}").json()["status"] == "expired"
    assert "过期 expired" in client.get(f"/verify/{module_cert}").text
    with app.state.services.registry.session() as s:
        s.execute(update(Certificate).where(Certificate.number == module_cert)
                  .values(valid_to=dt.date.fromisoformat(chain.certificate["valid_to"])))
    assert client.get(f"/api/public/certificates/{module_cert}").json()["status"] == "valid"


def test_a_supplier_never_sees_another_suppliers_inventory(chain: ChainResult, client: TestClient,
                                                            tokens: dict[str, dict[str, str]]) -> None:
    rec = {k: v["id"] for k, v in chain.records.items()}
    # the customer a record was shared with sees it as PACT states it: no inventory, no model
    shared = client.get(f"/api/footprints/{rec['cell']}", headers=tokens["pv-leader"]).json()
    assert shared["shared"] is True and "result" not in shared and "inventory" not in json.dumps(shared)
    assert shared["pact"]["pcf"]["pcfIncludingBiogenicUptake"]
    # nobody else: a supplier two steps up, another supplier, another enterprise
    for who, record in (("pv-leader", "ingot"), ("pv-leader", "wafer"), ("pv-cell", "ingot"), ("pv-ingot", "wafer"),
                        ("enterprise-b", "cell"), ("verifier", "module")):
        for path in (f"/api/footprints/{rec[record]}", f"/api/footprints/{rec[record]}/pact"):
            r = client.get(path, headers=tokens[who])
            assert r.status_code == 404, f"{who} read {record} through {path}: {r.status_code}"
    assert client.get(f"/api/footprints/{rec['cell']}/pact", headers=tokens["pv-leader"]).status_code == 200
    # the owner and the administrator see the whole record
    for who in ("pv-cell", "admin"):
        assert "inventory" in client.get(f"/api/footprints/{rec['cell']}", headers=tokens[who]).json()["result"]


def test_pact_rest_api(chain: ChainResult, client: TestClient) -> None:
    rec = {k: v["id"] for k, v in chain.records.items()}
    assert client.post("/pact/auth/token", data={"grant_type": "client_credentials"},
                       auth=("pv-leader", "wrong-password")).status_code == 401
    r = client.post("/pact/auth/token", data={"grant_type": "client_credentials"},
                    auth=("pv-leader", "demo-pv-leader"))
    assert r.status_code == 200, r.text
    bearer = {"Authorization": f"Bearer {r.json()['access_token']}"}
    client.cookies.clear()
    listing = client.get("/pact/3/footprints", headers=bearer).json()["data"]
    assert [d["id"] for d in listing] == [rec["cell"]]
    got = client.get(f"/pact/3/footprints/{rec['cell']}", headers=bearer)
    assert got.status_code == 200 and got.json()["data"]["productNameCompany"] == "电池片 PV cell"
    nf = client.get(f"/pact/3/footprints/{rec['ingot']}", headers=bearer)
    assert nf.status_code == 404 and nf.json() == {"code": "NotFound",
                                                   "message": "The requested footprint could not be found."}
    assert client.get("/pact/3/footprints").json()["code"] == "AccessDenied"
    assert client.post("/pact/3/events", headers=bearer, json={}).json()["code"] == "NotImplemented"


def test_pagination_link(chain: ChainResult, client: TestClient, app: Any, tokens: dict[str, dict[str, str]]) -> None:
    """Two footprints shared with the leader: limit=1 gives one and a Link to the next."""
    reg = app.state.services.registry
    leader = client.get("/api/auth/me", headers=tokens["pv-leader"]).json()["enterprises"][0]
    ids = {e["uscc"]: e for e in client.get("/api/enterprises?limit=1000", headers=tokens["admin"]).json()["items"]}
    from sqlalchemy import select as sel

    from nengtan.registry.tables.park import Enterprise
    with reg.session() as s:
        lid = s.execute(sel(Enterprise.id).where(Enterprise.uscc == leader)).scalar_one()
        wid = s.execute(sel(Enterprise.id).where(Enterprise.uscc == chain.chain.wafer)).scalar_one()
    assert leader in ids
    q = request_footprint(reg, Actor("pv-leader", "enterprise", frozenset({lid})), leader, chain.chain.wafer, "wafer")
    answer_request(reg, Actor("pv-wafer", "enterprise", frozenset({wid})), q["id"], chain.records["wafer"]["id"])
    tok = client.post("/pact/auth/token", data={"grant_type": "client_credentials"},
                      auth=("pv-leader", "demo-pv-leader")).json()["access_token"]
    client.cookies.clear()
    r = client.get("/pact/3/footprints?limit=1", headers={"Authorization": f"Bearer {tok}"})
    assert len(r.json()["data"]) == 1 and 'rel="next"' in r.headers["link"]
    nxt = r.headers["link"].split(">")[0].lstrip("<")
    r2 = client.get(nxt, headers={"Authorization": f"Bearer {tok}"})
    assert len(r2.json()["data"]) == 1 and "link" not in r2.headers
    assert {r.json()["data"][0]["id"], r2.json()["data"][0]["id"]} == {chain.records["cell"]["id"],
                                                                        chain.records["wafer"]["id"]}


def test_another_certification_body_sees_nothing(chain: ChainResult, client: TestClient, app: Any) -> None:
    from nengtan.api.users import add_user
    from tests.api.conftest import login

    with app.state.services.registry.session() as s:
        add_user(s, "test", "other-auditor", "other-auditor-pw", "cert_auditor", org="OTHER-CB")
    other = login(client, "other-auditor", "other-auditor-pw")
    assert client.get("/api/certification/applications", headers=other).json()["items"] == []
    number = chain.application["number"]
    assert client.get(f"/api/certification/applications/{number}", headers=other).status_code == 404
    assert _step(client, other, number, "accept").status_code == 404
    assert client.get(f"/api/footprints/{chain.records['module']['id']}", headers=other).status_code == 404
    assert client.post(f"/api/certificates/{chain.certificate['number']}/actions", headers=other,
                       json={"action": "suspend", "note": "x"}).status_code == 404


def test_requests_need_the_suppliers_consent(chain: ChainResult, client: TestClient,
                                             tokens: dict[str, dict[str, str]]) -> None:
    leader = client.get("/api/auth/me", headers=tokens["pv-leader"]).json()["enterprises"][0]
    r = client.post(f"/api/enterprises/{leader}/footprint-requests", headers=tokens["pv-leader"],
                    json={"supplier": chain.chain.ingot, "product": "ingot"})
    assert r.status_code == 201 and r.json()["status"] == "requested"
    rid = r.json()["id"]
    # the customer cannot answer for the supplier, nor share someone else's record
    assert client.post(f"/api/footprint-requests/{rid}/answer", headers=tokens["pv-leader"],
                       json={"share": chain.records["module"]["id"]}).status_code == 404
    assert client.post(f"/api/footprint-requests/{rid}/answer", headers=tokens["pv-ingot"],
                       json={"share": chain.records["cell"]["id"]}).status_code == 404
    assert client.post(f"/api/footprint-requests/{rid}/answer", headers=tokens["pv-ingot"],
                       json={"share": None}).json()["status"] == "declined"
    assert client.post(f"/api/footprint-requests/{rid}/answer", headers=tokens["pv-ingot"],
                       json={"share": None}).status_code == 409
    assert client.get(f"/api/footprints/{chain.records['ingot']['id']}", headers=tokens["pv-leader"]).status_code == 404
    listed = client.get(f"/api/enterprises/{chain.chain.ingot}/footprint-requests", headers=tokens["pv-ingot"]).json()
    assert any(q["id"] == rid and q["status"] == "declined" for q in listed["incoming"])


def test_pact_import_feeds_a_model(chain: ChainResult, client: TestClient, tokens: dict[str, dict[str, str]],
                                   tmp_path: Path) -> None:
    """A footprint received as a PACT file becomes the dataset pcf:<id> of the receiving enterprise's models."""
    import openpyxl

    leader = client.get("/api/auth/me", headers=tokens["pv-leader"]).json()["enterprises"][0]
    doc = json.loads(chain.pact.read_text("utf-8"))
    doc["id"] = "0b5f1c2e-3d4a-4b6c-8d9e-0f1a2b3c4d5e"
    doc["companyName"] = "外部供应商 External Supplier"
    bad = dict(doc, pcf={k: v for k, v in doc["pcf"].items() if k != "fossilGhgEmissions"})
    r = client.post(f"/api/enterprises/{leader}/footprints/pact", headers=tokens["pv-leader"], json=bad)
    assert r.status_code == 422 and "fossilGhgEmissions" in r.json()["detail"]
    r = client.post(f"/api/enterprises/{leader}/footprints/pact", headers=tokens["pv-leader"], json=doc)
    assert r.status_code == 201, r.text
    assert r.json()["declared_unit"] == "kWp" and r.json()["origin"] == "pact-import"
    # a model taking 2 kWp of that module: 2 × its footprint
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "activities"
    ws.append(["activity", "product", "amount", "unit", "location"])
    ws.append(["array", "array", 1, "kWp", "CN"])
    ws2 = wb.create_sheet("exchanges")
    ws2.append(["activity", "type", "flow", "amount", "unit", "provider"])
    ws2.append(["array", "technosphere", "", 2, "kWp", f"pcf:{doc['id']}"])
    path = tmp_path / "array.xlsx"
    wb.save(path)
    r = client.post(f"/api/enterprises/{leader}/footprints", headers=tokens["pv-leader"],
                    files={"model": ("array.xlsx", path.read_bytes())}, data={"product": "array", "name": "阵列"})
    assert r.status_code == 201, r.text
    assert r.json()["total_kgco2e"] == pytest.approx(2 * chain.records["module"]["total_kgco2e"], rel=1e-9)
