"""Loading the factor library and resolving factor sets into per-carrier multipliers.

Formulas (all multipliers are per canonical unit of the carrier, see nengtan.units.CANONICAL_UNIT):

* energy [tce] = quantity × coefficient (GB/T 2589-2020 clause 4, annex A);
* fuel combustion CO2 [t] = AD × NCV × CC × OF × 44/12 (GB/T 32150-2015 clause 6.3.1, formulas (2)-(4));
* purchased electricity CO2 [t] = AD [MWh] × grid factor [tCO2/MWh] (GB/T 32150-2015 clause 6.3.4, formula 8);
* purchased heat CO2 [t] = heat [GJ] × 0.11 tCO2/GJ (GB/T 32150-2015 clause 6.3.4, formula 9);
* steam [GJ] = mass [t] × (enthalpy − 83.74 kJ/kg) × 10⁻³ (industrial-other guideline formula 8); the
  same heat is what the steam counts in energy (× the heat coefficient) and in CO2 (× 0.11 tCO2/GJ).

Time-matching (the default set ``cn``): activity of year Y uses the grid factors and the 等价值 coal rate
whose data year is Y where they were published by the report date (``valid_from`` ≤ as-of), else the
newest data year published by then; a row whose ``valid_to`` ends before the activity year is never
used. Named sets (``cn-2022``) pin the data year. GB/T 32150-2015 is the fuel-parameter source for all
years: its 2025 revision applies from 2026-07-01 but its values are not in the library yet, so activity
from that date on still uses the 2015 values and every such result says so.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from nengtan.errors import NotFoundError
from nengtan.factors.provinces import grid_region, normalise_province
from nengtan.i18n import Both, pair
from nengtan.units import CANONICAL_UNIT, registry

DEFAULT_SET = "cn"
MATCHED = "matched"
GBT32150_REVISION_FROM = dt.date(2026, 7, 1)
"""GB/T 32150-2025 applies from this day; its parameter values are not in the library yet."""
CO2_PER_C = 44.0 / 12.0
"""Molecular mass ratio CO2/C used in GB/T 32150-2015 formula (2)."""

FUELS = ("natural_gas", "diesel", "gasoline", "fuel_oil", "kerosene", "lpg", "coal", "coke")
FUEL_PARAMETERS = frozenset({"ncv", "carbon_content", "oxidation"})
GRID_PARAMETERS = frozenset({"grid_average", "grid_excl_market_nonfossil"})

COLUMNS = [
    "id", "parameter", "carrier", "family", "region", "data_year", "value", "unit", "source",
    "clause", "edition", "valid_from", "valid_to", "status", "note",
]


class FactorError(NotFoundError):
    """A factor that the set does not have, or a set that does not exist."""

    status = 422


@dataclass(frozen=True)
class Factor:
    """A multiplier [unit] and the library rows it was made from."""

    value: float
    unit: str
    rows: tuple[str, ...]
    note: str = ""
    note_zh: str = ""


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


@lru_cache(maxsize=4096)
def _to(value: float, unit: str, target: str) -> float:
    """``value`` [unit] in ``target`` (pint; held per triple: an inventory asks for the same few conversions for
    every carrier it costs)."""
    ureg = registry()
    return float(ureg.Quantity(value, unit).to(target).magnitude)


@dataclass
class FactorSet:
    """A resolved factor set: per-carrier multipliers with the rows behind them.

    Parameters
    ----------
    name : set name from sets.yaml (plus ``+park`` when park overrides apply)
    rows : the library rows after overrides
    grid_year : data year of the grid factors [year], or None while a time-matched set is not yet
        resolved for an activity year (:meth:`for_year`)
    grid_level : ``province`` | ``region`` | ``national``
    fuel_family : parameter family for NCV, carbon content and oxidation
    equivalent_year : data year of the 等价值 coal rate (None likewise)
    as_of : report date: rows published after it (``valid_from``) are not used
    matched : whether the data years are time-matched to the activity year
    basis : sentences saying which data years were chosen and why
    """

    name: str
    description: str
    rows: pd.DataFrame
    grid_year: int | None
    grid_level: str
    fuel_family: str
    equivalent_year: int | None
    as_of: dt.date = field(default_factory=dt.date.today)
    matched: bool = False
    basis: tuple[str, ...] = ()
    basis_zh: tuple[str, ...] = ()
    used: set[str] = field(default_factory=set)
    _cache: dict[tuple[object, ...], pd.Series] = field(default_factory=dict, repr=False)
    _usable: dict[tuple[object, ...], Any] = field(default_factory=dict, repr=False)

    def usable_rows(self) -> pd.DataFrame:
        """The rows this set can use: published by ``as_of``, of its fuel family (other families never mix
        in), and — once the data years are fixed — grid and 等价值 rows of those years only (computed once
        per choice of those; every factor lookup filters them)."""
        key = ("rows", *self._usable_key())
        if key not in self._usable:
            self._usable[key] = self._select_usable()
        return self._usable[key]  # type: ignore[no-any-return]

    def _usable_key(self) -> tuple[object, ...]:
        return self.as_of, self.fuel_family, self.grid_year, self.equivalent_year, len(self.rows)

    def _select_usable(self) -> pd.DataFrame:
        df = self.rows
        keep = (df["valid_from"] == "") | (df["valid_from"] <= self.as_of.isoformat())
        fuel = df["parameter"].isin(FUEL_PARAMETERS)
        keep &= ~fuel | (df["family"] == self.fuel_family)
        if self.grid_year is not None:
            keep &= ~df["parameter"].isin(GRID_PARAMETERS) | (df["data_year"] == str(self.grid_year))
        if self.equivalent_year is not None:
            keep &= (df["parameter"] != "electricity_equivalent") | (df["data_year"] == str(self.equivalent_year))
        return df[keep]

    @property
    def digest(self) -> str:
        """SHA-256 over the rows this set can use (sorted), so any edited value changes the id and two sets
        that can use different rows never share one."""
        key = ("digest", *self._usable_key())  # (worked out once per choice of rows, as usable_rows)
        if key not in self._usable:
            text = self.usable_rows().sort_values("id").to_csv(index=False)
            self._usable[key] = hashlib.sha256(text.encode("utf-8")).hexdigest()
        return self._usable[key]  # type: ignore[no-any-return]

    @property
    def id(self) -> str:
        return f"{self.name}@{self.digest[:8]}"

    def for_year(self, year: int) -> FactorSet:
        """This set resolved for activity of ``year``: a time-matched set picks the grid factors' and the
        等价值 rate's data year (``year`` where published by ``as_of``, else the newest published by then,
        never one whose ``valid_to`` ended before ``year``); a named set keeps its pinned years. The
        resolved set's ``basis`` says what was chosen and why."""
        notes: list[tuple[str, str]] = []  # (English, Chinese)
        grid, equiv = self.grid_year, self.equivalent_year
        if self.matched:
            grid = self._match_year(tuple(GRID_PARAMETERS), year, pair("note.factors:grid"), notes)
            equiv = self._match_year(("electricity_equivalent",), year, pair("note.factors:equivalent"), notes)
        else:
            notes.append(pair("note.factors:pinned", year=year, grid_year=self.grid_year, name=self.name))
        if year >= GBT32150_REVISION_FROM.year:
            since = GBT32150_REVISION_FROM.isoformat()
            notes.append(pair("note.factors:gbt32150", since=since))
        return replace(self, grid_year=grid, equivalent_year=equiv, basis=tuple(n[0] for n in notes),
                       basis_zh=tuple(n[1] for n in notes), used=set(), _cache={}, _usable={})

    def fresh(self) -> FactorSet:
        """This resolved set with its own, empty record of rows used, sharing its row selection, digest and
        look-ups (so a set held for many inventories resolves and hashes once, and each inventory's factor table
        lists only what that inventory asked for)."""
        return replace(self, used=set())

    def _match_year(self, parameters: tuple[str, ...], year: int, what: tuple[str, str],
                    notes: list[tuple[str, str]]) -> int:
        df = self.rows[self.rows["parameter"].isin(parameters) & (self.rows["data_year"] != "")]
        published = df[(df["valid_from"] == "") | (df["valid_from"] <= self.as_of.isoformat())]
        published = published[(published["valid_to"] == "") | (published["valid_to"] >= f"{year:04d}-01-01")]
        years = sorted({int(y) for y in published["data_year"]})
        as_of = self.as_of.isoformat()
        if not years:
            raise FactorError(f"factor set {self.name} has no {what[0]} published by {as_of}")
        if year in years:
            chosen = year
            why = pair("note.factors:own_year")
        else:
            before = [y for y in years if y < year]
            chosen = before[-1] if before else years[0]
            why = (pair("note.factors:newest", year=year, as_of=as_of) if before else
                   pair("note.factors:oldest", year=year))
        src = sorted(set(published.loc[published["data_year"] == str(chosen), "source"]))
        notes.append(pair("note.factors:matched", year=year, chosen=chosen, what=Both(*what), why=Both(*why),
                          sources=Both(", ".join(src), "、".join(src))))
        return chosen

    def _require_years(self) -> tuple[int, int]:
        if self.grid_year is None or self.equivalent_year is None:
            raise FactorError(f"factor set {self.name} is time-matched: resolve it for an activity year first")
        return self.grid_year, self.equivalent_year

    # -- row lookup ---------------------------------------------------------------------------
    def _row(self, parameter: str, carrier: str, family: str | None = None, region: str | None = None,
             data_year: int | None = None) -> pd.Series:
        key = (parameter, carrier, family, region, data_year)
        row = self._cache.get(key)
        if row is None:
            row = self._cache[key] = self._lookup(parameter, carrier, family, region, data_year)
        self.used.add(str(row["id"]))  # (on every look-up: copies of one resolved set share the cache, not `used`)
        return row

    def _lookup(self, parameter: str, carrier: str, family: str | None, region: str | None,
                data_year: int | None) -> pd.Series:
        found = [r for r in self._usable_records().get((parameter, carrier), [])
                 if (family is None or r["family"] == family) and (region is None or r["region"] == region)
                 and (data_year is None or r["data_year"] == str(data_year))]
        if not found:
            raise FactorError(
                f"factor set {self.name} has no {parameter} for {carrier}"
                + (f" ({family})" if family else "") + (f" region {region}" if region else "")
                + (f" year {data_year}" if data_year else "")
            )
        return found[-1]  # park overrides come last and win

    def _usable_records(self) -> dict[tuple[str, str], list[pd.Series]]:
        """The usable rows grouped by (parameter, carrier), in library order (overrides last)."""
        key = ("records", self.as_of, self.fuel_family, self.grid_year, self.equivalent_year, len(self.rows))
        if key not in self._usable:
            groups: dict[tuple[str, str], list[pd.Series]] = {}
            for _, r in self.usable_rows().iterrows():
                groups.setdefault((str(r["parameter"]), str(r["carrier"])), []).append(r)
            self._usable[key] = groups  # type: ignore[assignment]
        return self._usable[key]  # type: ignore[return-value]

    # -- energy ------------------------------------------------------------------------------
    def tce(self, carrier: str) -> Factor:
        """Standard-coal coefficient [tce per canonical unit] (GB/T 2589-2020 annex A, 当量值)."""
        if carrier == "steam":
            steam = self.steam_heat()
            heat = self._row("tce_coefficient", "heat")
            return Factor(steam.value * _to(float(heat["value"]), str(heat["unit"]), "tce/GJ"), "tce/t",
                          (*steam.rows, str(heat["id"])), "steam counted by the heat it delivers")
        row = self._row("tce_coefficient", carrier)
        unit = f"tce/{CANONICAL_UNIT[carrier]}"
        return Factor(_to(float(row["value"]), str(row["unit"]), unit), unit, (str(row["id"]),))

    def tce_equivalent(self, carrier: str) -> Factor:
        """等价值 coefficient: electricity by the coal burned to make it; other carriers as 当量值."""
        if carrier in ("electricity", "pv"):
            row = self._row("electricity_equivalent", carrier, data_year=self._require_years()[1])
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

    def fuel_carbon_co2(self, carrier: str) -> Factor:
        """A fuel's carbon as CO2 [tCO2 per canonical unit] = NCV × CC × 44/12, no oxidation factor: the
        input side of a carbon balance (GB/T 32150-2015 6.3.2) for fuel used as raw material."""
        unit = CANONICAL_UNIT[carrier]
        ncv = self._row("ncv", carrier, family=self.fuel_family)
        cc = self._row("carbon_content", carrier, family=self.fuel_family)
        ncv_gj = _to(float(ncv["value"]), str(ncv["unit"]), f"GJ/{unit}")
        return Factor(ncv_gj * float(cc["value"]) * CO2_PER_C, f"tCO2/{unit}", (str(ncv["id"]), str(cc["id"])))

    def _grid(self, parameter: str, province: str) -> Factor:
        prov = normalise_province(province)
        levels = {"province": [prov, grid_region(prov), "national"], "region": [grid_region(prov), "national"],
                  "national": ["national"]}[self.grid_level]
        for i, region in enumerate(levels):
            try:
                row = self._row(parameter, "electricity", region=region, data_year=self._require_years()[0])
            except FactorError:
                continue
            note = pair("note.factors:fell_back", wanted=levels[0], region=region) if i else ("", "")
            return Factor(float(row["value"]) / 1000.0, "tCO2/kWh", (str(row["id"]),), *note)
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
            return Factor(loc.value, loc.unit, loc.rows, *pair("note.factors:no_market", year=self.grid_year))
        return f

    def heat_co2(self) -> Factor:
        """Purchased heat [tCO2/GJ] (GB/T 32150-2015 6.3.4)."""
        row = self._row("heat_emission", "heat")
        return Factor(float(row["value"]), "tCO2/GJ", (str(row["id"]),))

    def steam_heat(self) -> Factor:
        """Heat delivered by steam [GJ/t] = (enthalpy − 83.74 kJ/kg) × 10⁻³ (industrial-other guideline
        formula 8: the condensate returned at 20 °C is not counted); energy and CO2 both use it."""
        enthalpy = self._row("steam_enthalpy", "steam")
        ret = self._row("steam_return_enthalpy", "steam")
        gj = _to(float(enthalpy["value"]), str(enthalpy["unit"]), "GJ/t") - _to(
            float(ret["value"]), str(ret["unit"]), "GJ/t")
        return Factor(gj, "GJ/t", (str(enthalpy["id"]), str(ret["id"])))

    def steam_co2(self) -> Factor:
        """Purchased steam [tCO2/t] = delivered heat [GJ/t] × heat factor [tCO2/GJ] (GB/T 32150-2015 6.3.4)."""
        steam = self.steam_heat()
        heat = self.heat_co2()
        return Factor(steam.value * heat.value, "tCO2/t", (*steam.rows, *heat.rows))

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


def _year_or_matched(value: object) -> int | None:
    return None if str(value) == MATCHED else int(str(value))


def load_factor_set(name: str = DEFAULT_SET, overrides: pd.DataFrame | None = None,
                    as_of: dt.date | None = None) -> FactorSet:
    """Resolve a named factor set, optionally with a park's own measured values on top.

    ``as_of`` is the report date (default today): rows published after it are not used.

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
        grid_year=_year_or_matched(d["grid_year"]),
        grid_level=str(d["grid_level"]),
        fuel_family=str(d["fuel_family"]),
        equivalent_year=_year_or_matched(d["equivalent_year"]),
        as_of=as_of or dt.date.today(),
        matched=MATCHED in (str(d["grid_year"]), str(d["equivalent_year"])),
    )
