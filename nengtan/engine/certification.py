"""Footprint records, supplier sharing, carbon-label certification and PACT exchange, over the registry.

Every surface (CLI, API, pages) calls these functions with the acting user (:class:`Actor`); the rules
of who may see and do what live here, once:

* a footprint record is read whole (inventory, contributions) by its enterprise's users, the park
  administrator, and the certification body it was submitted to (its auditors and decision makers);
* a customer sees a supplier's footprint only after the supplier shared it in answer to the customer's
  request, and then only as PACT states it (totals, data quality, verification) — never the inventory;
* a certification body's users see only the applications made to their body; the decision is taken by a
  decision maker who did not verify (nengtan.footprint.certification);
* anything a user may not see answers exactly like something that does not exist.

Every write is one transaction with its audit-log entry (who, what, when).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from nengtan.calendar import PARK_TZ
from nengtan.errors import InputError, NotFoundError, StateError
from nengtan.footprint import certification as cert
from nengtan.footprint.background import Background, Dataset
from nengtan.footprint.pact import Footprint, Imported, from_pact, to_pact
from nengtan.i18n import pair
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.registry.tables.access import User, UserEnterprise
from nengtan.registry.tables.footprints import (
    CertApplication,
    Certificate,
    CertificateEvent,
    CertStep,
    FootprintRecord,
    FootprintRequest,
)
from nengtan.registry.tables.park import Enterprise

NotPermittedError = cert.NotPermittedError


@dataclass(frozen=True)
class Actor:
    """Who acts: a user's name, role, bound enterprises and (certification bodies) organisation."""

    username: str
    role: str
    enterprise_ids: frozenset[int] = field(default_factory=frozenset)
    org: str | None = None
    place: str | None = None
    """Staff scoped to a park or region (nengtan.engine.places): not the installation's administrators, so every
    rule written for those refuses them; the place-aware surfaces give them their place's figures."""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin" and self.place is None


def actor_of(reg: Registry, username: str) -> Actor:
    """The registered, active user `username` as an Actor (for the CLI's ``--as``)."""
    with reg.session() as s:
        u = s.execute(select(User).where(User.username == username)).scalar()
        if u is None or not u.active:
            raise NotFoundError(f"user {username!r} is not registered (or is disabled)")
        ids = s.execute(select(UserEnterprise.enterprise_id).where(UserEnterprise.user_id == u.id)).scalars()
        return Actor(u.username, u.role, frozenset(ids), u.org, u.place)


def today() -> dt.date:
    return dt.datetime.now(PARK_TZ).date()


def last_year() -> int:
    """The last full calendar year in park time (what a page asks for when it names no year)."""
    return today().year - 1


# -- access ----------------------------------------------------------------------------------------

def enterprise(s: Session, uscc: str) -> Enterprise:
    """The registered enterprise with credit code `uscc` (NotFoundError otherwise)."""
    e = s.execute(select(Enterprise).where(Enterprise.uscc == uscc.strip().upper())).scalar()
    if e is None:
        raise NotFoundError(f"enterprise {uscc}")
    return e


def require_staff(actor: Actor, what: str) -> None:
    """Only the park's staff write to `what`; anyone else is told it does not exist (as for another's data)."""
    if not actor.is_admin:
        raise NotFoundError(what)


def _own(actor: Actor, enterprise_id: int) -> bool:
    return actor.is_admin or (actor.role == "enterprise" and enterprise_id in actor.enterprise_ids)


def _writable(s: Session, actor: Actor, uscc: str) -> Enterprise:
    e = enterprise(s, uscc)
    if not _own(actor, e.id):
        raise NotFoundError(f"enterprise {uscc}")
    return e


def _of_body(actor: Actor, body: str | None = None) -> bool:
    """The user works for a certification body (for `body`, when one is named)."""
    return actor.role in (cert.AUDITOR, cert.DECIDER) and bool(actor.org) and (body is None or actor.org == body)


def _body_sees(s: Session, actor: Actor, record_id: int) -> bool:
    if not _of_body(actor):
        return False
    return s.execute(select(CertApplication.id).where(CertApplication.body == actor.org, or_(
        CertApplication.footprint_id == record_id,
        CertApplication.id.in_(select(CertStep.application_id).where(CertStep.footprint_id == record_id))))
    ).first() is not None


