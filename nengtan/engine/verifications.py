"""Third-party verification records (碳核查) in the carbon database (issue 12): imported per enterprise-year,
checked line by line (nengtan.assets.verification), kept with the verifier, the guideline and the report file's
SHA-256, hashed onto the tamper-evident ledger, reconciled with the platform's own inventory of the year
(nengtan.assets.reconciliation), and feeding the compliance year of an enterprise in the national market.

Importing a record locks the platform's enterprise-year if no verifier has signed it off yet (the figures it was
reconciled with are kept, nengtan.engine.verification); a second import of the same enterprise-year is a new
version and needs a reason; a settled compliance year's verification cannot change.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from nengtan.assets import reconciliation
from nengtan.assets import verification as rules
from nengtan.engine import greenledger
from nengtan.engine.certification import Actor, enterprise, require_staff
from nengtan.engine.cockpit import inventory_dict
from nengtan.engine.greenassets import ImportResult, of_enterprise
from nengtan.engine.stores import Stores
from nengtan.errors import InputError, NotFoundError, StateError
from nengtan.registry import audit
from nengtan.registry.tables.assets import ComplianceYear
from nengtan.registry.tables.park import Enterprise
from nengtan.registry.tables.verification import VerificationLine, VerificationRecord, YearLock

COLUMNS = ("uscc", "year", "verifier", "guideline", "source", "activity", "unit", "factor", "emissions_t")
"""A verification file: one row per emission source; the rows of one (uscc, year) are one record. Optional
columns: ``scope`` (checked against the source's kind) and ``report`` (the report file, beside the table)."""


def _optional(text: str | None, where: str, what: str) -> float | None:
    from nengtan.ingest.rows import number_at

    return None if text is None or not text.strip() else number_at(text, where, what)


def import_records(stores: Stores, actor: Actor, path: Path, files: Path | None = None, reason: str | None = None
                   ) -> ImportResult:
    """Verification records from a table (:data:`COLUMNS`). A record whose rows all pass lands whole, with its
    report file copied into `files` (by its SHA-256); a record with a bad row is refused whole, every row of it
    named with the reason, and nothing of it is stored."""
    from nengtan.ingest.rows import table_rows

    require_staff(actor, "verification records")
    out = ImportResult()
    groups: dict[tuple[str, str], list[tuple[str, dict[str, str]]]] = {}
    for where, row in table_rows(path, COLUMNS):
        groups.setdefault((row["uscc"].strip().upper(), row["year"].strip()), []).append((where, row))
    for (uscc, year_text), rows in groups.items():
        first = rows[0][0]
        try:
            year = int(year_text)
            heads = {(r["verifier"].strip(), r["guideline"].strip(), (r.get("report") or "").strip()) for _, r in rows}
            if len(heads) != 1:
                raise InputError(f"{first}: the rows of {uscc} {year} name more than one verifier, guideline or "
                                 "report")
            verifier, guideline, report = heads.pop()
            if not verifier:
                raise InputError(f"{first}: verifier is empty")
            lines = []
            for where, r in rows:
                try:
                    scope = _optional(r.get("scope"), where, "scope")
                    lines.append(rules.line(guideline, r["source"].strip(), _optional(r["activity"], where,
                                                                                       "activity"),
                                            r["unit"].strip(), _optional(r["factor"], where, "factor"),
                                            _optional(r["emissions_t"], where, "emissions_t"),
                                            None if scope is None else int(scope)))
                except InputError as exc:
                    text = str(exc)
                    raise InputError(text if text.startswith(where) else f"{where}: {text}") from None
            report_path = (path.parent / report) if report else None
            if report_path is not None and not report_path.is_file():
                raise InputError(f"{first}: report file {report} not found beside {path.name}")
            record(stores, actor, uscc, year, verifier, guideline, lines, report_path, files, reason)
            out.landed += 1
        except (InputError, StateError, NotFoundError) as exc:
            text = str(exc)
            out.errors.append(f"{text if text.startswith(path.name) else f'{first}: {text}'} — record {uscc} "
                              f"{year_text} ({len(rows)} rows) not imported")
    return out


def record(stores: Stores, actor: Actor, uscc: str, year: int, verifier: str, guideline: str,
           lines: list[rules.VerifiedLine], report: Path | None = None, files: Path | None = None,
           reason: str | None = None) -> int:
    """Store one verification record (a new version when the enterprise-year has one) and its consequences: the
    ledger entry, the year's lock, the compliance year's verified emissions. Returns the record's id."""
    from nengtan.engine.verification import new_lock

    require_staff(actor, "verification records")
    if not lines:
        raise InputError(f"the verification of {uscc} {year} has no lines")
    sha = name = None
    if report is not None:
        sha = hashlib.sha256(report.read_bytes()).hexdigest()
        name = report.name
        if files is not None:
            files.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(report, files / f"{sha}{report.suffix.lower()}")
    t = rules.totals(lines)
    with stores.registry.session() as s:
        ent_id = enterprise(s, uscc).id
    lock = None
    if _lock(stores, ent_id, year) is None:
        lock, _ = new_lock(stores, ent_id, uscc, year, f"{verifier} (imported by {actor.username})",
                           f"verification record, guideline {guideline}")
    with stores.registry.session(write=True) as s:
        ent = enterprise(s, uscc)
        cy = s.execute(select(ComplianceYear).where(ComplianceYear.enterprise_id == ent.id,
                                                    ComplianceYear.year == year)).scalar()
        if cy is not None and cy.settled:
            raise StateError(f"{ent.uscc} {year} is settled: its verification cannot change")
        previous = s.execute(select(VerificationRecord).where(
            VerificationRecord.enterprise_id == ent.id, VerificationRecord.year == year,
            VerificationRecord.active.is_(True))).scalar()
        if previous is not None and not (reason or "").strip():
            raise StateError(f"{ent.uscc} {year} has verification record v{previous.version}: a new version needs "
                             "a reason (--reason)")
        version = 1 + (s.execute(select(func.max(VerificationRecord.version)).where(
            VerificationRecord.enterprise_id == ent.id, VerificationRecord.year == year)).scalar() or 0)
        body = {"uscc": ent.uscc, "year": year, "version": version, "verifier": verifier, "guideline": guideline,
                "report_sha256": sha, "covered_t": round(t.covered_t, 6),
                "lines_sha256": hashlib.sha256(json.dumps([vars(x) for x in lines], sort_keys=True,
                                                          ensure_ascii=False).encode()).hexdigest()}
        seq = greenledger.append(s, "verification", ent.uscc, body)
        if previous is not None:
            previous.active = False
        rec = VerificationRecord(enterprise_id=ent.id, year=year, version=version, verifier=verifier,
                                 guideline=guideline, report_name=name, report_sha256=sha, total_t=t.total_t,
                                 scope1_t=t.scope1_t, scope2_t=t.scope2_t, covered_t=t.covered_t,
                                 reason=(reason or "").strip() or None, imported_by=actor.username, ledger_seq=seq)
        s.add(rec)
        s.flush()
        for x in lines:
            s.add(VerificationLine(record_id=rec.id, source=x.source, kind=x.kind, scope=x.scope, activity=x.activity,
                                   unit=x.unit, factor=x.factor, emissions_t=x.emissions_t, covered=x.covered))
        if lock is not None:
            s.add(lock)
        if cy is None and ent.key_emission_unit:
            cy = ComplianceYear(enterprise_id=ent.id, year=year)
            s.add(cy)
        if cy is not None:
            cy.verified_t, cy.verification_id = t.covered_t, rec.id
            s.flush()
            greenledger.append(s, "compliance.year", ent.uscc, {"uscc": ent.uscc, "year": year,
                                                               "verified_t": t.covered_t,
                                                               "verification": rec.id})
        audit.record(s, actor.username, "verification.import", f"enterprise:{ent.uscc}:{year}",
                     {**body, "ledger_seq": seq, "locked": lock is not None})
        return rec.id


def _lock(stores: Stores, enterprise_id: int, year: int) -> YearLock | None:
    from nengtan.engine.verification import lock_of

    return lock_of(stores, enterprise_id, year)


def _view(rec: VerificationRecord, lines: list[VerificationLine], uscc: str, name: str) -> dict[str, Any]:
    g = rules.guideline(rec.guideline)
    return {"id": rec.id, "uscc": uscc, "name": name, "year": rec.year, "version": rec.version,
            "active": rec.active, "verifier": rec.verifier, "guideline": rec.guideline,
            "guideline_name": g["name_zh"], "guideline_name_en": g["name_en"], "guideline_clause": g["clause"],
            "guideline_clause_zh": g["clause_zh"], "guideline_status": g["status"],
            "guideline_status_zh": g["status_zh"],
            "report_name": rec.report_name, "report_sha256": rec.report_sha256, "total_t": rec.total_t,
            "scope1_t": rec.scope1_t, "scope2_t": rec.scope2_t, "covered_t": rec.covered_t, "reason": rec.reason,
            "imported_by": rec.imported_by, "imported_at": rec.imported_at.isoformat(), "ledger_seq": rec.ledger_seq,
            "lines": [{"source": x.source, "kind": x.kind, "scope": x.scope, "activity": x.activity, "unit": x.unit,
                       "factor": x.factor, "emissions_t": x.emissions_t, "covered": x.covered} for x in lines]}


def records(stores: Stores, actor: Actor, year: int | None = None, uscc: str | None = None,
            all_versions: bool = False) -> list[dict[str, Any]]:
    """Verification records the actor may see (staff: all; an enterprise: its own), newest version only unless
    `all_versions`."""
    with stores.registry.session() as s:
        q = of_enterprise(s, actor, select(VerificationRecord, Enterprise).join(
            Enterprise, Enterprise.id == VerificationRecord.enterprise_id), uscc)
        if year is not None:
            q = q.where(VerificationRecord.year == year)
        if not all_versions:
            q = q.where(VerificationRecord.active.is_(True))
        out = []
        for rec, ent in s.execute(q.order_by(Enterprise.uscc, VerificationRecord.year,
                                             VerificationRecord.version)).all():
            lines = list(s.execute(select(VerificationLine).where(VerificationLine.record_id == rec.id)
                                   .order_by(VerificationLine.id)).scalars())
            out.append(_view(rec, lines, ent.uscc, ent.name))
        return out


def platform_lines(inv: dict[str, Any]) -> list[reconciliation.Line]:
    """The platform's inventory of an enterprise-year as reconciliation lines: per carrier its quantity and the
    CO2 it carries (combustion Scope 1 without the process part, or location-based Scope 2), and the process CO2 of
    oxidised feedstock as ``process:carbon_feedstock``."""
    out = []
    process = 0.0
    for carrier, c in (inv.get("by_carrier") or {}).items():
        if carrier == "pv":
            continue
        q = float(c["quantity"])
        t = float(c["scope1_t"]) - float(c["process_t"]) + float(c["scope2_location_t"])
        process += float(c["process_t"])
        out.append(reconciliation.Line(carrier, q, t / q if q else 0.0))
    if process:
        out.append(reconciliation.Line("process:carbon_feedstock", None, process))
    return out


def reconcile(stores: Stores, actor: Actor, uscc: str, year: int) -> dict[str, Any]:
    """The active verification of `uscc` `year` beside the platform's inventory of the year, each source's
    difference split into its activity and factor parts and explained, with what the platform's figures are
    (factor set, data version) and whether the year is locked."""
    found = records(stores, actor, year, uscc)
    if not found:
        raise NotFoundError(f"verification record of {uscc} {year}")
    rec = found[0]
    inv = inventory_dict(stores, year, f"enterprise:{rec['uscc']}")
    verified = [reconciliation.Line(x["source"], x["activity"], x["factor"] if x["activity"] is not None
                                    else x["emissions_t"]) for x in rec["lines"]]
    diffs = reconciliation.reconcile(platform_lines(inv), verified, tolerance_t=0.01)
    with stores.registry.session() as s:
        lock = _lock(stores, enterprise(s, rec["uscc"]).id, year)
    platform_t = sum(d.platform_t for d in diffs)
    return {"uscc": rec["uscc"], "name": rec["name"], "year": year, "record": rec["id"], "version": rec["version"],
            "verifier": rec["verifier"], "guideline": rec["guideline"], "guideline_name": rec["guideline_name"],
            "guideline_name_en": rec["guideline_name_en"], "verified_t": rec["total_t"],
            "covered_t": rec["covered_t"], "platform_t": platform_t, "difference_t": rec["total_t"] - platform_t,
            "factor_set": inv.get("factor_set"), "data_version": inv.get("data_version"),
            "locked": lock is not None, "locked_data_version": lock.signed_data_version if lock else None,
            "lines": [_reconciled_line(d) for d in diffs]}


def _reconciled_line(d: reconciliation.Difference) -> dict[str, Any]:
    """A source's difference as reconcile gives it, the source by name in both languages beside its code."""
    name_zh, name_en = rules.source_names(d.carrier)
    return {"source": d.carrier, "source_name": name_zh, "source_name_en": name_en, "platform_t": d.platform_t,
            "verified_t": d.verified_t, "difference_t": d.difference_t, "activity_part_t": d.activity_part_t,
            "factor_part_t": d.factor_part_t, "explanation": d.explanation, "explanation_zh": d.explanation_zh}


def verified_of(s: Session, enterprise_id: int, year: int) -> VerificationRecord | None:
    return s.execute(select(VerificationRecord).where(VerificationRecord.enterprise_id == enterprise_id,
                                                      VerificationRecord.year == year,
                                                      VerificationRecord.active.is_(True))).scalar()
