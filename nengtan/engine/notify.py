"""Notifications over the stores (issue 15): find the events, queue a delivery per subscriber, send what is due.

Events (nengtan.notify.messages.Event), each with a key that names it for good:

* ``warnings`` — the month's warning run (nengtan.engine.targets.warning_run): every red and yellow row, the park's
  targets and budget and each enterprise's budget; key ``warnings/<year>-<month>/<level>/<subject>/<status>``, so a
  row turning from yellow to red is told again;
* ``quality`` — open quarantined rows per enterprise (rows an import refused and no later batch resolved); key per
  enterprise and count, so new refusals are told again;
* ``certificates`` — product carbon-footprint certificates expiring within 60 days (or expired in the last 30);
* ``compliance`` — key emitters short of allowances with the deadline within 60 days (or passed);
* ``alarms`` — live alarms of meters (nengtan.engine.alarms): told the moment an ingester raises them, and by a pass
  while they are open, once per alarm.

Who hears of what: a subscriber hears only of what their account may see — an enterprise's users of their
enterprises, a park's or region's staff of its enterprises (nengtan.engine.places), the installation's staff of
everything. A delivery is queued once per subscription and event key (or, for a digest, per run), kept until the
channel took it, retried with the upward outbox's back-off, and set aside (``rejected``) when the channel refuses it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from nengtan.engine.stores import Stores, paths_of
from nengtan.errors import InputError, NengtanError, NotFoundError
from nengtan.i18n import pair
from nengtan.notify.channels import SmtpSettings, post_webhook, send_email
from nengtan.notify.messages import KINDS, REPORT_KINDS, Event, subject, text, webhook_body
from nengtan.reasons import in_chinese
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.registry.tables.access import User, UserEnterprise
from nengtan.registry.tables.notify import Delivery, Subscription
from nengtan.registry.tables.park import Enterprise
from nengtan.upward.delivery import record_attempt

CHANNELS = ("email", "wecom", "dingtalk", "webhook")
log = logging.getLogger("nengtan.notify")
EXPIRY_DAYS = 60
_USCC = re.compile(r"\b[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}\b")


# -- subscriptions ------------------------------------------------------------------------------------------------

def subscribe(reg: Registry, actor: str, username: str, kinds: list[str], channel: str, target: str,
              digest: bool = False, report_day: int | None = None) -> dict[str, Any]:
    """A user's subscription; an unknown kind, channel or user, or a target not fitting the channel, is refused.
    Scheduled reports (``report_inventory``, ``report_targets``) go by e-mail to the park's staff, on ``report_day``
    (1–28) of each month, for the month before (queue_reports)."""
    bad = [k for k in kinds if k not in KINDS]
    if not kinds or bad:
        raise InputError(f"kinds {','.join(bad) or '(none)'}: choose from {', '.join(KINDS)}")
    if channel not in CHANNELS:
        raise InputError(f"channel {channel!r} is not one of {', '.join(CHANNELS)}")
    target = target.strip()
    if channel == "email" and not re.fullmatch(r"[^@\s]+@[^@\s]+", target):
        raise InputError(f"{target!r} is not an e-mail address")
    if channel != "email" and not target.startswith(("https://", "http://")):
        raise InputError(f"{target!r} is not a webhook URL (http:// or https://)")
    reports = [k for k in kinds if k in REPORT_KINDS]
    if reports and channel != "email":
        raise InputError(f"{', '.join(reports)}: a report is a workbook, sent by e-mail only")
    if report_day is not None and not 1 <= report_day <= 28:
        raise InputError(f"report day {report_day}: choose a day from 1 to 28 (every month has it)")
    with reg.session() as s:
        user = s.execute(select(User).where(User.username == username)).scalar()
        if user is None:
            raise NotFoundError(f"user {username}")
        if reports and user.role != "admin":
            raise InputError(f"{', '.join(reports)}: scheduled reports are the park's, for its staff")
        sub = Subscription(user_id=user.id, kinds=",".join(kinds), channel=channel, target=target, digest=digest,
                           report_day=(report_day or 1) if reports else None)
        s.add(sub)
        s.flush()
        audit.record(s, actor, "notify.subscribe", f"user:{username}", {"kinds": kinds, "channel": channel,
                                                                        "digest": digest})
        return {"id": sub.id, "user": username, "kinds": kinds, "channel": channel, "target": target,
                "digest": digest, "report_day": sub.report_day}


def subscriptions(reg: Registry, username: str | None = None) -> list[dict[str, Any]]:
    """Every subscription (active or not), or one user's."""
    q = select(Subscription, User.username).join(User, User.id == Subscription.user_id).order_by(Subscription.id)
    if username is not None:
        q = q.where(User.username == username)
    with reg.session() as s:
        rows = s.execute(q).all()
        return [{"id": sub.id, "user": name, "kinds": sub.kinds.split(","), "channel": sub.channel,
                 "target": sub.target, "digest": sub.digest, "report_day": sub.report_day, "active": sub.active}
                for sub, name in rows]


