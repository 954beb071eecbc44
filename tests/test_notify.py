"""Notifications end to end: the month's warnings, quarantined rows, expiring certificates and compliance deadlines
reach their subscribers through a real SMTP server (aiosmtpd on loopback) and a local webhook receiver playing the
企业微信 and 钉钉 robots; each event is told once, a subscriber hears only of what their account may see, a failed
delivery is retried and recorded."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from nengtan.api.demo_users import ensure_demo_users
from nengtan.api.users import add_user
from nengtan.config import Paths
from nengtan.demo import SMALL, build_demo
from nengtan.engine.notify import deliver, deliveries, events, queue, subscribe
from nengtan.engine.stores import LocalStores
from nengtan.engine.targets import warning_run
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.notify.channels import SmtpSettings
from nengtan.registry.store import Registry
from tests.browser.conftest import adopt_targets_and_budget

YEAR = 2025


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[SmtpSettings, Mailbox]]:
    box = Mailbox()
    port = _port()
    ctl = Controller(box, hostname="127.0.0.1", port=port)
    ctl.start()
    yield SmtpSettings(host="127.0.0.1", port=port, sender="nengtan@park.example"), box
    ctl.stop()


class Hooks:
    """A webhook receiver: records each body by path; answers what `plan` says for a path (default 200 and the
    robots' {"errcode": 0})."""

    def __init__(self) -> None:
        self.bodies: dict[str, list[dict[str, Any]]] = {}
        self.plan: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                hooks.bodies.setdefault(self.path, []).append(body)
                planned = hooks.plan.get(self.path)
                status, answer = planned.pop(0) if planned else (200, {"errcode": 0, "errmsg": "ok"})
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *a: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", _port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def park(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Paths, Registry, LocalStores, str]]:
    paths = Paths(tmp_path_factory.mktemp("notify"))
    reg = Registry.open(f"sqlite:///{paths.sqlite}")
    build_demo(paths, reg, SMALL, minutes=60)
    ensure_demo_users(reg)
    adopt_targets_and_budget(reg, Lake(paths.lake))
    frame = warning_run(LocalStores(reg, Lake(paths.lake)), YEAR)["frame"]
    red = str(frame[(frame["level"] == "enterprise") & (frame["status"] == "red")]["subject"].iloc[0])
    with reg.session() as s:
        add_user(s, "test", "red-ent", "long-enough-pw", "enterprise", [red])
    bad = paths.home / "bad.csv"
    bad.write_text(f"uscc,period,carrier,quantity,unit\n{red},{YEAR}-03,diesel,-4,t\n", encoding="utf-8")
    assert import_file(reg, paths, "activity", bad).rows_bad == 1  # a quarantined row: a quality event
    yield paths, reg, LocalStores(reg, Lake(paths.lake)), red
    reg.close()


def _subject(msg: Any) -> str:
    return str(make_header(decode_header(msg["Subject"])))


def test_events_reach_their_subscribers_once(park, smtp) -> None:  # type: ignore[no-untyped-def]
    _paths, reg, stores, red = park
    settings, box = smtp
    hooks = Hooks()
    subscribe(reg, "test", "admin", ["warnings", "quality"], "email", "leader@park.example", digest=True)
    subscribe(reg, "test", "red-ent", ["warnings", "quality"], "wecom", f"{hooks.url}/wecom")
    subscribe(reg, "test", "admin", ["quality"], "dingtalk", f"{hooks.url}/dingtalk")
    subscribe(reg, "test", "admin", ["warnings"], "webhook", f"{hooks.url}/generic")
    found = events(stores, YEAR, today=dt.date(2026, 1, 10))
    frame = warning_run(stores, YEAR)["frame"]
    hot = frame[frame["status"].isin(["red", "yellow"])]
    warn = [e for e in found if e.kind == "warnings"]
    assert len(warn) == len(hot) and any(e.uscc == red and e.severity == "red" for e in warn)
    quality = [e for e in found if e.kind == "quality"]
    assert [e.uscc for e in quality] == [red] and "1 行数据被隔离" in quality[0].title

    new = queue(reg, found, "2025-12/run1", "演示园区")
    mine = [e for e in found if e.uscc == red]
    assert new == 1 + len(mine) + len(quality) + len(warn)  # digest, the enterprise's, dingtalk, generic
    assert deliver(reg, settings) == {"sent": new, "retry": 0, "rejected": 0}
    assert len(box.messages) == 1
    mail = box.messages[0]
    assert mail["To"] == "leader@park.example" and f"{len(warn) + len(quality)} 条提醒" in _subject(mail)
    body = mail.get_payload(decode=True).decode("utf-8")
    assert body.count("【红色】") == sum(e.severity == "red" for e in warn + quality)
    # the enterprise's robot hears of its own enterprise only, in WeCom's markdown format
    wecom = hooks.bodies["/wecom"]
    assert len(wecom) == len(mine) and all(b["msgtype"] == "markdown" for b in wecom)
    others = {e.uscc for e in found if e.uscc and e.uscc != red}
    names = {str(n) for n in frame[frame["subject"].isin(others)]["name"]}
    assert not any(n in b["markdown"]["content"] for b in wecom for n in names)
    assert hooks.bodies["/dingtalk"][0]["markdown"]["title"].startswith("[能碳·演示园区] 数据质量")
    assert {e["key"] for b in hooks.bodies["/generic"] for e in b["events"]} == {e.key for e in warn}
    # a second run finds the same events: nothing is told twice
    assert queue(reg, events(stores, YEAR, today=dt.date(2026, 1, 10)), "2025-12/run2", "演示园区") == 0
    assert deliver(reg, settings)["sent"] == 0 and len(box.messages) == 1


def test_failed_deliveries_are_retried_and_recorded(park, smtp) -> None:  # type: ignore[no-untyped-def]
    _paths, reg, stores, _red = park
    settings, box = smtp
    hooks = Hooks()
    hooks.plan["/busy"] = [(503, {}), (200, {"errcode": 0})]
    hooks.plan["/refused"] = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    subscribe(reg, "test", "red-ent", ["quality"], "webhook", f"{hooks.url}/busy")
    subscribe(reg, "test", "red-ent", ["quality"], "dingtalk", f"{hooks.url}/refused")
    found = [e for e in events(stores, YEAR, today=dt.date(2026, 1, 10)) if e.kind == "quality"]
    assert queue(reg, found, "q", "演示园区") == 2
    now = dt.datetime.now(dt.UTC)
    assert deliver(reg, settings, now=now) == {"sent": 0, "retry": 1, "rejected": 1}
    rows = {r["target"].rsplit("/", 1)[1]: r for r in deliveries(reg) if r["target"].startswith(hooks.url)}
    assert rows["busy"]["status"] == "queued" and rows["busy"]["attempts"] == 1
    assert rows["busy"]["last_error"].startswith("HTTP 503")
    assert rows["refused"]["status"] == "rejected" and "errcode 93000" in rows["refused"]["last_error"]
    assert deliver(reg, settings, now=now + dt.timedelta(seconds=1))["sent"] == 0  # not due yet (back-off)
    assert deliver(reg, settings, now=now + dt.timedelta(minutes=5)) == {"sent": 1, "retry": 0, "rejected": 0}
    assert len(hooks.bodies["/busy"]) == 2 and len(hooks.bodies["/refused"]) == 1
    # e-mail to a server that is down: retried later, nothing lost
    subscribe(reg, "test", "admin", ["quality"], "email", "ops@park.example")
    assert queue(reg, found, "q2", "演示园区") == 1
    down = SmtpSettings(host="127.0.0.1", port=_port(), timeout_s=2)
    later = dt.datetime.now(dt.UTC)
    assert deliver(reg, down, now=later)["retry"] == 1
    assert deliver(reg, settings, now=later + dt.timedelta(minutes=5))["sent"] == 1
    assert box.messages[-1]["To"] == "ops@park.example"


def test_a_bad_subscription_is_refused_with_its_reason(park) -> None:  # type: ignore[no-untyped-def]
    from nengtan.engine.notify import subscriptions
    from nengtan.errors import InputError, NotFoundError

    _paths, reg, _stores, _red = park
    held = len(subscriptions(reg))
    for kinds, channel, to, why in ((["weather"], "email", "a@b.cn", "kinds weather"),
                                    ([], "email", "a@b.cn", "kinds (none)"),
                                    (["warnings"], "sms", "a@b.cn", "channel 'sms'"),
                                    (["warnings"], "email", "not-an-address", "is not an e-mail address"),
                                    (["warnings"], "wecom", "ftp://robot", "is not a webhook URL")):
        with pytest.raises(InputError, match=re.escape(why)):
            subscribe(reg, "test", "admin", kinds, channel, to)
    with pytest.raises(NotFoundError, match="nobody"):
        subscribe(reg, "test", "nobody", ["warnings"], "email", "a@b.cn")
    assert len(subscriptions(reg)) == held  # nothing stored by a refusal


def test_the_watch_tells_each_event_once_without_anyone_starting_a_run(park, smtp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from nengtan.cli.main import app

    paths, reg, stores, red = park
    settings, box = smtp
    monkeypatch.setenv("NENGTAN_SMTP_HOST", settings.host)
    monkeypatch.setenv("NENGTAN_SMTP_PORT", str(settings.port))
    subscribe(reg, "test", "red-ent", ["warnings"], "email", "energy@red.example")
    mine = [e for e in events(stores, YEAR) if e.kind == "warnings" and e.uscc == red]
    before = len(box.messages)
    out = CliRunner().invoke(app, ["notify", "watch", "--every", "0.01", "--passes", "2", "--home", str(paths.home)])
    assert out.exit_code == 0, out.output
    lines = [line for line in out.output.splitlines() if "queued" in line]
    assert len(lines) == 2 and f"{YEAR}: events" in lines[0]
    new = [m for m in box.messages[before:] if m["To"] == "energy@red.example"]
    assert len(new) == len(mine) >= 1  # one message per event, and the second pass tells nothing again
    assert "queued 0," in lines[1]


def test_scheduled_reports_are_sent_once_a_month_with_the_engines_figures(park, smtp, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from nengtan.engine.accounts import inventory
    from nengtan.engine.notify import queue_reports
    from nengtan.errors import InputError

    _paths, reg, stores, _red = park
    settings, box = smtp
    sub = subscribe(reg, "test", "admin", ["report_inventory", "report_targets"], "email", "reports@park.example",
                    report_day=5)
    assert sub["report_day"] == 5
    assert queue_reports(stores, dt.date(2026, 1, 4), "演示园区", tmp_path) == 0  # before the 5th
    assert queue_reports(stores, dt.date(2026, 1, 6), "演示园区", tmp_path) == 2  # December 2025: both workbooks
    assert queue_reports(stores, dt.date(2026, 1, 20), "演示园区", tmp_path) == 0  # once a month
    before = len(box.messages)
    assert deliver(reg, settings)["sent"] >= 2
    mails = [m for m in box.messages[before:] if m["To"] == "reports@park.example"]
    assert sorted(_subject(m) for m in mails) == ["[能碳·演示园区] 月度能源与碳排放报告：2025年12月",
                                                  "[能碳·演示园区] 目标与预警月报：2025年12月"]
    mail = next(m for m in mails if "能源与碳排放" in _subject(m))
    [part] = [p for p in mail.walk() if p.get_filename()]
    assert part.get_filename() == "inventory-2025-12.xlsx"
    path = tmp_path / "sent.xlsx"
    path.write_bytes(part.get_payload(decode=True))
    cells = [c.value for ws in load_workbook(path, data_only=True) for row in ws.iter_rows() for c in row
             if isinstance(c.value, float)]
    december = inventory(stores, YEAR, month=12)
    assert any(v == pytest.approx(december.co2_t, rel=1e-9) for v in cells)  # the engine's December figure
    assert any(v == pytest.approx(december.energy_tce, rel=1e-9) for v in cells)
    with pytest.raises(InputError, match="e-mail only"):
        subscribe(reg, "test", "admin", ["report_inventory"], "wecom", "http://127.0.0.1:9/x")
    with pytest.raises(InputError, match="for its staff"):
        subscribe(reg, "test", "red-ent", ["report_targets"], "email", "x@red.example")
    with pytest.raises(InputError, match="1 to 28"):
        subscribe(reg, "test", "admin", ["report_inventory"], "email", "x@park.example", report_day=31)
