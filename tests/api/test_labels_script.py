"""The pages name codes and say their words from the one message catalogue the CLI and the workbooks use (issue 15
item 2): /labels.js is nengtan.labels and /i18n.js the catalogue's page words, served as scripts the pages load (CSP:
from the app itself)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from nengtan.i18n import page_words
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


def test_the_pages_words_are_the_catalogue_s(client: TestClient) -> None:
    r = client.get("/i18n.js")  # no login: words only, no data
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")
    body = r.text[r.text.index("window.NT_I18N = ") + len("window.NT_I18N = "):].rstrip().rstrip(";")
    served = json.loads(body)
    assert served == page_words() and served["zh"]["login"] == "登录" and served["en"]["login"] == "Log in"
    assert client.get("/static/i18n.js").status_code == 404  # no second copy


def test_every_page_loads_the_catalogue_before_its_script(client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    for path in ("/cockpit", "/cockpit/screen", "/cockpit/evaluation", "/admin", "/login"):
        html = client.get(path, headers=tokens["admin"]).text
        assert html.index('src="/i18n.js"') < html.index('src="/labels.js"') < html.index('src="/static/app.js"'), path
