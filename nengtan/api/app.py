"""The application factory: ``create_app(settings)``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from nengtan import __version__
from nengtan.api import errors
from nengtan.api.hardening import Hardening
from nengtan.api.routers import (
    admin,
    assets,
    auth,
    cockpit,
    energy,
    enterprises,
    entries,
    evaluation,
    footprints,
    greenpower,
    inventory,
    notify,
    operations,
    pact,
    pages,
    parkreports,
    public,
    ratings,
    reports,
    templates,
    uploads,
    verification,
)
from nengtan.api.services import Services
from nengtan.api.settings import Settings, load_settings

DESCRIPTION = """能碳 nengtan platform service: the park cockpit, the enterprise portal and the JSON API.

Log in with `POST /api/auth/token` and send `Authorization: Bearer <token>`. Every error is an
RFC 9457 problem-details document. Energy is in tce, CO2 in t, intensities per 万元 of value added.
"""


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """Build the FastAPI app over the registry and lake named by ``settings``."""
    settings = settings or load_settings()
    svc = services or Services.open(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if services is None:
            svc.close()

    app = FastAPI(title="nengtan 能碳", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, openapi_url="/api/openapi.json", redoc_url=None)
    app.state.services = svc
    app.add_middleware(Hardening, max_request_bytes=settings.max_request_mb * 1024 * 1024,
                       secret_key=svc.settings.secret_key)
    errors.install(app)
    for module in (auth, admin, enterprises, inventory, cockpit, uploads, verification, reports, public,
                   footprints, pact, greenpower, ratings, assets, evaluation, energy, templates, entries, notify,
                   operations, parkreports):
        app.include_router(module.router)
    _domain_routers(app, svc)
    app.include_router(pages.router)
    static = resources.files("nengtan.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    _api_docs(app)
    return app


def _api_docs(app: FastAPI) -> None:
    """``/api/docs``: Swagger UI 5 from the packaged swagger-ui-py's assets (no CDN: the docs work offline; Swagger
    UI 4 cannot read OpenAPI 3.1), under the pages' strict Content-Security-Policy (its one inline script named by
    hash)."""
    from pathlib import Path

    import swagger_ui
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse

    from nengtan.api.hardening import page_csp

    assets = Path(swagger_ui.__file__).parent / "static"
    app.mount("/api/docs-assets", StaticFiles(directory=str(assets)), name="docs-assets")

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        page = get_swagger_ui_html(openapi_url="/api/openapi.json", title=f"{app.title} — API",
                                   swagger_js_url="/api/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/api/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/static/favicon.svg")
        html = bytes(page.body).decode()
        return HTMLResponse(html, headers={"Content-Security-Policy": page_csp(html)})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(resources.files("nengtan.web").joinpath("static", "favicon.svg").read_bytes(),
                        media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})


def _domain_routers(app: FastAPI, svc: Services) -> None:
    """Issue 4's targets routes, and issue 3's gateway ingestion (``POST /api/ingest/readings``)."""
    from nengtan.api.routers import targets
    from nengtan.ingest.http import IngestService, make_router

    app.include_router(targets.router)
    # Gateways authenticate with their own tokens (nengtan ingest gateway add/token), never with a user
    # login; the router is issue 3's, unchanged, under /api.
    from nengtan.engine.alarms import AlarmWatch

    app.state.ingest = IngestService(svc.registry, svc.lake, watch=AlarmWatch(svc.registry, svc.lake))
    app.include_router(make_router(app.state.ingest), prefix="/api")
