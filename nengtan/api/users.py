"""User administration shared by the API (``/api/users``) and the CLI (``nengtan users ...``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from nengtan.api.auth import hash_password
from nengtan.registry import audit
from nengtan.registry.tables.access import CERT_ROLES, ROLES, User, UserEnterprise
from nengtan.registry.tables.park import Enterprise


class UserError(ValueError):
    """A user request that cannot be done (unknown role, unknown enterprise, duplicate name)."""


@dataclass(frozen=True)
class UserView:
    username: str
    display_name: str
    role: str
    active: bool
    enterprises: list[str]
    place: str | None = None


def _enterprise_ids(s: Session, usccs: Iterable[str]) -> list[int]:
    ids = []
    for code in usccs:
        e = s.execute(select(Enterprise).where(Enterprise.uscc == code.strip().upper())).scalar()
        if e is None:
            raise UserError(f"enterprise {code} is not in the registry")
        ids.append(e.id)
    return ids


def view(s: Session, user: User) -> UserView:
    codes = s.execute(
        select(Enterprise.uscc).join(UserEnterprise, UserEnterprise.enterprise_id == Enterprise.id)
        .where(UserEnterprise.user_id == user.id).order_by(Enterprise.uscc)
    ).scalars().all()
    return UserView(user.username, user.display_name, user.role, user.active, list(codes), user.place)


def _place(s: Session, role: str, place: str | None) -> str | None:
    """A staff member's place, checked: only an admin has one, and it must be a held park or region."""
    from nengtan.engine.places import WHOLE, normalise_place
    from nengtan.errors import InputError
    from nengtan.registry.tables.park import Park, Region

    if not (place or "").strip():
        return None
    if role != "admin":
        raise UserError("only an admin (park, city or province staff) has a place")
    try:
        p = normalise_place(place)
    except InputError as exc:
        raise UserError(str(exc)) from None
    if p == WHOLE:
        return None
    kind, _, code = p.partition(":")
    table = Park if kind == "park" else Region
    if s.execute(select(table).where(table.code == code)).scalar() is None:
        raise UserError(f"{kind} {code} is not in the registry")
    return p


def add_user(s: Session, actor: str, username: str, password: str, role: str,
             enterprises: Iterable[str] = (), display_name: str = "", org: str | None = None,
             place: str | None = None) -> UserView:
    """Create a user. ``place`` (``park:<code>`` or ``region:<code>``) scopes an admin to a park or region: city or
    province staff see only its enterprises and figures (nengtan.engine.places)."""
    username = username.strip()
    if not username or len(username) > 100:
        raise UserError("username must have 1-100 characters")
    if role not in ROLES:
        raise UserError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if s.execute(select(User).where(User.username == username)).scalar() is not None:
        raise UserError(f"user {username!r} already exists")
    codes = list(enterprises)
    if role == "enterprise" and not codes:
        raise UserError("an enterprise user needs at least one enterprise (--enterprise <uscc>)")
    if role in ("admin", "public") and codes:
        raise UserError(f"a {role} user is not bound to enterprises")
    org = (org or "").strip().upper() or None
    if role in CERT_ROLES and not org:
        raise UserError(f"a {role} user works for a certification body: give its code (--org)")
    if role in CERT_ROLES and codes:
        raise UserError(f"a {role} user is not bound to enterprises (it sees the applications made to its body)")
    if role not in CERT_ROLES and org:
        raise UserError(f"only certification body users ({', '.join(CERT_ROLES)}) have an organisation")
    place = _place(s, role, place)
    ids = _enterprise_ids(s, codes)
    user = User(username=username, display_name=display_name or username, role=role,
                password_hash=hash_password(password), active=True, org=org, place=place)
    s.add(user)
    s.flush()
    for i in ids:
        s.add(UserEnterprise(user_id=user.id, enterprise_id=i))
    s.flush()
    audit.record(s, actor, "user.create", f"user:{username}", {"role": role, "enterprises": codes, "org": org,
                                                                  "place": place})
    return view(s, user)


def update_user(s: Session, actor: str, username: str, *, password: str | None = None,
                active: bool | None = None, enterprises: list[str] | None = None,
                display_name: str | None = None) -> UserView:
    user = s.execute(select(User).where(User.username == username)).scalar()
    if user is None:
        raise UserError(f"user {username!r} does not exist")
    changed: dict[str, object] = {}
    if password is not None:
        user.password_hash = hash_password(password)
        # every open session ends: tokens issued before this second are void (JWT iat has whole seconds)
        user.sessions_valid_from = dt.datetime.now(dt.UTC).replace(microsecond=0)
        changed["password"] = "changed; open sessions ended"
    if active is not None:
        user.active = active
        changed["active"] = active
    if display_name is not None:
        user.display_name = display_name
        changed["display_name"] = display_name
    if enterprises is not None:
        if user.role in ("admin", "public", *CERT_ROLES) and enterprises:
            raise UserError(f"a {user.role} user is not bound to enterprises")
        ids = _enterprise_ids(s, enterprises)
        s.execute(delete(UserEnterprise).where(UserEnterprise.user_id == user.id))
        for i in ids:
            s.add(UserEnterprise(user_id=user.id, enterprise_id=i))
        changed["enterprises"] = enterprises
    s.flush()
    audit.record(s, actor, "user.update", f"user:{username}", changed)
    return view(s, user)


def list_users(s: Session) -> list[UserView]:
    return [view(s, u) for u in s.execute(select(User).order_by(User.username)).scalars()]
