"""Server-side pages: static HTML shells (nengtan/web/templates) filled by the JSON API in the browser.

A page that shows an enterprise's data checks access on the server first (with the page cookie), so
another enterprise's page answers 404 before any HTML or data is sent.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from nengtan.api.deps import Principal, ServicesDep, enterprise_for, optional_user
from nengtan.api.errors import ApiError
from nengtan.api.hardening import page_csp
from nengtan.i18n import keyed
from nengtan.registry.tables.access import CERT_ROLES

router = APIRouter(include_in_schema=False)
OptUser = Annotated[Principal | None, Depends(optional_user)]


@lru_cache(maxsize=32)
def _template(name: str) -> str:
    return resources.files("nengtan.web").joinpath("templates", name).read_text(encoding="utf-8")


def page(template_name: str, status: int = 200, **values: str) -> HTMLResponse:
    html = _template(template_name)
    for k, v in values.items():
        html = html.replace("{{" + k + "}}", v.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store",
                                                           "Content-Security-Policy": page_csp(html)})


def _login_redirect(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


@router.get("/")
def home(user: OptUser) -> Response:
    if user is None:
        return page("public.html")
    if user.is_staff:
        return RedirectResponse("/cockpit", status_code=303)
    if user.enterprise_ids:
        return RedirectResponse("/portal", status_code=303)
    return page("public.html")


@router.get("/labels.js")
def labels_script() -> Response:
    """The names of codes (carriers, statuses, sources, meter kinds …) in both languages, from nengtan.labels — the
    message catalogue's names the CLI, the workbooks and the pages share — as a script the pages load before theirs."""
    return _script(_labels_script())


@router.get("/i18n.js")
def words_script() -> Response:
    """The pages' own words in both languages (window.NT_I18N), from the message catalogue's entries ``web:<key>``
    (nengtan.i18n), as a script the pages load first."""
    return _script(_words_script())


