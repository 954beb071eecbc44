"""The core commands: init, demo, import, inventory, factors, quarantine, report inventory."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from nengtan import __version__
from nengtan.cli import assets as assets_cli
from nengtan.cli import energybudget as energybudget_cli
from nengtan.cli import evaluate as evaluate_cli
from nengtan.cli import footprint as footprint_cli
from nengtan.cli import greenpower as greenpower_cli
from nengtan.cli import ingest as ingest_cli
from nengtan.cli import ledger as ledger_cli
from nengtan.cli import notify as notify_cli
from nengtan.cli import operations as operations_cli
from nengtan.cli import ratings as ratings_cli
from nengtan.cli import regions as regions_cli
from nengtan.cli import serve as serve_cli
from nengtan.cli import targets as targets_cli
from nengtan.cli import upward as upward_cli
from nengtan.cli.audit import audit_app
from nengtan.cli.common import (
    DEMO_HOOKS,
    FormatOption,
    HomeOption,
    Table,
    UserError,
    check_format,
    console,
    err_console,
    fmt_num,
    friendly,
    open_stores,
    print_json,
    progress_bar,
    report_app,
    report_import,
)
from nengtan.cli.help_zh import cli_lang
from nengtan.cli.say import SHARES_ZH, pick, say, tr
from nengtan.ingest import KINDS
from nengtan.reports.words import zh

if TYPE_CHECKING:  # the heavy modules load inside the commands, so `nengtan --help` starts at once
    from nengtan.accounting.inventory import Inventory
    from nengtan.config import Paths
    from nengtan.engine.stores import LocalStores
    from nengtan.indicators import Period
    from nengtan.lake import Lake
    from nengtan.registry.store import Registry

app = typer.Typer(name="nengtan", help="能碳 nengtan — energy and carbon accounts for industrial parks.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False)
factors_app = typer.Typer(help="The factor library and the park's own measured values.", no_args_is_help=True)
app.add_typer(report_app, name="report")
app.add_typer(factors_app, name="factors")
app.add_typer(audit_app, name="audit")


@app.command()
def version() -> None:
    """Print the version."""
    console.print(f"nengtan {__version__}")


@app.command()
@friendly
def init(home: HomeOption = None) -> None:
    """Create the data directory and the registry (migrated to the newest schema)."""
    from nengtan.registry.ops import seed_sectors

    paths, reg, _ = open_stores(home, create=True)
    with reg.session() as s:
        n = seed_sectors(s)
    console.print(say("init.done", home=paths.home, url=reg.url, n=n))


def _park_name(home: str | None) -> str:
    from sqlalchemy import select

    from nengtan.registry.tables.park import Park

    _, reg, _ = open_stores(home, migrate=False)
    with reg.session() as s:
        park = s.execute(select(Park).order_by(Park.id)).scalars().first()
        return park.name if park else zh("Park")


def _period(year: int, month: int | None, quarter: int | None) -> Period:
    from nengtan.indicators import Period

    try:
        return Period(year, month, quarter)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def print_inventory(inv: Inventory) -> None:
    """The inventory as Rich tables, in the CLI's language (nengtan.cli.say)."""
    from nengtan.indicators import value_added_basis_zh
    from nengtan.labels import carrier_zh

    head = Table(title=say("inventory.title", scope=inv.scope, period=inv.period), show_header=True,
                 title_justify="left")
    head.add_column(tr("Indicator"))
    head.add_column(tr("Value"), justify="right")
    head.add_column(tr("Unit"))
    ints = inv.intensities
    for en, value, unit in [
        ("Energy (calorific)", inv.energy_tce, "tce"),
        ("Energy (primary equivalent)", inv.energy_equiv_tce, "tce"),
        ("  of which raw-material energy", inv.feedstock_tce, "tce"),
        ("Dual-control basis", inv.energy_dual_control_tce, "tce"),
        ("CO2 (Scope 1 + 2 location)", inv.co2_t, "tCO2"),
        ("  Scope 1", inv.scope1_t, "tCO2"),
        ("    of which process (carbon balance)", inv.process_t, "tCO2"),
        ("  Scope 2 location-based", inv.scope2_location_t, "tCO2"),
        ("  Scope 2 market-based", inv.scope2_market_t, "tCO2"),
        ("Value added", inv.value_added,
         f"万元 ({pick(inv.value_added_basis, value_added_basis_zh(inv.value_added_basis))})"),
        ("Gross output", inv.gross_output, "万元"),
    ]:
        head.add_row(tr(en), fmt_num(value), unit)
    for en, key, unit in [
        ("Energy per value added", "energy_tce_per_10k_cny_value_added", "tce/万元"),
        ("CO2 per value added", "co2_t_per_10k_cny_value_added", "tCO2/万元"),
        ("Energy per gross output", "energy_tce_per_10k_cny_gross_output", "tce/万元"),
        ("CO2 per gross output", "co2_t_per_10k_cny_gross_output", "tCO2/万元"),
        ("CO2 per energy", "co2_t_per_tce", "tCO2/tce"),
    ]:
        head.add_row(tr(en), fmt_num(ints[key], 4), unit)
    for key, value in inv.shares.items():
        head.add_row(pick(key.replace("_", " "), SHARES_ZH.get(key, key)), "—" if value is None else f"{value:.2%}",
                     "")
    console.print(head)
    t = Table(title=say("inventory.by_carrier"), title_justify="left")
    for en in ("carrier", "quantity", "unit", "tce", "tce (equiv)", "Scope 1 t", "Scope 2 loc t", "Scope 2 mkt t"):
        t.add_column(tr(en), justify="left" if en in ("carrier", "unit") else "right")
    for c, b in sorted(inv.by_carrier.items()):
        t.add_row(pick(c, carrier_zh(c)), fmt_num(float(b["quantity"])), str(b["unit"]),
                  fmt_num(float(b["energy_tce"])), fmt_num(float(b["energy_equiv_tce"])),
                  fmt_num(float(b["scope1_t"])), fmt_num(float(b["scope2_location_t"])),
                  fmt_num(float(b["scope2_market_t"])))
    console.print(t)
    console.print(say("inventory.basis", factor_set=inv.factor_set, data_version=inv.data_version,
                      n=inv.enterprises), highlight=False)
    in_zh = cli_lang() == "zh"
    for note in inv.factor_basis_zh if in_zh else inv.factor_basis:
        console.print(say("inventory.factors", note=note), highlight=False)
    for note in inv.grid_notes_zh if in_zh else inv.grid_notes:
        console.print(say("inventory.note", note=note), highlight=False)


