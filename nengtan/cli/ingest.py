"""CLI commands for the ingest area: ``nengtan ingest mqtt|http|form205|gateway-add|compact`` and
``nengtan quality``."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from nengtan.cli.common import Table, UserError
from nengtan.cli.help_zh import error_line
from nengtan.cli.say import pick, say, tr, word
from nengtan.config import Paths, data_home, database_url
from nengtan.labels import CARRIERS, QUALITY_FLAGS

ingest_app = typer.Typer(help="Live meters (MQTT, HTTP), 205-1 statements, gateways, compaction.",
                         no_args_is_help=True)
out = Console(soft_wrap=True)

HomeOpt = Annotated[str | None, typer.Option("--home", help="data directory (default $NENGTAN_HOME or ./nengtan-data)")]
DbOpt = Annotated[str | None, typer.Option("--database-url", help="registry URL (default $NENGTAN_DATABASE_URL)")]


def _fail(error: str | UserError) -> None:
    """Print the error line in the CLI's language (a UserError's Chinese, or a domain error's from nengtan.messages)
    and exit 1."""
    typer.echo("".join(error_line(str(error), 400, getattr(error, "zh", None))), err=True)
    raise typer.Exit(1)


def _open(home: str | None, db: str | None):  # type: ignore[no-untyped-def]
    from nengtan.lake import Lake
    from nengtan.registry.store import Registry

    paths: Paths = data_home(home)
    try:
        reg = Registry.open(database_url(paths, db))
    except Exception as exc:  # a wrong URL or a database that is down: one line, no traceback
        _fail(UserError.said("ingest.cannot_open_registry", url=database_url(paths, db),
                             reason=str(exc).splitlines()[0]))
    return paths, reg, Lake(paths.lake)


def _month_carrier(key: str) -> str:
    """A quality report's ``<period>|<carrier>`` key, the carrier named in the CLI's language."""
    period, _, carrier = key.partition("|")
    return f"{period} {word(CARRIERS, carrier)}"


@ingest_app.command("mqtt")
def mqtt_cmd(host: str = "127.0.0.1", port: int = 1883,
             prefix: Annotated[str, typer.Option(help="topic prefix: <prefix>/gw/<gateway>/readings")] = "nengtan",
             client_id: Annotated[str, typer.Option(help="MQTT client id (the persistent session's name)")]
             = "nengtan-ingester",
             duration: Annotated[float | None, typer.Option(help="stop after this many seconds")] = None,
             home: HomeOpt = None, database_url_: DbOpt = None) -> None:
    """Subscribe to the gateways' topics (QoS 1, persistent session) and store readings exactly once."""
    from nengtan.engine.alarms import AlarmWatch
    from nengtan.ingest.mqtt import MqttConfig, MqttIngester

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    _, reg, lake = _open(home, database_url_)
    stats = MqttIngester(reg, lake, MqttConfig(host=host, port=port, prefix=prefix, client_id=client_id),
                         watch=AlarmWatch(reg, lake)).run(duration_s=duration)
    out.print(say("mqtt.done", messages=stats.messages, accepted=stats.accepted, duplicate=stats.duplicate,
                  rejected=stats.rejected))


@ingest_app.command("http")
def http_cmd(host: str = "127.0.0.1", port: int = 8081, home: HomeOpt = None, database_url_: DbOpt = None) -> None:
    """Serve POST /ingest/readings for gateways that cannot speak MQTT (token per gateway)."""
    import uvicorn

    from nengtan.engine.alarms import AlarmWatch
    from nengtan.ingest.http import create_app

    _, reg, lake = _open(home, database_url_)
    uvicorn.run(create_app(reg, lake, watch=AlarmWatch(reg, lake)), host=host, port=port, log_level="info")


@ingest_app.command("form205")
def form205_cmd(file: Path,
                enterprise: Annotated[str | None, typer.Option(help="USCC, if the form does not show it")] = None,
                period: Annotated[str | None, typer.Option(help="YYYY-MM, if the form does not show it")] = None,
                factor_set: str = "cn",
                feedstock_oxidised: Annotated[bool, typer.Option(
                    "--feedstock-oxidised", help="The raw-material use's carbon leaves as CO2 (process emission "
                    "by carbon balance) rather than staying in the products.")] = False,
                home: HomeOpt = None, database_url_: DbOpt = None) -> None:
    """Import a monthly 205-1 能源购进、消费与库存 statement (XLSX)."""
    from nengtan.identifiers import IdentifierError
    from nengtan.ingest.form205 import Form205Error, import_form205

    if not file.exists():
        _fail(UserError.said("common.no_such_file", path=file))
    paths, reg, _ = _open(home, database_url_)
    try:
        res = import_form205(reg, file, enterprise, period, factor_set, raw_dir=paths.raw,
                             feedstock_oxidised=feedstock_oxidised)
    except (Form205Error, IdentifierError) as exc:
        _fail(str(exc))
        return
    if res.duplicate:
        out.print(say("form205.duplicate", file=file.name, batch=res.batch_id))
        return
    out.print(say("form205.imported", file=file.name, uscc=res.uscc, period=res.period, lines=res.lines,
                  quarantined=res.quarantined, batch=res.batch_id))
    for carrier, q in sorted(res.activity.items()):
        raw = res.raw_material.get(carrier)
        out.print(f"  {word(CARRIERS, carrier)}: {q:,.3f} " + (say("form205.raw", raw=f"{raw:,.3f}") if raw else ""))
    for f in res.flags:
        out.print(f"  [yellow]{tr('flag:')}[/yellow] {f}", highlight=False)
    for n in res.notes:
        out.print(f"  {tr('note:')} {n}", highlight=False)


