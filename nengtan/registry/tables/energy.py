"""Energy-use budgets (用能预算, issue 14): versions of a year's energy budget allocated to enterprises on the
dual-control basis, and the energy reviews (节能审查) of new projects that draw on its reserve."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class EnergyBudget(Base):
    """One version of a year's energy budget [tce, dual-control basis] and its enterprise lines (JSON)."""

    __tablename__ = "energy_budget"
    __table_args__ = (UniqueConstraint("year", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(16))
    budget_tce: Mapped[float] = mapped_column(Float)
    reserve_tce: Mapped[float] = mapped_column(Float)
    parameters: Mapped[str] = mapped_column(Text, default="{}")
    lines: Mapped[str] = mapped_column(Text)  # JSON: uscc, enterprise, sector_code, allocated_tce, base_tce …
    approved_by: Mapped[str] = mapped_column(String(100))
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class EnergyReview(Base):
    """An energy review (节能审查) of a new project: its annual energy on the dual-control basis, the decision, and
    the project assessment it rests on."""

    __tablename__ = "energy_review"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    energy_tce: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(12))  # approved | rejected
    reason: Mapped[str] = mapped_column(Text)  # English
    reason_zh: Mapped[str | None] = mapped_column(Text, nullable=True)  # zh-CN (None: decided before 0020)
    approval_no: Mapped[str] = mapped_column(String(60), default="")
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("project_assessment.id"), nullable=True)
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
