"""``nengtan upward``: reporting to the province with store and forward (issue 14, docs/upward.md)."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from nengtan.cli.common import FormatOption, HomeOption, Table, UserError, check_format, console, friendly, print_json
from nengtan.cli.say import say, tr

upward_app = typer.Typer(help="Upward reporting: online-monitoring items and monthly deposits, store and forward.",
                         no_args_is_help=True)
Kind = Annotated[str, typer.Option("--kind", help="energy (online monitoring) or deposit (carbon market).")]
Period = Annotated[str, typer.Option("--period", help="The month, YYYY-MM.")]


@upward_app.command("show")
@friendly
def show_cmd(kind: Kind, enterprise: Annotated[str, typer.Option("--enterprise")], period: Period,
             home: HomeOption = None) -> None:
    """The payload an enterprise-month would send (JSON), without queueing it."""
    from nengtan.engine import open_local
    from nengtan.engine.upward import payload

    print_json(payload(open_local(home)[1], kind, enterprise.strip().upper(), period))


@upward_app.command("queue")
@friendly
def queue_cmd(kind: Kind, period: Period,
              enterprise: Annotated[str | None, typer.Option("--enterprise", help="One enterprise (default: every "
                                                             "key energy-using unit for energy, every key emitter "
                                                             "for deposit).")] = None,
              home: HomeOption = None) -> None:
    """Queue the month's messages in the outbox (durably; the same content is never queued twice)."""
    from sqlalchemy import select

    from nengtan.engine import open_local
    from nengtan.engine.upward import enqueue
    from nengtan.registry.tables.park import Enterprise

    if kind not in ("energy", "deposit"):
        raise UserError.said("upward.kind_energy_or_deposit", kind=kind)
    stores = open_local(home)[1]
    if enterprise:
        targets = [enterprise.strip().upper()]
    else:
        flag = Enterprise.key_energy_unit if kind == "energy" else Enterprise.key_emission_unit
        with stores.registry.session() as s:
            targets = list(s.execute(select(Enterprise.uscc).where(flag.is_(True)).order_by(Enterprise.uscc))
                           .scalars())
    new = sum(enqueue(stores, kind, u, period)["new"] for u in targets)
    console.print(say("upward.queued", new=new, already=len(targets) - new), highlight=False)


@upward_app.command("push")
@friendly
def push_cmd(url: Annotated[str | None, typer.Option("--url", help="The endpoint (default NENGTAN_UPWARD_URL).")]
             = None,
             ca: Annotated[str | None, typer.Option("--ca", help="CA bundle for the endpoint's certificate "
                                                    "(default NENGTAN_UPWARD_CA, else the system's).")] = None,
             loop: Annotated[bool, typer.Option("--loop", help="Keep pushing until nothing is left queued.")] = False,
             interval: Annotated[float, typer.Option("--interval", help="Seconds between rounds with --loop.")]
             = 1.0,
             home: HomeOption = None) -> None:
    """Send the messages due, oldest first; a failure is retried with back-off, a refusal kept aside."""
    from nengtan.engine import open_local
    from nengtan.engine.upward import endpoint, outbox, push

    env_url, env_ca = endpoint()
    target = url or env_url
    if not target:
        raise UserError.said("upward.no_endpoint_url_or")
    reg = open_local(home)[1].registry
    verify: str | bool = ca or env_ca
    while True:
        c = push(reg, target, verify)
        console.print(say("upward.pushed", sent=c["sent"], rejected=c["rejected"], retry=c["retry"]), highlight=False)
        if not loop or not outbox(reg, "queued"):
            break
        time.sleep(interval)


@upward_app.command("status")
@friendly
def status_cmd(home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """The outbox: each message's key, state, attempts, next attempt and last error."""
    from nengtan.engine import open_local
    from nengtan.engine.upward import outbox

    rows = outbox(open_local(home)[1].registry)
    if check_format(fmt) == "json":
        print_json(rows)
        return
    t = Table(title=tr("upward outbox"))
    for c in ("id", "key", "status", "attempts", "next attempt", "last error"):
        t.add_column(tr(c, "field"))
    for r in rows:
        t.add_row(str(r["id"]), r["key"], r["status"], str(r["attempts"]), r["next_attempt_at"][:19],
                  (r["last_error"] or "")[:60])
    console.print(t)


@upward_app.command("requeue")
@friendly
def requeue_cmd(message: Annotated[int, typer.Argument(help="The refused message's id.")],
                home: HomeOption = None) -> None:
    """Queue a refused message again (after the cause was fixed)."""
    from nengtan.engine import open_local
    from nengtan.engine.upward import requeue

    requeue(open_local(home)[1].registry, message)
    console.print(say("upward.requeued", message=message), highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(upward_app, name="upward")
