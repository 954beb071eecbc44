"""Issue 4 through the service: adopted targets in the cockpit, budgets, warnings, scenarios, assessment.

A park of its own (the session's demo park stays without targets for the other tests): targets are
adopted and the budget allocated with issue 4's own functions, then the API must show what the CLI's
functions compute.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from nengtan.api.app import create_app
from nengtan.api.services import VERSION_CHECK_S
from nengtan.api.settings import load_settings
from nengtan.lake import Lake
from nengtan.registry.store import Registry

from .conftest import DemoPark, login, make_demo

YEAR = 2025
EXAMPLE = Path(__file__).resolve().parents[2] / "nengtan" / "targets" / "data" / "example_project.yaml"


@pytest.fixture(scope="module")
def park(tmp_path_factory: pytest.TempPathFactory) -> DemoPark:
    return make_demo(tmp_path_factory.mktemp("targets-park"))


@pytest.fixture(scope="module")
def stores(park: DemoPark):  # type: ignore[no-untyped-def]
    reg = Registry.open(park.url)
    yield reg, Lake(park.home / "lake")
    reg.close()


@pytest.fixture(scope="module")
def tc(park: DemoPark, stores):  # type: ignore[no-untyped-def]
    app = create_app(load_settings(home=str(park.home), database_url=park.url, secret_key="t-" + "y" * 40,
                                   login_max_attempts=1000))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def hdr(tc: TestClient, park: DemoPark) -> dict[str, dict[str, str]]:
    return {n: login(tc, a.username, a.password) for n, a in park.accounts.items()}


def _summary(tc: TestClient, h: dict[str, str]) -> dict[str, dict]:  # type: ignore[type-arg]
    return {i["key"]: i for i in tc.get(f"/api/cockpit/summary?year={YEAR}", headers=h).json()["items"]}


@pytest.fixture(scope="module")
def adopted(tc: TestClient, hdr, stores) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Before: templates. Then adopt a tighter carbon-intensity target and allocate the budget."""
    from nengtan.engine import LocalStores
    from nengtan.engine.targets import allocate_budget
    from nengtan.registry.tables.targets import save_target
    from nengtan.targets.targets import template

    before = _summary(tc, hdr["admin"])
    assert before["carbon_intensity"]["target"] == pytest.approx(0.6)
    assert before["carbon_intensity"]["target_source"].startswith("template:")
    reg, lake = stores
    ci = before["carbon_intensity"]["value"]
    tight = round(ci * 0.9, 6)  # 10 % below the park's actual intensity: the card must turn red
    t = replace(template("jiangsu-zero-carbon-park-carbon-intensity"), value=tight).adopt()
    with reg.session() as s:
        save_target(s, t, "王主任")
    allocate_budget(LocalStores(reg, lake), YEAR, "hybrid", "王主任")
    time.sleep(VERSION_CHECK_S + 0.1)  # the service re-reads the data version at most twice a second
    return {"tight": tight, "ci": ci}


def test_headline_uses_adopted_targets(tc: TestClient, hdr, adopted) -> None:  # type: ignore[no-untyped-def]
    items = _summary(tc, hdr["admin"])
    ci = items["carbon_intensity"]
    assert ci["target"] == pytest.approx(adopted["tight"])
    assert ci["target_source"] == "adopted:park:jiangsu-zero-carbon-park-carbon-intensity"
    assert ci["ratio"] == pytest.approx(adopted["ci"] / adopted["tight"]) and ci["status"] == "red"
    assert ci["warning_status"] in ("red", "yellow", "green") and ci["projection"] > 0
    # the CO2 total's elastic limit follows the adopted intensity; energy still uses the template
    va = tc.get(f"/api/cockpit/summary?year={YEAR}", headers=hdr["admin"]).json()["value_added"]
    assert items["co2_t"]["target"] == pytest.approx(adopted["tight"] * va)
    assert items["energy_intensity"]["target_source"].startswith("template:")


def test_warnings_equal_an_uncached_engine_run(tc: TestClient, hdr, stores, adopted) -> None:  # type: ignore[no-untyped-def]
    from nengtan.engine import LocalStores
    from nengtan.engine.targets import warning_run
    from nengtan.targets.warnings import warnings_list

    reg, lake = stores
    run = warning_run(LocalStores(reg, lake), YEAR)
    frame, month = run["frame"], run["month"]
    cli_counts = {str(k): int(v) for k, v in frame["status"].value_counts().items()}
    w = tc.get(f"/api/warnings?year={YEAR}&limit=1000", headers=hdr["admin"]).json()
    assert w["month"] == month and w["counts"] == cli_counts
    assert cli_counts.get("red", 0) + cli_counts.get("yellow", 0) == w["total"] > 0
    cli_list = warnings_list(frame)
    assert [(r["level"], r["subject"], r["status"]) for r in w["items"]] == \
        list(zip(cli_list["level"], cli_list["subject"], cli_list["status"], strict=True))
    assert [r["ratio"] for r in w["items"]] == pytest.approx(list(cli_list["ratio"]))
    park_rows = tc.get(f"/api/warnings?year={YEAR}&level=park&all=true", headers=hdr["admin"]).json()
    assert {r["indicator"] for r in park_rows["items"]} >= {"carbon_intensity"}
    cockpit = tc.get(f"/api/cockpit/warnings?year={YEAR}&limit=1000", headers=hdr["admin"]).json()
    assert cockpit["total"] == w["total"] and cockpit["counts"] == cli_counts


