"""The demo park's carbon assets (issue 12): its key emitters (重点排放单位, flagged by the demo at ≈ 26 000 tCO2)
taken as covered by the national market. For compliance year 2024 a verifier's file (``verification/`` in the
home: one table, one report per enterprise) is imported as a park would import it: each emitter's lines are the
platform's own 2024 accounts by carrier under the generic guideline, except that for every third emitter the
verifier used the default natural-gas factor (21.62 tCO2/10⁴ m³, CC 0.0153, where the platform has 21.65) and for
the next the electricity of the supplier's bills, 0.4 % above the meters — so the reconciliation has a factor and
an activity difference to explain. The verified (covered) emissions then set the obligation: pre-allocation 93 %
and true-up 3 % of them, a purchase for every other emitter, CCER lots for some (one from a project inside the
market's boundary), the year settled for the first half; 2025 pre-allocated; allowances and CCERs traded on the
park's board (:func:`board_trades`). Deterministic."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nengtan.engine.certification import Actor

if TYPE_CHECKING:
    from nengtan.config import Paths
    from nengtan.engine.stores import Stores


VERIFIER = "江苏某核查机构（演示）"
GAS_FACTOR_VERIFIER = 21.62e-4  # tCO2/m³: 389.31 GJ/10⁴ m³ × 0.0153 tC/GJ × 99 % × 44/12 (factors.md 2)


def write_verification_file(folder: Path, inventories: dict[str, dict[str, Any]], year: int) -> Path:
    """The verifier's table for `year` (nengtan.engine.verifications.COLUMNS) and one report per enterprise."""
    from nengtan.engine.verifications import platform_lines

    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"verification-{year}.csv"
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["uscc", "year", "verifier", "guideline", "source", "scope", "activity", "unit", "factor",
                    "emissions_t", "report"])
        for k, (uscc, inv) in enumerate(inventories.items()):
            report = f"核查报告-{uscc}-{year}.txt"
            lines = []
            for ln in platform_lines(inv):
                if ln.activity is None:
                    lines.append((ln.carrier, 1, "", "", "", f"{ln.factor:.2f}"))
                    continue
                activity, factor = ln.activity, ln.factor
                if k % 3 == 1 and ln.carrier == "natural_gas":
                    factor = GAS_FACTOR_VERIFIER
                if k % 3 == 2 and ln.carrier == "electricity":
                    activity *= 1.004
                scope = 2 if ln.carrier in ("electricity", "green_electricity", "heat", "steam") else 1
                lines.append((ln.carrier, scope, f"{activity:.3f}", inv["by_carrier"][ln.carrier]["unit"],
                              f"{factor:.9g}", f"{round(activity, 3) * float(f'{factor:.9g}'):.2f}"))
            for row in lines:
                w.writerow([uscc, year, VERIFIER, "generic", *row, report])
            total = sum(float(x[5]) for x in lines)
            (folder / report).write_text(f"{year} 年度温室气体排放核查报告（演示）\n核查机构：{VERIFIER}\n"
                                         f"重点排放单位：{uscc}\n核查确认排放量：{total:,.2f} tCO2\n",
                                         encoding="utf-8")
    return out


def build_assets_demo(paths: Paths, stores: Stores, year: int) -> dict[str, Any]:
    from sqlalchemy import select

    from nengtan.engine import carbonassets
    from nengtan.engine.cockpit import inventory_dict
    from nengtan.engine.verifications import import_records
    from nengtan.registry.tables.park import Enterprise

    reg = stores.registry

    staff = Actor("demo", "admin")
    with reg.session() as s:
        emitters = [u for (u,) in s.execute(select(Enterprise.uscc).where(Enterprise.key_emission_unit.is_(True))
                                            .order_by(Enterprise.uscc)).all()]
    if not emitters:
        return {"emitters": 0}
    table = write_verification_file(paths.home / "verification", {
        u: inventory_dict(stores, year - 1, f"enterprise:{u}") for u in emitters}, year - 1)
    result = import_records(stores, staff, table, paths.home / "verification" / "files")
    if result.errors:
        raise RuntimeError("; ".join(result.errors))
    covered = {r["uscc"]: r["obligation_t"] for r in carbonassets.status(reg, staff, year - 1)}
    settled = 0
    for k, u in enumerate(emitters):
        verified = round(covered[u])
        carbonassets.set_year(reg, staff, u, year - 1, deadline=dt.date(year, 12, 31))
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
    trades = board_trades(reg, emitters, year) if len(emitters) >= 8 else 0
    return {"emitters": len(emitters), "settled": settled, "board_trades": trades}