def unsubscribe(reg: Registry, actor: str, subscription_id: int, username: str | None = None) -> None:
    """Stop a subscription (kept, inactive, with its deliveries); ``username``: only if it is that user's (a
    subscription of anyone else is not found)."""
    with reg.session() as s:
        q = select(Subscription).where(Subscription.id == subscription_id)
        if username is not None:
            q = q.join(User, User.id == Subscription.user_id).where(User.username == username)
        sub = s.execute(q).scalar()
        if sub is None:
            raise NotFoundError(f"subscription {subscription_id}")
        sub.active = False
        audit.record(s, actor, "notify.unsubscribe", f"subscription:{subscription_id}", {})


# -- events -------------------------------------------------------------------------------------------------------

def events(stores: Stores, year: int, month: int | None = None, today: dt.date | None = None) -> list[Event]:
    """Every event of the four kinds as of ``today`` (the warning run of ``year`` up to ``month``)."""
    day = today or dt.date.today()
    return [*_warnings(stores, year, month), *_quality(stores.registry), *_certificates(stores.registry, day),
            *_compliance(stores.registry, year - 1, day), *_alarms(stores.registry)]


def _alarms(reg: Registry) -> list[Event]:
    """The open live alarms (nengtan.engine.alarms): each is told when raised; a pass tells of any that could not
    be queued then (the key is the alarm's, so none is told twice)."""
    from nengtan.engine.alarms import alarm_event, alarms

    return [alarm_event(a, a["uscc"], a["enterprise"]) for a in alarms(reg, open_only=True, limit=1000)]


def _warnings(stores: Stores, year: int, month: int | None) -> list[Event]:
    from nengtan.engine.targets import warning_run
    from nengtan.errors import NoDataError

    try:
        run = warning_run(stores, year, month)
    except NoDataError:
        return []
    out = []
    for r in run["frame"].to_dict(orient="records"):
        if r["status"] not in ("red", "yellow"):
            continue
        uscc = str(r["subject"]) if r["level"] == "enterprise" else None
        out.append(Event("warnings", f"warnings/{year}-{run['month']:02d}/{r['level']}/{r['subject']}/{r['status']}",
                         uscc, str(r["status"]), str(r.get("name") or r["subject"]), str(r.get("reason_zh") or "")))
    return out


def _quality(reg: Registry) -> list[Event]:
    from nengtan.registry.tables.records import QuarantineRow

    with reg.session() as s:
        rows = s.execute(select(QuarantineRow.key, QuarantineRow.reason)
                         .where(QuarantineRow.resolved_batch_id.is_(None))).all()
        names = dict(s.execute(select(Enterprise.uscc, Enterprise.name)).all())
    per: dict[str, list[str]] = {}
    for key, reason in rows:
        m = _USCC.search(key or "")
        if m and m.group(0) in names:
            per.setdefault(m.group(0), []).append(in_chinese(reason) or reason)
    return [Event("quality", f"quality/{u}/{len(reasons)}", u, "yellow",
                  pair("note.notify:quarantined", name=names[u], n=len(reasons))[1],
                  "；".join(dict.fromkeys(reasons[:3])) + ("……" if len(reasons) > 3 else ""))
            for u, reasons in sorted(per.items())]


def _certificates(reg: Registry, day: dt.date) -> list[Event]:
    from nengtan.registry.tables.footprints import Certificate

    with reg.session() as s:
        rows = s.execute(select(Certificate, Enterprise.uscc, Enterprise.name)
                         .join(Enterprise, Enterprise.id == Certificate.enterprise_id)
                         .where(Certificate.status == "active",
                                Certificate.valid_to <= day + dt.timedelta(days=EXPIRY_DAYS),
                                Certificate.valid_to >= day - dt.timedelta(days=30))).all()
    out = []
    for c, uscc, name in rows:
        left = (c.valid_to - day).days
        when = (pair("note.notify:expires", date=c.valid_to, left=left) if left >= 0 else
                pair("note.notify:expired", date=c.valid_to))[1]
        out.append(Event("certificates", f"certificates/{c.number}/{c.valid_to}", uscc, "red" if left < 15 else
                         "yellow", pair("note.notify:certificate", name=name, number=c.number)[1],
                         f"{c.product_name}：{when}"))
    return out


