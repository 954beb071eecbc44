"""A verified enterprise-year: what the verifier signed beside what the platform computes now.

Signing off locks the year (nengtan.registry.tables.verification.YearLock) and keeps the figures as
they were computed then, with the data and factor versions that made them. The year then changes only
by an explicit correction (an import with a reason, made by a named user), which creates a new version
of the rows it replaces; this view shows the signed and the current figures side by side, their
difference, and every correction made since the sign-off with its reason and author.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow.compute as pc
from sqlalchemy import select

from nengtan.calendar import PARK_TZ
from nengtan.engine.cockpit import inventory_dict
from nengtan.engine.stores import Stores
from nengtan.registry.tables.park import EconomicData, Meter
from nengtan.registry.tables.records import Activity, ImportBatch
from nengtan.registry.tables.verification import YearLock

SIGNED_FIGURES = ("energy_tce", "co2_t")


def lock_of(stores: Stores, enterprise_id: int, year: int) -> YearLock | None:
    with stores.registry.session() as s:
        lock = s.execute(select(YearLock).where(YearLock.enterprise_id == enterprise_id,
                                                YearLock.year == year)).scalar()
        if lock is not None:
            s.expunge(lock)
        return lock


def new_lock(stores: Stores, enterprise_id: int, uscc: str, year: int, verifier: str,
             statement: str) -> tuple[YearLock, dict[str, Any]]:
    """The lock of a sign-off, holding the figures as computed now (the caller adds it, with its audit
    entry, in one transaction), and those figures."""
    inv = inventory_dict(stores, year, f"enterprise:{uscc}")
    lock = YearLock(enterprise_id=enterprise_id, year=year, locked_by=verifier,
                    signed_energy_tce=inv.get("energy_tce"), signed_co2_t=inv.get("co2_t"),
                    signed_data_version=str(inv.get("data_version")), signed_factor_set=str(inv.get("factor_set")),
                    statement=statement or None)
    return lock, inv


def corrections_since(stores: Stores, enterprise_id: int, year: int, since: dt.datetime) -> list[dict[str, Any]]:
    """Every correction to the enterprise-year after `since`: activity and economic rows re-versioned
    with a reason, and readings a correction replaced (from the lake's record of superseded rows)."""
    out: list[dict[str, Any]] = []
    with stores.registry.session() as s:
        rows = s.execute(
            select(Activity.period, Activity.carrier, Activity.quantity, Activity.version, Activity.reason,
                   ImportBatch.created_by, ImportBatch.created_at, ImportBatch.id)
            .join(ImportBatch, ImportBatch.id == Activity.batch_id)
            .where(Activity.enterprise_id == enterprise_id, Activity.period.like(f"{year}-%"),
                   Activity.reason.is_not(None), ImportBatch.created_at > since)
            .order_by(ImportBatch.created_at)).all()
        for period, carrier, qty, version, reason, by, at, batch in rows:
            out.append({"kind": "activity", "period": period, "carrier": carrier, "quantity": qty,
                        "version": version, "reason": reason, "by": by, "at": at.isoformat(), "batch": batch})
        econ = s.execute(
            select(EconomicData.period, EconomicData.value_added, EconomicData.version, EconomicData.reason,
                   ImportBatch.created_by, ImportBatch.created_at, ImportBatch.id)
            .join(ImportBatch, ImportBatch.id == EconomicData.batch_id)
            .where(EconomicData.enterprise_id == enterprise_id, EconomicData.period.like(f"{year}-%"),
                   EconomicData.reason.is_not(None), ImportBatch.created_at > since)
            .order_by(ImportBatch.created_at)).all()
        for period, va, version, reason, by, at, batch in econ:
            out.append({"kind": "economic", "period": period, "value_added": va, "version": version,
                        "reason": reason, "by": by, "at": at.isoformat(), "batch": batch})
        meters = set(s.execute(select(Meter.code).where(Meter.enterprise_id == enterprise_id)).scalars())
        superseded = stores.lake.superseded_rows()
        if superseded is not None and meters:
            mine = superseded.filter(pc.is_in(superseded["meter_id"], value_set=pc.cast(list(meters), "string")))
            by_batch: dict[str, int] = {}
            for ts, batch in zip(mine["ts"].to_pylist(), mine["superseded_by"].to_pylist(), strict=True):
                if ts.astimezone(PARK_TZ).year == year:
                    by_batch[batch] = by_batch.get(batch, 0) + 1
            for batch, n in by_batch.items():
                b = s.get(ImportBatch, batch)
                if b is None or b.created_at.replace(tzinfo=b.created_at.tzinfo or dt.UTC) <= since:
                    continue
                out.append({"kind": "readings", "readings_replaced": n, "reason": _lake_reason(stores, batch),
                            "by": b.created_by, "at": b.created_at.isoformat(), "batch": batch})
    return out


def _lake_reason(stores: Stores, batch: str) -> str | None:
    reason = stores.lake.correction_meta(batch).get("correction")
    return None if reason is None else str(reason)


def year_status(stores: Stores, enterprise_id: int, uscc: str, year: int) -> dict[str, Any]:
    """Lock state, the signed and the current figures with their difference, and the corrections."""
    lock = lock_of(stores, enterprise_id, year)
    current = inventory_dict(stores, year, f"enterprise:{uscc}")
    out: dict[str, Any] = {"locked": lock is not None, "locked_by": lock.locked_by if lock else None,
                           "locked_at": lock.locked_at.isoformat() if lock and lock.locked_at else None,
                           "current": {k: current.get(k) for k in SIGNED_FIGURES}
                           | {"data_version": current.get("data_version"), "factor_set": current.get("factor_set")}}
    if lock is None:
        return out
    signed: dict[str, Any] = {"energy_tce": lock.signed_energy_tce, "co2_t": lock.signed_co2_t,
              "data_version": lock.signed_data_version, "factor_set": lock.signed_factor_set,
              "statement": lock.statement}
    diff = {k: (None if signed[k] is None or current.get(k) is None else float(current[k]) - float(signed[k]))
            for k in SIGNED_FIGURES}
    since = lock.locked_at if lock.locked_at.tzinfo else lock.locked_at.replace(tzinfo=dt.UTC)
    corrections = corrections_since(stores, enterprise_id, year, since)
    out.update(signed=signed, difference=diff, corrections=corrections,
               changed_since_signoff=any(abs(v) > 1e-9 for v in diff.values() if v is not None) or bool(corrections))
    return out
