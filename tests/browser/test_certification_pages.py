"""The label's QR code and the public verification page in a real browser; the certification body's work
list and the applicant's footprints page."""

from __future__ import annotations

from pathlib import Path

import pytest

from nengtan.demo_chain import ChainResult, run
from nengtan.engine.certification import actor_of, certificate_action

from .conftest import SCREENSHOTS
from .test_pages import log_in

pytestmark = pytest.mark.browser
YEAR = 2025


@pytest.fixture(scope="module")
def chain(live) -> ChainResult:  # type: ignore[no-untyped-def]
    svc = live["app"].state.services
    r = run(Path(live["home"]), svc, YEAR, base_url=live["url"])
    assert r is not None
    return r


def test_the_qr_code_opens_the_verification_page(page, live, chain) -> None:  # type: ignore[no-untyped-def]
    """Read the QR code off the label as the browser shows it, open that address, and see the status change."""
    import zxingcpp
    from PIL import Image

    number = chain.certificate["number"]
    page.goto(f"{live['url']}/verify/{number}")
    page.wait_for_load_state("networkidle")
    shot = SCREENSHOTS / "verify.png"
    page.locator("img").screenshot(path=str(shot))
    codes = [c.text for c in zxingcpp.read_barcodes(Image.open(shot))]
    assert codes == [f"{live['url']}/verify/{number}"]
    page.goto(codes[0])
    assert page.inner_text("#verdict").strip() == "有效 valid"
    assert page.inner_text("#cert-value") == f"{chain.certificate['value_kgco2e']:,.1f} kg CO₂e / kWp"
    page.screenshot(path=str(SCREENSHOTS / "verify-page.png"), full_page=True)

    reg = live["app"].state.services.registry
    decider = actor_of(reg, "cert-decider")
    certificate_action(reg, decider, number, "suspend", note="surveillance: production records missing")
    page.reload()
    assert page.inner_text("#verdict").strip() == "暂停 suspended"
    assert "production records missing" in page.inner_text("#status-reason")
    certificate_action(reg, decider, number, "reinstate", note="records supplied")
    page.reload()
    assert page.inner_text("#verdict").strip() == "有效 valid"


def test_a_certification_body_works_through_its_list(page, live, chain) -> None:  # type: ignore[no-untyped-def]
    """The applicant applies on its footprints page; the auditor accepts it on the body's work list."""
    log_in(page, live, "pv-cell")
    page.goto(f"{live['url']}/footprints")
    page.wait_for_selector("[data-apply]")
    page.fill("#apply-body", "DEMO-CB")
    page.click("[data-apply]")
    page.wait_for_selector("#apply-result:has-text('APP-')")
    number = page.inner_text("#apply-result").split(" ")[0]
    page.context.clear_cookies()
    page.evaluate("sessionStorage.clear()")
    log_in(page, live, "cert-auditor")
    page.goto(f"{live['url']}/footprints")
    page.click(f"[data-app='{number}']")
    page.wait_for_selector("#step-form:not([hidden])")
    assert chain.records["cell"]["declared_unit"] in page.inner_text("#detail-total")
    page.select_option("#step-name", "accept")
    page.fill("#step-note", "资料齐全")
    page.click("#step-submit")
    page.wait_for_selector("#detail-title:has-text('已受理')")
    steps = page.inner_text("#steps")
    assert "受理 accept" in steps and "cert-auditor" in steps and "资料齐全" in steps
    page.screenshot(path=str(SCREENSHOTS / "certification.png"), full_page=True)
