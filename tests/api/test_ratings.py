"""Ratings over HTTP are the engine's, and an enterprise sees its own rows only."""

from __future__ import annotations

from fastapi.testclient import TestClient

from nengtan.engine.ratings import carbon_efficiency_grades


def test_ratings_are_the_engines_and_stay_with_their_enterprise(client: TestClient, tokens, demo, app) -> None:  # type: ignore[no-untyped-def]
    staff = client.get("/api/ratings/carbon-efficiency?year=2025", headers=tokens["admin"]).json()
    engine = carbon_efficiency_grades(app.state.services, 2025)
    assert [(i["uscc"], i["grade"], i["k"]) for i in staff["items"]] == \
        [(i["uscc"], i["grade"], i["k"]) for i in engine["items"]]
    assert len(staff["items"]) == 24 and staff["method"] == "carbon_efficiency@v1"
    own = client.get("/api/ratings/carbon-efficiency?year=2025", headers=tokens["enterprise-a"]).json()
    assert [i["uscc"] for i in own["items"]] == [demo.a]
    codes = client.get("/api/ratings/green-code?year=2025", headers=tokens["enterprise-b"]).json()
    assert [i["uscc"] for i in codes["items"]] == [demo.b] and codes["items"][0]["reasons"]
    assert client.get("/api/ratings/green-code?year=2025&version=7", headers=tokens["admin"]).status_code == 404
