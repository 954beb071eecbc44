"""Demo-mode accounts (``nengtan serve --demo`` only; a normal server has no default password)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from nengtan.api.users import add_user
from nengtan.demo import DEMO_PARK_CODE
from nengtan.demo_chain import AUDITOR_USER, BODY, DECIDER_USER, LEADER_USER, SUPPLIER_USERS, pv_chain
from nengtan.demo_regions import CITY_STAFF, SECOND_PARK
from nengtan.errors import StateError
from nengtan.registry.store import Registry
from nengtan.registry.tables.access import User
from nengtan.registry.tables.park import Enterprise, Park, Region

DEMO_PARKS = (DEMO_PARK_CODE, SECOND_PARK[0])


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    enterprises: tuple[str, ...]
    org: str | None = None
    place: str | None = None


def ensure_demo_users(reg: Registry) -> list[DemoAccount]:
    """Create (once) a park administrator, two enterprise users (A, B), a verifier and a public user; city staff
    of Nanjing and Yancheng where the demo's regions are held (nengtan.demo_regions); and,
    where the park has its PV chain (nengtan.demo_chain), the chain leader's and its three suppliers' users
    and the demo certification body's auditor and decision maker.

    Refused in a home that holds enterprises of any park but the demo's: accounts with published
    passwords must never be bound to real enterprises."""
    with reg.session() as s:
        real = s.execute(select(Park.code, func.count(Enterprise.id)).join(Enterprise, Enterprise.park_id == Park.id)
                         .where(Park.code.not_in(DEMO_PARKS)).group_by(Park.code)).first()
        if real is not None:
            raise StateError(f"this home holds {real[1]} enterprises of park {real[0]!r}, not only the demo park: "
                             "demo accounts with known passwords are not created here; use an empty home for --demo")
        ents = s.execute(select(Enterprise.uscc).order_by(Enterprise.id).limit(2)).scalars().all()
        cities = set(s.execute(select(Region.code)).scalars())
    if len(ents) < 2:
        raise RuntimeError("the demo park needs at least two enterprises")
    accounts = [
        DemoAccount("admin", "demo-admin-pass", "admin", ()),
        DemoAccount("enterprise-a", "demo-enterprise-a", "enterprise", (ents[0],)),
        DemoAccount("enterprise-b", "demo-enterprise-b", "enterprise", (ents[1],)),
        DemoAccount("verifier", "demo-verifier-pass", "verifier", (ents[0],)),
        DemoAccount("public", "demo-public-pass", "public", ()),
    ]
    accounts += [DemoAccount(u, f"demo-{u}-pass", "admin", (), place=p) for u, p in CITY_STAFF
                 if p.removeprefix("region:") in cities]
    chain = pv_chain(reg)
    if chain is not None:
        accounts += [
            DemoAccount(LEADER_USER, "demo-pv-leader", "enterprise", (chain.leader,)),
            *(DemoAccount(u, f"demo-{u}", "enterprise", (e,)) for u, e in zip(SUPPLIER_USERS, chain.suppliers,
                                                                               strict=True)),
            DemoAccount(AUDITOR_USER, "demo-cert-auditor", "cert_auditor", (), BODY),
            DemoAccount(DECIDER_USER, "demo-cert-decider", "cert_decider", (), BODY),
        ]
    with reg.session() as s:
        for a in accounts:
            if s.execute(select(User).where(User.username == a.username)).scalar() is None:
                add_user(s, "demo", a.username, a.password, a.role, a.enterprises, org=a.org, place=a.place)
    return accounts
