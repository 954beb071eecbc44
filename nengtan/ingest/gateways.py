"""Gateways, their tokens and the meters each may write.

A token is shown once when the gateway is created (or its token rotated) and stored only as its
SHA-256. A gateway writes only the meters assigned to it (HTTP: checked against its token; MQTT:
against the gateway named by the topic).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from sqlalchemy import select

from nengtan.errors import InputError
from nengtan.registry.store import Registry
from nengtan.registry.tables.monitoring import Gateway, GatewayMeter
from nengtan.registry.tables.park import Enterprise, Meter


class GatewayError(InputError):
    """A gateway, enterprise or meter that does not exist or does not fit."""


def new_token() -> str:
    return "ntg_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def add_gateway(registry: Registry, code: str, meters: Iterable[str], enterprise_uscc: str | None = None,
                token: str | None = None) -> str:
    """Create gateway `code` owning `meters` (meter codes); returns its token (shown only now)."""
    token = token or new_token()
    with registry.session() as s:
        if s.scalar(select(Gateway).where(Gateway.code == code)) is not None:
            raise GatewayError(f"gateway {code!r} exists already; use 'nengtan ingest gateway token' to rotate")
        ent_id = None
        if enterprise_uscc is not None:
            ent = s.scalar(select(Enterprise).where(Enterprise.uscc == enterprise_uscc))
            if ent is None:
                raise GatewayError(f"no enterprise with USCC {enterprise_uscc}; import enterprises first")
            ent_id = ent.id
        gw = Gateway(code=code, enterprise_id=ent_id, token_sha256=hash_token(token), active=True)
        s.add(gw)
        s.flush()
        _assign(s, gw, list(meters))
    return token


def _assign(s, gw: Gateway, codes: list[str]) -> None:  # type: ignore[no-untyped-def]
    if not codes:
        return
    found = {m.code: m for m in s.scalars(select(Meter).where(Meter.code.in_(codes)))}
    missing = [c for c in codes if c not in found]
    if missing:
        raise GatewayError(f"unknown meter {missing[0]!r} for gateway {gw.code}; register the meter first")
    have = set(s.scalars(select(GatewayMeter.meter_id).where(GatewayMeter.gateway_id == gw.id)))
    for c in dict.fromkeys(codes):
        if found[c].id not in have:
            s.add(GatewayMeter(gateway_id=gw.id, meter_id=found[c].id))


def assign_meters(registry: Registry, code: str, meters: Iterable[str]) -> None:
    with registry.session() as s:
        gw = s.scalar(select(Gateway).where(Gateway.code == code))
        if gw is None:
            raise GatewayError(f"no gateway {code!r}; create it with 'nengtan ingest gateway add'")
        _assign(s, gw, list(meters))


def rotate_token(registry: Registry, code: str) -> str:
    token = new_token()
    with registry.session() as s:
        gw = s.scalar(select(Gateway).where(Gateway.code == code))
        if gw is None:
            raise GatewayError(f"no gateway {code!r}")
        gw.token_sha256 = hash_token(token)
    return token


def gateways_by_enterprise(registry: Registry, prefix: str = "GW-") -> dict[str, list[str]]:
    """One gateway per enterprise for its meters (used by the simulator and the demo): code → meters."""
    out: dict[str, list[str]] = {}
    with registry.session() as s:
        rows = s.execute(select(Meter.code, Enterprise.uscc).join(Enterprise, Meter.enterprise_id == Enterprise.id)
                         .where(Meter.kind != "statement").order_by(Meter.code)).all()
    for code, uscc in rows:
        out.setdefault(f"{prefix}{uscc}", []).append(code)
    return out
