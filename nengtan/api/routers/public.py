"""What the park publishes (public, no login) and the administrator's publish action."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path
from sqlalchemy import func, select

from nengtan.api.deps import AdminDep, ServicesDep
from nengtan.api.errors import not_found
from nengtan.api.schemas import PublishRequest
from nengtan.engine import cockpit
from nengtan.registry import audit
from nengtan.registry.tables.publishing import Publication
from nengtan.reports.words import zh

router = APIRouter(prefix="/api", tags=["public"])
PUBLIC_KEYS = ("scope", "period", "factor_set", "energy_tce", "energy_equiv_tce", "co2_t", "scope1_t",
               "scope2_location_t", "scope2_market_t", "intensities", "non_fossil_energy_share",
               "renewable_electricity_share", "enterprises", "data_version")


def _pub(p: Publication, with_payload: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"year": p.year, "version": p.version, "title": p.title,
                           "published_at": p.published_at.isoformat()}
    if with_payload:
        out["figures"] = json.loads(p.payload)
    return out


@router.get("/health")
def health() -> dict[str, str]:
    """Liveness (no data)."""
    return {"status": "ok"}


@router.get("/public/publications")
def publications(svc: ServicesDep) -> dict[str, Any]:
    """Published park figures (newest version of each year)."""
    with svc.registry.session() as s:
        rows = s.execute(select(Publication).order_by(Publication.year.desc(), Publication.version.desc()))
        seen: set[int] = set()
        items = []
        for p in rows.scalars():
            if p.year not in seen:
                seen.add(p.year)
                items.append(_pub(p))
    return {"items": items}


@router.get("/public/publications/{year}")
def publication(year: Annotated[int, Path(ge=1990, le=2100)], svc: ServicesDep) -> dict[str, Any]:
    """The newest published figures of a year."""
    with svc.registry.session() as s:
        p = s.execute(select(Publication).where(Publication.year == year)
                      .order_by(Publication.version.desc()).limit(1)).scalar()
        if p is None:
            raise not_found(f"publication for {year}")
        return _pub(p)


@router.post("/publications", status_code=201)
def publish(body: PublishRequest, admin: AdminDep, svc: ServicesDep) -> dict[str, Any]:
    """Publish the park's inventory of a year (a frozen snapshot; republishing makes a new version)."""
    inv = cockpit.inventory_dict(svc, body.year)
    figures = {k: inv.get(k) for k in PUBLIC_KEYS}
    with svc.registry.session() as s:
        v = (s.execute(select(func.max(Publication.version)).where(Publication.year == body.year)).scalar()
             or 0) + 1
        p = Publication(year=body.year, version=v, title=body.title or zh("Park energy and carbon emissions {year}",
                                                                      year=body.year),
                        payload=json.dumps(figures, ensure_ascii=False), published_by=admin.username)
        s.add(p)
        s.flush()
        audit.record(s, admin.username, "publication.create", f"publication:{body.year}:{v}",
                     {"co2_t": figures.get("co2_t"), "energy_tce": figures.get("energy_tce")})
        return _pub(p)
