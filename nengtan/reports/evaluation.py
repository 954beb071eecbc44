"""The park evaluations as workbooks and PDFs in Chinese (nengtan.reports.tables): the annual eco-industrial-park
performance report's indicator table in the layout parks file (类别, 序号, 指标, 单位, 指标值要求, 指标类型, 是否选为
考核指标, 数据, 是否达标 — ../shared/reference/hj274.md) with each indicator's formula and the sources of its inputs,
the zero-carbon park self-assessment with each failing indicator's gap, and the greenhouse-gas inventory. Nothing
here computes: every figure is nengtan.engine.evaluation's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nengtan.reports.charts import Chart
from nengtan.reports.tables import Tables, write_tables


def _yes(v: bool | None) -> str:
    return "—" if v is None else ("是" if v else "否")


def hj274_tables(r: dict[str, Any]) -> Tables:
    table: list[list[Any]] = [["类别", "序号", "指标", "单位", "指标值要求", "指标类型", "是否选为考核指标", "数据",
                               "是否达标", "计算方法", "数据来源 / 说明"]]
    for i in r["indicators"]:
        src = "; ".join(f"{x['item']} {x['year']}: {x['value']:,.6g} ({x['source']})" for x in i["inputs"])
        note = i.get("reason") or src
        if i.get("n"):
            note = f"n = {i['n']} 年; " + note
        if i.get("substituted_by"):
            note = f"由第 {i['substituted_by']} 项替代; " + note
        table.append([i["group"], f"{i['no']}{i['mark']}", i["name"], i["unit"], i["requirement"],
                      "必选" if i["mandatory"] else "可选", _yes(i["chosen"]), i["value"],
                      "达标" if i["passed"] else ("未达标" if i["passed"] is False else "无数据"), i["formula"], note])
    summary = [["项目", "结果"], ["数据年份", r["year"]], ["规划基准年", r["base_year"] or "—"],
               ["未达标的必选指标", ", ".join(map(str, r["mandatory_failed"])) or "无"],
               ["达标的可选指标（已选）",
                f"{len(r['optional_met'])} / {len(r['optional_chosen'])}（至少 {r['min_optional']} 项）"],
               ["总体结论", "达到标准要求" if r["passed"] else "未达到标准要求"],
               ["标准", r.get("standard", "HJ 274-2015")]]
    summary += [[f"规则 {k}", str(v)] for k, v in r["rules"].items()]
    out: Tables = {"指标对照表": table, "结论": summary}
    if r.get("filed_check"):
        check = [["序号", "指标", "报告填报值", "平台重算值", "问题"]]
        check += [[c["no"], c["name"], c["printed"], c["recomputed"], "; ".join(c["flags"]) or "一致"]
                  for c in r["filed_check"]]
        out["填报值核对"] = check
    return out


def zero_carbon_tables(r: dict[str, Any]) -> Tables:
    table: list[list[Any]] = [["指标", "单位", "数值", "要求", "是否达标", "差距与措施", "依据", "说明"]]
    for i in r["indicators"]:
        gap = "; ".join(f"{k} {v:,.1f}" for k, v in (i["gap"] or {}).items())
        table.append([i["name"], i["unit"], i["value"], i["requirement"],
                      "达标" if i["passed"] else ("未达标" if i["passed"] is False else "无数据"), gap or "—",
                      i["source"], i["note"]])
    about = [["项目", "结果"], ["年份", r["year"]], ["电网排放因子 [tCO2/MWh]", r["grid_factor_t_per_mwh"]],
             ["光伏年等效利用 [kWh/kWp]", r["pv_yield_kwh_per_kwp"]], ["因子集", r["factor_set"]],
             ["数据版本", r["data_version"]]]
    return {"零碳园区自评": table, "依据": about}


def ghg_tables(r: dict[str, Any]) -> Tables:
    table: list[list[Any]] = [["类别", "排放源", "气体", "排放量 [t]", "GWP", "tCO2e", "方法", "因子"]]
    for x in [*r["lines"], *r["memo"], r["sink"]]:
        table.append([x["category"], x["item"], x["gas"], x["mass_t"], x["gwp"], x["t_co2e"], x["method"], x["factor"]])
    about = [["项目", "结果"], ["年份", r["year"]], ["清单合计 [tCO2e]", r["total_t_co2e"]],
             ["含调入电力热力 [tCO2e]", r["total_with_imports_t_co2e"]], ["GWP", f"{r['gwp']}: {r['gwp_source']}"],
             ["编制依据", r["guideline"]], ["因子集", r["factor_set"]], ["数据版本", r["data_version"]]]
    return {"温室气体清单": table, "说明": about}


TITLES = {"hj274": "生态工业园区年度评价报告（HJ 274-2015 指标对照表）", "zero-carbon": "零碳园区自评报告",
          "ghg": "园区温室气体排放清单"}
RENDER = {"hj274": hj274_tables, "zero-carbon": zero_carbon_tables, "ghg": ghg_tables}


def _short(_: str, table: list[list[Any]]) -> list[list[Any]]:
    """A page holds a row: a long note is cut on the PDF (the workbook keeps it whole)."""
    return [[v[:150] + "…" if isinstance(v, str) and len(v) > 150 else v for v in row] for row in table]


PASS_COLORS = {"达标": "#3fa66b", "未达标": "#d64545", "无数据": "#9e9e9e"}
CHARTS = {
    "hj274": (Chart("指标对照表", "指标达标情况", "是否达标", kind="pie", fold="count", colors=PASS_COLORS),),
    "zero-carbon": (Chart("零碳园区自评", "指标达标情况", "是否达标", kind="pie", fold="count", colors=PASS_COLORS),),
    "ghg": (Chart("温室气体清单", "按类别的温室气体排放", "类别", ("tCO2e",), "barh", "tCO2e", fold="sum"),
            Chart("温室气体清单", "按气体的温室气体排放", "气体", ("tCO2e",), "pie", fold="sum")),
}
"""The charts each evaluation's PDF draws from its tables."""


def write_evaluation(kind: str, r: dict[str, Any], park: str, out: Path) -> Path:
    return write_tables(f"{park} {r['year']} 年{TITLES[kind]}", RENDER[kind](r), out, _short, CHARTS[kind])
