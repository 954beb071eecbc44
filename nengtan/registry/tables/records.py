"""Energy records and their provenance: monthly activity rows, the 205-1 statement lines they came
from, import batches (the raw bytes are kept under <home>/raw/<sha256>) and quarantined rows.

Quantities are stored in the carrier's canonical unit (nengtan.units.CANONICAL_UNIT) next to what
the source file said (quantity_raw, unit_raw), so nothing a user sent is lost.
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
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from nengtan.registry.tables.base import Base, utc_now


class Activity(Base):
    """Monthly activity data (statements or meter totals) in the carrier's canonical unit."""

    __tablename__ = "activity"
    __table_args__ = (UniqueConstraint("enterprise_id", "period", "carrier", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))  # the unique index serves it
    period: Mapped[str] = mapped_column(String(7), index=True)
    carrier: Mapped[str] = mapped_column(String(32))
    quantity: Mapped[float] = mapped_column(Float)
    """All the carrier consumed, raw-material use included (GB/T 2589-2020 综合能耗)."""
    unit: Mapped[str] = mapped_column(String(16))
    feedstock_quantity: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    """The part of ``quantity`` used as raw material (205-1 用作原料、材料), canonical unit."""
    feedstock_oxidised: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    """The enterprise says the feedstock's carbon leaves as CO2 (a process emission by carbon balance)."""
    quantity_raw: Mapped[float] = mapped_column(Float)
    unit_raw: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("import_batch.id"))


class StatementLine(Base):
    """One energy line of a 205-1 能源购进、消费与库存 statement, in the form's own unit.

    ``raw_material_use`` (用作原料、材料) is part of the line's consumption and of 综合能耗; the activity
    row records it as its feedstock part, deducted only on the dual-control basis. ``coefficient_flag`` is
    set when the form's conversion coefficient disagrees with the factor library (the library value is
    used, the form's is kept).
    """

    __tablename__ = "statement_line"
    __table_args__ = (UniqueConstraint("enterprise_id", "period", "energy_code", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), index=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    energy_name: Mapped[str] = mapped_column(String(64))
    energy_code: Mapped[str] = mapped_column(String(8))
    carrier: Mapped[str | None] = mapped_column(String(32), nullable=True)
    unit: Mapped[str] = mapped_column(String(16))
    opening_stock: Mapped[float | None] = mapped_column(Float, nullable=True)
    purchase_quantity: Mapped[float | None] = mapped_column(Float, nullable=True)
    purchase_amount: Mapped[float | None] = mapped_column(Float, nullable=True)  # 千元 as on the form
    consumption_total: Mapped[float | None] = mapped_column(Float, nullable=True)
    industrial_use: Mapped[float | None] = mapped_column(Float, nullable=True)
    raw_material_use: Mapped[float | None] = mapped_column(Float, nullable=True)
    closing_stock: Mapped[float | None] = mapped_column(Float, nullable=True)
    coefficient: Mapped[float | None] = mapped_column(Float, nullable=True)  # tce per form unit
    library_coefficient: Mapped[float | None] = mapped_column(Float, nullable=True)
    coefficient_flag: Mapped[str | None] = mapped_column(Text, nullable=True)
    energy_quantity: Mapped[float | None] = mapped_column(Float, nullable=True)  # canonical unit, excl. raw
    version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("import_batch.id"))


class ImportBatch(Base):
    """One imported file or batch; its raw bytes are kept under <home>/raw/<sha256>."""

    __tablename__ = "import_batch"
    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    rows_ok: Mapped[int] = mapped_column(Integer, default=0)
    rows_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    rows_bad: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(100), default="cli")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class QuarantineRow(Base):
    """A rejected row, with where it came from and why; kept until a later batch supplies it."""

    __tablename__ = "quarantine"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[str] = mapped_column(ForeignKey("import_batch.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    file: Mapped[str] = mapped_column(String(500))
    row: Mapped[int] = mapped_column(Integer)
    column: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(200), default="", index=True)  # what a later row resolves
    resolved_batch_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
