"""What goes in and out through the service: files uploaded for an enterprise, and the park
figures published for the public (frozen snapshots).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class Upload(Base):
    """An interchange file uploaded through the service, tied to the enterprise it was for."""

    __tablename__ = "upload"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    batch_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(500))
    uploaded_by: Mapped[str] = mapped_column(String(100))
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_ok: Mapped[int] = mapped_column(Integer, default=0)
    rows_bad: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str] = mapped_column(Text, default="[]")  # per-row results, JSON
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Publication(Base):
    """Park figures the administrator has published for the public (a frozen snapshot)."""

    __tablename__ = "publication"
    __table_args__ = (UniqueConstraint("year", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(200))
    payload: Mapped[str] = mapped_column(Text)  # JSON
    published_by: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class EsgPublication(Base):
    """The items of its ESG data pack an enterprise chose to publish for a year (a frozen snapshot); only these
    reach the public page. A new publication is a new version; withdrawing one keeps it, marked."""

    __tablename__ = "esg_publication"
    __table_args__ = (UniqueConstraint("enterprise_id", "year", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)
    items: Mapped[str] = mapped_column(Text)  # JSON: the published items with their values
    published_by: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
