"""Hourly profiles of contracted and on-site supply, and granular (hourly) certificates, pure.

A contract month or an on-site PV statement gives energy per month; hourly matching needs it per hour. Until a
contract's metered hourly profile is held on the platform (then its hours give the shape of each month's volume),
a month's energy is spread over its hours by the contract's ``shape``:

* ``flat`` — the same every hour (a baseload PPA);
* ``solar`` — ``max(0, sin(π (h − 6) / 12))`` of the solar hour h (h + 0.5 for the hour's middle): zero from 18:00
  to 06:00, highest at noon;
* ``wind`` — ``1 + 0.35 cos(2π (h − 3) / 24)``: stronger at night, as onshore and offshore wind in East China
  typically blow (a typical shape, not a measured one; say so wherever a CFE score rests on it).

Granular certificates follow the EnergyTag Granular Certificate Scheme Standard (v2, 2024): one certificate
bundle per source and production hour, in Wh, cancelled against consumption in the same hour; what no
consumption in its hour matched stays uncancelled (it cannot serve another hour).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from nengtan.errors import InputError

SHAPES = ("flat", "solar", "wind")


def solar(hour_of_day: np.ndarray) -> np.ndarray:
    """The solar shape at (fractional) solar hours of the day: ``max(0, sin(π (h − 6) / 12))``."""
    return np.clip(np.sin(np.pi * (np.asarray(hour_of_day, dtype=float) - 6) / 12), 0.0, None)


def shape_weights(shape: str, hours: Sequence[dt.datetime]) -> np.ndarray:
    """Relative weight of each hour (park time) for a profile ``shape``."""
    h = np.array([x.hour + 0.5 for x in hours])
    if shape == "flat":
        return np.ones(len(h))
    if shape == "solar":
        return solar(h)
    if shape == "wind":
        return 1.0 + 0.35 * np.cos(2 * np.pi * (h - 3) / 24)
    raise InputError(f"profile shape {shape!r}: {', '.join(SHAPES)}")


def month_hours(month: str, tz: dt.tzinfo) -> list[dt.datetime]:
    """Every hour of a ``YYYY-MM`` month in time zone `tz`."""
    start = dt.datetime.fromisoformat(f"{month}-01T00:00").replace(tzinfo=tz)
    nxt = (start + dt.timedelta(days=32)).replace(day=1)
    return [start + dt.timedelta(hours=h) for h in range(int((nxt - start).total_seconds()) // 3600)]


def spread(monthly_kwh: dict[str, float], shape: str, hours: Sequence[dt.datetime],
           weights: dict[dt.datetime, float] | None = None) -> np.ndarray:
    """Hourly kWh at `hours` (park time, aware) of energy given per month (``YYYY-MM`` → kWh): each month spread
    over all of its hours by `shape` — or by measured `weights` per hour (a contract's metered profile, which
    then gives the shape of the month's volume) — and read at `hours`. Energy in hours outside `hours` is not
    moved into them: it matched no load."""
    out = np.zeros(len(hours))
    if not hours:
        return out
    tz = hours[0].tzinfo
    assert tz is not None
    where = {h: k for k, h in enumerate(hours)}
    for month, kwh in monthly_kwh.items():
        if not kwh:
            continue
        all_hours = month_hours(month, tz)
        w = (np.array([weights.get(h, 0.0) for h in all_hours]) if weights is not None
             else shape_weights(shape, all_hours))
        if w.sum() <= 0:
            raise InputError(f"{month}: {kwh:,.0f} kWh to spread but the profile is empty in that month")
        values = kwh * w / w.sum()
        for h, v in zip(all_hours, values, strict=True):
            k = where.get(h)
            if k is not None:
                out[k] += v
    return out


def granular(supply: np.ndarray, load: np.ndarray) -> dict[str, np.ndarray]:
    """Hourly certificates of several sources against one load.

    ``supply`` (S, H) kWh per source and hour, ``load`` (H,) kWh. Each hour's consumption cancels the hour's
    certificates in proportion to what each source produced: cancelled[s, h] = supply[s, h] · min(1, load[h] /
    Σ_s supply[s, h]). Returns issued, cancelled and uncancelled (S, H) [kWh]."""
    supply = np.atleast_2d(np.asarray(supply, dtype=float))
    load = np.asarray(load, dtype=float)
    if supply.shape[1] != load.shape[0]:
        raise InputError("supply and load must cover the same hours")
    total = supply.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total > 0, np.minimum(1.0, load / total), 0.0)
    cancelled = supply * ratio[None, :]
    return {"issued": supply, "cancelled": cancelled, "uncancelled": supply - cancelled}
