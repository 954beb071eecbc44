"""Product footprints held on the platform, their certification and their sharing along a supply chain.

- ``footprint_record``: one computed (or imported) footprint of one declared unit of a product, with the
  engine's whole result (inventory, contributions, versions) as JSON; records are never edited: a new
  computation is a new record naming the one it replaces;
- ``cert_application`` / ``cert_step``: an application for a carbon-footprint label certificate and every
  step taken on it (who, when, outcome, note), in order;
- ``certificate`` / ``certificate_event``: an issued certificate, its validity and status, and every
  surveillance, suspension, reinstatement and withdrawal;
- ``footprint_request``: a customer's (chain leader's) request for a supplier's footprint, answered by
  the supplier's consent (a shared record) or refusal.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class FootprintRecord(Base):
    """A footprint of one declared unit of a product, as the engine computed it (or a PACT file stated it)."""

    __tablename__ = "footprint_record"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pf_id: Mapped[str] = mapped_column(String(36), unique=True)  # PACT ProductFootprint id (UUID)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    product: Mapped[str] = mapped_column(String(200))
    product_name: Mapped[str] = mapped_column(String(200))
    declared_unit: Mapped[str] = mapped_column(String(32))
    total_kgco2e: Mapped[float] = mapped_column(Float)
    fossil_kgco2e: Mapped[float] = mapped_column(Float)
    biogenic_kgco2e: Mapped[float] = mapped_column(Float)
    reference_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    model_digest: Mapped[str] = mapped_column(String(200))
    database_version: Mapped[str] = mapped_column(String(200))
    data_version: Mapped[str | None] = mapped_column(String(200), nullable=True)
    factor_set: Mapped[str | None] = mapped_column(String(200), nullable=True)
    origin: Mapped[str] = mapped_column(String(16), default="computed")  # computed | pact-import
    result: Mapped[str] = mapped_column(Text)  # the engine's result, JSON
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("footprint_record.id"), nullable=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class CertApplication(Base):
    """An application (委托) for a carbon-footprint label certificate of one footprint record."""

    __tablename__ = "cert_application"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    footprint_id: Mapped[int] = mapped_column(ForeignKey("footprint_record.id"))
    body: Mapped[str] = mapped_column(String(40), index=True)  # the certification body's code
    state: Mapped[str] = mapped_column(String(32))
    verified_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class CertStep(Base):
    """One step taken on an application, in order."""

    __tablename__ = "cert_step"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("cert_application.id"), index=True)
    step: Mapped[str] = mapped_column(String(32))
    passed: Mapped[bool] = mapped_column(Boolean, default=True)
    state_before: Mapped[str] = mapped_column(String(32))
    state_after: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    footprint_id: Mapped[int | None] = mapped_column(ForeignKey("footprint_record.id"), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class Certificate(Base):
    """A carbon-footprint label certificate (证书): what it states and until when."""

    __tablename__ = "certificate"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("cert_application.id"), unique=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    footprint_id: Mapped[int] = mapped_column(ForeignKey("footprint_record.id"))
    body: Mapped[str] = mapped_column(String(40))
    product_name: Mapped[str] = mapped_column(String(200))
    declared_unit: Mapped[str] = mapped_column(String(32))
    value_kgco2e: Mapped[float] = mapped_column(Float)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | suspended | withdrawn
    status_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(100))


class CertificateEvent(Base):
    """Surveillance, suspension, reinstatement or withdrawal of a certificate."""

    __tablename__ = "certificate_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificate.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))
    passed: Mapped[bool] = mapped_column(Boolean, default=True)
    status_after: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class FootprintRequest(Base):
    """A customer asks a supplier for a product's footprint; the supplier shares a record, or declines."""

    __tablename__ = "footprint_request"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    product: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="requested")  # requested | shared | declined
    footprint_id: Mapped[int | None] = mapped_column(ForeignKey("footprint_record.id"), nullable=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    answered_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
