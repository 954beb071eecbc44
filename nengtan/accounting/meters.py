"""Monthly activity from meter scans, and statement-over-meter precedence: pure functions over the
frames the registry and the lake scan return (nengtan.registry.frames, nengtan.lake.scan).

Precedence, per enterprise × month × carrier: a monthly statement is the accounting basis where one
exists (it is what the enterprise was billed and files); metered totals fill in where none exists.
Only ``main`` meters are summed; ``sub`` meters hang below a main meter and are never added, so
sub-metering cannot double count. Interval meters are summed; cumulative counters are differenced
(resets, rollovers and suspect readings detected, never negative), each interval attributed to the month
in which it starts (Asia/Shanghai calendar, the lake's partition month).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from nengtan.accounting.calc import counter_consumption
from nengtan.units import CANONICAL_UNIT

ACTIVITY_COLUMNS = ["enterprise_id", "period", "carrier", "quantity", "estimated_quantity", "source",
                    "feedstock_quantity", "feedstock_oxidised"]
TOTAL_COLUMNS = ["meter_id", "month", "total", "estimated"]


def meter_totals(scan: pd.DataFrame, year: int) -> pd.DataFrame:
    """Σ value per meter and month of ``year`` (interval meters): meter_id, month, total, estimated."""
    return scan.loc[scan["year"] == year, TOTAL_COLUMNS].reset_index(drop=True)


def counter_months(scan: pd.DataFrame, counters: pd.DataFrame, year: int) -> tuple[pd.DataFrame,
                                                                                  set[tuple[str, int, int]]]:
    """Monthly consumption of cumulative counters that the month scan settles, and the (meter, year,
    month) triples it cannot.

    Where a month's registers never fall (lowest = first, highest = last, the next month's first reading
    not below this month's last and this month's first not below the previous month's last),
    consumption = next month's first − this month's first (or last − first for the newest month). Any
    other month — a reset, a rollover, a suspect reading — is returned for differencing reading by reading
    (:func:`counter_totals`), which is exact in every case.
    """
    if counters.empty or scan.empty:
        return pd.DataFrame(columns=TOTAL_COLUMNS), set()
    c = scan[scan["meter_id"].isin(counters["meter_id"])]
    meter = c["meter_id"].to_numpy(dtype=object)
    year_, month = c["year"].to_numpy(dtype=np.int64), c["month"].to_numpy(dtype=np.int64)
    idx = year_ * 12 + month
    order = np.lexsort((idx, meter))  # by meter, then month (a few hundred rows: plain arrays, no groupby)
    meter, year_, month, idx = meter[order], year_[order], month[order], idx[order]
    first, last, lo, hi, n, n_est = (c[k].to_numpy(dtype=float)[order] for k in
                                     ("first", "last", "lo", "hi", "n", "n_estimated"))
    same_next = np.r_[meter[1:] == meter[:-1], False]  # the next row is the same meter's (its next month scanned)
    same_prev = np.r_[False, meter[1:] == meter[:-1]]
    next_first = np.where(same_next, np.r_[first[1:], np.nan], np.nan)
    next_idx = np.where(same_next, np.r_[idx[1:], -1], -1)
    prev_last = np.where(same_prev, np.r_[np.nan, last[:-1]], np.nan)
    has_next = ~np.isnan(next_first)
    consecutive = ~has_next | (next_idx == idx + 1)
    with np.errstate(invalid="ignore"):  # (NaN comparisons are False, as the rule wants)
        monotone = ((lo == first) & (hi == last) & (~has_next | (next_first >= last))
                    & (np.isnan(prev_last) | (first >= prev_last)))  # a month opening on a fall is not
    total = np.where(has_next, next_first, last) - first
    with np.errstate(invalid="ignore", divide="ignore"):
        estimated = total * n_est / n
    in_year = year_ == year
    bad = in_year & ~(monotone & consecutive)
    pairs = {(str(m), int(y), int(mo)) for m, y, mo in zip(meter[bad], year_[bad], month[bad], strict=True)}
    ok = in_year & ~bad
    return pd.DataFrame({"meter_id": meter[ok], "month": month[ok], "total": total[ok],
                         "estimated": estimated[ok]}), pairs


def months_to_read(pairs: set[tuple[str, int, int]]) -> set[tuple[int, int]]:
    """The lake months holding the readings of ``pairs``: their own and the next (its first reading closes
    the month)."""
    months = {(y, m) for _, y, m in pairs}
    return months | {(y + (m == 12), m % 12 + 1) for y, m in months}


def counter_totals(readings: pd.DataFrame, counters: pd.DataFrame, pairs: set[tuple[str, int, int]]) -> pd.DataFrame:
    """Consumption of cumulative counters for (meter, year, month) pairs, reading by reading
    (calc.counter_consumption); each interval counts in the month it starts. ``readings`` are the
    lake's READING_COLUMNS for those meters and months, by meter and time. Returns TOTAL_COLUMNS."""
    out = pd.DataFrame(columns=TOTAL_COLUMNS)
    if not pairs or readings.empty:
        return out
    rollover = dict(zip(counters["meter_id"], counters["rollover"], strict=True))
    wanted: dict[str, list[int]] = {}
    for meter, y, m in pairs:
        wanted.setdefault(meter, []).append(y * 12 + m)
    meters, values = readings["meter_id"].to_numpy(dtype=object), readings["value"].to_numpy(dtype=float)
    years, months = readings["year"].to_numpy(dtype=np.int64), readings["month"].to_numpy(dtype=np.int64)
    est = readings["est"].to_numpy(dtype=bool)
    starts = np.flatnonzero(np.r_[True, meters[1:] != meters[:-1]])  # each meter's run (readings by meter, time)
    ends = np.r_[starts[1:], len(meters)]
    totals: dict[tuple[str, int], list[float]] = {}
    for a, b in zip(starts, ends, strict=True):
        meter_id = str(meters[a])
        cons, _, _ = counter_consumption(values[a:b], _none_if_nan(rollover.get(meter_id)))
        month = months[a:b - 1]
        keep = np.isin(years[a:b - 1] * 12 + month, wanted.get(meter_id, []))
        booked = np.where(est[a:b - 1] | est[a + 1:b], cons, 0.0)
        for mo in np.unique(month[keep]):
            at = keep & (month == mo)
            acc = totals.setdefault((meter_id, int(mo)), [0.0, 0.0])
            acc[0] += float(cons[at].sum())
            acc[1] += float(booked[at].sum())
    if not totals:
        return out
    keys = sorted(totals)
    return pd.DataFrame({"meter_id": [k[0] for k in keys], "month": [k[1] for k in keys],
                         "total": [totals[k][0] for k in keys], "estimated": [totals[k][1] for k in keys]})


