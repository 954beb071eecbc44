"""Online monitoring: data gateways (采集网关), the meters each owns, and the stored data-quality
results per meter-day.

Tokens are never stored, only their SHA-256: a token is 32 random bytes, so a fast hash is
enough (no password stretching needed for high-entropy secrets).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class Gateway(Base):
    """A data gateway (采集网关) that sends readings of the meters it owns, over MQTT or HTTP."""

    __tablename__ = "gateway"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), nullable=True, index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class GatewayMeter(Base):
    """Ownership: a gateway may write readings of this meter (and of no other)."""

    __tablename__ = "gateway_meter"
    __table_args__ = (UniqueConstraint("gateway_id", "meter_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gateway_id: Mapped[int] = mapped_column(ForeignKey("gateway.id"), index=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"), index=True)


class QualityDay(Base):
    """Completeness of one meter on one Asia/Shanghai calendar day (online-monitoring rule: ≥ 90 %)."""

    __tablename__ = "quality_day"
    __table_args__ = (UniqueConstraint("meter_id", "day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    expected: Mapped[int] = mapped_column(Integer)
    received: Mapped[int] = mapped_column(Integer)
    estimated: Mapped[int] = mapped_column(Integer, default=0)
    completeness: Mapped[float] = mapped_column(Float)
    complete: Mapped[bool] = mapped_column(Boolean)
    total: Mapped[float | None] = mapped_column(Float, nullable=True)  # measured consumption that day
    total_estimated: Mapped[float] = mapped_column(Float, default=0.0)
    data_version: Mapped[int] = mapped_column(Integer, default=0)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class QualityFlag(Base):
    """One finding of a data-quality rule (off-grid, future, before install, spike, stuck, negative,
    reset, rollover, statement mismatch), for a meter (and a reading time where there is one)."""

    __tablename__ = "quality_flag"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meter_id: Mapped[int | None] = mapped_column(ForeignKey("meter.id"), nullable=True, index=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), nullable=True, index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    rule: Mapped[str] = mapped_column(String(32))
    ts: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
