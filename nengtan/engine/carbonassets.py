"""Allowances (CEA) and CCERs of the enterprises in the national carbon market, held on the platform (issue 12):
compliance years, every movement double-entry on the tamper-evident ledger (nengtan.engine.greenledger; an entry
names the account debited and the one credited), the compliance status of a year by nengtan.assets.compliance,
and the surrender that settles it.

Accounts: ``<uscc>:CEA:<year>`` (an enterprise's allowances for a compliance year), ``<uscc>:CCER`` (its CCERs),
``MEE:allocation`` (the issuing authority), ``MEE:surrendered`` (what was surrendered) and a counterparty's name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nengtan.assets import compliance
from nengtan.engine import greenledger
from nengtan.engine.certification import Actor, enterprise, require_staff, today
from nengtan.engine.greenassets import of_enterprise
from nengtan.engine.stores import Stores
from nengtan.errors import InputError, NotFoundError, StateError
from nengtan.i18n import pair
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.registry.tables.assets import AllowanceMovement, CcerLot, ComplianceYear, EnergyRightMovement
from nengtan.registry.tables.park import Enterprise
from nengtan.registry.tables.verification import VerificationRecord

KINDS = ("pre_allocation", "true_up", "carry_in", "buy", "sell", "surrender", "carry_out")
INTO = {"pre_allocation": 1, "true_up": 1, "carry_in": 1, "buy": 1, "sell": -1, "surrender": -1, "carry_out": -1}
"""The sign of each kind of movement on the enterprise's account."""


def _staff(actor: Actor) -> None:
    require_staff(actor, "carbon-asset registry")


def _year(s: Session, ent: Enterprise, year: int) -> ComplianceYear:
    y = s.execute(select(ComplianceYear).where(ComplianceYear.enterprise_id == ent.id,
                                               ComplianceYear.year == year)).scalar()
    if y is None:
        y = ComplianceYear(enterprise_id=ent.id, year=year)
        s.add(y)
        s.flush()
    return y


def set_year(reg: Registry, actor: Actor, uscc: str, year: int, verified_t: float | None = None,
             deadline: dt.date | None = None) -> None:
    """Record a compliance year's verified emissions (the obligation) and its deadline."""
    _staff(actor)
    if verified_t is not None and verified_t < 0:
        raise InputError("verified emissions are ≥ 0 t")
    with reg.session(write=True) as s:
        ent = enterprise(s, uscc)
        y = _year(s, ent, year)
        if y.settled:
            raise StateError(f"{ent.uscc} {year} is settled: its figures cannot change")
        if verified_t is not None and y.verification_id is not None:
            raise StateError(f"{ent.uscc} {year}'s verified emissions come from verification record "
                             f"{y.verification_id}: import a new version of it instead")
        if verified_t is not None:
            y.verified_t = verified_t
        if deadline is not None:
            y.deadline = deadline
        seq = greenledger.append(s, "compliance.year", ent.uscc, {"uscc": ent.uscc, "year": year,
                                                                  "verified_t": y.verified_t,
                                                                  "deadline": y.deadline.isoformat() if y.deadline
                                                                  else None})
        audit.record(s, actor.username, "assets.year", f"enterprise:{ent.uscc}", {"year": year, "ledger_seq": seq})


def _move(s: Session, actor: str, ent: Enterprise, year: int, kind: str, tonnes: float, counterparty: str = ""
          ) -> int:
    own = f"{ent.uscc}:CEA:{year}"
    other = {"pre_allocation": "MEE:allocation", "true_up": "MEE:allocation", "surrender": "MEE:surrendered",
             "carry_in": f"{ent.uscc}:CEA:{year - 1}",
             "carry_out": f"{ent.uscc}:CEA:{year + 1}"}.get(kind, counterparty)
    into = INTO[kind] * tonnes
    debit, credit = (own, other) if into >= 0 else (other, own)
    seq = greenledger.append(s, "allowance", ent.uscc, {"uscc": ent.uscc, "year": year, "kind": kind,
                                                       "tonnes": abs(tonnes), "debit": debit, "credit": credit})
    s.add(AllowanceMovement(enterprise_id=ent.id, year=year, kind=kind, tonnes=tonnes, counterparty=counterparty,
                            ledger_seq=seq))
    audit.record(s, actor, f"assets.{kind}", f"enterprise:{ent.uscc}", {"year": year, "tonnes": tonnes,
                                                                       "ledger_seq": seq})
    return seq


