"""The park's structure: the park, GB/T 4754-2017 sectors, enterprises, their meters, and the
enterprises' economic data (工业增加值 / 工业总产值).

Portable SQL only (SQLite embedded, PostgreSQL in a server deployment): no vendor types, no arrays.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from nengtan.registry.tables.base import Base


class Region(Base):
    """An administrative region above the parks: province → city → district/county (GB/T 2260 codes), each but
    the province with its parent (issue 14)."""

    __tablename__ = "region"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(12))  # province | city | district
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), nullable=True)


class Park(Base):
    __tablename__ = "park"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(32))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), nullable=True)  # the lowest region


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
