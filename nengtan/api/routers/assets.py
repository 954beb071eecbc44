"""Carbon assets over HTTP (issue 12): each enterprise's compliance status of a year — obligation, holdings,
CCER use, shortfall, carry-over, deadline warning and the arithmetic's lines (nengtan.engine.carbonassets). The
park's staff see every covered enterprise; an enterprise user its own."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from nengtan.api.deps import ServicesDep, UserDep
from nengtan.api.routers.footprints import actor
from nengtan.engine import carbonassets

router = APIRouter(prefix="/api/assets", tags=["carbon assets"])


@router.get("/compliance")
def compliance(user: UserDep, svc: ServicesDep, year: Annotated[int, Query(ge=2000, le=2100)]) -> dict[str, Any]:
    return {"year": year, "items": carbonassets.status(svc.registry, actor(user), year)}
