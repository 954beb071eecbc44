"""Statistic items and their units, pure. Each item has one canonical unit; a value arrives in any unit of the
item's dimension and is stored in the canonical one. Area: 1 亩 (mu) = 10 000 / 15 m² (the statutory 市亩:
15 亩 = 1 hectare); money: 1 万元 = 10⁴ 元, 1 亿元 = 10⁸ 元."""

from __future__ import annotations

from nengtan.errors import InputError

AREA = {"mu": 1.0, "亩": 1.0, "m2": 15 / 10_000, "m²": 15 / 10_000, "平方米": 15 / 10_000, "ha": 15.0,
        "公顷": 15.0, "km2": 1_500.0, "km²": 1_500.0, "平方公里": 1_500.0}
"""Multipliers to 亩 (mu)."""
MONEY = {"万元": 1.0, "元": 1e-4, "千元": 0.1, "亿元": 1e4}
"""Multipliers to 万元."""
COUNT = {"人": 1.0, "persons": 1.0, "个": 1.0, "项": 1.0}

ITEMS: dict[str, tuple[str, dict[str, float], str]] = {
    "land_area": ("亩", AREA, "用地面积 (land in use)"),
    "tax": ("万元", MONEY, "实缴税金 (tax paid)"),
    "sales": ("万元", MONEY, "营业收入 / 销售收入 (sales revenue)"),
    "rnd_spending": ("万元", MONEY, "研发经费支出 (R&D spending)"),
    "employees": ("人", COUNT, "从业人员 (employees)"),
}
"""item → (canonical unit, accepted units with their multipliers, what it is)."""


def canonical(item: str, value: float, unit: str) -> tuple[float, str]:
    """`value` in `unit` converted to the item's canonical unit."""
    if item not in ITEMS:
        raise InputError(f"statistic item {item!r}: one of {', '.join(ITEMS)}")
    target, units, _ = ITEMS[item]
    u = unit.strip()
    mult = units.get(u, units.get(u.lower()))
    if mult is None:
        raise InputError(f"unit {unit!r} does not fit {item} (one of {', '.join(units)})")
    if value < 0:
        raise InputError(f"{item} {value} is negative")
    return value * mult, target
