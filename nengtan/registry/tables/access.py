"""Who may do what: users, their roles and enterprises, and the append-only audit log.

The application never updates or deletes the audit log; the migration installs triggers that
make the database refuse UPDATE and DELETE on it, and every row carries the SHA-256 of its
predecessor (a hash chain) so that tampering is detectable (``nengtan.registry.audit.verify``).
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

ROLES = ("admin", "enterprise", "verifier", "public", "cert_auditor", "cert_decider")
"""park administrator, enterprise user, third-party verifier, public reader, a certification body's
auditor and its decision maker (both bound to their body by ``org``)."""
CERT_ROLES = ("cert_auditor", "cert_decider")


class User(Base):
    """A person who logs in. Passwords are stored only as an argon2id hash."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    sessions_valid_from: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    """Tokens issued before this are void: set when the password changes (ends every open session)."""
    org: Mapped[str | None] = mapped_column(String(40), nullable=True)
    """The certification body a cert_auditor or cert_decider works for (its code)."""
    place: Mapped[str | None] = mapped_column(String(60), nullable=True)
    """A staff member's place (``park:<code>`` or ``region:<code>``): they see only its enterprises and figures.
    None: the whole installation."""


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
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
