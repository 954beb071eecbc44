"""Live alarms (issue 15, item 7): the meters' rules in the registry, checked against readings as the ingesters store
them (:class:`AlarmWatch`), the alarms kept open until a reading is back within the rule, and each new alarm told at
once to the subscribers of ``alarms`` through the notification outbox (nengtan.engine.notify).

Within a minute: the surfaces give the ingesters an AlarmWatch (their nengtan.ingest.watch.ReadingsWatch); the MQTT
ingester shows it each batch right after its lake commit (about a second after arrival), the HTTP ingester each
request; a new alarm is queued and sent on a worker thread, so the ingestion never waits on a mail server. Missing
data is looked for by the MQTT ingester every minute (and by ``nengtan alarms check``).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select

from nengtan.alarms.rules import KIND_ZH, PROFILE_DAYS, Finding, Profile, Rule, check_missing, check_reading, profile
from nengtan.calendar import PARK_OFFSET_US, PARK_TZ
from nengtan.errors import InputError, NotFoundError
from nengtan.lake.store import Lake
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.registry.tables.operations import Alarm, AlarmRule
from nengtan.registry.tables.park import Enterprise, Meter

log = logging.getLogger("nengtan.alarms")


# -- rules ----------------------------------------------------------------------------------------------------------

def set_rule(reg: Registry, actor: str, uscc: str, code: str, demand_kw: float | None = None,
             sigma: float | None = None, missing_minutes: int | None = None) -> dict[str, Any]:
    """Set (or replace) a meter's alarm rule; no threshold at all removes the rule. Demand and abnormal-consumption
    rules need an interval meter (a counter's readings are registers, not consumption)."""
    if demand_kw is not None and not demand_kw > 0:
        raise InputError(f"demand limit {demand_kw}: give a load above 0 kW")
    if sigma is not None and not 1 <= sigma <= 10:
        raise InputError(f"sigma {sigma}: give 1 to 10 standard deviations")
    if missing_minutes is not None and not 1 <= missing_minutes <= 7 * 1440:
        raise InputError(f"missing minutes {missing_minutes}: give 1 to 10080 minutes")
    with reg.session() as s:
        m = s.execute(select(Meter).join(Enterprise, Enterprise.id == Meter.enterprise_id)
                      .where(Meter.code == code, Enterprise.uscc == uscc.strip().upper())).scalar()
        if m is None:
            raise NotFoundError(f"meter {code} of enterprise {uscc}")
        if m.kind != "interval" and (demand_kw is not None or sigma is not None):
            raise InputError(f"meter {code} is a {m.kind} meter: demand and abnormal-consumption alarms need an "
                             "interval meter (missing data can be watched on any)")
        rule = s.execute(select(AlarmRule).where(AlarmRule.meter_id == m.id)).scalar()
        if demand_kw is None and sigma is None and missing_minutes is None:
            if rule is not None:
                s.delete(rule)
            audit.record(s, actor, "alarm.rule.remove", f"meter:{code}", {})
            return {"meter": code, "rule": None}
        if rule is None:
            rule = AlarmRule(meter_id=m.id, set_by=actor)
            s.add(rule)
        rule.demand_kw, rule.sigma, rule.missing_minutes, rule.set_by = demand_kw, sigma, missing_minutes, actor
        rule.set_at = dt.datetime.now(dt.UTC)
        detail = {"demand_kw": demand_kw, "sigma": sigma, "missing_minutes": missing_minutes}
        audit.record(s, actor, "alarm.rule.set", f"meter:{code}", detail)
        return {"meter": code, "rule": detail}


def load_rules(reg: Registry) -> dict[str, Rule]:
    """Every meter's rule, by meter code."""
    with reg.session() as s:
        rows = s.execute(select(AlarmRule, Meter.code, Meter.interval_s, Meter.unit, Enterprise.uscc)
                         .join(Meter, Meter.id == AlarmRule.meter_id)
                         .join(Enterprise, Enterprise.id == Meter.enterprise_id)).all()
    return {code: Rule(code, uscc, interval_s, unit, r.demand_kw, r.sigma, r.missing_minutes)
            for r, code, interval_s, unit, uscc in rows}


def rules_of(reg: Registry, usccs: set[str] | None = None) -> list[dict[str, Any]]:
    return [asdict(r) for r in sorted(load_rules(reg).values(), key=lambda r: r.meter)
            if usccs is None or r.uscc in usccs]


# -- alarms ---------------------------------------------------------------------------------------------------------

def alarms(reg: Registry, usccs: set[str] | None = None, open_only: bool = True, limit: int = 200
           ) -> list[dict[str, Any]]:
    """Alarms (open ones, or all), newest first; ``usccs``: only those enterprises' (None: every one)."""
    q = (select(Alarm, Meter.code, Enterprise.uscc, Enterprise.name).join(Meter, Meter.id == Alarm.meter_id)
         .join(Enterprise, Enterprise.id == Meter.enterprise_id))
    if open_only:
        q = q.where(Alarm.cleared_at.is_(None))
    if usccs is not None:
        q = q.where(Enterprise.uscc.in_(sorted(usccs)))
    with reg.session() as s:
        rows = s.execute(q.order_by(Alarm.raised_at.desc(), Alarm.id.desc()).limit(limit)).all()
        return [{"id": a.id, "meter": code, "uscc": uscc, "enterprise": name, "kind": a.kind,
                 "kind_zh": KIND_ZH[a.kind], "first_ts": _local(a.first_ts), "last_ts": _local(a.last_ts),
                 "value": a.value, "limit": a.limit, "count": a.count, "message": a.message,
                 "message_en": a.message_en,
                 "raised_at": _local(a.raised_at), "cleared_at": _local(a.cleared_at) if a.cleared_at else None}
                for a, code, uscc, name in rows]


def _local(t: dt.datetime) -> str:
    return (t if t.tzinfo else t.replace(tzinfo=dt.UTC)).astimezone(PARK_TZ).isoformat(timespec="seconds")


def _instant(ts_us: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts_us / 1e6, dt.UTC)


Outcome = tuple[str, str, int, Finding | None]
"""(meter, kind, instant [µs], finding): a finding, or None for a reading back within the rule at that instant."""


def record(reg: Registry, events: list[Outcome]) -> list[dict[str, Any]]:
    """Apply ``events`` in time order: a finding opens an alarm where its meter and kind has none open (else it is
    counted on the open one), None clears the open one as of the reading's instant. Returns the alarms opened."""
    opened: list[dict[str, Any]] = []
    with reg.session() as s:
        ids = dict(s.execute(select(Meter.code, Meter.id).where(Meter.code.in_(sorted({e[0] for e in events}))))
                   .all())
        held = {(a.meter_id, a.kind): a for a in s.execute(select(Alarm).where(
            Alarm.meter_id.in_(sorted(ids.values())), Alarm.cleared_at.is_(None))).scalars()}
        now = dt.datetime.now(dt.UTC)
        for meter, kind, ts_us, f in events:
            key = (ids[meter], kind)
            a = held.get(key)
            if f is None:
                if a is not None:
                    a.cleared_at = _instant(ts_us)
                    del held[key]
            elif a is not None:
                a.count += 1
                a.last_ts, a.value = max(_aware(a.last_ts), _instant(f.ts_us)), f.value
            else:
                a = Alarm(meter_id=ids[meter], kind=kind, first_ts=_instant(f.ts_us), last_ts=_instant(f.ts_us),
                          value=f.value, limit=f.limit, count=1, message=f.message, message_en=f.message_en,
                          raised_at=now)
                s.add(a)
                s.flush()
                held[key] = a
                opened.append({"id": a.id, "meter": meter, "kind": kind, "message": f.message,
                               "message_en": f.message_en})
    return opened


def _aware(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


class AlarmWatch:
    """Checks readings against the meters' rules as they are stored (see the module docstring). Thread-safe."""

    refresh_s = 10.0

    def __init__(self, registry: Registry, lake: Lake, notify: bool = True) -> None:
        self.registry, self.lake, self.notify = registry, lake, notify
        self._rules: dict[str, Rule] = {}
        self._rules_at = -1e9
        self._profiles: dict[tuple[str, int], Profile] = {}
        self._last: dict[str, int] = {}  # meter -> newest reading seen [µs]
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alarm-notify")

    def rules(self) -> dict[str, Rule]:
        if time.monotonic() - self._rules_at >= self.refresh_s:
            self._rules, self._rules_at = load_rules(self.registry), time.monotonic()
        return self._rules

    def _profile(self, rule: Rule, day: int) -> Profile:
        """The meter's profile over the PROFILE_DAYS park-time days before ``day`` (days since 1970-01-01)."""
        key = (rule.meter, day)
        if key not in self._profiles:
            from nengtan.lake.scan import DUCKDB

            start = dt.datetime(1970, 1, 1, tzinfo=PARK_TZ) + dt.timedelta(days=day - PROFILE_DAYS)
            end = start + dt.timedelta(days=PROFILE_DAYS) - dt.timedelta(microseconds=1)
            got = DUCKDB.readings_between(self.lake, [rule.meter], start, end)
            if len(self._profiles) >= 4 * max(len(self._rules), 1):  # a long run: forget the days gone by
                self._profiles = {k: v for k, v in self._profiles.items() if k[1] >= day - 1}
            self._profiles[key] = profile(got["ts_us"].to_numpy(dtype=np.int64), got["value"].to_numpy(dtype=float),
                                          rule.interval_s)
        return self._profiles[key]

    def check(self, table: pa.Table) -> list[dict[str, Any]]:
        """Check stored readings (``meter_id``, ``ts``, ``value``); returns the alarms opened (and tells of them)."""
        rules = self.rules()
        if not rules or table.num_rows == 0:
            return []
        mine = table.filter(pc.is_in(table["meter_id"], value_set=pa.array(sorted(rules), pa.string())))
        if mine.num_rows == 0:
            return []
        meters = mine["meter_id"].to_pylist()
        ts = mine["ts"].cast(pa.int64()).to_numpy()
        values = mine["value"].to_numpy()
        events: list[Outcome] = []
        with self._lock:
            for i in np.argsort(ts, kind="stable"):
                rule, t, v = rules[meters[i]], int(ts[i]), float(values[i])
                self._last[rule.meter] = max(self._last.get(rule.meter, t), t)
                prof = self._profile(rule, (t + PARK_OFFSET_US) // 86_400_000_000) if rule.sigma else None
                hits = {f.kind: f for f in check_reading(rule, t, v, prof)}
                events.append((rule.meter, "missing", t, None))
                events += [(rule.meter, k, t, hits.get(k)) for k in ("demand", "abnormal")]
            opened = record(self.registry, events)
        self._tell(opened)
        return opened

    def replay(self, start: dt.datetime, end: dt.datetime) -> list[dict[str, Any]]:
        """Check the readings already stored in [start, end] against the rules, in time order, as if they had just
        arrived (a rule set after its meter's readings came in; ``nengtan alarms check --since``)."""
        from nengtan.lake.scan import DUCKDB

        rules = self.rules()
        got = DUCKDB.readings_between(self.lake, sorted(rules), start, end) if rules else None
        if got is None or got.empty:
            return []
        return self.check(pa.table({"meter_id": pa.array(got["meter_id"].astype(str), pa.string()),
                                    "ts": pa.array(got["ts_us"].to_numpy(dtype=np.int64), pa.timestamp("us", "UTC")),
                                    "value": pa.array(got["value"].to_numpy(dtype=float), pa.float64())}))

    def check_missing(self, now: dt.datetime | None = None) -> list[dict[str, Any]]:
        """Open a missing-data alarm for each watched meter whose newest reading is older than its rule allows."""
        now_us = int((now or dt.datetime.now(dt.UTC)).timestamp() * 10**6)
        watched = [r for r in self.rules().values() if r.missing_minutes is not None]
        events: list[Outcome] = []
        with self._lock:
            for rule in watched:
                if rule.meter not in self._last:
                    self._last_from_lake(rule, now_us)
                f = check_missing(rule, self._last.get(rule.meter), now_us)
                if f is not None:
                    events.append((rule.meter, "missing", now_us, f))
            opened = record(self.registry, events) if events else []
        self._tell(opened)
        return opened

    def _last_from_lake(self, rule: Rule, now_us: int) -> None:
        from nengtan.lake.scan import DUCKDB

        back = max(2 * (rule.missing_minutes or 0), 1440)
        end = _instant(now_us)
        got = DUCKDB.readings_between(self.lake, [rule.meter], end - dt.timedelta(minutes=back), end)
        if len(got):
            self._last[rule.meter] = int(got["ts_us"].max())

    def _tell(self, opened: list[dict[str, Any]]) -> None:
        if opened and self.notify:
            self._pool.submit(self._send, opened)

    def _send(self, opened: list[dict[str, Any]]) -> None:
        try:
            tell(self.registry, self.lake, opened)
        except Exception:  # the alarms are stored; `nengtan notify run` sends what is still queued
            log.exception("could not tell of %d alarm(s); they stay queued", len(opened))

    def close(self) -> None:
        self._pool.shutdown(wait=True)


def alarm_event(alarm: dict[str, Any], uscc: str, name: str) -> Any:
    """The notification event of an alarm (kind ``alarms``, one key per alarm, so it is told once)."""
    from nengtan.notify.messages import Event

    return Event("alarms", f"alarms/{alarm['id']}", uscc, "red", f"{name} {KIND_ZH[alarm['kind']]}", alarm["message"])


def tell(reg: Registry, lake: Lake, opened: list[dict[str, Any]]) -> dict[str, int]:
    """Queue a notification of each opened alarm (kind ``alarms``, key per alarm) and send what is due."""
    from nengtan.config import smtp_settings
    from nengtan.engine.accounts import park_name
    from nengtan.engine.notify import deliver, queue
    from nengtan.engine.stores import LocalStores
    from nengtan.notify.channels import SmtpSettings

    with reg.session() as s:
        owner = dict(s.execute(select(Meter.code, Enterprise.uscc).join(Enterprise, Enterprise.id ==
                                                                        Meter.enterprise_id)
                               .where(Meter.code.in_([a["meter"] for a in opened]))).all())
        names = dict(s.execute(select(Enterprise.uscc, Enterprise.name)
                               .where(Enterprise.uscc.in_(sorted(set(owner.values()))))).all())
    events = [alarm_event(a, owner[a["meter"]], names[owner[a["meter"]]]) for a in opened]
    park = park_name(LocalStores(reg, lake))
    queue(reg, events, f"alarms/{opened[0]['id']}", park)
    return deliver(reg, SmtpSettings(**smtp_settings()))  # type: ignore[arg-type]
