"""``nengtan footprint``: product carbon footprints from a product model (docs/footprint.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.tree import Tree as RichTree

from nengtan.cli.common import (
    FormatOption,
    HomeOption,
    Table,
    UserError,
    check_format,
    console,
    fmt_num,
    friendly,
    print_json,
)
from nengtan.cli.say import say, tr

footprint_app = typer.Typer(help="Product carbon footprints (ISO 14067, GB/T 24067-2024).", no_args_is_help=True)
# the options calc and report share (one model, one request: the report renders what calc computes)
ModelArg = Annotated[Path, typer.Argument(help="A model: a directory of CSV tables or an XLSX workbook.")]
ProductOpt = Annotated[str, typer.Option("--product", help="The product (or the activity making it).")]
PerOpt = Annotated[str | None, typer.Option("--per", help="Declared unit, if not the product's own (kg, t, W, kWp, "
                                            "m2 …).")]
GwpOpt = Annotated[str, typer.Option("--gwp", help="GWP-100 set: AR6 or AR5.")]
AllocationOpt = Annotated[str, typer.Option("--allocation", help="Multi-output activities: physical, economic or "
                                            "none (system expansion).")]
ScenarioOpt = Annotated[str | None, typer.Option("--scenario", help="A named scenario of the model.")]
BackgroundOpt = Annotated[list[Path] | None, typer.Option("--background", help="Extra background datasets (CSV, "
                                                          "repeat).")]
YearOpt = Annotated[int | None, typer.Option("--year", help="Reference year of the model's primary exchanges (the "
                                             "enterprises' metered data).")]
EnterpriseOpt = Annotated[str | None, typer.Option("--enterprise", help="The enterprise whose model it is (credit "
                                                   "code): its suppliers' shared footprints become datasets "
                                                   "(supplier:<code>:<product>, pcf:<id>).")]


@footprint_app.command("calc")
@friendly
def calc_cmd(
    model: ModelArg,
    product: ProductOpt,
    per: PerOpt = None,
    mc: Annotated[int, typer.Option("--mc", help="Monte Carlo draws (0: none).")] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the Monte Carlo draws.")] = 14067,
    gwp: GwpOpt = "AR6",
    allocation: AllocationOpt = "physical",
    scenario: ScenarioOpt = None,
    background: BackgroundOpt = None,
    tree: Annotated[bool, typer.Option("--tree", help="Show the upstream tree (inputs under --cutoff "
                                       "summarised).")] = False,
    cutoff: Annotated[float, typer.Option("--cutoff", help="Tree branches below this share of the total are "
                                          "summarised.")] = 0.01,
    year: YearOpt = None,
    enterprise: EnterpriseOpt = None,
    save: Annotated[bool, typer.Option("--save", help="Hold the result as a footprint record of --enterprise (for "
                                       "certification, sharing and PACT).")] = False,
    name: Annotated[str, typer.Option("--name", help="The product's name on records, certificates and labels.")]
    = "",
    replaces: Annotated[str | None, typer.Option("--replaces", help="The record this one supersedes.")] = None,
    home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """The footprint of one declared unit of a product, by stage and by activity."""
    from nengtan.engine.footprints import Request, footprint

    check_format(fmt)
    if save and not enterprise:
        raise UserError.said("footprint.save_holds_the_footprint")
    stores = None
    if save:  # the stores the footprint reads are the ones it is saved to: opened once
        from nengtan.engine import open_local

        stores = open_local(home)[1]
    out = footprint(Request(model, product, per, mc, seed, gwp, allocation, scenario, tuple(background or ()),
                            cutoff, tree, home, year, enterprise), stores=stores)
    if stores is not None and enterprise:
        from nengtan.engine.certification import Actor, save_footprint

        out["record"] = save_footprint(stores.registry, Actor("cli", "admin"), enterprise, out, name, replaces)
    if fmt == "json":
        print_json(out)
        return
    console.print(say("footprint.total", product=out["product"], total=fmt_num(out["total_kgco2e"], 4),
                      unit=out["declared_unit"], fossil=fmt_num(out["fossil_kgco2e"], 4),
                      biogenic=fmt_num(out["biogenic_kgco2e"], 4)), highlight=False)
    if "interval_95" in out:
        lo, hi = out["interval_95"]
        console.print(say("footprint.interval", lo=fmt_num(lo, 4), hi=fmt_num(hi, 4),
                          draws=out["monte_carlo"]["draws"], seed=out["monte_carlo"]["seed"]), highlight=False)
    for title, key in (("stage", "by_stage"), ("activity", "by_activity")):
        t = Table(title=tr(f"by {title}"))
        t.add_column(tr(title))
        t.add_column("kg CO2e", justify="right")
        t.add_column(tr("share"), justify="right")
        for k, v in out[key].items():
            t.add_row(k, fmt_num(v, 4), f"{v / out['total_kgco2e']:.1%}" if out["total_kgco2e"] else "—")
        console.print(t)
    if "tree" in out:
        console.print(_tree(out["tree"]))
    console.print(say("footprint.basis", model=f"{out['model']['name']}@{out['model']['digest']}",
                      database=out["database"], gwp=out["gwp"]["set"], allocation=out["allocation"],
                      solver=out["solver"]), highlight=False)
    if "record" in out:
        console.print(say("footprint.saved", id=out["record"]["id"], uscc=out["record"]["uscc"]), highlight=False)


@footprint_app.command("template")
@friendly
def template_cmd(
    name: Annotated[str, typer.Argument(help="Template: pv (polysilicon → ingot → wafer → cell → module).")],
    out: Annotated[Path, typer.Argument(help="Directory to write the model's tables into (created).")],
) -> None:
    """Write a shipped model template to edit with the enterprise's own figures."""
    from importlib import resources

    root = resources.files("nengtan.footprint").joinpath("templates")
    names = sorted(p.name for p in root.iterdir() if p.is_dir())
    if name not in names:
        raise UserError.said("footprint.no_template", name=name, names=", ".join(names))
    if out.exists() and any(out.iterdir()):
        raise UserError.said("footprint.is_not_empty_choose", out=out)
    out.mkdir(parents=True, exist_ok=True)
    for f in root.joinpath(name).iterdir():
        if f.name.endswith(".csv"):
            (out / f.name).write_text(f.read_text("utf-8"), encoding="utf-8")
    console.print(say("footprint.template", name=name, out=out), highlight=False)


