"""Loading the factor library and resolving factor sets into per-carrier multipliers.

Formulas (all multipliers are per canonical unit of the carrier, see nengtan.units.CANONICAL_UNIT):

* energy [tce] = quantity × coefficient (GB/T 2589-2020 clause 4, annex A);
* fuel combustion CO2 [t] = AD × NCV × CC × OF × 44/12 (GB/T 32150-2015 clause 6.3.1, formulas (2)-(4));
* purchased electricity CO2 [t] = AD [MWh] × grid factor [tCO2/MWh] (GB/T 32150-2015 clause 6.3.4, formula 8);
* purchased heat CO2 [t] = heat [GJ] × 0.11 tCO2/GJ (GB/T 32150-2015 clause 6.3.4, formula 9);
* steam [GJ] = mass [t] × (enthalpy − 83.74 kJ/kg) × 10⁻³ (industrial-other guideline formula 8).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import pandas as pd
import yaml

from nengtan.factors.provinces import grid_region, normalise_province
from nengtan.units import CANONICAL_UNIT, registry

DEFAULT_SET = "cn-2023"
CO2_PER_C = 44.0 / 12.0
"""Molecular mass ratio CO2/C used in GB/T 32150-2015 formula (2)."""

FUELS = ("natural_gas", "diesel", "gasoline", "fuel_oil", "kerosene", "lpg", "coal", "coke")

COLUMNS = [
    "id", "parameter", "carrier", "family", "region", "data_year", "value", "unit", "source",
    "clause", "edition", "valid_from", "valid_to", "status", "note",
]


class FactorError(LookupError):
    """A factor that the set does not have, or a set that does not exist."""


@dataclass(frozen=True)
class Factor:
    """A multiplier [unit] and the library rows it was made from."""

    value: float
    unit: str
    rows: tuple[str, ...]
    note: str = ""


def _read_csv(name: str) -> pd.DataFrame:
    with resources.files("nengtan.factors").joinpath("data", name).open("rb") as fh:
        df = pd.read_csv(fh, dtype=str, keep_default_na=False)
    df["value"] = df["value"].astype(float)
    return df


@lru_cache(maxsize=1)
def load_library() -> pd.DataFrame:
    """All factor rows shipped with nengtan, one row per published value."""
    df = _read_csv("factors.csv")
    if df["id"].duplicated().any():
        raise FactorError(f"duplicate factor ids: {sorted(df.loc[df['id'].duplicated(), 'id'])}")
    return df


@lru_cache(maxsize=1)
def _set_definitions() -> dict[str, dict[str, object]]:
    text = resources.files("nengtan.factors").joinpath("data", "sets.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def available_sets() -> dict[str, str]:
    """Factor set name → description."""
    return {name: str(d.get("description", "")) for name, d in _set_definitions().items()}


def _to(value: float, unit: str, target: str) -> float:
    ureg = registry()
    return float(ureg.Quantity(value, unit).to(target).magnitude)


@dataclass
class FactorSet:
    """A resolved factor set: per-carrier multipliers with the rows behind them.

    Parameters
    ----------
    name : set name from sets.yaml (plus ``+park`` when park overrides apply)
    rows : the library rows after overrides
    grid_year : data year of the grid factors [year]
    grid_level : ``province`` | ``region`` | ``national``
    fuel_family : parameter family for NCV, carbon content and oxidation
    equivalent_year : data year of the 等价值 coal rate
    """

    name: str
    description: str
    rows: pd.DataFrame
    grid_year: int
    grid_level: str
    fuel_family: str
    equivalent_year: int
    used: set[str] = field(default_factory=set)
    _cache: dict[tuple[object, ...], pd.Series] = field(default_factory=dict, repr=False)

    @property
    def digest(self) -> str:
        """SHA-256 over the rows this set can use (sorted), so any edited value changes the id."""
        text = self.rows.sort_values("id").to_csv(index=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def id(self) -> str:
        return f"{self.name}@{self.digest[:8]}"

    # -- row lookup ---------------------------------------------------------------------------
    def _row(self, parameter: str, carrier: str, family: str | None = None, region: str | None = None,
             data_year: int | None = None) -> pd.Series:
        key = (parameter, carrier, family, region, data_year)
        if key in self._cache:
            return self._cache[key]
        row = self._lookup(parameter, carrier, family, region, data_year)
        self._cache[key] = row
        return row

    def _lookup(self, parameter: str, carrier: str, family: str | None, region: str | None,
                data_year: int | None) -> pd.Series:
        df = self.rows
        sel = (df["parameter"] == parameter) & (df["carrier"] == carrier)
        if family is not None:
            sel &= df["family"] == family
        if region is not None:
            sel &= df["region"] == region
        if data_year is not None:
            sel &= df["data_year"] == str(data_year)
        found = df[sel]
        if found.empty:
            raise FactorError(
                f"factor set {self.name} has no {parameter} for {carrier}"
                + (f" ({family})" if family else "") + (f" region {region}" if region else "")
                + (f" year {data_year}" if data_year else "")
            )
        # park overrides come last and win
        row = found.iloc[-1]
        self.used.add(str(row["id"]))
        return row

    # -- energy ------------------------------------------------------------------------------
    def tce(self, carrier: str) -> Factor:
        """Standard-coal coefficient [tce per canonical unit] (GB/T 2589-2020 annex A, 当量值)."""
        if carrier == "steam":
            enthalpy = self._row("steam_enthalpy", "steam")
            heat = self._row("tce_coefficient", "heat")
            gj_per_t = _to(float(enthalpy["value"]), str(enthalpy["unit"]), "GJ/t")
            return Factor(gj_per_t * _to(float(heat["value"]), str(heat["unit"]), "tce/GJ"), "tce/t",
                          (str(enthalpy["id"]), str(heat["id"])), "steam counted by its enthalpy")
        row = self._row("tce_coefficient", carrier)
        unit = f"tce/{CANONICAL_UNIT[carrier]}"
        return Factor(_to(float(row["value"]), str(row["unit"]), unit), unit, (str(row["id"]),))

    def tce_equivalent(self, carrier: str) -> Factor:
        """等价值 coefficient: electricity by the coal burned to make it; other carriers as 当量值."""
        if carrier in ("electricity", "pv"):
            row = self._row("electricity_equivalent", carrier, data_year=self.equivalent_year)
            return Factor(_to(float(row["value"]), str(row["unit"]), "tce/kWh"), "tce/kWh", (str(row["id"]),))
        return self.tce(carrier)

    # -- emissions ---------------------------------------------------------------------------
    def combustion_co2(self, carrier: str) -> Factor:
        """Fuel combustion factor [tCO2 per canonical unit] = NCV × CC × OF × 44/12 (GB/T 32150-2015 6.3.1)."""
        unit = CANONICAL_UNIT[carrier]
        ncv = self._row("ncv", carrier, family=self.fuel_family)
        cc = self._row("carbon_content", carrier, family=self.fuel_family)
        of = self._row("oxidation", carrier, family=self.fuel_family)
        ncv_gj = _to(float(ncv["value"]), str(ncv["unit"]), f"GJ/{unit}")
        value = ncv_gj * float(cc["value"]) * float(of["value"]) * CO2_PER_C
        return Factor(value, f"tCO2/{unit}", (str(ncv["id"]), str(cc["id"]), str(of["id"])))

    def _grid(self, parameter: str, province: str) -> Factor:
        prov = normalise_province(province)
        levels = {"province": [prov, grid_region(prov), "national"], "region": [grid_region(prov), "national"],
                  "national": ["national"]}[self.grid_level]
        for i, region in enumerate(levels):
            try:
                row = self._row(parameter, "electricity", region=region, data_year=self.grid_year)
            except FactorError:
                continue
            note = f"fell back from {levels[0]} to {region}" if i else ""
            return Factor(float(row["value"]) / 1000.0, "tCO2/kWh", (str(row["id"]),), note)
        raise FactorError(f"factor set {self.name} has no {parameter} for {province} in {self.grid_year}")

    def grid_location(self, province: str) -> Factor:
        """Location-based grid factor [tCO2/kWh] for an enterprise in `province`."""
        return self._grid("grid_average", province)

    def grid_market(self, province: str) -> Factor:
        """Market-based factor [tCO2/kWh]: the factor excluding market-traded non-fossil power where the
        notice publishes one (公告2024年第33号 onwards), else the location factor (recorded in the note)."""
        try:
            f = self._grid("grid_excl_market_nonfossil", province)
        except FactorError:
            loc = self.grid_location(province)
            return Factor(loc.value, loc.unit, loc.rows,
                          f"no excluding-market-non-fossil factor for {self.grid_year}; location factor used")
        return f

    def heat_co2(self) -> Factor:
        """Purchased heat [tCO2/GJ] (GB/T 32150-2015 6.3.4)."""
        row = self._row("heat_emission", "heat")
        return Factor(float(row["value"]), "tCO2/GJ", (str(row["id"]),))

    def steam_co2(self) -> Factor:
        """Purchased steam [tCO2/t] = (enthalpy − 83.74 kJ/kg) [GJ/t] × heat factor [tCO2/GJ]."""
        enthalpy = self._row("steam_enthalpy", "steam")
        ret = self._row("steam_return_enthalpy", "steam")
        heat = self.heat_co2()
        gj = _to(float(enthalpy["value"]), str(enthalpy["unit"]), "GJ/t") - _to(
            float(ret["value"]), str(ret["unit"]), "GJ/t")
        return Factor(gj * heat.value, "tCO2/t", (str(enthalpy["id"]), str(ret["id"]), *heat.rows))

    def density(self, carrier: str) -> float | None:
        """Density [t/m³] for converting litres of a liquid fuel, or None."""
        try:
            row = self._row("density", carrier)
        except FactorError:
            return None
        return _to(float(row["value"]), str(row["unit"]), "t/m3")

    def used_rows(self) -> pd.DataFrame:
        """The library rows this set has been asked for so far (for the report's factor table)."""
        return self.rows[self.rows["id"].isin(self.used)].copy()


def load_factor_set(name: str = DEFAULT_SET, overrides: pd.DataFrame | None = None) -> FactorSet:
    """Resolve a named factor set, optionally with a park's own measured values on top.

    `overrides` has the library's columns; an override row replaces the library row with the same
    parameter, carrier, family and region (its `note` should carry the evidence).
    """
    defs = _set_definitions()
    if name.endswith("+park"):
        name = name[: -len("+park")]
    if name not in defs:
        raise FactorError(f"unknown factor set {name!r} (available: {', '.join(sorted(defs))})")
    d = defs[name]
    rows = load_library().copy()
    set_name = name
    if overrides is not None and not overrides.empty:
        ov = overrides[COLUMNS].copy()
        ov["value"] = ov["value"].astype(float)
        rows = pd.concat([rows, ov], ignore_index=True)
        set_name = f"{name}+park"
    return FactorSet(
        name=set_name,
        description=str(d.get("description", "")),
        rows=rows,
        grid_year=int(str(d["grid_year"])),
        grid_level=str(d["grid_level"]),
        fuel_family=str(d["fuel_family"]),
        equivalent_year=int(str(d["equivalent_year"])),
    )
