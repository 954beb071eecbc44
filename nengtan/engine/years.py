"""A park-year's data as the engine hands it to the domain: the accounting ledger (with the factor set
resolved for that year) and the economics with value added on the one basis (nengtan.indicators)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nengtan.engine.ledgers import data_version, economics, year_factor_set, year_ledger
from nengtan.engine.stores import Stores
from nengtan.errors import NoDataError
from nengtan.factors import FactorSet
from nengtan.indicators import fill_value_added

HISTORY_YEARS = 3
"""Years before the warning year whose data give the seasonal profiles."""


@dataclass
class YearData:
    """Ledger and economics of one year: ``economics`` has value added at constant prices filled from
    current prices where missing (``basis`` says how), ``reported`` is as the enterprises reported it."""

    year: int
    ledger: pd.DataFrame
    economics: pd.DataFrame
    reported: pd.DataFrame
    basis: str
    factor_set: FactorSet
    data_version: str

    @property
    def months(self) -> int:
        return int(self.ledger["period"].nunique())


def year_data(stores: Stores, year: int, required: bool = True) -> YearData | None:
    """The year's ledger and economics (cached per data version). A year with no energy data is a
    NoDataError when ``required``, else None."""

    def compute() -> YearData | None:
        fs = year_factor_set(stores.registry, year, stores.factor_set)
        led = year_ledger(stores.registry, stores.lake, year, fs)
        if len(led) == 0:
            return None
        reported = economics(stores.registry, year)
        eco, basis = fill_value_added(reported)
        return YearData(year, led, eco, reported, basis, fs, data_version(stores.registry, stores.lake))

    from nengtan.engine.places import WHOLE, place_of, place_usccs, unplaced

    place = place_of(stores)
    if place == WHOLE:
        d = stores.cached(("year-data", year, stores.factor_set), compute)
    else:  # a place's year: the installation's rows of the place's enterprises (nengtan.engine.places)
        whole = year_data(unplaced(stores), year, required=False)
        d = None if whole is None else stores.cached(("year-data", year, stores.factor_set),
                                                      lambda: _at_place(whole, place_usccs(stores.registry, place)))
    if d is None and required:
        raise NoDataError(f"no energy data for {year}: import statements or readings (or build the demo) first")
    return d


def _at_place(d: YearData, usccs: frozenset[str]) -> YearData | None:
    led = d.ledger[d.ledger["uscc"].isin(usccs)].reset_index(drop=True)
    if len(led) == 0:
        return None
    return YearData(d.year, led, d.economics[d.economics["uscc"].isin(usccs)].reset_index(drop=True),
                    d.reported[d.reported["uscc"].isin(usccs)].reset_index(drop=True), d.basis, d.factor_set,
                    d.data_version)


def history(stores: Stores, year: int, back: int = HISTORY_YEARS) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """Ledgers and economics of the ``back`` years before ``year`` that have data, concatenated."""
    leds, ecos = [], []
    for y in range(year - back, year):
        d = year_data(stores, y, required=False)
        if d is not None:
            leds.append(d.ledger)
            ecos.append(d.economics)
    if not leds:
        return None, None
    return pd.concat(leds, ignore_index=True), pd.concat(ecos, ignore_index=True)