@footprint_app.command("report")
@friendly
def report_cmd(
    model: ModelArg,
    product: ProductOpt,
    out: Annotated[Path, typer.Option("--out", help="The report: a workbook (.xlsx) or a PDF (.pdf).")],
    per: PerOpt = None,
    mc: Annotated[int, typer.Option("--mc", help="Monte Carlo draws for the uncertainty section.")] = 1000,
    gwp: GwpOpt = "AR6",
    allocation: AllocationOpt = "physical",
    scenario: ScenarioOpt = None,
    background: BackgroundOpt = None,
    year: YearOpt = None,
    enterprise: EnterpriseOpt = None,
    home: HomeOption = None,
    goal: Annotated[str, typer.Option("--goal", help="The study's goal, in the report.")] = "",
) -> None:
    """An ISO 14067 carbon-footprint study report (XLSX or PDF) of one declared unit of a product."""
    from nengtan.engine.footprints import Request, footprint
    from nengtan.reports.footprint_pdf import footprint_pdf
    from nengtan.reports.footprint_xlsx import footprint_report

    if out.suffix.lower() not in (".xlsx", ".pdf"):
        raise UserError.said("footprint.the_report_is_written", out=out)
    result = footprint(Request(model, product, per, mc, gwp=gwp, allocation=allocation, scenario=scenario,
                               background=tuple(background or ()), home=home, year=year, enterprise=enterprise))
    path = (footprint_pdf if out.suffix.lower() == ".pdf" else footprint_report)(result, out, goal)
    console.print(say("footprint.report", product=result["product"], total=fmt_num(result["total_kgco2e"], 4),
                      unit=result["declared_unit"], path=path), highlight=False)


def _tree(node: dict[str, Any], parent: RichTree | None = None) -> RichTree:
    label = say("footprint.node", activity=node["activity"], amount=fmt_num(node["amount"], 4), unit=node["unit"],
                cumulative=fmt_num(node["cumulative_kgco2e"], 4), direct=fmt_num(node["direct_kgco2e"], 4))
    branch = RichTree(label) if parent is None else parent.add(label)
    for child in node["inputs"]:
        _tree(child, branch)
    if node["cut_off_kgco2e"]:
        branch.add(f"[dim]{say('footprint.cut_off', kg=fmt_num(node['cut_off_kgco2e'], 4))}[/dim]")
    return branch


def register(app: typer.Typer) -> None:
    from nengtan.cli import certification

    certification.register(footprint_app, app)
    app.add_typer(footprint_app, name="footprint")
