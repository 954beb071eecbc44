"""Carbon assets over HTTP (issue 12): each enterprise's compliance status of a year — obligation, holdings,
CCER use, shortfall, carry-over, deadline warning and the arithmetic's lines (nengtan.engine.carbonassets) —,
verification records and their reconciliation with the platform (nengtan.engine.verifications), energy-use rights,
and the ESG data pack an enterprise publishes from (nengtan.engine.esg). The park's staff see every enterprise; an
enterprise user its own."""

from __future__ import annotations

import tempfile
from pathlib import Path as FsPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, Field

from nengtan.api.deps import ReadableEnterprise, ServicesDep, UserDep
from nengtan.api.media import MEDIA
from nengtan.api.routers.footprints import actor
from nengtan.engine import carbonassets, esg, verifications
from nengtan.reports.words import both, zh

router = APIRouter(prefix="/api", tags=["carbon assets"])
YearQ = Annotated[int, Query(ge=2000, le=2100)]
YearPath = Annotated[int, Path(ge=2000, le=2100)]


def _file(kind: str, name: str, write: Any) -> Response:
    with tempfile.TemporaryDirectory() as tmp:
        data = write(FsPath(tmp) / f"out.{kind}").read_bytes()
    return Response(data, media_type=MEDIA[kind], headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/assets/compliance")
def compliance(user: UserDep, svc: ServicesDep, year: YearQ) -> dict[str, Any]:
    return {"year": year, "items": carbonassets.status(svc.registry, actor(user), year)}


@router.get("/assets/compliance/export")
def compliance_export(user: UserDep, svc: ServicesDep, year: YearQ,
                      kind: Annotated[Literal["pdf", "xlsx"], Query(alias="format")] = "xlsx") -> Response:
    """The compliance status as a workbook or PDF (the rows the user may see)."""
    from nengtan.reports.tables import write_tables

    rows = carbonassets.status(svc.registry, actor(user), year)
    keys = ("name", "uscc", "state", "obligation_t", "allowances_held_t", "ccer_used_t", "allowances_surrendered_t",
            "shortfall_t", "carry_over_t", "deadline", "warning")
    table: list[list[Any]] = [[both("Enterprise"), both("USCC"), both("State"), both("Obligation [t]"),
                               both("Held [t]"), zh("CCER offset [t]"), both("Surrendered [t]"), both("Shortfall [t]"),
                               both("Carried over [t]"), both("Deadline"), both("Warning")]]
    table += [[r.get(k) for k in keys] for r in rows]
    return _file(kind, f"compliance-{year}.{kind}", lambda p: write_tables(
        zh("Compliance {year}", year=year), {zh("Surrender {year}", year=year): table}, p))


@router.get("/assets/ccer-lots")
def ccer_lots(user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """CCER lots by serial with their id (what a sell order names), project, vintage and status."""
    return {"items": carbonassets.ccer_lots(svc.registry, actor(user))}


@router.get("/assets/verifications")
def verification_records(user: UserDep, svc: ServicesDep, year: YearQ) -> dict[str, Any]:
    """Verification records of the year with their lines, verifier, guideline and covered emissions."""
    return {"year": year, "items": verifications.records(svc, actor(user), year)}


@router.get("/enterprises/{uscc}/verification-records/{year}/reconciliation")
def reconciliation(ent: ReadableEnterprise, year: YearPath, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """The verification beside the platform's inventory, each difference split into activity and factor."""
    return verifications.reconcile(svc, actor(user), ent.uscc, year)


@router.get("/assets/energy-rights")
def energy_rights(user: UserDep, svc: ServicesDep, year: YearQ) -> dict[str, Any]:
    """Energy-use rights held against energy used on the dual-control basis."""
    return {"year": year, "items": carbonassets.energy_rights(svc, actor(user), year)}


@router.get("/enterprises/{uscc}/esg/{year}")
def esg_pack(ent: ReadableEnterprise, year: YearPath, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """The enterprise's environmental data pack laid out for the exchanges' guidelines and ISSB S2."""
    return esg.pack(svc, actor(user), ent.uscc, year)


@router.get("/enterprises/{uscc}/esg/{year}/export.{kind}")
def esg_export(ent: ReadableEnterprise, year: YearPath, kind: Literal["pdf", "xlsx"], user: UserDep,
               svc: ServicesDep) -> Response:
    data = esg.pack(svc, actor(user), ent.uscc, year)
    return _file(kind, f"esg-{ent.uscc}-{year}.{kind}", lambda p: esg.write_pack(data, p))


class PublishItems(BaseModel):
    items: list[str] = Field(min_length=1, max_length=len(esg.KEYS), description="The pack's item keys to publish")


@router.post("/enterprises/{uscc}/esg/{year}/publish", status_code=201)
def esg_publish(ent: ReadableEnterprise, year: YearPath, body: PublishItems, user: UserDep,
                svc: ServicesDep) -> dict[str, Any]:
    """Publish the chosen items (the enterprise's own users only); they reach the public page as published."""
    return esg.publish(svc, actor(user), ent.uscc, year, body.items)


@router.get("/public/esg")
def esg_public(svc: ServicesDep, year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> dict[str, Any]:
    """What enterprises chose to publish (no login): only the published items, as published."""
    return {"items": esg.published(svc, year)}
