"""Data quality of meter readings, computed and stored, never silently mixed into verified totals.

Rules (key energy-using unit online monitoring, factors.md §5, plus meter-data plausibility checks):

* completeness: per meter and Asia/Shanghai day, measured readings on the interval grid against the
  points expected from the meter's interval; a day is complete at ≥ 90 % (:data:`COMPLETE_SHARE`);
* statement agreement: per enterprise, carrier and month, the sum of main meters' daily totals and the
  monthly statement (activity) agree within 5 % (:data:`STATEMENT_TOLERANCE`);
* time: off the interval grid by more than ± 1 minute, in the future, before the meter was installed;
* values: spikes (far above the meter's robust level), stuck values (the same non-zero interval value
  or an unmoving counter for :data:`STUCK_RUN` points), negative consumption, counter resets (the
  register falls to near zero) and rollovers (it wraps at the meter's ``rollover`` maximum).

Gaps are filled only when asked (``fill_gaps=True``): each missing grid point gets a linear
interpolation between its measured neighbours, written to the lake with ``quality='estimated'``;
estimated consumption is always reported apart from measured consumption (``total_estimated``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import delete, select

from nengtan.calendar import PARK_OFFSET_US, PARK_TZ, park_midnight
from nengtan.i18n import Both, pair
from nengtan.ingest.validate import signed_off_years
from nengtan.labels import carrier_zh
from nengtan.lake.dedupe import DedupeWriter, effective_readings_sql
from nengtan.lake.store import Lake
from nengtan.registry.store import Registry
from nengtan.registry.tables.monitoring import QualityDay, QualityFlag
from nengtan.registry.tables.park import Enterprise, Meter
from nengtan.registry.tables.records import Activity
from nengtan.units import CANONICAL_UNIT

COMPLETE_SHARE = 0.90
STATEMENT_TOLERANCE = 0.05
GRID_TOLERANCE_S = 60
STUCK_RUN = 8
SPIKE_FACTOR = 10.0
US = 1_000_000
SH_US = PARK_OFFSET_US


@dataclass
class MeterQuality:
    code: str
    uscc: str
    carrier: str
    role: str
    days: int = 0
    complete_days: int = 0
    expected: int = 0
    received: int = 0
    estimated: int = 0
    total: float = 0.0
    total_estimated: float = 0.0
    flags: dict[str, int] = field(default_factory=dict)

    @property
    def completeness(self) -> float:
        return self.received / self.expected if self.expected else 0.0


@dataclass
class EnterpriseQuality:
    uscc: str
    name: str
    meters: int = 0
    complete_days: int = 0
    days: int = 0
    measured: dict[str, float] = field(default_factory=dict)  # carrier -> main-meter measured total
    estimated: dict[str, float] = field(default_factory=dict)
    statement: dict[str, float] = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)  # English, as the flag stores it
    mismatches_zh: list[str] = field(default_factory=list)
    flags: dict[str, int] = field(default_factory=dict)


@dataclass
class QualityReport:
    year: int
    months: list[int]
    meters: list[MeterQuality]
    enterprises: list[EnterpriseQuality]
    filled: int = 0
    data_version: int = 0


def _month_bounds(year: int, month: int) -> tuple[int, int]:
    tz = PARK_TZ
    a = dt.datetime(year, month, 1, tzinfo=tz)
    b = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return int(a.timestamp()) * US, int(b.timestamp()) * US


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, length) of runs of True."""
    out, start = [], None
    for i, m in enumerate(mask):
        if m and start is None:
            start = i
        elif not m and start is not None:
            out.append((start, i - start))
            start = None
    if start is not None:
        out.append((start, len(mask) - start))
    return out


@dataclass
class _Flag:
    meter_pk: int
    ent_pk: int
    period: str
    rule: str
    ts_us: int | None
    value: float | None
    detail: str


