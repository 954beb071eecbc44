"""Sending: e-mail over SMTP (the standard library's client) and webhooks over HTTP(S) (httpx). Each answers None
when the channel took the message, else what went wrong, and whether trying again may help (the upward outbox's
rule, nengtan.upward.delivery.outcome: a 4xx other than 408/409/429 is a refusal, not worth repeating)."""

from __future__ import annotations

import mimetypes
import smtplib
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx

from nengtan.upward.delivery import outcome


@dataclass(frozen=True)
class SmtpSettings:
    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "nengtan@localhost"
    starttls: bool = False
    username: str = ""
    password: str = ""
    timeout_s: float = 10.0


def send_email(smtp: SmtpSettings, to: str, subject: str, body: str, attachments: Sequence[Path] = ()
               ) -> tuple[str | None, bool]:
    """(None, _) when the server accepted the message; else (the error, whether to retry). ``attachments``: files
    sent with it (a scheduled report's workbook)."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = smtp.sender, to, subject
    msg.set_content(body, charset="utf-8")
    for path in attachments:
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        main, sub = kind.split("/", 1)
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_s) as client:
            if smtp.starttls:
                client.starttls()
            if smtp.username:
                client.login(smtp.username, smtp.password)
            client.send_message(msg)
        return None, False
    except smtplib.SMTPRecipientsRefused as exc:
        return f"recipient refused: {exc.recipients}", False
    except (smtplib.SMTPException, OSError) as exc:
        return f"{exc.__class__.__name__}: {exc}", True


def post_webhook(url: str, body: dict[str, Any], timeout_s: float = 10.0) -> tuple[str | None, bool]:
    """(None, _) when the webhook answered 2xx; else (the error, whether to retry)."""
    try:
        r = httpx.post(url, json=body, timeout=timeout_s)
    except httpx.HTTPError as exc:
        return f"{exc.__class__.__name__}: {exc}", True
    verdict = outcome(r.status_code)
    if verdict != "sent":
        return f"HTTP {r.status_code}: {r.text[:200]}", verdict == "retry"
    try:  # the group robots answer 200 with an error code of their own
        answer = r.json()
    except ValueError:
        return None, False
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if code:
        return f"errcode {code}: {str(answer.get('errmsg', ''))[:200]}", code in ROBOT_RATE_LIMITED
    return None, False


ROBOT_RATE_LIMITED = {45009, 130101}
"""The robots' "too many messages" codes (企业微信 45009, 钉钉 130101; recalled, to verify): worth trying again."""