def _shared_with(s: Session, actor: Actor, record_id: int) -> bool:
    if actor.role != "enterprise" or not actor.enterprise_ids:
        return False
    return s.execute(select(FootprintRequest.id).where(
        FootprintRequest.footprint_id == record_id, FootprintRequest.status == "shared",
        FootprintRequest.requester_id.in_(actor.enterprise_ids))).first() is not None


def _record(s: Session, pf_id: str) -> FootprintRecord:
    r = s.execute(select(FootprintRecord).where(FootprintRecord.pf_id == pf_id.strip().lower())).scalar()
    if r is None:
        raise NotFoundError(f"footprint {pf_id}")
    return r


# -- footprint records -----------------------------------------------------------------------------

def _record_view(s: Session, r: FootprintRecord, whole: bool) -> dict[str, Any]:
    e = s.get(Enterprise, r.enterprise_id)
    assert e is not None
    result = json.loads(r.result)
    out: dict[str, Any] = {
        "id": r.pf_id, "uscc": e.uscc, "enterprise": e.name, "product": r.product, "product_name": r.product_name,
        "declared_unit": r.declared_unit, "total_kgco2e": r.total_kgco2e, "fossil_kgco2e": r.fossil_kgco2e,
        "biogenic_kgco2e": r.biogenic_kgco2e, "reference_year": r.reference_year, "model": r.model_digest,
        "database": r.database_version, "data_version": r.data_version, "factor_set": r.factor_set,
        "origin": r.origin, "created_by": r.created_by, "created_at": r.created_at.isoformat(),
        "primary_data_share": result.get("data_quality", {}).get("primary_data_share")}
    if r.replaces_id:
        old = s.get(FootprintRecord, r.replaces_id)
        out["replaces"] = old.pf_id if old else None
    if whole:
        out["result"] = result
    return out


def save_footprint(reg: Registry, actor: Actor, uscc: str, result: dict[str, Any], product_name: str = "",
                   replaces: str | None = None) -> dict[str, Any]:
    """Hold the engine's `result` as a footprint record of enterprise `uscc` (a new record each time)."""
    with reg.session(write=True) as s:
        e = _writable(s, actor, uscc)
        old = None
        if replaces:
            old = _record(s, replaces)
            if old.enterprise_id != e.id:
                raise NotFoundError(f"footprint {replaces}")
        primary = result.get("primary_data") or {}
        r = FootprintRecord(
            pf_id=str(uuid.uuid4()), enterprise_id=e.id, product=str(result["product"]),
            product_name=product_name or str(result["product"]), declared_unit=str(result["declared_unit"]),
            total_kgco2e=float(result["total_kgco2e"]), fossil_kgco2e=float(result["fossil_kgco2e"]),
            biogenic_kgco2e=float(result["biogenic_kgco2e"]), reference_year=primary.get("year"),
            model_digest=f"{result['model']['name']}@{result['model']['digest']}",
            database_version=str(result["database"]), data_version=primary.get("data_version"),
            factor_set=primary.get("factor_set"), origin="computed", result=json.dumps(result, ensure_ascii=False),
            replaces_id=old.id if old else None, created_by=actor.username)
        s.add(r)
        s.flush()
        audit.record(s, actor.username, "footprint.save", f"footprint:{r.pf_id}",
                     {"uscc": e.uscc, "product": r.product, "declared_unit": r.declared_unit,
                      "total_kgco2e": r.total_kgco2e, "model": r.model_digest, "database": r.database_version,
                      "data_version": r.data_version})
        return _record_view(s, r, whole=False)


def footprint_view(reg: Registry, actor: Actor, pf_id: str) -> dict[str, Any]:
    """The record whole (owner, administrator, the certification body it was submitted to), or as PACT
    states it (a customer it was shared with); anyone else: not found."""
    with reg.session() as s:
        r = _record(s, pf_id)
        if _own(actor, r.enterprise_id) or _body_sees(s, actor, r.id):
            return _record_view(s, r, whole=True)
        if _shared_with(s, actor, r.id):
            return {"id": r.pf_id, "shared": True, "pact": _pact(s, r)}
        raise NotFoundError(f"footprint {pf_id}")


