"""``nengtan assets``: allowances (CEA) and CCERs of the enterprises in the national carbon market — compliance
years, movements, CCER lots, status and surrender, every movement a double entry on the ledger (issue 12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from nengtan.cli.certification import AsOpt, operator, operator_stores
from nengtan.cli.common import (
    FormatOption,
    HomeOption,
    Table,
    check_format,
    console,
    friendly,
    print_json,
    report_import,
)
from nengtan.cli.help_zh import cli_lang
from nengtan.cli.say import pick, say, tr, word
from nengtan.labels import ASSET_MOVES, CCER_STATUSES, COMPLIANCE_STATES, EMISSION_KINDS, RIGHTS_STATES

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
    console.print(say("assets.year_recorded", enterprise=enterprise, year=year), highlight=False)


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
    console.print(say("assets.moved", kind=word(ASSET_MOVES, kind), amount=f"{tonnes:,.0f} t", seq=seq),
                  highlight=False)


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
    console.print(say("assets.ccer", serial=serial, tonnes=f"{tonnes:,.0f}", seq=seq), highlight=False)


@assets_app.command("ccer-lots")
@friendly
def ccer_lots_cmd(enterprise: Annotated[str | None, typer.Option("--enterprise")] = None, as_user: AsOpt = None,
                  home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """CCER lots with their id (what a sell order on the board names), project, vintage and status."""
    from nengtan.engine import carbonassets

    reg, actor = operator(home, as_user)
    rows = carbonassets.ccer_lots(reg, actor, enterprise)
    if check_format(fmt) == "json":
        print_json(rows)
        return
    t = Table(title=tr("CCER lots"))
    for c in ("id", "enterprise", "serial", "project", "vintage", "t", "status"):
        t.add_column(tr(c) if c != "t" else c, justify="right" if c in ("id", "t") else "left")
    for r in rows:
        t.add_row(str(r["id"]), r["name"], r["serial"], r["project"], str(r["vintage"]), f"{r['tonnes']:,.0f}",
                  word(CCER_STATUSES, r["status"]) + (f" ({r['used_for']})" if r["used_for"] else ""))
    console.print(t)


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
    t = Table(title=say("assets.compliance", year=year))
    for c in ("enterprise", "state", "obligation t", "held t", "CCER t", "shortfall t", "carry-over t", "warning"):
        t.add_column(tr(c), justify="right" if c.endswith(" t") else "left")
    for r in rows:
        t.add_row(r["name"], word(COMPLIANCE_STATES, r["state"].replace(" ", "_")),
                  *(f"{r[k]:,.0f}" if k in r else "—" for k in ("obligation_t", "allowances_held_t",
                                                                 "ccer_used_t", "shortfall_t", "carry_over_t")),
                  pick(r.get("warning") or "", r.get("warning_zh") or ""))
    console.print(t)


@assets_app.command("surrender")
@friendly
def surrender_cmd(enterprise: Ent, year: Year, as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Settle a compliance year: surrender CCERs (up to the cap) and allowances, carry the rest over."""
    from nengtan.engine import carbonassets

    reg, actor = operator(home, as_user)
    out = carbonassets.surrender(reg, actor, enterprise, year)
    for line in out["lines_zh"] if cli_lang() == "zh" else out["lines"]:
        console.print(line, highlight=False)


energy_app = typer.Typer(help="Energy-use rights (用能权): allocations, trades, status.", no_args_is_help=True)
assets_app.add_typer(energy_app, name="energy-right")


