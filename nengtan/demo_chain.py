"""The demo park's PV chain: a module maker (the chain leader) and three suppliers (polysilicon and ingot,
wafer, cell), each footprinted from its own metered data, shared up the chain with consent, and the
module certified, labelled and exported as PACT.

The four are the first enterprises (by registry id) of the electrical, battery and electronics sectors
that have a 15-minute electricity main meter: the leader from 382 (电气机械, where 3825 光伏设备及元器件
is classed) where there is one. Their production in the reference year is set from their metered
electricity and the IEA PVPS Task 12 electricity per unit of each stage (docs/demo.md), so the primary
data the models take from the platform (the meters, the gas statements) gives per-unit figures of the
order published for China; materials other than silicon (glass, frame, encapsulant, silver) are not in
the models. Everything is deterministic: the same demo gives the same footprints.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from nengtan.registry.store import Registry
from nengtan.registry.tables.park import Enterprise, Meter

if TYPE_CHECKING:
    from nengtan.engine.stores import Stores

CHAIN_SECTORS = ("382", "384", "397", "398")
BODY = "DEMO-CB"
"""The demo certification body's code."""
LEADER_USER, AUDITOR_USER, DECIDER_USER = "pv-leader", "cert-auditor", "cert-decider"
SUPPLIER_USERS = ("pv-ingot", "pv-wafer", "pv-cell")

# IEA PVPS Task 12, Life Cycle Inventories and LCA of PV systems (2020 ed., 2018 status, China), electricity
# per unit of each stage; the demo's production is set from each enterprise's metered electricity with them
POLY_KWH_PER_KG, INGOT_KWH_PER_KG, WAFER_KWH_PER_M2, CELL_KWH_PER_M2, MODULE_KWH_PER_M2 = 49.0, 32.0, 4.76, 17.75, 13.98
IEA = "IEA PVPS Task 12, LCI and LCA of PV systems (2020 ed., 2018 status, China)"


@dataclass(frozen=True)
class Chain:
    leader: str  # module (组件)
    ingot: str  # polysilicon and monocrystalline ingot (硅料、拉晶)
    wafer: str  # wafer (硅片)
    cell: str  # cell (电池片)

    @property
    def suppliers(self) -> tuple[str, str, str]:
        return self.ingot, self.wafer, self.cell


def pv_chain(reg: Registry) -> Chain | None:
    """The four enterprises of the demo's PV chain (None when the park has fewer than four candidates)."""
    with reg.session() as s:
        rows = s.execute(select(Enterprise.uscc, Enterprise.sector_code)
                         .join(Meter, Meter.enterprise_id == Enterprise.id)
                         .where(Meter.carrier == "electricity", Meter.role == "main", Meter.kind == "interval",
                                Enterprise.sector_code.in_(CHAIN_SECTORS))
                         .order_by(Enterprise.id)).all()
    usccs = list(dict.fromkeys(r[0] for r in rows))
    if len(usccs) < 4:
        return None
    leader = next((r[0] for r in rows if r[1] == "382"), usccs[0])
    rest = [u for u in usccs if u != leader][:3]
    return Chain(leader, *rest)


