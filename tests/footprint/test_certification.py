"""The certification state machine, certificate validity and public status (pure rules)."""

from __future__ import annotations

import datetime as dt

import pytest

from nengtan.errors import StateError
from nengtan.footprint import certification as c
from nengtan.footprint.certification import APPLICANT, AUDITOR, DECIDER, NotPermittedError


def test_the_whole_path_from_application_to_certificate() -> None:
    state = "applied"
    for step in ("accept", "document_review", "site_inspection", "verification"):
        state = c.advance(state, step, AUDITOR, actor="li")
    assert state == "verified"
    assert c.advance(state, "decision", DECIDER, actor="wang", verified_by="li") == "certified"


def test_no_certificate_before_verification() -> None:
    for state in ("applied", "accepted", "documents_reviewed", "inspected", "corrections"):
        with pytest.raises(StateError, match="decision"):
            c.advance(state, "decision", DECIDER, actor="wang")


def test_steps_out_of_order_and_by_the_wrong_role_are_refused() -> None:
    with pytest.raises(StateError, match="needs 已受理"):
        c.advance("applied", "document_review", AUDITOR)
    with pytest.raises(NotPermittedError, match="decision maker"):
        c.advance("verified", "decision", AUDITOR)
    with pytest.raises(NotPermittedError, match="auditor"):
        c.advance("applied", "accept", APPLICANT)
    with pytest.raises(StateError, match="no certification step"):
        c.advance("applied", "approve", AUDITOR)


def test_the_verifier_may_not_decide() -> None:
    """ISO/IEC 17065 7.6.1: the decision is taken by someone who did not evaluate."""
    with pytest.raises(NotPermittedError, match="17065"):
        c.advance("verified", "decision", DECIDER, actor="li", verified_by="li")


def test_failures_ask_for_corrections_and_a_resubmission_starts_the_review_again() -> None:
    assert c.advance("applied", "accept", AUDITOR, False) == "refused"
    assert c.advance("accepted", "document_review", AUDITOR, False) == "corrections"
    assert c.advance("documents_reviewed", "site_inspection", AUDITOR, False) == "corrections"
    assert c.advance("inspected", "verification", AUDITOR, False) == "corrections"
    assert c.advance("corrections", "resubmit", APPLICANT) == "accepted"
    assert c.advance("verified", "decision", DECIDER, False) == "rejected"
    with pytest.raises(StateError, match="no fail outcome"):
        c.advance("corrections", "resubmit", APPLICANT, False)
    for state in c.OPEN_STATES:
        assert c.advance(state, "withdraw_application", APPLICANT) == "withdrawn"
    with pytest.raises(StateError):
        c.advance("certified", "withdraw_application", APPLICANT)


def test_validity_is_two_years_less_a_day() -> None:
    assert c.valid_until(dt.date(2026, 12, 3)) == dt.date(2028, 12, 2)
    assert c.valid_until(dt.date(2024, 2, 29)) == dt.date(2026, 2, 27)  # 29 Feb → 28 Feb, less a day
    assert c.valid_until(dt.date(2025, 1, 1)) == dt.date(2026, 12, 31)


def test_certificate_actions() -> None:
    assert c.certificate_action("active", "surveillance", AUDITOR) == "active"
    assert c.certificate_action("active", "surveillance", AUDITOR, passed=False) == "suspended"
    assert c.certificate_action("active", "suspend", DECIDER) == "suspended"
    assert c.certificate_action("suspended", "reinstate", DECIDER) == "active"
    assert c.certificate_action("suspended", "withdraw", DECIDER) == "withdrawn"
    with pytest.raises(StateError, match="withdrawn"):
        c.certificate_action("withdrawn", "reinstate", DECIDER)
    with pytest.raises(NotPermittedError):
        c.certificate_action("active", "suspend", AUDITOR)
    with pytest.raises(StateError, match="only a suspended"):
        c.certificate_action("active", "reinstate", DECIDER)


def test_public_status_withdrawn_then_expired_then_suspended() -> None:
    to = dt.date(2028, 12, 2)
    assert c.public_status("active", to, dt.date(2028, 12, 2)) == "valid"  # the last day is still valid
    assert c.public_status("active", to, dt.date(2028, 12, 3)) == "expired"
    assert c.public_status("suspended", to, dt.date(2027, 1, 1)) == "suspended"
    assert c.public_status("suspended", to, dt.date(2029, 1, 1)) == "expired"
    assert c.public_status("withdrawn", to, dt.date(2027, 1, 1)) == "withdrawn"
    assert c.public_status("withdrawn", to, dt.date(2029, 1, 1)) == "withdrawn"


def test_certificate_number() -> None:
    assert c.certificate_number("demo-cb", 2026, 7) == "CFP-DEMO-CB-2026-00007"