@energy_app.command("move")
@friendly
def energy_move_cmd(enterprise: Ent, year: Year,
                    kind: Annotated[str, typer.Option("--kind", help="allocation, buy or sell.")],
                    tce: Annotated[float, typer.Option("--tce")],
                    counterparty: Annotated[str, typer.Option("--counterparty")] = "",
                    as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Record energy-use rights allocated, bought or sold (a double entry on the ledger)."""
    from nengtan.engine import carbonassets

    reg, actor = operator(home, as_user)
    seq = carbonassets.energy_right_move(reg, actor, enterprise, year, kind, tce, counterparty)
    console.print(say("assets.moved", kind=word(ASSET_MOVES, kind), amount=f"{tce:,.0f} tce", seq=seq), highlight=False)


@energy_app.command("status")
@friendly
def energy_status_cmd(year: Year, enterprise: Annotated[str | None, typer.Option("--enterprise")] = None,
                      as_user: AsOpt = None, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Rights held against energy used on the dual-control basis, per enterprise."""
    from nengtan.engine import carbonassets

    _, stores, actor = operator_stores(home, as_user)
    rows = carbonassets.energy_rights(stores, actor, year, enterprise)
    if check_format(fmt) == "json":
        print_json(rows)
        return
    t = Table(title=say("assets.energy_rights", year=year))
    for c in ("enterprise", "rights tce", "used tce", "surplus tce", "state"):
        t.add_column(tr(c), justify="right" if c.endswith("tce") else "left")
    for r in rows:
        t.add_row(r["name"], *(f"{r[k]:,.1f}" for k in ("rights_tce", "used_tce", "surplus_tce")),
                  word(RIGHTS_STATES, r["state"]))
    console.print(t)


verification_app = typer.Typer(help="Third-party verification records (碳核查): import, list, reconcile.",
                                no_args_is_help=True)
assets_app.add_typer(verification_app, name="verification")


@verification_app.command("import")
@friendly
def verification_import_cmd(
        file: Annotated[Path, typer.Argument(help="CSV or XLSX: uscc, year, verifier, guideline, source, activity, "
                                           "unit, factor, emissions_t [, scope, report].", exists=True,
                                           dir_okay=False)],
        reason: Annotated[str | None, typer.Option("--reason", help="Why a year already verified gets a new "
                                                   "version.")] = None,
        as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Import verification records: each enterprise-year's rows are one record, checked line by line; the year is
    locked and, for an enterprise in the national market, its obligation set."""
    from nengtan.engine.verifications import import_records

    paths, stores, actor = operator_stores(home, as_user)
    out = import_records(stores, actor, file, paths.home / "verification" / "files", reason)
    report_import(say("verification.landed", n=out.landed), out.errors)


@verification_app.command("list")
@friendly
def verification_list_cmd(year: Annotated[int | None, typer.Option("--year")] = None,
                          enterprise: Annotated[str | None, typer.Option("--enterprise")] = None,
                          all_versions: Annotated[bool, typer.Option("--all-versions")] = False,
                          as_user: AsOpt = None, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Verification records with their verifier, guideline, totals and what the guideline covers."""
    from nengtan.engine.verifications import records

    _, stores, actor = operator_stores(home, as_user)
    rows = records(stores, actor, year, enterprise, all_versions)
    if check_format(fmt) == "json":
        print_json(rows)
        return
    t = Table(title=tr("verification records"))
    for c in ("enterprise", "year", "v", "verifier", "guideline", "total t", "scope 1 t", "scope 2 t", "covered t"):
        t.add_column(tr(c), justify="right" if c.endswith(" t") else "left")
    for r in rows:
        t.add_row(r["name"], str(r["year"]), str(r["version"]), r["verifier"], r["guideline"],
                  *(f"{r[k]:,.2f}" for k in ("total_t", "scope1_t", "scope2_t", "covered_t")))
    console.print(t)


@verification_app.command("reconcile")
@friendly
def verification_reconcile_cmd(enterprise: Ent, year: Year, as_user: AsOpt = None, home: HomeOption = None,
                               fmt: FormatOption = "table") -> None:
    """The verification beside the platform's inventory of the year, every difference explained by carrier
    (activity) and factor."""
    from nengtan.engine.verifications import reconcile

    _, stores, actor = operator_stores(home, as_user)
    out = reconcile(stores, actor, enterprise, year)
    if check_format(fmt) == "json":
        print_json(out)
        return
    t = Table(title=say("verification.reconcile", name=out["name"], year=year, verified=f"{out['verified_t']:,.2f}",
                        platform=f"{out['platform_t']:,.2f}", factor_set=out["factor_set"],
                        version=out["data_version"]))
    for c in ("source", "platform t", "verified t", "difference t", "activity part t", "factor part t", "why"):
        t.add_column(tr(c), justify="right" if c.endswith(" t") else "left")
    for x in out["lines"]:
        figures = (f"{x[k]:,.2f}" for k in ("platform_t", "verified_t", "difference_t", "activity_part_t",
                                            "factor_part_t"))
        t.add_row(pick(x["source_name_en"], x["source_name"]), *figures, pick(x["explanation"], x["explanation_zh"]))
    console.print(t)


@assets_app.command("guidelines")
@friendly
def guidelines_cmd(fmt: FormatOption = "table") -> None:
    """The accounting guidelines a verification may follow, what each counts, and the clause it follows."""
    from nengtan.assets.verification import guidelines

    g = guidelines()
    if check_format(fmt) == "json":
        print_json(g)
        return
    t = Table(title=tr("guidelines"))
    for c in ("key", "guideline", "covers", "clause", "status"):
        t.add_column(tr(c))
    for k, v in g.items():
        covers = tr(", ", "list").join(word(EMISSION_KINDS, c) for c in v["covers"])
        t.add_row(k, pick(v["name_en"], v["name_zh"]), covers, pick(v["clause"], v["clause_zh"]),
                  pick(v["status"], v["status_zh"]))
    console.print(t)


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
    from nengtan.cli.say import say, tr, word
    from nengtan.labels import COMPLIANCE_STATES

    in_words = tr(", ").join(f"{word(COMPLIANCE_STATES, k)} {v}" for k, v in states.items())
    console.print(say("demo.compliance", year=year - 1, n=len(rows), states=tr("({words})", words=in_words),
                      ccer=ccer, short=short), highlight=False)


def register(app: typer.Typer) -> None:
    from nengtan.cli.common import DEMO_HOOKS

    if demo_assets not in DEMO_HOOKS:
        DEMO_HOOKS.append(demo_assets)
    app.add_typer(assets_app, name="assets")