def move(reg: Registry, actor: Actor, uscc: str, year: int, kind: str, tonnes: float, counterparty: str = "") -> int:
    """Record an allocation, true-up, purchase or sale of allowances (surrender and carry-over come from
    :func:`surrender`)."""
    _staff(actor)
    if kind not in ("pre_allocation", "true_up", "buy", "sell"):
        raise InputError(f"movement {kind!r}: pre_allocation, true_up, buy or sell")
    if kind != "true_up" and tonnes <= 0:
        raise InputError(f"a {kind} moves a positive number of tonnes")
    if kind in ("buy", "sell") and not counterparty.strip():
        raise InputError(f"a {kind} names its counterparty")
    with reg.session(write=True) as s:
        ent = enterprise(s, uscc)
        if _year(s, ent, year).settled:
            raise StateError(f"{ent.uscc} {year} is settled")
        return _move(s, actor.username, ent, year, kind, tonnes, counterparty.strip())


def add_ccer(reg: Registry, actor: Actor, uscc: str, serial: str, project: str, methodology: str, vintage: int,
             tonnes: float, in_boundary: bool = False) -> int:
    """Record CCERs the enterprise holds (a serial range of one project and vintage)."""
    _staff(actor)
    if tonnes <= 0:
        raise InputError("a CCER lot holds a positive number of tonnes")
    with reg.session(write=True) as s:
        ent = enterprise(s, uscc)
        if s.execute(select(CcerLot.id).where(CcerLot.serial == serial)).first():
            raise StateError(f"CCER serial {serial} is already held")
        seq = greenledger.append(s, "ccer", ent.uscc, {"uscc": ent.uscc, "serial": serial, "project": project,
                                                      "methodology": methodology, "vintage": vintage,
                                                      "tonnes": tonnes, "in_boundary": in_boundary,
                                                      "debit": f"{ent.uscc}:CCER", "credit": "CCER registry"})
        s.add(CcerLot(serial=serial, enterprise_id=ent.id, project=project, methodology=methodology, vintage=vintage,
                      tonnes=tonnes, project_in_boundary=in_boundary, ledger_seq=seq))
        audit.record(s, actor.username, "assets.ccer", f"enterprise:{ent.uscc}", {"serial": serial, "ledger_seq": seq})
        return seq


def ccer_lots(reg: Registry, actor: Actor, uscc: str | None = None) -> list[dict[str, Any]]:
    """CCER lots by serial (held, listed on the board, or surrendered for a year): the staff's all, an enterprise's
    its own."""
    with reg.session() as s:
        q = of_enterprise(s, actor, select(CcerLot, Enterprise).join(
            Enterprise, Enterprise.id == CcerLot.enterprise_id), uscc)
        return [{"id": lot.id, "uscc": ent.uscc, "name": ent.name, "serial": lot.serial, "project": lot.project,
                 "methodology": lot.methodology, "vintage": lot.vintage, "tonnes": lot.tonnes,
                 "in_boundary": lot.project_in_boundary, "status": lot.status, "used_for": lot.used_for,
                 "ledger_seq": lot.ledger_seq} for lot, ent in s.execute(q.order_by(CcerLot.serial)).all()]


def _account(s: Session, ent: Enterprise, year: int) -> tuple[compliance.Account, ComplianceYear, list[CcerLot]]:
    y = _year(s, ent, year)
    if y.verified_t is None:
        raise StateError(f"{ent.uscc} {year} has no verified emissions yet")
    sums = dict.fromkeys(KINDS, 0.0)
    for m in s.execute(select(AllowanceMovement).where(AllowanceMovement.enterprise_id == ent.id,
                                                       AllowanceMovement.year == year)).scalars():
        sums[m.kind] += m.tonnes
    lots = list(s.execute(select(CcerLot).where(CcerLot.enterprise_id == ent.id, CcerLot.status == "held")
                          .order_by(CcerLot.vintage, CcerLot.serial)).scalars())
    acc = compliance.Account(year, y.verified_t, sums["pre_allocation"], sums["true_up"], sums["carry_in"],
                             sums["buy"], sums["sell"],
                             tuple(compliance.CcerLot(lot.serial, lot.tonnes, lot.project_in_boundary) for lot in lots),
                             y.deadline)
    return acc, y, lots


