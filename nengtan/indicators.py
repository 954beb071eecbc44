"""The one definition of the figures derived from ledger sums: headline CO2, the value-added basis,
the non-fossil and renewable-electricity shares, intensities, annualisation and periods.

Every surface and every domain package takes these from here, so one enterprise's intensity is the same
number in the CLI, the API, the cockpit and the workbook.

Definitions
-----------
* Headline CO2 [t] = Scope 1 + Scope 2 location-based (GB/T 32150-2015 clause 6.3; the market-based
  figure is reported beside it).
* Value added [万元] at constant prices (the basis the statistics use for rates, DESIGN.md); a row that
  reports no constant-price value is filled from its current-price value, row by row, and the basis text
  says how many rows were filled.
* Non-fossil energy share = non-fossil energy / energy, both at 等价值 (the coal-equivalent method the
  statistics use for primary electricity): on-site PV at its own 等价值, green electricity at the 等价值
  of the grid electricity it is part of; grid power's own non-fossil part is not counted (conservative).
* Renewable electricity share = (on-site PV + green electricity) / (grid electricity + on-site PV), kWh.
  Green electricity is capped at the purchased electricity in the ledger, so neither share exceeds 1.
* Intensity = figure / value added [per 万元]; CO2 per tce (单位能耗碳排放, 发改环资〔2025〕910号).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nengtan.errors import InputError
from nengtan.i18n import keyed, pair

ELECTRIC_CARRIERS = ("electricity", "green_electricity", "pv")
"""Carriers whose quantity is electricity [kWh]."""
NONFOSSIL_CARRIERS = ("green_electricity", "pv")
"""Non-fossil electricity: on-site PV and green electricity bought by trading or certificates."""

__all__ = ["ELECTRIC_CARRIERS", "NONFOSSIL_CARRIERS", "Period", "annualise", "co2_headline", "fill_value_added",
           "green_is_separate", "last_month", "ratio", "share_parts", "shares"]


class PeriodError(InputError):
    """A month or quarter out of range."""


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year (park calendar)."""

    year: int
    month: int | None = None
    quarter: int | None = None

    def __post_init__(self) -> None:
        if self.month is not None and self.quarter is not None:
            raise PeriodError("give a month or a quarter, not both")
        if self.month is not None and not 1 <= self.month <= 12:
            raise PeriodError(f"month {self.month} is not 1-12")
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise PeriodError(f"quarter {self.quarter} is not 1-4")

    @property
    def months(self) -> list[str]:
        if self.month is not None:
            ms = [self.month]
        elif self.quarter is not None:
            ms = [3 * (self.quarter - 1) + i for i in (1, 2, 3)]
        else:
            ms = list(range(1, 13))
        return [f"{self.year:04d}-{m:02d}" for m in ms]

    @property
    def label(self) -> str:
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        if self.quarter is not None:
            return f"{self.year:04d}-Q{self.quarter}"
        return f"{self.year:04d}"


def last_month(ledger: pd.DataFrame) -> int:
    """The newest month (1-12) with ledger rows."""
    return int(ledger["period"].astype(str).str.slice(5, 7).astype(int).max())


def annualise(value: float, months: int) -> float:
    """A figure of ``months`` months scaled to a year (× 12 / months); a full year is unchanged."""
    return value * 12.0 / max(months, 1)


def ratio(a: float, b: float | None) -> float | None:
    """a / b, or None where b is zero or missing (never nan, never ±inf)."""
    if b is None or b == 0 or not math.isfinite(b):
        return None
    return a / b


def co2_headline(ledger: pd.DataFrame) -> pd.Series:
    """Headline CO2 per ledger row [t] = scope1_t + scope2_location_t."""
    return ledger["scope1_t"].astype(float) + ledger["scope2_location_t"].astype(float)


BASES = keyed("note.basis")
"""The value added's basis (constant or current prices) in words: key → (English, Chinese)."""


