"""Enterprise ratings (issue 12): the park's own versions of a rating method (weights and thresholds as data),
rating runs kept with the version that made them, and carbon credit points (碳积分), each grant or spend also a
leaf of the tamper-evident ledger."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class RatingMethodVersion(Base):
    """A version of a rating method the park adopted (its parameters as JSON, with source and status); the
    packaged versions are in nengtan/ratings/data."""

    __tablename__ = "rating_method_version"
    __table_args__ = (UniqueConstraint("method", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    params: Mapped[str] = mapped_column(Text)  # JSON
    adopted_by: Mapped[str] = mapped_column(String(100))
    adopted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class RatingRun(Base):
    """A rating of every enterprise for a year, kept as it was issued: the method version, factor set and data
    version that made it, and the results (JSON)."""

    __tablename__ = "rating_run"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(40), index=True)
    version: Mapped[int] = mapped_column(Integer)
    year: Mapped[int] = mapped_column(Integer)
    factor_set: Mapped[str] = mapped_column(String(100))
    data_version: Mapped[str] = mapped_column(String(200))
    results: Mapped[str] = mapped_column(Text)  # JSON
    issued_by: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    ledger_seq: Mapped[int] = mapped_column(Integer)


class PointsEntry(Base):
    """Carbon credit points (碳积分) earned (positive) or spent / expired (negative) by an enterprise, under a
    rule of the points method; an earned entry expires on its date unless spent before."""

    __tablename__ = "points_entry"
    __table_args__ = (UniqueConstraint("enterprise_id", "year", "rule", "kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)  # the year earned for (spends and expiries: the year they happen)
    kind: Mapped[str] = mapped_column(String(10))  # earn | spend | expire
    rule: Mapped[str] = mapped_column(String(60))  # the earning rule, or the spend's reference
    points: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(40))  # e.g. carbon_points@v1
    basis: Mapped[str] = mapped_column(Text)  # JSON: the inputs that earned it, or the spend's purpose
    expires_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    ledger_seq: Mapped[int] = mapped_column(Integer)
