"""Energy and carbon accounting: ledgers and inventories for any scope and period.

``ledger(reg, lake, year, factor_set)`` is the one table everything else sums:
one row per enterprise × month × carrier with energy and CO2 by scope (see docs/accounting.md).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from sqlalchemy import select

from nengtan.accounting.calc import LEDGER_COLUMNS, apply_factors, counter_consumption
from nengtan.accounting.gather import activity, data_version, economics, enterprises_frame
from nengtan.accounting.inventory import Inventory, Period, ScopeError, build_inventory, select_scope
from nengtan.errors import NoDataError
from nengtan.factors import DEFAULT_SET, FactorSet, load_factor_set
from nengtan.factors.library import COLUMNS
from nengtan.lake import Lake
from nengtan.registry.models import FactorOverride
from nengtan.registry.store import Registry

__all__ = [
    "LEDGER_COLUMNS",
    "Inventory",
    "Period",
    "ScopeError",
    "apply_factors",
    "counter_consumption",
    "economics",
    "enterprises_in_scope",
    "inventory",
    "inventory_from_ledger",
    "ledger",
    "resolve_factor_set",
    "year_factor_set",
]


def park_overrides(reg: Registry) -> pd.DataFrame:
    """The park's own factor values (FactorOverride rows) in the library's columns."""
    with reg.session() as s:
        rows = s.execute(select(FactorOverride)).scalars().all()
        data = [{"id": f"park.{r.id}.{r.parameter}.{r.carrier}", "parameter": r.parameter, "carrier": r.carrier,
                 "family": r.family, "region": r.region, "data_year": r.data_year, "value": r.value,
                 "unit": r.unit, "source": f"park measurement ({r.created_by})", "clause": "evidence",
                 "edition": "", "valid_from": r.valid_from, "valid_to": r.valid_to, "status": "park-measured",
                 "note": r.evidence} for r in rows]
    return pd.DataFrame(data, columns=COLUMNS)


def resolve_factor_set(reg: Registry, name: str | None = None, as_of: dt.date | None = None) -> FactorSet:
    """The named set (default: the time-matched ``cn``); ``<set>+park`` — the default when the park has
    measured values — applies them. ``as_of`` is the report date (default today)."""
    overrides = park_overrides(reg)
    if name is None:
        name = DEFAULT_SET + ("+park" if not overrides.empty else "")
    return load_factor_set(name, overrides if name.endswith("+park") else None, as_of=as_of)


def year_factor_set(reg: Registry, year: int, factor_set: FactorSet | str | None = None) -> FactorSet:
    """The factor set resolved for activity of ``year`` (time-matched unless the set pins its years)."""
    fs = factor_set if isinstance(factor_set, FactorSet) else resolve_factor_set(reg, factor_set)
    return fs.for_year(year)


def ledger(reg: Registry, lake: Lake, year: int, factor_set: FactorSet | str | None = None) -> pd.DataFrame:
    """One row per enterprise × month × carrier with energy [tce] and CO2 [t] by scope."""
    return apply_factors(activity(reg, lake, year), year_factor_set(reg, year, factor_set))


def inventory(reg: Registry, lake: Lake, year: int, month: int | None = None, quarter: int | None = None,
              scope: str = "park", factor_set: FactorSet | str | None = None) -> Inventory:
    """The inventory of `scope` (park | sector:<code> | enterprise:<uscc>) for a month, quarter or year.

    Raises NoDataError when the scope has no energy data in the period (an empty inventory is not a
    result)."""
    period = Period(year, month, quarter)
    fs = year_factor_set(reg, year, factor_set)
    n = enterprises_in_scope(reg, scope)
    led = apply_factors(activity(reg, lake, year), fs)
    return inventory_from_ledger(led, economics(reg, year), fs, scope, period, data_version(reg, lake), n)


def enterprises_in_scope(reg: Registry, scope: str) -> int:
    """How many registered enterprises ``scope`` covers; a sector or enterprise scope covering none is a
    ScopeError."""
    n = len(select_scope(enterprises_frame(reg), scope))
    if scope != "park" and n == 0:
        raise ScopeError(f"no enterprise in scope {scope!r}")
    return n


def inventory_from_ledger(led: pd.DataFrame, econ: pd.DataFrame, fs: FactorSet, scope: str, period: Period,
                          version: str, enterprises_in_scope: int | None = None) -> Inventory:
    """build_inventory, refusing a scope and period without energy data."""
    rows = select_scope(led, scope)
    if not rows["period"].isin(period.months).any():
        where = "the park" if scope == "park" else scope
        raise NoDataError(f"no energy data for {where} in {period.label}: import statements or readings first")
    return build_inventory(led, econ, fs, scope, period, version, enterprises_in_scope=enterprises_in_scope)
