"""Pure accounting arithmetic: activity data × factors → energy and CO2 (no storage imports).

References
----------
* GB/T 2589-2020 综合能耗计算通则, clause 4 and annex A: energy [tce] = Σ quantity × coefficient;
  electricity at the calorific equivalent (当量值), with the primary-energy equivalent (等价值) alongside.
* GB/T 32150-2015 工业企业温室气体排放核算和报告通则, clause 6.3: Scope 1 combustion
  E = AD × NCV × CC × OF × 44/12; purchased electricity E = AD × EF_grid; purchased heat E = AD × EF_heat.
* Scope 2 market-based (MEE/NBS 公告2024年第33号 notes): (purchased electricity − green electricity
  bought by trading or covered by certificates, floored at 0) × the factor excluding market-traded
  non-fossil electricity; the green electricity itself carries no emissions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nengtan.factors import FactorSet
from nengtan.factors.library import FUELS

LEDGER_COLUMNS = [
    "uscc", "enterprise", "sector_code", "province", "period", "carrier", "quantity", "unit", "source",
    "estimated_quantity", "energy_tce", "energy_equiv_tce", "scope1_t", "scope2_location_t",
    "scope2_market_t",
]

NON_FOSSIL_CARRIERS = frozenset({"pv"})
"""Carriers counted as non-fossil energy consumed on site (green electricity is an attribute of purchases)."""


def apply_factors(activity: pd.DataFrame, fs: FactorSet) -> pd.DataFrame:
    """Add energy and CO2 columns to activity rows (one row per enterprise × period × carrier).

    Parameters
    ----------
    activity : columns uscc, enterprise, sector_code, province, period, carrier, quantity [canonical
        unit], unit, source, estimated_quantity [canonical unit]
    fs : the factor set

    Returns
    -------
    The ledger: the input plus energy_tce [tce], energy_equiv_tce [tce], scope1_t [tCO2],
    scope2_location_t [tCO2], scope2_market_t [tCO2].
    """
    df = activity.copy()
    q = df["quantity"].to_numpy(dtype=float)
    carriers = df["carrier"].to_numpy()
    tce = np.zeros(len(df))
    equiv = np.zeros(len(df))
    s1 = np.zeros(len(df))
    s2l = np.zeros(len(df))
    for carrier in pd.unique(carriers):
        m = carriers == carrier
        tce[m] = q[m] * fs.tce(carrier).value
        equiv[m] = q[m] * fs.tce_equivalent(carrier).value
        if carrier in FUELS:
            s1[m] = q[m] * fs.combustion_co2(carrier).value
        elif carrier == "heat":
            s2l[m] = q[m] * fs.heat_co2().value
        elif carrier == "steam":
            s2l[m] = q[m] * fs.steam_co2().value
    s2m = s2l.copy()
    elec = carriers == "electricity"
    if elec.any():
        provinces = df["province"].to_numpy()[elec]
        loc_by = {p: fs.grid_location(p).value for p in pd.unique(provinces)}
        mkt_by = {p: fs.grid_market(p).value for p in pd.unique(provinces)}
        loc = np.array([loc_by[p] for p in provinces])
        mkt = np.array([mkt_by[p] for p in provinces])
        green = _green_for_electricity_rows(df)
        s2l[elec] = q[elec] * loc
        s2m[elec] = np.maximum(q[elec] - green, 0.0) * mkt
    df["energy_tce"] = tce
    df["energy_equiv_tce"] = equiv
    df["scope1_t"] = s1
    df["scope2_location_t"] = s2l
    df["scope2_market_t"] = s2m
    return df[LEDGER_COLUMNS]


def _green_for_electricity_rows(df: pd.DataFrame) -> np.ndarray:
    """Green electricity [kWh] of the same enterprise and period, aligned with the electricity rows."""
    green = df[df["carrier"] == "green_electricity"].groupby(["uscc", "period"])["quantity"].sum()
    elec = df[df["carrier"] == "electricity"]
    keys = pd.MultiIndex.from_frame(elec[["uscc", "period"]])
    return green.reindex(keys).fillna(0.0).to_numpy(dtype=float)


def counter_consumption(values: np.ndarray, rollover: float | None) -> tuple[np.ndarray, int, int]:
    """Consumption between successive register readings of a cumulative counter [register unit].

    A fall in the register is a rollover when the meter has a register maximum and the previous
    reading was in its top tenth (consumption = max − previous + current), otherwise a reset to zero
    (consumption = current). Consumption is never negative.

    Returns (consumption per interval, number of rollovers, number of resets); the array is one
    shorter than `values`.
    """
    v = np.asarray(values, dtype=float)
    if len(v) < 2:
        return np.zeros(0), 0, 0
    d = np.diff(v)
    fall = d < 0
    prev = v[:-1]
    roll = fall & (rollover is not None) & (prev >= 0.9 * (rollover or 0.0))
    reset = fall & ~roll
    out = d.copy()
    if rollover is not None:
        out[roll] = rollover - prev[roll] + v[1:][roll]
    out[reset] = v[1:][reset]
    return out, int(roll.sum()), int(reset.sum())
