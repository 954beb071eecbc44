"""Events and how each channel tells of them, pure.

An event has a kind (``warnings``, ``quality``, ``certificates``, ``compliance``, ``alarms``), a key that names
it for good (the same event found again is not told twice), the enterprise it concerns (None: the park), a
severity and a text in Chinese. The webhook bodies follow the group robots' published message formats: 企业微信
``{"msgtype": "markdown", "markdown": {"content": …}}``, 钉钉 ``{"msgtype": "markdown", "markdown": {"title": …,
"text": …}}``; the generic one is nengtan's own JSON (``nengtan-notify/1``: the events as fields)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

KINDS = ("warnings", "quality", "certificates", "compliance", "alarms", "report_inventory", "report_targets")
REPORT_KINDS = ("report_inventory", "report_targets")
"""Scheduled reports: the month's inventory workbook, and the targets and warnings workbook, sent by e-mail on the
subscription's day of the month (nengtan.engine.notify.queue_reports)."""
KIND_ZH = {"warnings": "预警", "quality": "数据质量", "certificates": "证书到期", "compliance": "履约期限",
           "alarms": "实时告警", "report_inventory": "月度能源与碳排放报告", "report_targets": "目标与预警月报"}
SEVERITY_ZH = {"red": "红色", "yellow": "黄色", "info": "提示"}


@dataclass(frozen=True)
class Event:
    kind: str
    key: str
    uscc: str | None  # the enterprise concerned; None: the park (or the place)
    severity: str  # red | yellow | info
    title: str  # Chinese, one line
    text: str  # Chinese, the reason in words

    def line(self) -> str:
        return f"【{SEVERITY_ZH.get(self.severity, self.severity)}】{self.title}：{self.text}"


def subject(events: list[Event], park: str) -> str:
    """An e-mail subject (and robot title) for one event or a digest."""
    if len(events) == 1:
        e = events[0]
        return f"[能碳·{park}] {KIND_ZH.get(e.kind, e.kind)}：{e.title}"
    kinds = "、".join(dict.fromkeys(KIND_ZH.get(e.kind, e.kind) for e in events))
    return f"[能碳·{park}] {len(events)} 条提醒（{kinds}）"


def text(events: list[Event], park: str, link: str = "") -> str:
    """The plain-text body of an e-mail."""
    lines = [subject(events, park), ""] + [f"{i}. {e.line()}" for i, e in enumerate(events, start=1)]
    if link:
        lines += ["", f"详情：{link}"]
    return "\n".join(lines) + "\n"


def _markdown(events: list[Event], park: str, link: str) -> str:
    out = [f"**{subject(events, park)}**"] + [f"> {e.line()}" for e in events]
    if link:
        out.append(f"[打开平台]({link})")
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
