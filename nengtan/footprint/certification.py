"""Product carbon-footprint certification (产品碳足迹标识认证) as a state machine: pure rules, no store.

The steps follow the national implementation rules for product carbon-footprint label certification
(认证实施规则: 认证委托 → 受理 → 文件评审 → 现场检查 → 碳足迹核查 → 评价与批准 → 证书与标识 →
获证后监督), in the frame of ISO/IEC 17065 (a certification body's process: application, evaluation,
review, decision, certificate, surveillance; 7.2–7.9) and ISO 14067:2018 (the footprint verified):

====================  ===============  ===========================================  ==================
step                  who              from                                          to (pass / fail)
====================  ===============  ===========================================  ==================
``accept``  受理      auditor          applied                                       accepted / refused
``document_review``   auditor          accepted                                      documents_reviewed / corrections
``site_inspection``   auditor          documents_reviewed                            inspected / corrections
``verification``      auditor          inspected                                     verified / corrections
``resubmit``          applicant        corrections                                   accepted
``decision``          decision maker   verified (not the verifying auditor)          certified / rejected
``withdraw_application`` applicant     any open state                                withdrawn
====================  ===============  ===========================================  ==================

A certificate (``certified``) is valid for :data:`VALIDITY_YEARS` years from the decision, subject to
annual surveillance (``surveillance`` by an auditor; a failed surveillance suspends it). The decision
maker suspends, reinstates or withdraws it; a withdrawn certificate never comes back. Its public
status (the verification page behind the label's QR code) is one of valid / suspended / withdrawn /
expired (:func:`public_status`).

Impartiality (ISO/IEC 17065 7.6.1): the person who decides is not the person who verified.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nengtan.errors import NengtanError, StateError
from nengtan.i18n import names
from nengtan.labels import CERTIFICATE_STATUSES, CERTIFICATION_STATES

APPLICANT = "enterprise"
AUDITOR = "cert_auditor"
DECIDER = "cert_decider"
VALIDITY_YEARS = 2

OPEN_STATES = ("applied", "accepted", "documents_reviewed", "inspected", "verified", "corrections")
CLOSED_STATES = ("refused", "certified", "rejected", "withdrawn")
STATES = OPEN_STATES + CLOSED_STATES

STATE_NAMES = {k: f"{zh} {en}" for k, (zh, en) in CERTIFICATION_STATES.items()}
"""Each state in both languages (messages and the CLI); the pages name it from nengtan.labels."""


@dataclass(frozen=True)
class Step:
    name: str
    zh: str
    role: str
    sources: tuple[str, ...]
    on_pass: str
    on_fail: str | None  # None: the step has no fail outcome


_NAME = names("certification_steps")
"""The steps' Chinese names (the catalogue's label table certification_steps, their English beside them)."""

STEPS: dict[str, Step] = {s.name: s for s in (
    Step("accept", _NAME["accept"], AUDITOR, ("applied",), "accepted", "refused"),
    Step("document_review", _NAME["document_review"], AUDITOR, ("accepted",), "documents_reviewed", "corrections"),
    Step("site_inspection", _NAME["site_inspection"], AUDITOR, ("documents_reviewed",), "inspected", "corrections"),
    Step("verification", _NAME["verification"], AUDITOR, ("inspected",), "verified", "corrections"),
    Step("resubmit", _NAME["resubmit"], APPLICANT, ("corrections",), "accepted", None),
    Step("decision", _NAME["decision"], DECIDER, ("verified",), "certified", "rejected"),
    Step("withdraw_application", _NAME["withdraw_application"], APPLICANT, OPEN_STATES, "withdrawn", None),
)}

STEP_NAMES = {"apply": _NAME["apply"], **{k: v.zh for k, v in STEPS.items()}}
"""Every step's Chinese name, the application itself (``apply``) included."""

