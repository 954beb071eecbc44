"""Service tables (issue 5): users, their enterprises, the audit log, verifier comments, publications.

Portable SQL only (SQLite embedded, PostgreSQL in a server deployment). The audit log is append-only:
the application never updates or deletes it, the migration installs triggers that make the database
refuse UPDATE and DELETE on it, and every row carries the SHA-256 of its predecessor (a hash chain)
so that tampering by someone with raw database access is detectable (``nengtan.api.audit.verify``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.models import Base

ROLES = ("admin", "enterprise", "verifier", "public")
"""park administrator, enterprise user, third-party verifier, public reader."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class User(Base):
    """A person who logs in. Passwords are stored only as an argon2id hash."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class UserEnterprise(Base):
    """Binds an enterprise user (or a verifier engaged by it) to an enterprise."""

    __tablename__ = "user_enterprise"
    __table_args__ = (UniqueConstraint("user_id", "enterprise_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)


class AuditEntry(Base):
    """One write, in order. ``seq`` is unique so concurrent writers cannot fork the chain."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class VerifierComment(Base):
    """A verifier's comment on an enterprise-year (核查意见)."""

    __tablename__ = "verifier_comment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


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
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


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
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
