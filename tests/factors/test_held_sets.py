"""A named factor set is resolved once per registry version and held (nengtan.engine.ledgers.year_factor_set): each
caller still gets its own record of the rows it used, and a park value recorded since is seen at once."""

from __future__ import annotations

import pytest

from nengtan.engine.ledgers import year_factor_set
from nengtan.registry.store import Registry
from nengtan.registry.tables.factors import FactorOverride


def test_each_copy_of_a_held_set_records_only_its_own_rows(registry: Registry) -> None:
    first = year_factor_set(registry, 2025)
    first.tce("electricity")
    second = year_factor_set(registry, 2025)
    second.combustion_co2("natural_gas")
    assert first.id == second.id
    assert first.used == {"tce.electricity"}
    assert second.used == {"ncv.natural_gas", "cc.natural_gas", "of.natural_gas"}
    second.tce("electricity")  # a look-up the held set already answered still counts for the one asking
    assert "tce.electricity" in second.used


def test_a_park_value_recorded_after_the_set_was_held_applies_at_once(registry: Registry) -> None:
    held = year_factor_set(registry, 2025)
    with registry.session() as s:
        s.add(FactorOverride(parameter="ncv", carrier="natural_gas", family="gbt32150", value=360.0, unit="GJ/wan_m3",
                             evidence="supplier lab report 2025-07", valid_from="2025-01-01"))
    park = year_factor_set(registry, 2025)
    assert park.name == "cn+park"
    assert park.id != held.id
    # GB/T 32150-2015 table B.1 natural gas: CC 15.3 tC/TJ = 0.0153 tC/GJ, OF 99 %; the park's NCV 360 GJ/10⁴ m³
    assert park.combustion_co2("natural_gas").value == pytest.approx(360.0 * 0.0153 * 0.99 * 44 / 12 / 10_000)
