"""Product footprints, supplier requests, carbon-label certification and the public certificate check.

Who may see and do what is decided once, in nengtan.engine.certification (its Actor is the request's
user); these routes parse, call the engine and return what it says.
"""

from __future__ import annotations

import tempfile
from pathlib import Path as FsPath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from nengtan.api.deps import Principal, ServicesDep, UserDep, WritableEnterprise
from nengtan.api.errors import ApiError
from nengtan.api.media import PDF, XLSX
from nengtan.engine import certification as engine
from nengtan.engine.certification import Actor

router = APIRouter(prefix="/api", tags=["footprints"])
RecordId = Annotated[str, Path(min_length=1, max_length=40, description="A footprint record's id (UUID)")]
Number = Annotated[str, Path(min_length=1, max_length=40, description="An application (APP-…) or certificate "
                                                                      "(CFP-…) number")]
MAX_MODEL_BYTES = 10 * 1024 * 1024


def actor(user: Principal) -> Actor:
    return Actor(user.username, user.role, user.enterprise_ids, user.org, user.place)


class RequestCreate(BaseModel):
    supplier: str = Field(min_length=1, max_length=40, description="The supplier's credit code")
    product: str = Field(min_length=1, max_length=200)
    message: str = Field(default="", max_length=2000)


class RequestAnswer(BaseModel):
    share: str | None = Field(default=None, max_length=40, description="The record shared; null declines")


class ApplicationCreate(BaseModel):
    footprint: str = Field(min_length=1, max_length=40)
    body: str = Field(min_length=1, max_length=20, description="The certification body's code")


class StepTake(BaseModel):
    step: Literal["accept", "document_review", "site_inspection", "verification", "resubmit", "decision",
                  "withdraw_application"]
    passed: bool = True
    note: str = Field(default="", max_length=4000)
    footprint: str | None = Field(default=None, max_length=40, description="resubmit: the corrected record")


class CertificateAction(BaseModel):
    action: Literal["surveillance", "suspend", "reinstate", "withdraw"]
    passed: bool = True
    note: str = Field(default="", max_length=4000)


