"""Audit log (append-only, hash chain), verifier sign-off and year locks, uploads, problem details."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from nengtan.registry import audit
from nengtan.registry.tables.access import AuditEntry
from nengtan.registry.tables.park import Enterprise
from nengtan.registry.tables.verification import YearLock

YEAR = 2025


def test_writes_are_audited_and_chain_intact(client: TestClient, tokens, app) -> None:  # type: ignore[no-untyped-def]
    before = client.get("/api/audit?limit=1", headers=tokens["admin"]).json()["total"]
    r = client.post("/api/publications", headers=tokens["admin"], json={"year": YEAR})
    assert r.status_code == 201
    log = client.get("/api/audit?limit=5", headers=tokens["admin"]).json()
    assert log["total"] == before + 1
    assert log["items"][0]["action"] == "publication.create" and log["items"][0]["actor"] == "admin"
    assert log["chain"]["intact"] is True
    pub = client.get(f"/api/public/publications/{YEAR}").json()
    assert pub["figures"]["co2_t"] == pytest.approx(r.json()["figures"]["co2_t"])


def test_database_refuses_update_and_delete(app) -> None:  # type: ignore[no-untyped-def]
    reg = app.state.services.registry
    for stmt in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"), reg.session() as s:
            s.execute(text(stmt))


def test_tampering_is_detected(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from nengtan.registry.store import Registry
    reg = Registry.open(f"sqlite:///{tmp_path / 'r.sqlite'}")
    with reg.session() as s:
        for i in range(3):
            audit.record(s, "admin", "x.write", f"t{i}", {"i": i})
    with reg.session() as s:
        assert audit.verify(s).intact
        # someone with raw database access drops the trigger and edits history
        s.execute(text("DROP TRIGGER audit_log_no_update"))
        s.execute(text("UPDATE audit_log SET detail = '{\"i\": 99}' WHERE seq = 2"))
    with reg.session() as s:
        status = audit.verify(s)
        assert not status.intact and status.first_bad_seq == 2
    reg.close()


def test_verifier_signoff_locks_year(client: TestClient, tokens, demo, app) -> None:  # type: ignore[no-untyped-def]
    base = f"/api/enterprises/{demo.a}/years/{YEAR}"
    assert client.post(f"{base}/signoff", headers=tokens["enterprise-a"], json={}).status_code == 403
    assert client.post(f"{base}/comments", headers=tokens["enterprise-a"], json={"text": "hi"}).status_code == 403
    r = client.post(f"{base}/comments", headers=tokens["verifier"], json={"text": "电表读数已核对"})
    assert r.status_code == 201 and r.json()["comments"][-1]["text"] == "电表读数已核对"
    r = client.post(f"{base}/signoff", headers=tokens["verifier"], json={"statement": "核查通过"})
    assert r.status_code == 201 and r.json()["locked"] is True and r.json()["locked_by"] == "verifier"
    signed = r.json()["signed"]
    inv = client.get(f"/api/inventory?year={YEAR}&scope=enterprise:{demo.a}", headers=tokens["admin"]).json()
    assert (signed["energy_tce"], signed["co2_t"], signed["data_version"]) == (
        inv["energy_tce"], inv["co2_t"], inv["data_version"]) and signed["statement"] == "核查通过"
    assert r.json()["difference"] == {"energy_tce": 0.0, "co2_t": 0.0} and not r.json()["changed_since_signoff"]
    assert client.post(f"{base}/signoff", headers=tokens["verifier"], json={}).status_code == 409
    with app.state.services.registry.session() as s:
        eid = s.execute(select(Enterprise.id).where(Enterprise.uscc == demo.a)).scalar_one()
        assert s.execute(select(YearLock).where(YearLock.enterprise_id == eid, YearLock.year == YEAR)).scalar()
        actions = s.execute(select(AuditEntry.action).where(AuditEntry.target == f"enterprise:{demo.a}:{YEAR}")
                            ).scalars().all()
    assert "verification.signoff" in actions and "verification.comment" in actions
    # an edit of the locked year is quarantined; with a reason it becomes a new version
    csv = f"uscc,period,carrier,quantity,unit\n{demo.a},{YEAR}-05,coal,3.25,t\n".encode()
    up = f"/api/enterprises/{demo.a}/uploads"
    r = client.post(up, headers=tokens["enterprise-a"], files={"file": ("fix.csv", csv, "text/csv")},
                    data={"kind": "activity"})
    assert r.status_code == 201 and r.json()["rows_ok"] == 0 and r.json()["rows_bad"] == 1
    r = client.post(up, headers=tokens["enterprise-a"], files={"file": ("fix.csv", csv, "text/csv")},
                    data={"kind": "activity", "reason": "发票更正"})
    assert r.status_code == 201 and r.json()["rows_ok"] == 1, r.text
    # the verification view keeps the signed figures beside the corrected ones, with who and why
    v = client.get(f"{base}/verification", headers=tokens["verifier"]).json()
    now = client.get(f"/api/inventory?year={YEAR}&scope=enterprise:{demo.a}", headers=tokens["admin"]).json()
    assert v["locked"] and v["signed"]["co2_t"] == signed["co2_t"] and v["current"]["co2_t"] == now["co2_t"]
    assert now["co2_t"] != signed["co2_t"] and v["changed_since_signoff"]
    assert v["difference"]["co2_t"] == pytest.approx(now["co2_t"] - signed["co2_t"], abs=1e-9)
    assert v["difference"]["energy_tce"] == pytest.approx(now["energy_tce"] - signed["energy_tce"], abs=1e-9)
    (fix,) = v["corrections"]
    assert (fix["kind"], fix["period"], fix["carrier"], fix["quantity"], fix["reason"], fix["version"]) == (
        "activity", f"{YEAR}-05", "coal", 3.25, "发票更正", 1)  # May had no coal: a new row, version 1
    assert fix["by"] == "enterprise-a"
    eco = f"uscc,period,value_added,gross_output\n{demo.a},{YEAR}-05,123.5,456\n".encode()
    r = client.post(up, headers=tokens["enterprise-a"], files={"file": ("va.csv", eco, "text/csv")},
                    data={"kind": "economic", "reason": "统计局修订"})
    assert r.status_code == 201 and r.json()["rows_ok"] == 1, r.text
    kinds = {(c["kind"], c["reason"]) for c in client.get(f"{base}/verification", headers=tokens["verifier"]).json()[
        "corrections"]}
    assert kinds == {("activity", "发票更正"), ("economic", "统计局修订")}
    # readings of the signed-off year are refused on upload too, and the lake did not move
    meters = client.get(f"/api/enterprises/{demo.a}/meters", headers=tokens["enterprise-a"]).json()["items"]
    code = meters[0]["code"]
    rcsv = f"meter_id,ts,value,unit\n{code},{YEAR}-06-01T00:00:00+08:00,1,kWh\n".encode()
    r = client.post(up, headers=tokens["enterprise-a"], files={"file": ("r.csv", rcsv, "text/csv")},
                    data={"kind": "readings"})
    assert r.status_code == 201 and r.json()["rows_ok"] == 0 and r.json()["rows_bad"] == 1
    assert "is signed off by verifier verifier" in r.json()["result"]["issues"][0]["reason"]


def test_upload_reports_bad_rows(client: TestClient, tokens, demo) -> None:  # type: ignore[no-untyped-def]
    csv = (f"uscc,period,carrier,quantity,unit\n{demo.a},2024-01,coal,1.0,t\n{demo.a},2024-13,coal,1.0,t\n"
           f"{demo.a},2024-02,unobtainium,1.0,t\n{demo.a},2024-03,coal,-5,t\n").encode()
    r = client.post(f"/api/enterprises/{demo.a}/uploads", headers=tokens["enterprise-a"],
                    files={"file": ("bad.csv", csv, "text/csv")}, data={"kind": "activity"})
    assert r.status_code == 201
    body = r.json()
    assert body["rows_total"] == 4 and body["rows_ok"] == 1 and body["rows_bad"] == 3
    assert sorted(i["row"] for i in body["result"]["issues"]) == [3, 4, 5]
    detail = client.get(f"/api/enterprises/{demo.a}/uploads/{body['id']}", headers=tokens["enterprise-a"]).json()
    assert detail["rows_bad"] == 3
    q = client.get(f"/api/enterprises/{demo.a}/quality?year=2024", headers=tokens["enterprise-a"]).json()
    assert len([x for x in q["quarantine"] if x["file"] == "bad.csv"]) == 3
    # verifiers never write data
    r = client.post(f"/api/enterprises/{demo.a}/uploads", headers=tokens["verifier"],
                    files={"file": ("bad.csv", csv, "text/csv")}, data={"kind": "activity"})
    assert r.status_code == 403
    r = client.post(f"/api/enterprises/{demo.a}/uploads", headers=tokens["enterprise-a"],
                    files={"file": ("x.pdf", b"%PDF", "application/pdf")}, data={"kind": "activity"})
    assert r.status_code == 422 and r.json()["detail"].endswith("only .csv and .xlsx files are accepted")


def test_problem_details_everywhere(client: TestClient, tokens) -> None:
    h = tokens["admin"]
    for method, url, status in [("GET", "/api/nope", 404), ("GET", "/api/inventory?year=abc", 422),
                                ("DELETE", "/api/health", 405), ("GET", "/api/enterprises/XYZ", 404),
                                ("GET", "/api/cockpit/ranking?by=height", 422)]:
        r = client.request(method, url, headers=h)
        assert r.status_code == status, url
        body = r.json()
        assert r.headers["content-type"].startswith("application/problem+json")
        assert body["status"] == status and body["title"] and body["detail"] and body["type"].startswith("https://")
    r = client.get("/api/inventory?year=abc", headers=h).json()
    assert r["errors"][0]["field"] == "year"
