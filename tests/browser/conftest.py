"""A live server over a small demo park and Debian's chromium driven by Playwright."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from nengtan.api.app import create_app
from nengtan.api.demo_users import ensure_demo_users
from nengtan.api.settings import load_settings
from nengtan.config import Paths
from nengtan.demo import SMALL, build_demo
from nengtan.lake import Lake
from nengtan.registry.store import Registry

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(os.environ.get("NENGTAN_SCREENSHOTS") or tempfile.mkdtemp(prefix="nengtan-screenshots-"))
"""Where the browser tests save their screenshots: a temporary folder, so a test run leaves the work tree
clean; `NENGTAN_SCREENSHOTS=docs/screenshots make unit` refreshes the ones the README shows."""


def adopt_targets_and_budget(reg: Registry, lake: Lake) -> None:
    """The park adopts the zero-carbon park intensity targets and allocates its 2025 budget (issue 4's
    worked example), so the cockpit shows adopted targets, progress and enterprise budget warnings."""
    from nengtan.engine import LocalStores
    from nengtan.engine.targets import allocate_budget
    from nengtan.registry.tables.targets import save_target
    from nengtan.targets.targets import template

    with reg.session() as s:
        for tid in ("jiangsu-zero-carbon-park-carbon-intensity", "jiangsu-zero-carbon-park-energy-intensity",
                    "jiangsu-zero-carbon-park-nonfossil-share"):
            save_target(s, template(tid).adopt(), "王主任")
    allocate_budget(LocalStores(reg, lake), 2025, "hybrid", "王主任")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    home = tmp_path_factory.mktemp("browser-park")
    paths = Paths(home)
    reg = Registry.open(f"sqlite:///{paths.sqlite}")
    build_demo(paths, reg, SMALL, minutes=60)
    from nengtan.demo_green import build_green_demo

    build_green_demo(paths, reg, Lake(paths.lake), 2025)
    from nengtan.demo_assets import build_ratings_demo
    from nengtan.engine.stores import LocalStores

    build_ratings_demo(paths, LocalStores(reg, Lake(paths.lake)), 2025)
    accounts = {a.username: a for a in ensure_demo_users(reg)}
    adopt_targets_and_budget(reg, Lake(paths.lake))
    reg.close()
    yield from _serve(home, accounts)


def _serve(home: Path, accounts: dict[str, object]) -> Iterator[dict[str, object]]:
    """The app over `home` on a free loopback port, in a thread, until the fixture ends."""
    port = _free_port()
    app = create_app(load_settings(home=str(home), secret_key="browser-" + "k" * 40, login_max_attempts=1000,
                                   public_url=f"http://127.0.0.1:{port}"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield {"url": f"http://127.0.0.1:{port}", "home": home, "accounts": accounts, "app": app}
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def province_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A province of the demo's kind (nengtan.demo_regions): the small demo park in Nanjing, a second park in
    Yancheng, city staff of each; targets adopted and the budget allocated for the whole installation."""
    from nengtan.demo_regions import build_regions_demo
    from nengtan.engine.stores import LocalStores

    home = tmp_path_factory.mktemp("browser-province")
    paths = Paths(home)
    reg = Registry.open(f"sqlite:///{paths.sqlite}")
    build_demo(paths, reg, SMALL, minutes=60)
    build_regions_demo(paths, LocalStores(reg, Lake(paths.lake)))
    accounts = {a.username: a for a in ensure_demo_users(reg)}
    adopt_targets_and_budget(reg, Lake(paths.lake))
    reg.close()
    yield from _serve(home, accounts)


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-browser.sh (make test does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    # nothing may be fetched from the internet: fail any request that leaves 127.0.0.1
    outside: list[str] = []

    def guard(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", guard)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    console: list[str] = []  # the console's errors (a failed request among them), for the tests that forbid any
    pg.on("console", lambda m: console.append(f"{m.text} ({m.location.get('url', '')})") if m.type == "error"
          else None)
    pg.console_errors = console  # type: ignore[attr-defined]
    yield pg
    ctx.close()
    assert not outside, f"pages tried to fetch from outside: {outside}"
    assert not errors, f"JavaScript errors: {errors}"
