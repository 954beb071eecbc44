"""What a carbon-footprint study report says (ISO 14067:2018 clause 7, GB/T 24067-2024 clause 7), once, for
both renderers (footprint_xlsx, footprint_pdf): the study's statements and its tables, taken from one
result of nengtan.engine.footprints.footprint. Nothing is computed here but shares of the total."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DEFAULT_GOAL = "cradle-to-gate carbon footprint of the product for disclosure and certification"


@dataclass(frozen=True)
class Table:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    kg_columns: tuple[int, ...] = ()  # kg CO2e (four decimals)
    share_columns: tuple[int, ...] = ()  # fractions shown as %


def facts(out: dict[str, Any], goal: str = "") -> list[tuple[str, Any]]:
    """The study's statements: label, value (a number is kg CO2e)."""
    mc = out.get("monte_carlo")
    dq = out["data_quality"]
    return [
        ("目的 Goal", goal or DEFAULT_GOAL),
        ("声明单位 Declared unit", f"1 {out['declared_unit']}"),
        ("碳足迹 Carbon footprint [kg CO2e]", out["total_kgco2e"]),
        ("其中化石 of which fossil [kg CO2e]", out["fossil_kgco2e"]),
        ("其中生物源 of which biogenic [kg CO2e]", out["biogenic_kgco2e"]),
        ("系统边界 System boundary", "cradle to gate: " + " → ".join(out["stages"])),
        ("取舍准则 Cut-off", "none: every exchange of the model is counted (the tree view summarises inputs "
                            "below its cut-off but the total includes them)"),
        ("分配 Allocation", out["allocation"]
         + "".join(f"; {a}: " + ", ".join(f"{p} {v:.4f}" for p, v in sh.items())
                   for a, sh in out["allocation_shares"].items())),
        ("全球变暖潜势 GWP", f"{out['gwp']['set']} 100-year — {out['gwp']['source']}"),
        ("背景数据库 Background database", out["database"]),
        ("模型 Model", f"{out['model']['name']}@{out['model']['digest']}"
         + (f", scenario {out['model']['scenario']}" if out["model"]["scenario"] else "")),
        ("初级数据 Primary data", (f"{dq.get('primary_data_share', 0.0):.1%} of the footprint (PACT primaryDataShare)"
                                  + (f"; platform data {out['primary_data']['data_version']}, factor set "
                                     f"{out['primary_data']['factor_set']}, year {out['primary_data']['year']}"
                                     if out.get("primary_data") else ""))),
        ("求解 Solver", out["solver"]),
        ("数据质量 Data quality (pedigree, 1 best … 5)",
         ", ".join(f"{k} {v:.2f}" for k, v in dq.items() if k not in ("rated_share", "primary_data_share"))
         + f"; rated share {dq['rated_share']:.1%}"),
        ("不确定性 Uncertainty", (f"Monte Carlo {mc['draws']} draws (seed {mc['seed']}): mean {mc['mean']:.4f}, "
                                  f"sd {mc['sd']:.4f}, 95 % {out['interval_95'][0]:.4f} … {out['interval_95'][1]:.4f}"
                                  if mc else "not computed (run with --mc N)")),
        ("局限 Limitations", "only the exchanges in the model are counted; background datasets marked to-verify "
                            "were found in secondary sources; results are for the stated parameters"),
    ]


def result_tables(out: dict[str, Any]) -> list[Table]:
    """Results by stage, activity, upstream dataset and gas, each with its share of the total."""
    total = out["total_kgco2e"]
    tables = []
    for title, key, label in (("分阶段 By stage", "by_stage", "阶段 stage"),
                              ("分活动 By activity", "by_activity", "活动 activity"),
                              ("上游数据集 By upstream dataset", "by_dataset", "数据集 dataset"),
                              ("分气体 By gas", "by_flow", "气体 flow")):
        rows = [[k, v, v / total if total else None] for k, v in out.get(key, {}).items()]
        tables.append(Table(title, [label, "kg CO2e", "占比 share"], rows, (1,), (2,)))
    return tables


def inventory_table(out: dict[str, Any]) -> Table:
    return Table("清单 Inventory", ["活动 activity", "类型 type", "流 flow", "数量 amount", "单位 unit",
                                  "提供方 provider", "来源 source", "数据质量 pedigree", "不确定性 uncertainty",
                                  "位置 where"],
                 [[x["activity"], x["type"], x["flow"], x["amount"], x["unit"], x["provider"], x["source"],
                   ",".join(map(str, x["pedigree"])) if x["pedigree"] else "", x["uncertainty"] or "", x["where"]]
                  for x in out["inventory"]])


def background_table(out: dict[str, Any]) -> Table:
    return Table("背景数据 Background", ["数据集 dataset", "名称 name", "单位 unit", "来源 sources", "状态 status",
                                       "出处 origin"],
                 [[d["id"], d["name"], d["unit"], "; ".join(d["sources"]), d["status"], d["origin"]]
                  for d in out["background"]])
