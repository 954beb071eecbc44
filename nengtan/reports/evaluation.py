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
from nengtan.reports.words import page_word, zh


def _yes(v: bool | None) -> str:
    return "—" if v is None else (zh("Yes") if v else zh("No"))


def hj274_tables(r: dict[str, Any]) -> Tables:
    table: list[list[Any]] = [
        [
            zh("Category"),
            zh("No."),
            zh("Indicator"),
            zh("Unit"),
            zh("Required value"),
            zh("Indicator type"),
            zh("Chosen for assessment"),
            zh("Data"),
            zh("Met?"),
            zh("Method of calculation"),
            zh("Source / notes"),
        ]
    ]
    for i in r["indicators"]:
        src = "；".join(f"{x['name_zh']} {x['year']}：{x['value']:,.6g}（{x['source_zh'] or x['source']}）"
                       for x in i["inputs"])
        note = i.get("reason_zh") or i.get("reason") or src
        if i.get("n"):
            note = zh("n = {n} years; ", n=i["n"]) + note
        if i.get("substituted_by"):
            note = zh("Substituted by item {item}; ", item=i["substituted_by"]) + note
        table.append(
            [
                i["group"],
                f"{i['no']}{i['mark']}",
                i["name"],
                i["unit"],
                i["requirement"],
                zh("Mandatory") if i["mandatory"] else zh("Optional"),
                _yes(i["chosen"]),
                i["value"],
                zh("Met") if i["passed"] else (zh("Not met") if i["passed"] is False else zh("No data")),
                i["formula_zh"],
                note,
            ]
        )
    summary = [
        [zh("Item"), zh("Result")],
        [zh("Data year"), r["year"]],
        [zh("Planning base year"), r["base_year"] or "—"],
        [zh("Mandatory indicators not met"), ", ".join(map(str, r["mandatory_failed"])) or zh("None")],
        [
            zh("Optional indicators met (chosen)"),
            zh("{met} / {chosen} (at least {least})", met=len(r["optional_met"]), chosen=len(r["optional_chosen"]),
               least=r["min_optional"]),
        ],
        [zh("Overall conclusion"), zh("Meets the standard") if r["passed"] else zh("Does not meet the standard")],
        [zh("Standard"), r.get("standard", "HJ 274-2015")],
    ]
    summary += [[zh("Rule {rule}", rule=k), str(v)] for k, v in r["rules"].items()]
    out: Tables = {zh("Indicator table"): table, zh("Conclusion"): summary}
    if r.get("filed_check"):
        check = [[zh("No."), zh("Indicator"), zh("Value reported"), zh("Value recomputed"), zh("Finding")]]
        check += [[c["no"], c["name"], c["printed"], c["recomputed"], "；".join(c["flags_zh"]) or zh("Agrees")]
                  for c in r["filed_check"]]
        out[zh("Reported values checked")] = check
    return out


def zero_carbon_tables(r: dict[str, Any]) -> Tables:
    table: list[list[Any]] = [
        [
            zh("Indicator"),
            zh("Unit"),
            zh("Figure"),
            zh("Requirement"),
            zh("Met?"),
            zh("Gap and measures"),
            zh("Reference"),
            zh("Notes"),
        ]
    ]
    for i in r["indicators"]:
        gap = "；".join(f"{page_word(k)} {v:,.1f}" for k, v in (i["gap"] or {}).items())
        table.append(
            [
                i["name"],
                i["unit"],
                i["value"],
                i["requirement"],
                zh("Met") if i["passed"] else (zh("Not met") if i["passed"] is False else zh("No data")),
                gap or "—",
                i["source_zh"],
                i["note_zh"],
            ]
        )
    about = [
        [zh("Item"), zh("Result")],
        [zh("Calendar year"), r["year"]],
        [zh("Grid emission factor [tCO2/MWh]"), r["grid_factor_t_per_mwh"]],
        [zh("PV annual equivalent yield [kWh/kWp]"), r["pv_yield_kwh_per_kwp"]],
        [zh("Factor set"), r["factor_set"]],
        [zh("Data version"), r["data_version"]],
    ]
    return {zh("Zero-carbon self-assessment"): table, zh("Reference"): about}


def ghg_tables(r: dict[str, Any]) -> Tables:
    table: list[list[Any]] = [
        [
            zh("Category"),
            zh("Emission source"),
            zh("Gas"),
            zh("Emissions [t]"),
            "GWP",
            "tCO2e",
            zh("Method"),
            zh("Factor"),
        ]
    ]
    for x in [*r["lines"], *r["memo"], r["sink"]]:
        table.append([x["category"], x["item"], x["gas"], x["mass_t"], x["gwp"], x["t_co2e"], x["method_zh"],
                      x["factor_zh"]])
    about = [
        [zh("Item"), zh("Result")],
        [zh("Calendar year"), r["year"]],
        [zh("Inventory total [tCO2e]"), r["total_t_co2e"]],
        [zh("Including purchased electricity and heat [tCO2e]"), r["total_with_imports_t_co2e"]],
        ["GWP", f"{r['gwp']}: {r['gwp_source']}"],
        [zh("Compiled under"), r["guideline"]],
        [zh("Factor set"), r["factor_set"]],
        [zh("Data version"), r["data_version"]],
    ]
    return {zh("GHG inventory"): table, zh("Notes"): about}


TITLES = {
    "hj274": zh("Eco-industrial park annual evaluation (HJ 274-2015 indicator table)"),
    "zero-carbon": zh("Zero-carbon park self-assessment"),
    "ghg": zh("Park greenhouse-gas inventory"),
}
RENDER = {"hj274": hj274_tables, "zero-carbon": zero_carbon_tables, "ghg": ghg_tables}


def _short(_: str, table: list[list[Any]]) -> list[list[Any]]:
    """A page holds a row: a long note is cut on the PDF (the workbook keeps it whole)."""
    return [[v[:150] + "…" if isinstance(v, str) and len(v) > 150 else v for v in row] for row in table]


PASS_COLORS = {zh("Met"): "#3fa66b", zh("Not met"): "#d64545", zh("No data"): "#9e9e9e"}
CHARTS = {
    "hj274": (
        Chart(
            zh("Indicator table"),
            zh("Indicators met and not met"),
            zh("Met?"),
            kind="pie",
            fold="count",
            colors=PASS_COLORS,
        ),
    ),
    "zero-carbon": (
        Chart(
            zh("Zero-carbon self-assessment"),
            zh("Indicators met and not met"),
            zh("Met?"),
            kind="pie",
            fold="count",
            colors=PASS_COLORS,
        ),
    ),
    "ghg": (
        Chart(
            zh("GHG inventory"),
            zh("GHG emissions by category"),
            zh("Category"),
            ("tCO2e",),
            "barh",
            "tCO2e",
            fold="sum",
        ),
        Chart(zh("GHG inventory"), zh("GHG emissions by gas"), zh("Gas"), ("tCO2e",), "pie", fold="sum"),
    ),
}
"""The charts each evaluation's PDF draws from its tables."""


def write_evaluation(kind: str, r: dict[str, Any], park: str, out: Path) -> Path:
    title = zh("{park} {year} {title}", park=park, year=r["year"], title=TITLES[kind])
    return write_tables(title, RENDER[kind](r), out, _short, CHARTS[kind])
