"""A user's own notification subscriptions (issue 15 item 3): what the CLI's ``notify subscribe`` makes, from the
browser. Each user sees and changes only their own; what a subscription tells them is limited to what their account
may see (nengtan.engine.notify)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from nengtan.api.deps import ServicesDep, UserDep
from nengtan.api.errors import ApiError
from nengtan.engine import notify
from nengtan.notify.messages import KINDS, REPORT_KINDS

router = APIRouter(prefix="/api/me/subscriptions", tags=["notifications"])


class SubscriptionCreate(BaseModel):
    """Which events, by which channel, to which address or robot URL; a digest lists a run's events in one message."""

    model_config = ConfigDict(extra="forbid")
    kinds: list[Literal["warnings", "quality", "certificates", "compliance", "alarms", "report_inventory",
                        "report_targets"]] = Field(min_length=1, max_length=7)
    channel: Literal["email", "wecom", "dingtalk", "webhook"]
    target: str = Field(min_length=3, max_length=500)
    digest: bool = False
    report_day: int | None = Field(default=None, ge=1, le=28, description="scheduled reports: the day of the month")


def _own(svc: ServicesDep, username: str) -> list[dict[str, Any]]:
    return notify.subscriptions(svc.registry, username)


@router.get("")
def my_subscriptions(user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """The caller's subscriptions (stopped ones too), and the kinds and channels there are (scheduled reports for
    the park's staff only)."""
    kinds = [k for k in KINDS if user.role == "admin" or k not in REPORT_KINDS]
    return {"items": _own(svc, user.username), "kinds": kinds, "channels": list(notify.CHANNELS)}


@router.post("", status_code=201)
def subscribe(body: SubscriptionCreate, user: UserDep, svc: ServicesDep) -> dict[str, Any]:
    """Subscribe the caller; an address or URL that does not fit the channel is refused with the reason."""
    if user.role == "public":
        raise ApiError(403, "a public account has nothing to be told of", "forbidden")
    return notify.subscribe(svc.registry, user.username, user.username, list(dict.fromkeys(body.kinds)),
                            body.channel, body.target, body.digest, body.report_day)


@router.delete("/{subscription_id}", status_code=204)
def unsubscribe(subscription_id: Annotated[int, Path(ge=1, le=2**31 - 1)], user: UserDep, svc: ServicesDep) -> None:
    """Stop one of the caller's subscriptions (anyone else's is not found)."""
    notify.unsubscribe(svc.registry, user.username, subscription_id, user.username)
