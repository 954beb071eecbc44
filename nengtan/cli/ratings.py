"""``nengtan ratings``: enterprise ratings by open, versioned methods (issue 12)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from nengtan.cli.certification import AsOpt, operator_stores
from nengtan.cli.common import (
    FormatOption,
    HomeOption,
    Table,
    UserError,
    check_format,
    console,
    friendly,
    print_json,
    report_import,
)
from nengtan.cli.say import pick, say, tr, word
from nengtan.labels import STATUSES
from nengtan.reports.words import both, zh

ratings_app = typer.Typer(help="Enterprise ratings (碳效码 …), each a versioned method with its inputs shown.",
                          no_args_is_help=True)


@ratings_app.command("carbon-efficiency")
@friendly
def carbon_efficiency_cmd(
    year: Annotated[int, typer.Option("--year", help="The year rated.")],
    version: Annotated[int | None, typer.Option("--method-version", help="The method version (default: the "
                                                "newest); an old rating is reproduced with its version.")] = None,
    output: Annotated[Path | None, typer.Option("--output", help="Write the grades as .xlsx or .pdf.")] = None,
    home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """碳效等级: each enterprise's CO2 per value added against its sector's average, graded 1 (best) to 5."""
    from nengtan.engine import open_local
    from nengtan.engine.ratings import carbon_efficiency_grades

    check_format(fmt)
    out = carbon_efficiency_grades(open_local(home)[1], year, version)
    if output is not None:
        _write(out, output, zh("Carbon efficiency grades"), ("name", "uscc", "sector", "co2_t", "value_added",
                                                            "intensity", "sector_intensity", "k", "grade", "reason"))
    if fmt == "json":
        print_json(out)
        return
    t = Table(title=say("ratings.grades", year=year, method=out["method"], status=out["method_status"]))
    for c in ("enterprise", "sector", "tCO2/万元", "sector avg", "K", "grade"):
        t.add_column(tr(c) if c not in ("tCO2/万元", "K") else c, justify="left" if c in ("enterprise", "sector")
                     else "right")
    for it in sorted(out["items"], key=lambda x: (x["grade"] is None, x["grade"] or 0, x["k"] or 0)):
        t.add_row(it["name"], it["sector"], "—" if it["intensity"] is None else f"{it['intensity']:.4f}",
                  "—" if it["sector_intensity"] is None else f"{it['sector_intensity']:.4f}",
                  "—" if it["k"] is None else f"{it['k']:.2f}", pick(str(it["grade"] or "—"), it["grade_zh"] or "—"))
    console.print(t)
    console.print(say("ratings.grades_basis", counts=_counts(out["counts"]), factor_set=out["factor_set"],
                      version=out["data_version"]), highlight=False)


@ratings_app.command("green-code")
@friendly
def green_code_cmd(
    year: Annotated[int, typer.Option("--year", help="The year rated.")],
    version: Annotated[int | None, typer.Option("--method-version", help="The method version (default: the "
                                                "newest).")] = None,
    output: Annotated[Path | None, typer.Option("--output", help="Write the codes as .xlsx or .pdf.")] = None,
    home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """零碳绿码: green, yellow or red from carbon efficiency, green power, data quality and warnings, with reasons."""
    from nengtan.engine import open_local
    from nengtan.engine.ratings import green_codes

    check_format(fmt)
    out = green_codes(open_local(home)[1], year, version)
    if output is not None:
        _write(out, output, zh("Zero-carbon green codes"), ("name", "uscc", "colour", "grade", "green_share",
                                                           "complete_days", "red_warnings", "reasons"))
    if fmt == "json":
        print_json(out)
        return
    t = Table(title=say("ratings.green_codes", year=year, method=out["method"], status=out["method_status"]))
    for c in ("enterprise", "colour", "reasons"):
        t.add_column(tr(c))
    order = {"red": 0, "yellow": 1, "green": 2}
    for it in sorted(out["items"], key=lambda x: order[x["colour"]]):
        t.add_row(it["name"], word(STATUSES, it["colour"]), pick("; ".join(it["reasons"]), "；".join(it["reasons_zh"])))
    console.print(t)
    console.print(say("ratings.green_codes_basis", counts=_counts(out["counts"]), grades=out["grade_method"],
                      version=out["data_version"]), highlight=False)


@ratings_app.command("mu")
@friendly
def mu_cmd(
    year: Annotated[int, typer.Option("--year", help="The year evaluated.")],
    version: Annotated[int | None, typer.Option("--method-version")] = None,
    output: Annotated[Path | None, typer.Option("--output", help="Write the evaluation as .xlsx or .pdf.")] = None,
    home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """亩均效益: tax, sales and value added per mu of land and tax per tce against the park's benchmarks; A–D."""
    from nengtan.engine import open_local
    from nengtan.engine.ratings import mu_evaluation

    check_format(fmt)
    out = mu_evaluation(open_local(home)[1], year, version)
    if output is not None:
        _write(out, output, zh("Per-mu efficiency evaluation"), ("name", "class", "score", "rank", "reason"))
    if fmt == "json":
        print_json(out)
        return
    t = Table(title=say("ratings.mu", year=year, method=out["method"], status=out["method_status"]))
    for c in (tr("enterprise"), tr("class"), tr("score"), *(pick(i["key"], i["zh"]) for i in out["indicators"])):
        t.add_column(c, justify="left" if c in (tr("enterprise"), tr("class")) else "right")
    for it in sorted(out["items"], key=lambda x: (x.get("rank") is None, x.get("rank") or 0)):
        vals = [f"{it['indicators'][i['key']]:,.2f}" if it.get("indicators") else "—" for i in out["indicators"]]
        t.add_row(it["name"], it["class"] or pick(it["reason"], it.get("reason_zh") or it["reason"]),
                  "—" if it["score"] is None else f"{it['score']:.1f}", *vals)
    console.print(t)
    console.print(say("ratings.mu_basis", counts=_counts(out["counts"]), version=out["data_version"]),
                  highlight=False)