def test_enterprise_sees_only_its_own_warnings(tc: TestClient, hdr, park, adopted) -> None:  # type: ignore[no-untyped-def]
    a = hdr["enterprise-a"]
    mine = tc.get(f"/api/enterprises/{park.a}/warnings?year={YEAR}&all=true", headers=a).json()
    assert mine["items"] and {r["subject"] for r in mine["items"]} == {park.a}
    assert {r["level"] for r in mine["items"]} == {"enterprise"}
    assert tc.get(f"/api/enterprises/{park.b}/warnings?year={YEAR}", headers=a).status_code == 404
    assert tc.get(f"/api/warnings?year={YEAR}", headers=a).status_code == 403


def test_budget_allocation(tc: TestClient, hdr, park, stores, adopted) -> None:  # type: ignore[no-untyped-def]
    from nengtan.registry.tables.targets import load_allocation

    reg, _ = stores
    with reg.session() as s:
        al = load_allocation(s, YEAR)
    assert al is not None
    b = tc.get(f"/api/budgets/{YEAR}", headers=hdr["admin"]).json()
    assert b["budget_t"] == pytest.approx(al.budget_t, rel=1e-12) and b["version"] == al.version
    assert b["approved_by"] == "王主任" and b["method"] == "hybrid"
    assert sum(e["allocated_t"] for e in b["enterprises"]) + b["reserve_t"] == pytest.approx(b["budget_t"], abs=1e-6)
    assert sum(x["allocated_t"] for x in b["sectors"]) == pytest.approx(b["budget_t"] - b["reserve_t"], abs=1e-6)
    mine = tc.get(f"/api/enterprises/{park.a}/budget?year={YEAR}", headers=hdr["enterprise-a"]).json()
    line = al.table[al.table["uscc"] == park.a].iloc[0]
    assert mine["uscc"] == park.a and mine["allocated_t"] == pytest.approx(float(line["allocated_t"]))
    assert tc.get(f"/api/enterprises/{park.b}/budget?year={YEAR}", headers=hdr["enterprise-a"]).status_code == 404
    assert tc.get(f"/api/budgets/{YEAR - 3}", headers=hdr["admin"]).status_code == 404


def test_targets_progress(tc: TestClient, hdr, adopted) -> None:  # type: ignore[no-untyped-def]
    t = tc.get(f"/api/targets?year={YEAR}", headers=hdr["admin"]).json()
    (ci,) = [x for x in t["items"] if x["indicator"] == "carbon_intensity"]
    assert ci["limit"] == pytest.approx(adopted["tight"]) and ci["progress"]["status"] in ("red", "yellow")
    assert ci["progress"]["low"] <= ci["progress"]["projection"] <= ci["progress"]["high"]
    templates = tc.get("/api/targets/templates", headers=hdr["admin"]).json()
    assert "jiangsu-2025-energy-intensity" in {x["id"] for x in templates["items"]}


def test_scenarios_equal_an_uncached_engine_run(tc: TestClient, hdr, stores) -> None:  # type: ignore[no-untyped-def]
    from nengtan.engine import LocalStores
    from nengtan.engine.targets import scenarios

    reg, lake = stores
    _, summary, paths, _ = scenarios(LocalStores(reg, lake), YEAR, 2035, 500, 7)
    r = tc.get(f"/api/scenarios?base_year={YEAR}&to=2035&draws=500&seed=7", headers=hdr["admin"]).json()
    assert [s["scenario"] for s in r["summary"]] == list(summary["scenario"])
    assert [s["p_peak_by_2030"] for s in r["summary"]] == pytest.approx(list(summary["p_peak_by_2030"]))
    assert all(0.0 <= s["p_peak_by_2030"] <= 1.0 for s in r["summary"])
    assert r["years"][0] == YEAR and r["years"][-1] == 2035
    first = str(paths.columns[0])
    assert r["paths"][first] == pytest.approx(list(paths[first]))
    assert tc.get("/api/scenarios?to=2000", headers=hdr["admin"]).status_code == 400


def test_project_assessment(tc: TestClient, hdr, park, stores, adopted) -> None:  # type: ignore[no-untyped-def]
    from nengtan.cli.targets import _read_project
    from nengtan.engine import LocalStores
    from nengtan.engine.targets import assess_project

    reg, lake = stores
    cli = assess_project(LocalStores(reg, lake), _read_project(EXAMPLE), YEAR)
    body = {**yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), "year": YEAR}
    assert tc.post("/api/assessments", json=body, headers=hdr["enterprise-a"]).status_code == 403
    r = tc.post("/api/assessments", json=body, headers=hdr["admin"])
    assert r.status_code == 201, r.text
    a = r.json()
    assert a["verdict"] == cli.verdict and a["co2_t"] == pytest.approx(cli.co2_t, rel=1e-12)
    assert a["co2_per_value_added"] == pytest.approx(cli.co2_per_value_added, rel=1e-12)
    assert a["park_intensity_after"] == pytest.approx(cli.park_intensity_after, rel=1e-12)
    listed = tc.get("/api/assessments", headers=hdr["admin"]).json()
    assert listed["items"][0]["id"] == a["id"] and listed["items"][0]["outcome"] == cli.verdict
    log = tc.get("/api/audit?action=assessment.pre", headers=hdr["admin"]).json()
    assert log["total"] == 1 and log["items"][0]["detail"]["verdict"] == cli.verdict
    bad = tc.post("/api/assessments", json={**body, "expected_value_added": -1}, headers=hdr["admin"])
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
