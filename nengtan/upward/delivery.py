"""Store and forward, pure: what an endpoint's answer means for a queued message, and when to try again.

A message stays in the outbox until the endpoint acknowledges it: 2xx, or 409 (it already holds that idempotency
key — the answer to a message resent after a crash between the endpoint's receipt and nengtan's record of it). A
4xx other than 408/409/429 is a refusal of the content: the message is set aside as ``rejected`` with the answer,
never dropped, and can be queued again after the cause is fixed. Anything else (5xx, 408, 429, no connection, a
timeout) is tried again after an exponential back-off: 2^attempts × the base, capped, with a deterministic jitter of
up to 10 % so that many nengtan instances do not retry in step.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

BASE_SECONDS = 5.0
CAP_SECONDS = 3600.0


def outcome(status: int | None) -> str:
    """``sent``, ``rejected`` or ``retry`` for an HTTP status (None: no answer)."""
    if status is not None and (200 <= status < 300 or status == 409):
        return "sent"
    if status is not None and 400 <= status < 500 and status not in (408, 429):
        return "rejected"
    return "retry"


def next_attempt(key: str, attempts: int, now: dt.datetime, base: float = BASE_SECONDS,
                 cap: float = CAP_SECONDS) -> dt.datetime:
    """When to try a message again after `attempts` failures."""
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    jitter = int(hashlib.sha256(f"{key}#{attempts}".encode()).hexdigest()[:4], 16) / 0xFFFF * 0.1
    return now + dt.timedelta(seconds=delay * (1 + jitter))


def record_attempt(row: Any, result: str, error: str | None, key: str, now: dt.datetime,
                   sent_at: dt.datetime | None = None) -> None:
    """One attempt's outcome on a queued row of an outbox (the upward outbox, the notifications' deliveries: each has
    ``status``, ``attempts``, ``next_attempt_at``, ``last_error`` and ``sent_at``): ``sent`` at ``sent_at`` (default
    ``now``), ``rejected`` with the error kept, or tried again after the back-off (:func:`next_attempt`)."""
    row.attempts += 1
    if result == "sent":
        row.status, row.sent_at = "sent", sent_at or now
    elif result == "rejected":
        row.status, row.last_error = "rejected", error
    else:
        row.last_error, row.next_attempt_at = error, next_attempt(key, row.attempts, now)
