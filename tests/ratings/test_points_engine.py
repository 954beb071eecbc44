"""Carbon points, statistics, issued ratings and the park's own method versions on the platform, worked by hand on
the example park; the ESG pack renders the inventory's own figures and only what an enterprise publishes is public."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from nengtan.config import Paths
from nengtan.engine import esg, greenledger, points, ratings
from nengtan.engine.certification import Actor, NotPermittedError, enterprise
from nengtan.engine.cockpit import inventory_dict
from nengtan.engine.statistics import import_statistics, values
from nengtan.engine.stores import LocalStores
from nengtan.engine.verifications import import_records
from nengtan.errors import InputError, NotFoundError
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.registry.store import Registry

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
A, B = "91320115000001230J", "91320115000002129Y"
STAFF = Actor("staff", "admin")
GAS = 389.31e-4 * 0.0153 * 0.99 * 44 / 12  # tCO2/m³, the default set's natural gas (factors.md 2)


@pytest.fixture
def stores(registry: Registry, home: Paths, tmp_path: Path) -> LocalStores:
    for kind in ("enterprises", "activity", "economic"):
        assert import_file(registry, home, kind, EXAMPLES / f"{kind}.csv").rows_bad == 0
    # A's 2024: 8 000 m³ more gas than in 2025, the same value added
    (tmp_path / "a24.csv").write_text(f"uscc,period,carrier,quantity,unit\n{A},2024-01,natural_gas,2.0,万m3\n"
                                      f"{A},2024-01,diesel,3.5,t\n", encoding="utf-8")
    (tmp_path / "e24.csv").write_text("uscc,period,value_added,gross_output,value_added_constant\n"
                                      f"{A},2024-01,1850.5,7420.0,1742.5\n", encoding="utf-8")
    assert import_file(registry, home, "activity", tmp_path / "a24.csv").rows_bad == 0
    assert import_file(registry, home, "economic", tmp_path / "e24.csv").rows_bad == 0
    return LocalStores(registry, Lake(home.lake))


def _user(stores: LocalStores, uscc: str) -> Actor:
    with stores.registry.session() as s:
        return Actor("u", "enterprise", frozenset({enterprise(s, uscc).id}))


def test_points_awarded_spent_and_expired_on_the_ledger(stores: LocalStores, tmp_path: Path) -> None:
    before, _ = points.award(stores, STAFF, 2025), None
    assert before["entries"] == 0  # no verified year, no green power, no certificate, meters not assessed
    (tmp_path / "v.csv").write_text("uscc,year,verifier,guideline,source,activity,unit,factor,emissions_t\n"
                                    f"{A},2025,V,generic,natural_gas,12000,m3,{GAS},\n", encoding="utf-8")
    assert import_records(stores, STAFF, tmp_path / "v.csv").landed == 1
    out = points.award(stores, STAFF, 2025)
    # baseline = 2024's intensity (the only base year with data); same value added, so the reduction is the
    # 8 000 m³ of gas: 8 000 × 0.00216219 = 17.2975 t × 0.1 point per t (carbon_points@v1)
    assert out["entries"] == 1 and out["points"] == pytest.approx(8_000 * GAS * 0.1)
    assert points.award(stores, STAFF, 2025)["already_awarded"] == 1
    (bal,) = points.balances(stores.registry, STAFF)
    (entry,) = bal["entries"]
    assert entry["basis"]["reduction_t"] == pytest.approx(8_000 * GAS) and entry["expires_on"] == "2028-12-31"
    points.spend(stores.registry, STAFF, A, 1.0, "green_finance", on=dt.date(2026, 1, 5))
    with pytest.raises(InputError, match="only"):
        points.spend(stores.registry, STAFF, A, 1.0, "green_finance", on=dt.date(2026, 1, 6))
    with pytest.raises(InputError, match="purpose"):
        points.spend(stores.registry, STAFF, A, 0.1, "lottery")
    assert points.expire(stores.registry, STAFF, on=dt.date(2029, 1, 1)) == pytest.approx(8_000 * GAS * 0.1 - 1)
    (bal,) = points.balances(stores.registry, STAFF, on=dt.date(2029, 1, 1))
    assert (bal["spent"], bal["available"]) == (1.0, 0.0)
    with stores.registry.session() as s:
        kinds = [e.body["kind"] for e in greenledger.entries(s, subject=A) if e.kind == "points"]
    assert kinds == ["earn", "spend", "expire"]
    assert points.balances(stores.registry, _user(stores, B)) == []


def test_statistics_in_canonical_units_and_revised_only_with_a_reason(stores: LocalStores, tmp_path: Path) -> None:
    f = tmp_path / "s.csv"
    f.write_text("uscc,year,item,value,unit,source\n"
                 f"{A},2025,land_area,1.5,ha,土地台账\n{A},2025,tax,12000000,元,税务\n"
                 f"{B},2025,land_area,-3,亩,x\n{B},2025,height,3,m,x\n", encoding="utf-8")
    out = import_statistics(stores.registry, STAFF, f)
    assert out.landed == 2 and len(out.errors) == 2 and "negative" in out.errors[0] and "height" in out.errors[1]
    # 1.5 ha × 15 亩/ha = 22.5 亩; 12 000 000 元 = 1 200 万元
    assert values(stores.registry, 2025, "land_area") == {A: 22.5}
    assert values(stores.registry, 2025, "tax") == {A: 1200.0}
    f.write_text(f"uscc,year,item,value,unit,source\n{A},2025,land_area,30,亩,复测\n", encoding="utf-8")
    assert "needs a reason" in import_statistics(stores.registry, STAFF, f).errors[0]
    assert import_statistics(stores.registry, STAFF, f, reason="2025 survey").landed == 1
    assert values(stores.registry, 2025, "land_area") == {A: 30.0}


def test_issued_ratings_keep_the_version_that_made_them(stores: LocalStores) -> None:
    first = ratings.issue(stores, STAFF, 2025)
    assert [r["method"] for r in first] == ["carbon_efficiency@v1", "green_code@v1", "mu_efficiency@v1"]
    v1 = ratings.method_of(stores.registry, "carbon_efficiency").params
    new = {**{k: v for k, v in v1.items() if k not in ("version", "adopted")}, "min_sector_enterprises": 1,
           "source": "the park's 2026 rule", "status": "confirmed"}
    m = ratings.adopt_version(stores.registry, STAFF, "carbon_efficiency", new)
    assert m.label == "carbon_efficiency@v2"
    with pytest.raises(NotFoundError):  # as if there were no such thing to an enterprise
        ratings.adopt_version(stores.registry, _user(stores, A), "carbon_efficiency", new)
    now = ratings.carbon_efficiency_grades(stores, 2025)
    assert now["method"] == "carbon_efficiency@v2" and now["counts"].get("not graded", 0) == 0
    assert ratings.carbon_efficiency_grades(stores, 2025, 1)["counts"] == {"not graded": 3}
    runs = ratings.runs(stores.registry, STAFF, 2025)
    assert runs[0]["method"] == "carbon_efficiency@v1" and all(it["grade"] is None for it in runs[0]["items"])
    mine = ratings.runs(stores.registry, _user(stores, A), 2025)
    assert {it["uscc"] for r in mine for it in r["items"]} == {A}


def test_the_esg_pack_renders_the_inventory_and_only_published_items_are_public(stores: LocalStores,
                                                                              tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    inv = inventory_dict(stores, 2025, f"enterprise:{A}")
    p = esg.pack(stores, _user(stores, A), A, 2025)
    got = {it["key"]: it["value"] for it in p["items"]}
    assert (got["scope1_t"], got["scope2_market_t"], got["energy_tce"]) == (inv["scope1_t"], inv["scope2_market_t"],
                                                                            inv["energy_tce"])
    assert got["co2_intensity"] == inv["intensities"]["co2_t_per_10k_cny_value_added"]
    assert p["data_version"] == inv["data_version"]
    with pytest.raises(NotPermittedError, match="own users"):
        esg.publish(stores, STAFF, A, 2025, ["scope1_t"])
    with pytest.raises(NotFoundError):
        esg.pack(stores, _user(stores, B), A, 2025)
    esg.publish(stores, _user(stores, A), A, 2025, ["scope1_t", "energy_tce"])
    (pub,) = esg.published(stores, 2025)
    assert [it["key"] for it in pub["items"]] == ["energy_tce", "scope1_t"] and "scope2_market_t" not in json.dumps(pub)
    esg.withdraw(stores, _user(stores, A), A, 2025)
    assert esg.published(stores, 2025) == []
    xlsx = esg.write_pack(p, tmp_path / "esg.xlsx")
    ws = load_workbook(xlsx)["环境数据 Environment"]
    assert ws.cell(4, 1).value == "范围一排放 Scope 1"
    assert ws.cell(4, 2).value == pytest.approx(inv["scope1_t"], rel=1e-15)  # the workbook keeps 15-16 digits
    pdf = PdfReader(esg.write_pack(p, tmp_path / "esg.pdf"))
    text = "".join(page.extract_text() for page in pdf.pages).replace("\x00", "")  # CID font: NULs between glyphs
    assert "范围一排放" in text and f"{inv['scope1_t']:,.2f}" in text