def fill_value_added(economics: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Economics with ``value_added_constant`` filled from ``value_added`` where a row lacks it, and the
    basis in words. Columns value_added, gross_output, value_added_constant [万元] become floats."""
    eco = economics.copy()
    for c in ("value_added", "gross_output", "value_added_constant"):
        eco[c] = pd.to_numeric(eco[c], errors="coerce").astype(float)
    if eco.empty:
        return eco, BASES["none"][0]
    missing = eco["value_added_constant"].isna()
    n, m = int(missing.sum()), len(eco)
    eco.loc[missing, "value_added_constant"] = eco.loc[missing, "value_added"]
    if n == 0:
        basis = BASES["constant"][0]
    elif n == m:
        basis = BASES["current"][0]
    else:
        basis = pair("note.basis:partial", n=n, m=m)[0]
    return eco, basis


def value_added_basis_zh(basis: str) -> str:
    """:func:`fill_value_added`'s basis in Chinese."""
    fixed = {en: zh for key, (en, zh) in BASES.items() if key != "partial"}
    if basis in fixed:
        return fixed[basis]
    partial = re.fullmatch(r"constant prices; (\d+) of (\d+) rows without one filled from current prices", basis)
    if partial:
        return pair("note.basis:partial", n=partial[1], m=partial[2])[1]
    return basis


def green_is_separate(ledger: pd.DataFrame) -> bool:
    """Whether green-electricity rows carry energy of their own (a hand-made ledger's convention, additive
    to electricity) rather than marking part of the purchased electricity (the accounting ledger's)."""
    green = _is_one_of(ledger["carrier"], ("green_electricity",))
    return bool(green.any()) and float(np.abs(ledger["energy_tce"].to_numpy(dtype=float)[green]).sum()) > 0


def _is_one_of(values: pd.Series, names: tuple[str, ...]) -> np.ndarray:
    """values ∈ names, row by row; a category column is tested once per category."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        hit = np.r_[np.isin(np.asarray(values.cat.categories, dtype=object), names), False]
        return hit[values.cat.codes.to_numpy()]  # (a missing value's code, −1, takes the appended False)
    return np.isin(values.to_numpy(dtype=object), names)


def share_parts(ledger: pd.DataFrame, grid_nonfossil_share: float = 0.0) -> pd.DataFrame:
    """Per ledger row: co2_t [t], electricity_kwh, renewable_kwh [kWh] and nonfossil_equiv_tce [tce], the
    parts whose sums give the shares (:func:`shares`).

    Green-electricity rows with no energy of their own (the ledger's convention: green power is an
    attribute of purchased electricity) are counted inside ``electricity``; a hand-made ledger whose
    green rows carry energy is taken as additive. ``grid_nonfossil_share`` [fraction] adds that part
    of grid power to the non-fossil energy (0 by default).
    """
    carrier = ledger["carrier"]
    q = ledger["quantity"].to_numpy(dtype=float)
    equiv = ledger["energy_equiv_tce"].to_numpy(dtype=float)
    green = _is_one_of(carrier, ("green_electricity",))
    grid_rows = _is_one_of(carrier, ("electricity",))
    nonfossil = _is_one_of(carrier, NONFOSSIL_CARRIERS)
    elec_kwh = np.where(_is_one_of(carrier, ELECTRIC_CARRIERS), q, 0.0)
    grid_kwh = np.where(grid_rows, q, 0.0)
    if not green_is_separate(ledger):
        elec_kwh = np.where(green, 0.0, elec_kwh)
        grid_kwh = grid_kwh - np.where(green, q, 0.0)
    grid_q = float(q[grid_rows].sum())
    eq_per_kwh = float(equiv[grid_rows].sum()) / grid_q if grid_q > 0 else 0.0
    own = np.where(nonfossil, equiv, 0.0)
    own = np.where((own == 0) & nonfossil, q * eq_per_kwh, own)
    return pd.DataFrame({
        "co2_t": co2_headline(ledger).to_numpy(),
        "electricity_kwh": elec_kwh,
        "renewable_kwh": np.where(nonfossil, q, 0.0),
        "green_kwh": np.where(green, q, 0.0),  # claimed with cancelled GECs (the accounting ledger's rows)
        "nonfossil_equiv_tce": own + grid_nonfossil_share * grid_kwh * eq_per_kwh,
    }, index=ledger.index)


def shares(nonfossil_equiv_tce: float, energy_equiv_tce: float, renewable_kwh: float,
           electricity_kwh: float) -> dict[str, float | None]:
    """The non-fossil energy share and the renewable electricity share [fraction] from sums."""
    return {"non_fossil_energy_share": ratio(nonfossil_equiv_tce, energy_equiv_tce),
            "renewable_electricity_share": ratio(renewable_kwh, electricity_kwh)}


def enterprise_figures(ledger: pd.DataFrame, economics: pd.DataFrame) -> pd.DataFrame:
    """One row per enterprise of the ledger: the ledger's sums, headline CO2, value added on the one basis
    (:func:`fill_value_added`) and the intensities [per 万元]; the table the cockpit ranks and the
    workbook lists. Columns: uscc, enterprise, sector_code, energy_tce, energy_equiv_tce, feedstock_tce,
    energy_dual_control_tce, scope1_t, process_t, feedstock_carbon_t, scope2_location_t, scope2_market_t,
    co2_t, value_added, gross_output, energy_intensity, co2_intensity."""
    sums = [c for c in ("energy_tce", "energy_equiv_tce", "feedstock_tce", "energy_dual_control_tce", "scope1_t",
                        "process_t", "feedstock_carbon_t", "scope2_location_t", "scope2_market_t") if c in ledger]
    led = ledger.assign(co2_t=co2_headline(ledger))
    per = led.groupby(["uscc", "enterprise", "sector_code"], as_index=False)[[*sums, "co2_t"]].sum()
    eco, _ = fill_value_added(economics)
    va = eco.groupby("uscc", as_index=False)[["value_added_constant", "gross_output"]].sum().rename(
        columns={"value_added_constant": "value_added"})
    per = per.merge(va, on="uscc", how="left")
    v = per["value_added"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per["energy_intensity"] = np.where(v > 0, per["energy_tce"] / v, np.nan)
        per["co2_intensity"] = np.where(v > 0, per["co2_t"] / v, np.nan)
    return per
