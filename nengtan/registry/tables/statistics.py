"""Statistics the platform does not measure itself, per year, for the park (no enterprise) or one enterprise:
land area, tax paid, sales revenue (the 亩均 evaluation) and the park evaluation's items. Each value keeps its
source and status; a correction is a new version with its reason, the old one kept inactive."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class Statistic(Base):
    __tablename__ = "statistic"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int | None] = mapped_column(ForeignKey("enterprise.id"), nullable=True, index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    item: Mapped[str] = mapped_column(String(60))
    place: Mapped[str] = mapped_column(String(40), default="park", server_default="park")
    """A park-level figure's place: ``park`` (the installation), ``park:<code>`` or ``region:<code>``."""
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(20))  # the item's canonical unit
    source: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="reported")  # reported | verified
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
