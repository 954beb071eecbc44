"""User administration and the audit log (park administrator only)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from sqlalchemy import func, select

from nengtan.api.auth import WeakPasswordError
from nengtan.api.deps import AdminDep, ServicesDep
from nengtan.api.errors import bad_request, not_found
from nengtan.api.schemas import PagingDep, UserCreate, UserUpdate
from nengtan.api.users import UserError, add_user, list_users, update_user
from nengtan.errors import InputError, NotFoundError
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.registry.tables.access import AuditEntry

router = APIRouter(prefix="/api", tags=["administration"])
Username = Annotated[str, Path(min_length=1, max_length=100)]


@router.get("/users")
def users(admin: AdminDep, svc: ServicesDep, paging: PagingDep) -> dict[str, Any]:
    """Every user with role, bound enterprises and the place they oversee (with its name)."""
    with svc.registry.session() as s:
        rows = [asdict(v) for v in list_users(s)]
    names: dict[str, str | None] = {}
    for r in rows:
        if r.get("place") and r["place"] not in names:
            names[r["place"]] = _place_name(svc.registry, r["place"])
        r["place_name"] = names.get(r.get("place") or "")
    return paging.page(rows)


def _place_name(reg: Registry, place: str) -> str | None:
    """The name of a user's place; None for one no longer in the registry (the id is shown alone)."""
    from nengtan.engine.places import place_info

    try:
        return place_info(reg, place).name
    except (NotFoundError, InputError):
        return None


@router.post("/users", status_code=201)
def create_user(body: UserCreate, admin: AdminDep, svc: ServicesDep) -> dict[str, Any]:
    """Create a user (enterprise users and verifiers are bound to enterprises by credit code)."""
    try:
        with svc.registry.session() as s:
            v = add_user(s, admin.username, body.username, body.password, body.role, body.enterprises,
                         body.display_name, place=body.place)
    except (UserError, WeakPasswordError) as exc:
        raise bad_request(str(exc)) from exc
    return asdict(v)


@router.patch("/users/{username}")
def change_user(username: Username, body: UserUpdate, admin: AdminDep, svc: ServicesDep) -> dict[str, Any]:
    """Reset a password, (de)activate, or rebind enterprises."""
    try:
        with svc.registry.session() as s:
            v = update_user(s, admin.username, username, password=body.password, active=body.active,
                            enterprises=body.enterprises, display_name=body.display_name)
        svc.principals.clear()  # this process refuses a disabled user at once (others within the TTL)
    except UserError as exc:
        if "does not exist" in str(exc):
            raise not_found(f"user {username}") from exc
        raise bad_request(str(exc)) from exc
    except WeakPasswordError as exc:
        raise bad_request(str(exc)) from exc
    return asdict(v)


@router.get("/audit")
def audit_log(admin: AdminDep, svc: ServicesDep, paging: PagingDep,
              actor: Annotated[str | None, Query(max_length=100)] = None,
              action: Annotated[str | None, Query(max_length=64)] = None) -> dict[str, Any]:
    """The audit log, newest first, with a check of its hash chain."""
    with svc.registry.session() as s:
        q = select(AuditEntry)
        cq = select(func.count(AuditEntry.id))
        if actor:
            q, cq = q.where(AuditEntry.actor == actor), cq.where(AuditEntry.actor == actor)
        if action:
            q, cq = q.where(AuditEntry.action == action), cq.where(AuditEntry.action == action)
        total = s.execute(cq).scalar() or 0
        rows = s.execute(q.order_by(AuditEntry.seq.desc()).limit(paging.limit).offset(paging.offset)).scalars()
        items = [{"seq": e.seq, "at": e.at.isoformat(), "actor": e.actor, "action": e.action,
                  "target": e.target, "detail": json.loads(e.detail), "hash": e.hash} for e in rows]
        chain = audit.verify(s)
    return {"total": total, "limit": paging.limit, "offset": paging.offset, "items": items,
            "chain": asdict(chain)}
