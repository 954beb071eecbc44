"""``nengtan ratings``: enterprise ratings by open, versioned methods (issue 12)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from nengtan.cli.common import FormatOption, HomeOption, check_format, console, friendly, print_json

ratings_app = typer.Typer(help="Enterprise ratings (碳效码 …), each a versioned method with its inputs shown.",
                          no_args_is_help=True)


@ratings_app.command("carbon-efficiency")
@friendly
def carbon_efficiency_cmd(
    year: Annotated[int, typer.Option("--year", help="The year rated.")],
    version: Annotated[int | None, typer.Option("--method-version", help="The method version (default: the "
                                                "newest); an old rating is reproduced with its version.")] = None,
    home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """碳效等级: each enterprise's CO2 per value added against its sector's average, graded 1 (best) to 5."""
    from nengtan.engine import open_local
    from nengtan.engine.ratings import carbon_efficiency_grades

    check_format(fmt)
    out = carbon_efficiency_grades(open_local(home)[1], year, version)
    if fmt == "json":
        print_json(out)
        return
    t = Table(title=f"碳效等级 carbon-efficiency grades {year} ({out['method']}, {out['method_status']})")
    for c in ("enterprise", "sector", "tCO2/万元", "sector avg", "K", "grade"):
        t.add_column(c, justify="left" if c in ("enterprise", "sector") else "right")
    for it in sorted(out["items"], key=lambda x: (x["grade"] is None, x["grade"] or 0, x["k"] or 0)):
        t.add_row(it["name"], it["sector"], "—" if it["intensity"] is None else f"{it['intensity']:.4f}",
                  "—" if it["sector_intensity"] is None else f"{it['sector_intensity']:.4f}",
                  "—" if it["k"] is None else f"{it['k']:.2f}", it["grade_zh"] or "—")
    console.print(t)
    console.print(f"{out['counts']}; factor set {out['factor_set']}, data {out['data_version']}", highlight=False)


@ratings_app.command("green-code")
@friendly
def green_code_cmd(
    year: Annotated[int, typer.Option("--year", help="The year rated.")],
    version: Annotated[int | None, typer.Option("--method-version", help="The method version (default: the "
                                                "newest).")] = None,
    home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """零碳绿码: green, yellow or red from carbon efficiency, green power, data quality and warnings, with reasons."""
    from nengtan.engine import open_local
    from nengtan.engine.ratings import green_codes

    check_format(fmt)
    out = green_codes(open_local(home)[1], year, version)
    if fmt == "json":
        print_json(out)
        return
    t = Table(title=f"零碳绿码 green codes {year} ({out['method']}, {out['method_status']})")
    for c in ("enterprise", "colour", "reasons"):
        t.add_column(c)
    order = {"red": 0, "yellow": 1, "green": 2}
    for it in sorted(out["items"], key=lambda x: order[x["colour"]]):
        t.add_row(it["name"], it["colour"], "; ".join(it["reasons"]))
    console.print(t)
    console.print(f"{out['counts']}; grades {out['grade_method']}, data {out['data_version']}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(ratings_app, name="ratings")
