"""Carbon assets held on the platform (issue 12): allowance movements and CCER lots of the enterprises in the
national carbon market, and each compliance year's verified emissions and deadline. Every movement is also a
double-entry leaf of the tamper-evident ledger (nengtan.engine.carbonassets)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class ComplianceYear(Base):
    """An enterprise's compliance year: its verified emissions (the obligation) and the deadline."""

    __tablename__ = "compliance_year"
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    verified_t: Mapped[float | None] = mapped_column(Float, nullable=True)
    deadline: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    settled: Mapped[bool] = mapped_column(Boolean, default=False)
    verification_id: Mapped[int | None] = mapped_column(ForeignKey("verification_record.id"), nullable=True)


class AllowanceMovement(Base):
    """One movement of allowances (CEA) into or out of an enterprise's account for a compliance year."""

    __tablename__ = "allowance_movement"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # pre_allocation, true_up, carry_in, buy, sell, surrender, carry_out
    tonnes: Mapped[float] = mapped_column(Float)
    counterparty: Mapped[str] = mapped_column(String(100), default="")
    ledger_seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class CcerLot(Base):
    """CCERs of one serial range held by an enterprise."""

    __tablename__ = "ccer_lot"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial: Mapped[str] = mapped_column(String(80), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    project: Mapped[str] = mapped_column(String(200))
    methodology: Mapped[str] = mapped_column(String(80))
    vintage: Mapped[int] = mapped_column(Integer)
    tonnes: Mapped[float] = mapped_column(Float)
    project_in_boundary: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="held")  # held | listed | surrendered
    used_for: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the compliance year
    ledger_seq: Mapped[int] = mapped_column(Integer)


class EnergyRightMovement(Base):
    """One movement of energy-use rights (用能权, tce) of an enterprise for a year: allocation, purchase, sale or
    surrender, as the province's paid-use and trading scheme records it."""

    __tablename__ = "energy_right_movement"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # allocation, buy, sell
    tce: Mapped[float] = mapped_column(Float)
    counterparty: Mapped[str] = mapped_column(String(100), default="")
    ledger_seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
