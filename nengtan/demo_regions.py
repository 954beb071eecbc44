"""The demo's hierarchy (issue 14, item 1): Jiangsu province with two cities, the demo park in Nanjing's Jiangning
district and a second, small park in another city — 盐城环保科技城 in Yancheng's Tinghu district: twelve enterprises
reporting monthly statements (no live meters) for the years before and of the demo year.

Everything goes in the way a province's staff would put it: a regions table (``nengtan region import``), the parks
placed in their districts (``nengtan region park``), and the second park's enterprises, statements and economic data
as files through the importers (``nengtan import enterprises|activity|economic``), kept under
``<home>/regions/``. The figures are drawn from a fixed seed, so the demo is deterministic."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from nengtan.config import Paths
    from nengtan.engine.stores import Stores

REGIONS = (("320000", "江苏省", "province", ""), ("320100", "南京市", "city", "320000"),
           ("320115", "江宁区", "district", "320100"), ("320900", "盐城市", "city", "320000"),
           ("320902", "亭湖区", "district", "320900"))
"""GB/T 2260 codes of the regions the demo's two parks lie in."""
SECOND_PARK = ("yancheng-demo", "盐城环保科技城", "320902")
FIRST_PARK_REGION = "320115"
CITY_STAFF = (("nanjing", "region:320100"), ("yancheng", "region:320900"))
"""Demo accounts of city staff (``nengtan serve --demo``): each sees its own city only."""
ENTERPRISES = 12
SECTORS = ("2614", "3311", "3849", "2929", "3670", "1761")
"""GB/T 4754 classes of the second park's enterprises (basic chemicals, structural metal, batteries' parts, plastics,
vehicle parts, textiles), one in turn."""
YEARS = (2024, 2025)


def _write(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def second_park_files(folder: Path, seed: int = 2026) -> dict[str, Path]:
    """The second park's enterprises, monthly statements and economic data as importer files."""
    from nengtan.identifiers import make_uscc

    rng = np.random.default_rng(seed)
    code, _, district = SECOND_PARK
    usccs = [make_uscc(district, 20_000_000 + 104_729 * (i + 1) % 79_999_999) for i in range(ENTERPRISES)]
    words = ("新洋", "瓢城", "黄海", "串场", "登瀛", "丹顶", "聚龙", "海都", "大洋", "鹿鸣", "射阳", "湿地")
    kinds = ("化工", "钢构", "新能源科技", "塑业", "汽车部件", "纺织")
    names = [f"盐城{w}{kinds[i % len(kinds)]}有限公司" for i, w in enumerate(words)]
    ents = [[u, n, SECTORS[i % len(SECTORS)], "jiangsu", code, f"{120.2 + 0.01 * i:.3f}", f"{33.40 + 0.004 * i:.3f}"]
            for i, (u, n) in enumerate(zip(usccs, names, strict=True))]
    elec = rng.lognormal(np.log(8e6), 0.6, ENTERPRISES)  # kWh a year
    gas = rng.lognormal(np.log(4e5), 0.8, ENTERPRISES) * (rng.random(ENTERPRISES) < 0.7)  # m3 a year
    va = elec * rng.uniform(0.0009, 0.0016, ENTERPRISES)  # 万元 a year
    season = np.array([0.96, 0.80, 1.00, 0.99, 1.00, 1.04, 1.09, 1.10, 1.02, 0.97, 1.00, 1.03])
    act, eco = [], []
    for year in YEARS:
        k = 1.0 if year == YEARS[-1] else 1 / 1.05
        for i, u in enumerate(usccs):
            for m in range(12):
                w = season[m] / season.sum()
                period = f"{year}-{m + 1:02d}"
                act.append([u, period, "electricity", f"{elec[i] * k * w:.1f}", "kWh"])
                if gas[i] > 0:
                    act.append([u, period, "natural_gas", f"{gas[i] * k * w:.1f}", "m3"])
                eco.append([u, period, f"{va[i] * k * w:.3f}", f"{va[i] * k * w / 0.26:.3f}"])
    folder = folder / "regions"
    return {
        "regions": _write(folder / "regions.csv", ["code", "name", "level", "parent"], [list(r) for r in REGIONS]),
        "enterprises": _write(folder / f"{code}-enterprises.csv", ["uscc", "name", "sector_code", "province", "park",
                                                                    "lon", "lat"], ents),
        "activity": _write(folder / f"{code}-statements.csv", ["uscc", "period", "carrier", "quantity", "unit"], act),
        "economic": _write(folder / f"{code}-economic.csv", ["uscc", "period", "value_added", "gross_output"], eco),
    }


def build_regions_demo(paths: Paths, stores: Stores) -> dict[str, Any]:
    """Regions, the two parks placed, the second park's data imported; returns what was done."""
    from sqlalchemy import select

    from nengtan.demo import DEMO_PARK_CODE
    from nengtan.engine.certification import Actor
    from nengtan.engine.regions import import_regions, place_park
    from nengtan.errors import StateError
    from nengtan.ingest.files import import_file
    from nengtan.registry.tables.park import Park

    actor = Actor("demo", "admin", frozenset())
    files = second_park_files(paths.home)
    regions = import_regions(stores.registry, actor, files["regions"])
    with stores.registry.session() as s:
        first = s.execute(select(Park).where(Park.code == DEMO_PARK_CODE)).scalar()
    if first is not None:
        place_park(stores.registry, actor, DEMO_PARK_CODE, FIRST_PARK_REGION)
    code, name, district = SECOND_PARK
    place_park(stores.registry, actor, code, district, name)
    landed = {}
    for kind in ("enterprises", "activity", "economic"):
        res = import_file(stores.registry, paths, kind, files[kind])
        if res.rows_bad:
            raise StateError(f"the demo's {kind} file of {name} was refused in part: {res.issues[0].reason}")
        landed[kind] = res.rows_ok
    from nengtan.engine.geo import demo_geojson

    demo_geojson(stores, code)
    invalidate = getattr(stores, "invalidate", None)
    if invalidate is not None:
        invalidate()
    return {"regions": regions.landed, "park": code, **landed}
