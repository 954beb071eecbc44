"""Inventories and the inventory workbook: the figures ``nengtan inventory``, ``/api/inventory``, the
cockpit and ``nengtan report inventory`` all show, from one call."""

from __future__ import annotations

from pathlib import Path

from nengtan.accounting import Inventory, inventory_from_ledger
from nengtan.engine.ledgers import enterprises_in_scope
from nengtan.engine.ledgers import inventory as direct_inventory
from nengtan.engine.stores import Stores
from nengtan.engine.years import year_data
from nengtan.indicators import Period


def inventory(stores: Stores, year: int, month: int | None = None, quarter: int | None = None,
              scope: str = "park", factor_set: str | None = None) -> Inventory:
    """The inventory of ``scope`` for a month, quarter or year. With the stores' own factor set it is
    built from the cached year data; another named set is computed afresh."""
    from nengtan.engine.places import place_scope

    period = Period(year, month, quarter)
    scope = place_scope(stores, scope)
    if factor_set is not None and factor_set != stores.factor_set:
        return direct_inventory(stores.registry, stores.lake, year, month, quarter, scope, factor_set)
    n = enterprises_in_scope(stores.registry, scope)
    d = year_data(stores, year)
    assert d is not None
    return inventory_from_ledger(d.ledger, d.reported, d.factor_set, scope, period, d.data_version, n)


def park_name(stores: Stores) -> str:
    """The name of the place the stores see: the park (or the province, city …), for titles."""
    from nengtan.engine.places import place_info, place_of

    return place_info(stores.registry, place_of(stores)).name


def inventory_report(stores: Stores, output: Path, year: int, month: int | None = None, quarter: int | None = None,
                     scope: str = "park") -> tuple[Path, Inventory]:
    """Write the inventory workbook of ``scope`` and period to ``output``; returns it and the inventory."""
    from nengtan.engine.cockpit import sector_names
    from nengtan.reports.inventory_xlsx import write_inventory_report

    inv = inventory(stores, year, month, quarter, scope)
    d = year_data(stores, year)
    assert d is not None
    names = {code: zh for code, (zh, _) in sector_names(stores).items()}
    path = write_inventory_report(output, inv, d.ledger, d.reported, d.factor_set, park_name(stores),
                                  Period(year, month, quarter), names)
    return path, inv