def list_footprints(reg: Registry, actor: Actor, uscc: str) -> list[dict[str, Any]]:
    with reg.session() as s:
        e = _writable(s, actor, uscc)
        rows = s.execute(select(FootprintRecord).where(FootprintRecord.enterprise_id == e.id)
                         .order_by(FootprintRecord.id)).scalars().all()
        return [_record_view(s, r, whole=False) for r in rows]


# -- certification ---------------------------------------------------------------------------------

def _application(s: Session, actor: Actor, number: str) -> CertApplication:
    a = s.execute(select(CertApplication).where(CertApplication.number == number.strip().upper())).scalar()
    if a is None or not (_own(actor, a.enterprise_id) or _of_body(actor, a.body)):
        raise NotFoundError(f"application {number}")
    return a


def _certificate_of(s: Session, application_id: int) -> Certificate | None:
    return s.execute(select(Certificate).where(Certificate.application_id == application_id)).scalar()


def _application_view(s: Session, a: CertApplication) -> dict[str, Any]:
    e = s.get(Enterprise, a.enterprise_id)
    r = s.get(FootprintRecord, a.footprint_id)
    assert e is not None and r is not None
    steps = s.execute(select(CertStep).where(CertStep.application_id == a.id).order_by(CertStep.id)).scalars()
    c = _certificate_of(s, a.id)
    return {
        "number": a.number, "uscc": e.uscc, "enterprise": e.name, "body": a.body, "state": a.state,
        "state_name": cert.STATE_NAMES[a.state], "footprint": r.pf_id, "product_name": r.product_name,
        "declared_unit": r.declared_unit, "total_kgco2e": r.total_kgco2e, "created_by": a.created_by,
        "created_at": a.created_at.isoformat(), "verified_by": a.verified_by,
        "steps": [{"step": x.step, "name": cert.STEP_NAMES[x.step], "passed": x.passed, "from": x.state_before,
                   "to": x.state_after, "actor": x.actor, "role": x.role, "note": x.note, "at": x.at.isoformat()}
                  for x in steps],
        "certificate": c.number if c else None,
    }


def apply(reg: Registry, actor: Actor, pf_id: str, body: str) -> dict[str, Any]:
    """The applicant enterprise applies (委托) to certification body `body` for a label of record `pf_id`."""
    body = body.strip().upper()
    if not body or len(body) > 20 or not body.replace("-", "").isalnum():
        raise InputError(f"certification body code {body!r}: letters, digits and '-', at most 20")
    if actor.role != "enterprise":
        raise NotPermittedError("an application is made by the enterprise whose product it is")
    with reg.session(write=True) as s:
        r = _record(s, pf_id)
        if not _own(actor, r.enterprise_id):
            raise NotFoundError(f"footprint {pf_id}")
        if s.execute(select(User.id).where(User.org == body, User.role.in_((cert.AUDITOR, cert.DECIDER)))).first() \
                is None:
            raise NotFoundError(f"certification body {body} (no auditor or decision maker of it is registered)")
        year = today().year
        n = s.execute(select(func.count(CertApplication.id)).where(CertApplication.number.like(f"APP-{year}-%"))
                      ).scalar() or 0
        a = CertApplication(number=f"APP-{year}-{n + 1:05d}", enterprise_id=r.enterprise_id, footprint_id=r.id,
                            body=body, state="applied", created_by=actor.username)
        s.add(a)
        s.flush()
        s.add(CertStep(application_id=a.id, step="apply", passed=True, state_before="", state_after="applied",
                       actor=actor.username, role=actor.role, note=pair("note.certification:applied", body=body)[1],
                       footprint_id=r.id))
        audit.record(s, actor.username, "certification.apply", f"application:{a.number}",
                     {"footprint": r.pf_id, "body": body, "total_kgco2e": r.total_kgco2e})
        s.flush()
        return _application_view(s, a)


