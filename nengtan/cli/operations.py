"""Energy cost and live monitoring on the command line (issue 15, item 7; docs/energycost.md): ``nengtan tariff``,
``nengtan cost``, ``nengtan storage``, ``nengtan meter`` and ``nengtan alarms``. Every figure is the engine's
(nengtan.engine.energycost, curves, alarms); these commands only print it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from nengtan.cli.common import FormatOption, HomeOption, Table, check_format, console, fmt_num, friendly, print_json
from nengtan.cli.say import pick, say, tr

tariff_app = typer.Typer(help="Time-of-use electricity tariffs (分时电价): the dated tables.", no_args_is_help=True)
storage_app = typer.Typer(help="Enterprises' storage installations (储能).", no_args_is_help=True)
meter_app = typer.Typer(help="A meter's intraday load curve and its sub-meter balance.", no_args_is_help=True)
alarms_app = typer.Typer(help="Live alarms: demand, abnormal consumption and missing data.", no_args_is_help=True)

YearOption = Annotated[int | None, typer.Option("--year", help="Default: the newest year with data.")]


def _stores(home: str | None) -> Any:
    from nengtan.engine import open_local

    return open_local(home)[1]


def _year(stores: Any, year: int | None) -> int:
    from nengtan.engine.cockpit import latest_year

    return year or latest_year(stores)


@tariff_app.command("load")
@friendly
def tariff_load(path: Annotated[Path | None, typer.Argument(help="A tariff CSV (schedule, valid_from, months, "
                                                            "start_hour, end_hour, band, price, source); default: "
                                                            "Jiangsu's, shipped with nengtan.")] = None,
                home: HomeOption = None) -> None:
    """Load a dated tariff table; a table already loaded is kept as it is, a changed one is refused."""
    from nengtan.engine.energycost import load_tariff

    out = load_tariff(_stores(home).registry, "cli", path)
    console.print(say("tariff.loaded", loaded=tr(", ").join(out["loaded"]) or say("none"),
                      unchanged=tr(", ").join(out["unchanged"]) or say("none")), highlight=False)


@tariff_app.command("show")
@friendly
def tariff_show(schedule: Annotated[str | None, typer.Option("--schedule")] = None, home: HomeOption = None,
                fmt: FormatOption = "table") -> None:
    """Every dated table of a schedule: months, hours, band and yuan/kWh."""
    from nengtan.engine.energycost import tariff_table

    out = tariff_table(_stores(home).registry, schedule)
    if check_format(fmt) == "json":
        print_json(out)
        return
    for t in out["tables"]:
        tab = Table(title=say("tariff.title", schedule=out["schedule"], valid_from=t["valid_from"]))
        for c in ("months", "hours", "band", "元/kWh", "source"):
            tab.add_column(tr(c) if c != "元/kWh" else c)
        for ln in t["lines"]:
            tab.add_row(ln["months"], f"{ln['start_hour']:02d}:00–{ln['end_hour']:02d}:00",
                        pick(ln["band"], ln["band_zh"]), f"{ln['price']:.4f}", ln["source"])
        console.print(tab)


@friendly
def cost_cmd(enterprise: Annotated[str, typer.Argument(help="Credit code (统一社会信用代码).")],
             year: YearOption = None, schedule: Annotated[str | None, typer.Option("--schedule")] = None,
             home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """An enterprise's electricity cost per month under the time-of-use tariff, and what its storage saves."""
    from nengtan.energycost.tariff import BANDS
    from nengtan.engine.energycost import enterprise_cost

    stores = _stores(home)
    out = enterprise_cost(stores, enterprise, _year(stores, year), schedule)
    if check_format(fmt) == "json":
        print_json(out)
        return
    t = Table(title=say("cost.title", name=out["name"], year=out["year"], schedule=out["schedule"]))
    t.add_column(tr("month"))
    for b in BANDS:
        t.add_column(f"{pick(b, out['bands_zh'][b])} kWh", justify="right")
    for c in ("electricity kWh", "cost CNY", "average CNY/kWh"):
        t.add_column(tr(c), justify="right")
    storage = bool(out["storage"])
    if storage:
        t.add_column(tr("shifted by storage kWh"), justify="right")
        t.add_column(tr("storage saving CNY"), justify="right")
    for r in [*out["months"], {**out["total"], "month": tr("total")}]:
        row = [r["month"], *(fmt_num(r["bands"][b]["kwh"], 0) for b in BANDS), fmt_num(r["kwh"], 0),
               fmt_num(r["yuan"], 2), "" if r["avg_price"] is None else f"{r['avg_price']:.4f}"]
        if storage:
            st = r.get("storage") or {}
            row += [fmt_num(st.get("shifted_kwh"), 0), fmt_num(st.get("saving_yuan"), 2)]
        t.add_row(*row)
    console.print(t)
    console.print(say("cost.basis", meters=tr(", ").join(out["meters"]),
                      tables=tr(", ").join(x["valid_from"] for x in out["tables"]), version=out["data_version"]),
                  highlight=False)


