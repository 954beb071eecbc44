"""Targets: adopted targets, versioned budget allocations, project assessments.

Nothing here is edited in place: adopting a changed target deactivates the old row and adds a new
one; a new allocation of a year is a new version with its approver; assessments are appended.
The small read/write helpers at the bottom turn rows into the pure domain objects of
:mod:`nengtan.targets`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd
from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from nengtan.registry.tables.base import Base, utc_now
from nengtan.targets.allocation import Allocation
from nengtan.targets.targets import Target


class AdoptedTarget(Base):
    """A target the park has adopted (from a template or written by hand)."""

    __tablename__ = "target_adopted"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[str] = mapped_column(String(120), index=True)
    level: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(64))
    indicator: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[float] = mapped_column(Float)
    base_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    target_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    interim_json: Mapped[str] = mapped_column(Text, default="{}")
    base_level: Mapped[float | None] = mapped_column(Float, nullable=True)
    document: Mapped[str] = mapped_column(Text, default="")
    clause: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="to-verify")
    template_id: Mapped[str | None] = mapped_column(String(120), nullable=True)
    adopted_by: Mapped[str] = mapped_column(String(100))
    adopted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class BudgetAllocation(Base):
    """One version of a year's carbon-budget allocation."""

    __tablename__ = "budget_allocation"
    __table_args__ = (UniqueConstraint("year", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    version: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(16))
    budget_units: Mapped[int] = mapped_column(BigInteger)
    unit_t: Mapped[float] = mapped_column(Float)
    reserve_units: Mapped[int] = mapped_column(BigInteger)
    parameters_json: Mapped[str] = mapped_column(Text, default="{}")
    history: Mapped[str] = mapped_column(Text, default="")
    approved_by: Mapped[str] = mapped_column(String(100))
    approved_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


class BudgetAllocationLine(Base):
    """An enterprise's share in one allocation version."""

    __tablename__ = "budget_allocation_line"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("budget_allocation.id"), index=True)
    uscc: Mapped[str] = mapped_column(String(18))
    enterprise: Mapped[str] = mapped_column(String(200))
    sector_code: Mapped[str] = mapped_column(String(8))
    weight: Mapped[float] = mapped_column(Float)
    allocated_units: Mapped[int] = mapped_column(BigInteger)
    expected_value_added: Mapped[float | None] = mapped_column(Float, nullable=True)
    intensity: Mapped[float | None] = mapped_column(Float, nullable=True)
    status: Mapped[str] = mapped_column(String(40), default="active")


class ProjectAssessment(Base):
    """A pre- or post-assessment of a project, with its inputs and result as JSON."""

    __tablename__ = "project_assessment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # pre | post
    project: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18), nullable=True)
    sector_code: Mapped[str] = mapped_column(String(8))
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outcome: Mapped[str] = mapped_column(String(32))  # verdict (pre) or status (post)
    input_json: Mapped[str] = mapped_column(Text)
    result_json: Mapped[str] = mapped_column(Text)
    assessed_by: Mapped[str] = mapped_column(String(100))
    assessed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utc_now)


def save_target(s: Session, t: Target, adopted_by: str, base_level: float | None = None,
                template_id: str | None = None) -> AdoptedTarget:
    """Adopt ``t``; an active target with the same id is deactivated (kept for the record)."""
    for old in s.execute(select(AdoptedTarget).where(AdoptedTarget.target_id == t.target_id,
                                                     AdoptedTarget.active.is_(True))).scalars():
        old.active = False
    row = AdoptedTarget(
        target_id=t.target_id, level=t.level, subject=t.subject, indicator=t.indicator, kind=t.kind, value=t.value,
        base_year=t.base_year, target_year=t.target_year,
        interim_json=json.dumps({str(k): v for k, v in t.interim.items()}),
        base_level=base_level, document=t.document, clause=t.clause, status=t.status, template_id=template_id,
        adopted_by=adopted_by, active=True,
    )
    s.add(row)
    s.flush()
    return row


