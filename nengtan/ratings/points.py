"""Carbon credit points (工业企业碳积分), pure: what an enterprise earns for a year under a points method, and
what is left of its points after spends and expiry.

Earning rules (each with its parameters in the method file, nengtan/ratings/data/carbon_points.json):

* ``verified_reduction``: the year's CO2 below the enterprise's own baseline, ``(I_base − I_year) × VA_year``
  [tCO2], I = CO2 / value added, I_base the mean of the base years before the year that have value added;
  counted only when the year is verified (a sign-off or a verification record) and the reduction is positive;
* ``green_power``: claimed (GEC-backed) green electricity [MWh];
* ``certified_footprint``: product carbon-footprint certificates valid in the year;
* ``complete_verified_data``: complete meter-days at or above the threshold and the year verified.

Points earned for year Y expire at the end of year Y + expiry_years. Spends take the oldest unexpired points
first (first in, first out), so what expires is what was never spent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from nengtan.errors import InputError
from nengtan.ratings.methods import Method


@dataclass(frozen=True)
class Year:
    """One enterprise-year's inputs."""

    co2_t: float
    value_added: float | None  # 万元
    base_intensities: tuple[float, ...]  # tCO2/万元 of the base years that have value added
    verified: bool
    green_mwh: float
    certificates: int
    complete_days: float | None  # share of complete meter-days, None: not assessed


@dataclass(frozen=True)
class Earned:
    rule: str
    points: float
    basis: dict[str, Any]


def earn(x: Year, method: Method) -> tuple[list[Earned], list[str]]:
    """The points `x` earns, one entry per rule that pays, and why each rule that does not pay does not."""
    r = method.params["rules"]
    out: list[Earned] = []
    why: list[str] = []
    red = r["verified_reduction"]
    if not x.value_added or x.value_added <= 0:
        why.append("verified_reduction: no value added this year")
    elif not x.base_intensities:
        why.append("verified_reduction: no base year with value added")
    elif red["requires_verified"] and not x.verified:
        why.append("verified_reduction: the year is not verified")
    else:
        base = sum(x.base_intensities) / len(x.base_intensities)
        cut = (base - x.co2_t / x.value_added) * x.value_added
        if cut > 0:
            out.append(Earned("verified_reduction", cut * float(red["points_per_t"]),
                              {"baseline_intensity": base, "intensity": x.co2_t / x.value_added,
                               "value_added": x.value_added, "reduction_t": cut,
                               "base_years": len(x.base_intensities)}))
        else:
            why.append(f"verified_reduction: intensity {x.co2_t / x.value_added:.4f} is not below the baseline "
                       f"{base:.4f} tCO2/万元")
    if x.green_mwh > 0:
        out.append(Earned("green_power", x.green_mwh * float(r["green_power"]["points_per_mwh"]),
                          {"green_mwh": x.green_mwh}))
    else:
        why.append("green_power: no claimed green electricity")
    if x.certificates > 0:
        out.append(Earned("certified_footprint", x.certificates * float(r["certified_footprint"]["points_each"]),
                          {"certificates": x.certificates}))
    else:
        why.append("certified_footprint: no valid product certificate")
    q = r["complete_verified_data"]
    if x.verified and x.complete_days is not None and x.complete_days >= float(q["min_complete_days"]):
        out.append(Earned("complete_verified_data", float(q["points"]), {"complete_days": x.complete_days}))
    else:
        why.append("complete_verified_data: " + ("the year is not verified" if not x.verified else
                                                 "meters not assessed" if x.complete_days is None else
                                                 f"complete meter-days {x.complete_days:.1%} below "
                                                 f"{float(q['min_complete_days']):.0%}"))
    return out, why


def expires_on(year: int, method: Method) -> dt.date:
    return dt.date(year + int(method.params["expiry_years"]), 12, 31)


@dataclass(frozen=True)
class Lot:
    """Points earned once (an entry), and when they expire."""

    id: int
    points: float
    expires: dt.date


def remaining(lots: list[Lot], spends: list[tuple[dt.date, float]], on: dt.date) -> tuple[dict[int, float],
                                                                                     dict[int, float]]:
    """What is left of each lot after the spends (each, in date order, taken from the lots not yet expired on its
    day, the soonest to expire first), and, of that, what has expired by `on` (a lot expires the day after its
    date). A spend beyond what was available on its day is refused."""
    left = {lot.id: lot.points for lot in lots}
    order = sorted(lots, key=lambda lot: (lot.expires, lot.id))
    for day, points in sorted(spends):
        want = points
        for lot in order:
            if lot.expires >= day and want > 0:
                take = min(want, left[lot.id])
                left[lot.id] -= take
                want -= take
        if want > 1e-9:
            raise InputError(f"{points:,.2f} points spent on {day} but only {points - want:,.2f} were available")
    expired = {lot.id: left[lot.id] for lot in lots if lot.expires < on and left[lot.id] > 0}
    return left, expired