def status(reg: Registry, actor: Actor, year: int, uscc: str | None = None, as_of: dt.date | None = None
           ) -> list[dict[str, Any]]:
    """Each enterprise's compliance for `year` (its own for an enterprise user): the settlement with its lines,
    and a warning when it is short near its deadline."""
    day = as_of or today()
    with reg.session() as s:
        q = of_enterprise(s, actor, select(ComplianceYear, Enterprise).join(
            Enterprise, Enterprise.id == ComplianceYear.enterprise_id).where(ComplianceYear.year == year), uscc)
        out = []
        for y, ent in s.execute(q.order_by(Enterprise.uscc)).all():
            if y.verified_t is None:
                out.append({"uscc": ent.uscc, "name": ent.name, "year": year, "state": "awaiting verification"})
                continue
            acc, _, _ = _account(s, ent, year)
            st = _settled(s, ent, acc) if y.settled else compliance.settle(acc)
            rec = s.get(VerificationRecord, y.verification_id) if y.verification_id is not None else None
            warned = None if y.settled else compliance.warning(acc, st, day)
            out.append({"uscc": ent.uscc, "name": ent.name, "year": year,
                        "state": "settled" if y.settled else ("compliant" if st.compliant else "short"),
                        "obligation_t": st.obligation_t, "allowances_held_t": st.allowances_held_t,
                        "ccer_cap_t": st.ccer_cap_t, "ccer_used_t": st.ccer_used_t,
                        "allowances_surrendered_t": st.allowances_surrendered_t, "shortfall_t": st.shortfall_t,
                        "carry_over_t": st.carry_over_t, "deadline": y.deadline.isoformat() if y.deadline else None,
                        "warning": None if warned is None else warned[0],
                        "warning_zh": None if warned is None else warned[1],
                        "lines": list(st.lines), "lines_zh": list(st.lines_zh),
                        "verification": None if rec is None else {
                            "record": rec.id, "version": rec.version, "verifier": rec.verifier,
                            "guideline": rec.guideline, "covered_t": rec.covered_t}})
        return out


def _settled(s: Session, ent: Enterprise, acc: compliance.Account) -> compliance.Settlement:
    """What a settled year's surrender recorded (its CCERs and allowance movements), not a new settlement."""
    moved = dict.fromkeys(KINDS, 0.0)
    for m in s.execute(select(AllowanceMovement).where(AllowanceMovement.enterprise_id == ent.id,
                                                       AllowanceMovement.year == acc.year)).scalars():
        moved[m.kind] += m.tonnes
    ccer = sum(lot.tonnes for lot in s.execute(select(CcerLot).where(
        CcerLot.enterprise_id == ent.id, CcerLot.used_for == acc.year)).scalars())
    held = acc.pre_allocation_t + acc.true_up_t + acc.carried_in_t + acc.bought_t - acc.sold_t
    short = acc.verified_t - ccer - moved["surrender"]
    en, zh = pair("note.compliance:settled", ccer=ccer, surrendered=moved["surrender"], carry=moved["carry_out"],
                  short=short)
    return compliance.Settlement(acc.year, acc.verified_t, held, compliance.CCER_CAP * acc.verified_t, ccer, ccer,
                                 moved["surrender"], short, moved["carry_out"], (en,), (zh,))


def split_lot(s: Session, lot: CcerLot, keep: float) -> CcerLot:
    """Keep `keep` tonnes in `lot`; the rest becomes a lot of the same holder and status under the serial
    ``<serial>/<n>``, and is returned."""
    n = 1 + (s.execute(select(func.count(CcerLot.id)).where(CcerLot.serial.like(f"{lot.serial}/%"))).scalar() or 0)
    rest = CcerLot(serial=f"{lot.serial}/{n}", enterprise_id=lot.enterprise_id, project=lot.project,
                   methodology=lot.methodology, vintage=lot.vintage, tonnes=lot.tonnes - keep,
                   project_in_boundary=lot.project_in_boundary, status=lot.status, ledger_seq=lot.ledger_seq)
    lot.tonnes = keep
    s.add(rest)
    s.flush()
    return rest


