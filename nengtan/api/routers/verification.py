"""Third-party verification (核查): read an enterprise-year, comment, sign off (locks the year)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from sqlalchemy import select

from nengtan.api.deps import ReadableEnterprise, ServicesDep, UserDep
from nengtan.api.errors import ApiError, forbidden
from nengtan.api.schemas import CommentCreate, SignOff
from nengtan.engine import cockpit as figures
from nengtan.engine import verification as verified
from nengtan.registry import audit
from nengtan.registry.tables.verification import VerifierComment

router = APIRouter(prefix="/api/enterprises/{uscc}/years/{year}", tags=["verification"])
YearPath = Annotated[int, Path(ge=1990, le=2100)]


def _status(svc: ServicesDep, enterprise_id: int, uscc: str, year: int) -> dict[str, Any]:
    with svc.registry.session() as s:
        comments = [{"author": c.author, "text": c.text, "at": c.created_at.isoformat()}
                    for c in s.execute(select(VerifierComment).where(
                        VerifierComment.enterprise_id == enterprise_id, VerifierComment.year == year)
                        .order_by(VerifierComment.id)).scalars()]
    return {**verified.year_status(svc, enterprise_id, uscc, year), "comments": comments}


@router.get("/verification")
def verification(ent: ReadableEnterprise, year: YearPath, svc: ServicesDep) -> dict[str, Any]:
    """The enterprise-year as the verifier reviews it: inventory, lock state, the signed figures beside
    the current ones with the difference and the corrections since, and comments."""
    return {"uscc": ent.uscc, "year": year, **_status(svc, ent.id, ent.uscc, year),
            "inventory": figures.inventory_dict(svc, year, f"enterprise:{ent.uscc}")}


@router.post("/comments", status_code=201)
def comment(ent: ReadableEnterprise, year: YearPath, body: CommentCreate, user: UserDep,
            svc: ServicesDep) -> dict[str, Any]:
    """A verifier's comment on the enterprise-year."""
    if user.role != "verifier":
        raise forbidden("only a verifier comments on an enterprise-year")
    with svc.registry.session() as s:
        s.add(VerifierComment(enterprise_id=ent.id, year=year, author=user.username, text=body.text))
        audit.record(s, user.username, "verification.comment", f"enterprise:{ent.uscc}:{year}",
                     {"text": body.text})
    return _status(svc, ent.id, ent.uscc, year)


@router.post("/signoff", status_code=201)
def signoff(ent: ReadableEnterprise, year: YearPath, body: SignOff, user: UserDep,
            svc: ServicesDep) -> dict[str, Any]:
    """Sign the enterprise-year off: it is locked; later corrections need a reason and make a new version."""
    if user.role != "verifier":
        raise forbidden("only a verifier signs an enterprise-year off")
    existing = verified.lock_of(svc, ent.id, year)
    if existing is not None:
        raise ApiError(409, f"{ent.uscc} {year} is already signed off by {existing.locked_by}", "conflict")
    lock, inv = verified.new_lock(svc, ent.id, ent.uscc, year, user.username, body.statement)
    with svc.registry.session() as s:
        s.add(lock)
        audit.record(s, user.username, "verification.signoff", f"enterprise:{ent.uscc}:{year}",
                     {"statement": body.statement, "co2_t": inv.get("co2_t"),
                      "energy_tce": inv.get("energy_tce"), "data_version": inv.get("data_version")})
    svc.invalidate()
    return _status(svc, ent.id, ent.uscc, year)
