"""Third-party verification: the enterprise-years a verifier has signed off (locked: edited
only by re-versioning) and the verifiers' comments.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class YearLock(Base):
    """An enterprise-year signed off by a verifier: its data can no longer be edited, only re-versioned."""

    __tablename__ = "year_lock"
    __table_args__ = (UniqueConstraint("enterprise_id", "year"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    year: Mapped[int] = mapped_column(Integer)
    locked_by: Mapped[str] = mapped_column(String(100))
    locked_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # what was signed: the figures as the platform computed them then, and what made them
    signed_energy_tce: Mapped[float | None] = mapped_column(Float, nullable=True)
    signed_co2_t: Mapped[float | None] = mapped_column(Float, nullable=True)
    signed_data_version: Mapped[str | None] = mapped_column(String(200), nullable=True)
    signed_factor_set: Mapped[str | None] = mapped_column(String(200), nullable=True)
    statement: Mapped[str | None] = mapped_column(Text, nullable=True)


class VerifierComment(Base):
    """A verifier's comment on an enterprise-year (核查意见)."""

    __tablename__ = "verifier_comment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class VerificationRecord(Base):
    """A third-party verification result (碳核查) of an enterprise-year as imported: who verified it, under which
    guideline, the report file (kept by its SHA-256), and its totals. A new import of the same enterprise-year is a
    new version with a reason; the old one stays, inactive."""

    __tablename__ = "verification_record"
    __table_args__ = (UniqueConstraint("enterprise_id", "year", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    verifier: Mapped[str] = mapped_column(String(200))
    guideline: Mapped[str] = mapped_column(String(40))
    report_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    report_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    total_t: Mapped[float] = mapped_column(Float)
    scope1_t: Mapped[float] = mapped_column(Float)
    scope2_t: Mapped[float] = mapped_column(Float)
    covered_t: Mapped[float] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    imported_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    ledger_seq: Mapped[int] = mapped_column(Integer)


class VerificationLine(Base):
    """One emission source of a verification record (nengtan.assets.verification.VerifiedLine)."""

    __tablename__ = "verification_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("verification_record.id"), index=True)
    source: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(30))
    scope: Mapped[int] = mapped_column(Integer)
    activity: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit: Mapped[str] = mapped_column(String(20), default="")
    factor: Mapped[float | None] = mapped_column(Float, nullable=True)
    emissions_t: Mapped[float] = mapped_column(Float)
    covered: Mapped[bool] = mapped_column(Boolean)
