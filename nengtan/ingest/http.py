"""HTTP batch ingestion for gateways that cannot speak MQTT.

``POST /ingest/readings`` with ``Authorization: Bearer <gateway token>`` and a body that is either

* JSON (``Content-Type: application/json``): the MQTT payload, ``{"readings": [{"meter", "ts", "value",
  "unit", "quality"?}, ...]}`` or a bare list; or
* CSV (``Content-Type: text/csv``): a header ``meter,ts,value,unit[,quality]`` and one reading per line.

Answer (200): ``{"gateway", "accepted", "duplicate", "rejected", "rejections": [{"index", "meter",
"column", "reason"}], "quarantine_batch", "lake_version"}``. A token writes only its gateway's meters;
everything else is rejected per reading with the reason and quarantined. 401 without a valid token,
400 for a body that cannot be read at all (quarantined too), 413 above ``max_bytes``.

The router is built by :func:`make_router` so the main API (issue 5) can mount it;
:func:`create_app` wraps it in a small app of its own (``nengtan ingest http``).
"""

from __future__ import annotations

import csv
import io
import json
import logging
import threading
import time
import uuid
from typing import Any

from fastapi import APIRouter, FastAPI, Header, HTTPException, Request
from pydantic import BaseModel

from nengtan.ingest import quarantine
from nengtan.ingest.validate import Catalog, Reject, Validator
from nengtan.ingest.watch import ReadingsWatch
from nengtan.lake.dedupe import DedupeWriter
from nengtan.lake.store import Lake
from nengtan.registry import audit
from nengtan.registry.store import Registry

log = logging.getLogger("nengtan.ingest.http")

CSV_COLUMNS = ("meter", "ts", "value", "unit", "quality")


class Rejection(BaseModel):
    index: int
    meter: str | None
    column: str
    reason: str


class IngestAnswer(BaseModel):
    gateway: str
    accepted: int
    duplicate: int
    rejected: int
    rejections: list[Rejection]
    quarantine_batch: str | None
    lake_version: int


class BodyError(ValueError):
    """A request body that cannot be read as readings."""


def parse_body(body: bytes, content_type: str) -> list[Any]:
    """Readings from a JSON or CSV body (BodyError says what is wrong and how to fix it)."""
    ctype = content_type.split(";")[0].strip().lower()
    if ctype in ("text/csv", "application/csv"):
        try:
            text = body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BodyError(f"CSV body is not UTF-8: {exc}") from exc
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in ("meter", "ts", "value") if c not in header]
        if missing:
            raise BodyError(f"CSV header lacks {', '.join(missing)}; expected meter,ts,value,unit[,quality]")
        rows = []
        for row in reader:
            r = {k.strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k}
            rows.append({k: (r.get(k) or None) for k in CSV_COLUMNS})
        return rows
    if ctype in ("application/json", ""):
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, ValueError) as exc:
            raise BodyError(f"body is not JSON: {exc}") from exc
        if isinstance(data, dict):
            data = data.get("readings")
        if not isinstance(data, list):
            raise BodyError("JSON body has no 'readings' list")
        return data
    raise BodyError(f"content type {ctype!r} not supported; send application/json or text/csv")