def take_step(reg: Registry, actor: Actor, number: str, step: str, passed: bool = True, note: str = "",
              footprint: str | None = None) -> dict[str, Any]:
    """Take one step of the application (nengtan.footprint.certification.advance); the decision's pass
    issues the certificate. ``resubmit`` may name a corrected footprint record of the same enterprise."""
    with reg.session(write=True) as s:
        a = _application(s, actor, number)
        new_state = cert.advance(a.state, step, actor.role, passed, actor=actor.username, verified_by=a.verified_by)
        record_id = a.footprint_id
        if step == "resubmit" and footprint:
            r = _record(s, footprint)
            if r.enterprise_id != a.enterprise_id:
                raise NotFoundError(f"footprint {footprint}")
            a.footprint_id = record_id = r.id
            a.verified_by = None
        if step == "verification" and passed:
            a.verified_by = actor.username
        s.add(CertStep(application_id=a.id, step=step, passed=passed, state_before=a.state, state_after=new_state,
                       actor=actor.username, role=actor.role, note=note, footprint_id=record_id))
        detail: dict[str, Any] = {"passed": passed, "from": a.state, "to": new_state, "note": note}
        a.state = new_state
        if new_state == "certified":
            c = _issue(s, a, actor)
            detail["certificate"] = c.number
        audit.record(s, actor.username, f"certification.{step}", f"application:{a.number}", detail)
        s.flush()
        return _application_view(s, a)


def _issue(s: Session, a: CertApplication, actor: Actor) -> Certificate:
    r = s.get(FootprintRecord, a.footprint_id)
    assert r is not None
    issued = today()
    seq = (s.execute(select(func.count(Certificate.id)).where(Certificate.body == a.body)).scalar() or 0) + 1
    c = Certificate(number=cert.certificate_number(a.body, issued.year, seq), application_id=a.id,
                    enterprise_id=a.enterprise_id, footprint_id=r.id, body=a.body, product_name=r.product_name,
                    declared_unit=r.declared_unit, value_kgco2e=r.total_kgco2e, issued_on=issued,
                    valid_to=cert.valid_until(issued), status="active", status_reason="", decided_by=actor.username)
    s.add(c)
    s.flush()
    return c


def applications(reg: Registry, actor: Actor) -> list[dict[str, Any]]:
    """The applications the user may see: its enterprises' (or all, for the administrator) or its body's."""
    with reg.session() as s:
        q = select(CertApplication).order_by(CertApplication.id)
        if actor.role in (cert.AUDITOR, cert.DECIDER):
            q = q.where(CertApplication.body == (actor.org or ""))
        elif not actor.is_admin:
            q = q.where(CertApplication.enterprise_id.in_(actor.enterprise_ids if actor.role == "enterprise" else ()))
        return [_application_view(s, a) for a in s.execute(q).scalars()]


def application(reg: Registry, actor: Actor, number: str) -> dict[str, Any]:
    with reg.session() as s:
        a = _application(s, actor, number)
        out = _application_view(s, a)
        r = s.get(FootprintRecord, a.footprint_id)
        assert r is not None
        out["footprint_record"] = _record_view(s, r, whole=True)
        return out


def _valid_certificate(s: Session, record_id: int) -> Certificate | None:
    """The newest certificate of the record that is valid today (none suspended, withdrawn or expired)."""
    for c in s.execute(select(Certificate).where(Certificate.footprint_id == record_id)
                       .order_by(Certificate.id.desc())).scalars():
        if cert.public_status(c.status, c.valid_to, today()) == "valid":
            return c
    return None


def _certificate(s: Session, number: str) -> Certificate:
    c = s.execute(select(Certificate).where(Certificate.number == number.strip().upper())).scalar()
    if c is None:
        raise NotFoundError(f"certificate {number}")
    return c


def certificate_action(reg: Registry, actor: Actor, number: str, action: str, passed: bool = True,
                       note: str = "") -> dict[str, Any]:
    """Surveillance (auditor), suspension, reinstatement or withdrawal (decision maker) of a certificate
    issued by the user's body; a reason is required to suspend or withdraw."""
    with reg.session(write=True) as s:
        c = _certificate(s, number)
        if not _of_body(actor, c.body):
            raise NotFoundError(f"certificate {number}")
        if action in ("suspend", "withdraw") and not note.strip():
            raise InputError(f"{action}: give the reason (it is shown on the public verification page)")
        new = cert.certificate_action(c.status, action, actor.role, passed)
        s.add(CertificateEvent(certificate_id=c.id, action=action, passed=passed, status_after=new,
                               actor=actor.username, note=note))
        before = c.status
        c.status = new
        if new != before:
            c.status_reason = note
        audit.record(s, actor.username, f"certificate.{action}", f"certificate:{c.number}",
                     {"passed": passed, "from": before, "to": new, "note": note})
        s.flush()
        return _certificate_view(s, c, today())