def _csv(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _write(root: Path, tables: dict[str, list[list[Any]]]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        (root / f"{name}.csv").write_text(_csv(rows), encoding="utf-8")
    return root


ACT = ["activity", "product", "amount", "unit", "location", "stage", "uscc", "output"]
EXC = ["activity", "type", "flow", "amount", "unit", "provider", "pedigree", "source"]


def write_models(root: Path, chain: Chain, electricity: dict[str, float], gas: set[str], pv: set[str]
                 ) -> dict[str, Path]:
    """Each enterprise's product model (CSV tables) under `root`; `electricity` is each one's metered grid
    electricity in the reference year [kWh], `gas` and `pv` the enterprises that also burn natural gas
    or use their own PV (taken as primary data too)."""

    def out(uscc: str, share: float, per_unit: float) -> int:
        return max(1, round(electricity[uscc] * share / per_unit))

    def energy(act: str, uscc: str, share: float, note: str) -> list[list[Any]]:
        rows = [[act, "primary", "electricity", share, "", "national", "", f"metered: {note}"]]
        if uscc in pv:
            rows.append([act, "primary", "pv", share, "", "pv", "", f"own PV (statements): {note}"])
        if uscc in gas:
            rows.append([act, "primary", "natural_gas", share, "", "", "", f"gas statements: {note}"])
        return rows

    c = chain
    models = {
        "ingot": _write(root / "ingot", {
            "activities": [ACT, ["polysilicon plant", "polysilicon", 1, "kg", "CN-JS", "polysilicon", c.ingot,
                                 out(c.ingot, 0.6, POLY_KWH_PER_KG)],
                           ["ingot puller", "ingot", 1, "kg", "CN-JS", "ingot", c.ingot,
                            out(c.ingot, 0.4, INGOT_KWH_PER_KG)]],
            "exchanges": [EXC, *energy("polysilicon plant", c.ingot, 0.6, "60 % of the site's use (sub-meters)"),
                          ["ingot puller", "technosphere", "", "poly_kg_per_kg_ingot", "kg", "polysilicon plant",
                           "2,2,2,1,1", "site yield record"],
                          *energy("ingot puller", c.ingot, 0.4, "40 % of the site's use (sub-meters)")],
            "parameters": [["name", "value"], ["poly_kg_per_kg_ingot", 1.05]]}),
        "wafer": _write(root / "wafer", {
            "activities": [ACT, ["wafer line", "wafer", 1, "m2", "CN-JS", "wafer", c.wafer,
                                 out(c.wafer, 1.0, WAFER_KWH_PER_M2)]],
            "exchanges": [EXC, ["wafer line", "technosphere", "", "ingot_kg_per_m2", "kg", f"supplier:{c.ingot}:ingot",
                                "2,2,2,1,1", "wafer thickness, density and kerf loss (parameters)"],
                          *energy("wafer line", c.wafer, 1.0, "the site's whole use")],
            "parameters": [["name", "value"], ["wafer_thickness_um", 150], ["kerf_loss", 0.4],
                           ["si_density_kg_m3", 2329],
                           ["ingot_kg_per_m2", "wafer_thickness_um * 1e-6 * si_density_kg_m3 / (1 - kerf_loss)"]]}),
        "cell": _write(root / "cell", {
            "activities": [ACT, ["cell line", "cell", 1, "m2", "CN-JS", "cell", c.cell,
                                 out(c.cell, 1.0, CELL_KWH_PER_M2)]],
            "exchanges": [EXC, ["cell line", "technosphere", "", 1.02, "m2", f"supplier:{c.wafer}:wafer", "2,2,2,1,1",
                                "line yield 98 %"],
                          *energy("cell line", c.cell, 1.0, "the site's whole use")]}),
        "module": _write(root / "module", {
            "activities": [ACT, ["module line", "module", 1, "m2", "CN-JS", "module", c.leader,
                                 out(c.leader, 1.0, MODULE_KWH_PER_M2)],
                           ["module rating", "module_w", 1, "W", "CN-JS", "module", "", ""]],
            "exchanges": [EXC, ["module line", "technosphere", "", "cell_m2_per_m2_module", "m2",
                                f"supplier:{c.cell}:cell", "2,2,2,1,1", "cell area per m2 of module (layout)"],
                          *energy("module line", c.leader, 1.0, "the site's whole use"),
                          ["module rating", "technosphere", "", "module_m2_per_w", "m2", "module line", "1,1,1,1,1",
                           "definition: 1 W at STC needs 1 / (efficiency × 1 000 W/m2) of module"]],
            "parameters": [["name", "value"], ["cell_m2_per_m2_module", 0.92], ["module_efficiency", 0.22],
                           ["module_m2_per_w", "1 / (module_efficiency * 1000)"]]}),
    }
    return models


@dataclass
class ChainResult:
    chain: Chain
    records: dict[str, dict[str, Any]]  # stage → saved record view
    application: dict[str, Any]
    certificate: dict[str, Any]
    label_svg: Path
    label_png: Path
    pact: Path
    study: Path


def run(home: Path, stores: Stores, year: int, base_url: str = "http://127.0.0.1:8000") -> ChainResult | None:
    """Footprint the chain from its metered data (ingot → wafer → cell → module, each sharing its record
    with its customer on request), certify the module through every step, and write its label and PACT file.
    Returns None where the park has no chain (fewer than four candidates) or it was already run."""
    import json

    from nengtan.engine.certification import (
        actor_of,
        answer_request,
        applications,
        apply,
        pact_document,
        public_certificate,
        request_footprint,
        save_footprint,
        take_step,
    )
    from nengtan.engine.footprints import Request, footprint, platform_data
    from nengtan.reports.footprint_pdf import footprint_pdf
    from nengtan.reports.label import label_png, label_svg, verify_url

    reg = stores.registry
    chain = pv_chain(reg)
    if chain is None:
        return None
    leader = actor_of(reg, LEADER_USER)
    if applications(reg, leader):
        return None
    metered, _ = platform_data(str(home), year, stores)
    electricity = {u: metered[(u, "electricity")].quantity for u in (chain.leader, *chain.suppliers)}
    gas = {u for u in electricity if (u, "natural_gas") in metered}
    pv = {u for u in electricity if (u, "pv") in metered}
    models = write_models(home / "footprints" / str(year), chain, electricity, gas, pv)
    # stage, enterprise, its user, product, declared unit, name, the stage that supplies it
    plan = [("ingot", chain.ingot, SUPPLIER_USERS[0], "ingot", "kg", "单晶硅棒 monocrystalline ingot", None),
            ("wafer", chain.wafer, SUPPLIER_USERS[1], "wafer", "m2", "单晶硅片 wafer", "ingot"),
            ("cell", chain.cell, SUPPLIER_USERS[2], "cell", "m2", "电池片 PV cell", "wafer"),
            ("module", chain.leader, LEADER_USER, "module_w", "kWp", "光伏组件 PV module", "cell")]
    users = {p[0]: p[2] for p in plan}
    records: dict[str, dict[str, Any]] = {}
    results: dict[str, dict[str, Any]] = {}
    for stage, uscc, user, product, per, name, supplier in plan:
        me = actor_of(reg, user)
        if supplier is not None:  # the customer asks its supplier, who shares its record with consent
            q = request_footprint(reg, me, uscc, records[supplier]["uscc"], records[supplier]["product"],
                                  f"{name}：请共享贵司产品碳足迹，用于我司{year}年产品碳足迹核算")
            answer_request(reg, actor_of(reg, users[supplier]), q["id"], records[supplier]["id"])
        results[stage] = footprint(Request(models[stage], product, per, home=str(home), year=year, enterprise=uscc),
                                   stores=stores)
        records[stage] = save_footprint(reg, me, uscc, results[stage], name)
    auditor, decider = actor_of(reg, AUDITOR_USER), actor_of(reg, DECIDER_USER)
    app = apply(reg, leader, records["module"]["id"], BODY)
    for step, note in (("accept", "申请材料齐全；范围：从摇篮到大门，功能单位 kWp"),
                       ("document_review", "已审查模型、初级数据和供应商产品碳足迹"),
                       ("site_inspection", "已现场核查计量器具和生产记录"),
                       ("verification", "按平台数据复算碳足迹：结果一致")):
        app = take_step(reg, auditor, app["number"], step, True, note)
    app = take_step(reg, decider, app["number"], "decision", True, "准予颁发证书")
    cert = public_certificate(reg, app["certificate"])
    out = home / "reports"
    out.mkdir(parents=True, exist_ok=True)
    link = verify_url(base_url, cert["number"])
    svg, png = out / f"label-{cert['number']}.svg", out / f"label-{cert['number']}.png"
    svg.write_text(label_svg(cert, link), encoding="utf-8")
    png.write_bytes(label_png(cert, link))
    study = footprint_pdf(results["module"], out / f"footprint-{records['module']['id']}.pdf",
                          f"{year} cradle-to-gate footprint of the chain leader's PV module, for its carbon label")
    pact = out / f"pact-{records['module']['id']}.json"
    pact.write_text(json.dumps(pact_document(reg, leader, records["module"]["id"]), ensure_ascii=False, indent=2)
                    + "\n", encoding="utf-8")
    return ChainResult(chain, records, app, cert, svg, png, pact, study)

