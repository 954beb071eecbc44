"""Validation of meter readings as gateways send them (MQTT, HTTP, bulk files).

A reading is ``{"meter": id, "ts": time, "value": number, "unit": unit, "quality": optional}``.
Rejected (quarantined with the reason) when the meter is unknown or not the sender's, the value is not
a finite number, the unit does not fit the meter's carrier, the time cannot be read, lies before
2000-01-01, more than :data:`FUTURE_TOLERANCE_S` in the future, or before the meter was installed.
The key of a reading is (meter, interval): an interval meter's reading within ± :data:`GRID_TOLERANCE_S`
of its grid (online-monitoring rule, factors.md §5: windows start at 00:00 ± 1 min) takes the grid
point's time, so it meets a reading already stored for that interval as a duplicate or a conflict
(nengtan.lake.dedupe); farther off it is rejected. Accepted but marked ``suspect`` (kept, reported by
nengtan.ingest.quality, never silently mixed into verified totals): a counter reading more than
± 1 minute off the grid, and negative interval consumption.

A reading of a year a verifier has signed off for the meter's enterprise is rejected on every path
(gateways cannot correct; a file imported as a correction with a reason can, see readings_file).

Times: ISO 8601 with an offset (``Z``, ``+08:00``), ISO without offset (read as Asia/Shanghai, the
calendar the park reports in), or a number of seconds since 1970-01-01 UTC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from nengtan.calendar import PARK_OFFSET_US, PARK_TZ, local_year
from nengtan.ingest.fields import FieldError, number_problem, parse_number, quote
from nengtan.lake.dedupe import Conflict
from nengtan.registry.store import Registry
from nengtan.registry.tables.monitoring import Gateway, GatewayMeter
from nengtan.registry.tables.park import Meter
from nengtan.registry.tables.verification import YearLock
from nengtan.units import CANONICAL_UNIT, UnitError, canonical_factor

SHANGHAI = PARK_TZ
EARLIEST_US = int(dt.datetime(2000, 1, 1, tzinfo=dt.UTC).timestamp()) * 1_000_000
FUTURE_TOLERANCE_S = 300
GRID_TOLERANCE_S = 60
"""An interval reading within this many seconds of its meter's grid is snapped to the grid point (the
same (meter, interval) key as a reading on it); beyond it, it is quarantined."""
DEFAULT_INTERVAL_S = 900
QUALITY_ALIASES = {None: "ok", "ok": "ok", "good": "ok", "valid": "ok", "estimated": "estimated",
                   "estimate": "estimated", "suspect": "suspect", "bad": "suspect", "invalid": "suspect",
                   "questionable": "suspect"}


@dataclass(frozen=True)
class MeterInfo:
    pk: int
    code: str
    enterprise_id: int
    carrier: str
    unit: str
    kind: str
    interval_s: int
    installed_us: int | None
    rollover: float | None


@dataclass
class Catalog:
    """What validation needs from the registry: meters, gateway ownership and token hashes."""

    meters: dict[str, MeterInfo] = field(default_factory=dict)
    owned: dict[str, frozenset[str]] = field(default_factory=dict)  # gateway code -> meter codes
    token_to_gateway: dict[str, str] = field(default_factory=dict)  # sha256(token) -> gateway code
    locked: dict[int, dict[int, str]] = field(default_factory=dict)  # enterprise pk -> {signed-off year: verifier}

    @classmethod
    def load(cls, registry: Registry) -> Catalog:
        cat = cls()
        with registry.session() as s:  # plain rows, not ORM objects: 10⁴ meters load in milliseconds
            by_pk: dict[int, str] = {}
            rows = s.execute(select(Meter.id, Meter.code, Meter.enterprise_id, Meter.carrier, Meter.unit, Meter.kind,
                                    Meter.interval_s, Meter.installed_on, Meter.rollover)).all()
            for pk, code, ent, carrier, unit, kind, interval_s, installed_on, rollover in rows:
                inst = None
                if installed_on is not None:
                    inst = int(dt.datetime.combine(installed_on, dt.time(), SHANGHAI).timestamp()) * 1_000_000
                cat.meters[code] = MeterInfo(pk, code, ent, carrier, unit, kind, interval_s or DEFAULT_INTERVAL_S, inst,
                                             rollover)
                by_pk[pk] = code
            gws = {pk: (code, tok) for pk, code, tok in s.execute(
                select(Gateway.id, Gateway.code, Gateway.token_sha256).where(Gateway.active.is_(True))).all()}
            owned: dict[str, set[str]] = {code: set() for code, _ in gws.values()}
            for gw_pk, meter_pk in s.execute(select(GatewayMeter.gateway_id, GatewayMeter.meter_id)).all():
                g = gws.get(gw_pk)
                if g is not None and meter_pk in by_pk:
                    owned[g[0]].add(by_pk[meter_pk])
            cat.owned = {k: frozenset(v) for k, v in owned.items()}
            cat.token_to_gateway = {tok: code for code, tok in gws.values()}
        cat.refresh_locks(registry)
        return cat

    def refresh_locks(self, registry: Registry) -> None:
        """Re-read the signed-off enterprise-years (one small query; writers call it per batch, so a
        sign-off takes effect on the next batch of every path)."""
        with registry.session() as s:
            self.locked = signed_off_years(s)

    def gateway_for_token(self, token: str) -> str | None:
        return self.token_to_gateway.get(hashlib.sha256(token.encode()).hexdigest())


@dataclass(frozen=True)
class Reject:
    index: int  # position of the reading (or message) in what was sent
    column: str
    reason: str
    raw: Any


@dataclass
class Validated:
    """Accepted readings, columnar, ready for DedupeWriter (values in the carrier's canonical unit)."""

    meter: list[str] = field(default_factory=list)
    ts_us: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    unit: list[str] = field(default_factory=list)
    quality: list[str] = field(default_factory=list)
    carrier: list[str] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)  # each accepted reading's position in what was sent
    rejects: list[Reject] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.meter)

    def table(self) -> pa.Table:
        ts = pa.array(self.ts_us, pa.int64()).cast(pa.timestamp("us", tz="UTC"))
        return pa.table({"meter_id": pa.array(self.meter, pa.string()), "ts": ts,
                         "value": pa.array(self.value, pa.float64()), "unit": pa.array(self.unit, pa.string()),
                         "quality": pa.array(self.quality, pa.string())})

    def carriers(self) -> pa.Array:
        return pa.array(self.carrier, pa.string())

    def extend(self, other: Validated) -> None:
        self.meter += other.meter
        self.ts_us += other.ts_us
        self.value += other.value
        self.unit += other.unit
        self.quality += other.quality
        self.carrier += other.carrier
        self.origin += other.origin
        self.rejects += other.rejects

    def conflict_rejects(self, conflicts: Sequence[Conflict]) -> list[Reject]:
        """The readings the lake refused because their (meter, interval) holds another value, as rejects
        to quarantine (a gateway cannot correct: corrections are imported with a reason)."""
        return [Reject(self.origin[c.index], "value", conflict_reason(
            self.meter[c.index], self.ts_us[c.index], self.value[c.index], c.other_value, self.unit[c.index],
            c.where), {"meter": self.meter[c.index], "ts": _fmt_us(self.ts_us[c.index]),
                       "value": self.value[c.index], "unit": self.unit[c.index]})
                for c in conflicts]