def active_targets(s: Session) -> list[tuple[Target, float | None]]:
    """The adopted, active targets with their stored base-year level."""
    rows = s.execute(select(AdoptedTarget).where(AdoptedTarget.active.is_(True)).order_by(AdoptedTarget.id)).scalars()
    out = []
    for r in rows:
        t = Target(target_id=r.target_id, level=r.level, subject=r.subject, indicator=r.indicator, kind=r.kind,
                   value=r.value, base_year=r.base_year, target_year=r.target_year,
                   interim={int(k): float(v) for k, v in json.loads(r.interim_json or "{}").items()},
                   document=r.document, clause=r.clause, status=r.status)
        out.append((t, r.base_level))
    return out


def next_allocation_version(s: Session, year: int) -> int:
    """1 + the highest version stored for ``year``."""
    v = s.execute(select(BudgetAllocation.version).where(BudgetAllocation.year == year)
                  .order_by(BudgetAllocation.version.desc())).scalars().first()
    return (v or 0) + 1


def save_allocation(s: Session, a: Allocation) -> BudgetAllocation:
    """Store an allocation version and its lines."""
    a.check()
    head = BudgetAllocation(
        year=a.year, version=a.version, method=a.method, budget_units=a.budget_units, unit_t=a.unit,
        reserve_units=a.reserve_units, parameters_json=json.dumps(a.parameters), history="\n".join(a.history),
        approved_by=a.approved_by,
        approved_at=dt.datetime.fromisoformat(a.approved_at) if a.approved_at else utc_now(),
    )
    s.add(head)
    s.flush()
    t = a.table
    s.add_all([
        BudgetAllocationLine(
            allocation_id=head.id, uscc=str(r["uscc"]), enterprise=str(r["enterprise"]),
            sector_code=str(r["sector_code"]),
            weight=float(r["weight"]), allocated_units=int(r["allocated_units"]),
            expected_value_added=None if pd.isna(r["expected_value_added"]) else float(r["expected_value_added"]),
            intensity=None if pd.isna(r["intensity"]) else float(r["intensity"]), status=str(r["status"]),
        )
        for r in t.to_dict(orient="records")
    ])
    return head


def load_allocation(s: Session, year: int, version: int | None = None) -> Allocation | None:
    """The given (default: latest) allocation version of ``year``, or None."""
    q = select(BudgetAllocation).where(BudgetAllocation.year == year)
    q = q.where(BudgetAllocation.version == version) if version else q.order_by(BudgetAllocation.version.desc())
    head = s.execute(q).scalars().first()
    if head is None:
        return None
    lines = s.execute(select(BudgetAllocationLine).where(BudgetAllocationLine.allocation_id == head.id)
                      .order_by(BudgetAllocationLine.id)).scalars().all()
    tab = pd.DataFrame([{
        "uscc": ln.uscc, "enterprise": ln.enterprise, "sector_code": ln.sector_code, "weight": ln.weight,
        "allocated_units": ln.allocated_units, "allocated_t": ln.allocated_units * head.unit_t,
        "expected_value_added": ln.expected_value_added if ln.expected_value_added is not None else float("nan"),
        "intensity": ln.intensity if ln.intensity is not None else float("nan"), "status": ln.status,
    } for ln in lines])
    params: dict[str, Any] = json.loads(head.parameters_json or "{}")
    return Allocation(year=head.year, budget_units=int(head.budget_units), unit=head.unit_t, method=head.method,
                      table=tab, reserve_units=int(head.reserve_units), version=head.version,
                      approved_by=head.approved_by, approved_at=head.approved_at.isoformat(),
                      parameters=params, history=tuple(head.history.split("\n")) if head.history else ())


def save_assessment(s: Session, kind: str, project: str, sector_code: str, outcome: str, inputs: dict[str, Any],
                    result: dict[str, Any], assessed_by: str, uscc: str | None = None,
                    year: int | None = None) -> ProjectAssessment:
    """Append an assessment record."""
    row = ProjectAssessment(kind=kind, project=project, uscc=uscc, sector_code=sector_code, year=year,
                            outcome=outcome, input_json=json.dumps(inputs, ensure_ascii=False, default=str),
                            result_json=json.dumps(result, ensure_ascii=False, default=str), assessed_by=assessed_by)
    s.add(row)
    s.flush()
    return row


def list_assessments(s: Session) -> list[ProjectAssessment]:
    """Every assessment, newest first."""
    return list(s.execute(select(ProjectAssessment).order_by(ProjectAssessment.id.desc())).scalars())