def _compliance(reg: Registry, year: int, day: dt.date) -> list[Event]:
    from nengtan.engine.carbonassets import status
    from nengtan.engine.certification import Actor

    out = []
    for r in status(reg, Actor("notify", "admin"), year, as_of=day):
        if r.get("state") != "short" or not r.get("deadline"):
            continue
        left = (dt.date.fromisoformat(r["deadline"]) - day).days
        if left > EXPIRY_DAYS:
            continue
        out.append(Event("compliance", f"compliance/{year}/{r['uscc']}/{r['deadline']}", r["uscc"],
                         "red" if left < 15 else "yellow", pair("note.notify:compliance", name=r["name"], year=year)[1],
                         pair("note.notify:shortfall_left" if left >= 0 else "note.notify:shortfall_past",
                              t=r["shortfall_t"], left=left, deadline=r["deadline"])[1]))
    return out


# -- queueing and sending -----------------------------------------------------------------------------------------

def _audience(reg: Registry, user: User) -> set[str] | None:
    """The credit codes a user hears of (None: everything, the park-level events included)."""
    from nengtan.engine.places import place_usccs

    if user.role == "admin":
        return None if user.place is None else set(place_usccs(reg, user.place))
    with reg.session() as s:
        return set(s.execute(select(Enterprise.uscc).join(UserEnterprise, UserEnterprise.enterprise_id ==
                                                          Enterprise.id).where(UserEnterprise.user_id == user.id))
                   .scalars())


def queue(reg: Registry, found: list[Event], run_key: str, park: str) -> int:
    """Queue the deliveries the events call for (each once per subscription and key); returns how many are new."""
    with reg.session() as s:
        subs = s.execute(select(Subscription, User).join(User, User.id == Subscription.user_id)
                         .where(Subscription.active.is_(True), User.active.is_(True))).all()
    new = 0
    for sub, user in subs:
        kinds = set(sub.kinds.split(","))
        audience = _audience(reg, user)
        mine = [e for e in found if e.kind in kinds and (audience is None or (e.uscc is not None and e.uscc in
                                                                             audience))]
        with reg.session() as s:
            held = set(s.execute(select(Delivery.event_key).where(Delivery.subscription_id == sub.id)).scalars())
            if sub.digest:  # a digest tells of the events no earlier digest of this subscription told of
                told = {e["key"] for body in s.execute(select(Delivery.body).where(
                    Delivery.subscription_id == sub.id)).scalars() for e in json.loads(body)["events"]}
                fresh = [e for e in mine if e.key not in told]
                groups = [(f"digest/{run_key}", fresh)] if fresh else []
            else:
                groups = [(e.key, [e]) for e in mine]
            for key, evs in groups:
                if key in held:
                    continue
                s.add(Delivery(subscription_id=sub.id, event_key=key[:200], subject=subject(evs, park)[:300],
                               body=json.dumps({"park": park, "events": [asdict(e) for e in evs]},
                                               ensure_ascii=False)))
                new += 1
    return new


def deliver(reg: Registry, smtp: SmtpSettings, now: dt.datetime | None = None, link: str = "",
            limit: int = 200) -> dict[str, int]:
    """Send the deliveries that are due; each outcome recorded (sent, retried later, or set aside)."""
    now = now or dt.datetime.now(dt.UTC)
    counts = {"sent": 0, "retry": 0, "rejected": 0}
    with reg.session() as s:
        due = s.execute(select(Delivery.id).where(Delivery.status == "queued", Delivery.next_attempt_at <= now)
                        .order_by(Delivery.id).limit(limit)).scalars().all()
    for did in due:
        with reg.session() as s:
            d = s.get(Delivery, did)
            sub = s.get(Subscription, d.subscription_id) if d is not None else None
            if d is None or sub is None or d.status != "queued":
                continue
            content = json.loads(d.body)
            evs = [Event(**e) for e in content["events"]]
            files = [Path(f) for f in content.get("attachments", [])]
            error: str | None
            if any(not f.exists() for f in files):
                error, again = f"attachment missing: {', '.join(str(f) for f in files if not f.exists())}", False
            elif sub.channel == "email":
                error, again = send_email(smtp, sub.target, d.subject, text(evs, content["park"], link), files)
            else:
                error, again = post_webhook(sub.target, webhook_body(sub.channel, evs, content["park"], link))
            result = "sent" if error is None else "retry" if again else "rejected"
            record_attempt(d, result, error, f"notify/{d.id}", now)
            if result == "sent":
                d.last_error = None
            counts[result] += 1
    return counts


