"""The park evaluations over HTTP are the engine's, for the park's staff only."""

from __future__ import annotations

from fastapi.testclient import TestClient

from nengtan.engine.evaluation import ghg_inventory, hj274_evaluation


def test_evaluations_over_http_are_the_engines(client: TestClient, tokens, app) -> None:  # type: ignore[no-untyped-def]
    svc = app.state.services
    admin = tokens["admin"]
    hj = client.get("/api/evaluation/hj274?year=2025&base_year=2024", headers=admin).json()
    engine = hj274_evaluation(svc, 2025, 2024)
    assert [(i["no"], i["value"], i["passed"]) for i in hj["indicators"]] == \
        [(i["no"], i["value"], i["passed"]) for i in engine["indicators"]]
    assert len(hj["indicators"]) == 32 and sum(i["mandatory"] for i in hj["indicators"]) == 17
    g = client.get("/api/evaluation/ghg?year=2025&gwp=SAR", headers=admin).json()
    assert g["total_t_co2e"] == ghg_inventory(svc, 2025, "SAR")["total_t_co2e"] and g["gwp"] == "SAR"
    t = client.get("/api/evaluation/hj274/trend?years=2024,2025&base_year=2024", headers=admin).json()
    assert t["years"] == [2024, 2025] and len(t["indicators"]) == 32
    zc = client.get("/api/evaluation/zero-carbon?year=2025", headers=admin)
    assert zc.status_code == 200 and zc.json()["indicators"][0]["key"] == "co2_per_energy"
    pdf = client.get("/api/evaluation/hj274/export?year=2025&format=pdf", headers=admin)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get("/api/evaluation/zero-carbon/export?year=2025&format=xlsx", headers=admin)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get("/api/evaluation/hj274?year=2025", headers=tokens["enterprise-a"]).status_code == 403
    assert client.get("/api/evaluation/hj274/trend?years=20x5", headers=admin).status_code == 422