@app.command("inventory")
@friendly
def inventory_cmd(
    year: Annotated[int, typer.Option("--year", "-y", help="Calendar year (Asia/Shanghai).")],
    month: Annotated[int | None, typer.Option("--month", "-m", help="Month 1-12.")] = None,
    quarter: Annotated[int | None, typer.Option("--quarter", "-q", help="Quarter 1-4.")] = None,
    scope: Annotated[str, typer.Option(help="park | sector:<GB/T 4754 code> | enterprise:<USCC>")] = "park",
    factors: Annotated[str | None, typer.Option("--factors", help="Factor set (see `nengtan factors list`).")] = None,
    fmt: FormatOption = "table",
    home: HomeOption = None,
) -> None:
    """Energy (tce) and CO2 (t) of the park, a sector or an enterprise for a month, quarter or year."""
    from nengtan.engine.accounts import inventory

    check_format(fmt)
    _period(year, month, quarter)
    stores = _stores(home)
    inv = inventory(stores, year, month, quarter, scope, factors)
    if fmt == "json":
        print_json(inv.to_dict())
    else:
        print_inventory(inv)


@report_app.command("inventory")
@friendly
def report_inventory(
    year: Annotated[int, typer.Option("--year", "-y")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The .xlsx file to write (.pdf: the same workbook "
                                         "printed, beside it).")],
    month: Annotated[int | None, typer.Option("--month", "-m")] = None,
    quarter: Annotated[int | None, typer.Option("--quarter", "-q")] = None,
    scope: Annotated[str, typer.Option(help="park | sector:<code> | enterprise:<uscc>")] = "park",
    factors: Annotated[str | None, typer.Option("--factors")] = None,
    home: HomeOption = None,
) -> None:
    """Write the inventory workbook (totals, carriers, sectors, enterprises, months, factor table); with a .pdf
    output, the workbook and its PDF beside it."""
    if output.suffix.lower() not in (".xlsx", ".pdf"):
        raise UserError.said("main.the_report_is_an", output=output)
    xlsx = output.with_suffix(".xlsx")
    path = write_report(_stores(home, factors), year, xlsx, _period(year, month, quarter), scope)
    if output.suffix.lower() == ".pdf":
        from nengtan.reports.inventory_xlsx import inventory_pdf

        title = zh("Energy consumption and carbon emission inventory {period}", period=f"{scope} {year}")
        path = inventory_pdf(xlsx, output, title)
        console.print(say("wrote", path=xlsx))
    console.print(say("wrote", path=path))


