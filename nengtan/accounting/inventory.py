"""Inventories for a scope (park, sector, enterprise) and a period (month, quarter, year).

Every inventory is a sum over ledger rows (one per enterprise × month × carrier), so the park total
equals the sum of its enterprises exactly, and every figure names its factor set and data version.

Intensities (the statistics' definitions): energy and CO2 per 万元 industrial value added (at
constant prices where every enterprise reported them, else current prices — the basis is stated) and
per 万元 gross output; CO2 per tce (the zero-carbon park indicator 单位能耗碳排放, 发改环资〔2025〕910号).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from nengtan.factors import FactorSet
from nengtan.units import CANONICAL_UNIT

SUM_COLUMNS = ["energy_tce", "energy_equiv_tce", "scope1_t", "scope2_location_t", "scope2_market_t"]


class ScopeError(ValueError):
    """A scope or period the user asked for that does not exist."""


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None
    quarter: int | None = None

    def __post_init__(self) -> None:
        if self.month is not None and self.quarter is not None:
            raise ScopeError("give a month or a quarter, not both")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ScopeError(f"month {self.month} is not 1-12")
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ScopeError(f"quarter {self.quarter} is not 1-4")

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


def select_scope(df: pd.DataFrame, scope: str) -> pd.DataFrame:
    """Rows of `df` (with uscc and sector_code columns) in `scope`: park | sector:<code> | enterprise:<uscc>.

    A sector code selects every enterprise whose GB/T 4754 code starts with it (division 36 covers 3610…).
    """
    if scope == "park":
        return df
    kind, _, value = scope.partition(":")
    if kind == "sector" and value:
        return df[df["sector_code"].astype(str).str.startswith(value)]
    if kind == "enterprise" and value:
        return df[df["uscc"] == value.strip().upper()]
    raise ScopeError(f"scope {scope!r} is not park, sector:<code> or enterprise:<uscc>")


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
    scope1_t: float
    scope2_location_t: float
    scope2_market_t: float
    estimated_energy_tce: float
    value_added: float | None
    value_added_basis: str
    gross_output: float | None
    by_carrier: dict[str, dict[str, float | str]] = field(default_factory=dict)
    by_sector: dict[str, dict[str, float]] = field(default_factory=dict)
    grid_notes: list[str] = field(default_factory=list)

    @property
    def co2_t(self) -> float:
        """Headline CO2 [t]: Scope 1 + Scope 2 location-based."""
        return self.scope1_t + self.scope2_location_t

    @property
    def co2_market_t(self) -> float:
        return self.scope1_t + self.scope2_market_t

    @property
    def intensities(self) -> dict[str, float | None]:
        def ratio(a: float, b: float | None) -> float | None:
            return a / b if b else None

        return {
            "energy_tce_per_10k_cny_value_added": ratio(self.energy_tce, self.value_added),
            "co2_t_per_10k_cny_value_added": ratio(self.co2_t, self.value_added),
            "energy_tce_per_10k_cny_gross_output": ratio(self.energy_tce, self.gross_output),
            "co2_t_per_10k_cny_gross_output": ratio(self.co2_t, self.gross_output),
            "co2_t_per_tce": ratio(self.co2_t, self.energy_tce),
        }

    @property
    def shares(self) -> dict[str, float | None]:
        """Non-fossil energy share: (on-site PV + green electricity) / energy, both at 等价值 (the
        coal-equivalent method statistics use for primary electricity; grid power's own non-fossil
        part is not counted). Renewable electricity share: (PV + green) / (grid + PV) in kWh. Share of
        the energy figure that rests on estimated readings."""
        bc = self.by_carrier

        def get(carrier: str, key: str) -> float:
            return float(bc.get(carrier, {}).get(key, 0.0))

        grid = get("electricity", "quantity")
        eq_per_kwh = get("electricity", "energy_equiv_tce") / grid if grid else 0.0
        non_fossil = get("pv", "energy_equiv_tce") + get("green_electricity", "quantity") * eq_per_kwh
        total_el = grid + get("pv", "quantity")
        return {
            "non_fossil_energy_share": non_fossil / self.energy_equiv_tce if self.energy_equiv_tce else None,
            "renewable_electricity_share": (get("pv", "quantity") + get("green_electricity", "quantity")) / total_el
            if total_el else None,
            "estimated_energy_share": self.estimated_energy_tce / self.energy_tce if self.energy_tce else None,
        }

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["co2_t"] = self.co2_t
        d["co2_market_t"] = self.co2_market_t
        d["intensities"] = self.intensities
        d.update(self.shares)
        return d


def build_inventory(ledger: pd.DataFrame, econ: pd.DataFrame, fs: FactorSet, scope: str, period: Period,
                    data_version: str, enterprises_in_scope: int | None = None) -> Inventory:
    """Aggregate the ledger rows of `scope` and `period` into an Inventory."""
    rows = select_scope(ledger, scope)
    rows = rows[rows["period"].isin(period.months)]
    totals = {c: float(rows[c].sum()) for c in SUM_COLUMNS}
    tce_per = rows["energy_tce"] / rows["quantity"].where(rows["quantity"] != 0)
    estimated_tce = float((rows["estimated_quantity"] * tce_per.fillna(0.0)).sum())
    by_carrier: dict[str, dict[str, float | str]] = {}
    for carrier, g in rows.groupby("carrier"):
        entry: dict[str, float | str] = {"quantity": float(g["quantity"].sum()),
                                         "unit": CANONICAL_UNIT[str(carrier)],
                                         "estimated_quantity": float(g["estimated_quantity"].sum())}
        entry.update({c: float(g[c].sum()) for c in SUM_COLUMNS})
        by_carrier[str(carrier)] = entry
    by_sector: dict[str, dict[str, float]] = {}
    if not rows.empty:
        division = rows["sector_code"].astype(str).str[:2]
        for code, g in rows.groupby(division):
            by_sector[str(code)] = {c: float(g[c].sum()) for c in SUM_COLUMNS}
    ent_econ = econ.merge(ledger[["uscc", "sector_code"]].drop_duplicates(), on="uscc", how="left")
    ent_econ["sector_code"] = ent_econ["sector_code"].fillna("")
    ec = select_scope(ent_econ, scope)
    ec = ec[ec["period"].isin(period.months)]
    va: float | None
    if ec.empty:
        va, go, basis = None, None, "none reported"
    elif ec["value_added_constant"].notna().all():
        va, basis = float(ec["value_added_constant"].sum()), "constant prices"
        go = float(ec["gross_output"].sum())
    else:
        va, basis = float(ec["value_added"].sum()), "current prices"
        go = float(ec["gross_output"].sum())
    notes = sorted({n for n in (fs.grid_location(p).note for p in rows["province"].unique()) if n}
                   | {n for n in (fs.grid_market(p).note for p in rows["province"].unique()) if n})
    return Inventory(
        scope=scope, period=period.label, factor_set=fs.id, factor_set_description=fs.description,
        data_version=data_version,
        enterprises=enterprises_in_scope if enterprises_in_scope is not None else int(rows["uscc"].nunique()),
        estimated_energy_tce=estimated_tce, value_added=va, value_added_basis=basis, gross_output=go,
        by_carrier=by_carrier, by_sector=by_sector, grid_notes=notes, **totals,
    )
