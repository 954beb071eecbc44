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
    c = scan[scan["meter_id"].isin(counters["meter_id"])].copy()
    c["idx"] = c["year"].astype(int) * 12 + c["month"].astype(int)
    c = c.sort_values(["meter_id", "idx"])
    g = c.groupby("meter_id", sort=False)
    c["next_first"] = g["first"].shift(-1)
    c["next_idx"] = g["idx"].shift(-1)
    c["prev_last"] = g["last"].shift(1)
    has_next = c["next_first"].notna()
    consecutive = ~has_next | (c["next_idx"] == c["idx"] + 1)
    monotone = ((c["lo"] == c["first"]) & (c["hi"] == c["last"]) & (~has_next | (c["next_first"] >= c["last"]))
                & (c["prev_last"].isna() | (c["first"] >= c["prev_last"])))  # a month opening on a fall is not
    c["total"] = (c["next_first"].where(has_next, c["last"]) - c["first"]).astype(float)
    c["estimated"] = c["total"] * c["n_estimated"] / c["n"]
    in_year = c["year"] == year
    bad = in_year & ~(monotone & consecutive)
    pairs = {(str(m), int(y), int(mo)) for m, y, mo in zip(c.loc[bad, "meter_id"], c.loc[bad, "year"],
                                                            c.loc[bad, "month"], strict=True)}
    return c[in_year & ~bad][TOTAL_COLUMNS], pairs


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
    parts = []
    for meter_id, g in readings.groupby("meter_id", sort=False):
        cons, _, _ = counter_consumption(g["value"].to_numpy(), _none_if_nan(rollover.get(meter_id)))
        month = g["month"].to_numpy(dtype=np.int64)[:-1]
        keep = np.isin(g["year"].to_numpy(dtype=np.int64)[:-1] * 12 + month, wanted.get(str(meter_id), []))
        est = g["est"].to_numpy(dtype=bool)
        parts.append(pd.DataFrame({"meter_id": meter_id, "month": month[keep], "total": cons[keep],
                                   "estimated": np.where(est[:-1] | est[1:], cons, 0.0)[keep]}))
    if not parts:
        return out
    return pd.concat(parts).groupby(["meter_id", "month"], as_index=False)[["total", "estimated"]].sum()


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
    both = pd.concat([interval.merge(meters[meters["kind"] == "interval"], on="meter_id"),
                      counters.merge(meters, on="meter_id")], ignore_index=True)
    if both.empty:
        return pd.DataFrame(columns=ACTIVITY_COLUMNS)
    both["period"] = [f"{year:04d}-{int(m):02d}" for m in both["month"]]
    agg = both.groupby(["enterprise_id", "period", "carrier"], as_index=False)[["total", "estimated"]].sum()
    agg = agg.rename(columns={"total": "quantity", "estimated": "estimated_quantity"})
    agg["source"] = "meter"
    agg["feedstock_quantity"] = 0.0
    agg["feedstock_oxidised"] = False
    return agg[ACTIVITY_COLUMNS]


def combine_activity(statements: pd.DataFrame, metered: pd.DataFrame, enterprises: pd.DataFrame) -> pd.DataFrame:
    """Activity rows with statement-over-meter precedence, joined with the enterprise columns (uscc,
    enterprise, sector_code, province), in canonical units, sorted by enterprise, period and carrier."""
    st, mt = statements, metered
    if not st.empty and not mt.empty:
        keys = pd.MultiIndex.from_frame(st[["enterprise_id", "period", "carrier"]])
        mkeys = pd.MultiIndex.from_frame(mt[["enterprise_id", "period", "carrier"]])
        mt = mt[~mkeys.isin(keys)]
    frames = [f for f in (st, mt) if not f.empty]
    act = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ACTIVITY_COLUMNS)
    # few distinct values on up to 10⁶ rows: as categories they are sorted, taken and merged as integers
    act = act.astype({c: "category" for c in ("period", "carrier", "source")})
    df = act.merge(enterprises, on="enterprise_id", how="inner")
    df["unit"] = df["carrier"].map(CANONICAL_UNIT)
    df["quantity"] = df["quantity"].astype(float)
    df["estimated_quantity"] = df["estimated_quantity"].astype(float)
    return df.sort_values(["uscc", "period", "carrier"]).reset_index(drop=True)