def surrender(reg: Registry, actor: Actor, uscc: str, year: int) -> dict[str, Any]:
    """Settle a compliance year: surrender the eligible CCERs (up to the cap; a lot is split at the cap) and then
    allowances, carry what is left to the next year, and mark the year settled — every step a ledger entry."""
    _staff(actor)
    with reg.session(write=True) as s:
        ent = enterprise(s, uscc)
        acc, y, lots = _account(s, ent, year)
        if y.settled:
            raise StateError(f"{ent.uscc} {year} is settled already")
        st = compliance.settle(acc)
        left = st.ccer_used_t
        for lot in lots:
            if left <= 0 or lot.project_in_boundary:
                continue
            if lot.tonnes > left:  # split at the cap: the rest stays held under its own serial
                split_lot(s, lot, left)
            lot.status, lot.used_for = "surrendered", year
            left -= lot.tonnes
            greenledger.append(s, "ccer.surrender", ent.uscc, {
                "uscc": ent.uscc, "year": year, "serial": lot.serial, "tonnes": lot.tonnes,
                "debit": "MEE:surrendered", "credit": f"{ent.uscc}:CCER"})
        if st.allowances_surrendered_t > 0:
            _move(s, actor.username, ent, year, "surrender", st.allowances_surrendered_t)
        if st.carry_over_t > 0:
            _move(s, actor.username, ent, year, "carry_out", st.carry_over_t)
            _move(s, actor.username, ent, year + 1, "carry_in", st.carry_over_t)
        y.settled = True
        return {"uscc": ent.uscc, "year": year, "ccer_used_t": st.ccer_used_t,
                "allowances_surrendered_t": st.allowances_surrendered_t, "shortfall_t": st.shortfall_t,
                "carry_over_t": st.carry_over_t, "lines": list(st.lines), "lines_zh": list(st.lines_zh)}


# -- energy-use rights (用能权) -------------------------------------------------------------------------

ENERGY_RIGHT_KINDS = {"allocation": 1, "buy": 1, "sell": -1}


def energy_right_move(reg: Registry, actor: Actor, uscc: str, year: int, kind: str, tce: float,
                      counterparty: str = "") -> int:
    """Record energy-use rights (用能权, tce) allocated to, bought or sold by an enterprise for a year, as the
    province's paid-use and trading scheme records them; a double entry on the ledger (``<uscc>:EUR:<year>``)."""
    _staff(actor)
    if kind not in ENERGY_RIGHT_KINDS:
        raise InputError(f"movement {kind!r}: {', '.join(ENERGY_RIGHT_KINDS)}")
    if not tce > 0:
        raise InputError(f"a {kind} moves a positive number of tce")
    if kind != "allocation" and not counterparty.strip():
        raise InputError(f"a {kind} names its counterparty")
    with reg.session(write=True) as s:
        ent = enterprise(s, uscc)
        own, other = f"{ent.uscc}:EUR:{year}", counterparty.strip() or "province:energy-rights"
        debit, credit = (own, other) if ENERGY_RIGHT_KINDS[kind] > 0 else (other, own)
        seq = greenledger.append(s, "energy_right", ent.uscc, {"uscc": ent.uscc, "year": year, "kind": kind,
                                                              "tce": tce, "debit": debit, "credit": credit})
        s.add(EnergyRightMovement(enterprise_id=ent.id, year=year, kind=kind, tce=tce,
                                  counterparty=counterparty.strip(), ledger_seq=seq))
        audit.record(s, actor.username, f"energy_right.{kind}", f"enterprise:{ent.uscc}", {"year": year, "tce": tce,
                                                                                          "ledger_seq": seq})
        return seq


