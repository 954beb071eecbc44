"""Energy and carbon accounting, pure: activity frames × factors → the ledger (one row per enterprise ×
month × carrier), and inventories as sums over ledger rows for any scope and period (see
docs/accounting.md). Reading the stores is the engine's (nengtan.engine.ledgers)."""

from __future__ import annotations

import pandas as pd

from nengtan.accounting.calc import LEDGER_COLUMNS, apply_factors, counter_consumption
from nengtan.accounting.inventory import Inventory, Period, ScopeError, build_inventory, select_scope
from nengtan.errors import NoDataError
from nengtan.factors import FactorSet

__all__ = [
    "LEDGER_COLUMNS",
    "Inventory",
    "Period",
    "ScopeError",
    "apply_factors",
    "build_inventory",
    "counter_consumption",
    "inventory_from_ledger",
    "select_scope",
]


def inventory_from_ledger(led: pd.DataFrame, econ: pd.DataFrame, fs: FactorSet, scope: str, period: Period,
                          version: str, enterprises_in_scope: int | None = None) -> Inventory:
    """build_inventory, refusing a scope and period without energy data (an empty inventory is not a
    result: NoDataError)."""
    rows = select_scope(led, scope)
    if not rows["period"].isin(period.months).any():
        where = "the park" if scope == "park" else scope
        raise NoDataError(f"no energy data for {where} in {period.label}: import statements or readings first")
    return build_inventory(led, econ, fs, scope, period, version, enterprises_in_scope=enterprises_in_scope)
