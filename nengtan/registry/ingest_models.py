"""Registry tables of the ingest area (issue 3): gateways, their tokens and meters, the 205-1 monthly
statement lines, and the stored data-quality results.

Portable SQL only (see nengtan.registry.models). Tokens are never stored, only their SHA-256: a token
is 32 random bytes, so a fast hash is enough (no password stretching needed for high-entropy secrets).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.models import Base, _now


class Gateway(Base):
    """A data gateway (采集网关) that sends readings of the meters it owns, over MQTT or HTTP."""

    __tablename__ = "gateway"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), nullable=True, index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class GatewayMeter(Base):
    """Ownership: a gateway may write readings of this meter (and of no other)."""

    __tablename__ = "gateway_meter"
    __table_args__ = (UniqueConstraint("gateway_id", "meter_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    gateway_id: Mapped[int] = mapped_column(ForeignKey("gateway.id"), index=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"), index=True)


class StatementLine(Base):
    """One energy line of a 205-1 能源购进、消费与库存 statement, in the form's own unit.

    ``raw_material_use`` (用作原料、材料) is part of the line's consumption and of 综合能耗; the activity
    row records it as its feedstock part, deducted only on the dual-control basis. ``coefficient_flag`` is
    set when the form's conversion coefficient disagrees with the factor library (the library value is
    used, the form's is kept).
    """

    __tablename__ = "statement_line"
    __table_args__ = (UniqueConstraint("enterprise_id", "period", "energy_code", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    energy_name: Mapped[str] = mapped_column(String(64))
    energy_code: Mapped[str] = mapped_column(String(8))
    carrier: Mapped[str | None] = mapped_column(String(32), nullable=True)
    unit: Mapped[str] = mapped_column(String(16))
    opening_stock: Mapped[float | None] = mapped_column(Float, nullable=True)
    purchase_quantity: Mapped[float | None] = mapped_column(Float, nullable=True)
    purchase_amount: Mapped[float | None] = mapped_column(Float, nullable=True)  # 千元 as on the form
    consumption_total: Mapped[float | None] = mapped_column(Float, nullable=True)
    industrial_use: Mapped[float | None] = mapped_column(Float, nullable=True)
    raw_material_use: Mapped[float | None] = mapped_column(Float, nullable=True)
    closing_stock: Mapped[float | None] = mapped_column(Float, nullable=True)
    coefficient: Mapped[float | None] = mapped_column(Float, nullable=True)  # tce per form unit
    library_coefficient: Mapped[float | None] = mapped_column(Float, nullable=True)
    coefficient_flag: Mapped[str | None] = mapped_column(Text, nullable=True)
    energy_quantity: Mapped[float | None] = mapped_column(Float, nullable=True)  # canonical unit, excl. raw
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("import_batch.id"))


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
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


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
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