def counter_hours(series: pd.DataFrame, rollover: dict[str, float | None]) -> pd.DataFrame:
    """Hourly consumption (``hour``, ``total``) of cumulative counters from their register readings (``meter_id``,
    ``hour``, ``value``, by meter and time): each interval's consumption (calc.counter_consumption: rollovers,
    resets and suspect readings handled as the monthly accounts do) counts in the hour it starts."""
    parts = []
    for meter_id, g in series.groupby("meter_id", sort=False):
        cons, _, _ = counter_consumption(g["value"].to_numpy(dtype=float), _none_if_nan(rollover.get(str(meter_id))))
        if len(cons):
            parts.append(pd.DataFrame({"hour": g["hour"].to_numpy()[:-1], "total": cons}))
    if not parts:
        return pd.DataFrame(columns=["hour", "total"])
    return pd.concat(parts).groupby("hour", as_index=False).agg(total=("total", "sum"))


def _none_if_nan(x: object) -> float | None:
    if x is None:
        return None
    f = float(x)  # type: ignore[arg-type]
    return None if np.isnan(f) else f


def meter_activity(meters: pd.DataFrame, interval: pd.DataFrame, counters: pd.DataFrame, year: int) -> pd.DataFrame:
    """Metered monthly totals per enterprise and carrier (ACTIVITY_COLUMNS) from the interval meters'
    and the counters' monthly totals of main meters."""
    kinds = meters["kind"].to_numpy(dtype=object)
    parts = []
    for totals, kind in ((interval, "interval"), (counters, None)):  # a counter's months are its own, whatever kind
        if totals.empty:
            continue
        own = meters[kinds == kind] if kind else meters
        at = pd.Index(own["meter_id"]).get_indexer(totals["meter_id"])
        hit = at >= 0  # totals of meters that are not main meters of that kind are not activity
        pick = own.iloc[at[hit]]
        parts.append(pd.DataFrame({"enterprise_id": pick["enterprise_id"].to_numpy(),
                                   "carrier": pick["carrier"].to_numpy(dtype=object),
                                   "month": totals["month"].to_numpy(dtype=np.int64)[hit],
                                   "total": totals["total"].to_numpy(dtype=float)[hit],
                                   "estimated": totals["estimated"].to_numpy(dtype=float)[hit]}))
    both = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if both.empty:
        return pd.DataFrame(columns=ACTIVITY_COLUMNS)
    # Σ per enterprise × month × carrier, in that order: one integer key, np.unique and bincount (a groupby over
    # three columns costs more than the sums of a few thousand rows)
    carrier_codes, carriers = pd.factorize(both["carrier"], sort=True)
    month = both["month"].to_numpy(dtype=np.int64)
    ids = both["enterprise_id"].to_numpy(dtype=np.int64)
    keys, at = np.unique((ids * 13 + month) * len(carriers) + carrier_codes, return_inverse=True)
    period = np.array([f"{year:04d}-{m:02d}" for m in range(13)], dtype=object)
    return pd.DataFrame({
        "enterprise_id": keys // len(carriers) // 13, "period": period[keys // len(carriers) % 13],
        "carrier": np.asarray(carriers, dtype=object)[keys % len(carriers)],
        "quantity": np.bincount(at, weights=both["total"].to_numpy(dtype=float), minlength=len(keys)),
        "estimated_quantity": np.bincount(at, weights=both["estimated"].to_numpy(dtype=float), minlength=len(keys)),
        "source": "meter", "feedstock_quantity": 0.0, "feedstock_oxidised": False})[ACTIVITY_COLUMNS]


