"""Carbon credit points (碳积分) held on the platform (issue 12): awarded per enterprise and year under the points
method (nengtan.ratings.points), spent for a documented purpose, expired by date — every entry a row with its basis
and a leaf of the tamper-evident ledger (account ``<uscc>:POINTS``), in one transaction with its audit entry.

An award is made once per enterprise, year and rule (the database refuses a second); its inputs are the
platform's own: CO2 and value added of the year and of the base years before it, whether the year is verified (a
verifier's sign-off or a verification record), claimed green electricity, valid product certificates, and the
share of complete meter-days.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import func, select

from nengtan.engine import greenledger
from nengtan.engine.certification import Actor, enterprise, require_staff, today
from nengtan.engine.greenassets import of_enterprise
from nengtan.engine.ratings import complete_days, method_of
from nengtan.engine.stores import Stores
from nengtan.engine.years import year_data
from nengtan.errors import InputError
from nengtan.indicators import enterprise_figures
from nengtan.ratings import points as rules
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.registry.tables.footprints import Certificate
from nengtan.registry.tables.greenpower import GreenClaim
from nengtan.registry.tables.park import Enterprise
from nengtan.registry.tables.ratings import PointsEntry
from nengtan.registry.tables.verification import VerificationRecord, YearLock


def _intensities(stores: Stores, year: int) -> dict[str, tuple[float, float | None]]:
    d = year_data(stores, year, required=False)
    if d is None:
        return {}
    fig = enterprise_figures(d.ledger, d.economics)
    return {str(u): (float(c), None if v != v or not v > 0 else float(v))
            for u, c, v in zip(fig["uscc"], fig["co2_t"], fig["value_added"], strict=True)}


def inputs(stores: Stores, year: int) -> dict[str, rules.Year]:
    """Each enterprise's points inputs for `year`."""
    method = method_of(stores.registry, "carbon_points")
    base_years = int(method.params["rules"]["verified_reduction"]["base_years"])
    now = _intensities(stores, year)
    past = [_intensities(stores, y) for y in range(year - base_years, year)]
    quality = complete_days(stores, year)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    with stores.registry.session() as s:
        verified = {u for (u,) in s.execute(select(Enterprise.uscc).join(YearLock, YearLock.enterprise_id ==
                                                                          Enterprise.id).where(YearLock.year == year))}
        verified |= {u for (u,) in s.execute(select(Enterprise.uscc).join(
            VerificationRecord, VerificationRecord.enterprise_id == Enterprise.id).where(
            VerificationRecord.year == year, VerificationRecord.active.is_(True)))}
        green = {u: float(m) for u, m in s.execute(
            select(Enterprise.uscc, func.sum(GreenClaim.mwh)).join(GreenClaim, GreenClaim.enterprise_id ==
                                                                   Enterprise.id)
            .where(GreenClaim.period.like(f"{year}-%")).group_by(Enterprise.uscc))}
        certs = {u: int(n) for u, n in s.execute(
            select(Enterprise.uscc, func.count(Certificate.id)).join(Certificate, Certificate.enterprise_id ==
                                                                     Enterprise.id)
            .where(Certificate.issued_on <= end, Certificate.valid_to >= start, Certificate.status == "active")
            .group_by(Enterprise.uscc))}
    out = {}
    for u, (co2, va) in now.items():
        base = tuple(c / v for c, v in (p[u] for p in past if u in p) if v)
        out[u] = rules.Year(co2, va, base, u in verified, green.get(u, 0.0), certs.get(u, 0), quality.get(u))
    return out


def award(stores: Stores, actor: Actor, year: int) -> dict[str, Any]:
    """Award every enterprise its points for `year`; rules already awarded for the year are left as they are."""
    require_staff(actor, "carbon points")
    method = method_of(stores.registry, "carbon_points")
    expires = rules.expires_on(year, method)
    made, kept, total = 0, 0, 0.0
    for u, x in inputs(stores, year).items():
        earned, _ = rules.earn(x, method)
        with stores.registry.session(write=True) as s:
            ent = enterprise(s, u)
            done = set(s.execute(select(PointsEntry.rule).where(PointsEntry.enterprise_id == ent.id,
                                                                PointsEntry.year == year,
                                                                PointsEntry.kind == "earn")).scalars())
            for e in earned:
                if e.rule in done:
                    kept += 1
                    continue
                seq = greenledger.append(s, "points", u, {"uscc": u, "year": year, "kind": "earn", "rule": e.rule,
                                                          "points": round(e.points, 6), "method": method.label,
                                                          "debit": f"{u}:POINTS", "credit": "park:points"})
                s.add(PointsEntry(enterprise_id=ent.id, year=year, kind="earn", rule=e.rule, points=e.points,
                                  method=method.label, basis=json.dumps(e.basis, ensure_ascii=False),
                                  expires_on=expires, created_by=actor.username, ledger_seq=seq))
                made += 1
                total += e.points
            audit.record(s, actor.username, "points.award", f"enterprise:{u}", {"year": year})
    return {"year": year, "method": method.label, "entries": made, "already_awarded": kept, "points": total,
            "expires_on": expires.isoformat()}


