"""Inventories for a scope (park, sector, enterprise) and a period (month, quarter, year).

Every inventory is a sum over ledger rows (one per enterprise × month × carrier), so the park total
equals the sum of its enterprises exactly, and every figure names its factor set and data version.

Intensities, shares and the value-added basis are defined once in :mod:`nengtan.indicators`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from nengtan.errors import NotFoundError
from nengtan.factors import FactorSet
from nengtan.i18n import pair
from nengtan.indicators import Period, fill_value_added, ratio, share_parts, shares
from nengtan.units import CANONICAL_UNIT

__all__ = ["SUM_COLUMNS", "Inventory", "Period", "ScopeError", "build_inventory", "select_scope"]

SUM_COLUMNS = ["energy_tce", "energy_equiv_tce", "feedstock_tce", "energy_dual_control_tce", "scope1_t", "process_t",
               "feedstock_carbon_t", "scope2_location_t", "scope2_market_t"]


class ScopeError(NotFoundError, ValueError):
    """A scope or period the user asked for that does not exist."""


def select_scope(df: pd.DataFrame, scope: str) -> pd.DataFrame:
    """Rows of `df` (with uscc and sector_code columns; park and regions for those scopes) in `scope`: park (every
    enterprise the registry holds) | park:<code> (one park's) | region:<code> (the parks in a province, city or
    district, at any depth) | sector:<code> | enterprise:<uscc>.

    A sector code selects every enterprise whose GB/T 4754 code starts with it (division 36 covers 3610…).
    """
    if scope == "park":
        return df
    kind, _, value = scope.partition(":")
    if kind == "sector" and value:
        return df[df["sector_code"].astype(str).str.startswith(value)]
    if kind == "enterprise" and value:
        return df[df["uscc"] == value.strip().upper()]
    if kind == "park" and value and "park" in df:
        return df[df["park"] == value.strip()]
    if kind == "region" and value and "regions" in df:
        return df[df["regions"].fillna("").str.contains(f"/{value.strip()}/", regex=False)]
    raise ScopeError(f"scope {scope!r} is not park, park:<code>, region:<code>, sector:<code> or enterprise:<uscc>")


@dataclass
class Inventory:
    """Energy and CO2 accounts of one scope and period, with provenance."""

    scope: str
    period: str
    factor_set: str
    factor_set_description: str
    data_version: str
    enterprises: int
    energy_tce: float
    energy_equiv_tce: float
    feedstock_tce: float
    energy_dual_control_tce: float
    scope1_t: float
    process_t: float
    feedstock_carbon_t: float
    scope2_location_t: float
    scope2_market_t: float
    estimated_energy_tce: float
    value_added: float | None
    value_added_basis: str
    gross_output: float | None
    nonfossil_equiv_tce: float = 0.0
    electricity_kwh: float = 0.0
    renewable_kwh: float = 0.0
    green_excess_kwh: float = 0.0
    green_unverified_kwh: float = 0.0  # green electricity stated on statements: unverified claims, shown apart
    by_carrier: dict[str, dict[str, float | str]] = field(default_factory=dict)
    by_sector: dict[str, dict[str, float]] = field(default_factory=dict)
    grid_notes: list[str] = field(default_factory=list)
    factor_basis: list[str] = field(default_factory=list)
    grid_notes_zh: list[str] = field(default_factory=list)  # the same notes in Chinese, in the same order
    factor_basis_zh: list[str] = field(default_factory=list)
    energy_basis: str = "当量值 (calorific equivalent, GB/T 2589-2020); 等价值 beside it"

    @property
    def co2_t(self) -> float:
        """Headline CO2 [t]: Scope 1 + Scope 2 location-based (nengtan.indicators)."""
        return self.scope1_t + self.scope2_location_t

    @property
    def co2_market_t(self) -> float:
        return self.scope1_t + self.scope2_market_t

    @property
    def intensities(self) -> dict[str, float | None]:
        return {
            "energy_tce_per_10k_cny_value_added": ratio(self.energy_tce, self.value_added),
            "energy_dual_control_tce_per_10k_cny_value_added": ratio(self.energy_dual_control_tce, self.value_added),
            "co2_t_per_10k_cny_value_added": ratio(self.co2_t, self.value_added),
            "energy_tce_per_10k_cny_gross_output": ratio(self.energy_tce, self.gross_output),
            "co2_t_per_10k_cny_gross_output": ratio(self.co2_t, self.gross_output),
            "co2_t_per_tce": ratio(self.co2_t, self.energy_tce),
        }

    @property
    def shares(self) -> dict[str, float | None]:
        """Non-fossil energy and renewable electricity shares (nengtan.indicators) and the share of the
        energy figure that rests on estimated readings."""
        out = shares(self.nonfossil_equiv_tce, self.energy_equiv_tce, self.renewable_kwh, self.electricity_kwh)
        out["estimated_energy_share"] = ratio(self.estimated_energy_tce, self.energy_tce)
        return out

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["co2_t"] = self.co2_t
        d["co2_market_t"] = self.co2_market_t
        d["intensities"] = self.intensities
        d.update(self.shares)
        return d


def _sums_by(keys: pd.Series, rows: pd.DataFrame, columns: list[str]) -> dict[object, dict[str, float]]:
    """Σ of ``columns`` per distinct key, the keys sorted (as ``groupby(keys, sort=True).sum()``, rows without a key
    left out), summed with numpy's bincount: a groupby over a dozen columns costs more per call than the sums."""
    codes, uniques = pd.factorize(keys, sort=True)
    mine = slice(None) if (codes >= 0).all() else codes >= 0  # (no copy of 10⁶-row columns when all have a key)
    sums = {c: np.bincount(codes[mine], weights=rows[c].to_numpy(dtype=float)[mine], minlength=len(uniques))
            for c in columns}
    return {u: {c: float(sums[c][i]) for c in columns} for i, u in enumerate(uniques)}