def conflict_reason(meter: str, ts_us: int, value: float, other: float, unit: str, where: str) -> str:
    """One line saying why a reading differing from the one held for its key was not stored."""
    held = "the stored reading" if where == "stored" else "an earlier reading in the same batch"
    return (f"meter {meter} at {_fmt_us(ts_us)}: {value:g} {unit} differs from {held} ({other:g} {unit}); "
            "to replace it, import it as a correction with a reason")


def signed_off_years(s: Session) -> dict[int, dict[int, str]]:
    """enterprise pk → {year: verifier} of every signed-off enterprise-year."""
    out: dict[int, dict[int, str]] = {}
    for ent, year, by in s.execute(select(YearLock.enterprise_id, YearLock.year, YearLock.locked_by)).all():
        out.setdefault(int(ent), {})[int(year)] = str(by)
    return out


LOCKED_WHY = "readings for a signed-off year are quarantined (only a correction with a reason changes it)"
"""The reason every path gives (the set-wise paths build the same text in SQL)."""


def locked_reason(year: int, verifier: str) -> str:
    """Why a reading of a signed-off enterprise-year is quarantined."""
    return f"{year} is signed off by verifier {verifier}: {LOCKED_WHY}"


def parse_ts(v: object) -> int | None:
    """UTC microseconds of a reading time, or None when it cannot be read."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        if not math.isfinite(v):
            return None
        return round(v * 1_000_000)
    if isinstance(v, str):
        try:
            d = dt.datetime.fromisoformat(v.strip())
        except ValueError:
            return None
        if d.tzinfo is None:
            d = d.replace(tzinfo=SHANGHAI)
        return int(d.timestamp()) * 1_000_000 + d.microsecond
    return None


def parse_value(v: object) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        f = float(v)
    elif isinstance(v, str):
        try:
            f = parse_number(v)  # the rules of every import kind (nengtan.ingest.fields)
        except FieldError:
            return None
    else:
        return None
    return f if math.isfinite(f) else None


def _fmt_us(us: int) -> str:
    try:
        return dt.datetime.fromtimestamp(us / 1e6, dt.UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return str(us)


class Validator:
    """Checks readings against a :class:`Catalog`; caches unit factors per (carrier, unit)."""

    def __init__(self, catalog: Catalog, now_us: int | None = None) -> None:
        self.catalog = catalog
        self._factors: dict[tuple[str, str], float | str] = {}
        self._now_us = now_us
        self._ts_memo: dict[str, int | None] = {}  # a batch repeats a handful of time strings many times

    def _factor(self, carrier: str, unit: str) -> float | str:
        key = (carrier, unit)
        f = self._factors.get(key)
        if f is None:
            try:
                f = canonical_factor(carrier, unit)
            except UnitError as exc:
                f = str(exc)
            self._factors[key] = f
        return f

    def validate(self, readings: Sequence[Any], gateway: str | None = None, offset: int = 0,
                 out: Validated | None = None) -> Validated:
        """Validate reading dicts; `gateway` (when given) must own each meter."""
        out = out if out is not None else Validated()
        now = self._now_us if self._now_us is not None else int(dt.datetime.now(dt.UTC).timestamp() * 1e6)
        latest = now + FUTURE_TOLERANCE_S * 1_000_000
        meters = self.catalog.meters
        owned = self.catalog.owned.get(gateway, frozenset()) if gateway is not None else None
        rejects = out.rejects
        locked = self.catalog.locked
        ts_memo = self._ts_memo
        factors = self._factors
        add_meter, add_ts, add_value = out.meter.append, out.ts_us.append, out.value.append
        add_unit, add_quality, add_carrier = out.unit.append, out.quality.append, out.carrier.append
        for i, r in enumerate(readings):
            idx = offset + i
            if not isinstance(r, dict):
                rejects.append(Reject(idx, "", "reading is not a JSON object", r))
                continue
            code = r.get("meter")
            info = meters.get(code) if isinstance(code, str) else None
            if info is None:
                rejects.append(Reject(idx, "meter", f"unknown meter {code!r}" if code is not None
                                      else "reading has no 'meter'", r))
                continue
            if owned is not None and code not in owned:
                rejects.append(Reject(idx, "meter", f"meter {code!r} does not belong to gateway {gateway!r}", r))
                continue
            value = r.get("value")
            if type(value) is not float or value - value != 0.0:  # fast path: a finite JSON float
                value = parse_value(value)
            if value is None:
                raw_v = r.get("value")
                why = number_problem(raw_v) if isinstance(raw_v, str) else None
                rejects.append(Reject(idx, "value", f"value {why or quote(raw_v) + ' is not a finite number'}", r))
                continue
            unit = r.get("unit")
            if unit is None:
                unit = info.unit
            if type(unit) is str:
                factor = factors.get((info.carrier, unit))
                if factor is None:
                    factor = self._factor(info.carrier, unit)
            else:
                factor = f"unit {unit!r} is not text"
            if isinstance(factor, str):
                rejects.append(Reject(idx, "unit", f"meter {code}: {factor}", r))
                continue
            ts_raw = r.get("ts")
            if type(ts_raw) is str:
                if ts_raw in ts_memo:
                    ts = ts_memo[ts_raw]
                else:
                    ts = ts_memo[ts_raw] = parse_ts(ts_raw)
                    if len(ts_memo) > 100_000:
                        ts_memo.clear()
            else:
                ts = parse_ts(ts_raw)
            if ts is None:
                rejects.append(Reject(idx, "ts", f"timestamp {r.get('ts')!r} is not ISO 8601 or epoch seconds", r))
                continue
            if ts < EARLIEST_US:
                rejects.append(Reject(idx, "ts", f"timestamp {_fmt_us(ts)} is before 2000-01-01", r))
                continue
            if ts > latest:
                rejects.append(Reject(idx, "ts", f"timestamp {_fmt_us(ts)} is in the future "
                                      f"(more than {FUTURE_TOLERANCE_S} s after {_fmt_us(now)})", r))
                continue
            if info.installed_us is not None and ts < info.installed_us:
                rejects.append(Reject(idx, "ts", f"timestamp {_fmt_us(ts)} is before meter {code} was installed "
                                      f"({_fmt_us(info.installed_us)[:10]})", r))
                continue
            q = QUALITY_ALIASES.get(r.get("quality"))
            if q is None:
                rejects.append(Reject(idx, "quality", f"unknown quality {r.get('quality')!r} "
                                      "(ok, estimated, suspect)", r))
                continue
            step = info.interval_s * 1_000_000
            off = (ts + PARK_OFFSET_US) % step
            skew = min(off, step - off)
            if info.kind == "interval":  # the key is (meter, interval): snap onto the grid, or refuse
                if skew > GRID_TOLERANCE_S * 1_000_000:
                    rejects.append(Reject(idx, "ts", f"timestamp {_fmt_us(ts)} is {round(skew / 1e6)} s off meter "
                                          f"{code}'s {info.interval_s // 60}-minute grid "
                                          f"(tolerance {GRID_TOLERANCE_S} s)", r))
                    continue
                ts = ts - off + (step if off * 2 > step else 0)
            locks = locked.get(info.enterprise_id)
            if locks:
                year = local_year(ts)
                if year in locks:
                    rejects.append(Reject(idx, "ts", f"meter {code}: " + locked_reason(year, locks[year]), r))
                    continue
            if q == "ok" and (skew > GRID_TOLERANCE_S * 1_000_000 or (value < 0 and info.kind != "counter")):
                q = "suspect"
            out.origin.append(idx)
            add_meter(info.code)
            add_ts(ts)
            add_value(value * factor)
            add_unit(CANONICAL_UNIT[info.carrier])
            add_quality(q)
            add_carrier(info.carrier)
        return out

    def warm_up(self) -> None:
        """Compute the unit factors of every meter's own unit now (the first use of the unit registry
        takes seconds), so the first batch of live data is not held up by it."""
        for m in self.catalog.meters.values():
            self._factor(m.carrier, m.unit)
            self._factor(m.carrier, CANONICAL_UNIT[m.carrier])
