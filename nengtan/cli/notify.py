"""``nengtan notify``: subscriptions, finding events and sending them by e-mail and group-robot webhooks (issue 15,
docs/notify.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from nengtan.cli.common import FormatOption, HomeOption, Table, check_format, console, friendly, print_json
from nengtan.cli.say import page_word, say, tr

notify_app = typer.Typer(help="Notifications: warnings, data quality, certificate expiries and compliance deadlines "
                              "by e-mail and 企业微信/钉钉/webhook.", no_args_is_help=True)


def _smtp():  # type: ignore[no-untyped-def]
    from nengtan.config import smtp_settings
    from nengtan.notify.channels import SmtpSettings

    return SmtpSettings(**smtp_settings())  # type: ignore[arg-type]


@notify_app.command("subscribe")
@friendly
def subscribe_cmd(user: Annotated[str, typer.Argument(help="The user who hears of it.")],
                  kinds: Annotated[str, typer.Option("--kinds", help="warnings,quality,certificates,compliance,alarms; "
                                                     "scheduled reports: report_inventory,report_targets")],
                  channel: Annotated[str, typer.Option("--channel", help="email, wecom, dingtalk or webhook")],
                  target: Annotated[str, typer.Option("--to", help="E-mail address or webhook URL.")],
                  digest: Annotated[bool, typer.Option("--digest", help="One message per run instead of one per "
                                                       "event.")] = False,
                  report_day: Annotated[int | None, typer.Option("--day", help="Scheduled reports: the day of "
                                                                 "the month they are sent (1-28; default 1).")] = None,
                  home: HomeOption = None) -> None:
    """Subscribe a user to kinds of events by a channel (and the park's staff to monthly reports by e-mail)."""
    from nengtan.engine import open_local
    from nengtan.engine.notify import subscribe

    out = subscribe(open_local(home)[1].registry, "cli", user, [k.strip() for k in kinds.split(",") if k.strip()],
                    channel, target, digest, report_day)
    console.print(say("notify.subscribed", id=out["id"], user=user, kinds=tr(", ").join(map(_event, out["kinds"])),
                      channel=channel, target=target) + (tr(" (digest)") if digest else ""), highlight=False)


@notify_app.command("run")
@friendly
def run_cmd(year: Annotated[int | None, typer.Option("--year", help="The warning run's year (default: the newest "
                                                     "year with data).")] = None,
            month: Annotated[int | None, typer.Option("--month")] = None,
            today: Annotated[str | None, typer.Option("--today", help="As of this date (YYYY-MM-DD; default: "
                                                      "today).")] = None,
            home: HomeOption = None) -> None:
    """Find the events, queue a message for each subscriber (once per event) and send what is due."""
    from nengtan.engine import open_local
    from nengtan.engine.notify import run

    out = run(open_local(home)[1], _smtp(), year, month, dt.date.fromisoformat(today) if today else None)
    console.print(_summary(out), highlight=False)


def _summary(out: dict[str, object]) -> str:
    by_kind = out["events"]
    assert isinstance(by_kind, dict)
    events = tr(", ").join(f"{_event(k)} {v}" for k, v in sorted(by_kind.items())) or say("none")
    return say("notify.run", year=out["year"], events=events, queued=out["queued"], reports=out["reports"],
               sent=out["sent"], retry=out["retry"], rejected=out["rejected"])


def _event(kind: str) -> str:
    """An event kind (warnings, quality …) as the subscription pages word it (``web:ev_<kind>``)."""
    return page_word(f"ev_{kind}", kind)


@notify_app.command("watch")
@friendly
def watch_cmd(every: Annotated[float, typer.Option("--every", min=0.01, help="Minutes between passes.")] = 15.0,
              passes: Annotated[int | None, typer.Option("--passes", help="Stop after this many passes (default: "
                                                         "run until stopped).", hidden=True)] = None,
              home: HomeOption = None) -> None:
    """Run `notify run` every few minutes until stopped (Ctrl-C, or the service manager): subscribers hear of new
    warnings, refused rows, expiring certificates and compliance deadlines without anyone starting a run."""
    import time

    from nengtan.engine import open_local
    from nengtan.engine.notify import run

    stores, n = open_local(home)[1], 0
    try:
        while passes is None or n < passes:
            n += 1
            stores.invalidate()  # each pass sees what arrived since the last
            console.print(f"{dt.datetime.now():%Y-%m-%d %H:%M:%S} " + _summary(run(stores, _smtp())), highlight=False)
            if passes is None or n < passes:
                time.sleep(every * 60)
    except KeyboardInterrupt:
        console.print(say("notify.stopped"), highlight=False)


@notify_app.command("deliver")
@friendly
def deliver_cmd(home: HomeOption = None) -> None:
    """Send the queued messages that are due (retries included)."""
    from nengtan.engine import open_local
    from nengtan.engine.notify import deliver

    out = deliver(open_local(home)[1].registry, _smtp())
    console.print(say("notify.sent", sent=out["sent"], retry=out["retry"], rejected=out["rejected"]), highlight=False)


@notify_app.command("deliveries")
@friendly
def deliveries_cmd(status: Annotated[str | None, typer.Option("--status", help="queued, sent or rejected")] = None,
                   home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """The messages queued, sent and set aside, newest first, with their attempts and last error."""
    from nengtan.engine import open_local
    from nengtan.engine.notify import deliveries

    rows = deliveries(open_local(home)[1].registry, status)
    if check_format(fmt) == "json":
        print_json(rows)
        return
    t = Table(title=tr("deliveries"))
    for c in ("id", "channel", "to", "subject", "status", "attempts", "last error"):
        t.add_column(tr(c, "field"))
    for r in rows:
        t.add_row(str(r["id"]), r["channel"], r["target"], r["subject"], r["status"], str(r["attempts"]),
                  r["last_error"] or "")
    console.print(t)


def register(app: typer.Typer) -> None:
    app.add_typer(notify_app, name="notify")