def build_inventory(ledger: pd.DataFrame, econ: pd.DataFrame, fs: FactorSet, scope: str, period: Period,
                    data_version: str, enterprises_in_scope: int | None = None) -> Inventory:
    """Aggregate the ledger rows of `scope` and `period` into an Inventory."""
    rows = select_scope(ledger, scope)
    periods = rows["period"]
    months = set(period.months)
    within = isinstance(periods.dtype, pd.CategoricalDtype) and set(periods.cat.categories) <= months
    if not within:  # (a whole year's ledger is kept as it is: no copy of 10⁶ rows, no look-up per row)
        in_period = periods.isin(period.months)
        if not in_period.all():
            rows = rows[in_period]
    totals = {c: float(rows[c].sum()) for c in SUM_COLUMNS}
    q = rows["quantity"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tce_per = np.where(q != 0, rows["energy_tce"].to_numpy(dtype=float) / q, 0.0)
    estimated_tce = float(np.nansum(rows["estimated_quantity"].to_numpy(dtype=float) * tce_per))
    by_carrier: dict[str, dict[str, float | str]] = {}
    sums = [*SUM_COLUMNS, "quantity", "estimated_quantity"]
    per_carrier = _sums_by(rows["carrier"], rows, sums)
    for carrier, g in per_carrier.items():
        entry: dict[str, float | str] = {"quantity": float(g["quantity"]), "unit": CANONICAL_UNIT[str(carrier)],
                                         "estimated_quantity": float(g["estimated_quantity"])}
        entry.update({c: float(g[c]) for c in SUM_COLUMNS})
        by_carrier[str(carrier)] = entry
    by_sector: dict[str, dict[str, float]] = {}
    if not rows.empty:  # the division (two digits) of each row's sector, worked out once per distinct code
        division = rows["sector_code"].astype("category").map(lambda c: str(c)[:2])
        per_sector = _sums_by(division, rows, SUM_COLUMNS)
        for code, g in per_sector.items():
            by_sector[str(code)] = {c: float(g[c]) for c in SUM_COLUMNS}
    if scope == "park":  # every enterprise's economic rows: no enterprise columns needed to select them
        ec = econ
    else:
        keep = [c for c in ("uscc", "sector_code", "park", "regions") if c in ledger]
        ent_econ = econ.merge(ledger[keep].drop_duplicates("uscc"), on="uscc", how="left")
        for c in keep[1:]:
            ent_econ[c] = ent_econ[c].fillna("")
        ec = select_scope(ent_econ, scope)
    ec, basis = fill_value_added(ec[ec["period"].isin(period.months)])
    va = float(ec["value_added_constant"].sum()) if len(ec) else None
    go = float(ec["gross_output"].sum()) if len(ec) else None
    parts = share_parts(rows).sum()
    provinces = rows["province"].unique()
    pairs = sorted({(f.note, f.note_zh) for p in provinces for f in (fs.grid_location(p), fs.grid_market(p))
                    if f.note})
    excess = float(rows["green_excess_kwh"].sum()) if "green_excess_kwh" in rows else 0.0
    if excess > 0:
        pairs.append(pair("note.inventory:green_excess", kwh=excess))
    unverified = float(rows["green_unverified_kwh"].sum()) if "green_unverified_kwh" in rows else 0.0
    if unverified > 0:
        pairs.append(pair("note.inventory:green_unverified", kwh=unverified))
    return Inventory(
        scope=scope, period=period.label, factor_set=fs.id, factor_set_description=fs.description,
        data_version=data_version,
        enterprises=enterprises_in_scope if enterprises_in_scope is not None else int(rows["uscc"].nunique()),
        estimated_energy_tce=estimated_tce, value_added=va, value_added_basis=basis, gross_output=go,
        nonfossil_equiv_tce=float(parts.get("nonfossil_equiv_tce", 0.0)),
        electricity_kwh=float(parts.get("electricity_kwh", 0.0)), renewable_kwh=float(parts.get("renewable_kwh", 0.0)),
        green_excess_kwh=excess, green_unverified_kwh=unverified, by_carrier=by_carrier, by_sector=by_sector,
        grid_notes=[en for en, _ in pairs], grid_notes_zh=[zh for _, zh in pairs],
        factor_basis=list(fs.basis), factor_basis_zh=list(fs.basis_zh), **totals,  # type: ignore[arg-type]
    )
