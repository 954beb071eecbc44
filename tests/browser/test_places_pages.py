"""The cockpit at a city and a park of a province of the demo's kind: city staff land on their city's cockpit with
its figures (the engine's at that place), the installation-wide panels hidden; the province's administrator picks
a park from the place selector."""

from __future__ import annotations

import pytest

from nengtan.engine.accounts import inventory
from nengtan.engine.places import at_place
from tests.browser.test_pages import log_in

YEAR = 2025


def _kpis(page, stores, place: str) -> None:  # type: ignore[no-untyped-def]
    inv = inventory(at_place(stores, place), YEAR)
    card = page.locator("#kpi-co2_t")
    assert float(card.get_attribute("data-raw")) == pytest.approx(inv.co2_t, rel=1e-12)
    assert f"{inv.energy_tce:,.2f}" in page.locator("#kpi-energy_tce .value").inner_text()


def test_city_staff_see_their_city(page, province_live) -> None:  # type: ignore[no-untyped-def]
    live = province_live
    log_in(page, live, "yancheng")
    assert page.url.rstrip("/").endswith("/cockpit")
    page.goto(f"{live['url']}/cockpit?year={YEAR}")
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    assert page.inner_text("#place-name") == "盐城市"
    options = page.locator("#place-select option").all_inner_texts()
    assert [o.strip("\u3000") for o in options] == ["盐城市", "亭湖区", "盐城环保科技城"]
    _kpis(page, live["app"].state.services, "region:320900")
    assert not page.locator("#green-stock").is_visible() and not page.locator("#park-ratings").is_visible()
    ranked = page.inner_text("#ranking")
    assert "盐城" in ranked and "南京" not in ranked


def test_province_admin_picks_a_park(page, province_live) -> None:  # type: ignore[no-untyped-def]
    live = province_live
    log_in(page, live, "admin")
    page.goto(f"{live['url']}/cockpit?year={YEAR}")
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    assert page.inner_text("#place-name") == "江苏省"
    _kpis(page, live["app"].state.services, "park")
    from nengtan.engine.cockpit import data_years

    years = data_years(live["app"].state.services)
    assert years == [2020, 2023, 2024, 2025]  # the demo's history years and its year: no year without data
    assert page.locator("#year-select option").all_inner_texts() == [str(y) for y in years]
    with page.expect_navigation():
        page.select_option("#place-select", "park:yancheng-demo")
    page.wait_for_selector("body[data-ready='1']", timeout=30_000)
    assert "place=park%3Ayancheng-demo" in page.url and "year=2025" in page.url
    assert page.inner_text("#place-name") == "盐城环保科技城"
    _kpis(page, live["app"].state.services, "park:yancheng-demo")
