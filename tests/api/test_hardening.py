"""Service hardening (issue 9, items 12, 13, 16, 17, 18): headers, size limits, authenticate before
reading a body, same-origin redirects after login, no demo accounts in a real home."""

from __future__ import annotations

import asyncio
import re

import pytest
from fastapi.testclient import TestClient

from nengtan.api.app import create_app
from nengtan.api.demo_users import ensure_demo_users
from nengtan.api.settings import load_settings
from nengtan.errors import StateError
from nengtan.registry.store import Registry


def test_security_headers_and_a_strict_csp_on_pages(client: TestClient, tokens) -> None:  # type: ignore[no-untyped-def]
    for url in ("/login", "/public", "/api/health"):
        r = client.get(url)
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer" and "frame-ancestors 'none'" in r.headers[
            "content-security-policy"]
    csp = client.get("/login").headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    # the hash is of the page's own inline script: another script would not run
    import base64
    import hashlib
    html = client.get("/login").text
    (inline,) = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert "'sha256-" + base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode() + "'" in csp
    assert client.get("/api/health").headers["content-security-policy"].startswith("default-src 'none'")


def test_requests_over_the_size_limit_get_413_before_they_are_read(demo) -> None:  # type: ignore[no-untyped-def]
    app = create_app(load_settings(home=str(demo.home), database_url=demo.url, max_request_mb=1))
    with TestClient(app) as c:
        big = b"x" * (1024 * 1024 + 1)
        r = c.post("/api/auth/token", content=big, headers={"Content-Type": "application/json"})
        assert r.status_code == 413 and "exceeds the limit of 1,048,576 bytes" in r.json()["detail"]

        def chunks():  # no Content-Length: counted as it arrives
            for _ in range(3):
                yield b"y" * 600_000
        r = c.post("/api/auth/token", content=chunks(), headers={"Content-Type": "application/json"})
        assert r.status_code == 413


def test_an_anonymous_upload_is_refused_before_its_body_is_read(app, demo) -> None:  # type: ignore[no-untyped-def]
    read: list[int] = []

    async def receive():  # type: ignore[no-untyped-def]
        read.append(1)
        return {"type": "http.request", "body": b"z" * 1000, "more_body": False}

    sent: list[dict] = []  # type: ignore[type-arg]

    async def send(message):  # type: ignore[no-untyped-def]
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": f"/api/enterprises/{demo.a}/uploads", "raw_path": b"",
             "query_string": b"", "headers": [(b"content-type", b"multipart/form-data; boundary=x"),
                                              (b"content-length", str(25 * 1024 * 1024).encode())],
             "scheme": "http", "server": ("testserver", 80), "client": ("203.0.113.5", 1), "root_path": "",
             "http_version": "1.1", "asgi": {"version": "3.0"}}
    asyncio.run(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    assert status in (401, 413) and read == []  # answered without reading a byte
    scope["headers"] = [(b"content-type", b"multipart/form-data; boundary=x"), (b"content-length", b"1000")]
    sent.clear()
    asyncio.run(app(scope, receive, send))
    assert next(m["status"] for m in sent if m["type"] == "http.response.start") == 401 and read == []


def test_logout_without_a_token_still_forgets_the_cookie(client: TestClient) -> None:
    r = client.post("/api/auth/logout")  # the page drops its token first, then calls logout without it
    cookie = r.headers.get("set-cookie", "")
    assert r.status_code == 204 and cookie.startswith("nengtan_token=") and "Max-Age=0" in cookie


def test_demo_accounts_are_refused_in_a_home_with_real_enterprises(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from nengtan.registry.ops import ensure_park
    from nengtan.registry.tables.park import Enterprise

    reg = Registry.open(f"sqlite:///{tmp_path / 'r.sqlite'}")
    with reg.session() as s:
        p = ensure_park(s, "xushuguan", "浒墅关", "jiangsu")
        for i, u in enumerate(("91320115000000043A", "913201150000000515")):
            s.add(Enterprise(park_id=p.id, uscc=u, name=f"真实企业{i}", sector_code="C26", province="江苏"))
    with pytest.raises(StateError, match="not only the demo park"):
        ensure_demo_users(reg)
    reg.close()


def test_an_error_says_itself_in_chinese_beside_the_english(client, tokens) -> None:  # type: ignore[no-untyped-def]
    """Problem details carry detail_zh from nengtan.messages; the page shows it to a Chinese reader (NT.api)."""
    r = client.get("/api/enterprises/91320115999999999X", headers=tokens["admin"])
    assert r.status_code == 404
    body = r.json()
    assert body["detail"] == "enterprise 91320115999999999X not found or not accessible to you"
    assert body["detail_zh"] == "未找到企业：91320115999999999X（或无权查看）"
    r = client.get("/api/inventory?year=2031", headers=tokens["admin"])
    assert r.status_code == 404 and r.json()["detail_zh"].endswith("没有能耗数据：请先导入月度报表或计量读数")


def test_a_refused_request_says_why_in_chinese(client, tokens) -> None:  # type: ignore[no-untyped-def]
    """A request check that fails (Pydantic's error types, nengtan.messages.VALIDATION) names the field and what it
    must be in Chinese, each failure and the first as detail_zh."""
    r = client.get("/api/inventory?year=abc", headers=tokens["admin"])
    assert r.status_code == 422
    body = r.json()
    assert body["detail_zh"] == "年份：须为整数" and body["errors"][0]["message_zh"] == "年份：须为整数"
    r = client.get("/api/reports/pack?year=2025&format=doc", headers=tokens["admin"])
    assert r.status_code == 422 and r.json()["detail_zh"] == "格式：须为以下之一：'xlsx' or 'pdf'"