def board_trades(reg: Any, emitters: list[str], year: int) -> int:
    """Trades on the park's board, placed by the enterprises themselves: the first emitter offers 1 000 t of its
    `year` allowances at 95 元/t and the second buys 600 t at up to 98; the seventh (not settled, with a CCER lot)
    offers 100 t of CCERs at 62 元/t and the eighth buys them."""
    from sqlalchemy import select

    from nengtan.engine.greenassets import place_order
    from nengtan.registry.tables.assets import CcerLot
    from nengtan.registry.tables.park import Enterprise

    def own(u: str) -> Actor:
        with reg.session() as s:
            return Actor(f"demo-{u[-6:]}", "enterprise", frozenset({s.execute(select(Enterprise.id).where(
                Enterprise.uscc == u)).scalar_one()}))

    n = 0
    place_order(reg, own(emitters[0]), emitters[0], "sell", f"cea:{year}", 95, 1_000)
    n += len(place_order(reg, own(emitters[1]), emitters[1], "buy", f"cea:{year}", 98, 600)["trades"])
    with reg.session() as s:
        lot = s.execute(select(CcerLot.id).join(Enterprise, Enterprise.id == CcerLot.enterprise_id).where(
            Enterprise.uscc == emitters[6], CcerLot.status == "held")).scalars().first()
    if lot is not None:
        place_order(reg, own(emitters[6]), emitters[6], "sell", "ccer", 62, 100, lot)
        n += len(place_order(reg, own(emitters[7]), emitters[7], "buy", "ccer", 62, 100)["trades"])
    return n


def write_statistics_file(folder: Path, figures: Any, year: int) -> Path:
    """Land, tax and sales of the year for every enterprise but every eleventh (whose land the park has not
    surveyed yet): land from value added at 30–120 万元 per 亩, tax 6–18 % of value added, sales 95–110 % of gross
    output — a fixed hash of the USCC picks each enterprise's place in those ranges."""
    import hashlib

    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"statistics-{year}.csv"
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["uscc", "year", "item", "value", "unit", "source"])
        for k, (u, va, go) in enumerate(zip(figures["uscc"], figures["value_added"], figures["gross_output"],
                                            strict=True)):
            if k % 11 == 10 or not va > 0:
                continue
            h = [b / 255 for b in hashlib.sha256(str(u).encode()).digest()[:3]]
            w.writerow([u, year, "land_area", f"{va / (30 + 90 * h[0]):.1f}", "亩", "园区土地台账（演示）"])
            w.writerow([u, year, "tax", f"{va * (0.06 + 0.12 * h[1]) * 1e4:.0f}", "元", "税务部门共享（演示）"])
            w.writerow([u, year, "sales", f"{go * (0.95 + 0.15 * h[2]):.2f}", "万元", "统计联网直报（演示）"])
    return out


def build_ratings_demo(paths: Paths, stores: Stores, year: int) -> dict[str, Any]:
    """The demo's ratings and their records: statistics for the 亩均 evaluation, the year's ratings issued, points
    awarded for the last two years and some spent, energy-use rights of the key energy-using units (allocated at
    98 % of the previous year's dual-control energy, the first one buying 3 % more), the first enterprise's ESG
    publication (energy, Scope 1 and 2, intensities, verification status), and the year's energy-use budget
    (hybrid, from the previous year) with one project's energy review."""
    from sqlalchemy import select

    from nengtan.engine import carbonassets, esg, points, ratings
    from nengtan.engine.cockpit import inventory_dict
    from nengtan.engine.statistics import import_statistics
    from nengtan.engine.years import year_data
    from nengtan.indicators import enterprise_figures
    from nengtan.registry.tables.park import Enterprise

    staff = Actor("demo", "admin")
    d = year_data(stores, year)
    assert d is not None
    table = write_statistics_file(paths.home / "statistics", enterprise_figures(d.ledger, d.economics), year)
    res = import_statistics(stores.registry, staff, table)
    if res.errors:
        raise RuntimeError("; ".join(res.errors))
    issued = ratings.issue(stores, staff, year)
    awarded = [points.award(stores, staff, y) for y in (year - 1, year)]
    best = max(points.balances(stores.registry, staff), key=lambda b: b["available"], default=None)
    if best is not None and best["available"] >= 10:
        points.spend(stores.registry, staff, best["uscc"], round(best["available"] / 2), "green_finance",
                     "绿色信贷利率优惠（演示）", on=dt.date(year, 12, 1))
    with stores.registry.session() as s:
        energy_units = [u for (u,) in s.execute(select(Enterprise.uscc).where(Enterprise.key_energy_unit.is_(True))
                                                .order_by(Enterprise.uscc)).all()]
        first = s.execute(select(Enterprise).order_by(Enterprise.id)).scalars().first()
    for k, u in enumerate(energy_units):
        used = float(inventory_dict(stores, year - 1, f"enterprise:{u}")["energy_dual_control_tce"])
        carbonassets.energy_right_move(stores.registry, staff, u, year, "allocation", round(0.98 * used))
        if k == 0:
            carbonassets.energy_right_move(stores.registry, staff, u, year, "buy", round(0.03 * used),
                                           "江苏省用能权交易（演示）")
    if first is not None:
        own = Actor("enterprise-a", "enterprise", frozenset({first.id}))
        esg.publish(stores, own, first.uscc, year, ["energy_tce", "scope1_t", "scope2_location_t",
                                                    "scope2_market_t", "co2_intensity", "verification"])
    from nengtan.engine import energybudget

    energybudget.allocate(stores, staff, year, "hybrid", base_year=year - 1)
    energybudget.review(stores, staff, "新能源汽车电驱动系统项目（演示）", year, energy_tce=2_400,
                        approval_no="江宁能审〔2025〕1号（演示）")
    return {"statistics": res.landed, "ratings": issued, "points": awarded, "energy_units": len(energy_units)}
