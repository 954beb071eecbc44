"""Events and how each channel tells of them, pure.

An event has a kind (``warnings``, ``quality``, ``certificates``, ``compliance``, ``alarms``), a key that names
it for good (the same event found again is not told twice), the enterprise it concerns (None: the park), a
severity and a text in Chinese. The webhook bodies follow the group robots' published message formats: 企业微信
``{"msgtype": "markdown", "markdown": {"content": …}}``, 钉钉 ``{"msgtype": "markdown", "markdown": {"title": …,
"text": …}}``; the generic one is nengtan's own JSON (``nengtan-notify/1``: the events as fields)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from nengtan.i18n import names, pair

KINDS = ("warnings", "quality", "certificates", "compliance", "alarms", "report_inventory", "report_targets")
REPORT_KINDS = ("report_inventory", "report_targets")
"""Scheduled reports: the month's inventory workbook, and the targets and warnings workbook, sent by e-mail on the
subscription's day of the month (nengtan.engine.notify.queue_reports)."""
KIND_ZH = names("notify_kinds")
SEVERITY_ZH = names("notify_severities")


@dataclass(frozen=True)
class Event:
    kind: str
    key: str
    uscc: str | None  # the enterprise concerned; None: the park (or the place)
    severity: str  # red | yellow | info
    title: str  # Chinese, one line
    text: str  # Chinese, the reason in words

    def line(self) -> str:
        return pair("note.notify:line", severity=SEVERITY_ZH.get(self.severity, self.severity), title=self.title,
                    text=self.text)[1]


def subject(events: list[Event], park: str) -> str:
    """An e-mail subject (and robot title) for one event or a digest."""
    if len(events) == 1:
        e = events[0]
        return pair("note.notify:subject", park=park, kind=KIND_ZH.get(e.kind, e.kind), title=e.title)[1]
    kinds = "、".join(dict.fromkeys(KIND_ZH.get(e.kind, e.kind) for e in events))
    return pair("note.notify:digest", park=park, n=len(events), kinds=kinds)[1]


def text(events: list[Event], park: str, link: str = "") -> str:
    """The plain-text body of an e-mail."""
    lines = [subject(events, park), ""] + [f"{i}. {e.line()}" for i, e in enumerate(events, start=1)]
    if link:
        lines += ["", pair("note.notify:details", link=link)[1]]
    return "\n".join(lines) + "\n"


def _markdown(events: list[Event], park: str, link: str) -> str:
    out = [f"**{subject(events, park)}**"] + [f"> {e.line()}" for e in events]
    if link:
        out.append(pair("note.notify:open", link=link)[1])
    return "\n".join(out)


def webhook_body(channel: str, events: list[Event], park: str, link: str = "") -> dict[str, Any]:
    """The JSON a channel's webhook takes: ``wecom``, ``dingtalk`` or ``webhook`` (generic)."""
    if channel == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": _markdown(events, park, link)}}
    if channel == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": subject(events, park), "text": _markdown(events, park,
                                                                                                      link)}}
    if channel == "webhook":
        return {"format": "nengtan-notify/1", "park": park, "subject": subject(events, park), "link": link,
                "events": [asdict(e) for e in events]}
    raise ValueError(f"channel {channel!r} is not email, wecom, dingtalk or webhook")
