"""Log in (token), log out, who am I."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from nengtan.api.auth import burn_time, issue_token, verify_password
from nengtan.api.deps import TOKEN_COOKIE, ServicesDep, UserDep
from nengtan.api.errors import ApiError
from nengtan.api.schemas import LoginRequest, TokenResponse
from nengtan.api.users import UserView, view
from nengtan.registry import audit
from nengtan.registry.tables.access import User

router = APIRouter(prefix="/api/auth", tags=["auth"])


def check_login(request: Request, svc: ServicesDep, body: LoginRequest) -> tuple[str, dt.datetime, UserView]:
    """A token for a correct username and password (rate-limited and audited); ApiError 401/429 otherwise.
    The login page, the API and the PACT client-credentials grant all come here."""
    ip = request.client.host if request.client else "unknown"
    # failures count per (account, address) and per address, and per account with a far higher limit
    # (a back-off against guessing from many addresses): an attacker's failures slow the attacker
    # down, never lock the real user, who logs in from another address, out of the account
    keys = (f"user-ip:{body.username}|{ip}", f"ip:{ip}")
    account = f"user:{body.username}"
    wait = max(svc.limiter.retry_after(*keys), svc.account_limiter.retry_after(account))
    if wait > 0:
        with svc.registry.session() as s:
            audit.record(s, body.username[:100], "auth.rate_limited", f"user:{body.username}"[:200],
                         {"ip": ip, "retry_after_s": int(wait) + 1})
        raise ApiError(429, f"too many failed logins; try again in {int(wait) + 1} s", "rate-limited",
                       headers={"Retry-After": str(int(wait) + 1)})
    with svc.registry.session() as s:
        user = s.execute(select(User).where(User.username == body.username)).scalar()
        if user is None:
            burn_time(body.password)
            ok = False
        else:
            ok = user.active and verify_password(user.password_hash, body.password)
        if not ok or user is None:
            svc.limiter.failed(*keys)
            svc.account_limiter.failed(account)
            audit.record(s, body.username[:100], "auth.login_failed", f"user:{body.username}"[:200],
                         {"ip": ip})
            v = None
        else:
            svc.limiter.succeeded(keys[0])
            svc.account_limiter.succeeded(account)
            v = view(s, user)
    if v is None:
        raise ApiError(401, "wrong username or password", "unauthorized",
                       headers={"WWW-Authenticate": "Bearer"})
    token, exp = issue_token(v.username, v.role, svc.settings.secret_key, svc.settings.token_ttl_minutes)
    return token, exp, v


@router.post("/token", response_model=TokenResponse)
def login(body: LoginRequest, request: Request, response: Response, svc: ServicesDep) -> TokenResponse:
    """Exchange username and password for a bearer token (also set as an HttpOnly cookie for pages)."""
    token, exp, v = check_login(request, svc, body)
    response.set_cookie(TOKEN_COOKIE, token, max_age=svc.settings.token_ttl_minutes * 60, httponly=True,
                        samesite="strict", path="/", secure=request.url.scheme == "https")
    return TokenResponse(access_token=token, expires_at=exp.isoformat(), username=v.username, role=v.role,
                         enterprises=v.enterprises)


@router.post("/logout", status_code=204)
def logout(response: Response) -> Response:
    """Forget the page cookie (bearer tokens simply expire)."""
    response.delete_cookie(TOKEN_COOKIE, path="/")
    response.status_code = 204
    return response


@router.get("/me")
def me(user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """The logged-in user, role and bound enterprises."""
    with svc.registry.session() as s:
        u = s.get(User, user.id)
        assert u is not None
        v = view(s, u)
    return {"username": v.username, "display_name": v.display_name, "role": v.role,
            "enterprises": v.enterprises}