def _certificate_view(s: Session, c: Certificate, on: dt.date) -> dict[str, Any]:
    e = s.get(Enterprise, c.enterprise_id)
    r = s.get(FootprintRecord, c.footprint_id)
    assert e is not None and r is not None
    status = cert.public_status(c.status, c.valid_to, on)
    events = s.execute(select(CertificateEvent).where(CertificateEvent.certificate_id == c.id)
                       .order_by(CertificateEvent.id)).scalars()
    return {
        "number": c.number, "status": status, "status_name": cert.PUBLIC_NAMES[status],
        "status_reason": c.status_reason if status in ("suspended", "withdrawn") else "",
        "enterprise": e.name, "uscc": e.uscc, "product_name": c.product_name, "declared_unit": c.declared_unit,
        "value_kgco2e": c.value_kgco2e, "issued_on": c.issued_on.isoformat(), "valid_to": c.valid_to.isoformat(),
        "body": c.body, "reference_year": r.reference_year,
        "standard": "ISO 14067:2018 / GB/T 24067-2024", "checked_on": on.isoformat(),
        "events": [{"action": x.action, "passed": x.passed, "status_after": x.status_after,
                    "at": x.at.isoformat()} for x in events],
    }


def public_certificate(reg: Registry, number: str, on: dt.date | None = None) -> dict[str, Any]:
    """What the label's QR code opens: the certificate as the public may read it, with its status today."""
    with reg.session() as s:
        return _certificate_view(s, _certificate(s, number), on or today())


# -- supplier requests -----------------------------------------------------------------------------

def _request_view(s: Session, q: FootprintRequest) -> dict[str, Any]:
    req = s.get(Enterprise, q.requester_id)
    sup = s.get(Enterprise, q.supplier_id)
    r = s.get(FootprintRecord, q.footprint_id) if q.footprint_id else None
    assert req is not None and sup is not None
    return {"id": q.id, "requester": req.uscc, "requester_name": req.name, "supplier": sup.uscc,
            "supplier_name": sup.name, "product": q.product, "message": q.message, "status": q.status,
            "footprint": r.pf_id if r else None, "created_at": q.created_at.isoformat(),
            "answered_by": q.answered_by}


def request_footprint(reg: Registry, actor: Actor, requester: str, supplier: str, product: str,
                      message: str = "") -> dict[str, Any]:
    """A customer (chain leader) asks a supplier for its footprint of `product`."""
    if not product.strip():
        raise InputError("name the product whose footprint is requested")
    with reg.session(write=True) as s:
        me = _writable(s, actor, requester)
        sup = enterprise(s, supplier)
        if sup.id == me.id:
            raise InputError("an enterprise does not request its own footprints: they are already its own")
        q = FootprintRequest(requester_id=me.id, supplier_id=sup.id, product=product.strip(), message=message,
                             status="requested", created_by=actor.username)
        s.add(q)
        s.flush()
        audit.record(s, actor.username, "footprint.request", f"footprint-request:{q.id}",
                     {"requester": me.uscc, "supplier": sup.uscc, "product": q.product})
        return _request_view(s, q)


def answer_request(reg: Registry, actor: Actor, request_id: int, share: str | None) -> dict[str, Any]:
    """The supplier consents by sharing one of its own records (`share`), or declines (None)."""
    with reg.session(write=True) as s:
        q = s.get(FootprintRequest, request_id) if 0 < request_id < 2**31 else None
        if q is None or not _own(actor, q.supplier_id):
            raise NotFoundError(f"footprint request {request_id}")
        if q.status != "requested":
            raise StateError(f"footprint request {request_id} is already {q.status}")
        if share:
            r = _record(s, share)
            if r.enterprise_id != q.supplier_id:
                raise NotFoundError(f"footprint {share}")
            q.footprint_id = r.id
            q.status = "shared"
        else:
            q.status = "declined"
        q.answered_by = actor.username
        q.answered_at = dt.datetime.now(dt.UTC)
        audit.record(s, actor.username, f"footprint.{q.status}", f"footprint-request:{q.id}",
                     {"footprint": share})
        s.flush()
        return _request_view(s, q)


