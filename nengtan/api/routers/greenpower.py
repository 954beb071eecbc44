"""Green power over HTTP (issue 11): holdings, contracts, claims, the order book, the ledger's signed head and
proofs, the traced park grid and an enterprise's green-power statement. Every figure is the engine's
(nengtan.engine.greenassets, greenledger, greenpower); an enterprise user sees its own holdings, orders, claims and
proofs and the public book, never another's positions (the engine answers 404 for them)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field
from starlette.background import BackgroundTask

from nengtan.api.deps import AdminDep, ServicesDep, UserDep
from nengtan.api.routers.footprints import actor
from nengtan.engine import greenassets, greengrid, greenledger, greenpower, greenstatement
from nengtan.engine.certification import last_year
from nengtan.errors import NoDataError

router = APIRouter(prefix="/api/greenpower", tags=["green power"])
Year = Annotated[int | None, Query(ge=2000, le=2100)]
Id = Annotated[int, PathParam(ge=0, le=2**31 - 1)]


class ClaimCreate(BaseModel):
    uscc: str = Field(min_length=1, max_length=40)
    period: str = Field(pattern=r"^\d{4}-\d{2}$", description="The month consumed, YYYY-MM")
    mwh: int = Field(ge=1, le=10_000_000)
    contract: str | None = Field(default=None, max_length=60)


class OrderCreate(BaseModel):
    owner: str = Field(min_length=1, max_length=40)
    side: str = Field(pattern="^(buy|sell)$")
    product: str = Field(pattern="^(gec|green_power|ccer|cea:[0-9]{4})$",
                         description="gec, green_power, ccer, or cea:<year> (allowances of a compliance year)")
    price: float = Field(gt=0, le=100_000, description="CNY/MWh (CNY/t for ccer and cea)")
    mwh: int = Field(ge=1, le=10_000_000, description="MWh (t for ccer and cea)")
    holding: int | None = Field(default=None, description="A sell: the GEC holding or the CCER lot offered")


@router.get("/holdings")
def holdings(user: UserDep, svc: ServicesDep, owner: str | None = None, status: str | None = None) -> dict[str, Any]:
    return {"items": greenassets.holdings(svc.registry, actor(user), owner, status)}


@router.get("/stock")
def stock(user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """MWh of GECs by status and those expiring within 90 days (the cockpit's and the portal's panel)."""
    return greenassets.stock(svc.registry, actor(user))


@router.get("/contracts")
def contracts(user: UserDep, svc: ServicesDep, uscc: str | None = None, year: Year = None) -> dict[str, Any]:
    return {"items": greenassets.contracts(svc.registry, actor(user), uscc, year)}


@router.get("/claims")
def claims(user: UserDep, svc: ServicesDep, uscc: str | None = None, year: Year = None) -> dict[str, Any]:
    return {"items": greenassets.claims(svc.registry, actor(user), uscc, year)}


@router.post("/claims", status_code=201)
def make_claim(body: ClaimCreate, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    out = greenassets.claim(svc.registry, actor(user), body.uscc, body.period, body.mwh, body.contract)
    svc.invalidate()
    return out


@router.get("/book")
def book(user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """The public book: price levels and the last trades, no owners and no order ids."""
    del user
    return greenassets.book(svc.registry)


@router.get("/orders")
def orders(user: UserDep, svc: ServicesDep, owner: str | None = None) -> dict[str, Any]:
    return {"items": greenassets.orders(svc.registry, actor(user), owner)}


@router.post("/orders", status_code=201)
def place_order(body: OrderCreate, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    return greenassets.place_order(svc.registry, actor(user), body.owner, body.side, body.product, body.price,
                                   body.mwh, body.holding)


@router.delete("/orders/{order_id}", status_code=204)
def cancel_order(order_id: Id, user: UserDep, svc: ServicesDep) -> None:
    greenassets.cancel_order(svc.registry, actor(user), order_id)


@router.get("/trades")
def trades(user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    return {"items": greenassets.trades_of(svc.registry, actor(user))}


@router.get("/ledger/head")
def ledger_head(user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """The ledger's current signed tree head (size, Merkle root, Ed25519 signature and public key)."""
    import json

    del user
    with svc.registry.session() as s:
        return dict(json.loads(greenledger.head(s, greenledger.signing_key(svc.settings.paths.home)).to_json()))


