"""Pure accounting arithmetic: activity data × factors → energy and CO2 (no storage imports).

References
----------
* GB/T 2589-2020 综合能耗计算通则, clause 4 and annex A: energy [tce] = Σ quantity × coefficient;
  electricity at the calorific equivalent (当量值), with the primary-energy equivalent (等价值) alongside.
* GB/T 32150-2015 工业企业温室气体排放核算和报告通则, clause 6.3: Scope 1 combustion
  E = AD × NCV × CC × OF × 44/12; process emissions by carbon balance; purchased electricity
  E = AD × EF_grid; purchased heat E = AD × EF_heat.
* 发改环资〔2022〕803号 and 江苏省碳达峰实施方案 三(四)2: raw-material energy (原料用能) and new renewables
  are deducted from the energy total on the dual-control basis, not from the accounts.
* Scope 2 market-based (MEE/NBS 公告2024年第33号 notes): (purchased electricity − green electricity
  bought by trading or covered by certificates, floored at 0) × the factor excluding market-traded
  non-fossil electricity; the green electricity itself carries no emissions. Only green electricity backed by
  cancelled GECs counts (发改能源〔2023〕1044号 一(二): the GEC is the sole proof of renewable consumption);
  a statement's bare green-electricity quantity is an unverified claim, kept apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nengtan.factors import FactorSet
from nengtan.factors.library import FUELS

LEDGER_COLUMNS = [
    "uscc", "enterprise", "sector_code", "province", "period", "carrier", "quantity", "unit", "source",
    "estimated_quantity", "feedstock_quantity", "green_excess_kwh", "green_unverified_kwh", "energy_tce",
    "energy_equiv_tce", "feedstock_tce", "energy_dual_control_tce", "scope1_t", "process_t", "feedstock_carbon_t",
    "scope2_location_t", "scope2_market_t",
]
"""One row per enterprise × month × carrier. ``quantity`` is all the carrier consumed (raw-material use
included); ``green_excess_kwh`` is green electricity claimed beyond the month's purchased electricity
(not counted anywhere); ``green_unverified_kwh`` is green electricity stated without GECs behind it (an
unverified claim: shown, not counted)."""
PLACE_COLUMNS = ["park", "regions"]
"""Where the enterprise is (nengtan.registry.frames.enterprises_frame), carried into the ledger when the activity has
it, for the park and region scopes."""


def apply_factors(activity: pd.DataFrame, fs: FactorSet) -> pd.DataFrame:
    """Add energy and CO2 columns to activity rows (one row per enterprise × period × carrier).

    Parameters
    ----------
    activity : columns uscc, enterprise, sector_code, province, period, carrier, quantity [canonical
        unit], unit, source, estimated_quantity [canonical unit], and optionally feedstock_quantity
        [canonical unit, part of quantity] and feedstock_oxidised [bool]
    fs : the factor set, resolved for the activity's year (FactorSet.for_year)

    Returns
    -------
    The ledger (LEDGER_COLUMNS):

    * energy_tce [tce] = quantity × coefficient, 当量值 (GB/T 2589-2020 clause 4, annex A), raw-material
      use included; energy_equiv_tce likewise at 等价值;
    * feedstock_tce [tce] = raw-material use × coefficient: 原料用能, the deduction of 发改环资〔2022〕803号;
    * energy_dual_control_tce [tce] = energy_tce − feedstock_tce − new renewable electricity (on-site PV
      and green electricity, at 当量值): the Jiangsu dual-control basis (江苏省碳达峰实施方案 三(四)2:
      新增可再生能源和原料用能不纳入能源消费总量控制);
    * scope1_t [tCO2] = (quantity − feedstock) × NCV × CC × OF × 44/12 (GB/T 32150-2015 6.3.1) + process_t;
    * feedstock_carbon_t [tCO2] = feedstock × NCV × CC × 44/12, the feedstock's carbon as CO2;
      process_t = feedstock_carbon_t where the enterprise says the feedstock is oxidised (carbon balance,
      GB/T 32150-2015 6.3.2, all input carbon leaving as CO2), else 0 (the carbon stays in the products);
    * scope2_location_t = electricity × grid factor, heat × 0.11, steam heat × 0.11 (GB/T 32150-2015 6.3.4);
    * scope2_market_t = (electricity − green electricity, floored at 0) × the factor excluding
      market-traded non-fossil power (公告2024年第33号 notes). Green electricity is capped at the same
      enterprise-month's purchased electricity; the excess is ``green_excess_kwh``. Unverified green
      electricity counts nowhere (quantity 0); it is ``green_unverified_kwh``.
    """
    df = activity  # (read only: the result is a new frame, its columns set at once)
    n = len(df)
    feed_in = (df["feedstock_quantity"].fillna(0.0).to_numpy(dtype=float) if "feedstock_quantity" in df
               else np.zeros(n))
    carrier_codes, uniques = pd.factorize(df["carrier"])
    carrier_names = np.asarray(uniques, dtype=object)
    carriers = df["carrier"].to_numpy(dtype=object)
    verified = (df["verified"].fillna(True).astype(bool).to_numpy() if "verified" in df
                else np.ones(n, dtype=bool))
    is_green = carriers == "green_electricity"
    unverified = is_green & ~verified
    q = df["quantity"].to_numpy(dtype=float)
    green_unverified = np.where(unverified, q, 0.0)
    q = np.where(unverified, 0.0, q)
    green_claim, green_cap = _green_cap(df, q)
    green_excess = np.where(is_green, green_claim - green_cap, 0.0)
    q = np.where(is_green, green_cap, q)
    feed = np.minimum(feed_in, q)
    oxidised = (df["feedstock_oxidised"].fillna(False).to_numpy(dtype=bool) if "feedstock_oxidised" in df
                else np.zeros(n, dtype=bool))
    tce, equiv, feed_tce, s1, carbon, s2l = (np.zeros(n) for _ in range(6))
    for code, carrier in enumerate(carrier_names):
        m = carrier_codes == code
        k = fs.tce(carrier).value
        tce[m] = q[m] * k
        feed_tce[m] = feed[m] * k
        equiv[m] = q[m] * fs.tce_equivalent(carrier).value
        if carrier in FUELS:
            s1[m] = (q[m] - feed[m]) * fs.combustion_co2(carrier).value
            carbon[m] = feed[m] * fs.fuel_carbon_co2(carrier).value
        elif carrier == "heat":
            s2l[m] = q[m] * fs.heat_co2().value
        elif carrier == "steam":
            s2l[m] = q[m] * fs.steam_co2().value
    process = np.where(oxidised, carbon, 0.0)
    s2m = s2l.copy()
    renewable_tce = np.where(carriers == "pv", tce, 0.0)
    elec = carriers == "electricity"
    if elec.any():
        provinces = df["province"][elec]
        loc_by = {p: fs.grid_location(p).value for p in pd.unique(provinces)}
        mkt_by = {p: fs.grid_market(p).value for p in pd.unique(provinces)}
        loc = provinces.map(loc_by).to_numpy(dtype=float)  # (a category column maps once per province)
        mkt = provinces.map(mkt_by).to_numpy(dtype=float)
        green = _green_for_electricity_rows(df, q)
        s2l[elec] = q[elec] * loc
        s2m[elec] = np.maximum(q[elec] - green, 0.0) * mkt
        renewable_tce[elec] = np.minimum(green, q[elec]) * fs.tce("electricity").value
    computed = {"quantity": q, "green_excess_kwh": green_excess, "green_unverified_kwh": green_unverified,
                "energy_tce": tce, "energy_equiv_tce": equiv, "feedstock_quantity": feed, "feedstock_tce": feed_tce,
                "energy_dual_control_tce": tce - feed_tce - renewable_tce, "scope1_t": s1 + process,
                "process_t": process, "feedstock_carbon_t": carbon, "scope2_location_t": s2l,
                "scope2_market_t": s2m}
    kept = [c for c in LEDGER_COLUMNS + PLACE_COLUMNS if c in df and c not in computed]
    out = pd.concat([df[kept], pd.DataFrame(computed, index=df.index)], axis=1)
    return out[LEDGER_COLUMNS + [c for c in PLACE_COLUMNS if c in df]]


def _enterprise_months(df: pd.DataFrame) -> np.ndarray:
    """One integer per row, equal for rows of the same enterprise (uscc) and period."""
    enterprise, _ = pd.factorize(df["uscc"])
    period, periods = pd.factorize(df["period"])
    return enterprise.astype(np.int64) * max(len(periods), 1) + period


def _green_cap(df: pd.DataFrame, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: green electricity claimed and the claim capped at the same enterprise-month's purchased
    electricity [kWh] (0 on other rows), the rows' quantities ``q``. Green electricity is an attribute of purchased
    power, so no more can be green than was bought."""
    carrier = df["carrier"].to_numpy()
    claim = np.where(carrier == "green_electricity", q, 0.0)
    if not claim.any():
        return claim, claim.copy()  # no claim: nothing to cap (and no 10⁶-row look-up to make)
    month = _enterprise_months(df)
    bought = np.bincount(month, weights=np.where(carrier == "electricity", q, 0.0))
    return claim, np.minimum(claim, bought[month])