@router.get("/enterprises/{uscc}/footprints")
def list_footprints(ent: WritableEnterprise, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """The enterprise's footprint records (computed or imported)."""
    return {"items": engine.list_footprints(svc.registry, actor(user), ent.uscc)}


@router.post("/enterprises/{uscc}/footprints", status_code=201)
async def compute_footprint(ent: WritableEnterprise, user: UserDep, svc: ServicesDep,
                            model: Annotated[UploadFile, File(description="The product model (XLSX workbook)")],
                            product: Annotated[str, Form(min_length=1, max_length=200)],
                            per: Annotated[str | None, Form(max_length=16)] = None,
                            year: Annotated[int | None, Form(ge=1990, le=2100)] = None,
                            name: Annotated[str, Form(max_length=200)] = "") -> dict[str, Any]:
    """Compute a product's footprint from an uploaded model with the enterprise's own data of `year` and its
    suppliers' shared footprints, and hold it as a record."""
    data = await model.read(MAX_MODEL_BYTES + 1)
    if len(data) > MAX_MODEL_BYTES:
        raise ApiError(413, f"a model workbook may have at most {MAX_MODEL_BYTES // 1024 // 1024} MB", "too-large")
    if not (model.filename or "").lower().endswith(".xlsx"):
        raise ApiError(422, "upload the model as an XLSX workbook (sheets activities, exchanges, …)",
                       "validation-error")

    def run() -> dict[str, Any]:
        from nengtan.engine.footprints import Request, footprint

        with tempfile.TemporaryDirectory() as tmp:
            path = FsPath(tmp) / "model.xlsx"
            path.write_bytes(data)
            result = footprint(Request(path, product, per, year=year, enterprise=ent.uscc), stores=svc)
        return engine.save_footprint(svc.registry, actor(user), ent.uscc, result, name)

    return await run_in_threadpool(run)


@router.get("/footprints/{pf_id}")
def get_footprint(pf_id: RecordId, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """A footprint record: whole for its enterprise and the certification body reviewing it; as PACT states
    it for a customer it was shared with."""
    return engine.footprint_view(svc.registry, actor(user), pf_id)


@router.get("/footprints/{pf_id}/pact")
def get_pact(pf_id: RecordId, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """The record as a PACT 3.0 ProductFootprint."""
    return engine.pact_document(svc.registry, actor(user), pf_id)


@router.get("/footprints/{pf_id}/report.{kind}")
def study_report(pf_id: RecordId, kind: Literal["pdf", "xlsx"], user: UserDep, svc: ServicesDep) -> Response:
    """The record's ISO 14067 study report (PDF or XLSX), rendering the stored result."""
    from nengtan.reports.footprint_pdf import footprint_pdf
    from nengtan.reports.footprint_xlsx import footprint_report

    view = engine.footprint_view(svc.registry, actor(user), pf_id)
    if "result" not in view or "inventory" not in view["result"]:
        raise ApiError(404, f"footprint {pf_id} has no study of this platform's to report (a shared or imported "
                       "footprint is read as PACT)", "not-found")
    with tempfile.TemporaryDirectory() as tmp:
        path = (footprint_pdf if kind == "pdf" else footprint_report)(view["result"], FsPath(tmp) / f"study.{kind}")
        data = path.read_bytes()
    media = PDF if kind == "pdf" else XLSX
    return Response(data, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="footprint-{view["id"]}.{kind}"'})


@router.post("/enterprises/{uscc}/footprints/pact", status_code=201)
def import_pact(ent: WritableEnterprise, doc: dict[str, Any], user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """Hold a supplier's PACT 3.0 ProductFootprint (validated) for the enterprise's models (pcf:<id>)."""
    return engine.import_pact(svc.registry, actor(user), ent.uscc, doc)


@router.get("/enterprises/{uscc}/footprint-requests")
def list_requests(ent: WritableEnterprise, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """Footprint requests the enterprise made (outgoing) and received (incoming)."""
    return engine.requests(svc.registry, actor(user), ent.uscc)


@router.post("/enterprises/{uscc}/footprint-requests", status_code=201)
def create_request(ent: WritableEnterprise, body: RequestCreate, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """Ask a supplier for its footprint of a product."""
    return engine.request_footprint(svc.registry, actor(user), ent.uscc, body.supplier, body.product, body.message)


@router.post("/footprint-requests/{request_id}/answer")
def answer_request(request_id: Annotated[int, Path(ge=1, le=2**31 - 1)], body: RequestAnswer, user: UserDep,
                   svc: ServicesDep) -> dict[str, Any]:
    """The supplier shares one of its records with the customer (consent), or declines."""
    return engine.answer_request(svc.registry, actor(user), request_id, body.share)


@router.get("/certification/applications")
def list_applications(user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """Applications the user may see: its enterprises' or, for a certification body, those made to it."""
    return {"items": engine.applications(svc.registry, actor(user))}


@router.post("/certification/applications", status_code=201)
def create_application(body: ApplicationCreate, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """Apply (委托) to a certification body for a carbon-footprint label of a record."""
    return engine.apply(svc.registry, actor(user), body.footprint, body.body)


@router.get("/certification/applications/{number}")
def get_application(number: Number, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """An application with every step taken and the footprint it certifies."""
    return engine.application(svc.registry, actor(user), number)


@router.post("/certification/applications/{number}/steps")
def take_step(number: Number, body: StepTake, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """Take a step; the decision's pass issues the certificate."""
    return engine.take_step(svc.registry, actor(user), number, body.step, body.passed, body.note, body.footprint)


@router.post("/certificates/{number}/actions")
def certificate_action(number: Number, body: CertificateAction, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """Surveil (auditor), suspend, reinstate or withdraw (decision maker) a certificate of the user's body."""
    return engine.certificate_action(svc.registry, actor(user), number, body.action, body.passed, body.note)


@router.get("/public/certificates/{number}")
def public_certificate(number: Number, svc: ServicesDep) -> dict[str, Any]:
    """A certificate as anyone may check it (no login): valid, suspended, withdrawn or expired."""
    return engine.public_certificate(svc.registry, number)


@router.get("/public/certificates/{number}/label.{kind}")
def label(number: Number, kind: Literal["svg", "png"], svc: ServicesDep) -> Response:
    """The certificate's label, its QR code opening the public verification page of this service."""
    from nengtan.reports.label import label_png, label_svg, verify_url

    c = engine.public_certificate(svc.registry, number)
    link = verify_url(svc.settings.public_base, c["number"])
    if kind == "svg":
        return Response(label_svg(c, link), media_type="image/svg+xml")
    return Response(label_png(c, link), media_type="image/png")