def requests(reg: Registry, actor: Actor, uscc: str) -> dict[str, list[dict[str, Any]]]:
    """An enterprise's requests: those it made (outgoing) and those made to it (incoming)."""
    with reg.session() as s:
        e = _writable(s, actor, uscc)
        rows = s.execute(select(FootprintRequest).where(or_(FootprintRequest.requester_id == e.id,
                                                            FootprintRequest.supplier_id == e.id))
                         .order_by(FootprintRequest.id)).scalars().all()
        return {"outgoing": [_request_view(s, q) for q in rows if q.requester_id == e.id],
                "incoming": [_request_view(s, q) for q in rows if q.supplier_id == e.id]}


# -- PACT ------------------------------------------------------------------------------------------

def _pact(s: Session, r: FootprintRecord) -> dict[str, Any]:
    if r.origin == "pact-import":
        return json.loads(r.result)["pact"]  # type: ignore[no-any-return]
    e = s.get(Enterprise, r.enterprise_id)
    assert e is not None
    res = json.loads(r.result)
    dq = res.get("data_quality", {})
    c = _valid_certificate(s, r.id)
    verification = None
    if c is not None:
        verification = {"provider": f"certification body {c.body}", "completed_at":
                        dt.datetime(c.issued_on.year, c.issued_on.month, c.issued_on.day, tzinfo=dt.UTC)
                        .strftime("%Y-%m-%dT%H:%M:%SZ"), "standard": "ISO 14067:2018 / GB/T 24067-2024",
                        "comments": f"carbon-footprint label certificate {c.number}, valid to {c.valid_to}"}
    newer = s.execute(select(FootprintRecord.id).where(FootprintRecord.replaces_id == r.id)).first()
    preceding = []
    if r.replaces_id:
        old = s.get(FootprintRecord, r.replaces_id)
        preceding = [old.pf_id] if old else []
    uptake = float(res.get("by_flow", {}).get("CO2_biogenic_uptake", 0.0))
    fp = Footprint(pf_id=r.pf_id, created=r.created_at if r.created_at.tzinfo else r.created_at.replace(tzinfo=dt.UTC),
                   company_name=e.name, uscc=e.uscc, product=r.product, product_name=r.product_name,
                   declared_unit=r.declared_unit, total_kgco2e=r.total_kgco2e, fossil_kgco2e=r.fossil_kgco2e,
                   biogenic_kgco2e=r.biogenic_kgco2e, reference_year=r.reference_year,
                   gwp=str(res.get("gwp", {}).get("set", "AR6")), primary_data_share=dq.get("primary_data_share"),
                   dqi=dq if all(k in dq for k in ("technological", "geographical", "temporal")) else None,
                   database=r.database_version, model=r.model_digest, biogenic_uptake_kgco2e=uptake,
                   status="Deprecated" if newer else "Active", preceding=tuple(preceding), verification=verification,
                   allocation=f"{res.get('allocation', '')} allocation (ISO 14067:2018 6.4.6)")
    return to_pact(fp)


def pact_document(reg: Registry, actor: Actor, pf_id: str) -> dict[str, Any]:
    """The record as a PACT 3.0 ProductFootprint, for its owner, the administrator or a customer it was
    shared with."""
    with reg.session() as s:
        r = _record(s, pf_id)
        if not (_own(actor, r.enterprise_id) or _shared_with(s, actor, r.id)):
            raise NotFoundError(f"footprint {pf_id}")
        return _pact(s, r)


def shared_pact(reg: Registry, actor: Actor) -> list[dict[str, Any]]:
    """Every footprint shared with the user's enterprises (the PACT ListFootprints answer)."""
    with reg.session() as s:
        ids = s.execute(select(FootprintRequest.footprint_id).where(
            FootprintRequest.status == "shared",
            FootprintRequest.requester_id.in_(actor.enterprise_ids if actor.role == "enterprise" else ()))
            .distinct()).scalars().all()
        rows = s.execute(select(FootprintRecord).where(FootprintRecord.id.in_([i for i in ids if i]))
                         .order_by(FootprintRecord.id)).scalars().all()
        return [_pact(s, r) for r in rows]


