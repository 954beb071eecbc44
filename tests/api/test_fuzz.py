"""Fuzz every operation of the OpenAPI document with schemathesis: no input may cause a 500."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from nengtan.api.app import create_app
from nengtan.api.settings import load_settings

from .conftest import make_demo

_state: dict[str, object] = {}


def _app():  # type: ignore[no-untyped-def]
    if "app" not in _state:
        import tempfile
        from pathlib import Path
        demo = make_demo(Path(tempfile.mkdtemp(prefix="nengtan-fuzz-")))
        app = create_app(load_settings(home=str(demo.home), database_url=demo.url, login_max_attempts=100000,
                                       secret_key="fuzz-" + "f" * 40))
        from fastapi.testclient import TestClient
        with TestClient(app) as c:
            tok = c.post("/api/auth/token", json={"username": "admin", "password": "demo-admin-pass"}).json()
        _state.update(app=app, auth={"Authorization": f"Bearer {tok['access_token']}"})
    return _state["app"]


schema = schemathesis.openapi.from_asgi("/api/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case) -> None:  # type: ignore[no-untyped-def]
    response = case.call(headers=dict(_state["auth"]))  # type: ignore[arg-type]
    where = f"{case.method} {case.formatted_path}"
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        ctype = response.headers.get("content-type")
        ctype = ctype[0] if isinstance(ctype, list) else ctype
        if case.path.startswith("/pact/") and str(ctype).startswith("application/json"):
            # the PACT API answers in its own formats: an Error object, or OAuth 2.0's on its token endpoint
            body = response.json()
            assert {"code", "message"} <= set(body) or "error" in body, f"{where}: {body}"
            return
        assert str(ctype).startswith("application/problem+json"), f"{case.method} {case.formatted_path}: {ctype}"
