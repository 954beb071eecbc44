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


def test_esg_pack_and_mu_over_http_cli_and_engine_agree(client: TestClient, tokens, demo, app) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from nengtan.cli import app as cli
    from nengtan.engine.certification import Actor
    from nengtan.engine.esg import pack
    from nengtan.engine.ratings import mu_evaluation

    svc = app.state.services
    engine = pack(svc, Actor("x", "admin"), demo.a, 2025)
    http = client.get(f"/api/enterprises/{demo.a}/esg/2025", headers=tokens["enterprise-a"]).json()
    r = CliRunner().invoke(cli, ["esg", "pack", "--enterprise", demo.a, "--year", "2025", "--format", "json",
                                 "--home", str(demo.home)])
    assert r.exit_code == 0, r.output
    cli_items = json.loads(r.output)["items"]
    assert [i["value"] for i in http["items"]] == [i["value"] for i in engine["items"]] == [i["value"] for i in
                                                                                            cli_items]
    by = {i["key"]: i for i in http["items"]}  # each language apart for the pages, the bilingual label kept
    assert (by["scope2_location_t"]["label_zh"], by["scope2_location_t"]["label_en"]) == (
        "范围二排放（基于位置）", "Scope 2 location-based")
    assert by["scope2_location_t"]["label"] == "范围二排放（基于位置）Scope 2 location-based"
    assert (by["scope2_market_t"]["issb_s2_zh"], by["scope2_market_t"]["issb_s2_en"]) == (
        "29(a)(v)（合同工具）", "29(a)(v) (contractual instruments)")
    assert (by["verification"]["value"], by["verification"]["value_zh"]) == ("未经第三方核查 not verified",
                                                                             "未经第三方核查")
    assert client.get(f"/api/enterprises/{demo.b}/esg/2025", headers=tokens["enterprise-a"]).status_code == 404
    pdf = client.get(f"/api/enterprises/{demo.a}/esg/2025/export.pdf", headers=tokens["enterprise-a"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # only the enterprise's own users publish; staff cannot publish for it
    assert client.post(f"/api/enterprises/{demo.a}/esg/2025/publish", json={"items": ["scope1_t"]},
                       headers=tokens["admin"]).status_code == 403
    assert client.post(f"/api/enterprises/{demo.a}/esg/2025/publish", json={"items": ["scope1_t", "nope"]},
                       headers=tokens["enterprise-a"]).status_code == 422
    ok = client.post(f"/api/enterprises/{demo.a}/esg/2025/publish", json={"items": ["scope1_t"]},
                     headers=tokens["enterprise-a"])
    assert ok.status_code == 201
    public = client.get("/api/public/esg?year=2025").json()["items"]
    (mine,) = [p for p in public if p["uscc"] == demo.a]
    assert [(i["key"], i["value"]) for i in mine["items"]] == [("scope1_t", engine["items"][2]["value"])]
    mu = client.get("/api/ratings/mu?year=2025", headers=tokens["admin"]).json()
    assert [(i["uscc"], i["class"]) for i in mu["items"]] == \
        [(i["uscc"], i["class"]) for i in mu_evaluation(svc, 2025)["items"]]
    summary = client.get("/api/ratings/summary?year=2025", headers=tokens["admin"]).json()
    assert summary["mu"]["counts"] == mu["counts"]
    xlsx = client.get("/api/assets/compliance/export?year=2024&format=xlsx", headers=tokens["admin"])
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
