"""Green power as an asset held on the platform: GEC holdings, green-power contracts with their bundled GECs,
claims of consumption that cancel GECs, expiry and freezing, and the park's order book — every write recorded
in the green-power ledger (nengtan.engine.greenledger) and the audit log in the same transaction.

The rules are nengtan.greenpower.gec's (statuses, validity, tradability) and nengtan.greenpower.market's
(matching); this module holds the records. Double counting is prevented by construction: a contract's volume
*is* its bundled GECs (delivered to the buyer as traded GECs), a claim cancels the GECs behind it, and a cancelled
GEC can back no other claim (the claim part's unique holding id makes the database refuse a second one).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from nengtan.engine.certification import Actor, enterprise, require_staff, today
from nengtan.errors import InputError, NotFoundError, StateError
from nengtan.greenpower import gec
from nengtan.greenpower.market import Order, match, public_book
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.registry.tables.greenpower import (
    GecHolding,
    GreenClaim,
    GreenClaimPart,
    GreenContract,
    GreenOrder,
    GreenTrade,
)
from nengtan.registry.tables.park import Enterprise

from . import greenledger

SHAPES = ("flat", "solar", "wind")
GEC_PRODUCTS = ("gec", "green_power")
"""The board's products settled in GECs; the others (allowances, CCERs) are nengtan.engine.carbonassets'."""
CONTRACT_KINDS = ("green_trade", "ppa", "park_trade")


@dataclass
class ImportResult:
    landed: int = 0
    mwh: int = 0
    errors: list[str] = field(default_factory=list)

    def refuse(self, where: str, exc: Exception) -> None:
        """Report a refused row once with its place (messages that already start with it keep theirs)."""
        text = str(exc)
        self.errors.append(text if text.startswith(where) else f"{where}: {text}")


def _whole_mwh(text: str, where: str, what: str) -> int:
    """A whole number of MWh (one GEC each), at least 1, under the number rule of every import."""
    from nengtan.ingest.rows import number_at

    x = number_at(text, where, what)
    if x < 1 or x != int(x):
        raise InputError(f"{where}: {what} {text[:20]!r} is not a whole number of MWh of at least 1 (one GEC each)")
    return int(x)


# -- access ------------------------------------------------------------------------------------------

def visible_codes(s: Session, actor: Actor) -> set[str] | None:
    """The participants whose holdings and orders `actor` sees: all (None) for the park's staff, an enterprise
    user's own enterprises otherwise."""
    if actor.is_admin:
        return None
    if actor.role != "enterprise" or not actor.enterprise_ids:
        return set()
    return set(s.execute(select(Enterprise.uscc).where(Enterprise.id.in_(actor.enterprise_ids))).scalars())


def may_act_for(s: Session, actor: Actor, owner: str) -> None:
    own = visible_codes(s, actor)
    if own is not None and owner not in own:
        raise NotFoundError(f"participant {owner}")


# -- holdings ----------------------------------------------------------------------------------------

def _range(h: GecHolding) -> gec.Range:
    return gec.Range(gec.parse(h.head_code), h.first_seq, h.last_seq)


def holding_view(h: GecHolding) -> dict[str, Any]:
    r = _range(h)
    return {"id": h.id, "first_code": r.first_code, "last_code": r.last_code, "mwh": r.count,
            "project_code": h.project_code, "energy_type": h.energy_type,
            "production_month": h.production_month.strftime("%Y-%m"),
            "expires_on": gec.expires_on(h.production_month).isoformat(), "tradable": h.tradable,
            "owner": h.owner, "status": h.status, "traded": h.traded, "origin": h.origin}


def _new_holding(s: Session, r: gec.Range, owner: str, status: str, origin: str, traded: bool = False,
                 contract_id: int | None = None, split_from: int | None = None) -> GecHolding:
    h = GecHolding(head_code=r.first_code, project_code=r.head.project_code, energy_type=r.head.energy_type,
                   production_month=r.head.production_month, first_seq=r.first, last_seq=r.last,
                   tradable=r.head.tradable, owner=owner, status=status, traded=traded, origin=origin,
                   contract_id=contract_id, split_from_id=split_from)
    s.add(h)
    s.flush()
    return h


