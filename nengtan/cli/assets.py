"""``nengtan assets``: allowances (CEA) and CCERs of the enterprises in the national carbon market — compliance
years, movements, CCER lots, status and surrender, every movement a double entry on the ledger (issue 12)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.table import Table

from nengtan.cli.certification import AsOpt, operator
from nengtan.cli.common import FormatOption, HomeOption, check_format, console, friendly, print_json

assets_app = typer.Typer(help="Carbon assets: allowances, CCERs, compliance (清缴履约).", no_args_is_help=True)
Ent = Annotated[str, typer.Option("--enterprise", help="The enterprise's credit code.")]
Year = Annotated[int, typer.Option("--year", help="The compliance year.")]


@assets_app.command("year")
@friendly
def year_cmd(enterprise: Ent, year: Year,
             verified: Annotated[float | None, typer.Option("--verified", help="Verified emissions [tCO2].")] = None,
             deadline: Annotated[str | None, typer.Option("--deadline", help="YYYY-MM-DD.")] = None,
             as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Record a compliance year's verified emissions and deadline."""
    from nengtan.engine import carbonassets

    reg, actor = operator(home, as_user)
    carbonassets.set_year(reg, actor, enterprise, year, verified, dt.date.fromisoformat(deadline) if deadline
                          else None)
    console.print(f"{enterprise} {year} recorded", highlight=False)


@assets_app.command("move")
@friendly
def move_cmd(enterprise: Ent, year: Year,
             kind: Annotated[str, typer.Option("--kind", help="pre_allocation, true_up, buy or sell.")],
             tonnes: Annotated[float, typer.Option("--tonnes")],
             counterparty: Annotated[str, typer.Option("--counterparty")] = "",
             as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Record an allocation, true-up, purchase or sale of allowances."""
    from nengtan.engine import carbonassets

    reg, actor = operator(home, as_user)
    seq = carbonassets.move(reg, actor, enterprise, year, kind, tonnes, counterparty)
    console.print(f"{kind} of {tonnes:,.0f} t recorded (ledger entry {seq})", highlight=False)


@assets_app.command("ccer")
@friendly
def ccer_cmd(enterprise: Ent, serial: Annotated[str, typer.Option("--serial")],
             project: Annotated[str, typer.Option("--project")],
             methodology: Annotated[str, typer.Option("--methodology")],
             vintage: Annotated[int, typer.Option("--vintage")], tonnes: Annotated[float, typer.Option("--tonnes")],
             in_boundary: Annotated[bool, typer.Option("--in-boundary", help="The project is a facility under "
                                                       "allowance management (its CCERs cannot offset).")] = False,
             as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Record CCERs the enterprise holds."""
    from nengtan.engine import carbonassets

    reg, actor = operator(home, as_user)
    seq = carbonassets.add_ccer(reg, actor, enterprise, serial, project, methodology, vintage, tonnes, in_boundary)
    console.print(f"CCER {serial}: {tonnes:,.0f} t recorded (ledger entry {seq})", highlight=False)


@assets_app.command("status")
@friendly
def status_cmd(year: Year, enterprise: Annotated[str | None, typer.Option("--enterprise")] = None,
               as_user: AsOpt = None, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Compliance status of a year: obligation, holdings, CCER use, shortfall, carry-over, deadline warnings."""
    from nengtan.engine import carbonassets

    reg, actor = operator(home, as_user)
    rows = carbonassets.status(reg, actor, year, enterprise)
    if check_format(fmt) == "json":
        print_json(rows)
        return
    t = Table(title=f"清缴履约 compliance {year}")
    for c in ("enterprise", "state", "obligation t", "held t", "CCER t", "shortfall t", "carry-over t", "warning"):
        t.add_column(c, justify="right" if c.endswith(" t") else "left")
    for r in rows:
        t.add_row(r["name"], r["state"], *(f"{r[k]:,.0f}" if k in r else "—" for k in (
            "obligation_t", "allowances_held_t", "ccer_used_t", "shortfall_t", "carry_over_t")), r.get("warning") or "")
    console.print(t)


@assets_app.command("surrender")
@friendly
def surrender_cmd(enterprise: Ent, year: Year, as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Settle a compliance year: surrender CCERs (up to the cap) and allowances, carry the rest over."""
    from nengtan.engine import carbonassets

    reg, actor = operator(home, as_user)
    out = carbonassets.surrender(reg, actor, enterprise, year)
    for line in out["lines"]:
        console.print(line, highlight=False)


def demo_assets(paths: object, stores: object, year: int) -> None:
    """The demo's compliance: the key emitters' status for the last compliance year."""
    from nengtan.engine import carbonassets
    from nengtan.engine.certification import Actor

    rows = carbonassets.status(stores.registry, Actor("demo", "admin"), year - 1)  # type: ignore[attr-defined]
    if not rows:
        return
    states: dict[str, int] = {}
    for r in rows:
        states[r["state"]] = states.get(r["state"], 0) + 1
    ccer = sum(r.get("ccer_used_t", 0.0) for r in rows)
    short = sum(r.get("shortfall_t", 0.0) for r in rows)
    console.print(f"compliance {year - 1}: {len(rows)} key emitters {states}; CCER used {ccer:,.0f} t, shortfall "
                  f"{short:,.0f} t (nengtan assets status --year {year - 1})", highlight=False)


def register(app: typer.Typer) -> None:
    from nengtan.cli.common import DEMO_HOOKS

    if demo_assets not in DEMO_HOOKS:
        DEMO_HOOKS.append(demo_assets)
    app.add_typer(assets_app, name="assets")
