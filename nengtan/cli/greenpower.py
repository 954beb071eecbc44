"""``nengtan greenpower``: hourly carbon-free-energy matching and power-flow tracing (docs/greenpower.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from nengtan.cli.common import FormatOption, HomeOption, Table, UserError, check_format, console, friendly, print_json
from nengtan.cli.say import say, tr

greenpower_app = typer.Typer(help="Green power: certificates, contracts, claims, trading, hourly CFE matching, "
                             "power-flow tracing.", no_args_is_help=True)


@greenpower_app.command("cfe")
@friendly
def cfe_cmd(
    supply: Annotated[Path | None, typer.Option("--supply", help="Carbon-free supply (PPAs, on-site PV), ts,value "
                                                "in kWh; default with --enterprise or --park: the contracts and "
                                                "on-site PV held on the platform.")] = None,
    grid_cfe: Annotated[Path | None, typer.Option("--grid-cfe", help="The grid's carbon-free share, ts,value "
                                                  "(0…1).")] = None,
    grid_share: Annotated[float | None, typer.Option("--grid-cfe-share", help="Instead of --grid-cfe: one share "
                                                     "for every hour (with --enterprise or --park; default 0).")]
    = None,
    storage_kwh: Annotated[float, typer.Option("--storage-kwh", help="Storage capacity [kWh] (0: none).")] = 0.0,
    storage_kw: Annotated[float, typer.Option("--storage-kw", help="Storage power [kW].")] = 0.0,
    efficiency: Annotated[float, typer.Option("--storage-efficiency", help="Round-trip efficiency.")] = 0.9,
    load: Annotated[Path | None, typer.Option("--load", help="Consumption, ts,value in kWh.")] = None,
    enterprise: Annotated[str | None, typer.Option("--enterprise", help="Instead of --load: this enterprise's "
                                                   "15-minute electricity meters on the platform.")] = None,
    park: Annotated[bool, typer.Option("--park", help="Instead of --load: every enterprise's 15-minute "
                                       "meters.")] = False,
    year: Annotated[int | None, typer.Option("--year", help="With --enterprise or --park: the year.")] = None,
    home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """CFE score, hourly-matched and annual shares of a load against carbon-free supply, hour by hour."""
    from nengtan.engine.greenpower import cfe_from_files, cfe_platform, enterprise_load
    from nengtan.greenpower.cfe import Storage

    check_format(fmt)
    if sum((load is not None, enterprise is not None, park)) != 1:
        raise UserError.said("greenpower.give_the_load_as")
    if (enterprise is not None or park) and year is None:
        raise UserError.said("greenpower.enterprise_and_park_need")
    if storage_kwh < 0 or storage_kw < 0:
        raise UserError.said("greenpower.storage_kwh_and_storage")
    if grid_cfe is not None and grid_share is not None:
        raise UserError.said("greenpower.give_the_grid_s")
    st = Storage(storage_kwh, storage_kw or storage_kwh, efficiency) if storage_kwh > 0 else None
    if load is not None:
        if supply is None or grid_cfe is None:
            raise UserError.said("greenpower.with_load_give_supply")
        out = cfe_from_files(load, supply, grid_cfe, st)
    else:
        from nengtan.engine import open_local

        assert year is not None
        stores = open_local(home)[1]
        if supply is None:
            out = cfe_platform(stores, year, enterprise, grid_cfe, grid_share or 0.0, st)
        else:
            if grid_cfe is None:
                raise UserError.said("greenpower.with_supply_give_grid")
            if enterprise is None:
                raise UserError.said("greenpower.supply_goes_with_enterprise")
            hours, source = enterprise_load(stores, enterprise, year)
            out = cfe_from_files(hours, supply, grid_cfe, st)
            out["load_from"] = source
    if fmt == "json":
        print_json(out)
        return
    t = Table(title=say("cfe.title", hours=out["hours"], first=out["first_hour"]))
    t.add_column("")
    t.add_column(tr("value"), justify="right")
    for key, label in (("cfe_score", "CFE score"), ("hourly_matched_share", "hourly matched"),
                       ("annual_share", "annual (volumetric)")):
        t.add_row(tr(label), f"{out[key]:.1%}")
    for key, label in (("load_kwh", "load kWh"), ("supply_kwh", "supply kWh"), ("matched_kwh", "matched kWh"),
                       ("grid_cfe_kwh", "grid carbon-free kWh"), ("excess_kwh", "excess kWh")):
        t.add_row(tr(label), f"{out[key]:,.1f}")
    console.print(t)


@greenpower_app.command("trace")
@friendly
def trace_cmd(
    network: Annotated[Path, typer.Argument(help="A folder of buses.csv, flows.csv, generation.csv, loads.csv.")],
    minutes: Annotated[float | None, typer.Option(
        "--interval-minutes", help="Length of each interval (its ts is its start); default: network.json's "
        "interval_minutes, else 15.")] = None,
    attribution: Annotated[bool, typer.Option("--attribution", help="Also each load's kWh traced to each green "
                                              "source, per month.")] = False,
    fmt: FormatOption = "table",
) -> None:
    """Trace the park grid's power flows: nodal carbon intensity, green share, branch and load carbon."""
    from nengtan.engine.greengrid import trace_folder

    check_format(fmt)
    out = trace_folder(network, minutes, attribution)
    if fmt == "json":
        print_json(out)
        return
    _table(tr("buses"), (tr("mean kg CO2/kWh"), tr("mean green share")),
           {b: (_mean(v), _mean(out["green_share"][b])) for b, v in out["nodal_intensity"].items()})
    _table(tr("loads"), ("kg CO2", tr("green kWh")),
           {k: (sum(v.values()), sum(out["load_green_kwh"][k].values())) for k, v in out["load_carbon"].items()})
    for load, months in out.get("attribution", {}).items():
        for month, by_source in months.items():
            for source, kwh in by_source.items():
                console.print(say("trace.attributed", load=load, month=month, kwh=f"{kwh:,.1f}", source=source),
                              highlight=False)
    console.print(say("trace.done", intervals=out["intervals"], hours=f"{out['interval_hours']:g}",
                      patterns=out["patterns"], meshed=out["meshed_intervals"]), highlight=False)


def _mean(values: dict[str, float]) -> float:
    return sum(values.values()) / len(values) if values else 0.0


def _table(title: str, columns: tuple[str, ...], rows: dict[str, Any]) -> None:
    t = Table(title=title)
    t.add_column("")
    for c in columns:
        t.add_column(c, justify="right")
    for k, vals in rows.items():
        t.add_row(k, *(f"{v:,.4f}" for v in vals))
    console.print(t)


def register(app: typer.Typer) -> None:
    from nengtan.cli import greenassets

    greenassets.register(greenpower_app)
    app.add_typer(greenpower_app, name="greenpower")