def _script(text: str) -> Response:
    return Response(text, media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=3600"})


@lru_cache(maxsize=1)
def _words_script() -> str:
    import json

    from nengtan.i18n import page_words

    return ("// zh (default) / en words of every page, from the message catalogue (the choice: localStorage).\n"
            "window.NT_I18N = " + json.dumps(page_words(), ensure_ascii=False, indent=1) + ";\n")


@lru_cache(maxsize=1)
def _labels_script() -> str:
    import json

    from nengtan.labels import PAGE_TABLES

    return "window.NT_LABELS = " + json.dumps(PAGE_TABLES, ensure_ascii=False, sort_keys=True) + ";\n"


@router.get("/login")
def login_page() -> HTMLResponse:
    return page("login.html")


@router.get("/public")
def public_page() -> HTMLResponse:
    return page("public.html")




def refusal(key: str, **fields: object) -> str:
    """A page's refusal (the message catalogue's ``page:<key>``), its Chinese and its English: the error page is drawn
    before the page's own language is known."""
    english, chinese = keyed("page")[key]
    return f"{chinese.format(**fields)} / {english.format(**fields)}"


STAFF_ONLY = refusal("staff_only")
ADMINS_ONLY = refusal("admins_only")


def _staff_page(request: Request, user: Principal | None, template: str, admin_only: bool = False,
                **values: str) -> Response:
    """A page for the park's staff, with the staff member's place (``admin_only``: the installation's
    administrators): the login first, a 403 page for anyone else."""
    if user is None:
        return _login_redirect(request)
    if not (user.is_admin if admin_only else user.is_staff):
        return page("error.html", 403, message=ADMINS_ONLY if admin_only else STAFF_ONLY)
    return page(template, 200, place=user.place or "", **values)


@router.get("/cockpit")
def cockpit(request: Request, user: OptUser) -> Response:
    return _staff_page(request, user, "cockpit.html")


@router.get("/cockpit/screen")
def screen_page(request: Request, user: OptUser) -> Response:
    """The large-screen cockpit (驾驶舱大屏): one 1920×1080 screen, refreshed every few minutes."""
    return _staff_page(request, user, "screen.html")


@router.get("/admin")
def admin_page(request: Request, user: OptUser) -> Response:
    """Administration: users and roles, targets, the carbon budget, the audit log, publishing, factor sets."""
    return _staff_page(request, user, "admin.html", admin_only=True)


@router.get("/cockpit/evaluation")
def evaluation_page(request: Request, user: OptUser) -> Response:
    """The park's evaluations: HJ 274-2015 with pass/fail and trend, zero-carbon park, GHG inventory."""
    return _staff_page(request, user, "evaluation.html")


@router.get("/cockpit/sectors/{code}")
def sector_page(request: Request, code: Annotated[str, Path(max_length=8)], user: OptUser) -> Response:
    return _staff_page(request, user, "sector.html", code=code)


@router.get("/portal")
def portal_home(request: Request, user: OptUser, svc: ServicesDep) -> Response:
    if user is None:
        return _login_redirect(request)
    if user.is_staff:
        return RedirectResponse("/cockpit", status_code=303)
    first = _first_enterprise(user, svc)
    if first is None:
        return page("error.html", 404, message=refusal("no_enterprise"))
    return RedirectResponse(f"/portal/{first}", status_code=303)


def _first_enterprise(user: Principal, svc: ServicesDep) -> str | None:
    """The credit code of the first enterprise the user may see (None: none)."""
    from nengtan.api.routers.enterprises import list_enterprises
    from nengtan.api.schemas import Paging

    first = list_enterprises(user, svc, Paging(1, 0))["items"]
    return str(first[0]["uscc"]) if first else None


def _enterprise_page(request: Request, user: Principal | None, svc: ServicesDep, uscc: str, template_name: str,
                     **values: str) -> Response:
    if user is None:
        return _login_redirect(request)
    try:
        ent = enterprise_for(svc, user, uscc)
    except ApiError:
        return page("error.html", 404, message=refusal("enterprise_not_found", uscc=uscc))
    return page(template_name, 200, uscc=ent.uscc, name=ent.name, **values)


@router.get("/portal/{uscc}")
def portal(request: Request, uscc: Annotated[str, Path(max_length=40)], user: OptUser,
           svc: ServicesDep) -> Response:
    return _enterprise_page(request, user, svc, uscc, "portal.html")


@router.get("/portal/{uscc}/meters/{code}")
def meter_page(request: Request, uscc: Annotated[str, Path(max_length=40)],
               code: Annotated[str, Path(max_length=64)], user: OptUser, svc: ServicesDep) -> Response:
    return _enterprise_page(request, user, svc, uscc, "meter.html", code=code)


@router.get("/verify/{number}")
def verify_certificate(number: Annotated[str, Path(max_length=40)], svc: ServicesDep) -> Response:
    """The public check behind a label's QR code: valid, suspended, withdrawn or expired (no login)."""
    from nengtan.engine.certification import public_certificate
    from nengtan.errors import NotFoundError
    from nengtan.reports.label import label_value

    try:
        c = public_certificate(svc.registry, number)
    except NotFoundError:
        return page("error.html", 404, message=refusal("no_certificate", number=number))
    return page("verify.html", 200, **{k: str(c[k] if c[k] is not None else "—") for k in (
        "number", "status_name", "status_reason", "product_name", "declared_unit", "enterprise", "uscc",
        "reference_year", "issued_on", "valid_to", "body", "standard", "checked_on")},
        verdict=c["status"], value=label_value(c))


@router.get("/footprints")
def footprints_home(request: Request, user: OptUser, svc: ServicesDep) -> Response:
    """Product footprints: an enterprise's own page; a certification body's (or the administrator's) work list."""
    if user is None:
        return _login_redirect(request)
    first = _first_enterprise(user, svc) if user.role == "enterprise" else None
    if first is not None:
        return RedirectResponse(f"/footprints/{first}", status_code=303)
    if user.is_admin or user.role in CERT_ROLES:
        return page("footprints.html", uscc="", name=user.org or "", mode="body")
    return page("error.html", 403, message=refusal("footprints_only"))


@router.get("/footprints/{uscc}")
def footprints_page(request: Request, uscc: Annotated[str, Path(max_length=40)], user: OptUser,
                    svc: ServicesDep) -> Response:
    return _enterprise_page(request, user, svc, uscc, "footprints.html", mode="enterprise")
