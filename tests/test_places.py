"""The engine at every level of a province of the demo's kind (nengtan.demo_regions: the small demo park in Nanjing's
Jiangning district, a second park in Yancheng) and staff scoped to a city: the place's figures are the installation's
rows of its enterprises, a province is the sum of its cities exactly, and a city's staff see nothing of another city
by any route."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from nengtan.api.app import create_app
from nengtan.api.demo_users import DemoAccount, ensure_demo_users
from nengtan.api.settings import load_settings
from nengtan.cli import app as cli
from nengtan.config import Paths
from nengtan.demo import SMALL, build_demo
from nengtan.demo_regions import SECOND_PARK, build_regions_demo
from nengtan.engine.accounts import inventory
from nengtan.engine.places import PlacedStores, at_place, places_within, within
from nengtan.engine.stores import LocalStores
from nengtan.errors import InputError, NotFoundError
from nengtan.lake import Lake
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import Enterprise, Park

YEAR = 2025
NANJING, YANCHENG, JIANGSU = "region:320100", "region:320900", "region:320000"
SECOND = f"park:{SECOND_PARK[0]}"


@dataclass
class Province:
    paths: Paths
    reg: Registry
    stores: LocalStores
    accounts: dict[str, DemoAccount]
    nanjing: dict[str, str]  # uscc -> name of the Nanjing park's enterprises
    yancheng: dict[str, str]


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Province]:
    paths = Paths(tmp_path_factory.mktemp("province"))
    reg = Registry.open(f"sqlite:///{paths.sqlite}")
    build_demo(paths, reg, SMALL, minutes=60)
    stores = LocalStores(reg, Lake(paths.lake))
    done = build_regions_demo(paths, stores)
    assert done == {"regions": 5, "park": SECOND_PARK[0], "enterprises": 12, "activity": 504, "economic": 288}
    accounts = {a.username: a for a in ensure_demo_users(reg)}
    with reg.session() as s:
        rows = s.execute(select(Enterprise.uscc, Enterprise.name, Park.code).join(Park, Park.id == Enterprise.park_id))
        by_park: dict[str, dict[str, str]] = {}
        for uscc, name, park in rows:
            by_park.setdefault(park, {})[uscc] = name
    yield Province(paths, reg, stores, accounts, by_park["jiangning-demo"], by_park[SECOND_PARK[0]])
    reg.close()


def test_a_second_park_by_hand(province: Province) -> None:
    """The Yancheng park's accounts from its statement file, the arithmetic written out."""
    kwh = m3 = 0.0
    with (province.paths.home / "regions" / f"{SECOND_PARK[0]}-statements.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["period"].startswith(f"{YEAR}-"):
                if r["carrier"] == "electricity":
                    kwh += float(r["quantity"])
                else:
                    m3 += float(r["quantity"])
    inv = inventory(at_place(province.stores, SECOND), YEAR)
    assert inv.enterprises == 12 and inv.scope == SECOND
    # GB/T 2589-2020 附录A: electricity 0.1229 kgce/kWh (当量值), natural gas 1.2143 kgce/m3 (35 544 kJ/m3)
    assert inv.energy_tce == pytest.approx(kwh * 0.1229e-3 + m3 * 1.2143e-3, rel=1e-9)
    # 生态环境部 国家统计局 公告2025年第47号 (2023 data, the newest for 2025 activity): Jiangsu 0.5827 tCO2/MWh
    assert inv.scope2_location_t == pytest.approx(kwh * 0.5827e-3, rel=1e-9)
    # GB/T 32150-2015 附录B: NCV 389.31 GJ/10^4 m3 × 15.3 tC/TJ × oxidation 99 % × 44/12
    assert inv.scope1_t == pytest.approx(m3 / 1e4 * 389.31 * 15.3e-3 * 0.99 * 44 / 12, rel=1e-4)


def test_a_province_is_the_sum_of_its_cities_exactly(province: Province) -> None:
    whole = inventory(province.stores, YEAR)
    js, nj, yc = (inventory(at_place(province.stores, p), YEAR) for p in (JIANGSU, NANJING, YANCHENG))
    assert (whole.enterprises, js.enterprises, nj.enterprises, yc.enterprises) == (36, 36, 24, 12)
    for f in ("energy_tce", "energy_equiv_tce", "energy_dual_control_tce", "co2_t", "scope1_t", "scope2_location_t",
              "scope2_market_t", "value_added"):
        a, b, c = (getattr(x, f) for x in (js, nj, yc))
        assert a == pytest.approx(b + c, rel=1e-12, abs=1e-9), f
        assert a == getattr(whole, f), f  # the same ledger rows, summed in the same order
    # a place's "park" scope is the place; a sector inside a place is the place's part of it
    assert inventory(at_place(province.stores, YANCHENG), YEAR, scope="park").co2_t == yc.co2_t
    assert inventory(province.stores, YEAR, scope=SECOND).co2_t == yc.co2_t
    assert inventory(at_place(province.stores, YANCHENG), YEAR, scope="sector:2614").co2_t == \
        inventory(province.stores, YEAR, scope="sector:2614").co2_t  # the Nanjing park has no class 2614


def test_places_and_what_lies_within(province: Province) -> None:
    reg = province.reg
    assert within(reg, SECOND, YANCHENG) and within(reg, "region:320902", JIANGSU)
    assert not within(reg, SECOND, NANJING) and not within(reg, YANCHENG, NANJING)
    assert not within(reg, "region:320100", "park:jiangning-demo") and within(reg, NANJING, "park")
    items = places_within(reg, NANJING)
    assert [(p["place"], p["depth"]) for p in items] == [(NANJING, 0), ("region:320115", 1),
                                                          ("park:jiangning-demo", 2)]
    with pytest.raises(NotFoundError):
        at_place(province.stores, "region:110000")
    with pytest.raises(InputError):
        at_place(province.stores, "city:320100")
    assert isinstance(at_place(province.stores, NANJING), PlacedStores)


def test_targets_budgets_and_warnings_at_a_place(province: Province) -> None:
    from nengtan.engine import energybudget
    from nengtan.engine.certification import Actor
    from nengtan.engine.targets import adopted_targets, allocate_budget, allocation, warning_run

    home = str(province.paths.home)
    r = CliRunner().invoke(cli, ["targets", "adopt", "jiangsu-zero-carbon-park-carbon-intensity", "--by", "盐城",
                                 "--subject", YANCHENG, "--value", "0.5", "--home", home])
    assert r.exit_code == 0, r.output
    stores = LocalStores(province.reg, Lake(province.paths.lake))
    al, _ = allocate_budget(stores, YEAR, "hybrid", "省厅")
    yc = at_place(stores, YANCHENG)
    with pytest.raises(InputError, match="whole installation"):
        allocate_budget(yc, YEAR, "hybrid", "盐城")
    part = allocation(yc, YEAR)
    assert set(part.table["uscc"]) == set(province.yancheng)
    assert part.budget_units == int(al.table[al.table["uscc"].isin(set(province.yancheng))]["allocated_units"].sum())
    assert part.reserve_units == 0
    # the region's target is the region's park-level target, and only there
    own = [t for t, _ in adopted_targets(yc) if t.level == "park"]
    assert [(t.target_id, t.value) for t in own] == [(f"{YANCHENG}:jiangsu-zero-carbon-park-carbon-intensity", 0.5)]
    assert not [t for t, _ in adopted_targets(stores) if t.subject == YANCHENG]
    whole, place = warning_run(stores, YEAR)["frame"], warning_run(yc, YEAR)["frame"]
    park_rows = place[place["level"] == "park"].set_index("subject")
    assert sorted(park_rows.index) == ["park-budget", own[0].target_id]
    assert park_rows.loc["park-budget", "limit"] == pytest.approx(part.budget_t, rel=1e-12)  # the place's lines' sum
    ents = place[place["level"] == "enterprise"].set_index("subject")[["status", "ratio", "limit"]].sort_index()
    same = whole[(whole["level"] == "enterprise") & whole["subject"].isin(set(province.yancheng))]
    assert ents.equals(same.set_index("subject")[["status", "ratio", "limit"]].sort_index())
    assert len(ents) == 12
    # the energy budget: a place sees its enterprises' lines and their sum
    staff = Actor("省厅", "admin")
    eb = energybudget.allocate(stores, staff, YEAR)
    mine = energybudget.budget(yc, YEAR)
    assert {ln["uscc"] for ln in mine["lines"]} == set(province.yancheng)
    assert mine["budget_tce"] == pytest.approx(sum(ln["allocated_tce"] for ln in eb["lines"]
                                                   if ln["uscc"] in province.yancheng), rel=1e-12)
    with pytest.raises(InputError):
        energybudget.allocate(yc, staff, YEAR)


# -- the service: staff scoped to a city --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def client(province: Province) -> Iterator[TestClient]:
    app = create_app(load_settings(home=str(province.paths.home), secret_key="places-" + "k" * 40,
                                   login_max_attempts=1000))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _login(client: TestClient, acct: DemoAccount) -> dict[str, str]:
    r = client.post("/api/auth/token", json={"username": acct.username, "password": acct.password})
    assert r.status_code == 200, r.text
    client.cookies.clear()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def test_city_staff_see_their_city(client: TestClient, province: Province) -> None:
    yc = _login(client, province.accounts["yancheng"])
    assert province.accounts["yancheng"].place == YANCHENG
    s = client.get(f"/api/cockpit/summary?year={YEAR}", headers=yc)
    assert s.status_code == 200 and s.json()["enterprises"] == 12
    inv = client.get(f"/api/inventory?year={YEAR}", headers=yc).json()
    expected = inventory(at_place(province.stores, YANCHENG), YEAR)
    assert inv["scope"] == YANCHENG and inv["co2_t"] == pytest.approx(expected.co2_t, rel=1e-12)
    assert client.get(f"/api/inventory?year={YEAR}&scope={SECOND}", headers=yc).json()["co2_t"] == inv["co2_t"]
    for url in (f"/api/cockpit/summary?year={YEAR}&place={NANJING}", f"/api/inventory?year={YEAR}&scope={NANJING}",
                f"/api/cockpit/summary?year={YEAR}&place=park",
                f"/api/inventory?year={YEAR}&scope=park:jiangning-demo"):
        r = client.get(url, headers=yc)
        assert r.status_code == 403 and "outside your place" in r.json()["detail"], url
    nj_uscc = next(iter(province.nanjing))
    assert client.get(f"/api/enterprises/{nj_uscc}", headers=yc).status_code == 404
    assert client.get(f"/api/inventory?year={YEAR}&scope=enterprise:{nj_uscc}", headers=yc).status_code == 404
    yc_uscc = next(iter(province.yancheng))
    assert client.get(f"/api/enterprises/{yc_uscc}", headers=yc).status_code == 200
    for url in ("/api/users", f"/api/ratings/summary?year={YEAR}", "/api/energy-budget/reviews", "/api/audit"):
        r = client.get(url, headers=yc)
        assert r.status_code == 403, url
    assert client.post("/api/users", headers=yc, json={"username": "x1", "password": "long-enough-pw",
                                                        "role": "admin"}).status_code == 403
    places = client.get("/api/cockpit/places", headers=yc).json()
    assert places["place"] == YANCHENG and [p["place"] for p in places["items"]] == [YANCHENG, "region:320902",
                                                                                     SECOND]
    # the province's administrator views any place; an unknown one is not found
    admin = _login(client, province.accounts["admin"])
    whole = client.get(f"/api/cockpit/summary?year={YEAR}", headers=admin).json()
    nj = client.get(f"/api/cockpit/summary?year={YEAR}&place={NANJING}", headers=admin).json()
    yc_sum = client.get(f"/api/cockpit/summary?year={YEAR}&place={YANCHENG}", headers=admin).json()
    assert s.json() == yc_sum
    for k in range(2):  # energy and CO2: the province is its two cities
        assert whole["items"][k]["value"] == pytest.approx(nj["items"][k]["value"] + yc_sum["items"][k]["value"],
                                                           rel=1e-12)
    assert client.get(f"/api/cockpit/summary?year={YEAR}&place=region:110000", headers=admin).status_code == 404
    # the administration page names each user's place (the registry's name beside the id)
    users = {u["username"]: u for u in client.get("/api/users?limit=100", headers=admin).json()["items"]}
    assert (users["yancheng"]["place"], users["yancheng"]["place_name"]) == (YANCHENG, "盐城市")
    assert (users["nanjing"]["place"], users["nanjing"]["place_name"]) == (NANJING, "南京市")
    assert users["admin"]["place_name"] is None



def test_city_staff_download_their_citys_reports_only(client: TestClient, province: Province) -> None:
    """The meeting pack and the inventory workbook of Yancheng's staff hold Yancheng's figures and no cell of
    Nanjing's enterprises; Nanjing's are refused."""
    import io

    from openpyxl import load_workbook

    yc = _login(client, province.accounts["yancheng"])
    for kind in ("pack", "inventory"):
        r = client.get(f"/api/reports/{kind}?year={YEAR}&format=xlsx", headers=yc)
        assert r.status_code == 200, kind
        cells = {str(v) for ws in load_workbook(io.BytesIO(r.content)).worksheets
                 for row in ws.iter_rows(values_only=True) for v in row if v is not None}
        assert not (cells & (set(province.nanjing) | set(province.nanjing.values()))), kind
        assert set(province.yancheng) & cells, kind  # its own enterprises are there
        assert client.get(f"/api/reports/{kind}?year={YEAR}&place={NANJING}", headers=yc).status_code == 403
    pack = load_workbook(io.BytesIO(client.get(f"/api/reports/pack?year={YEAR}&format=xlsx", headers=yc).content))
    about = {r[0]: r[1] for r in pack["数据说明"].iter_rows(values_only=True)}
    kpi = {r[0]: r[1] for r in pack["核心指标"].iter_rows(values_only=True)}
    assert about["企业数"] == 12
    expected = inventory(at_place(province.stores, YANCHENG), YEAR)
    assert kpi["二氧化碳排放总量"] == pytest.approx(expected.co2_t, rel=1e-12)


def _fill(path: str, uscc: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: {"uscc": uscc, "year": str(YEAR), "kind": "pdf", "code": "361",
                                           "username": "enterprise-a"}.get(m.group(1), "1"), path)


def test_city_staff_reach_nothing_of_another_city_by_any_route(client: TestClient, province: Province) -> None:
    """Every GET route of the app, as Yancheng's staff, aimed at a Nanjing enterprise where the route names one: no
    Nanjing enterprise's credit code or name in any answer."""
    from tests.api.test_isolation import all_routes

    yc = _login(client, province.accounts["yancheng"])
    target = next(iter(province.nanjing))
    routes = [p for m, p in all_routes(client.app) if m == "GET"]
    assert len(routes) > 60
    for path in routes:
        url = _fill(path, target)
        client.cookies.clear()
        r = client.get(url, headers=yc)
        assert r.status_code < 500, f"{url}: {r.status_code}"
        if "{uscc}" in path:
            assert r.status_code in (403, 404), f"{url}: {r.status_code}"
        body = r.text
        leaked = [u for u in province.nanjing if u in body and u != target] + \
            [n for n in province.nanjing.values() if n in body]
        assert not leaked, f"{url} shows Nanjing's {leaked[:3]}"


def test_users_get_a_place_only_when_staff(province: Province, tmp_path: Path) -> None:
    from nengtan.api.users import UserError, add_user

    with province.reg.session() as s:
        v = add_user(s, "t", "js-staff", "long-enough-pw", "admin", place=" region:320000 ")
        assert v.place == JIANGSU
        with pytest.raises(UserError, match="only an admin"):
            add_user(s, "t", "e-staff", "long-enough-pw", "enterprise", [next(iter(province.yancheng))],
                     place=YANCHENG)
        with pytest.raises(UserError, match="not in the registry"):
            add_user(s, "t", "x-staff", "long-enough-pw", "admin", place="region:110000")


def test_park_statistics_per_place(province: Province, tmp_path: Path) -> None:
    from nengtan.engine.certification import Actor
    from nengtan.engine.evaluation import statistics_of
    from nengtan.engine.statistics import import_statistics

    f = tmp_path / "stats.csv"
    f.write_text("year,item,value,unit,source,place\n"
                 "2025,green_space_area,120,ha,盐城市园林局,park:yancheng-demo\n"
                 "2025,green_space_area,900,ha,省住建厅,\n"
                 "2025,green_space_area,50,公顷,南京,region:110000\n"
                 "2025,green_space_area,300,亩,南京市园林局,park:jiangning-demo\n", encoding="utf-8")
    out = import_statistics(province.reg, Actor("省厅", "admin"), f)
    assert out.landed == 3 and len(out.errors) == 1 and "stats.csv:4" in out.errors[0]
    assert "region 110000" in out.errors[0]
    assert statistics_of(province.stores, 2025)[0]["green_space_area"] == 900
    assert statistics_of(at_place(province.stores, SECOND), 2025)[0]["green_space_area"] == 120
    assert statistics_of(at_place(province.stores, "park:jiangning-demo"), 2025)[0]["green_space_area"] == 20  # 300 亩
    assert "green_space_area" not in statistics_of(at_place(province.stores, YANCHENG), 2025)[0]  # none of its own