@storage_app.command("add")
@friendly
def storage_add(enterprise: Annotated[str, typer.Argument(help="Credit code.")],
                name: Annotated[str, typer.Option("--name")],
                capacity: Annotated[float, typer.Option("--capacity", help="Usable capacity [kWh].")],
                power: Annotated[float, typer.Option("--power", help="Charge and discharge power [kW].")],
                efficiency: Annotated[float, typer.Option("--efficiency", help="Round trip, 0-1.")] = 0.88,
                since: Annotated[str | None, typer.Option("--since", help="Commissioned on (YYYY-MM-DD; default: "
                                                          "today).")] = None,
                home: HomeOption = None) -> None:
    """Register an enterprise's storage installation: its cost then shows the load it shifts."""
    from nengtan.engine.energycost import add_storage

    on = dt.date.fromisoformat(since) if since else dt.date.today()
    out = add_storage(_stores(home).registry, "cli", enterprise, name, capacity, power, efficiency, on)
    console.print(say("storage.added", id=out["id"], uscc=out["uscc"], name=name, capacity=f"{capacity:g}",
                      power=f"{power:g}", efficiency=f"{efficiency:g}", since=on), highlight=False)


def _series(label: str, d: dict[str, Any]) -> str:
    if d["total_kwh"] is None:
        return say("curve.no_readings", label=label, day=d["day"])
    return say("curve.series", label=label, day=d["day"], kwh=fmt_num(d["total_kwh"], 1),
               peak=fmt_num(d["peak_kw"], 1), at=d["peak_at"], n=d["readings"])