@ingest_app.command("gateway-add")
def gateway_add_cmd(code: str, meter: Annotated[list[str], typer.Option("--meter", help="meter code (repeat)")],
                    enterprise: Annotated[str | None, typer.Option(help="owner's USCC")] = None,
                    home: HomeOpt = None, database_url_: DbOpt = None) -> None:
    """Register a gateway and the meters it may write; prints its token once."""
    from nengtan.ingest.gateways import GatewayError, add_gateway

    _, reg, _ = _open(home, database_url_)
    try:
        token = add_gateway(reg, code, meter, enterprise)
    except GatewayError as exc:
        _fail(str(exc))
        return
    out.print(say("gateway.added", code=code, n=len(meter), token=token))


@ingest_app.command("compact")
def compact_cmd(home: HomeOpt = None) -> None:
    """Merge small lake files per partition (readings stay visible exactly once throughout)."""
    from nengtan.lake import Lake
    from nengtan.lake.compaction import Compactor

    done = Compactor(Lake(data_home(home).lake)).run_once()
    out.print(say("compact.done", removed=sum(len(c.removed) for c in done), files=len(done),
                  readings=sum(c.rows for c in done)))


def quality_cmd(year: Annotated[int, typer.Option("--year")],
                month: Annotated[int | None, typer.Option("--month")] = None,
                enterprise: Annotated[str | None, typer.Option("--enterprise", help="USCC")] = None,
                fill_gaps: Annotated[bool, typer.Option("--fill-gaps", help="write flagged estimates for gaps")]
                = False,
                home: HomeOpt = None, database_url_: DbOpt = None) -> None:
    """Data quality per meter and per enterprise (online-monitoring rules), stored in the registry."""
    from nengtan.i18n import Both
    from nengtan.identifiers import IdentifierError, validate_uscc
    from nengtan.ingest.quality import compute
    from nengtan.reasons import in_chinese

    if month is not None and not 1 <= month <= 12:
        _fail(UserError.said("ingest.month_not_1_12", month=month))
    if enterprise:
        try:
            enterprise = validate_uscc(enterprise)
        except IdentifierError as exc:
            _fail(UserError.said("ingest.bad_enterprise", reason=Both(exc, in_chinese(str(exc)) or exc)))
    _, reg, lake = _open(home, database_url_)
    rep = compute(reg, lake, year, month, enterprise, fill_gaps=fill_gaps)
    if not rep.meters:
        _fail(UserError.said("ingest.no_meters_for", enterprise=enterprise) if enterprise
              else UserError.said("ingest.no_meters"))
    t = Table(title=say("quality.title", period=f"{year}" + (f"-{month:02d}" if month else "")))
    for c in ("meter", "enterprise", "carrier", "days complete (≥90%)", "points", "measured", "estimated", "flags"):
        t.add_column(tr(c))
    for m in rep.meters:
        t.add_row(m.code, m.uscc, word(CARRIERS, m.carrier), f"{m.complete_days}/{m.days}",
                  f"{m.received}/{m.expected} ({m.completeness:.0%})", f"{m.total:,.1f}",
                  f"{m.total_estimated:,.1f} ({m.estimated})",
                  tr(", ").join(f"{word(QUALITY_FLAGS, k)} {v}" for k, v in sorted(m.flags.items())) or "-")
    out.print(t)
    e_t = Table(title=tr("per enterprise"))
    for c in ("enterprise", "meters", "days complete", "main meters measured", "of which estimated",
              "statement check (±5%)", "flags"):
        e_t.add_column(tr(c))
    for e in rep.enterprises:
        meas = tr(", ").join(f"{_month_carrier(k)}: {v:,.1f}" for k, v in sorted(e.measured.items()) if v) or "-"
        est = tr(", ").join(f"{_month_carrier(k)}: {v:,.1f}" for k, v in sorted(e.estimated.items()) if v) or "0"
        e_t.add_row(f"{e.name} {e.uscc}", str(e.meters), f"{e.complete_days}/{e.days}", meas, est,
                    pick("; ".join(e.mismatches), "；".join(e.mismatches_zh))
                    or (tr("ok") if e.statement else tr("no statement")),
                    tr(", ").join(f"{word(QUALITY_FLAGS, k)} {v}" for k, v in sorted(e.flags.items())) or "-")
    out.print(e_t)
    if rep.filled:
        out.print(say("quality.filled", n=rep.filled))


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    app.add_typer(ingest_app, name="ingest")
    app.command("quality")(quality_cmd)
