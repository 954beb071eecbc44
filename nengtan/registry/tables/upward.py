"""Upward reporting (issue 14): the outbox of messages to the province — each kept until the endpoint acknowledged
it, with its idempotency key, attempts and the next attempt's time (store and forward)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class OutboxMessage(Base):
    __tablename__ = "outbox_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)  # the idempotency key the receiver dedups on
    kind: Mapped[str] = mapped_column(String(20))  # energy | deposit
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    version: Mapped[int] = mapped_column(Integer, default=1)
    sha256: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # JSON
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)  # queued | sent | rejected
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    receipt: Mapped[str | None] = mapped_column(Text, nullable=True)  # what the endpoint answered