def _overlapping(s: Session, r: gec.Range) -> GecHolding | None:
    """A holding sharing a GEC with `r` (nengtan.greenpower.gec.overlaps), if any."""
    for h in s.execute(select(GecHolding).where(GecHolding.project_code == r.head.project_code,
                                                GecHolding.production_month == r.head.production_month,
                                                GecHolding.first_seq <= r.last,
                                                GecHolding.last_seq >= r.first)).scalars():
        if gec.overlaps(r, _range(h)):
            return h
    return None


def _split(s: Session, h: GecHolding, n: int) -> GecHolding | None:
    """Make `h` hold its first `n` GECs and a new holding (same owner and status) the rest, which it returns."""
    taken, rest = _range(h).take(n)
    if rest is None:
        return None
    h.last_seq = taken.last
    return _new_holding(s, rest, h.owner, h.status, h.origin, h.traded, h.contract_id, h.id)


def _change(s: Session, actor: str, h: GecHolding, action: str, extra: dict[str, Any] | None = None,
            owner: str | None = None) -> int:
    """Apply `action` to the whole holding under the GEC rules; one ledger entry and one audit entry."""
    before = h.status
    h.status = gec.transition(h.status, action, h.tradable, h.traded and action in ("list", "trade"))
    if action == "trade":
        h.traded = True
    if owner is not None:
        h.owner = owner
    s.flush()
    r = _range(h)
    body = {"action": action, "holding": h.id, "first_code": r.first_code, "last_code": r.last_code,
            "mwh": r.count, "status_before": before, "status": h.status, "owner": h.owner, **(extra or {})}
    seq = greenledger.append(s, f"gec.{action}", h.owner, body)
    audit.record(s, actor, f"gec.{action}", f"gec:{r.first_code}", {"mwh": r.count, "ledger_seq": seq})
    return seq


def issue(s: Session, actor: str, r: gec.Range, owner: str, origin: str = "issued", status: str = "issued",
          traded: bool = False, contract_id: int | None = None) -> GecHolding:
    """Record GECs issued to (or delivered to) `owner`; a range overlapping one already held is refused."""
    clash = _overlapping(s, r)
    if clash is not None:
        raise StateError(f"GECs {r.first_code}…{r.last_code} overlap those already held as holding {clash.id} "
                         f"({_range(clash).first_code}…)")
    h = _new_holding(s, r, owner, status, origin, traded, contract_id)
    seq = greenledger.append(s, "gec.issued", owner, {**holding_view(h), "action": "issue"})
    audit.record(s, actor, "gec.issue", f"gec:{r.first_code}", {"mwh": r.count, "owner": owner, "ledger_seq": seq})
    return h


def import_holdings(reg: Registry, path: Path, actor: Actor) -> ImportResult:
    """GECs from a table (``first_code``, ``last_code`` or ``count``, ``owner``): each good row lands as a holding
    and a ledger entry; a bad row is reported with its line and reason and nothing of it is stored."""
    from nengtan.ingest.rows import table_rows

    require_staff(actor, "GEC registry")
    out = ImportResult()
    for where, row in table_rows(path, ("first_code", "owner")):
        try:
            count = _whole_mwh(row["count"], where, "count") if row.get("count", "").strip() else None
            r = gec.parse_range(row["first_code"], row.get("last_code", "").strip() or None, count, where)
            owner = row["owner"].strip().upper()
            if not owner:
                raise InputError(f"{where}: owner is empty (an enterprise's USCC or a participant's code)")
            with reg.session(write=True) as s:
                issue(s, actor.username, r, owner, (row.get("origin") or "import").strip()[:80])
            out.landed += 1
            out.mwh += r.count
        except (InputError, StateError) as exc:
            out.refuse(where, exc)
    return out


