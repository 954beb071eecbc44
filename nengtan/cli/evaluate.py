"""``nengtan evaluate hj274|zero-carbon|ghg``: the park's evaluations (issue 13, docs/evaluation.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from nengtan.cli.common import (
    FormatOption,
    HomeOption,
    PlaceOption,
    Table,
    UserError,
    check_format,
    console,
    friendly,
    placed_local,
    print_json,
)
from nengtan.cli.say import page_word, pick, say, tr

evaluate_app = typer.Typer(help="Park evaluations: HJ 274-2015, zero-carbon park, greenhouse-gas inventory.",
                           no_args_is_help=True)
Year = Annotated[int, typer.Option("--year", help="The data year.")]
Output = Annotated[Path | None, typer.Option("--output", help="Write the report as .xlsx or .pdf (in Chinese).")]


def _done(kind: str, r: dict[str, Any], stores: Any, output: Path | None) -> None:
    if output is None:
        return
    from nengtan.engine.accounts import park_name
    from nengtan.reports.evaluation import write_evaluation

    console.print(say("wrote", path=write_evaluation(kind, r, park_name(stores), output)), highlight=False)


def _filed(path: Path | None) -> dict[int, float] | None:
    """A report's printed values: ``no,value`` (the indicator's number, the value as printed)."""
    if path is None:
        return None
    from nengtan.ingest.rows import number_at, table_rows

    return {int(number_at(r["no"], w, "no")): number_at(r["value"], w, "value")
            for w, r in table_rows(path, ("no", "value"))}


@evaluate_app.command("hj274")
@friendly
def hj274_cmd(year: Year,
              base_year: Annotated[int | None, typer.Option("--base-year", help="The plan's base year (规划基准年) "
                                                            "of the elasticities and the CO2 reduction rate.")] = None,
              chosen: Annotated[str | None, typer.Option("--chosen", help="The optional indicators the park is "
                                                         "assessed on, e.g. 1,2,6,8,11,14 (default: every one with "
                                                         "data).")] = None,
              filed: Annotated[Path | None, typer.Option("--filed", help="A report's printed values (no,value) "
                                                         "to check against the recomputed ones.")] = None,
              output: Output = None, place: PlaceOption = None, home: HomeOption = None,
              fmt: FormatOption = "table") -> None:
    """HJ 274-2015: every indicator's value, requirement, pass/fail and inputs, and the park's result."""
    from nengtan.engine.evaluation import hj274_evaluation

    check_format(fmt)
    picked = None
    if chosen:
        try:
            picked = {int(x) for x in chosen.split(",") if x.strip()}
        except ValueError:
            raise UserError.said("evaluate.chosen_indicator_numbers_separated", chosen=chosen) from None
    stores = placed_local(home, place)
    r = hj274_evaluation(stores, year, base_year, picked, _filed(filed))
    _done("hj274", r, stores, output)
    if fmt == "json":
        print_json(r)
        return
    t = Table(title=say("hj274.title", year=year, base_year=base_year or "—"))
    for c in ("no", "indicator", "unit", "requirement", "type", "value", "result"):
        t.add_column(tr(c), justify="right" if c in ("no", "value") else "left")
    for i in r["indicators"]:
        result = (tr("pass") if i["passed"] else tr("FAIL")) if i["passed"] is not None else pick(
            i["reason"], i.get("reason_zh") or i["reason"])
        if i.get("substituted_by"):
            result += tr(" (met by {no})", no=i["substituted_by"])
        t.add_row(f"{i['no']}{i['mark']}", pick(i["name_en"], i["name"]), pick(i["unit_en"], i["unit"]),
                  pick(i["requirement_en"], i["requirement"]),
                  tr("mandatory") if i["mandatory"] else tr("optional") if i["chosen"] else tr("optional, not chosen"),
                  "—" if i["value"] is None else f"{i['value']:,.4g}", result)
    console.print(t)
    for c in r.get("filed_check", []):
        if c["flags"]:
            console.print(say("hj274.filed", no=c["no"], name=pick(c["name_en"], c["name"]),
                              printed=f"{c['printed']:g}", flags=pick("; ".join(c["flags"]), "；".join(c["flags_zh"]))),
                          highlight=False)
    console.print(say("hj274.summary", failed=r["mandatory_failed"] or say("none"), met=len(r["optional_met"]),
                      chosen=len(r["optional_chosen"]), least=r["min_optional"],
                      verdict=tr("PASSED") if r["passed"] else tr("NOT PASSED")), highlight=False)


@evaluate_app.command("zero-carbon")
@friendly
def zero_carbon_cmd(year: Year, pv_yield: Annotated[float, typer.Option("--pv-yield", help="PV yield [kWh/kWp a "
                                                                       "year] for the PV that closes a gap.")] = 1100.0,
                    output: Output = None, place: PlaceOption = None, home: HomeOption = None,
              fmt: FormatOption = "table") -> None:
    """The zero-carbon park indicators, each failing one with its gap and what closes it."""
    from nengtan.engine.evaluation import zero_carbon_evaluation

    check_format(fmt)
    stores = placed_local(home, place)
    r = zero_carbon_evaluation(stores, year, pv_yield)
    _done("zero-carbon", r, stores, output)
    if fmt == "json":
        print_json(r)
        return
    t = Table(title=say("zero_carbon.title", year=year))
    for c in ("indicator", "value", "requirement", "result", "gap and what closes it"):
        t.add_column(tr(c))
    for i in r["indicators"]:
        gap = tr("; ").join(f"{page_word(k)} {v:,.1f}" for k, v in (i["gap"] or {}).items())
        t.add_row(pick(i["name_en"], i["name"]),
                  "—" if i["value"] is None else f"{i['value']:,.4g} {pick(i['unit_en'], i['unit'])}", i["requirement"],
                  "—" if i["passed"] is None else (tr("pass") if i["passed"] else tr("FAIL")), gap)
    console.print(t)


@evaluate_app.command("ghg")
@friendly
def ghg_cmd(year: Year, gwp: Annotated[str, typer.Option("--gwp", help="AR6, AR5 or SAR.")] = "AR6",
            output: Output = None, place: PlaceOption = None, home: HomeOption = None,
              fmt: FormatOption = "table") -> None:
    """The park's greenhouse-gas inventory: energy by sector, CH4 and N2O, processes, the sink apart."""
    from nengtan.engine.evaluation import ghg_inventory

    check_format(fmt)
    stores = placed_local(home, place)
    r = ghg_inventory(stores, year, gwp)
    _done("ghg", r, stores, output)
    if fmt == "json":
        print_json(r)
        return
    t = Table(title=say("ghg.title", year=year, gwp=r["gwp"]))
    for c in ("category", "emission source", "gas", "t", "tCO2e", "method"):
        t.add_column(tr(c) if c not in ("t", "tCO2e") else c, justify="right" if c in ("t", "tCO2e") else "left")
    for x in [*r["lines"], *r["memo"], r["sink"]]:
        t.add_row(pick(x["category_en"], x["category"]), pick(x["item_en"], x["item"]), x["gas"],
                  "—" if x["mass_t"] is None else f"{x['mass_t']:,.3f}",
                  "—" if x["t_co2e"] is None else f"{x['t_co2e']:,.1f}",
                  pick(x["method"], x.get("method_zh") or x["method"]))
    console.print(t)
    console.print(say("ghg.total", total=f"{r['total_t_co2e']:,.1f}",
                      with_imports=f"{r['total_with_imports_t_co2e']:,.1f}"), highlight=False)