@meter_app.command("curve")
@friendly
def meter_curve(enterprise: Annotated[str, typer.Argument(help="Credit code.")],
                meter: Annotated[str, typer.Argument(help="Meter code.")],
                day: Annotated[str | None, typer.Option("--day", help="YYYY-MM-DD (default: the meter's newest "
                                                        "day).")] = None,
                year: YearOption = None, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """A meter's intraday load curve beside the day before (环比) and the same date a year before (同比)."""
    from nengtan.engine.curves import day_curve

    stores = _stores(home)
    out = day_curve(stores, enterprise, meter, dt.date.fromisoformat(day) if day else None, _year(stores, year))
    if check_format(fmt) == "json":
        print_json(out)
        return
    t = Table(title=say("curve.title", meter=out["meter"], day=out["day"]["day"], unit=out["unit"],
                        minutes=out["interval_s"] // 60))
    for c in ("time", "kWh", "kW", "day before kW", "same day last year kW"):
        t.add_column(tr(c) if c not in ("kWh", "kW") else c, justify="right")
    for i, at in enumerate(out["times"]):
        t.add_row(at, fmt_num(out["day"]["kwh"][i], 2), fmt_num(out["day"]["kw"][i], 1),
                  fmt_num(out["previous_day"]["kw"][i], 1), fmt_num(out["year_before"]["kw"][i], 1))
    console.print(t)
    ch = out["change_pct"]
    for label, key in (("this day", "day"), ("day before", "previous_day"), ("same day last year", "year_before")):
        console.print(_series(tr(label), out[key]), highlight=False)
    console.print(say("curve.change", previous=fmt_num(ch["previous_day"], 1),
                      year_before=fmt_num(ch["year_before"], 1)), highlight=False)


@meter_app.command("balance")
@friendly
def meter_balance(enterprise: Annotated[str, typer.Argument(help="Credit code.")],
                  meter: Annotated[str, typer.Argument(help="The main meter's code.")],
                  year: YearOption = None, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """A main meter's monthly consumption against the sum of its sub-meters (主表与分表平衡)."""
    from nengtan.engine.curves import submeter_balance

    stores = _stores(home)
    out = submeter_balance(stores, enterprise, meter, _year(stores, year))
    if check_format(fmt) == "json":
        print_json(out)
        return
    t = Table(title=say("balance.title", meter=out["meter"], year=out["year"], unit=out["unit"]))
    for c in (tr("month"), tr("main meter"), *out["sub_meters"], tr("sub-meters"), tr("unmetered"), tr("unmetered %")):
        t.add_column(c, justify="right")
    for r in [*out["months"], {**out["total"], "period": tr("total"), "subs": {}}]:
        t.add_row(r["period"], fmt_num(r["main"], 0), *(fmt_num(r["subs"].get(c), 0) for c in out["sub_meters"]),
                  fmt_num(r["sub_total"], 0), fmt_num(r["unmetered"], 0), fmt_num(r["unmetered_pct"], 1))
    console.print(t)


@meter_app.command("virtual")
@friendly
def meter_virtual(enterprise: Annotated[str, typer.Argument(help="Credit code of the enterprise it belongs to.")],
                  code: Annotated[str, typer.Argument(help="The virtual meter's code.")],
                  formula: Annotated[str, typer.Option("--formula", help="Numbers, {METER} codes, + - * / and "
                                                       "parentheses, e.g. \"0.35 * {UTIL-STEAM}\".")],
                  name: Annotated[str | None, typer.Option("--name")] = None, home: HomeOption = None) -> None:
    """Add a virtual meter (虚拟表): a formula over other meters, for allocating a shared supply; shown beside the
    enterprise's meters, never summed into its accounts."""
    from nengtan.engine.virtualmeters import add_virtual

    out = add_virtual(_stores(home).registry, "cli", enterprise, code, name or code, formula)
    console.print(say("virtual.added", code=out["code"], enterprise=out["enterprise"], formula=out["formula"],
                      carrier=out["carrier"], unit=out["unit"]), highlight=False)


@meter_app.command("monthly")
@friendly
def meter_monthly_cmd(enterprise: Annotated[str, typer.Argument(help="Credit code.")],
                      meter: Annotated[str, typer.Argument(help="Meter code (a virtual meter's too).")],
                      year: YearOption = None, home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """A meter's use per month; a virtual meter's with the parts its formula takes."""
    from nengtan.engine.cockpit import meter_monthly
    from nengtan.engine.curves import meter_of
    from nengtan.engine.virtualmeters import virtual_monthly
    from nengtan.errors import NotFoundError

    stores = _stores(home)
    y = _year(stores, year)
    try:
        m = meter_of(stores, enterprise, meter)
        out: dict[str, Any] = {"code": meter, "unit": m.unit, "kind": m.kind, "year": y,
                               "monthly": meter_monthly(stores, y, meter, m.kind)}
    except NotFoundError:
        out = virtual_monthly(stores, enterprise, meter, y)
    if check_format(fmt) == "json":
        print_json(out)
        return
    parts = list(out.get("meters", []))
    t = Table(title=f"{meter} {y} ({out['unit']})" + (f" = {out['formula']}" if "formula" in out else ""))
    for c in (tr("month"), *parts, tr("use")):
        t.add_column(c, justify="right")
    for r in out["monthly"]:
        t.add_row(r["period"], *(fmt_num(r["parts"][c], 0) for c in parts), fmt_num(r["quantity"], 2))
    console.print(t)


@alarms_app.command("rule")
@friendly
def alarm_rule(enterprise: Annotated[str, typer.Argument(help="Credit code.")],
               meter: Annotated[str, typer.Argument(help="Meter code.")],
               demand: Annotated[float | None, typer.Option("--demand", help="Demand limit [kW].")] = None,
               sigma: Annotated[float | None, typer.Option("--sigma", help="Abnormal: standard deviations from "
                                                           "the meter's own profile (1-10).")] = None,
               missing: Annotated[int | None, typer.Option("--missing", help="Missing data after this many "
                                                           "minutes.")] = None,
               home: HomeOption = None) -> None:
    """Set a meter's alarm thresholds (none given: remove its rule)."""
    from nengtan.engine.alarms import set_rule

    out = set_rule(_stores(home).registry, "cli", enterprise, meter, demand, sigma, missing)
    console.print(say("alarm.rule", meter=meter, rule=out["rule"] or say("alarm.rule_removed")), highlight=False)


@alarms_app.command("rules")
@friendly
def alarm_rules(home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Every meter's alarm rule."""
    from nengtan.engine.alarms import rules_of

    rows = rules_of(_stores(home).registry)
    if check_format(fmt) == "json":
        print_json(rows)
        return
    t = Table(title=tr("alarm rules"))
    for c in ("meter", "enterprise", "demand kW", "sigma", "missing min"):
        t.add_column(tr(c))
    for r in rows:
        t.add_row(r["meter"], r["uscc"], fmt_num(r["demand_kw"], 1), fmt_num(r["sigma"], 1),
                  "" if r["missing_minutes"] is None else str(r["missing_minutes"]))
    console.print(t)


@alarms_app.command("list")
@friendly
def alarm_list(all_: Annotated[bool, typer.Option("--all", help="Cleared alarms too.")] = False,
               limit: Annotated[int, typer.Option("--limit")] = 100,
               home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Live alarms, newest first (open ones unless --all)."""
    from nengtan.engine.alarms import alarms

    rows = alarms(_stores(home).registry, None, not all_, limit)
    if check_format(fmt) == "json":
        print_json(rows)
        return
    t = Table(title=tr("live alarms"))
    for c in ("id", "kind", "enterprise", "meter", "first seen", "count", "alarm", "cleared"):
        t.add_column(tr(c))
    for a in rows:
        t.add_row(str(a["id"]), pick(a["kind"], a["kind_zh"]), a["enterprise"], a["meter"], a["first_ts"],
                  str(a["count"]), pick(a["message_en"] or a["message"], a["message"]), a["cleared_at"] or "")
    console.print(t)


@alarms_app.command("check")
@friendly
def alarm_check(since: Annotated[str | None, typer.Option("--since", help="First check the readings stored since "
                                                          "this day (YYYY-MM-DD) against the rules.")] = None,
                notify: Annotated[bool, typer.Option("--notify/--quiet", help="Tell subscribers of new alarms.")]
                = True, home: HomeOption = None) -> None:
    """Check the watched meters for missing data now (the MQTT ingester does this every minute), after the readings
    stored since a day when asked, and tell of what is new."""
    from nengtan.calendar import park_midnight
    from nengtan.engine.alarms import AlarmWatch

    stores = _stores(home)
    watch = AlarmWatch(stores.registry, stores.lake, notify=notify)
    try:
        opened = watch.replay(park_midnight(dt.date.fromisoformat(since)), dt.datetime.now(dt.UTC)) if since else []
        opened += watch.check_missing()
    finally:
        watch.close()
    console.print(say("alarm.new", n=len(opened)) + "".join(f"\n  {pick(a['message_en'], a['message'])}"
                                                            for a in opened), highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(tariff_app, name="tariff")
    app.command("cost")(cost_cmd)
    app.add_typer(storage_app, name="storage")
    app.add_typer(meter_app, name="meter")
    app.add_typer(alarms_app, name="alarms")