def import_pact(reg: Registry, actor: Actor, uscc: str, doc: Any, where: str = "PACT document") -> dict[str, Any]:
    """Hold a supplier's ProductFootprint received outside the platform, for enterprise `uscc` to use in its
    models (provider ``pcf:<id>``); refused unless it conforms to PACT 3.0."""
    got: Imported = from_pact(doc, where)
    with reg.session(write=True) as s:
        e = _writable(s, actor, uscc)
        if s.execute(select(FootprintRecord.id).where(FootprintRecord.pf_id == got.pf_id.lower())).first():
            raise StateError(f"footprint {got.pf_id} is already held (a new version has a new id)")
        result = {"product": got.product, "declared_unit": got.declared_unit, "total_kgco2e": got.total_kgco2e,
                  "supplier": got.company_name, "company_ids": list(got.company_ids), "pact": doc,
                  "data_quality": {"primary_data_share": got.primary_data_share}}
        r = FootprintRecord(pf_id=got.pf_id.lower(), enterprise_id=e.id, product=got.product,
                            product_name=got.product_name, declared_unit=got.declared_unit,
                            total_kgco2e=got.total_kgco2e, fossil_kgco2e=got.fossil_kgco2e,
                            biogenic_kgco2e=got.total_kgco2e - got.fossil_kgco2e, reference_year=got.reference_year,
                            model_digest=f"PACT {doc['specVersion']} from {got.company_name}"[:200],
                            database_version="supplier-declared", origin="pact-import",
                            result=json.dumps(result, ensure_ascii=False), created_by=actor.username)
        s.add(r)
        s.flush()
        audit.record(s, actor.username, "footprint.import", f"footprint:{r.pf_id}",
                     {"uscc": e.uscc, "supplier": got.company_name, "product": got.product,
                      "total_kgco2e": got.total_kgco2e})
        return _record_view(s, r, whole=False)


# -- supplier footprints in models ------------------------------------------------------------------

def supplier_datasets(reg: Registry, uscc: str) -> list[Dataset]:
    """The footprints enterprise `uscc` may build on, as background datasets of one declared unit each:
    ``supplier:<USCC>:<product>`` (the newest a supplier shared with it) and ``pcf:<id>`` (every shared or
    imported one). A certified footprint is ``confirmed``; any other ``to-verify``."""
    with reg.session() as s:
        me = enterprise(s, uscc)
        shared = s.execute(select(FootprintRecord).join(
            FootprintRequest, FootprintRequest.footprint_id == FootprintRecord.id).where(
            FootprintRequest.requester_id == me.id, FootprintRequest.status == "shared")
            .order_by(FootprintRecord.id)).scalars().all()
        imported = s.execute(select(FootprintRecord).where(FootprintRecord.enterprise_id == me.id,
                                                           FootprintRecord.origin == "pact-import")).scalars().all()
        out: dict[str, Dataset] = {}
        for r in [*shared, *imported]:
            e = s.get(Enterprise, r.enterprise_id)
            assert e is not None
            c = _valid_certificate(s, r.id)
            src = (f"PCF {r.pf_id} of {e.uscc if r.origin == 'computed' else 'a supplier (PACT import)'}, "
                   f"{r.model_digest}" + (f", certificate {c.number}" if c else ""))
            share = json.loads(r.result).get("data_quality", {}).get("primary_data_share")
            ds = Dataset(f"pcf:{r.pf_id}", r.product_name, r.declared_unit, {"CO2e_aggregated": r.total_kgco2e},
                         (src,), "confirmed" if c else "to-verify", "supplier", float(share or 0.0))
            out[ds.id] = ds
            if r.origin == "computed":
                key = f"supplier:{e.uscc}:{r.product}"
                out[key] = dataclasses.replace(ds, id=key)
        return list(out.values())


def with_suppliers(bg: Background, datasets: list[Dataset]) -> Background:
    """`bg` plus the supplier datasets; the database version names them (their ids and values)."""
    if not datasets:
        return bg
    import hashlib

    key = "|".join(f"{d.id}={d.flows['CO2e_aggregated']!r}" for d in sorted(datasets, key=lambda d: d.id))
    digest = hashlib.sha256(key.encode()).hexdigest()[:8]
    return Background({**bg.datasets, **{d.id: d for d in datasets}}, f"{bg.version}+suppliers@{digest}", bg.rows)
