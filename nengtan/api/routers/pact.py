"""The PACT 3.0 REST API (WBCSD Technical Specifications for PCF Data Exchange: Authenticate, ListFootprints,
GetFootprint, Events) for a customer's system to fetch the footprints its suppliers shared with it.

A data recipient is an enterprise user of the platform: it authenticates by the OAuth 2.0 client
credentials grant (RFC 6749 4.4) with its login as client id and secret, and lists exactly the footprints
shared with its enterprises (nengtan.engine.certification.shared_pact). Errors are PACT Error objects
(``{"code", "message"}``).
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from nengtan.api.deps import Principal, ServicesDep, optional_user
from nengtan.api.errors import ApiError
from nengtan.api.routers.auth import check_login
from nengtan.api.routers.footprints import actor
from nengtan.api.schemas import LoginRequest
from nengtan.engine import certification as engine
from nengtan.errors import NotFoundError

router = APIRouter(prefix="/pact", tags=["PACT 3.0"])
OptUser = Annotated[Principal | None, Depends(optional_user)]


def error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message}, status_code=status)


@router.post("/auth/token")
def token(request: Request, svc: ServicesDep, grant_type: Annotated[str, Form()] = "") -> JSONResponse:
    """OAuth 2.0 client credentials: HTTP Basic ``client_id:client_secret`` (an enterprise user's login)."""
    if grant_type != "client_credentials":
        return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
    header = request.headers.get("authorization", "")
    try:
        raw = base64.b64decode(header[6:], validate=True).decode() if header.lower().startswith("basic ") else ""
        client_id, _, secret = raw.partition(":")
        creds = LoginRequest(username=client_id, password=secret)
    except (binascii.Error, UnicodeDecodeError, ValidationError):
        return JSONResponse({"error": "invalid_client"}, status_code=401)
    try:
        tok, _exp, _view = check_login(request, svc, creds)
    except ApiError as exc:  # wrong client credentials (401) or too many failures (429)
        return JSONResponse({"error": "invalid_client", "error_description": exc.detail},
                            status_code=exc.status if exc.status == 429 else 401, headers=exc.headers)
    return JSONResponse({"access_token": tok, "token_type": "bearer",
                         "expires_in": svc.settings.token_ttl_minutes * 60, "scope": "footprint:list footprint:read"})


def _who(user: Principal | None) -> JSONResponse | None:
    if user is None:
        return error(401, "AccessDenied", "a valid bearer token from /pact/auth/token is required")
    if user.role != "enterprise":
        return error(403, "AccessDenied", "only a data recipient's (an enterprise's) account may fetch footprints")
    return None


@router.get("/3/footprints")
def list_footprints(request: Request, svc: ServicesDep, user: OptUser,
                    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
                    offset: Annotated[int, Query(ge=0)] = 0) -> JSONResponse:
    """ListFootprints: the footprints shared with the caller's enterprises, paginated by a ``Link`` header."""
    if (refused := _who(user)) is not None:
        return refused
    assert user is not None
    docs = engine.shared_pact(svc.registry, actor(user))
    page = docs[offset:offset + limit] if limit else docs[offset:]
    headers = {}
    if limit and offset + limit < len(docs):
        nxt = request.url.include_query_params(limit=limit, offset=offset + limit)
        headers["Link"] = f'<{nxt}>; rel="next"'
    return JSONResponse({"data": page}, headers=headers)


@router.get("/3/footprints/{pf_id}")
def get_footprint(pf_id: str, svc: ServicesDep, user: OptUser) -> JSONResponse:
    """GetFootprint: one footprint shared with the caller (NotFound otherwise, shared or not existing alike)."""
    if (refused := _who(user)) is not None:
        return refused
    assert user is not None
    try:
        doc: dict[str, Any] = engine.pact_document(svc.registry, actor(user), pf_id[:40])
    except NotFoundError:
        return error(404, "NotFound", "The requested footprint could not be found.")
    return JSONResponse({"data": doc})


@router.post("/3/events")
def events(user: OptUser) -> JSONResponse:
    """Events (asynchronous requests) are not offered: requests go through the platform (footprint-requests)."""
    if (refused := _who(user)) is not None:
        return refused
    return error(400, "NotImplemented", "events are not implemented by this host; ask the supplier through the "
                 "platform's footprint requests")