class IngestService:
    """Validation, exactly-once storage and quarantine for HTTP batches (thread-safe)."""

    def __init__(self, registry: Registry, lake: Lake, catalog_refresh_s: float = 10.0,
                 max_bytes: int = 16 * 1024 * 1024, watch: ReadingsWatch | None = None) -> None:
        self.registry = registry
        self.lake = lake
        self.writer = DedupeWriter(lake)
        self.max_bytes = max_bytes
        self._refresh_s = catalog_refresh_s
        self._catalog = Catalog.load(registry)
        self._loaded = time.monotonic()
        self._lock = threading.Lock()
        self.watch = watch

    def catalog(self, force: bool = False) -> Catalog:
        if force or time.monotonic() - self._loaded >= self._refresh_s:
            self._catalog = Catalog.load(self.registry)
            self._loaded = time.monotonic()
        return self._catalog

    def authenticate(self, token: str | None) -> str:
        if not token:
            raise HTTPException(401, "missing gateway token: send 'Authorization: Bearer <token>'")
        gw = self.catalog().gateway_for_token(token) or self.catalog(force=True).gateway_for_token(token)
        if gw is None:
            raise HTTPException(401, "unknown or revoked gateway token")
        return gw

    def ingest(self, gateway: str, body: bytes, content_type: str) -> IngestAnswer:
        source = f"http:{gateway}"
        if len(body) > self.max_bytes:
            raise HTTPException(413, f"batch of {len(body)} bytes exceeds {self.max_bytes}; split it")
        try:
            readings = parse_body(body, content_type)
        except BodyError as exc:
            quarantine.record(self.registry, "http", source, body + uuid.uuid4().bytes,
                              [Reject(-1, "", str(exc), body)], quarantine.Counts(0, 0, 0, 1), gateway)
            raise HTTPException(400, str(exc)) from exc
        catalog = self.catalog()
        catalog.refresh_locks(self.registry)
        v = Validator(catalog).validate(readings, gateway=gateway)
        with self._lock:
            res = self.writer.write(v.table(), v.carriers(), None, {"source": "http", "gateway": gateway}) \
                if len(v) else None
        if res is not None and res.conflicts:
            v.rejects += v.conflict_rejects(res.conflicts)
        if res is not None and self.watch is not None:
            try:
                self.watch.check(v.table())
            except Exception:  # an alarm that cannot be stored never refuses the readings
                log.exception("live alarm check failed; the readings are stored")
        audit.append(self.registry, f"gateway:{gateway}", "ingest.readings", f"lake:{res.version if res else '-'}",
                     {"path": "http", "readings": len(readings), "accepted": res.accepted if res else 0,
                      "duplicate": res.duplicate if res else 0, "rejected": len(v.rejects)})
        qb = quarantine.record(self.registry, "http", source, gateway.encode() + b"\0" + body, v.rejects,
                               quarantine.Counts(len(readings), res.accepted if res else 0,
                                                 res.duplicate if res else 0,
                                                 len(v.rejects)), gateway)
        return IngestAnswer(
            gateway=gateway, accepted=res.accepted if res else 0, duplicate=res.duplicate if res else 0,
            rejected=len(v.rejects), quarantine_batch=qb, lake_version=res.version if res else self.lake.version,
            rejections=[Rejection(index=r.index, meter=r.raw.get("meter") if isinstance(r.raw, dict) else None,
                                  column=r.column, reason=r.reason) for r in v.rejects])


def make_router(service: IngestService) -> APIRouter:
    """The ``/ingest`` routes, for mounting in any FastAPI app (``app.include_router(router)``)."""
    router = APIRouter(prefix="/ingest", tags=["ingest"])

    @router.post("/readings", response_model=IngestAnswer)
    async def post_readings(request: Request, authorization: str | None = Header(default=None),
                            x_gateway_token: str | None = Header(default=None)) -> IngestAnswer:
        token = x_gateway_token
        if authorization and authorization.lower().startswith("bearer "):
            token = authorization[7:].strip()
        gateway = service.authenticate(token)
        body = await request.body()
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(service.ingest, gateway, body, request.headers.get("content-type", ""))

    @router.get("/health")
    def health() -> dict[str, object]:
        return {"ok": True, "lake_version": service.lake.version}

    return router


def create_app(registry: Registry, lake: Lake, watch: ReadingsWatch | None = None) -> FastAPI:
    """A stand-alone app serving only the ingest routes."""
    app = FastAPI(title="nengtan ingest", version="1")
    app.include_router(make_router(IngestService(registry, lake, watch=watch)))
    return app
