"""Registry tables (the system of record), SQLAlchemy 2 declarative models.

Portable SQL only (SQLite embedded, PostgreSQL and compatible servers): no vendor types, no arrays.
Quantities are stored in the carrier's canonical unit (nengtan.units.CANONICAL_UNIT) next to what the
source file said (quantity_raw, unit_raw), so nothing a user sent is lost.
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
    func,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base shared by every registry model (core, ingest, targets, service)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Park(Base):
    __tablename__ = "park"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(32))


class Sector(Base):
    """GB/T 4754-2017 国民经济行业分类 code (division, group or class)."""

    __tablename__ = "sector"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))


class Enterprise(Base):
    __tablename__ = "enterprise"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    park_id: Mapped[int] = mapped_column(ForeignKey("park.id"))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    sector_code: Mapped[str] = mapped_column(String(8), index=True)
    province: Mapped[str] = mapped_column(String(32))
    key_energy_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    key_emission_unit: Mapped[bool] = mapped_column(Boolean, default=False)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    entered_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    left_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    meters: Mapped[list[Meter]] = relationship(back_populates="enterprise")


class Meter(Base):
    """A meter: cumulative counter, interval meter, or a monthly statement line.

    role ``main`` meters measure what the enterprise takes in (they are summed); ``sub`` meters hang
    below a parent and are never added to totals (master-submeter balance only).
    """

    __tablename__ = "meter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))  # counter | interval | statement
    role: Mapped[str] = mapped_column(String(8), default="main")  # main | sub
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("meter.id"), nullable=True)
    interval_s: Mapped[int] = mapped_column(Integer, default=900)
    rollover: Mapped[float | None] = mapped_column(Float, nullable=True)  # counter register maximum
    installed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    enterprise: Mapped[Enterprise] = relationship(back_populates="meters")


class EconomicData(Base):
    """工业增加值 / 工业总产值 per enterprise and month [万元]."""

    __tablename__ = "economic_data"
    __table_args__ = (UniqueConstraint("enterprise_id", "period", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    value_added: Mapped[float] = mapped_column(Float)
    gross_output: Mapped[float] = mapped_column(Float)
    value_added_constant: Mapped[float | None] = mapped_column(Float, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("import_batch.id"))


class Activity(Base):
    """Monthly activity data (statements or meter totals) in the carrier's canonical unit."""

    __tablename__ = "activity"
    __table_args__ = (UniqueConstraint("enterprise_id", "period", "carrier", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    carrier: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[float] = mapped_column(Float)
    """All the carrier consumed, raw-material use included (GB/T 2589-2020 综合能耗)."""
    unit: Mapped[str] = mapped_column(String(16))
    feedstock_quantity: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    """The part of ``quantity`` used as raw material (205-1 用作原料、材料), canonical unit."""
    feedstock_oxidised: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    """The enterprise says the feedstock's carbon leaves as CO2 (a process emission by carbon balance)."""
    quantity_raw: Mapped[float] = mapped_column(Float)
    unit_raw: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("import_batch.id"))


class ImportBatch(Base):
    """One imported file or batch; its raw bytes are kept under <home>/raw/<sha256>."""

    __tablename__ = "import_batch"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_ok: Mapped[int] = mapped_column(Integer, default=0)
    rows_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    rows_bad: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(100), default="cli")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class QuarantineRow(Base):
    """A rejected row, with where it came from and why; kept until a later batch supplies it."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("import_batch.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    file: Mapped[str] = mapped_column(String(500))
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(200), default="", index=True)  # what a later row resolves
    resolved_batch_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class FactorOverride(Base):
    """A park's own measured factor value (e.g. its gas supplier's NCV) with the evidence for it."""

    __tablename__ = "factor_override"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    parameter: Mapped[str] = mapped_column(String(64))
    carrier: Mapped[str] = mapped_column(String(32))
    family: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(32), default="")
    data_year: Mapped[str] = mapped_column(String(8), default="")
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    evidence: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[str] = mapped_column(String(10), default="")
    valid_to: Mapped[str] = mapped_column(String(10), default="")
    created_by: Mapped[str] = mapped_column(String(100), default="cli")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class YearLock(Base):
    """An enterprise-year signed off by a verifier: its data can no longer be edited, only re-versioned."""

    __tablename__ = "year_lock"
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    year: Mapped[int] = mapped_column(Integer)
    locked_by: Mapped[str] = mapped_column(String(100))
    locked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
