"""A park's own measured factor values (e.g. its gas supplier's NCV), kept with their evidence.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    DateTime,
    Float,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


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
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
