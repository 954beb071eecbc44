"""Quantities and the units Chinese energy statistics use, on top of pint.

Adds 万 (10⁴) multiples (万kWh, 万m3), standard coal (kgce, tce: 1 kgce = 29.3076 MJ, GB/T 2589-2020
clause 3.3 / 4.x) and maps each energy carrier to the canonical unit the stores keep.
"""

from __future__ import annotations

from functools import lru_cache

import pint

from nengtan.errors import InputError

CANONICAL_UNIT: dict[str, str] = {
    "electricity": "kWh",
    "green_electricity": "kWh",
    "pv": "kWh",
    "natural_gas": "m3",
    "diesel": "t",
    "gasoline": "t",
    "fuel_oil": "t",
    "kerosene": "t",
    "lpg": "t",
    "coal": "t",
    "coke": "t",
    "heat": "GJ",
    "steam": "t",
}
"""Canonical unit per carrier: what the registry and the lake store [see docs/architecture.md]."""

CARRIERS: tuple[str, ...] = tuple(CANONICAL_UNIT)

LIQUID_FUELS = frozenset({"diesel", "gasoline", "fuel_oil", "kerosene", "lpg"})

_ALIASES: dict[str, str] = {
    "kwh": "kWh",
    "mwh": "MWh",
    "gwh": "GWh",
    "万kwh": "wan_kWh",
    "万千瓦时": "wan_kWh",
    "千瓦时": "kWh",
    "m3": "m3",
    "m³": "m3",
    "nm3": "m3",
    "nm³": "m3",
    "立方米": "m3",
    "万m3": "wan_m3",
    "万m³": "wan_m3",
    "万nm3": "wan_m3",
    "万立方米": "wan_m3",
    "t": "t",
    "吨": "t",
    "kg": "kg",
    "千克": "kg",
    "公斤": "kg",
    "l": "L",
    "升": "L",
    "gj": "GJ",
    "mj": "MJ",
    "百万千焦": "GJ",
    "tce": "tce",
    "吨标准煤": "tce",
    "kgce": "kgce",
    "千克标准煤": "kgce",
    "万tce": "wan_tce",
}

_PINT_NAMES = frozenset(_ALIASES.values())


def known_spellings() -> frozenset[str]:
    """Every way of writing a unit that normalise_unit accepts (lower-cased aliases and pint names)."""
    return frozenset(_ALIASES) | _PINT_NAMES


class UnitError(InputError):
    """A unit that is unknown or does not fit the carrier."""


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The shared pint registry with nengtan's additions."""
    ureg: pint.UnitRegistry = pint.UnitRegistry()
    ureg.define("kgce = 29.3076 * megajoule")  # GB/T 2589-2020: 1 kgce = 29 307.6 kJ
    ureg.define("tce = 1000 * kgce")
    ureg.define("wan_tce = 10000 * tce")
    ureg.define("wan_kWh = 10000 * kilowatt_hour")
    ureg.define("m3 = meter ** 3")
    ureg.define("wan_m3 = 10000 * meter ** 3")
    ureg.define("t = metric_ton")
    return ureg


def normalise_unit(unit: str) -> str:
    """Map a unit as people write it (万kWh, 立方米, Nm3, kwh) to a pint unit name.

    Raises UnitError for a unit nengtan does not know.
    """
    key = unit.strip().replace(" ", "")
    if key in _PINT_NAMES:
        return key
    found = _ALIASES.get(key.lower()) or _ALIASES.get(key)
    if found is None:
        raise UnitError(f"unknown unit {unit!r} (known: kWh, MWh, 万kWh, m3, 万m3, t, kg, L, GJ, MJ, tce, kgce)")
    return found


@lru_cache(maxsize=512)
def conversion_factor(unit: str, to_unit: str) -> float:
    """Multiplier taking a value in `unit` to `to_unit`; UnitError if the dimensions differ."""
    ureg = registry()
    src, dst = normalise_unit(unit), normalise_unit(to_unit)
    try:
        return float(ureg.Quantity(1.0, src).to(dst).magnitude)
    except pint.DimensionalityError as exc:
        raise UnitError(f"cannot convert {unit} to {to_unit}") from exc


def to_canonical(carrier: str, quantity: float, unit: str, density_t_per_m3: float | None = None) -> float:
    """Convert a quantity of `carrier` to its canonical unit.

    Liquid fuels given in litres need the fuel's density [t/m³] (from the factor set).
    """
    if carrier not in CANONICAL_UNIT:
        raise UnitError(f"unknown carrier {carrier!r} (known: {', '.join(CARRIERS)})")
    target = CANONICAL_UNIT[carrier]
    src = normalise_unit(unit)
    if target == "t" and src == "L":
        if density_t_per_m3 is None:
            raise UnitError(f"{carrier} in litres needs a density; none in the factor set")
        return quantity * 1e-3 * density_t_per_m3
    try:
        return quantity * conversion_factor(src, target)
    except UnitError as exc:
        raise UnitError(
            f"unit {unit!r} does not fit {carrier} (expected something convertible to {target})"
        ) from exc


def canonical_factor(carrier: str, unit: str) -> float:
    """Multiplier from `unit` to the carrier's canonical unit (no density conversions)."""
    return to_canonical(carrier, 1.0, unit)