def _check_meter(m: Meter, df: pd.DataFrame, lo: int, hi: int, now_us: int, period: str,
                 flags: list[_Flag], prev: tuple[int, float] | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Flags for one meter's readings (sorted by t); returns per-reading consumption and on-grid mask.

    `prev` is a counter's last measured reading before the month, (t, register): when it lies at most
    one interval (+ the grid tolerance) before the month's first reading, the interval ending at that
    reading is counted in the month (its register difference), instead of being lost at the boundary."""
    step = (m.interval_s or 900) * US
    t = df["t"].to_numpy()
    v = df["value"].to_numpy(dtype=float)
    meas = (df["quality"] != "estimated").to_numpy()
    off = (t + SH_US) % step
    off = np.minimum(off, step - off)
    on_grid = off <= GRID_TOLERANCE_S * US

    def add(rule: str, i: int | None, detail: str, value: float | None = None) -> None:
        flags.append(_Flag(m.id, m.enterprise_id, period, rule, int(t[i]) if i is not None else None,
                           value if value is not None else (float(v[i]) if i is not None else None), detail))

    for i in np.nonzero(~on_grid & meas)[0]:
        add("off_grid", int(i), f"{off[i] / US:.0f} s off the {m.interval_s}-s grid")
    for i in np.nonzero(t > now_us + 300 * US)[0]:
        add("future", int(i), "reading time is in the future")
    if m.installed_on is not None:
        inst = int(park_midnight(m.installed_on).timestamp()) * US
        for i in np.nonzero(t < inst)[0]:
            add("before_install", int(i), f"before the meter was installed on {m.installed_on}")
    if m.kind == "counter":
        cons = np.full(len(v), np.nan)
        # d[j] is the consumption of the interval ending at reading j + shift
        if prev is not None and len(v) and 0 < t[0] - prev[0] <= step + GRID_TOLERANCE_S * US:
            vv, shift = np.concatenate([[prev[1]], v]), 0
        else:
            vv, shift = v, 1
        if len(vv) > 1:
            d = np.diff(vv)
            c = d.copy()
            for j in np.nonzero(d < 0)[0]:
                before, cur = vv[j], vv[j + 1]
                if m.rollover and before > 0.9 * m.rollover and cur < 0.1 * m.rollover:
                    c[j] = m.rollover - before + cur
                    add("rollover", int(j + shift), f"register wrapped at {m.rollover:g}: {before:g} → {cur:g}")
                elif cur < 0.1 * before:
                    c[j] = cur
                    add("counter_reset", int(j + shift), f"register reset: {before:g} → {cur:g}")
                else:
                    c[j] = np.nan
                    add("negative", int(j + shift), f"register went backwards: {before:g} → {cur:g}")
            cons[shift:] = c
            for s, n in _runs(d == 0):
                if n + 1 >= STUCK_RUN:
                    add("stuck", max(0, s + shift - 1), f"register unchanged for {n + 1} readings")
    else:
        cons = v.copy()
        for i in np.nonzero((v < 0) & meas)[0]:
            add("negative", int(i), "negative interval consumption")
        same = np.concatenate([[False], (np.diff(v) == 0) & (v[1:] != 0)]) if len(v) else np.zeros(0, bool)
        for s, n in _runs(same):
            if n + 1 >= STUCK_RUN:
                add("stuck", s - 1, f"the same value {v[s]:g} for {n + 1} readings")
    pos = cons[np.isfinite(cons) & (cons > 0) & meas]
    if len(pos) >= 8:
        med = float(np.median(pos))
        mad = float(np.median(np.abs(pos - med)))
        limit = max(med * SPIKE_FACTOR / 3.0, med + SPIKE_FACTOR * max(mad, 0.05 * med))
        for i in np.nonzero(np.isfinite(cons) & (cons > limit))[0]:
            add("spike", int(i), f"{cons[i]:g} is above {limit:.4g} (median {med:.4g})", float(cons[i]))
    out = df.assign(cons=cons, on_grid=on_grid)
    return out, pd.Series(on_grid)


def _fill(m: Meter, df: pd.DataFrame, lo: int, hi: int, now_us: int) -> pd.DataFrame:
    """Estimated readings for missing grid points between lo and min(hi, now) (linear interpolation)."""
    step = (m.interval_s or 900) * US
    start = lo
    if m.installed_on is not None:
        inst = int(park_midnight(m.installed_on).timestamp()) * US
        start = max(start, inst)
    start = -(-(start + SH_US) // step) * step - SH_US
    end = min(hi, now_us)
    grid = np.arange(start, end, step)
    meas = df[df["quality"] != "estimated"]
    have_any = set(df["t"].tolist())
    have_pts = ((meas["t"].to_numpy() + SH_US + step // 2) // step) * step - SH_US
    missing = np.array([g for g in grid if g not in have_any and g not in set(have_pts.tolist())], dtype=np.int64)
    if len(missing) == 0 or len(meas) == 0:
        return pd.DataFrame(columns=["t", "value"])
    x, y = meas["t"].to_numpy(), meas["value"].to_numpy(dtype=float)
    if m.kind == "counter":
        vals = np.interp(missing, x, y)
    else:
        vals = np.interp(missing, x, y) if len(x) > 1 else np.full(len(missing), y[0])
    return pd.DataFrame({"t": missing, "value": vals})


def compute(registry: Registry, lake: Lake, year: int, month: int | None = None, uscc: str | None = None,
            fill_gaps: bool = False, now: dt.datetime | None = None) -> QualityReport:
    """Compute, store and return the quality of `year` (or one month), optionally for one enterprise."""
    months = [month] if month else list(range(1, 13))
    now_us = int((now or dt.datetime.now(dt.UTC)).timestamp() * US)
    with registry.session() as s:
        q = select(Meter, Enterprise).join(Enterprise, Meter.enterprise_id == Enterprise.id).where(
            Meter.kind != "statement")
        if uscc:
            q = q.where(Enterprise.uscc == uscc)
        pairs = s.execute(q.order_by(Meter.code)).all()
        ents = {e.id: e for _, e in pairs}
        acts = s.scalars(select(Activity).where(Activity.active.is_(True), Activity.period.in_(
            [f"{year:04d}-{mm:02d}" for mm in months]), Activity.enterprise_id.in_(list(ents) or [-1]))).all()
        locked = signed_off_years(s)
    meters = {m.code: m for m, _ in pairs}
    writer = DedupeWriter(lake) if fill_gaps else None
    mq = {m.code: MeterQuality(m.code, ents[m.enterprise_id].uscc, m.carrier, m.role) for m in meters.values()}
    eq = {e.id: EnterpriseQuality(e.uscc, e.name) for e in ents.values()}
    for e in eq.values():
        e.meters = sum(1 for m in meters.values() if ents[m.enterprise_id].uscc == e.uscc)
    for a in acts:
        e = eq[a.enterprise_id]
        e.statement[f"{a.period}|{a.carrier}"] = e.statement.get(f"{a.period}|{a.carrier}", 0.0) + a.quantity
    flags: list[_Flag] = []
    days: list[QualityDay] = []
    filled = 0
    version = lake.version
    for mon in months:
        lo, hi = _month_bounds(year, mon)
        if lo > now_us:
            continue
        period = f"{year:04d}-{mon:02d}"
        frame = _read(lake, year, mon, list(meters))
        if fill_gaps and writer is not None:
            est_rows = []
            for code, df in frame.groupby("meter_id", sort=False) if len(frame) else []:
                if year in locked.get(meters[str(code)].enterprise_id, {}):
                    continue  # a signed-off year is not filled: estimates would change signed figures
                f = _fill(meters[str(code)], df, lo, hi, now_us)
                if len(f):
                    est_rows.append(f.assign(meter_id=code, carrier=meters[str(code)].carrier))
            if est_rows:
                est = pd.concat(est_rows, ignore_index=True)
                tbl = pa.table({"meter_id": pa.array(est["meter_id"].astype(str), pa.string()),
                                "ts": pa.array(est["t"].astype("int64"), pa.int64()).cast(pa.timestamp("us", "UTC")),
                                "value": pa.array(est["value"].astype(float), pa.float64()),
                                "unit": pa.array([CANONICAL_UNIT[c] for c in est["carrier"]], pa.string()),
                                "quality": pa.array(["estimated"] * len(est), pa.string())})
                bid = "fill-" + hashlib.sha256(f"{period}|{version}|{len(est)}|{uscc}".encode()).hexdigest()[:24]
                filled += writer.write(tbl, pa.array(est["carrier"].astype(str), pa.string()), bid,
                                       {"source": "gap-fill", "period": period}).accepted
                frame = _read(lake, year, mon, list(meters))
        groups = dict(tuple(frame.groupby("meter_id", sort=False))) if len(frame) else {}
        before = _read_prev(lake, year, mon, lo, [c for c, m in meters.items() if m.kind == "counter"])
        for code, m in meters.items():
            found = groups.get(code)
            life_lo = lo
            if m.installed_on is not None:
                inst = int(park_midnight(m.installed_on).timestamp()) * US
                life_lo = max(lo, inst)
            day_lo = (life_lo + SH_US) // (86400 * US)
            day_hi = (min(hi, now_us) + SH_US - 1) // (86400 * US)
            per_day = 86400 // (m.interval_s or 900)
            if found is None or len(found) == 0:
                found = pd.DataFrame({"t": np.zeros(0, np.int64), "value": np.zeros(0), "quality": []})
            df = found.sort_values("t").reset_index(drop=True)
            checked, _ = _check_meter(m, df, lo, hi, now_us, period, flags, before.get(code))
            checked["day"] = (checked["t"] + SH_US) // (86400 * US)
            checked["est"] = checked["quality"] == "estimated"
            for day in range(int(day_lo), int(day_hi) + 1):
                sel = checked[checked["day"] == day]
                meas = sel[~sel["est"]]
                received = int(meas.loc[meas["on_grid"], "t"].nunique())
                n_est = int(sel["est"].sum())
                total = float(np.nansum(meas["cons"])) if len(meas) else 0.0
                total_est = float(np.nansum(sel.loc[sel["est"], "cons"])) if n_est else 0.0
                expected = per_day
                d = dt.date(1970, 1, 1) + dt.timedelta(days=day)
                complete = received >= COMPLETE_SHARE * expected
                days.append(QualityDay(meter_id=m.id, day=d, expected=expected, received=received, estimated=n_est,
                                       completeness=received / expected, complete=complete, total=total,
                                       total_estimated=total_est, data_version=version))
                r = mq[code]
                r.days += 1
                r.complete_days += complete
                r.expected += expected
                r.received += received
                r.estimated += n_est
                r.total += total
                r.total_estimated += total_est
                e = eq[m.enterprise_id]
                e.days += 1
                e.complete_days += complete
                if m.role == "main":
                    key = f"{period}|{m.carrier}"
                    e.measured[key] = e.measured.get(key, 0.0) + total
                    e.estimated[key] = e.estimated.get(key, 0.0) + total_est
        for ent_id, e in eq.items():
            for key, stmt in e.statement.items():
                if not key.startswith(period) or key not in e.measured:
                    continue
                metered = e.measured[key] + e.estimated.get(key, 0.0)
                if stmt > 0 and abs(metered - stmt) / stmt > STATEMENT_TOLERANCE:
                    carrier = key.split("|")[1]
                    msg, msg_zh = pair("note.quality:mismatch", carrier=Both(carrier, carrier_zh(carrier)),
                                       period=period, metered=metered, unit=CANONICAL_UNIT[carrier], statement=stmt,
                                       deviation=(metered - stmt) / stmt, limit=STATEMENT_TOLERANCE)
                    e.mismatches.append(msg)
                    e.mismatches_zh.append(msg_zh)
                    flags.append(_Flag(-1, ent_id, period, "statement_mismatch", None, metered, msg))
    code_of = {m.id: c for c, m in meters.items()}
    for fl in flags:
        if fl.meter_pk >= 0:
            mc = code_of[fl.meter_pk]
            mq[mc].flags[fl.rule] = mq[mc].flags.get(fl.rule, 0) + 1
        ent_q = eq[fl.ent_pk]
        ent_q.flags[fl.rule] = ent_q.flags.get(fl.rule, 0) + 1
    _store(registry, [m.id for m in meters.values()], list(ents), [f"{year:04d}-{mm:02d}" for mm in months],
           days, flags)
    return QualityReport(year, months, list(mq.values()), list(eq.values()), filled, lake.version)


def _read(lake: Lake, year: int, month: int, codes: Iterable[str]) -> pd.DataFrame:
    files = lake.files(months=[(year, month)])
    if not files:
        return pd.DataFrame({"meter_id": [], "t": np.zeros(0, np.int64), "value": np.zeros(0), "quality": []})
    con = duckdb.connect()
    con.register("wanted", pa.table({"code": pa.array(list(codes), pa.string())}))
    df = con.sql(f"SELECT meter_id, epoch_us(ts) AS t, value, quality FROM ({effective_readings_sql(files)}) r "
                 "WHERE meter_id IN (SELECT code FROM wanted) ORDER BY meter_id, t").df()
    con.close()
    return df


def _read_prev(lake: Lake, year: int, month: int, lo: int, codes: list[str]) -> dict[str, tuple[int, float]]:
    """Per counter meter, its last measured reading of the previous month: (UTC µs, register)."""
    py, pm = (year, month - 1) if month > 1 else (year - 1, 12)
    files = lake.files(months=[(py, pm)]) if codes else []
    if not files:
        return {}
    con = duckdb.connect()
    con.register("wanted", pa.table({"code": pa.array(codes, pa.string())}))
    rows = con.sql(f"SELECT meter_id, max(epoch_us(ts)), arg_max(value, ts) FROM ({effective_readings_sql(files)}) r "
                   f"WHERE quality <> 'estimated' AND epoch_us(ts) < {int(lo)} "
                   "AND meter_id IN (SELECT code FROM wanted) GROUP BY meter_id").fetchall()
    con.close()
    return {str(c): (int(t), float(v)) for c, t, v in rows}


def _store(registry: Registry, meter_pks: list[int], ent_pks: list[int], periods: list[str],
           days: list[QualityDay], flags: list[_Flag]) -> None:
    day_set = {d.day for d in days}
    with registry.session() as s:
        if meter_pks and day_set:
            s.execute(delete(QualityDay).where(QualityDay.meter_id.in_(meter_pks), QualityDay.day.in_(day_set)))
        s.execute(delete(QualityFlag).where(QualityFlag.period.in_(periods), QualityFlag.rule != "coefficient",
                                            (QualityFlag.meter_id.in_(meter_pks or [-1]))
                                            | (QualityFlag.enterprise_id.in_(ent_pks or [-1]) &
                                               QualityFlag.meter_id.is_(None))))
        s.add_all(days)
        s.add_all([QualityFlag(meter_id=f.meter_pk if f.meter_pk >= 0 else None, enterprise_id=f.ent_pk,
                               period=f.period, rule=f.rule,
                               ts=dt.datetime.fromtimestamp(f.ts_us / US, dt.UTC) if f.ts_us is not None else None,
                               value=f.value, detail=f.detail) for f in flags])


def stored_flags(registry: Registry, period: str, uscc: str | None = None) -> list[QualityFlag]:
    with registry.session() as s:
        q = select(QualityFlag).where(QualityFlag.period == period)
        if uscc:
            ent = s.scalar(select(Enterprise.id).where(Enterprise.uscc == uscc))
            q = q.where(QualityFlag.enterprise_id == ent)
        return list(s.scalars(q))