def queue_reports(stores: Stores, today: dt.date, park: str, out_dir: Path | None = None) -> int:
    """Write and queue the scheduled reports that are due: on or after a subscription's report day, each of its
    report kinds for the month before ``today``, once (the month's key), seen from the subscriber's place. A month
    the engine cannot report on yet (no data) is left for a later pass. Returns how many were queued."""
    from nengtan.engine.places import WHOLE, at_place

    last = today.replace(day=1) - dt.timedelta(days=1)
    period = f"{last.year}-{last.month:02d}"
    out_dir = out_dir or paths_of(stores).reports / "scheduled"
    with stores.registry.session() as s:
        subs = s.execute(select(Subscription, User).join(User, User.id == Subscription.user_id)
                         .where(Subscription.active.is_(True), User.active.is_(True),
                                Subscription.report_day.is_not(None))).all()
        held = {(d, k) for d, k in s.execute(select(Delivery.subscription_id, Delivery.event_key)
                                              .where(Delivery.event_key.like("report/%")))}
    new = 0
    for sub, user in subs:
        if today.day < (sub.report_day or 1):
            continue
        seen = stores if user.place in (None, WHOLE) else at_place(stores, user.place)
        for kind in [k for k in sub.kinds.split(",") if k in REPORT_KINDS]:
            key = f"report/{kind}/{period}"
            if (sub.id, key) in held:
                continue
            path = out_dir / str(sub.id) / f"{kind.removeprefix('report_')}-{period}.xlsx"
            try:
                write_report(seen, kind, last.year, last.month, path)
            except NengtanError as exc:  # no data for the month yet, or nothing to report: tried again next pass
                log.info("report %s for subscription %s not written: %s", key, sub.id, exc)
                continue
            ev = Event(kind, key, None, "info", pair("note.notify:month", year=last.year, month=last.month)[1],
                       pair("note.notify:attached", file=path.name, park=park, day=last.isoformat())[1])
            with stores.registry.session() as s:
                s.add(Delivery(subscription_id=sub.id, event_key=key, subject=subject([ev], park)[:300],
                               body=json.dumps({"park": park, "events": [asdict(ev)], "attachments": [str(path)]},
                                               ensure_ascii=False)))
            new += 1
    return new


def write_report(stores: Stores, kind: str, year: int, month: int, path: Path) -> Path:
    """The workbook a scheduled report sends: the month's inventory (nengtan.engine.accounts.inventory_report), or
    the targets, budget and warnings to the end of the month (nengtan.engine.targets.targets_report)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "report_inventory":
        from nengtan.engine.accounts import inventory_report

        return inventory_report(stores, path, year, month)[0]
    from nengtan.engine.targets import targets_report

    return targets_report(stores, year, path, month)


def run(stores: Stores, smtp: SmtpSettings, year: int | None = None, month: int | None = None,
        today: dt.date | None = None) -> dict[str, Any]:
    """One pass: find the events of ``year`` (default: the newest year with data) as of ``today``, queue a message
    per subscriber (once per event), and send what is due. Returns the events by kind, how many were queued and what
    the sending did."""
    from nengtan.engine.accounts import park_name
    from nengtan.engine.cockpit import latest_year

    y, day, park = latest_year(stores, year), today or dt.date.today(), park_name(stores)
    found = events(stores, y, month, today)
    new = queue(stores.registry, found, f"{y}-{month or 0:02d}/{day.isoformat()}", park)
    by_kind: dict[str, int] = {}
    for e in found:
        by_kind[e.kind] = by_kind.get(e.kind, 0) + 1
    reports = queue_reports(stores, day, park)
    return {"year": y, "events": by_kind, "queued": new, "reports": reports, **deliver(stores.registry, smtp)}


def deliveries(reg: Registry, status: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    with reg.session() as s:
        q = select(Delivery, Subscription).join(Subscription, Subscription.id == Delivery.subscription_id)
        if status:
            q = q.where(Delivery.status == status)
        rows = s.execute(q.order_by(Delivery.id.desc()).limit(limit)).all()
        return [{"id": d.id, "subscription": sub.id, "channel": sub.channel, "target": sub.target,
                 "key": d.event_key, "subject": d.subject, "status": d.status, "attempts": d.attempts,
                 "last_error": d.last_error, "sent_at": d.sent_at.isoformat() if d.sent_at else None}
                for d, sub in rows]


def pending(reg: Registry) -> int:
    with reg.session() as s:
        return int(s.execute(select(func.count(Delivery.id)).where(Delivery.status == "queued")).scalar() or 0)
