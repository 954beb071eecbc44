"""``nengtan region``: regions above the parks (issue 14) — import, place a park, show the tree."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from nengtan.cli.certification import AsOpt, operator
from nengtan.cli.common import FormatOption, HomeOption, check_format, console, friendly, print_json, report_import

region_app = typer.Typer(help="Regions above the parks: province → city → district → park.", no_args_is_help=True)


@region_app.command("import")
@friendly
def import_cmd(file: Annotated[Path, typer.Argument(help="CSV or XLSX: code, name, level (province, city, district), "
                                                  "parent.", exists=True, dir_okay=False)],
               as_user: AsOpt = None, home: HomeOption = None) -> None:
    """Import regions (GB/T 2260 codes); any order, each level under the one above."""
    from nengtan.engine.regions import import_regions

    reg, actor = operator(home, as_user)
    out = import_regions(reg, actor, file)
    report_import(f"{out.landed} regions landed", out.errors)


@region_app.command("park")
@friendly
def park_cmd(code: Annotated[str, typer.Option("--code")], region: Annotated[str, typer.Option("--region")],
             name: Annotated[str | None, typer.Option("--name")] = None, as_user: AsOpt = None,
             home: HomeOption = None) -> None:
    """Place a park (created if new) in its lowest region; enterprises join it by the enterprises file's park
    column."""
    from nengtan.engine.regions import place_park

    reg, actor = operator(home, as_user)
    place_park(reg, actor, code, region, name)
    console.print(f"park {code} in region {region}", highlight=False)


@region_app.command("tree")
@friendly
def tree_cmd(home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """The regions, their parks and how many enterprises each park holds."""
    from nengtan.engine import open_local
    from nengtan.engine.regions import tree

    roots = tree(open_local(home)[1].registry)
    if check_format(fmt) == "json":
        print_json(roots)
        return

    def show(n: dict[str, Any], depth: int) -> None:
        console.print(f"{'  ' * depth}{n['code']} {n['name']} [{n['level']}]", highlight=False)
        for p in n["parks"]:
            console.print(f"{'  ' * (depth + 1)}park {p['code']} {p['name']}: {p['enterprises']} enterprises",
                          highlight=False)
        for c in n["children"]:
            show(c, depth + 1)

    for r in roots:
        show(r, 0)


def register(app: typer.Typer) -> None:
    app.add_typer(region_app, name="region")