def energy_rights(stores: Stores, actor: Actor, year: int, uscc: str | None = None) -> list[dict[str, Any]]:
    """Each enterprise holding energy-use rights for `year`: rights held (allocated + bought − sold) against its
    energy on the dual-control basis (new renewables and raw-material use deducted, nengtan.accounting), and the
    surplus or shortfall."""
    from nengtan.engine.cockpit import inventory_dict

    with stores.registry.session() as s:
        q = of_enterprise(s, actor, select(EnergyRightMovement, Enterprise).join(
            Enterprise, Enterprise.id == EnergyRightMovement.enterprise_id).where(EnergyRightMovement.year == year),
            uscc)
        held: dict[str, list[Any]] = {}
        for m, ent in s.execute(q).all():
            h = held.setdefault(ent.uscc, [ent.name, 0.0])
            h[1] += ENERGY_RIGHT_KINDS[m.kind] * m.tce
    out = []
    for u, (name, rights) in sorted(held.items()):
        used = float(inventory_dict(stores, year, f"enterprise:{u}").get("energy_dual_control_tce") or 0.0)
        out.append({"uscc": u, "name": name, "year": year, "rights_tce": rights, "used_tce": used,
                    "surplus_tce": rights - used, "state": "within rights" if used <= rights else "short"})
    return out


# -- the park's trading board: allowances (cea:<year>) and CCERs -------------------------------------------

def _held(s: Session, ent: Enterprise, year: int) -> float:
    return float(sum(INTO[m.kind] * m.tonnes for m in s.execute(select(AllowanceMovement).where(
        AllowanceMovement.enterprise_id == ent.id, AllowanceMovement.year == year)).scalars()))


def list_for_sale(s: Session, actor: str, owner: str, product: str, tonnes: int, lot_id: int | None,
                  listed_t: float) -> int | None:
    """Check and list what a sell order on the board offers: allowances of a compliance year the seller holds
    beyond what its open sell orders already offer (`listed_t`), or (part of) a CCER lot it holds — the lot is
    split to the order's tonnes and marked listed, so compliance no longer counts it. Returns the listed lot."""
    ent = enterprise(s, owner)
    if product.startswith("cea:"):
        year = int(product[4:])
        if _year(s, ent, year).settled:
            raise StateError(f"{ent.uscc} {year} is settled: its allowances are surrendered or carried over")
        free = _held(s, ent, year) - listed_t
        if free < tonnes:
            raise InputError(f"{ent.uscc} holds {free:,.0f} t of {year} allowances not yet offered, fewer than "
                             f"{tonnes:,}")
        return None
    lot = s.get(CcerLot, lot_id) if lot_id is not None else None
    if lot is None or lot.enterprise_id != ent.id or lot.status != "held":
        raise NotFoundError(f"CCER lot {lot_id} held by {owner}")
    if lot.tonnes < tonnes:
        raise InputError(f"CCER lot {lot.serial} holds {lot.tonnes:,.0f} t, fewer than {tonnes:,}")
    if lot.tonnes > tonnes:
        split_lot(s, lot, tonnes).status = "held"
    lot.status = "listed"
    greenledger.append(s, "ccer.list", ent.uscc, {"uscc": ent.uscc, "serial": lot.serial, "tonnes": lot.tonnes})
    return lot.id


def unlist(s: Session, lot_id: int) -> None:
    lot = s.get(CcerLot, lot_id)
    if lot is not None and lot.status == "listed":
        lot.status = "held"


def settle_on_board(s: Session, actor: str, product: str, buyer: str, seller: str, tonnes: int, price: float,
                    lot_id: int | None) -> tuple[dict[str, Any], int | None]:
    """A fill of allowances or CCERs: a sale on the seller's account and a purchase on the buyer's (each a double
    entry), or the CCER lot's sold tonnes handed to the buyer (the rest stays listed). Returns what moved and the
    seller's lot still listed."""
    b, v = enterprise(s, buyer), enterprise(s, seller)
    if product.startswith("cea:"):
        year = int(product[4:])
        if _year(s, b, year).settled:
            raise StateError(f"{b.uscc} {year} is settled")
        _move(s, actor, v, year, "sell", tonnes, b.uscc)
        _move(s, actor, b, year, "buy", tonnes, v.uscc)
        return {"year": year}, None
    lot = s.get(CcerLot, lot_id)
    assert lot is not None and lot.status == "listed"
    rest = split_lot(s, lot, tonnes) if lot.tonnes > tonnes else None
    lot.enterprise_id, lot.status = b.id, "held"
    greenledger.append(s, "ccer.transfer", b.uscc, {"serial": lot.serial, "tonnes": tonnes, "price": price,
                                                    "debit": f"{b.uscc}:CCER", "credit": f"{v.uscc}:CCER"})
    return {"serial": lot.serial}, (rest.id if rest is not None else None)