@router.get("/ledger/proof/{seq}")
def ledger_proof(seq: Id, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """An entry, its inclusion proof and a signed head (an enterprise user: its own entries only)."""
    a = actor(user)
    visible: set[str] | None = None
    if not a.is_admin:  # a user bound to enterprises (an enterprise's, or its verifier) gets their entries' proofs
        from sqlalchemy import select

        from nengtan.registry.tables.park import Enterprise

        with svc.registry.session() as s:
            visible = set(s.execute(select(Enterprise.uscc).where(Enterprise.id.in_(a.enterprise_ids))).scalars())
    return greenledger.proof(svc.registry, seq, greenledger.signing_key(svc.settings.paths.home), visible)


@router.get("/grid")
def grid(user: AdminDep, svc: ServicesDep) -> dict[str, Any]:
    """The park grid traced (the cockpit's map, for the park's staff: it names every enterprise's load): each
    bus's mean nodal intensity and green share, each branch's mean flow, each load's carbon and traced green power
    over the network's intervals."""
    del user
    folder = greengrid.park_network(svc.settings.paths)
    if not folder.is_dir():
        raise NoDataError("the park has no distribution network on the platform")
    return svc.cached(("greenpower-grid", str(folder)), lambda: greengrid.grid_summary(folder))


GridShare = Annotated[float, Query(ge=0, le=1, description="The grid's carbon-free share, every hour")]


@router.get("/cfe")
def park_cfe(user: AdminDep, svc: ServicesDep, year: Year = None, grid_share: GridShare = 0.0) -> dict[str, Any]:
    """24/7 matching of the park's metered load of `year` (default: last year) with the supply held on the
    platform, with granular certificates."""
    del user
    year = year or last_year()
    return _or_none(year, lambda: svc.cached(("greenpower-cfe", "park", year, grid_share),
                                             lambda: greenpower.cfe_platform(svc, year, None, None, grid_share)))


@router.get("/cfe/{uscc}")
def enterprise_cfe(uscc: str, user: UserDep, svc: ServicesDep, year: Year = None,
                   grid_share: GridShare = 0.0) -> dict[str, Any]:
    """24/7 matching of the enterprise's metered load of `year` (default: last year) with its contracts and on-site
    PV (its own users and the park's staff only)."""
    code = uscc.strip().upper()
    year = year or last_year()
    with svc.registry.session() as s:
        greenassets.may_act_for(s, actor(user), code)
    return _or_none(year, lambda: svc.cached(("greenpower-cfe", code, year, grid_share),
                                             lambda: greenpower.cfe_platform(svc, year, code, None, grid_share)))


def _or_none(year: int, compute: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The CFE matching, or — for a year whose meters hold no readings — ``available`` false with the reason (a year
    without 15-minute data is an answer, not a missing resource)."""
    try:
        return {"available": True, **compute()}
    except NoDataError as exc:
        return {"year": year, "available": False, "note": str(exc)}


@router.get("/statement/{uscc}")
def statement(uscc: str, user: UserDep, svc: ServicesDep, year: Year = None,
              format: Annotated[str, Query(pattern="^(json|xlsx|pdf)$")] = "json") -> Any:
    """The enterprise's green-power statement of `year` (default: last year): figures, contracts, claims with their
    GECs, traced green power and the inclusion proof of every claim and attribution under one signed head."""
    year = year or last_year()
    data = greenstatement.statement(svc, svc.settings.paths.home, actor(user), uscc, year)
    if format == "json":
        return data
    from nengtan.reports.greenpower_statement import write_statement

    tmp = Path(tempfile.mkdtemp(prefix="nengtan-stmt-"))
    out = write_statement(data, tmp / f"greenpower-statement-{data['enterprise']['uscc']}-{year}.{format}")
    return FileResponse(out, filename=out.name, background=BackgroundTask(_remove, tmp))


def _remove(folder: Path) -> None:
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
