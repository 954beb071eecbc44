"""Third-party verification: the enterprise-years a verifier has signed off (locked: edited
only by re-versioning) and the verifiers' comments.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
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
