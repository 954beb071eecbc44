"""Data entry in the portal (issue 15 item 4): rows typed into the form go through the importer of their kind, so
they are checked, stored and quarantined exactly as an uploaded file's; a quarantined row is corrected in place and
then resolved; one enterprise cannot enter or correct another's data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from .conftest import DemoPark, own_park
from .conftest import auth as _auth

YEAR = 2024  # a year of statements only in the small demo, not signed off


@pytest.fixture(scope="module")
def park(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, DemoPark]]:
    yield from own_park(tmp_path_factory, "entry-park")


def _kerosene(c: TestClient, demo: DemoPark, headers: dict[str, str]) -> list[dict]:  # type: ignore[type-arg]
    acc = c.get(f"/api/enterprises/{demo.a}/accounts", params={"year": YEAR, "limit": 1000}, headers=headers).json()
    return [r for r in acc["items"] if r["carrier"] == "kerosene"]


def test_a_form_row_is_checked_and_stored_as_a_file_row(park: tuple[TestClient, DemoPark]) -> None:
    c, demo = park
    a = _auth(c, demo, "enterprise-a")
    assert _kerosene(c, demo, a) == []
    r = c.post(f"/api/enterprises/{demo.a}/entries", headers=a, json={"kind": "activity", "rows": [
        {"period": f"{YEAR}-07", "carrier": "kerosene", "quantity": 2.0, "unit": "t"},
        {"统计期": f"{YEAR}-08", "能源品种": "煤油", "数量": "两吨", "单位": "t"},  # Chinese headers, a bad number
    ]})
    assert r.status_code == 201, r.text
    out = r.json()
    assert (out["rows_total"], out["rows_ok"], out["rows_bad"]) == (2, 1, 1)
    assert out["filename"].startswith("表单填报-月度能源消费-")
    [issue] = out["result"]["issues"]
    assert issue["column"] == "quantity" and "两吨" in issue["reason"] and "not a number" in issue["reason"]
    # the same bad row in an uploaded file is refused with the same reason (one importer)
    csv = f"uscc,period,carrier,quantity,unit\n{demo.a},{YEAR}-09,kerosene,两吨,t\n".encode()
    up = c.post(f"/api/enterprises/{demo.a}/uploads", headers=a, data={"kind": "activity"},
                files={"file": ("k.csv", csv, "text/csv")}).json()
    assert up["result"]["issues"][0]["reason"] == issue["reason"]
    [row] = _kerosene(c, demo, a)
    # GB/T 2589-2020 附录A 表A.1: kerosene 1.4714 kgce/kg → 2.0 t × 1.4714 = 2.9428 tce
    assert row["period"] == f"{YEAR}-07" and row["quantity"] == pytest.approx(2.0)
    assert row["energy_tce"] == pytest.approx(2.0 * 1.4714)
    # GB/T 32150-2015 附录B 表B.1: NCV 43.070 GJ/t × CC 0.0196 tC/GJ × OF 0.98 × 44/12
    assert row["scope1_t"] == pytest.approx(2.0 * 43.070 * 0.0196 * 0.98 * 44 / 12)
    audit = c.get("/api/audit", params={"action": "upload.import"}, headers=_auth(c, demo, "admin")).json()
    entry = next(e for e in audit["items"] if e["detail"]["upload"] == out["id"])
    assert entry["detail"]["form"] is True and entry["actor"] == "enterprise-a" and audit["chain"]["intact"]


def test_a_quarantined_row_is_corrected_in_place(park: tuple[TestClient, DemoPark]) -> None:
    c, demo = park
    a = _auth(c, demo, "enterprise-a")
    c.post(f"/api/enterprises/{demo.a}/entries", headers=a, json={"kind": "activity", "rows": [
        {"period": f"{YEAR}-10", "carrier": "kerosene", "quantity": "-3", "unit": "t"}]})
    open_rows = c.get(f"/api/enterprises/{demo.a}/quarantine", headers=a).json()["items"]
    bad = next(x for x in open_rows if x["fields"].get("period") == f"{YEAR}-10")
    assert bad["fixable"] and bad["fields"]["quantity"] == "-3" and bad["fields"]["uscc"] == demo.a
    still = c.post(f"/api/enterprises/{demo.a}/quarantine/{bad['id']}/fix", headers=a,
                   json={"row": {**bad["fields"], "quantity": "-4"}})
    assert still.status_code == 201 and still.json()["resolved"] is False
    assert any(x["id"] == bad["id"] for x in c.get(f"/api/enterprises/{demo.a}/quarantine", headers=a).json()["items"])
    fixed = c.post(f"/api/enterprises/{demo.a}/quarantine/{bad['id']}/fix", headers=a,
                   json={"row": {**bad["fields"], "quantity": "3"}})
    assert fixed.status_code == 201 and fixed.json()["resolved"] is True, fixed.text
    assert not any(x["id"] == bad["id"] for x in c.get(f"/api/enterprises/{demo.a}/quarantine",
                                                       headers=a).json()["items"])
    assert [r["quantity"] for r in _kerosene(c, demo, a) if r["period"] == f"{YEAR}-10"] == [pytest.approx(3.0)]
    # a row already resolved is not found again
    assert c.post(f"/api/enterprises/{demo.a}/quarantine/{bad['id']}/fix", headers=a,
                  json={"row": bad["fields"]}).status_code == 404


def test_one_enterprise_cannot_enter_or_correct_anothers_data(park: tuple[TestClient, DemoPark]) -> None:
    c, demo = park
    a, b = _auth(c, demo, "enterprise-a"), _auth(c, demo, "enterprise-b")
    row = {"period": f"{YEAR}-11", "carrier": "kerosene", "quantity": "1", "unit": "t"}
    assert c.post(f"/api/enterprises/{demo.a}/entries", headers=b,
                  json={"kind": "activity", "rows": [row]}).status_code == 404
    named = c.post(f"/api/enterprises/{demo.a}/entries", headers=a,
                   json={"kind": "activity", "rows": [{**row, "uscc": demo.b}]}).json()
    assert (named["rows_ok"], named["rows_bad"]) == (0, 1)  # a row naming B in A's form is quarantined
    c.post(f"/api/enterprises/{demo.b}/entries", headers=b,
           json={"kind": "activity", "rows": [{**row, "quantity": "x"}]})
    b_row = c.get(f"/api/enterprises/{demo.b}/quarantine", headers=b).json()["items"][0]
    assert all(x["id"] != b_row["id"] for x in c.get(f"/api/enterprises/{demo.a}/quarantine",
                                                     headers=a).json()["items"])
    assert c.post(f"/api/enterprises/{demo.a}/quarantine/{b_row['id']}/fix", headers=a,
                  json={"row": {**b_row["fields"], "quantity": "1"}}).status_code == 404
    verifier = _auth(c, demo, "verifier")
    assert c.post(f"/api/enterprises/{demo.a}/entries", headers=verifier,
                  json={"kind": "activity", "rows": [row]}).status_code in (403, 404)
    assert c.post(f"/api/enterprises/{demo.a}/entries", headers=a,
                  json={"kind": "meters", "rows": [row]}).status_code == 422


def test_the_form_columns_are_the_templates(park: tuple[TestClient, DemoPark]) -> None:
    c, demo = park
    a = _auth(c, demo, "enterprise-a")
    spec = c.get("/api/templates/activity/columns", headers=a).json()
    assert [col["name"] for col in spec["columns"]][:5] == ["uscc", "period", "carrier", "quantity", "unit"]
    assert [col["label"] for col in spec["columns"]][:5] == ["统一社会信用代码", "统计期", "能源品种", "数量", "单位"]
    carrier = next(col for col in spec["columns"] if col["name"] == "carrier")
    assert {"value": "natural_gas", "label_zh": "天然气", "label_en": "Natural gas", "unit": "m3"} in carrier["choices"]
    assert c.get("/api/templates/nothing/columns", headers=a).status_code == 404