def holdings(reg: Registry, actor: Actor, owner: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
    with reg.session() as s:
        own = visible_codes(s, actor)
        q = select(GecHolding).order_by(GecHolding.production_month, GecHolding.head_code)
        if owner:
            may_act_for(s, actor, owner.strip().upper())
            q = q.where(GecHolding.owner == owner.strip().upper())
        elif own is not None:
            q = q.where(GecHolding.owner.in_(own))
        if status:
            q = q.where(GecHolding.status == status)
        return [holding_view(h) for h in s.execute(q).scalars()]


def stock(reg: Registry, actor: Actor, as_of: dt.date | None = None) -> dict[str, Any]:
    """MWh of GECs by status, and the usable ones expiring within 90 days (the cockpit's certificate panel)."""
    day = as_of or today()
    rows = holdings(reg, actor)
    by_status: dict[str, int] = {}
    soon: list[dict[str, Any]] = []
    for h in rows:
        by_status[h["status"]] = by_status.get(h["status"], 0) + h["mwh"]
        exp = dt.date.fromisoformat(h["expires_on"])
        if h["status"] in ("issued", "listed", "traded") and day <= exp <= day + dt.timedelta(days=90):
            soon.append(h)
    return {"as_of": day.isoformat(), "mwh_by_status": by_status, "expiring_90_days": soon}


def expire(reg: Registry, actor: str, as_of: dt.date | None = None) -> int:
    """Mark every held GEC whose two years have run out as expired (one ledger entry per holding)."""
    day = as_of or today()
    n = 0
    with reg.session(write=True) as s:
        for h in s.execute(select(GecHolding).where(GecHolding.status.in_(("issued", "listed", "traded")))).scalars():
            if gec.expires_on(h.production_month) <= day:
                _change(s, actor, h, "expire", {"expired_on": gec.expires_on(h.production_month).isoformat()})
                n += 1
    return n


def freeze(reg: Registry, actor: Actor, project_code: str, reason: str) -> int:
    """Freeze the unsold GECs of a project that chose CCER for the same power."""
    require_staff(actor, "GEC registry")
    if not reason.strip():
        raise InputError("freezing GECs needs a reason (e.g. the CCER registration number)")
    n = 0
    with reg.session(write=True) as s:
        for h in s.execute(select(GecHolding).where(GecHolding.project_code == project_code.strip().upper(),
                                                    GecHolding.status.in_(("issued", "listed")))).scalars():
            _change(s, actor.username, h, "freeze", {"reason": reason.strip()})
            n += 1
    return n


# -- contracts ---------------------------------------------------------------------------------------

def _next_sequence(s: Session, project: str, month: dt.date) -> int:
    last = s.execute(select(func.max(GecHolding.last_seq)).where(GecHolding.project_code == project,
                                                                 GecHolding.production_month == month)).scalar()
    return (last or 0) + 1


def _month(text: str, where: str) -> dt.date:
    try:
        d = dt.date.fromisoformat(text.strip() + "-01")
    except ValueError:
        raise InputError(f"{where}: month {text[:20]!r} is not YYYY-MM") from None
    return d


def add_contract(s: Session, actor: str, number: str, kind: str, seller: str, project_code: str, uscc: str,
                 month: dt.date, mwh: int, price: float | None, shape: str) -> GreenContract:
    """One month of a green-power contract; its bundled GECs (one per MWh, the seller's project, that month's
    production) are delivered to the buyer as traded GECs."""
    if kind not in CONTRACT_KINDS:
        raise InputError(f"contract kind {kind!r}: {', '.join(CONTRACT_KINDS)}")
    if shape not in SHAPES:
        raise InputError(f"contract shape {shape!r}: {', '.join(SHAPES)}")
    if mwh < 1:
        raise InputError(f"contract {number} {month:%Y-%m}: at least 1 MWh")
    if len(project_code) != gec.PROJECT_CODE_LENGTH:
        raise InputError(f"contract {number}: project code {project_code!r} is not a 17-character filing code")
    gec.parse(gec.make_code(project_code, month, 1), f"contract {number}")  # the code's own checks, once
    ent = enterprise(s, uscc)
    if s.execute(select(GreenContract.id).where(GreenContract.number == number,
                                                GreenContract.month == month)).first():
        raise StateError(f"contract {number} already has {month:%Y-%m}")
    c = GreenContract(number=number, kind=kind, seller=seller, project_code=project_code, enterprise_id=ent.id,
                      month=month, mwh=mwh, price=price, shape=shape, created_by=actor)
    s.add(c)
    s.flush()
    first = _next_sequence(s, project_code, month)
    r = gec.parse_range(gec.make_code(project_code, month, first), count=mwh)
    h = issue(s, actor, r, ent.uscc, f"contract:{number}", status="traded", traded=True, contract_id=c.id)
    greenledger.append(s, "contract", ent.uscc, {
        "number": number, "kind": kind, "seller": seller, "project_code": project_code, "buyer": ent.uscc,
        "month": month.strftime("%Y-%m"), "mwh": mwh, "price": price, "shape": shape,
        "bundled_gecs": {"holding": h.id, "first_code": r.first_code, "last_code": r.last_code}})
    return c


def import_contracts(reg: Registry, path: Path, actor: Actor) -> ImportResult:
    """Contract months from a table: ``number, kind, seller, project_code, buyer, month, mwh[, price, shape]``."""
    from nengtan.ingest.rows import number_at, table_rows

    require_staff(actor, "contract registry")
    out = ImportResult()
    for where, row in table_rows(path, ("number", "kind", "seller", "project_code", "buyer", "month", "mwh")):
        try:
            mwh = _whole_mwh(row["mwh"], where, "mwh")
            price = number_at(row["price"], where, "price") if row.get("price", "").strip() else None
            if price is not None and price < 0:
                raise InputError(f"{where}: price {row['price'][:20]!r} is below 0")
            with reg.session(write=True) as s:
                add_contract(s, actor.username, row["number"].strip(), row["kind"].strip(), row["seller"].strip(),
                             row["project_code"].strip().upper(), row["buyer"], _month(row["month"], where),
                             mwh, price, (row.get("shape") or "flat").strip())
            out.landed += 1
            out.mwh += mwh
        except (InputError, StateError, NotFoundError) as exc:
            out.refuse(where, exc)
    return out


def of_enterprise(s: Session, actor: Actor, q: Any, uscc: str | None) -> Any:
    """`q` (joined with Enterprise) limited to `uscc` — refused unless the actor may see it — or, for an
    enterprise user, to its own enterprises."""
    own = visible_codes(s, actor)
    if uscc:
        may_act_for(s, actor, uscc.strip().upper())
        return q.where(Enterprise.uscc == uscc.strip().upper())
    return q if own is None else q.where(Enterprise.uscc.in_(own))


def import_profile(reg: Registry, actor: Actor, number: str, path: Path) -> dict[str, Any]:
    """A contract's metered hourly delivery (``ts,value`` in kWh, summed by park-time hour), for the months the
    contract has; it replaces an earlier profile of those hours. Hourly matching then spreads each month's
    contracted volume by it (nengtan.greenpower.profiles.spread)."""
    from nengtan.engine.greenpower import hourly
    from nengtan.registry.tables.greenpower import GreenContractProfile

    require_staff(actor, "contract registry")
    values = hourly(path)
    if any(v < 0 for v in values.values()):
        raise InputError(f"{path.name}: a delivery is ≥ 0 kWh")
    with reg.session(write=True) as s:
        months = {m.strftime("%Y-%m") for m in s.execute(select(GreenContract.month).where(
            GreenContract.number == number)).scalars()}
        if not months:
            raise NotFoundError(f"contract {number}")
        outside = sorted({h.strftime("%Y-%m") for h in values} - months)
        if outside:
            raise InputError(f"{path.name}: contract {number} has no month {outside[0]} (it has "
                             f"{', '.join(sorted(months))})")
        utc = {h.astimezone(dt.UTC): v for h, v in values.items()}  # stored in UTC (SQLite keeps no offset)
        s.execute(delete(GreenContractProfile).where(
            GreenContractProfile.number == number, GreenContractProfile.hour.in_(list(utc))))
        s.add_all([GreenContractProfile(number=number, hour=h, kwh=v) for h, v in sorted(utc.items())])
        seq = greenledger.append(s, "contract.profile", "park", {
            "number": number, "hours": len(values), "kwh": round(sum(values.values()), 3),
            "first_hour": min(values).isoformat(), "last_hour": max(values).isoformat()})
        audit.record(s, actor.username, "green.contract_profile", f"contract:{number}",
                     {"hours": len(values), "ledger_seq": seq})
    return {"number": number, "hours": len(values), "kwh": sum(values.values()), "ledger_seq": seq}


def contracts(reg: Registry, actor: Actor, uscc: str | None = None, year: int | None = None) -> list[dict[str, Any]]:
    with reg.session() as s:
        q = of_enterprise(s, actor, select(GreenContract, Enterprise.uscc).join(
            Enterprise, Enterprise.id == GreenContract.enterprise_id), uscc)
        if year:
            q = q.where(GreenContract.month >= dt.date(year, 1, 1), GreenContract.month < dt.date(year + 1, 1, 1))
        return [{"number": c.number, "kind": c.kind, "seller": c.seller, "project_code": c.project_code,
                 "buyer": u, "month": c.month.strftime("%Y-%m"), "mwh": c.mwh, "price": c.price, "shape": c.shape}
                for c, u in s.execute(q.order_by(GreenContract.month, GreenContract.number)).all()]


# -- claims ------------------------------------------------------------------------------------------

def claim(reg: Registry, actor: Actor, uscc: str, period: str, mwh: int, contract: str | None = None
          ) -> dict[str, Any]:
    """Claim `mwh` of green power consumed by `uscc` in `period` (YYYY-MM), cancelling as many of its GECs.

    GECs are taken from the month's contracts first (all of them, or the one named), then the held GECs that
    expire soonest; each must be usable for the month (nengtan.greenpower.gec.usable_for). Fewer usable GECs
    than asked is refused, naming how many there are."""
    month = _month(period, "claim")
    if mwh < 1:
        raise InputError(f"a claim is at least 1 MWh (one GEC), not {mwh}")
    with reg.session(write=True) as s:
        ent = enterprise(s, uscc)
        may_act_for(s, actor, ent.uscc)
        q = select(GecHolding).where(GecHolding.owner == ent.uscc, GecHolding.status.in_(("issued", "traded")))
        if contract:
            ids = select(GreenContract.id).where(GreenContract.number == contract, GreenContract.month == month)
            q = q.where(GecHolding.contract_id.in_(ids))
        # GECs of self-consumed power prove on-site generation, which the accounts count as on-site PV; only
        # GECs of power bought from the grid make purchased electricity green
        candidates = [h for h in s.execute(q).scalars() if gec.usable_for(_range(h).head, h.status, month) is None
                      and _range(h).head.electricity_class == "grid"]
        month_contracts = set(s.execute(select(GreenContract.id).where(
            GreenContract.month == month, GreenContract.enterprise_id == ent.id)).scalars())
        candidates.sort(key=lambda h: (h.contract_id not in month_contracts, gec.expires_on(h.production_month),
                                       h.head_code, h.first_seq))
        available = sum(h.last_seq - h.first_seq + 1 for h in candidates)
        if available < mwh:
            raise StateError(f"{ent.uscc} holds {available} GECs usable for {period}"
                             f"{f' under contract {contract}' if contract else ''}; a claim of {mwh} MWh needs {mwh}")
        c = GreenClaim(enterprise_id=ent.id, period=period, mwh=mwh, ledger_seq=-1, created_by=actor.username)
        s.add(c)
        s.flush()
        left = mwh
        backing: list[dict[str, Any]] = []
        for h in candidates:
            if left == 0:
                break
            n = min(left, h.last_seq - h.first_seq + 1)
            _split(s, h, n)
            _change(s, actor.username, h, "cancel", {"claim": c.id, "period": period})
            s.add(GreenClaimPart(claim_id=c.id, holding_id=h.id, mwh=n))
            r = _range(h)
            backing.append({"holding": h.id, "first_code": r.first_code, "last_code": r.last_code, "mwh": n,
                            "origin": h.origin})
            left -= n
        c.ledger_seq = greenledger.append(s, "claim", ent.uscc, {"claim": c.id, "uscc": ent.uscc, "period": period,
                                                                 "mwh": mwh, "gecs": backing})
        audit.record(s, actor.username, "green.claim", f"enterprise:{ent.uscc}",
                     {"period": period, "mwh": mwh, "ledger_seq": c.ledger_seq})
        return {"claim": c.id, "uscc": ent.uscc, "period": period, "mwh": mwh, "gecs": backing,
                "ledger_seq": c.ledger_seq}


def claims(reg: Registry, actor: Actor, uscc: str | None = None, year: int | None = None) -> list[dict[str, Any]]:
    with reg.session() as s:
        q = of_enterprise(s, actor, select(GreenClaim, Enterprise.uscc).join(
            Enterprise, Enterprise.id == GreenClaim.enterprise_id), uscc)
        if year:
            q = q.where(GreenClaim.period.like(f"{year:04d}-%"))
        out = []
        for c, u in s.execute(q.order_by(GreenClaim.period, GreenClaim.id)).all():
            parts = s.execute(select(GreenClaimPart, GecHolding)
                              .join(GecHolding, GecHolding.id == GreenClaimPart.holding_id)
                              .where(GreenClaimPart.claim_id == c.id).order_by(GreenClaimPart.id)).all()
            out.append({"claim": c.id, "uscc": u, "period": c.period, "mwh": c.mwh, "ledger_seq": c.ledger_seq,
                        "gecs": [{**holding_view(h), "mwh": p.mwh} for p, h in parts]})
        return out


# -- the order book ----------------------------------------------------------------------------------

def _book(s: Session) -> list[Order]:
    return [Order(o.id, o.side, o.product, o.price, o.remaining, o.owner)
            for o in s.execute(select(GreenOrder).where(GreenOrder.status == "open")).scalars()]


def place_order(reg: Registry, actor: Actor, owner: str, side: str, product: str, price: float, mwh: int,
                holding_id: int | None = None) -> dict[str, Any]:
    """Place an order for `owner` and match it at once. A sell names the holding whose GECs it offers: they are
    listed (and split off) for the order's quantity; each fill delivers GECs to the buyer as traded GECs and is a
    ledger entry (a record of the trade, not a payment). Green power sold inside the park is recorded as a
    contract month (kind park_trade) with its GECs bundled."""
    owner = owner.strip().upper()
    with reg.session(write=True) as s:
        may_act_for(s, actor, owner)
        Order(0, side, product, price, mwh, owner)  # checks side, product, price and quantity
        lot_id = None
        if product not in GEC_PRODUCTS:
            enterprise(s, owner)  # allowances and CCERs are held by enterprises only
        if side == "sell" and product not in GEC_PRODUCTS:  # allowances or CCERs
            from nengtan.engine.carbonassets import list_for_sale

            listed = float(s.execute(select(func.coalesce(func.sum(GreenOrder.remaining), 0)).where(
                GreenOrder.owner == owner, GreenOrder.side == "sell", GreenOrder.product == product,
                GreenOrder.status == "open")).scalar() or 0)
            lot_id = list_for_sale(s, actor.username, owner, product, mwh, holding_id, listed)
        elif side == "sell":
            h = s.get(GecHolding, holding_id) if holding_id is not None else None
            if h is None or h.owner != owner:
                raise NotFoundError(f"holding {holding_id} of {owner}")
            if h.last_seq - h.first_seq + 1 < mwh:
                raise InputError(f"holding {h.id} holds {h.last_seq - h.first_seq + 1} GECs, fewer than {mwh}")
            _split(s, h, mwh)
            _change(s, actor.username, h, "list", {"product": product, "price": price})
        gec_sell = side == "sell" and product in GEC_PRODUCTS
        o = GreenOrder(owner=owner, side=side, product=product, price=price, mwh=mwh, remaining=mwh, status="open",
                       holding_id=holding_id if gec_sell else None, ccer_lot_id=lot_id, created_by=actor.username)
        s.add(o)
        s.flush()
        seq = greenledger.append(s, "order", owner, {"order": o.id, "side": side, "product": product,
                                                     "price": price, "mwh": mwh})
        audit.record(s, actor.username, "green.order", f"order:{o.id}", {"ledger_seq": seq})
        fills, left = match(_book(s), Order(o.id, side, product, price, mwh, owner))
        trades = [_settle(s, actor.username, f.buy_id, f.sell_id, f.mwh, f.price) for f in fills]
        o.remaining = left
        o.status = "filled" if left == 0 else "open"
        return {"order": o.id, "remaining": left, "status": o.status, "trades": trades, "ledger_seq": seq}


def _settle(s: Session, actor: str, buy_id: int, sell_id: int, mwh: int, price: float) -> dict[str, Any]:
    buy, sell = s.get(GreenOrder, buy_id), s.get(GreenOrder, sell_id)
    assert buy is not None and sell is not None
    if sell.product not in GEC_PRODUCTS:
        return _settle_carbon(s, actor, buy, sell, mwh, price)
    assert sell.holding_id is not None
    listed = s.get(GecHolding, sell.holding_id)
    assert listed is not None
    part = listed
    rest = _split(s, listed, mwh)  # `part` keeps the first `mwh` of what the sell order still offers
    contract_id = None
    if sell.product == "green_power":
        buyer = enterprise(s, buy.owner)
        number = f"PT-{buy.id}-{sell.id}"
        c = GreenContract(number=number, kind="park_trade", seller=sell.owner, project_code=part.project_code,
                          enterprise_id=buyer.id, month=part.production_month, mwh=mwh, price=price, shape="flat",
                          created_by=actor)
        s.add(c)
        s.flush()
        contract_id = c.id
    _change(s, actor, part, "trade", {"from": sell.owner, "price": price}, owner=buy.owner)
    part.origin = f"trade:{sell.owner}"
    part.contract_id = contract_id if contract_id is not None else part.contract_id
    if rest is not None:
        sell.holding_id = rest.id
    for o in (buy, sell):
        o.remaining -= mwh
        o.status = "filled" if o.remaining == 0 else "open"
    r = _range(part)
    t = GreenTrade(buy_order_id=buy.id, sell_order_id=sell.id, product=sell.product, mwh=mwh, price=price,
                   ledger_seq=-1)
    s.add(t)
    s.flush()
    t.ledger_seq = greenledger.append(s, "trade", "park", {
        "trade": t.id, "product": sell.product, "mwh": mwh, "price": price, "buyer": buy.owner,
        "seller": sell.owner, "gecs": {"first_code": r.first_code, "last_code": r.last_code}})
    return {"trade": t.id, "product": sell.product, "mwh": mwh, "price": price, "buyer": buy.owner,
            "seller": sell.owner, "first_code": r.first_code, "last_code": r.last_code, "ledger_seq": t.ledger_seq}


def _settle_carbon(s: Session, actor: str, buy: GreenOrder, sell: GreenOrder, tonnes: int, price: float
                   ) -> dict[str, Any]:
    from nengtan.engine.carbonassets import settle_on_board

    moved, rest = settle_on_board(s, actor, sell.product, buy.owner, sell.owner, tonnes, price, sell.ccer_lot_id)
    if sell.ccer_lot_id is not None:
        sell.ccer_lot_id = rest
    for o in (buy, sell):
        o.remaining -= tonnes
        o.status = "filled" if o.remaining == 0 else "open"
    t = GreenTrade(buy_order_id=buy.id, sell_order_id=sell.id, product=sell.product, mwh=tonnes, price=price,
                   ledger_seq=-1)
    s.add(t)
    s.flush()
    t.ledger_seq = greenledger.append(s, "trade", "park", {"trade": t.id, "product": sell.product, "t": tonnes,
                                                           "price": price, "buyer": buy.owner, "seller": sell.owner,
                                                           **moved})
    return {"trade": t.id, "product": sell.product, "mwh": tonnes, "price": price, "buyer": buy.owner,
            "seller": sell.owner, **moved, "ledger_seq": t.ledger_seq}


def cancel_order(reg: Registry, actor: Actor, order_id: int) -> None:
    with reg.session(write=True) as s:
        o = s.get(GreenOrder, order_id)
        if o is None:
            raise NotFoundError(f"order {order_id}")
        may_act_for(s, actor, o.owner)
        if o.status != "open":
            raise StateError(f"order {order_id} is {o.status}")
        o.status = "cancelled"
        if o.ccer_lot_id is not None:
            from nengtan.engine.carbonassets import unlist

            unlist(s, o.ccer_lot_id)
        if o.holding_id is not None:
            h = s.get(GecHolding, o.holding_id)
            if h is not None and h.status == "listed":
                _change(s, actor.username, h, "unlist", {"order": o.id})
        greenledger.append(s, "order.cancel", o.owner, {"order": o.id, "remaining": o.remaining})


def orders(reg: Registry, actor: Actor, owner: str | None = None) -> list[dict[str, Any]]:
    """The actor's own orders (the park's staff: all, or one participant's)."""
    with reg.session() as s:
        own = visible_codes(s, actor)
        q = select(GreenOrder).order_by(GreenOrder.id)
        if owner:
            may_act_for(s, actor, owner.strip().upper())
            q = q.where(GreenOrder.owner == owner.strip().upper())
        elif own is not None:
            q = q.where(GreenOrder.owner.in_(own))
        return [{"order": o.id, "owner": o.owner, "side": o.side, "product": o.product, "price": o.price,
                 "mwh": o.mwh, "remaining": o.remaining, "status": o.status} for o in s.execute(q).scalars()]


def book(reg: Registry) -> dict[str, Any]:
    """The public book: price levels only (no owners, no order ids), and the last trades' prices and volumes."""
    with reg.session() as s:
        levels = public_book(_book(s))
        last = s.execute(select(GreenTrade).order_by(GreenTrade.id.desc()).limit(20)).scalars()
        return {"levels": levels, "last_trades": [{"product": t.product, "mwh": t.mwh, "price": t.price,
                                                   "at": t.at.isoformat()} for t in last]}


def trades_of(reg: Registry, actor: Actor) -> list[dict[str, Any]]:
    """Trades the actor's participants were party to."""
    with reg.session() as s:
        own = visible_codes(s, actor)
        q = select(GreenTrade, GreenOrder.owner.label("b")).join(GreenOrder, GreenOrder.id == GreenTrade.buy_order_id)
        out = []
        for t, buyer in s.execute(q.order_by(GreenTrade.id)).all():
            seller = s.get(GreenOrder, t.sell_order_id)
            assert seller is not None
            if own is not None and buyer not in own and seller.owner not in own:
                continue
            out.append({"trade": t.id, "product": t.product, "mwh": t.mwh, "price": t.price, "buyer": buyer,
                        "seller": seller.owner, "ledger_seq": t.ledger_seq, "at": t.at.isoformat()})
        return out


__all__ = ["ImportResult", "add_contract", "book", "cancel_order", "claim", "claims", "contracts",
           "expire", "freeze", "holdings", "import_contracts", "import_holdings", "issue", "orders", "place_order",
           "stock", "trades_of"]