def _green_for_electricity_rows(df: pd.DataFrame, q: np.ndarray) -> np.ndarray:
    """Green electricity [kWh] of the same enterprise and period (the rows' quantities ``q``), aligned with the
    electricity rows."""
    carrier = df["carrier"].to_numpy()
    is_green, elec = carrier == "green_electricity", carrier == "electricity"
    if not is_green.any():
        return np.zeros(int(elec.sum()))
    month = _enterprise_months(df)
    green = np.bincount(month, weights=np.where(is_green, q, 0.0))
    return green[month[elec]]


SUSPECT_LOOKAHEAD = 4
"""How many readings after a fall are searched for a return to the level before it (a suspect reading)."""


def counter_consumption(values: np.ndarray, rollover: float | None,
                        lookahead: int = SUSPECT_LOOKAHEAD) -> tuple[np.ndarray, int, int]:
    """Consumption between successive register readings of a cumulative counter [register unit].

    A fall in the register is, in this order:

    * a suspect reading when one of the next ``lookahead`` readings returns to the level before the fall
      (500 000, 500 010, 0, 500 030 → 0 is a bad reading, not a reset): the fallen readings are skipped and
      the consumption from the last good reading to the returning one is booked on the interval that
      ends at the returning reading;
    * a rollover when the meter has a register maximum and the reading before the fall was in its top
      tenth (consumption = max − previous + current);
    * otherwise a reset to zero, a fall that stays (consumption = current).

    Consumption is never negative. Returns (consumption per interval, rollovers, resets); the array is
    one shorter than ``values``.
    """
    v = np.asarray(values, dtype=float)
    if len(v) < 2:
        return np.zeros(0), 0, 0
    d = np.diff(v)
    if not (d < 0).any():
        return d, 0, 0
    out = np.zeros(len(v) - 1)
    rolls = resets = 0
    falls = np.flatnonzero(~(d >= 0))  # (a NaN reading is handled as a fall, as a comparison with it fails)
    i = 1  # the reading looked at; the last good reading is always v[i - 1]
    while i < len(v):
        at = int(np.searchsorted(falls, i - 1))  # the next fall: up to it the register only rises
        if at == len(falls):
            out[i - 1:] = d[i - 1:]
            break
        fall = int(falls[at])
        out[i - 1:fall] = d[i - 1:fall]
        i = fall + 1
        last, x = v[i - 1], v[i]
        ahead = v[i + 1: i + 1 + lookahead]
        back = np.flatnonzero(ahead >= last)
        if back.size:  # a suspect reading (or a few): skip to the reading that returns
            j = i + 1 + int(back[0])
            out[j - 1] = v[j] - last
            last = v[j]
            i = j + 1
            continue
        if rollover is not None and last >= 0.9 * rollover:
            out[i - 1] = rollover - last + x
            rolls += 1
        else:
            out[i - 1] = x
            resets += 1
        last = x
        i += 1
    return out, rolls, resets
