"""A park's map (nengtan.engine.geo): GeoJSON kept with the park, refused with its reason when it is not polygons in
longitude and latitude, and a place's map is its parks' features."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nengtan.cli.main import app
from nengtan.config import data_home, database_url
from nengtan.demo import DEMO_PARK_CODE, SMALL, build_demo
from nengtan.engine.geo import check_geojson, place_geojson
from nengtan.engine.stores import LocalStores
from nengtan.errors import InputError
from nengtan.lake import Lake
from nengtan.registry.store import Registry

SQUARE = [[[118.80, 31.90], [118.81, 31.90], [118.81, 31.91], [118.80, 31.91], [118.80, 31.90]]]


def _fc(*geoms: dict) -> dict:  # type: ignore[type-arg]
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": g}
                                                      for g in geoms]}


def test_only_polygons_in_longitude_and_latitude_are_taken() -> None:
    assert check_geojson(_fc({"type": "Polygon", "coordinates": SQUARE}), "x")["features"]
    with pytest.raises(InputError, match="x: not a GeoJSON FeatureCollection"):
        check_geojson({"type": "Feature"}, "x")
    with pytest.raises(InputError, match="feature 1 is not a Polygon or MultiPolygon"):
        check_geojson(_fc({"type": "Point", "coordinates": [118.8, 31.9]}), "x")
    with pytest.raises(InputError, match=r"feature 1 has a point \[3500000, 400000\]"):
        check_geojson(_fc({"type": "Polygon", "coordinates": [[[3500000, 400000]]]}), "x")  # projected metres


def test_a_parks_map_is_kept_and_the_demo_draws_its_own(tmp_path: Path) -> None:
    paths = data_home(tmp_path / "home")
    reg = Registry.open(database_url(paths))
    build_demo(paths, reg, SMALL, minutes=60)
    stores = LocalStores(reg, Lake(paths.lake))
    drawn = place_geojson(stores)["features"]
    kinds = [f["properties"]["kind"] for f in drawn]
    assert kinds.count("outline") == 1 and kinds.count("plot") == 24  # one plot per enterprise of the small demo
    f = tmp_path / "park.geojson"
    f.write_text(json.dumps(_fc({"type": "MultiPolygon", "coordinates": [SQUARE]})), encoding="utf-8")
    out = CliRunner().invoke(app, ["region", "park-geo", DEMO_PARK_CODE, str(f), "--home", str(paths.home)])
    assert out.exit_code == 0 and "map of 1 features kept" in out.output, out.output
    [kept] = place_geojson(stores)["features"]
    assert kept["geometry"]["type"] == "MultiPolygon" and kept["properties"]["park"] == DEMO_PARK_CODE
    bad = CliRunner().invoke(app, ["region", "park-geo", "no-such-park", str(f), "--home", str(paths.home)])
    assert bad.exit_code != 0 and "park 'no-such-park' is not registered" in bad.output
    reg.close()