def _lots(s: Any, enterprise_id: int) -> tuple[list[rules.Lot], list[tuple[dt.date, float]]]:
    """An enterprise's earned lots and its spends (day, points)."""
    rows = list(s.execute(select(PointsEntry).where(PointsEntry.enterprise_id == enterprise_id)).scalars())
    lots = [rules.Lot(r.id, r.points, r.expires_on) for r in rows if r.kind == "earn" and r.expires_on]
    spends = [(r.created_at.date(), -r.points) for r in rows if r.kind == "spend"]
    return lots, spends


def spend(reg: Registry, actor: Actor, uscc: str, points: float, purpose: str, note: str = "",
          on: dt.date | None = None) -> int:
    """Spend points for a documented purpose (the method's ``spend_purposes``); refused beyond the balance."""
    require_staff(actor, "carbon points")
    method = method_of(reg, "carbon_points")
    if purpose not in method.params["spend_purposes"]:
        raise InputError(f"purpose {purpose!r}: one of {', '.join(method.params['spend_purposes'])}")
    if not points > 0:
        raise InputError("points spent are a positive number")
    day = on or today()
    with reg.session(write=True) as s:
        ent = enterprise(s, uscc)
        lots, spends = _lots(s, ent.id)
        rules.remaining(lots, [*spends, (day, points)], day)  # refuses a spend beyond what is available today
        n = 1 + (s.execute(select(func.count(PointsEntry.id)).where(PointsEntry.enterprise_id == ent.id,
                                                                    PointsEntry.kind == "spend")).scalar() or 0)
        seq = greenledger.append(s, "points", ent.uscc, {"uscc": ent.uscc, "kind": "spend", "points": points,
                                                         "purpose": purpose, "note": note,
                                                         "debit": "park:points", "credit": f"{ent.uscc}:POINTS"})
        s.add(PointsEntry(enterprise_id=ent.id, year=day.year, kind="spend", rule=f"spend-{n}", points=-points,
                          method=method.label, basis=json.dumps({"purpose": purpose, "note": note},
                                                                ensure_ascii=False),
                          created_by=actor.username, ledger_seq=seq,
                          created_at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)))
        audit.record(s, actor.username, "points.spend", f"enterprise:{ent.uscc}", {"points": points,
                                                                                  "purpose": purpose})
        return seq


def expire(reg: Registry, actor: Actor, on: dt.date | None = None) -> float:
    """Record the expiry of every earned lot's unspent points whose date has passed; returns the points expired."""
    require_staff(actor, "carbon points")
    day = on or today()
    total = 0.0
    with reg.session(write=True) as s:
        for ent in s.execute(select(Enterprise)).scalars():
            lots, spends = _lots(s, ent.id)
            _, expired = rules.remaining(lots, spends, day)
            done = {r.rule for r in s.execute(select(PointsEntry).where(PointsEntry.enterprise_id == ent.id,
                                                                        PointsEntry.kind == "expire")).scalars()}
            for lot_id, pts in expired.items():
                if f"lot-{lot_id}" in done:
                    continue
                seq = greenledger.append(s, "points", ent.uscc, {"uscc": ent.uscc, "kind": "expire", "lot": lot_id,
                                                                 "points": pts, "debit": "park:points",
                                                                 "credit": f"{ent.uscc}:POINTS"})
                s.add(PointsEntry(enterprise_id=ent.id, year=day.year, kind="expire", rule=f"lot-{lot_id}",
                                  points=-pts, method="", basis="{}", created_by=actor.username, ledger_seq=seq))
                total += pts
    return total


def balances(reg: Registry, actor: Actor, uscc: str | None = None, on: dt.date | None = None
             ) -> list[dict[str, Any]]:
    """Each visible enterprise's points: earned, spent, expired, available, and its entries."""
    day = on or today()
    with reg.session() as s:
        q = of_enterprise(s, actor, select(Enterprise).join(PointsEntry, PointsEntry.enterprise_id == Enterprise.id)
                          .distinct(), uscc)
        out = []
        for ent in s.execute(q.order_by(Enterprise.uscc)).scalars():
            rows = list(s.execute(select(PointsEntry).where(PointsEntry.enterprise_id == ent.id)
                                  .order_by(PointsEntry.id)).scalars())
            lots, spends = _lots(s, ent.id)
            left, expired = rules.remaining(lots, spends, day)
            earned = sum(r.points for r in rows if r.kind == "earn")
            out.append({"uscc": ent.uscc, "name": ent.name, "earned": earned,
                        "spent": -sum(r.points for r in rows if r.kind == "spend"),
                        "expired": sum(expired.values()),
                        "available": sum(v for k, v in left.items() if k not in expired),
                        "entries": [{"kind": r.kind, "year": r.year, "rule": r.rule, "points": r.points,
                                     "method": r.method, "basis": json.loads(r.basis),
                                     "expires_on": r.expires_on.isoformat() if r.expires_on else None,
                                     "ledger_seq": r.ledger_seq} for r in rows]})
        return out
