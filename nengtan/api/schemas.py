"""Request bodies and the shared shapes of responses (pagination, periods)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from nengtan.api.errors import ApiError

Year = Annotated[int, Query(ge=1990, le=2100, description="calendar year (Asia/Shanghai)")]
OptYear = Annotated[int | None, Query(ge=1990, le=2100, description="calendar year; default the newest")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginRequest(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: str
    username: str
    role: str
    enterprises: list[str]


class UserCreate(Strict):
    username: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.@-]+$")
    password: str = Field(min_length=10, max_length=200)
    role: Literal["admin", "enterprise", "verifier", "public"]
    enterprises: list[str] = Field(default_factory=list, max_length=1000)
    display_name: str = Field(default="", max_length=200)
    place: str | None = Field(default=None, max_length=60, description="an admin's park or region (park:<code>, "
                              "region:<code>): city or province staff see only that")


class UserUpdate(Strict):
    password: str | None = Field(default=None, min_length=10, max_length=200)
    active: bool | None = None
    enterprises: list[str] | None = Field(default=None, max_length=1000)
    display_name: str | None = Field(default=None, max_length=200)


class CommentCreate(Strict):
    text: str = Field(min_length=1, max_length=5000)


class SignOff(Strict):
    statement: str = Field(default="", max_length=5000)


class PublishRequest(Strict):
    year: int = Field(ge=1990, le=2100)
    title: str = Field(default="", max_length=200)


class Paging:
    """``limit`` / ``offset`` query parameters and the page envelope."""

    def __init__(self, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                 offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> None:
        self.limit = limit
        self.offset = offset

    def page(self, items: list[Any]) -> dict[str, Any]:
        return {"total": len(items), "limit": self.limit, "offset": self.offset,
                "items": items[self.offset:self.offset + self.limit]}


async def paging(limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                 offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> Paging:
    """The paging parameters (async: no thread-pool hop for a plain value)."""
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]


def period_filter(period: str | None) -> str | None:
    """``YYYY`` or ``YYYY-MM``; anything else is a 422."""
    if period is None:
        return None
    p = period.strip()
    ok = (len(p) == 4 and p.isdigit()) or (len(p) == 7 and p[:4].isdigit() and p[4] == "-"
                                            and p[5:].isdigit() and 1 <= int(p[5:]) <= 12)
    if not ok:
        raise ApiError(422, f"period {period!r} must be YYYY or YYYY-MM", "validation-error")
    return p
