"""Notifications (issue 15): who wants to hear of what, by which channel, and every delivery with its attempts —
kept until the channel took it (store and forward, as the upward outbox)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class Subscription(Base):
    """A user's wish to hear of some kinds of events (warnings, quality, certificates, compliance) by e-mail or by
    a group robot's webhook (企业微信, 钉钉, or generic JSON), each event alone or a digest per run."""

    __tablename__ = "notify_subscription"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    kinds: Mapped[str] = mapped_column(String(200))  # comma-separated event kinds
    channel: Mapped[str] = mapped_column(String(12))  # email | wecom | dingtalk | webhook
    target: Mapped[str] = mapped_column(String(500))  # an e-mail address or a webhook URL
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    report_day: Mapped[int | None] = mapped_column(Integer, nullable=True)  # scheduled reports: day of the month
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Delivery(Base):
    """One message to one subscription: queued once per event (or digest) key, sent, retried or set aside."""

    __tablename__ = "notify_delivery"
    __table_args__ = (UniqueConstraint("subscription_id", "event_key"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("notify_subscription.id"), index=True)
    event_key: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)  # JSON: the events the message tells of
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)  # queued | sent | rejected
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
