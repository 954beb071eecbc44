"""A park's map (issue 15 item 1): its outline and plots as GeoJSON shipped with the park, drawn by the large-screen
cockpit with no map tiles from the internet.

A park's GeoJSON is a FeatureCollection of Polygon or MultiPolygon features (RFC 7946, longitude/latitude in WGS 84):
the park's outline (``"kind": "outline"``) and its plots (``"kind": "plot"``, optionally naming the ``uscc`` of the
enterprise on it). It is kept in the data home as ``geo/<park code>.geojson`` (``nengtan region park-geo``); a place's
map is its parks' features. The demo park's file is drawn from its enterprises' registered coordinates
(:func:`demo_geojson`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from nengtan.engine.stores import Stores, paths_of
from nengtan.errors import InputError
from nengtan.registry.tables.park import Enterprise, Park

GEOMETRIES = ("Polygon", "MultiPolygon")


def geo_dir(stores: Stores) -> Path:
    """Where the parks' GeoJSON files are kept: ``<home>/geo``."""
    return paths_of(stores).geo


def check_geojson(data: Any, where: str) -> dict[str, Any]:
    """A park's GeoJSON as the cockpit takes it, or an InputError naming what is wrong and where."""
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"),
                                                                                                list):
        raise InputError(f"{where}: not a GeoJSON FeatureCollection")
    for i, f in enumerate(data["features"], start=1):
        geom = f.get("geometry") if isinstance(f, dict) else None
        if not isinstance(geom, dict) or geom.get("type") not in GEOMETRIES:
            raise InputError(f"{where}: feature {i} is not a Polygon or MultiPolygon")
        rings = geom["coordinates"] if geom["type"] == "Polygon" else [r for p in geom["coordinates"] for r in p]
        for ring in rings:
            for pt in ring:
                if not (isinstance(pt, list) and len(pt) >= 2 and -180 <= float(pt[0]) <= 180
                        and -90 <= float(pt[1]) <= 90):
                    raise InputError(f"{where}: feature {i} has a point {pt!r} that is not longitude, latitude")
    return data


def save_park_geojson(stores: Stores, park_code: str, path: Path) -> int:
    """Keep ``path`` as the park's map; returns its number of features."""
    with stores.registry.session() as s:
        if s.execute(select(Park.id).where(Park.code == park_code)).scalar() is None:
            raise InputError(f"park {park_code!r} is not registered")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path.name}: cannot be read as JSON ({exc})") from None
    data = check_geojson(data, path.name)
    out = geo_dir(stores) / f"{park_code}.geojson"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(out)
    return len(data["features"])


def place_geojson(stores: Stores) -> dict[str, Any]:
    """The features of the parks the stores' place holds (the whole installation: every park with a map)."""
    from nengtan.engine.places import WHOLE, place_enterprise_ids, place_of

    place = place_of(stores)
    with stores.registry.session() as s:
        q = select(Park.code).distinct().join(Enterprise, Enterprise.park_id == Park.id)
        if place != WHOLE:
            q = q.where(Enterprise.id.in_(list(place_enterprise_ids(stores.registry, place))))
        codes = sorted(s.execute(q).scalars())
    features: list[dict[str, Any]] = []
    for code in codes:
        f = geo_dir(stores) / f"{code}.geojson"
        if f.exists():
            for feat in check_geojson(json.loads(f.read_text(encoding="utf-8")), f.name)["features"]:
                features.append({**feat, "properties": {**(feat.get("properties") or {}), "park": code}})
    return {"type": "FeatureCollection", "features": features}


def _square(lon: float, lat: float, half: float) -> list[list[list[float]]]:
    return [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half],
             [lon - half, lat - half]]]


def demo_geojson(stores: Stores, park_code: str, plot_half_deg: float = 0.0022, margin_deg: float = 0.006) -> int:
    """The demo park's map from its enterprises' coordinates: a plot around each, the outline around them all (a
    bevelled rectangle). Written as the park's GeoJSON; returns the number of features."""
    with stores.registry.session() as s:
        rows = s.execute(select(Enterprise.uscc, Enterprise.name, Enterprise.lon, Enterprise.lat)
                         .join(Park, Park.id == Enterprise.park_id)
                         .where(Park.code == park_code, Enterprise.lon.is_not(None), Enterprise.lat.is_not(None))
                         ).all()
    if not rows:
        return 0
    lons, lats = [float(r.lon) for r in rows], [float(r.lat) for r in rows]
    w, e = min(lons) - margin_deg, max(lons) + margin_deg
    so, n = min(lats) - margin_deg, max(lats) + margin_deg
    b = margin_deg
    outline = [[[w + b, so], [e - b, so], [e, so + b], [e, n - b], [e - b, n], [w + b, n], [w, n - b], [w, so + b],
                [w + b, so]]]
    features = [{"type": "Feature", "properties": {"kind": "outline", "name": park_code},
                 "geometry": {"type": "Polygon", "coordinates": outline}}]
    features += [{"type": "Feature", "properties": {"kind": "plot", "uscc": r.uscc, "name": r.name},
                  "geometry": {"type": "Polygon", "coordinates": _square(float(r.lon), float(r.lat), plot_half_deg)}}
                 for r in rows]
    out = geo_dir(stores) / f"{park_code}.geojson"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False),
                   encoding="utf-8")
    return len(features)