CARRIER_INDEX = {c: i for i, c in enumerate(sorted(CANONICAL_UNIT))}
"""Each carrier's place among the canonical carriers: a stable small integer for activity_keys."""


def month_numbers(periods: Iterable[object]) -> np.ndarray:
    """year × 12 + month of each ``YYYY-MM`` period: integers that sort and differ as the periods do."""
    return np.array([int(str(p)[:4]) * 12 + int(str(p)[5:7]) for p in periods], dtype=np.int64)


def activity_keys(activity: pd.DataFrame) -> np.ndarray:
    """One int64 per activity row naming its enterprise, period (``YYYY-MM``) and carrier, the same for the same
    triple in any frame: statement-over-meter precedence compares these rather than tuples of three columns."""
    periods, distinct = pd.factorize(activity["period"])
    months = month_numbers(distinct)
    carriers, names = pd.factorize(activity["carrier"])
    places = np.array([CARRIER_INDEX[str(c)] for c in names], dtype=np.int64)  # (a carrier outside the catalogue
    # cannot be costed either: the KeyError says which)
    ids = activity["enterprise_id"].to_numpy(dtype=np.int64)
    return (ids * 100_000 + months[periods]) * len(CARRIER_INDEX) + places[carriers]


def combine_activity(statements: pd.DataFrame, metered: pd.DataFrame, enterprises: pd.DataFrame) -> pd.DataFrame:
    """Activity rows with statement-over-meter precedence, joined with the enterprise columns (uscc,
    enterprise, sector_code, province), in canonical units, sorted by enterprise, period and carrier."""
    st, mt = statements, metered
    if not st.empty and not mt.empty:
        mt = mt[~np.isin(activity_keys(mt), activity_keys(st))]
    frames = [f for f in (st, mt) if not f.empty]
    act = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ACTIVITY_COLUMNS)
    # few distinct values on up to 10⁶ rows: as categories they are sorted, taken and merged as integers
    act = act.astype({c: "category" for c in ("period", "carrier", "source")})
    # the enterprise columns by position (an inner join on enterprise_id, the activity's order kept)
    at = pd.Index(enterprises["enterprise_id"]).get_indexer(act["enterprise_id"])
    known = at >= 0
    act = (act if known.all() else act[known]).reset_index(drop=True)
    df = pd.concat([act, enterprises.iloc[at[known]].drop(columns="enterprise_id").reset_index(drop=True)], axis=1)
    df["unit"] = df["carrier"].map(CANONICAL_UNIT)
    df["quantity"] = df["quantity"].astype(float)
    df["estimated_quantity"] = df["estimated_quantity"].astype(float)
    # sorted by enterprise, period and carrier, stably (the categories are sorted, so their codes sort as values)
    uscc, _ = pd.factorize(df["uscc"], sort=True)
    order = np.lexsort((df["carrier"].cat.codes.to_numpy(), df["period"].cat.codes.to_numpy(), uscc))
    return df.take(order).reset_index(drop=True)
