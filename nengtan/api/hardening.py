"""Request and response hardening, as one ASGI middleware in front of the app.

* Security headers on every response: ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``,
  ``Referrer-Policy: no-referrer``, and a Content-Security-Policy. Pages are served offline (no CDN),
  so theirs is strict: scripts only from the app itself and the inline scripts of the page, named by
  their SHA-256 (:func:`page_csp`, set by the pages router); everything else gets ``default-src 'none'``.
* Request size: a body larger than ``max_request_mb`` is answered 413 before it is read — from its
  Content-Length when it states one, else as soon as more has arrived.
* Authenticate first: a write to the API (POST/PUT/PATCH/DELETE under ``/api/``) must carry a valid,
  unexpired bearer token before its body is read, so an anonymous upload is refused with 401 at once
  instead of being spooled. Login, logout and gateway ingestion (own tokens, checked before reading)
  are exempt.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request

from nengtan.api.auth import read_token
from nengtan.api.deps import LOGIN_FIRST, token_from
from nengtan.api.errors import problem

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COMMON_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"),
                  (b"referrer-policy", b"no-referrer")]
API_CSP = b"default-src 'none'; frame-ancestors 'none'"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
AUTH_EXEMPT = ("/api/auth/token", "/api/auth/logout", "/api/ingest/")
"""Login, logout (it only forgets the page cookie) and gateway ingestion (own tokens, checked first)."""
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def page_csp(html: str) -> str:
    """The Content-Security-Policy of one page: its own origin, plus its inline scripts by hash."""
    hashes = " ".join("'sha256-" + base64.b64encode(hashlib.sha256(m.encode()).digest()).decode() + "'"
                      for m in _INLINE_SCRIPT.findall(html))
    return ("default-src 'self'; script-src 'self' " + hashes + "; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")


class Hardening:
    """The middleware (see the module docstring)."""

    def __init__(self, app: ASGIApp, max_request_bytes: int, secret_key: str) -> None:
        self.app = app
        self.max_bytes = max_request_bytes
        self.secret = secret_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            await _problem(scope, send, 413, f"the request body of {int(length):,} bytes exceeds the limit of "
                                             f"{self.max_bytes:,} bytes (max_request_mb)")
            return
        path = scope.get("path", "")
        if request.method in WRITE_METHODS and path.startswith("/api/") and not path.startswith(AUTH_EXEMPT):
            token = token_from(request)  # for a write: the Authorization header only, never the cookie
            if not token or read_token(token, self.secret) is None:
                await _problem(scope, send, 401, LOGIN_FIRST, "unauthorized", {"WWW-Authenticate": "Bearer"})
                return
        received = 0
        refused = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not refused:
                    # answer 413 now and tell the app the client is gone, so it stops reading
                    refused = True
                    await _problem(scope, send, 413, f"the request body exceeds the limit of {self.max_bytes:,} "
                                                     "bytes (max_request_mb)")
                if refused:
                    return {"type": "http.disconnect"}
            return message

        async def send_with_headers(message: Message) -> None:
            if refused:
                return  # the 413 is already sent: whatever the app says after it is dropped
            if message["type"] == "http.response.start":
                message["headers"] = _with_security_headers(list(message.get("headers", [])))
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except Exception:
            if not refused:
                raise  # after a 413 the app's complaint about the cut-off body is moot


def _with_security_headers(hs: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    names = {k.lower() for k, _ in hs}
    hs += [h for h in COMMON_HEADERS if h[0] not in names]
    if b"content-security-policy" not in names:
        hs.append((b"content-security-policy", API_CSP))
    return hs


async def _problem(scope: Scope, send: Send, status: int, detail: str, kind: str | None = None,
                   headers: dict[str, str] | None = None) -> None:
    """Answer with the service's own problem details (nengtan.api.errors.problem), security headers on."""
    response = problem(Request(scope), status, detail, kind, headers)

    async def start_and_body(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = _with_security_headers(list(message.get("headers", [])))
        await send(message)

    async def no_body() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, no_body, start_and_body)