CERTIFICATE_ACTIONS = {"surveillance": AUDITOR, "suspend": DECIDER, "reinstate": DECIDER, "withdraw": DECIDER}
"""What may be done to an issued certificate, and by whom."""
PUBLIC_STATUSES = ("valid", "suspended", "withdrawn", "expired")
PUBLIC_NAMES = {k: f"{zh} {en}" for k, (zh, en) in CERTIFICATE_STATUSES.items()}


class NotPermittedError(NengtanError):
    """The user's role may not take this step (or, for the decision, verified the footprint)."""

    status = 403


def advance(state: str, step: str, role: str, passed: bool = True, *, actor: str = "",
            verified_by: str | None = None) -> str:
    """The application's state after `step` taken by a user of `role` with outcome `passed`.

    Refuses a step out of order (StateError), by the wrong role or, for the decision, by the auditor who
    verified the footprint (NotPermittedError), and a fail outcome where the step has none."""
    s = STEPS.get(step)
    if s is None:
        raise StateError(f"no certification step {step!r}: the steps are {', '.join(STEPS)}")
    if role != s.role:
        raise NotPermittedError(f"step {step} ({s.zh}) is taken by the {_role_name(s.role)}, not by a {role} user")
    if state not in s.sources:
        raise StateError(f"step {step} ({s.zh}) cannot follow state {STATE_NAMES.get(state, state)}; it needs "
                         f"{' or '.join(STATE_NAMES[x] for x in s.sources)}")
    if step == "decision" and verified_by is not None and actor == verified_by:
        raise NotPermittedError(f"{actor} verified this footprint and so may not decide on it (ISO/IEC 17065 7.6.1: "
                                "the decision is made by a person who took no part in the evaluation)")
    if passed:
        return s.on_pass
    if s.on_fail is None:
        raise StateError(f"step {step} ({s.zh}) has no fail outcome")
    return s.on_fail


def _role_name(role: str) -> str:
    return {APPLICANT: "applicant enterprise", AUDITOR: "certification body's auditor",
            DECIDER: "certification body's decision maker"}.get(role, role)


def valid_until(issued: dt.date) -> dt.date:
    """The last day a certificate issued on `issued` is valid: :data:`VALIDITY_YEARS` years less one day
    (29 February maps to 28 February)."""
    try:
        end = issued.replace(year=issued.year + VALIDITY_YEARS)
    except ValueError:
        end = issued.replace(year=issued.year + VALIDITY_YEARS, day=28)
    return end - dt.timedelta(days=1)


def certificate_action(status: str, action: str, role: str, passed: bool = True) -> str:
    """The certificate's stored status (active | suspended | withdrawn) after `action` by `role`."""
    need = CERTIFICATE_ACTIONS.get(action)
    if need is None:
        raise StateError(f"no certificate action {action!r}: the actions are {', '.join(CERTIFICATE_ACTIONS)}")
    if role != need:
        raise NotPermittedError(f"{action} of a certificate is done by the {_role_name(need)}, not by a {role} user")
    if status == "withdrawn":
        raise StateError("the certificate is withdrawn: nothing more can be done to it (apply anew)")
    if action == "surveillance":
        if status != "active":
            raise StateError("surveillance is of an active certificate; reinstate it first")
        return "active" if passed else "suspended"
    if action == "suspend":
        if status != "active":
            raise StateError("the certificate is already suspended")
        return "suspended"
    if action == "reinstate":
        if status != "suspended":
            raise StateError("only a suspended certificate is reinstated")
        return "active"
    return "withdrawn"


def public_status(status: str, valid_to: dt.date, today: dt.date) -> str:
    """What the verification page says: withdrawn and suspended first, then expired after `valid_to`."""
    if status == "withdrawn":
        return "withdrawn"
    if today > valid_to:
        return "expired"
    if status == "suspended":
        return "suspended"
    return "valid"


def certificate_number(body: str, year: int, seq: int) -> str:
    """``CFP-<body>-<year>-<seq:05d>``: the body's code, the year of issue and its running number."""
    return f"CFP-{body.upper()}-{year}-{seq:05d}"
