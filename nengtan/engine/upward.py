"""Reporting upward with store and forward (issue 14, item 5): an enterprise-month's online-monitoring items and a
key emitter's monthly deposit built from the stores (nengtan.upward.format), queued durably in the outbox (one
transaction: a message exists whole or not at all), and pushed over HTTPS to the configured province endpoint with
its idempotency key, retried with back-off (nengtan.upward.delivery) until acknowledged.

Never lost: a message leaves the queue only when the endpoint acknowledged it, and a refused one is kept, marked.
Never sent twice: the key is the message's identity; a message resent after nengtan or the endpoint restarted
carries the same key, and the receiver acknowledges a key it holds without storing it again (the reference
receiver, nengtan.upward.receiver, does; so must the province's).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from nengtan.calendar import PARK_TZ, park_midnight
from nengtan.engine.certification import enterprise
from nengtan.engine.stores import Stores
from nengtan.engine.years import year_data
from nengtan.errors import InputError, NoDataError
from nengtan.registry import frames
from nengtan.registry.store import Registry
from nengtan.registry.tables.upward import OutboxMessage
from nengtan.upward import delivery, format

STEP_US = 15 * 60 * 10**6


def _month(period: str) -> tuple[int, int]:
    try:
        y, m = (int(x) for x in period.split("-"))
        dt.date(y, m, 1)
    except ValueError:
        raise InputError(f"period {period!r}: YYYY-MM") from None
    return y, m


def _bounds(y: int, m: int) -> tuple[dt.datetime, dt.datetime]:
    nxt = dt.date(y + (m == 12), 1 if m == 12 else m + 1, 1)
    return park_midnight(dt.date(y, m, 1)), park_midnight(nxt)


def _realtime(stores: Stores, meters: pd.DataFrame, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
    """Each main interval meter's 15-minute totals of the month, each labelled by the start of its 15 minutes (a
    reading counts where the monthly accounts count it: in the period its time falls in)."""
    from nengtan.lake.scan import configured_scan

    interval = meters[meters["kind"] == "interval"]
    if interval.empty:
        return []
    r = configured_scan().readings_between(stores.lake, sorted(interval["meter_id"]), start,
                                           end - dt.timedelta(microseconds=1))
    out = []
    for code, g in r.groupby("meter_id", sort=True):
        ts = g["ts_us"].to_numpy(np.int64)
        slot = ts // STEP_US * STEP_US
        v = pd.Series(g["value"].to_numpy(float).clip(min=0)).groupby(slot).sum()
        carrier = str(interval.loc[interval["meter_id"] == code, "carrier"].iloc[0])
        keys, sums = v.index.to_numpy(np.int64), v.to_numpy(float)
        out.append({"meter": str(code), "carrier": carrier, "interval_minutes": 15,
                    "values": [[dt.datetime.fromtimestamp(int(k) / 1e6, PARK_TZ).isoformat(), round(float(x), 6)]
                               for k, x in zip(keys, sums, strict=True)]})
    return out


def _daily(realtime: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Daily totals per carrier of the metered interval values (park-time days)."""
    acc: dict[tuple[str, str], float] = {}
    for m in realtime:
        for ts, v in m["values"]:
            day = ts[:10]
            acc[(day, m["carrier"])] = acc.get((day, m["carrier"]), 0.0) + v
    return [{"date": d, "carrier": c, "quantity": q} for (d, c), q in sorted(acc.items())]


def payload(stores: Stores, kind: str, uscc: str, period: str) -> dict[str, Any]:
    """The `kind` payload of `uscc` for the month `period` (YYYY-MM)."""
    y, m = _month(period)
    d = year_data(stores, y, required=False)
    if d is None:
        raise NoDataError(f"no energy data for {y}")
    led = d.ledger[(d.ledger["uscc"] == uscc) & (d.ledger["period"] == period)]
    with stores.registry.session() as s:
        ent = enterprise(s, uscc)
        name, ent_id = ent.name, ent.id
    rows: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in led.to_dict("records")]
    monthly = [{"month": period, "carrier": str(r["carrier"]), "quantity": float(r["quantity"]),
                "unit": str(r["unit"]), "energy_tce": float(r["energy_tce"]), "source": str(r["source"])} for r in rows]
    if kind == "deposit":
        co2 = [float(r["scope1_t"]) + float(r["scope2_location_t"]) for r in rows]
        body: dict[str, Any] = {
            "monthly": [{**x, "co2_t": t, "factor_t_per_unit": t / float(r["quantity"]) if r["quantity"] else None}
                        for x, t, r in zip(monthly, co2, rows, strict=True)],
            "co2_t": float(sum(co2))}
    else:
        meters = frames.main_meters(stores.registry)
        meters = meters[meters["enterprise_id"] == ent_id]
        realtime = _realtime(stores, meters, *_bounds(y, m))
        eco = d.economics[(d.economics["uscc"] == uscc) & (d.economics["period"] == period)]
        body = {"realtime": realtime, "daily": _daily(realtime), "monthly": monthly,
                "total_energy_tce": float(led["energy_tce"].sum()),
                "products": [],  # output and unit consumption of products: not held by nengtan
                "economic": {"gross_output": float(eco["gross_output"].sum()) if len(eco) else None,
                             "value_added": float(eco["value_added"].sum()) if len(eco) else None}}
    return format.envelope(kind, uscc, name, period, body, d.data_version, d.factor_set.id)