def write_report(stores: LocalStores, year: int, output: Path, period: Period, scope: str = "park") -> Path:
    from nengtan.engine.accounts import inventory_report

    return inventory_report(stores, output, year, period.month, period.quarter, scope)[0]


def _stores(home: str | None, factors: str | None = None) -> LocalStores:
    from nengtan.engine import open_local

    stores = open_local(home)[1]
    stores.factor_set = factors
    return stores


@app.command("import")
@friendly
def import_cmd(
    kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(KINDS)}, park-statistics.")],
    file: Annotated[Path, typer.Argument(help="CSV or XLSX (readings also Parquet).")],
    correct: Annotated[str | None, typer.Option("--correct", help="Reason for superseding stored values "
                                                "(creates new versions; required for a verified year).")] = None,
    home: HomeOption = None,
) -> None:
    """Import an interchange file; good rows land, bad rows are reported and quarantined."""

    from nengtan.ingest.files import import_file

    if kind == "park-statistics":
        return _import_statistics(file, correct, home)
    if kind not in KINDS:
        raise UserError.said("main.unknown_kind", kind=kind, kinds=", ".join(KINDS))
    if not file.exists():
        raise UserError.said("common.no_such_file", path=file)
    paths, reg, _ = open_stores(home)
    with progress_bar(rows=True, transient=True) as bar:
        task = bar.add_task(say("import.progress", file=file.name), total=None)
        res = import_file(reg, paths, kind, file, correction=correct,
                          progress=lambda done, total: bar.update(task, completed=done, total=total))
    in_zh = cli_lang() == "zh"
    for issue in res.issues[:200]:
        err_console.print(issue.line_zh(res.file) if in_zh else issue.line(res.file), highlight=False,
                          soft_wrap=True)
    if res.rows_bad > 200:
        err_console.print(say("import.more", n=res.rows_bad - 200))
    console.print(say("import.done", file=res.file, ok=res.rows_ok, duplicate=res.rows_duplicate, bad=res.rows_bad,
                      batch=res.batch_id[:8]), highlight=False)
    if res.rows_bad:
        raise typer.Exit(1)


def _import_statistics(file: Path, reason: str | None, home: str | None) -> None:
    """``year,item,value,unit,source`` (optionally ``uscc`` for an enterprise's figure): the park's statistics."""
    from nengtan.cli.certification import operator_stores
    from nengtan.engine.statistics import import_statistics

    if not file.exists():
        raise UserError.said("common.no_such_file", path=file)
    _, stores, actor = operator_stores(home, None)
    res = import_statistics(stores.registry, actor, file, reason)
    report_import(say("import.statistics", file=file.name, landed=res.landed, refused=len(res.errors)), res.errors)


@app.command("quarantine")
@friendly
def quarantine_cmd(
    all_rows: Annotated[bool, typer.Option("--all", help="Include rows a later import resolved.")] = False,
    fmt: FormatOption = "table",
    home: HomeOption = None,
) -> None:
    """Rows that were rejected, with the file, row, column and reason."""
    from nengtan.ingest.files import quarantine
    from nengtan.reasons import in_chinese as reason_in_chinese

    check_format(fmt)
    _, reg, _ = open_stores(home)
    rows = quarantine(reg, open_only=not all_rows)
    if fmt == "json":
        print_json([{"batch": q.batch_id, "kind": q.kind, "file": q.file, "row": q.row, "column": q.column,
                     "reason": q.reason, "resolved_by": q.resolved_batch_id} for q in rows])
        return
    t = Table(title=say("quarantine.title", n=len(rows)), title_justify="left")
    for en in ("file", "row", "column", "reason", "resolved by"):
        t.add_column(tr(en))
    in_zh = cli_lang() == "zh"
    for q in rows:
        t.add_row(q.file, str(q.row), q.column, (reason_in_chinese(q.reason) or q.reason) if in_zh else q.reason,
                  (q.resolved_batch_id or "")[:8])
    console.print(t)


