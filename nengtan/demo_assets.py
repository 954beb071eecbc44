"""The demo park's carbon assets (issue 12): its key emitters (重点排放单位, flagged by the demo at ≈ 26 000 tCO2)
taken as covered by the national market with their direct emissions, as steel, cement and aluminium are from
2025. For compliance year 2024: verified emissions = the platform's Scope 1 of 2024 (the verification records of
issue 12 are not built yet), pre-allocation 93 % and true-up 3 % of them, a purchase for every other emitter, CCER
lots for some (one from a project inside the market's boundary), the year settled for the first half; 2025
pre-allocated. Deterministic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from nengtan.engine.certification import Actor
from nengtan.registry.store import Registry


def build_assets_demo(reg: Registry, lake: Any, year: int) -> dict[str, Any]:
    from sqlalchemy import select

    from nengtan.engine import carbonassets
    from nengtan.engine.ledgers import ledger
    from nengtan.registry.tables.park import Enterprise

    staff = Actor("demo", "admin")
    with reg.session() as s:
        emitters = [u for (u,) in s.execute(select(Enterprise.uscc).where(Enterprise.key_emission_unit.is_(True))
                                            .order_by(Enterprise.uscc)).all()]
    if not emitters:
        return {"emitters": 0}
    led = ledger(reg, lake, year - 1)
    scope1 = led.groupby("uscc")["scope1_t"].sum()
    settled = 0
    for k, u in enumerate(emitters):
        verified = round(float(scope1.get(u, 0.0)))
        carbonassets.set_year(reg, staff, u, year - 1, verified_t=verified, deadline=dt.date(year, 12, 31))
        carbonassets.move(reg, staff, u, year - 1, "pre_allocation", round(0.93 * verified))
        carbonassets.move(reg, staff, u, year - 1, "true_up", round(0.03 * verified))
        if k % 2 == 1:
            carbonassets.move(reg, staff, u, year - 1, "buy", round(0.02 * verified), "全国碳市场（演示）")
        if k % 3 == 0:
            carbonassets.add_ccer(reg, staff, u, f"CCER-DEMO-{k + 1:03d}", "盐城海上风电（演示）", "CCER-14-002-V01",
                                  year - 1, round(0.04 * verified))
        if k == 2:
            carbonassets.add_ccer(reg, staff, u, "CCER-DEMO-IN-001", "园区燃煤电厂余热（演示）", "CCER-01-001-V01",
                                  year - 1, 200, in_boundary=True)
        if k < len(emitters) // 2:
            carbonassets.surrender(reg, staff, u, year - 1)
            settled += 1
        carbonassets.set_year(reg, staff, u, year, deadline=dt.date(year + 1, 12, 31))
        carbonassets.move(reg, staff, u, year, "pre_allocation", round(0.9 * verified))
    return {"emitters": len(emitters), "settled": settled}