def _counts(counts: dict[str, int]) -> str:
    """How many enterprises per grade, colour or class, in the CLI's language."""
    named = {"not graded": tr("not graded"), "not evaluated": tr("not evaluated")}
    return tr(", ").join(f"{named.get(k) or word(STATUSES, k)} {n}" for k, n in counts.items())


def _write(out: dict[str, Any], path: Path, title: str, keys: tuple[str, ...]) -> None:
    from nengtan.reports.tables import write_tables

    rows: list[list[Any]] = [list(keys)]
    rows += [[it.get(k) if not isinstance(it.get(k), list) else "; ".join(it[k]) for k in keys]
             for it in out["items"]]
    about = [[both("About"), ""], [both("Method"), out["method"]], [both("Status"), out.get("method_status")],
             [zh("Method source"), out.get("method_source")], [both("Data version"), out["data_version"]]]
    write_tables(zh("{title} {year} ({method})", title=title, year=out["year"], method=out["method"]),
                 {title: rows, both("Provenance"): about}, path)
    console.print(say("wrote", path=path), highlight=False)


@ratings_app.command("issue")
@friendly
def issue_cmd(year: Annotated[int, typer.Option("--year")], as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Issue the year's ratings (碳效, 绿码, 亩均): kept as issued with the method version, on the ledger."""
    from nengtan.engine.ratings import issue

    _, stores, actor = operator_stores(home, as_user)
    for r in issue(stores, actor, year):
        console.print(say("ratings.issued", run=r["run"], method=r["method"], year=year, counts=_counts(r["counts"]),
                          seq=r["ledger_seq"]), highlight=False)


@ratings_app.command("runs")
@friendly
def runs_cmd(year: Annotated[int | None, typer.Option("--year")] = None,
             enterprise: Annotated[str | None, typer.Option("--enterprise")] = None,
             as_user: AsOpt = None, home: HomeOption = None, fmt: FormatOption = "json") -> None:
    """Issued ratings as they were issued (JSON)."""
    from nengtan.engine.ratings import runs

    _, stores, actor = operator_stores(home, as_user)
    check_format(fmt)
    print_json(runs(stores.registry, actor, year, enterprise))


method_app = typer.Typer(help="Rating methods and the park's own versions of them.", no_args_is_help=True)
ratings_app.add_typer(method_app, name="method")


@method_app.command("show")
@friendly
def method_show_cmd(method: Annotated[str, typer.Argument(help="carbon_efficiency, green_code, mu_efficiency or "
                                                          "carbon_points.")],
                    version: Annotated[int | None, typer.Option("--version")] = None, home: HomeOption = None) -> None:
    """A method version's parameters, source and status (JSON): the file to edit for a new version."""
    from nengtan.engine import open_local
    from nengtan.engine.ratings import method_of

    print_json(method_of(open_local(home)[1].registry, method, version).params)


@method_app.command("adopt")
@friendly
def method_adopt_cmd(method: Annotated[str, typer.Argument()],
                     file: Annotated[Path, typer.Argument(help="JSON: the parameters of the new version, with its "
                                                          "source and status.", exists=True, dir_okay=False)],
                     as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Adopt the park's own version of a method (weights, thresholds); past ratings keep theirs."""
    import json

    from nengtan.engine.ratings import adopt_version

    _, stores, actor = operator_stores(home, as_user)
    try:
        params = json.loads(file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise UserError.said("ratings.not_json", file_name=file.name, exc=exc) from None
    m = adopt_version(stores.registry, actor, method, params)
    console.print(say("ratings.adopted", label=m.label), highlight=False)


points_app = typer.Typer(help="Carbon credit points (碳积分): award, spend, expire, balances.", no_args_is_help=True)
ratings_app.add_typer(points_app, name="points")


@points_app.command("award")
@friendly
def points_award_cmd(year: Annotated[int, typer.Option("--year")], as_user: AsOpt = None,
                     home: HomeOption = None) -> None:
    """Award every enterprise its points for a year (once per rule), each entry on the ledger."""
    from nengtan.engine.points import award

    _, stores, actor = operator_stores(home, as_user)
    out = award(stores, actor, year)
    console.print(say("points.awarded", entries=out["entries"], points=f"{out['points']:,.1f}", year=year,
                      method=out["method"], expires=out["expires_on"], already=out["already_awarded"]),
                  highlight=False)


@points_app.command("spend")
@friendly
def points_spend_cmd(enterprise: Annotated[str, typer.Option("--enterprise")],
                     points: Annotated[float, typer.Option("--points")],
                     purpose: Annotated[str, typer.Option("--purpose", help="green_finance, energy_review_priority, "
                                                          "policy_support or other.")],
                     note: Annotated[str, typer.Option("--note")] = "", as_user: AsOpt = None,
                     home: HomeOption = None) -> None:
    """Spend points for a documented purpose (the oldest unexpired first)."""
    from nengtan.engine.points import spend

    _, stores, actor = operator_stores(home, as_user)
    seq = spend(stores.registry, actor, enterprise, points, purpose, note)
    console.print(say("points.spent", points=f"{points:,.1f}", seq=seq), highlight=False)


@points_app.command("expire")
@friendly
def points_expire_cmd(as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Record the expiry of unspent points past their date."""
    from nengtan.engine.points import expire

    _, stores, actor = operator_stores(home, as_user)
    console.print(say("points.expired", points=f"{expire(stores.registry, actor):,.1f}"), highlight=False)


@points_app.command("balance")
@friendly
def points_balance_cmd(enterprise: Annotated[str | None, typer.Option("--enterprise")] = None,
                       as_user: AsOpt = None, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Points earned, spent, expired and available, per enterprise."""
    from nengtan.engine.points import balances

    _, stores, actor = operator_stores(home, as_user)
    rows = balances(stores.registry, actor, enterprise)
    if check_format(fmt) == "json":
        print_json(rows)
        return
    t = Table(title=tr("carbon credit points"))
    for c in ("enterprise", "earned", "spent", "expired", "available"):
        t.add_column(tr(c), justify="left" if c == "enterprise" else "right")
    for r in rows:
        t.add_row(r["name"], *(f"{r[k]:,.1f}" for k in ("earned", "spent", "expired", "available")))
    console.print(t)


def register(app: typer.Typer) -> None:
    app.add_typer(ratings_app, name="ratings")
    app.add_typer(statistics_app, name="statistics")
    app.add_typer(esg_app, name="esg")


statistics_app = typer.Typer(help="Statistics the platform does not measure (land, tax, sales …).",
                             no_args_is_help=True)


@statistics_app.command("import")
@friendly
def statistics_import_cmd(
        file: Annotated[Path, typer.Argument(help="CSV or XLSX: uscc (empty: the park), year, item, value, unit, "
                                           "source [, status].", exists=True, dir_okay=False)],
        reason: Annotated[str | None, typer.Option("--reason", help="Why a value already held changes.")] = None,
        as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Import statistics per year (land_area, tax, sales, rnd_spending, employees), in any unit of the item."""
    from nengtan.engine.statistics import import_statistics

    _, stores, actor = operator_stores(home, as_user)
    out = import_statistics(stores.registry, actor, file, reason)
    report_import(say("statistics.landed", n=out.landed), out.errors)


esg_app = typer.Typer(help="ESG environmental data pack and what an enterprise publishes.", no_args_is_help=True)


@esg_app.command("pack")
@friendly
def esg_pack_cmd(enterprise: Annotated[str, typer.Option("--enterprise")], year: Annotated[int, typer.Option("--year")],
                 output: Annotated[Path | None, typer.Option("--output", help=".xlsx or .pdf")] = None,
                 as_user: AsOpt = None, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """The enterprise's environmental data for a year, laid out for the exchanges' 2024 guidelines and ISSB S2."""
    from nengtan.engine.esg import pack, write_pack

    _, stores, actor = operator_stores(home, as_user)
    out = pack(stores, actor, enterprise, year)
    if output is not None:
        console.print(say("wrote", path=write_pack(out, output)), highlight=False)
    if check_format(fmt) == "json":
        print_json(out)
        return
    t = Table(title=f"ESG {out['name']} {year} ({out['data_version']})")
    for c in ("item", "value", "unit", "exchanges", "ISSB S2"):
        t.add_column(tr(c) if c != "ISSB S2" else c)
    for it in out["items"]:
        v = it["value"]
        t.add_row(pick(it["label_en"], it["label_zh"]),
                  f"{v:,.4g}" if isinstance(v, float) else pick(str(v), str(it.get("value_zh") or v)), it["unit"],
                  it["exchanges"], pick(it["issb_s2_en"], it["issb_s2_zh"]))
    console.print(t)


@esg_app.command("publish")
@friendly
def esg_publish_cmd(enterprise: Annotated[str, typer.Option("--enterprise")],
                    year: Annotated[int, typer.Option("--year")],
                    items: Annotated[str, typer.Option("--items", help="Comma-separated item keys to publish.")],
                    as_user: Annotated[str, typer.Option("--as", help="The enterprise's own user.")],
                    home: HomeOption = None) -> None:
    """Publish the chosen items of the pack on the public page (a frozen snapshot)."""
    from nengtan.engine.esg import publish

    _, stores, actor = operator_stores(home, as_user)
    out = publish(stores, actor, enterprise, year, [k.strip() for k in items.split(",") if k.strip()])
    console.print(say("esg.published", version=out["version"], items=tr(", ").join(i["key"] for i in out["items"])),
                  highlight=False)

