"""Hourly profiles of contracted and on-site supply, and granular (hourly) certificates, pure.

A contract month or an on-site PV statement gives energy per month; hourly matching needs it per hour. Until a
contract's metered hourly profile is held on the platform, a month's energy is spread over its hours by the
contract's ``shape``:

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


def shape_weights(shape: str, hours: Sequence[dt.datetime]) -> np.ndarray:
    """Relative weight of each hour (park time) for a profile ``shape``."""
    h = np.array([x.hour + 0.5 for x in hours])
    if shape == "flat":
        return np.ones(len(h))
    if shape == "solar":
        return np.clip(np.sin(np.pi * (h - 6) / 12), 0.0, None)
    if shape == "wind":
        return 1.0 + 0.35 * np.cos(2 * np.pi * (h - 3) / 24)
    raise InputError(f"profile shape {shape!r}: {', '.join(SHAPES)}")


def spread(monthly_kwh: dict[str, float], shape: str, hours: Sequence[dt.datetime]) -> np.ndarray:
    """Hourly kWh over `hours` of energy given per month (``YYYY-MM`` → kWh), each month by `shape` over its own
    hours in `hours`; a month with energy but none of its hours in `hours` is refused."""
    out = np.zeros(len(hours))
    labels = np.array([f"{x:%Y-%m}" for x in hours])
    w = shape_weights(shape, hours)
    for month, kwh in monthly_kwh.items():
        sel = labels == month
        total = w[sel].sum()
        if kwh and total <= 0:
            raise InputError(f"{month}: {kwh:,.0f} kWh to spread but no hour of that month in the load")
        if kwh:
            out[sel] = kwh * w[sel] / total
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
