"""``nengtan energy-budget``: energy-use budgets (用能预算) and energy reviews (节能审查) (issue 14)."""

from __future__ import annotations

from typing import Annotated

import typer

from nengtan.cli.certification import AsOpt, operator_stores
from nengtan.cli.common import (
    FormatOption,
    HomeOption,
    PlaceOption,
    Table,
    check_format,
    console,
    friendly,
    placed_local,
    print_json,
)
from nengtan.cli.say import pick, say, tr, word
from nengtan.labels import REVIEW_DECISIONS, STATUSES

energy_app = typer.Typer(help="Energy-use budgets on the dual-control basis (用能预算) and energy reviews (节能审查).",
                         no_args_is_help=True)
Year = Annotated[int, typer.Option("--year")]


@energy_app.command("allocate")
@friendly
def allocate_cmd(year: Year, method: Annotated[str, typer.Option("--method", help="grandfather, benchmark or "
                                                                 "hybrid.")] = "hybrid",
                 budget: Annotated[float | None, typer.Option("--budget", help="The park's budget [tce]; default "
                                                              "from the base year's intensity.")] = None,
                 base_year: Annotated[int | None, typer.Option("--base-year")] = None,
                 decline: Annotated[float, typer.Option("--intensity-decline")] = 0.03,
                 reserve: Annotated[float, typer.Option("--reserve")] = 0.05,
                 as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Allocate a new version of the year's energy budget to the enterprises."""
    from nengtan.engine.energybudget import allocate

    _, stores, actor = operator_stores(home, as_user)
    b = allocate(stores, actor, year, method, budget, base_year, intensity_decline=decline, reserve=reserve)
    console.print(say("energy_budget.allocated", year=year, version=b["version"], method=b["method"],
                      budget=f"{b['budget_tce']:,.2f}", reserve=f"{b['reserve_tce']:,.2f}", n=len(b["lines"])),
                  highlight=False)


@energy_app.command("status")
@friendly
def status_cmd(year: Year, place: PlaceOption = None, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Each enterprise's dual-control energy against its budget, projected to the year's end, with its warning."""
    from nengtan.engine.energybudget import status

    out = status(placed_local(home, place), year)
    if check_format(fmt) == "json":
        print_json(out)
        return
    t = Table(title=say("energy_budget.status", year=year, projected=f"{out['projected_tce']:,.0f}",
                        budget=f"{out['budget_tce']:,.0f}", status=word(STATUSES, out["park_status"])))
    for c in ("enterprise", "budget tce", "used tce", "projected tce", "share", "status"):
        t.add_column(tr(c), justify="left" if c in ("enterprise", "status") else "right")
    for r in sorted(out["items"], key=lambda r: -r["share"]):
        t.add_row(r["enterprise"], f"{r['allocated_tce']:,.1f}", f"{r['used_tce']:,.1f}", f"{r['projected_tce']:,.1f}",
                  f"{r['share']:.0%}", word(STATUSES, r["status"]))
    console.print(t)


@energy_app.command("review")
@friendly
def review_cmd(project: Annotated[str, typer.Option("--project")], year: Year,
               energy: Annotated[float | None, typer.Option("--energy", help="The project's annual energy [tce, "
                                                            "dual-control basis].")] = None,
               assessment: Annotated[int | None, typer.Option("--assessment", help="The project assessment it rests "
                                                              "on (its energy is used when --energy is not given).")]
               = None,
               enterprise: Annotated[str | None, typer.Option("--enterprise")] = None,
               approval_no: Annotated[str, typer.Option("--approval-no")] = "",
               as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Record the energy review of a new project against what is left of the year's reserve."""
    from nengtan.engine.energybudget import review

    _, stores, actor = operator_stores(home, as_user)
    r = review(stores, actor, project, year, energy, assessment, enterprise, approval_no)
    console.print(f"{r['project']}: {word(REVIEW_DECISIONS, r['decision'])} — {pick(r['reason'], r['reason_zh'])}",
                  highlight=False)


@energy_app.command("reviews")
@friendly
def reviews_cmd(year: Annotated[int | None, typer.Option("--year")] = None, home: HomeOption = None) -> None:
    """The energy reviews recorded (JSON)."""
    from nengtan.engine import open_local
    from nengtan.engine.energybudget import reviews

    print_json(reviews(open_local(home)[1], year))


def register(app: typer.Typer) -> None:
    app.add_typer(energy_app, name="energy-budget")