@factors_app.command("list")
def factors_list() -> None:
    """The factor sets nengtan ships."""
    from nengtan.factors import available_sets, load_factor_set

    t = Table(title=tr("factor sets"), title_justify="left")
    for c in ("set", "id", "description"):
        t.add_column(tr(c, "field"))
    for name, desc in available_sets().items():
        t.add_row(name, load_factor_set(name).id, desc)
    console.print(t)


@factors_app.command("show")
@friendly
def factors_show(name: Annotated[str | None, typer.Argument(help="Set name (default: the active one).")] = None,
                 home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Every library row with its value, unit, source, clause and status (plus the park's own values)."""
    from nengtan.engine.ledgers import resolve_factor_set

    check_format(fmt)
    _, reg, _ = open_stores(home)
    fs = resolve_factor_set(reg, name)
    if fmt == "json":
        print_json({"id": fs.id, "rows": fs.rows.to_dict(orient="records")})
        return
    t = Table(title=f"{fs.id} — {fs.description}", title_justify="left")
    for c in ("id", "value", "unit", "source", "clause", "status"):
        t.add_column(tr(c, "field"))
    for r in fs.rows.itertuples():
        t.add_row(str(r.id), f"{r.value:g}", str(r.unit), str(r.source), str(r.clause), str(r.status))
    console.print(t)


@factors_app.command("add")
@friendly
def factors_add(
    parameter: Annotated[str, typer.Option(help="e.g. ncv, carbon_content, tce_coefficient, steam_enthalpy")],
    carrier: Annotated[str, typer.Option(help="e.g. natural_gas")],
    value: Annotated[float, typer.Option()],
    unit: Annotated[str, typer.Option(help="as in the library, e.g. GJ/wan_m3, kgce/m3")],
    evidence: Annotated[str, typer.Option(help="What proves the value (report number, lab, date).")],
    family: Annotated[str, typer.Option(help="Parameter family it replaces.")] = "gbt32150",
    home: HomeOption = None,
) -> None:
    """Record the park's own measured value (e.g. its gas supplier's NCV); it applies in `<set>+park`."""
    from nengtan.engine.ledgers import resolve_factor_set
    from nengtan.factors import load_factor_set
    from nengtan.registry.tables.factors import FactorOverride

    lib = load_factor_set().rows
    match = lib[(lib["parameter"] == parameter) & (lib["carrier"] == carrier)]
    if match.empty:
        raise UserError.said("main.the_library_has_no", parameter=parameter, carrier=carrier)
    if value <= 0:
        raise UserError.said("main.value_must_be_positive", value=value)
    fam = family if (match["family"] == family).any() else str(match["family"].iloc[0])
    from nengtan.units import registry as ureg

    try:
        ureg().Quantity(1.0, unit).to(str(match["unit"].iloc[0]))
    except Exception as exc:
        raise UserError.said("main.unit_does_not_convert", unit=unit, v1=match['unit'].iloc[0]) from exc
    _, reg, _ = open_stores(home)
    with reg.session() as s:
        s.add(FactorOverride(parameter=parameter, carrier=carrier, family=fam, value=value, unit=unit,
                             evidence=evidence, valid_from=dt.date.today().isoformat()))
    console.print(say("factors.recorded", parameter=parameter, carrier=carrier, value=f"{value:g}", unit=unit,
                      set=resolve_factor_set(reg).id))


@app.command()
@friendly
def demo(
    home: HomeOption = None,
    small: Annotated[bool, typer.Option("--small", help="24 enterprises instead of 300 (for a quick look).")] = False,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Delete the data home's demo and build it again.")] = False,
    report: Annotated[Path | None, typer.Option("--report", "-o", help="Where to write the XLSX report.")] = None,
    live: Annotated[bool, typer.Option("--live", help="Afterwards feed the demo meters live over MQTT.")] = False,
    seconds: Annotated[float, typer.Option("--seconds", help="With --live: how long to run.")] = 30.0,
) -> None:
    """Build the deterministic demo park, compute its inventory, print it and write the XLSX report."""

    from nengtan.demo import DEMO_YEAR, FULL, SMALL, build_demo
    from nengtan.engine.stores import LocalStores

    paths, reg, lake = open_stores(home, create=True)
    built = (paths.home / ".demo-built").exists()
    if rebuild and paths.home.exists():
        reg.close()
        for child in ("lake", "raw", "registry.sqlite", "registry.sqlite-wal", "registry.sqlite-shm", ".demo-built"):
            p = paths.home / child
            if p.is_dir():
                shutil.rmtree(p)
            elif p.exists():
                p.unlink()
        paths, reg, lake = open_stores(home, create=True)
        built = False
    if not built:
        if lake.version > 0 or _has_enterprises(reg):
            raise UserError.said("main.already_holds_data_use", paths_home=paths.home)
        size = SMALL if small else FULL
        with progress_bar() as bar:
            task = bar.add_task(say("demo.building"), total=1.0)
            truth = build_demo(paths, reg, size, progress=lambda msg, frac: bar.update(
                task, completed=frac, description=say("demo.building_step", step=msg)))
        from nengtan.demo import DEMO_YEAR as _year
        from nengtan.demo_green import build_green_demo

        err_console.print(say("demo.green"))
        build_green_demo(paths, reg, lake, _year)
        from nengtan.demo_assets import build_assets_demo
        from nengtan.engine.stores import LocalStores as _Stores

        err_console.print(say("demo.assets"))
        build_assets_demo(paths, _Stores(reg, lake), _year)
        from nengtan.demo_assets import build_ratings_demo

        err_console.print(say("demo.ratings"))
        build_ratings_demo(paths, _Stores(reg, lake), _year)
        from nengtan.demo import DEMO_PARK_CODE as _park
        from nengtan.demo_evaluation import build_evaluation_demo

        build_evaluation_demo(paths, _Stores(reg, lake), _year, f"park:{_park}")
        from nengtan.demo_regions import build_regions_demo

        err_console.print(say("demo.regions"))
        build_regions_demo(paths, _Stores(reg, lake))
        from nengtan.demo_operations import build_operations_demo

        ops = build_operations_demo(_Stores(reg, lake), _year)
        err_console.print(say("demo.operations", meter=ops.get("meter", "-"), demand=ops.get("demand_kw", 0),
                              alarms=ops["alarms"], virtual=ops.get("virtual", "-")), highlight=False)
        (paths.home / ".demo-built").write_text(f"{truth.enterprises} enterprises, {truth.readings} readings\n")
        console.print(say("demo.built", enterprises=truth.enterprises, meters=truth.meters, readings=truth.readings,
                          home=paths.home), highlight=False)
    from nengtan.engine.accounts import inventory_report

    stores = LocalStores(reg, lake)
    out = report or paths.reports / f"inventory-{DEMO_YEAR}.xlsx"
    from nengtan.demo import DEMO_PARK_CODE
    from nengtan.engine.places import at_place

    park = at_place(stores, f"park:{DEMO_PARK_CODE}")  # the demo park's own accounts (the province beside it)
    _, inv = inventory_report(park, out, DEMO_YEAR)
    print_inventory(inv)
    console.print(say("report", path=out), highlight=False)
    for hook in DEMO_HOOKS:
        hook(paths, stores, DEMO_YEAR)
    home_flag = f" --home {paths.home}" if home else ""
    console.print(say("demo.serve", home=home_flag), highlight=False)
    if live:
        _run_live(paths, reg, lake, seconds)


def _has_enterprises(reg: Registry) -> bool:
    from sqlalchemy import select

    from nengtan.registry.tables.park import Enterprise

    with reg.session() as s:
        return s.execute(select(Enterprise.id).limit(1)).first() is not None


def _run_live(paths: Paths, reg: Registry, lake: Lake, seconds: float) -> None:
    from nengtan.ingest import simulator

    console.print(say("demo.live", seconds=seconds))
    from nengtan.engine.alarms import AlarmWatch

    r = simulator.run_live_demo(paths, reg, lake, seconds, watch=AlarmWatch(reg, lake))
    console.print(say("demo.live_done", gateways=r.gateways, meters=r.meters, messages=r.messages,
                      accepted=r.accepted, duplicate=r.duplicate, rejected=r.rejected, last=r.last_ts),
                  highlight=False)

for _area in (ingest_cli, targets_cli, serve_cli, footprint_cli, greenpower_cli, ledger_cli, ratings_cli, assets_cli,
              evaluate_cli, upward_cli, energybudget_cli, regions_cli, notify_cli, operations_cli):
    _area.register(app)
