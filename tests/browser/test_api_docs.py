"""The API documentation works offline: Swagger UI from the packaged assets, no request leaves the machine (the
`page` fixture fails any), no script error, every operation listed; the favicon is served."""

from __future__ import annotations


def test_api_docs_render_offline(page, live) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    page.goto(f"{live['url']}/api/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    ops = live["app"].openapi()["paths"]
    assert "/api/inventory" in "".join(paths) and len(paths) == sum(len(v) for v in ops.values())
    assert any(u.endswith("/api/docs-assets/swagger-ui-bundle.js") for u in seen)
    assert any(u.endswith("/api/openapi.json") for u in seen)


def test_favicon(page, live) -> None:  # type: ignore[no-untyped-def]
    r = page.request.get(f"{live['url']}/favicon.ico")
    assert r.status == 200 and r.headers["content-type"].startswith("image/svg+xml") and b"<svg" in r.body()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(f"{live['url']}/login")
    page.wait_for_load_state("networkidle")
    assert not failed, failed
