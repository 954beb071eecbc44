"""Administration that used to need the CLI (issue 15 item 5), through the API the admin page calls: adopting an
edited target and allocating the carbon budget, each recorded in the audit log; nobody but the installation's
administrators may do either."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from nengtan.engine.targets import allocation

from .conftest import DemoPark, auth, own_park

YEAR = 2025


@pytest.fixture(scope="module")
def park(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, DemoPark]]:
    yield from own_park(tmp_path_factory, "admin-park")


def test_an_edited_target_is_adopted_and_its_limit_is_the_edited_value(park: tuple[TestClient, DemoPark]) -> None:
    c, demo = park
    admin = auth(c, demo, "admin")
    tid = "jiangsu-zero-carbon-park-carbon-intensity"  # max_level 0.6 tCO2/万元 in the template
    r = c.post("/api/targets", headers=admin, json={"template_id": tid, "value": 0.55})
    assert r.status_code == 201, r.text
    assert (r.json()["value"], r.json()["status"], r.json()["subject"]) == (0.55, "park-edited", "park")
    adopted_id = r.json()["id"]
    assert adopted_id == f"park:{tid}"
    listed = c.get("/api/targets", params={"year": YEAR}, headers=admin).json()
    assert [x["target_id"] for x in listed["items"]] == [adopted_id], listed
    [t] = listed["items"]
    assert t["value"] == 0.55 and t["limit"] == pytest.approx(0.55)  # a max_level target's limit is its level
    assert t["progress"]["status"] in ("red", "yellow", "green")
    again = c.post("/api/targets", headers=admin, json={"template_id": tid}).json()  # re-adopted as published
    assert again["value"] == 0.6
    items = c.get("/api/targets", params={"year": YEAR}, headers=admin).json()["items"]
    assert [x["value"] for x in items if x["target_id"] == adopted_id] == [0.6]  # the earlier version is inactive
    log = c.get("/api/audit", params={"action": "targets.adopt"}, headers=admin).json()
    assert [e["detail"]["value"] for e in log["items"]] == [0.6, 0.55] and log["chain"]["intact"]
    assert c.post("/api/targets", headers=admin, json={"template_id": "no-such"}).status_code == 404
    assert c.post("/api/targets", headers=auth(c, demo, "enterprise-a"),
                  json={"template_id": tid}).status_code == 403


def test_the_budget_is_allocated_as_a_new_version(park: tuple[TestClient, DemoPark]) -> None:
    c, demo = park
    admin = auth(c, demo, "admin")
    r = c.post(f"/api/budgets/{YEAR}", headers=admin, json={"method": "hybrid"})
    assert r.status_code == 201, r.text
    first = r.json()
    assert first["approved_by"] == "admin" and first["method"] == "hybrid"
    # the lines and the entrants' reserve make up the budget; the reserve is 5 % of it (the default)
    assert sum(e["allocated_t"] for e in first["enterprises"]) + first["reserve_t"] == pytest.approx(first["budget_t"])
    assert first["reserve_t"] == pytest.approx(0.05 * first["budget_t"])
    assert c.get(f"/api/budgets/{YEAR}", headers=admin).json() == first
    stores = c.app.state.services  # type: ignore[attr-defined]
    assert allocation(stores, YEAR).budget_t == first["budget_t"]
    second = c.post(f"/api/budgets/{YEAR}", headers=admin,
                    json={"method": "grandfather", "budget": 50_000, "reserve": 0.1}).json()
    assert (second["version"], second["budget_t"], second["reserve_t"]) == (first["version"] + 1, 50_000, 5_000)
    assert sum(e["allocated_t"] for e in second["enterprises"]) == pytest.approx(45_000)
    log = c.get("/api/audit", params={"action": "budget.allocate"}, headers=admin).json()
    assert [e["detail"]["version"] for e in log["items"]] == [second["version"], first["version"]]
    assert c.post(f"/api/budgets/{YEAR}", headers=admin, json={"method": "lottery"}).status_code == 422
    assert c.post(f"/api/budgets/{YEAR}", headers=auth(c, demo, "enterprise-a"),
                  json={"method": "hybrid"}).status_code == 403


def test_the_admin_page_is_for_the_installations_administrators(park: tuple[TestClient, DemoPark]) -> None:
    c, demo = park
    c.cookies.clear()
    page = c.get("/admin", headers=auth(c, demo, "admin"))
    assert page.status_code == 200 and "系统管理" in page.text
    assert c.get("/admin", headers=auth(c, demo, "enterprise-a")).status_code == 403
    c.cookies.clear()
    assert c.get("/admin", follow_redirects=False).status_code == 303