def enqueue(stores: Stores, kind: str, uscc: str, period: str) -> dict[str, Any]:
    """Queue the payload unless the same content is already queued or sent (then nothing new); a changed content is
    the next version. One transaction."""
    p = payload(stores, kind, uscc, period)
    sha = format.digest(p)
    with stores.registry.session(write=True) as s:
        last = s.execute(select(OutboxMessage).where(OutboxMessage.kind == kind, OutboxMessage.uscc == uscc,
                                                     OutboxMessage.period == period)
                         .order_by(OutboxMessage.version.desc())).scalars().first()
        if last is not None and last.sha256 == sha:
            return {"key": last.key, "status": last.status, "new": False}
        version = 1 if last is None else last.version + 1
        k = format.key(kind, uscc, period, version)
        s.add(OutboxMessage(key=k, kind=kind, uscc=uscc, period=period, version=version, sha256=sha,
                            payload=json.dumps({**p, "key": k, "version": version}, ensure_ascii=False)))
        return {"key": k, "status": "queued", "new": True}


def endpoint() -> tuple[str | None, str | bool]:
    """The province endpoint (NENGTAN_UPWARD_URL) and how its certificate is checked (NENGTAN_UPWARD_CA: a CA
    bundle file; default the system's)."""
    return os.environ.get("NENGTAN_UPWARD_URL"), os.environ.get("NENGTAN_UPWARD_CA") or True


def push(reg: Registry, url: str, verify: str | bool = True, now: dt.datetime | None = None, limit: int = 100,
         timeout: float = 10.0) -> dict[str, int]:
    """Send the messages due now, oldest first; each outcome recorded in its own transaction after the answer."""
    import ssl

    import httpx

    t = now or dt.datetime.now(dt.UTC)
    tls: ssl.SSLContext | bool = ssl.create_default_context(cafile=verify) if isinstance(verify, str) else verify
    counts = {"sent": 0, "rejected": 0, "retry": 0}
    with reg.session() as s:
        due = [(m.id, m.key, m.kind, m.payload) for m in s.execute(
            select(OutboxMessage).where(OutboxMessage.status == "queued", OutboxMessage.next_attempt_at <= t)
            .order_by(OutboxMessage.id).limit(limit)).scalars()]
    with httpx.Client(verify=tls, timeout=timeout) as client:
        for mid, k, kind, body in due:
            status, text = None, ""
            try:
                r = client.post(f"{url.rstrip('/')}/{kind}", content=body.encode(),
                                headers={"Content-Type": "application/json", "Idempotency-Key": k})
                status, text = r.status_code, r.text[:2000]
            except httpx.HTTPError as exc:
                text = f"{type(exc).__name__}: {exc}"[:2000]
            result = delivery.outcome(status)
            counts[result] += 1
            with reg.session(write=True) as s:
                m = s.get(OutboxMessage, mid)
                assert m is not None
                error = f"{status}: {text}" if status else text  # (a refusal always has its status)
                delivery.record_attempt(m, result, error, k, t, sent_at=dt.datetime.now(dt.UTC))
                if result == "sent":
                    m.receipt = text
    return counts


def outbox(reg: Registry, status: str | None = None) -> list[dict[str, Any]]:
    with reg.session() as s:
        q = select(OutboxMessage).order_by(OutboxMessage.id)
        if status:
            q = q.where(OutboxMessage.status == status)
        return [{"id": m.id, "key": m.key, "status": m.status, "attempts": m.attempts,
                 "next_attempt_at": m.next_attempt_at.isoformat(), "last_error": m.last_error,
                 "sent_at": m.sent_at.isoformat() if m.sent_at else None} for m in s.execute(q).scalars()]


def requeue(reg: Registry, message_id: int) -> None:
    """Put a refused message back in the queue (after its cause was fixed at the endpoint)."""
    with reg.session(write=True) as s:
        m = s.get(OutboxMessage, message_id)
        if m is None:
            raise InputError(f"no outbox message {message_id}")
        m.status, m.next_attempt_at = "queued", dt.datetime.now(dt.UTC)
