"""Energy-use budgets (用能预算, issue 14 item 2): a year's energy budget on the dual-control basis — the energy
accounts with new renewables and raw-material use deducted, as nengtan.accounting computes ``energy_dual_control_tce``
(发改环资〔2022〕803号 for raw-material use) — allocated to the enterprises like the carbon budget
(nengtan.targets.allocation: grandfather, benchmark or hybrid weights, exact conservation in units, a reserve), warned
on as the year runs, and drawn on by the energy reviews (节能审查) of new projects.

Default budget: the base year's dual-control energy per value added × (1 − the intensity decline, default 3 %/yr:
Jiangsu's energy-intensity reduction of the 14th five-year plan spread over its years, recalled) × the expected value
added, divided by (1 − reserve). The benchmark of the benchmark and hybrid methods is the park's own base-year
energy intensity of the enterprise's sector (no published benchmarks are shipped).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from nengtan.engine.certification import Actor, require_staff
from nengtan.engine.places import WHOLE, place_of, place_usccs
from nengtan.engine.stores import Stores
from nengtan.engine.years import year_data
from nengtan.errors import InputError, NoDataError, NotFoundError
from nengtan.i18n import pair
from nengtan.indicators import annualise
from nengtan.registry import audit
from nengtan.registry.tables.energy import EnergyBudget, EnergyReview
from nengtan.registry.tables.targets import ProjectAssessment

WARN_SHARE = 0.9
"""Yellow from 90 % of the budget projected for the year, red above 100 % (as the carbon budget's warnings)."""


def _base_table(stores: Stores, base_year: int, va_growth: float) -> tuple[pd.DataFrame, int]:
    base = year_data(stores, base_year, required=False)
    if base is None:
        raise NoDataError(f"no data for base year {base_year}: choose a base year that has data")
    led, months = base.ledger, base.months
    energy = led.groupby("uscc")["energy_dual_control_tce"].sum() * (12.0 / max(months, 1))
    ents = led[["uscc", "enterprise", "sector_code"]].drop_duplicates("uscc").set_index("uscc")
    va = base.economics.groupby("uscc")["value_added_constant"].sum() * (12.0 / max(months, 1))
    out = ents.assign(base_emissions=energy.reindex(ents.index).fillna(0.0),
                      expected_value_added=va.reindex(ents.index).fillna(0.0) * (1 + va_growth)).reset_index()
    sector = out.assign(div=out["sector_code"].astype(str).str[:2]).groupby("div")[
        ["base_emissions", "expected_value_added"]].sum()
    intensity = (sector["base_emissions"] / (sector["expected_value_added"] / (1 + va_growth))).replace(
        [float("inf")], float("nan"))
    out["benchmark"] = out["sector_code"].astype(str).str[:2].map(intensity).fillna(0.0)
    return out, months


def allocate(stores: Stores, actor: Actor, year: int, method: str = "hybrid", budget_tce: float | None = None,
             base_year: int | None = None, va_growth: float = 0.05, intensity_decline: float = 0.03,
             alpha: float = 0.5, reserve: float = 0.05) -> dict[str, Any]:
    """Allocate and store a new version of the year's energy budget; returns it."""
    from nengtan.targets.allocation import allocate as split

    require_staff(actor, "energy budgets")
    if place_of(stores) != WHOLE:
        raise InputError("the energy budget is allocated for the whole installation; a park or region sees its "
                         "enterprises' lines of it")
    if not 0.0 <= reserve < 1.0:
        raise InputError(f"reserve {reserve} must be a fraction in [0, 1)")
    by = base_year if base_year is not None else year - 1
    ents, _ = _base_table(stores, by, va_growth)
    if budget_tce is None:
        b_energy = float(ents["base_emissions"].sum())
        b_va = float(ents["expected_value_added"].sum()) / (1 + va_growth)
        if b_va <= 0:
            raise InputError(f"no value added in base year {by}: give the budget in tce")
        budget_tce = (b_energy / b_va) * (1 - intensity_decline) * float(ents["expected_value_added"].sum()) / (
            1 - reserve)
    with stores.registry.session(write=True) as s:
        version = 1 + (s.execute(select(func.max(EnergyBudget.version)).where(EnergyBudget.year == year)).scalar()
                       or 0)
        al = split(budget_tce, ents, method, year, alpha=alpha, reserve_share=reserve, approved_by=actor.username,
                   version=version)
        t = al.table
        lines = [{"uscc": str(r["uscc"]), "enterprise": str(r["enterprise"]), "sector_code": str(r["sector_code"]),
                  "allocated_tce": float(r["allocated_t"]), "weight": float(r["weight"])}
                 for r in t.to_dict("records")]
        params = {"base_year": by, "va_growth": va_growth, "intensity_decline": intensity_decline, "alpha": alpha,
                  "reserve": reserve, "basis": "dual-control energy (energy_dual_control_tce)"}
        s.add(EnergyBudget(year=year, version=version, method=method, budget_tce=al.budget_t,
                           reserve_tce=al.reserve_t, parameters=json.dumps(params), lines=json.dumps(lines,
                                                                                               ensure_ascii=False),
                           approved_by=actor.username))
        audit.record(s, actor.username, "energy_budget.allocate", f"year:{year}", {"version": version,
                                                                                  "budget_tce": al.budget_t})
    return budget(stores, year)


def budget(stores: Stores, year: int, version: int | None = None) -> dict[str, Any]:
    with stores.registry.session() as s:
        q = select(EnergyBudget).where(EnergyBudget.year == year)
        q = q.where(EnergyBudget.version == version) if version else q.order_by(EnergyBudget.version.desc())
        b = s.execute(q).scalars().first()
        if b is None:
            raise NotFoundError(f"energy budget of {year}")
        drawn = float(s.execute(select(func.coalesce(func.sum(EnergyReview.energy_tce), 0.0)).where(
            EnergyReview.year == year, EnergyReview.decision == "approved")).scalar() or 0.0)
        out = {"year": year, "version": b.version, "method": b.method, "budget_tce": b.budget_tce,
               "reserve_tce": b.reserve_tce, "reserve_left_tce": b.reserve_tce - drawn,
               "parameters": json.loads(b.parameters), "lines": json.loads(b.lines), "approved_by": b.approved_by,
               "approved_at": b.approved_at.isoformat(), "place": place_of(stores)}
    if out["place"] != WHOLE:  # a park's or region's budget: its enterprises' lines and their sum; no reserve
        usccs = place_usccs(stores.registry, out["place"])
        out["lines"] = [ln for ln in out["lines"] if ln["uscc"] in usccs]
        out["budget_tce"] = float(sum(ln["allocated_tce"] for ln in out["lines"]))
        out["reserve_tce"] = out["reserve_left_tce"] = 0.0
    return out


def status(stores: Stores, year: int) -> dict[str, Any]:
    """Each enterprise's dual-control energy so far against its budget, projected to the year's end by the months
    with data, and its warning: red above the budget, yellow from 90 %, green below."""
    b = budget(stores, year)
    d = year_data(stores, year)
    assert d is not None
    used = d.ledger.groupby("uscc")["energy_dual_control_tce"].sum()
    rows = []
    for ln in b["lines"]:
        u = float(used.get(ln["uscc"], 0.0))
        projected = annualise(u, d.months)
        share = projected / ln["allocated_tce"] if ln["allocated_tce"] > 0 else float("inf") if projected else 0.0
        colour = "red" if share > 1.0 else ("yellow" if share >= WARN_SHARE else "green")
        rows.append({**ln, "used_tce": u, "projected_tce": projected, "share": share, "status": colour})
    park_used = float(used.sum())
    park_projected = annualise(park_used, d.months)
    return {"year": year, "months": d.months, "budget_tce": b["budget_tce"], "used_tce": park_used,
            "projected_tce": park_projected, "park_status": "red" if park_projected > b["budget_tce"] else (
                "yellow" if park_projected >= WARN_SHARE * b["budget_tce"] else "green"),
            "data_version": d.data_version, "items": rows}


def review(stores: Stores, actor: Actor, project: str, year: int, energy_tce: float | None = None,
           assessment_id: int | None = None, uscc: str | None = None, approval_no: str = "") -> dict[str, Any]:
    """Record the energy review of a new project: approved when its annual energy fits in what is left of the year's
    budget reserve, rejected (with the shortfall) otherwise. The energy is the review's or, with `assessment_id`,
    the project assessment's (nengtan.engine.targets.assess_project)."""
    require_staff(actor, "energy reviews")
    with stores.registry.session() as s:
        if assessment_id is not None:
            a = s.get(ProjectAssessment, assessment_id)
            if a is None:
                raise NotFoundError(f"project assessment {assessment_id}")
            energy_tce = float(json.loads(a.result_json)["energy_tce"]) if energy_tce is None else energy_tce
    if energy_tce is None or energy_tce < 0:
        raise InputError("a review states the project's annual energy [tce ≥ 0] or its project assessment")
    left = budget(stores, year)["reserve_left_tce"]
    ok = energy_tce <= left + 1e-9
    reason, reason_zh = (pair("note.review:fits", energy=energy_tce, year=year, left=left) if ok else
                         pair("note.review:exceeds", energy=energy_tce, year=year, left=left, over=energy_tce - left))
    with stores.registry.session(write=True) as s:
        r = EnergyReview(project=project, uscc=uscc, year=year, energy_tce=energy_tce,
                         decision="approved" if ok else "rejected", reason=reason, reason_zh=reason_zh,
                         approval_no=approval_no,
                         assessment_id=assessment_id, decided_by=actor.username)
        s.add(r)
        s.flush()
        audit.record(s, actor.username, "energy_review", f"project:{project}", {"decision": r.decision,
                                                                                "energy_tce": energy_tce})
        return {"id": r.id, "project": project, "year": year, "energy_tce": energy_tce, "decision": r.decision,
                "reason": reason, "reason_zh": reason_zh, "assessment": assessment_id}


def reviews(stores: Stores, year: int | None = None) -> list[dict[str, Any]]:
    with stores.registry.session() as s:
        q = select(EnergyReview).order_by(EnergyReview.id)
        if year is not None:
            q = q.where(EnergyReview.year == year)
        return [{"id": r.id, "project": r.project, "uscc": r.uscc, "year": r.year, "energy_tce": r.energy_tce,
                 "decision": r.decision, "reason": r.reason, "reason_zh": r.reason_zh, "approval_no": r.approval_no,
                 "assessment": r.assessment_id, "decided_by": r.decided_by} for r in s.execute(q).scalars()]
