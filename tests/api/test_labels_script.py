"""The pages name codes from the one catalogue the CLI and the workbooks use (issue 15 item 2): /labels.js is
nengtan.labels, served as a script the pages load (CSP: from the app itself)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from nengtan.labels import CARRIERS, PAGE_TABLES


def test_the_pages_catalogue_is_the_labels_module(client: TestClient) -> None:
    r = client.get("/labels.js")  # no login: names only, no data
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    prefix = "window.NT_LABELS = "
    assert r.text.startswith(prefix)
    served = json.loads(r.text[len(prefix):].rstrip().rstrip(";"))
    assert served["carrier"]["diesel"] == ["柴油", "Diesel"] and len(served["carrier"]) == len(CARRIERS)
    assert served == {k: {c: list(v) for c, v in t.items()} for k, t in PAGE_TABLES.items()}
    assert {"carrier", "source", "meterKind", "meterRole", "status", "allocationMethod"} <= set(served)


def test_every_page_loads_the_catalogue_before_its_script(client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    for path in ("/cockpit", "/cockpit/screen", "/cockpit/evaluation", "/admin", "/login"):
        html = client.get(path, headers=tokens["admin"]).text
        assert html.index('src="/labels.js"') < html.index('src="/static/app.js"'), path
