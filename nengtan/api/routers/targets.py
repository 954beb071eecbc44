"""Issue 4's figures: targets and progress, budget allocations, warnings (预警), scenarios, LMDI and
project assessment.

Park-wide figures are for the park administrator; an enterprise user reads its own budget line and its
own warnings through ``/api/enterprises/{uscc}/budget`` and ``/api/enterprises/{uscc}/warnings`` (the
enterprise router), scoped by :func:`nengtan.api.deps.readable_enterprise` like every other ``{uscc}``
route.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi import Path as PathParam
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from nengtan.api.deps import AdminDep, PlacedDep, ServicesDep, StaffDep
from nengtan.api.errors import ApiError, bad_request, not_found
from nengtan.api.schemas import OptYear, PagingDep
from nengtan.engine import cockpit as figures
from nengtan.engine import targets as engine_targets
from nengtan.registry import audit
from nengtan.targets.errors import TargetsError

router = APIRouter(prefix="/api", tags=["targets"])
Month = Annotated[int | None, Query(ge=1, le=12, description="last month to include; default the newest")]


@router.get("/targets")
def targets(admin: StaffDep, svc: PlacedDep, year: OptYear = None) -> dict[str, Any]:
    """The park's adopted targets (park, sector, enterprise) with the year's limit and, for park targets,
    progress: year to date against the seasonal path, year-end projection with its 90 % interval,
    pressure ratio and red/yellow/green with the reason."""
    return engine_targets.targets_progress(svc, year or figures.latest_year(svc, svc.settings.default_year))


@router.get("/targets/templates")
def target_templates(admin: AdminDep) -> dict[str, Any]:
    """Target templates from the plans (document and clause cited), for the park to adopt."""
    from nengtan.targets.targets import load_templates

    items = [{"id": t.target_id, "level": t.level, "indicator": t.indicator, "kind": t.kind, "value": t.value,
              "unit": t.unit, "base_year": t.base_year, "target_year": t.target_year, "document": t.document,
              "clause": t.clause, "status": t.status} for t in load_templates()]
    return {"total": len(items), "items": figures.clean(items)}


class TargetAdopt(BaseModel):
    """A template adopted by the park, optionally edited (the CLI's ``targets adopt``)."""

    model_config = ConfigDict(extra="forbid")
    template_id: str = Field(min_length=1, max_length=100)
    value: float | None = None
    base_year: int | None = Field(default=None, ge=1990, le=2100)
    target_year: int | None = Field(default=None, ge=1990, le=2100)
    base_level: float | None = None
    subject: str = Field(default="park", max_length=100)


@router.post("/targets", status_code=201)
def adopt(body: TargetAdopt, admin: AdminDep, svc: ServicesDep) -> dict[str, Any]:
    """Adopt a target template for the park (or one of its places, a sector, an enterprise), optionally edited;
    re-adopting replaces the earlier version. The adopting officer is the administrator calling."""
    from nengtan.targets.targets import template

    try:
        template(body.template_id)
    except (KeyError, TargetsError) as exc:
        raise not_found(f"target template {body.template_id}") from exc
    t, base_level = engine_targets.adopt_target(svc, body.template_id, admin.username, body.value, body.base_year,
                                                body.target_year, body.base_level, body.subject)  # (audited there)
    svc.invalidate()
    return figures.clean({"id": t.target_id, "level": t.level, "subject": t.subject, "indicator": t.indicator,
                          "kind": t.kind, "value": t.value, "unit": t.unit, "base_year": t.base_year,
                          "target_year": t.target_year, "base_level": base_level, "status": t.status})


class BudgetAllocate(BaseModel):
    """The year's park carbon budget to allocate (the CLI's ``budget allocate``; defaults alike)."""

    model_config = ConfigDict(extra="forbid")
    method: Literal["grandfather", "benchmark", "hybrid"]
    budget: float | None = Field(default=None, gt=0)
    base_year: int | None = Field(default=None, ge=1990, le=2100)
    va_growth: float = Field(default=0.05, ge=-0.5, le=1.0)
    intensity_decline: float = Field(default=0.04, ge=0.0, lt=1.0)
    alpha: float = Field(default=0.5, ge=0.0, le=1.0)
    reserve: float = Field(default=0.05, ge=0.0, lt=1.0)
    benchmark_scope: Literal["sector", "park"] = "sector"


@router.post("/budgets/{year}", status_code=201)
def allocate(year: Annotated[int, PathParam(ge=1990, le=2100)], body: BudgetAllocate, admin: AdminDep,
             svc: ServicesDep) -> dict[str, Any]:
    """Allocate the year's park carbon budget to the enterprises and store it as a new version, approved by the
    administrator calling; returns the allocation as ``GET /api/budgets/{year}`` shows it."""
    al, _ = engine_targets.allocate_budget(svc, year, body.method, admin.username, body.budget, body.base_year,
                                           body.va_growth, body.intensity_decline, body.alpha, body.reserve, None,
                                           body.benchmark_scope)  # (audited there, as from the CLI)
    svc.invalidate()
    out = engine_targets.budget_payload(svc, year, al.version)
    assert out is not None
    return out


@router.get("/budgets/{year}")
def budget(year: Annotated[int, PathParam(ge=1990, le=2100)], admin: StaffDep, svc: PlacedDep,
           version: Annotated[int | None, Query(ge=1)] = None) -> dict[str, Any]:
    """The year's carbon budget allocation (latest version unless ``version``): budget, reserve, method,
    approver, sector totals and every enterprise's line [tCO2]."""
    out = engine_targets.budget_payload(svc, year, version)
    if out is None:
        raise not_found(f"budget allocation for {year}" + (f" version {version}" if version else ""))
    return out


@router.get("/warnings")
def warnings(admin: StaffDep, svc: PlacedDep, paging: PagingDep, year: OptYear = None, month: Month = None,
             level: Literal["park", "sector", "enterprise"] | None = None,
             include_green: Annotated[bool, Query(alias="all")] = False) -> dict[str, Any]:
    """The park's warnings (park targets and budget, sectors, enterprises): red first, then yellow,
    largest pressure ratio first; ``all=true`` adds green and grey rows. Counts are per status."""
    y = year or figures.latest_year(svc, svc.settings.default_year)
    w = engine_targets.warnings_payload(svc, y, month, include_green, level)
    out = paging.page(w.pop("items"))
    out.update(w)
    return out


@router.get("/scenarios")
async def scenarios(admin: StaffDep, svc: PlacedDep,
                    base_year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
                    to: Annotated[int, Query(ge=1991, le=2060)] = 2035,
                    draws: Annotated[int, Query(ge=0, le=20_000)] = 2_000,
                    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 1) -> dict[str, Any]:
    """Peak-year scenarios (baseline, policy, enhanced) side by side: central path, peak year with its
    Monte Carlo interval and the probability that the park peaks by 2030."""
    from nengtan.targets.errors import TargetsError

    y = base_year if base_year is not None else int(
        await run_in_threadpool(figures.latest_year, svc, svc.settings.default_year))
    if to <= y:
        raise bad_request(f"'to' ({to}) must be after the base year {y}")
    try:
        return await run_in_threadpool(engine_targets.scenarios_payload, svc, y, to, draws, seed)
    except TargetsError as exc:
        raise bad_request(str(exc)) from exc


@router.get("/lmdi")
def lmdi(admin: StaffDep, svc: PlacedDep,
         from_year: Annotated[int, Query(alias="from", ge=1990, le=2100)],
         to_year: Annotated[int, Query(alias="to", ge=1990, le=2100)]) -> dict[str, Any]:
    """LMDI decomposition of the park's CO2 change between two years (effects sum to the change)."""
    if from_year == to_year:
        raise bad_request("'from' and 'to' must be different years")
    out = engine_targets.lmdi_payload(svc, from_year, to_year)
    if out is None:
        raise not_found(f"data for both {from_year} and {to_year}")
    return out


class ProjectIn(BaseModel):
    """A proposed project (the fields of issue 4's project YAML) and the park year to measure against."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=200)
    sector_code: str = Field(min_length=1, max_length=8, pattern=r"^[A-Z]?[0-9]{1,4}$")
    expected_gross_output: float = Field(gt=0, le=1e9, description="[万元/yr]")
    expected_value_added: float = Field(gt=0, le=1e9, description="[万元/yr, constant prices]")
    energy: dict[str, Annotated[float, Field(ge=0, le=1e12)]] = Field(max_length=20, description="carrier → "
                                                                      "annual quantity in its canonical unit")
    pv_kwh: float = Field(0.0, ge=0, le=1e12)
    green_kwh: float = Field(0.0, ge=0, le=1e12)
    uscc: str | None = Field(None, max_length=40)
    start_year: int | None = Field(None, ge=1990, le=2100)
    applicant: str | None = Field(None, max_length=200)
    year: int | None = Field(None, ge=1990, le=2100, description="park year to assess against; default newest")


@router.post("/assessments", status_code=201)
def assess_project(body: ProjectIn, admin: AdminDep, svc: ServicesDep) -> dict[str, Any]:
    """Pre-assessment (碳排放预评估) of a proposed project: CO2 per 万元 value added and gross output against
    the sector benchmark and the park average, the effect on the park's intensity and budget reserve, and
    a verdict with reasons. Stored with the assessor and written to the audit log."""
    from nengtan.registry.tables.targets import save_assessment
    from nengtan.targets.assessment import parse_proposal
    from nengtan.targets.errors import TargetsError

    year = body.year or figures.latest_year(svc, svc.settings.default_year)
    data = body.model_dump(exclude={"year"}, exclude_none=True)
    try:
        proposal = parse_proposal(data, where="project")
        a = engine_targets.assess_project(svc, proposal, year)
    except TargetsError as exc:
        raise ApiError(422, str(exc), "validation-error") from exc
    result = figures.clean(a.to_dict())
    with svc.registry.session() as s:
        row = save_assessment(s, "pre", proposal.name, proposal.sector_code, a.verdict, proposal.model_dump(),
                              result, admin.username, proposal.uscc, year)
        s.flush()
        audit.record(s, admin.username, "assessment.pre", f"project:{proposal.name}"[:200],
                     {"id": row.id, "year": year, "verdict": a.verdict})
        result["id"] = row.id
    result["year"] = year
    return result


@router.get("/assessments")
def assessments(admin: AdminDep, svc: ServicesDep, paging: PagingDep) -> dict[str, Any]:
    """Stored project assessments (pre and post), newest first."""
    import json

    from nengtan.registry.tables.targets import list_assessments

    with svc.registry.session() as s:
        items = [{"id": r.id, "kind": r.kind, "project": r.project, "uscc": r.uscc, "sector_code": r.sector_code,
                  "year": r.year, "outcome": r.outcome, "assessed_by": r.assessed_by,
                  "assessed_at": r.assessed_at.isoformat(), "result": json.loads(r.result_json or "{}")}
                 for r in list_assessments(s)]
    return paging.page(items)
