"""After logging in, the login page goes only to a path of this site (issue 9, item 16): its rule,
run by Debian's chromium on the served page, after the browser's own URL normalisation."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_login_goes_only_to_same_origin_paths(page, live) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live['url']}/login")
    cases = {"/cockpit?year=2025": "/cockpit?year=2025", "/\\evil.example": "/", "/\t/evil.example": "/",
             "//evil.example": "/", "https://evil.example/": "/", "javascript:alert(1)": "/", "": "/",
             "/%09/evil.example": "/%09/evil.example", " /x": "/"}
    got = page.evaluate("(cases) => Object.keys(cases).map((k) => NT.sameOrigin(k))", cases)
    assert dict(zip(cases, got, strict=True)) == cases
    # and end to end: a crafted next after a real login lands on this site
    acct = live["accounts"]["admin"]
    page.goto(f"{live['url']}/login?next=/%5Cevil.example")
    page.fill("#username", acct.username)
    page.fill("#password", acct.password)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/login" not in url, timeout=30_000)
    assert page.url.startswith(live["url"] + "/")