def demo_evaluation(paths: Any, stores: Any, year: int) -> None:
    """The demo's evaluations of its last year: the reports written, the results in one line each."""
    from nengtan.demo_evaluation import BASE_YEAR, CHOSEN
    from nengtan.engine.accounts import park_name
    from nengtan.engine.evaluation import ghg_inventory, hj274_evaluation, zero_carbon_evaluation
    from nengtan.reports.evaluation import write_evaluation

    filed = paths.home / "statistics" / f"hj274-filed-{year}.csv"
    if not filed.exists():
        return
    from nengtan.demo import DEMO_PARK_CODE
    from nengtan.engine.places import at_place

    place = f"park:{DEMO_PARK_CODE}"  # the demo park's statistics are filed for it (nengtan.demo_evaluation)
    stores = at_place(stores, place)
    park = park_name(stores)
    hj = hj274_evaluation(stores, year, BASE_YEAR, set(CHOSEN), _filed(filed))
    zc = zero_carbon_evaluation(stores, year)
    gi = ghg_inventory(stores, year)
    for kind, r, suffix in (("hj274", hj, "xlsx"), ("hj274", hj, "pdf"), ("zero-carbon", zc, "pdf"),
                            ("ghg", gi, "xlsx")):
        write_evaluation(kind, r, park, paths.reports / f"evaluation-{kind}-{year}.{suffix}")
    flagged = sum(1 for c in hj["filed_check"] if c["flags"])
    from nengtan.cli.say import say

    console.print(say("demo.evaluation", year=year, failed=hj["mandatory_failed"] or say("none"),
                      met=len(hj["optional_met"]), chosen=len(hj["optional_chosen"]), flagged=flagged,
                      zc_failing=len(zc["failing"]), zc_all=len(zc["indicators"]), ghg=gi["total_t_co2e"],
                      base=BASE_YEAR, place=place), highlight=False)


def register(app: typer.Typer) -> None:
    from nengtan.cli.common import DEMO_HOOKS

    if demo_evaluation not in DEMO_HOOKS:
        DEMO_HOOKS.append(demo_evaluation)
    app.add_typer(evaluate_app, name="evaluate")
