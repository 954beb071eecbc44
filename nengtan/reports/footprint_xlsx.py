"""Product carbon footprint study report (ISO 14067:2018 clause 7, GB/T 24067-2024 clause 7): a workbook
that renders one result of nengtan.engine.footprints.footprint — goal and scope, declared unit, system
boundary and cut-off, allocation, data quality, results by stage, activity and gas, uncertainty,
the inventory with each value's source and pedigree, the background datasets, and the limitations.

It computes nothing: every figure is the engine's (tests compare the cells with the JSON).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from nengtan.reports.cells import save_workbook

HEAD = Font(bold=True)
TITLE = Font(bold=True, size=14)
KG = "#,##0.0000"


def _table(ws: Worksheet, headers: list[str], rows: list[list[Any]], fmt: dict[int, str] | None = None) -> None:
    ws.append(headers)
    for c in ws[ws.max_row]:
        c.font = HEAD
    for r in rows:
        ws.append(r)
        for k, f in (fmt or {}).items():
            ws.cell(ws.max_row, k + 1).number_format = f
    for col in ws.columns:
        width = max(len(str(c.value or "")) for c in col)
        ws.column_dimensions[col[0].column_letter].width = min(60, max(12, width + 2))


def footprint_report(out: dict[str, Any], path: str | Path, goal: str = "") -> Path:
    """Write the report of the footprint `out` (the engine's dict) to `path` (.xlsx)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "研究概况 Study"
    ws.append([f"产品碳足迹研究报告 Carbon footprint of {out['product']}"])
    ws["A1"].font = TITLE
    total = out["total_kgco2e"]
    mc = out.get("monte_carlo")
    facts: list[list[Any]] = [
        ["目的 Goal", goal or "cradle-to-gate carbon footprint of the product for disclosure and certification"],
        ["声明单位 Declared unit", f"1 {out['declared_unit']}"],
        ["碳足迹 Carbon footprint [kg CO2e]", total],
        ["其中化石 of which fossil [kg CO2e]", out["fossil_kgco2e"]],
        ["其中生物源 of which biogenic [kg CO2e]", out["biogenic_kgco2e"]],
        ["系统边界 System boundary", "cradle to gate: " + " → ".join(out["stages"])],
        ["取舍准则 Cut-off", "none: every exchange of the model is counted (the tree view summarises inputs "
                            "below its cut-off but the total includes them)"],
        ["分配 Allocation", out["allocation"]
         + "".join(f"; {a}: " + ", ".join(f"{p} {v:.4f}" for p, v in sh.items())
                   for a, sh in out["allocation_shares"].items())],
        ["全球变暖潜势 GWP", f"{out['gwp']['set']} 100-year — {out['gwp']['source']}"],
        ["背景数据库 Background database", out["database"]],
        ["模型 Model", f"{out['model']['name']}@{out['model']['digest']}"
         + (f", scenario {out['model']['scenario']}" if out["model"]["scenario"] else "")],
        ["求解 Solver", out["solver"]],
        ["数据质量 Data quality (pedigree, 1 best … 5)",
         ", ".join(f"{k} {v:.2f}" for k, v in out["data_quality"].items() if k != "rated_share")
         + f"; rated share {out['data_quality']['rated_share']:.1%}"],
        ["不确定性 Uncertainty", (f"Monte Carlo {mc['draws']} draws (seed {mc['seed']}): mean {mc['mean']:.4f}, "
                                  f"sd {mc['sd']:.4f}, 95 % {out['interval_95'][0]:.4f} … {out['interval_95'][1]:.4f}"
                                  if mc else "not computed (run with --mc N)")],
        ["局限 Limitations", "only the exchanges in the model are counted; background datasets marked to-verify "
                            "were found in secondary sources; results are for the stated parameters"],
    ]
    for row in facts:
        ws.append(row)
        ws.cell(ws.max_row, 1).font = HEAD
        if isinstance(row[1], float):
            ws.cell(ws.max_row, 2).number_format = KG
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 100
    for title, key, label in (("分阶段 By stage", "by_stage", "阶段 stage"),
                              ("分活动 By activity", "by_activity", "活动 activity"),
                              ("分气体 By gas", "by_flow", "气体 flow")):
        sh = wb.create_sheet(title)
        _table(sh, [label, "kg CO2e", "占比 share"],
               [[k, v, v / total if total else None] for k, v in out[key].items()], {1: KG, 2: "0.0%"})
    inv = wb.create_sheet("清单 Inventory")
    _table(inv, ["活动 activity", "类型 type", "流 flow", "数量 amount", "单位 unit", "提供方 provider",
                 "来源 source", "数据质量 pedigree", "不确定性 uncertainty", "位置 where"],
           [[x["activity"], x["type"], x["flow"], x["amount"], x["unit"], x["provider"], x["source"],
             ",".join(map(str, x["pedigree"])) if x["pedigree"] else "", x["uncertainty"] or "", x["where"]]
            for x in out["inventory"]])
    bg = wb.create_sheet("背景数据 Background")
    _table(bg, ["数据集 dataset", "名称 name", "单位 unit", "来源 sources", "状态 status", "出处 origin"],
           [[d["id"], d["name"], d["unit"], "; ".join(d["sources"]), d["status"], d["origin"]]
            for d in out["background"]])
    return save_workbook(wb, path)
