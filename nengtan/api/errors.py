"""RFC 9457 problem details for every error the service returns.

Every 4xx/5xx body is ``application/problem+json`` with ``type``, ``title``, ``status``, ``detail``
(one line saying what went wrong and how to fix it) and ``instance`` (the request path); validation
errors add ``errors`` (one entry per offending field).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from nengtan.errors import NengtanError
from nengtan.messages import FRAMES, error_in_chinese, validation_in_chinese

log = logging.getLogger("nengtan.api")
PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://nengtan.example/problems/"


class ApiError(Exception):
    """An error with an HTTP status and a one-line message for the user."""

    def __init__(self, status: int, detail: str, kind: str | None = None,
                 headers: dict[str, str] | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.kind = kind
        self.headers = headers
        self.extra = extra


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} not found or not accessible to you", "not-found")


def forbidden(detail: str) -> ApiError:
    return ApiError(403, detail, "forbidden")


def bad_request(detail: str, **extra: Any) -> ApiError:
    return ApiError(400, detail, "bad-request", **extra)


def problem(request: Request, status: int, detail: str, kind: str | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    slug = kind or title.lower().replace(" ", "-")
    body: dict[str, Any] = {
        "type": TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    zh = error_in_chinese(status, detail)
    if zh is not None:  # the same message in Chinese, for a page in Chinese (nengtan.messages)
        body["detail_zh"] = zh
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")) or str(
        loc[0] if loc else "request")


def install(app: FastAPI) -> None:
    """Register the handlers that turn every exception into problem details."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return problem(request, exc.status, exc.detail, exc.kind, exc.headers, **exc.extra)

    @app.exception_handler(NengtanError)
    async def _domain_error(request: Request, exc: NengtanError) -> JSONResponse:
        """Every user-fixable error of the engine and the domain, with the status it carries."""
        return problem(request, exc.status, str(exc).strip().strip("'\"") or type(exc).__name__,
                       type(exc).__name__)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such resource: {request.url.path}"
        elif exc.status_code == 405:
            detail = f"method {request.method} is not allowed on {request.url.path}"
        return problem(request, exc.status_code, detail, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field(tuple(e.get("loc", ()))), "message": str(e.get("msg", "invalid")),
             "message_zh": validation_in_chinese(_field(tuple(e.get("loc", ()))), str(e.get("type", "")),
                                                 e.get("ctx"), str(e.get("msg", "invalid")))}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"field": "request", "message": "invalid", "message_zh": FRAMES["invalid"][1]}
        detail = f"{first['field']}: {first['message']}"
        if len(errors) > 1:
            detail += f" (and {len(errors) - 1} more)"
        more = FRAMES["more"][1].format(n=len(errors) - 1) if len(errors) > 1 else ""
        return problem(request, 422, detail, "validation-error", errors=errors, detail_zh=first["message_zh"] + more)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(request, 500, "internal error; the administrator can find it in the server log",
                       "internal-error")
