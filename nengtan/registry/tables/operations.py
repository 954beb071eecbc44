"""Energy cost and live monitoring (issue 15, items 7 and 4): the dated time-of-use tariff tables, the enterprises'
storage installations, the alarm rules of meters and the alarms they raised, and virtual meters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class TariffPeriod(Base):
    """One line of a time-of-use tariff table (分时电价): in the months listed, the hours [start_hour, end_hour) of
    park time are in ``band`` at ``price`` yuan/kWh, for days from ``valid_from`` until a later table of the same
    schedule takes over. Lines are never changed: a new table is loaded with a later ``valid_from``."""

    __tablename__ = "tariff_period"
    __table_args__ = (UniqueConstraint("schedule", "valid_from", "months", "start_hour"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule: Mapped[str] = mapped_column(String(60), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    months: Mapped[str] = mapped_column(String(40))  # comma-separated month numbers
    start_hour: Mapped[int] = mapped_column(Integer)
    end_hour: Mapped[int] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(8))  # sharp | peak | flat | valley
    price: Mapped[float] = mapped_column(Float)  # yuan/kWh
    source: Mapped[str] = mapped_column(Text)
    loaded_by: Mapped[str] = mapped_column(String(100))
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class StorageAsset(Base):
    """An enterprise's electricity storage (储能): usable capacity, power and round-trip efficiency."""

    __tablename__ = "storage_asset"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    capacity_kwh: Mapped[float] = mapped_column(Float)
    power_kw: Mapped[float] = mapped_column(Float)
    efficiency: Mapped[float] = mapped_column(Float)  # round trip, 0-1
    commissioned_on: Mapped[dt.date] = mapped_column(Date)


class AlarmRule(Base):
    """A meter's live-alarm thresholds: demand [kW], abnormal consumption (deviations from its own profile, in
    standard deviations) and missing data [minutes without a reading]; an empty threshold is not watched."""

    __tablename__ = "alarm_rule"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"), unique=True)
    demand_kw: Mapped[float | None] = mapped_column(Float, nullable=True)
    sigma: Mapped[float | None] = mapped_column(Float, nullable=True)
    missing_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Alarm(Base):
    """A live alarm: open from the first offending reading until a reading is back within its rule (``cleared_at``:
    that reading's instant);
    readings offending again while it is open are counted on it, not raised anew."""

    __tablename__ = "alarm"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meter_id: Mapped[int] = mapped_column(ForeignKey("meter.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # demand | abnormal | missing
    first_ts: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_ts: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    value: Mapped[float] = mapped_column(Float)
    limit: Mapped[float] = mapped_column(Float)
    count: Mapped[int] = mapped_column(Integer, default=1)
    message: Mapped[str] = mapped_column(Text)  # zh-CN
    message_en: Mapped[str | None] = mapped_column(Text, nullable=True)  # English (None: raised before 0020)
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    cleared_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)


class VirtualMeter(Base):
    """A virtual meter (虚拟表): a formula over other meters (nengtan.accounting.virtual), shown beside the enterprise's
    real meters for allocating a shared supply or naming what the sub-meters miss; it reads no readings of its own
    and is not summed into the accounts."""

    __tablename__ = "virtual_meter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    carrier: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str] = mapped_column(String(16))
    formula: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
