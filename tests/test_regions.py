"""Regions above the parks: a province, two cities, a district or county each, a park in each; every inventory works
at any level and a region's total is the sum of its parts."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nengtan.accounting.inventory import ScopeError
from nengtan.cli import app
from nengtan.config import Paths
from nengtan.engine.certification import Actor
from nengtan.engine.ledgers import inventory
from nengtan.engine.regions import import_regions, place_park, tree
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.registry.store import Registry

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
STAFF = Actor("staff", "admin")
A, B, C = "91320115000001230J", "91320115000002129Y", "91320115000003121D"


def test_regions_parks_and_sums(registry: Registry, home: Paths, tmp_path: Path) -> None:
    regions = tmp_path / "regions.csv"
    regions.write_text("code,name,level,parent\n320115,江宁区,district,320100\n320000,江苏省,province,\n"
                       "320100,南京市,city,320000\n320900,盐城市,city,320000\n320924,射阳县,district,320900\n"
                       "999,错,district,320000\n888,错,town,\n", encoding="utf-8")
    out = import_regions(registry, STAFF, regions)
    assert out.landed == 5
    assert out.errors == ["regions.csv:7: parent '320000' is not a city held or in the file",
                          "regions.csv:8: level 'town': one of province, city, district"]
    place_park(registry, STAFF, "JN", "320115", "江宁开发区")
    place_park(registry, STAFF, "SY", "320924", "射阳港经济开发区")
    ents = tmp_path / "enterprises.csv"
    lines = (EXAMPLES / "enterprises.csv").read_text(encoding="utf-8").splitlines()
    ents.write_text("\n".join([lines[0] + ",park"] + [ln + (",SY" if ln.startswith(C) else ",JN") for ln in lines[1:]]
                              + ["913201150000099996,坏,367,江苏,0,0,,,XX"]) + "\n", encoding="utf-8")
    res = import_file(registry, home, "enterprises", ents)
    assert res.rows_ok == 3 and res.rows_bad == 1 and "park 'XX' is not registered" in res.issues[0].reason
    for kind in ("activity", "economic"):
        assert import_file(registry, home, kind, EXAMPLES / f"{kind}.csv").rows_bad == 0
    lake = Lake(home.lake)
    whole = inventory(registry, lake, 2025)
    province = inventory(registry, lake, 2025, scope="region:320000")
    nanjing = inventory(registry, lake, 2025, scope="region:320100")
    yancheng = inventory(registry, lake, 2025, scope="region:320900")
    assert (province.enterprises, nanjing.enterprises, yancheng.enterprises) == (3, 2, 1)
    for f in ("energy_tce", "co2_t", "scope1_t", "scope2_location_t", "value_added"):
        p, n, y = (getattr(x, f) for x in (province, nanjing, yancheng))
        assert p == pytest.approx(n + y, rel=1e-12) and p == pytest.approx(getattr(whole, f), rel=1e-12), f
    jn = inventory(registry, lake, 2025, scope="park:JN")
    assert jn.co2_t == nanjing.co2_t and inventory(registry, lake, 2025, scope="region:320924").co2_t == yancheng.co2_t
    assert yancheng.co2_t == inventory(registry, lake, 2025, scope=f"enterprise:{C}").co2_t
    with pytest.raises(ScopeError):
        inventory(registry, lake, 2025, scope="region:110000")
    (root,) = tree(registry)  # the registry's empty default park (made by the import) is left out once parks are placed
    assert root["code"] == "320000" and [c["code"] for c in root["children"]] == ["320100", "320900"]
    assert root["children"][0]["children"][0]["parks"] == [{"code": "JN", "name": "江宁开发区", "enterprises": 2}]
    r = CliRunner().invoke(app, ["inventory", "--year", "2025", "--scope", "region:320100", "--format", "json",
                                 "--home", str(home.home)])
    assert r.exit_code == 0, r.output
