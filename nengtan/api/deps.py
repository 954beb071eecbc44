"""Request dependencies: the services, the current user, and enterprise scoping.

Every endpoint that touches enterprise data gets the enterprise through :func:`readable_enterprise`,
:func:`writable_enterprise` or :func:`check_scope`; those three are the only places that decide who
may see what, so the isolation rule lives in one place (tests/api/test_isolation.py checks every route).

Rules
-----
* ``admin`` (park administrator): every enterprise, park and sector scopes, user administration.
* ``enterprise``: only the enterprises bound to the user (``user_enterprise``), read and write.
* ``verifier``: only the enterprises bound to the user, read; comment and sign-off; no data writes.
* ``public``: nothing but published figures (``/api/public``).
* ``cert_auditor`` / ``cert_decider``: a certification body's people: the applications made to their body
  and the footprints those applications name (nengtan.engine.certification holds that rule).

An enterprise a user may not see answers 404 exactly like one that does not exist, so a user cannot
even learn which credit codes are registered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, Path, Query, Request
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from nengtan.api.auth import read_token
from nengtan.api.errors import ApiError, forbidden, not_found
from nengtan.api.services import MISS, Services
from nengtan.api.settings import Settings
from nengtan.engine.stores import Stores
from nengtan.registry.tables.access import User, UserEnterprise
from nengtan.registry.tables.park import Enterprise

T = TypeVar("T")
TOKEN_COOKIE = "nengtan_token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Principal:
    """The authenticated user of a request."""

    id: int
    username: str
    role: str
    enterprise_ids: frozenset[int]
    org: str | None = None  # a certification body's users: its code
    place: str | None = None  # staff scoped to a park or region (nengtan.engine.places); None: the installation
    place_ids: frozenset[int] = frozenset()  # the enterprises of that place

    @property
    def is_admin(self) -> bool:
        """A park administrator of the whole installation (staff scoped to a place are not)."""
        return self.role == "admin" and self.place is None

    @property
    def is_staff(self) -> bool:
        """Park, city or province staff: an administrator, of the installation or of one place."""
        return self.role == "admin"


@dataclass(frozen=True)
class EnterpriseRef:
    id: int
    uscc: str
    name: str
    sector_code: str


async def services(request: Request) -> Services:
    svc: Services = request.app.state.services
    return svc


ServicesDep = Annotated[Services, Depends(services)]


LOGIN_FIRST = "log in first: send 'Authorization: Bearer <token>' from POST /api/auth/token"


def token_from(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    # The cookie is honoured for safe methods only: a write always needs the Authorization header,
    # which another site cannot make a browser send (no CSRF through the cookie).
    if request.method in SAFE_METHODS:
        return request.cookies.get(TOKEN_COOKIE)
    return None


def load_principal(svc: Services, username: str, issued_at: dt.datetime | None = None) -> Principal | None:
    """The active user ``username`` with its bound enterprises, from the registry (None if unknown,
    disabled, or the token was issued before the user's sessions were ended by a password change)."""
    with svc.registry.session() as s:
        user = s.execute(select(User).where(User.username == username)).scalar()
        if user is None or not user.active:
            return None
        cut = user.sessions_valid_from
        if cut is not None:
            cut = cut if cut.tzinfo else cut.replace(tzinfo=dt.UTC)
            if issued_at is None or issued_at < cut:
                return None
        ids = s.execute(select(UserEnterprise.enterprise_id).where(UserEnterprise.user_id == user.id)).scalars()
        place, role, org = user.place, user.role, user.org
        principal = Principal(user.id, user.username, role, frozenset(ids), org)
    if place and role == "admin":
        from nengtan.engine.places import place_enterprise_ids

        return Principal(principal.id, principal.username, role, principal.enterprise_ids, org, place,
                         place_enterprise_ids(svc.registry, place))
    return principal


async def optional_user(request: Request, svc: ServicesDep) -> Principal | None:
    """The request's user. Answers from the principal cache when it can (no I/O on the event loop);
    otherwise checks the token and reads the user in the thread pool, and caches the answer (also a
    refusal) for ``auth_cache_seconds``, never beyond the token's expiry."""
    token = token_from(request)
    if not token:
        return None
    cached = svc.principals.get(token)
    if cached is not MISS:
        return cached  # type: ignore[no-any-return]
    claims = read_token(token, svc.settings.secret_key)
    if claims is None:
        return None
    principal = await run_in_threadpool(load_principal, svc, claims.username, claims.issued_at)
    svc.principals.put(token, principal, (claims.expires_at - dt.datetime.now(dt.UTC)).total_seconds())
    return principal


async def current_user(principal: Annotated[Principal | None, Depends(optional_user)]) -> Principal:
    if principal is None:
        raise ApiError(401, LOGIN_FIRST, "unauthorized", headers={"WWW-Authenticate": "Bearer"})
    return principal


UserDep = Annotated[Principal, Depends(current_user)]


async def require_admin(user: UserDep) -> Principal:
    if user.is_staff and not user.is_admin:
        raise forbidden(f"this covers the whole installation; your account sees {user.place} only")
    if not user.is_admin:
        raise forbidden("only a park administrator may do this")
    return user


AdminDep = Annotated[Principal, Depends(require_admin)]


async def require_staff(user: UserDep) -> Principal:
    if not user.is_staff:
        raise forbidden("only a park administrator (or city or province staff) may do this")
    return user


StaffDep = Annotated[Principal, Depends(require_staff)]
PlaceQuery = Annotated[str | None, Query(max_length=60, description="park:<code> or region:<code> (default: your "
                                         "place, or the whole installation)")]


def staff_stores(svc: Services, user: Principal, place: str | None) -> StaffView:
    """The stores a staff member sees at ``place`` (nengtan.engine.places): their own place by default; a place
    outside it is refused, an unknown one is not found."""
    from nengtan.engine.places import at_place, normalise_place, within
    from nengtan.errors import InputError, NotFoundError

    try:
        wanted = normalise_place(place or user.place)
        if user.place and not within(svc.registry, wanted, user.place):
            raise forbidden(f"{wanted} is outside your place ({user.place})")
        return at_place(svc, wanted)  # type: ignore[return-value]  # a placed view of the service's stores
    except NotFoundError as exc:
        raise not_found(str(exc).removeprefix("not found: ")) from None
    except InputError as exc:
        raise ApiError(422, str(exc), "validation-error") from None


class StaffView(Stores, Protocol):
    """What a place-aware endpoint works over: the service's stores or a placed view of them."""

    @property
    def settings(self) -> Settings: ...

    async def acached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T: ...


async def placed_stores(svc: ServicesDep, user: StaffDep, place: PlaceQuery = None) -> StaffView:
    if place is None and user.place is None:
        return svc  # the installation (no registry read on the cockpit's hot path)
    return await run_in_threadpool(staff_stores, svc, user, place)


PlacedDep = Annotated[StaffView, Depends(placed_stores)]


async def require_verifier(user: UserDep) -> Principal:
    if user.role != "verifier":
        raise forbidden("only a verifier may do this")
    return user


VerifierDep = Annotated[Principal, Depends(require_verifier)]


def may_read(user: Principal, enterprise_id: int) -> bool:
    """The single rule for reading an enterprise's data."""
    if user.is_admin or (user.is_staff and enterprise_id in user.place_ids):
        return True
    return user.role in ("enterprise", "verifier") and enterprise_id in user.enterprise_ids


def may_write(user: Principal, enterprise_id: int) -> bool:
    """The single rule for changing an enterprise's data (verifiers and the public never do)."""
    if user.is_admin or (user.is_staff and enterprise_id in user.place_ids):
        return True
    return user.role == "enterprise" and enterprise_id in user.enterprise_ids


def lookup_enterprise(svc: Services, uscc: str) -> EnterpriseRef | None:
    with svc.registry.session() as s:
        e = s.execute(select(Enterprise).where(Enterprise.uscc == uscc.strip().upper())).scalar()
        return EnterpriseRef(e.id, e.uscc, e.name, e.sector_code) if e else None


def enterprise_for(svc: Services, user: Principal, uscc: str, write: bool = False) -> EnterpriseRef:
    ent = lookup_enterprise(svc, uscc)
    if ent is None or not may_read(user, ent.id):
        raise not_found(f"enterprise {uscc}")
    if write and not may_write(user, ent.id):
        raise forbidden(f"your role ({user.role}) may not change the data of enterprise {uscc}")
    return ent


UsccPath = Annotated[str, Path(min_length=1, max_length=40, description="统一社会信用代码 (18 characters)")]


def readable_enterprise(uscc: UsccPath, user: UserDep, svc: ServicesDep) -> EnterpriseRef:
    return enterprise_for(svc, user, uscc)


def writable_enterprise(uscc: UsccPath, user: UserDep, svc: ServicesDep) -> EnterpriseRef:
    return enterprise_for(svc, user, uscc, write=True)


ReadableEnterprise = Annotated[EnterpriseRef, Depends(readable_enterprise)]
WritableEnterprise = Annotated[EnterpriseRef, Depends(writable_enterprise)]


def check_scope(svc: Services, user: Principal, scope: str) -> str:
    """Validate an accounting scope (``park``, ``park:<code>``, ``region:<code>``, ``sector:<code>``,
    ``enterprise:<uscc>``) for the user."""
    scope = scope.strip()
    if scope == "park" or scope.startswith(("sector:", "park:", "region:")):
        if not user.is_staff:
            raise forbidden(f"scope {scope!r} needs a park administrator; use enterprise:<uscc>")
        kind, _, value = scope.partition(":")
        if (kind != "park" and not value) or (kind == "park" and scope != "park" and not value):
            raise ApiError(422, f"scope '{kind}:' needs a code, e.g. sector:C26 or region:320115", "validation-error")
        if user.place and kind in ("park", "region") and scope != "park":
            from nengtan.engine.places import within

            if not within(svc.registry, scope, user.place):
                raise forbidden(f"{scope} is outside your place ({user.place})")
        return scope
    if scope.startswith("enterprise:"):
        ent = enterprise_for(svc, user, scope[len("enterprise:"):])
        return f"enterprise:{ent.uscc}"
    raise ApiError(422, f"scope {scope!r} is not one of park, park:<code>, region:<code>, sector:<code>, "
                   "enterprise:<uscc>", "validation-error")
