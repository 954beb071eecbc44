"""``nengtan region``: regions above the parks (issue 14) — import, place a park, show the tree."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from nengtan.cli.certification import AsOpt, operator
from nengtan.cli.common import FormatOption, HomeOption, check_format, console, friendly, print_json, report_import
from nengtan.cli.say import say, word
from nengtan.labels import REGION_LEVELS

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
    console.print(say("region.placed", code=code, region=region), highlight=False)


@region_app.command("park-geo")
@friendly
def park_geo_cmd(code: Annotated[str, typer.Argument(help="The park's code.")],
                 file: Annotated[Path, typer.Argument(help="GeoJSON FeatureCollection of Polygon/MultiPolygon "
                                                    "features: the outline (kind: outline) and plots (kind: plot, "
                                                    "uscc).")],
                 home: HomeOption = None) -> None:
    """Keep a park's map (outline and plots) for the large-screen cockpit; no map tiles are fetched."""
    from nengtan.engine import open_local
    from nengtan.engine.geo import save_park_geojson

    n = save_park_geojson(open_local(home)[1], code, file)
    console.print(say("region.geo", code=code, n=n), highlight=False)


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
        console.print(f"{'  ' * depth}{n['code']} {n['name']} ({word(REGION_LEVELS, n['level'])})", highlight=False)
        for p in n["parks"]:
            console.print("  " * (depth + 1) + say("region.park", code=p["code"], name=p["name"], n=p["enterprises"]),
                          highlight=False)
        for c in n["children"]:
            show(c, depth + 1)

    for r in roots:
        show(r, 0)


def register(app: typer.Typer) -> None:
    app.add_typer(region_app, name="region")


@region_app.command("generate-province")
@friendly
def generate_province_cmd(
        enterprises: Annotated[int, typer.Option("--enterprises", help="Enterprises in the province.")] = 50_000,
        metered: Annotated[int, typer.Option("--metered", help="Of them, with a 15-minute main meter (35 040 readings "
                                             "a year each: 2 854 give about 10⁸).")] = 2_854,
        parks_per_city: Annotated[int, typer.Option("--parks-per-city")] = 4,
        year: Annotated[int, typer.Option("--year")] = 2025,
        workers: Annotated[int | None, typer.Option("--workers", help="Processes writing the lake's files "
                                                    "(default: one per CPU).")] = None,
        home: HomeOption = None) -> None:
    """Generate a synthetic province (Jiangsu's 13 cities, their parks, enterprises, meters, statements and
    readings) into an empty data home, the readings straight to the lake in parallel (docs/regions.md)."""
    import time

    from nengtan.cli.common import UserError, open_stores, progress_bar
    from nengtan.demo_province import ProvinceSize, build_province
    from nengtan.registry.tables.park import Enterprise

    paths, reg, lake = open_stores(home, create=True)
    with reg.session() as s:
        if lake.version > 0 or s.query(Enterprise.id).first() is not None:
            raise UserError.said("regions.already_holds_data_generate", paths_home=paths.home)
    t0 = time.perf_counter()
    with progress_bar() as bar:
        task = bar.add_task("province", total=1.0)
        truth = build_province(paths, reg, lake, ProvinceSize(enterprises, metered, parks_per_city, year),
                               workers=workers, progress=lambda m, f: bar.update(task, completed=f,
                                                                                 description=f"province: {m}"))
    console.print(say("province.built", enterprises=f"{truth.enterprises:,}", parks=truth.parks,
                      metered=f"{truth.metered:,}", readings=f"{truth.readings:,}", files=truth.files,
                      rows=f"{truth.statement_rows:,}", seconds=f"{time.perf_counter() - t0:.0f}"), highlight=False)
