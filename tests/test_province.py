"""The synthetic province (nengtan.demo_province): readings written in parallel straight to the lake, in files a scan
prunes by meter and time, accounted like any park's; a province is the sum of its cities; Spark gives DuckDB's
numbers on it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import duckdb
import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select

from nengtan.config import Paths
from nengtan.demo_province import CITIES, ProvinceSize, ProvinceTruth, build_province, meter_code
from nengtan.engine.accounts import inventory
from nengtan.engine.places import at_place
from nengtan.engine.stores import LocalStores
from nengtan.lake import Lake
from nengtan.registry.store import Registry
from nengtan.registry.tables.records import Activity

SIZE = ProvinceSize(enterprises=300, metered=40, parks_per_city=2)


@dataclass
class Built:
    paths: Paths
    reg: Registry
    lake: Lake
    truth: ProvinceTruth


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    paths = Paths(tmp_path_factory.mktemp("province"))
    reg = Registry.open(f"sqlite:///{paths.sqlite}")
    lake = Lake(paths.lake)
    truth = build_province(paths, reg, lake, SIZE, workers=2)
    yield Built(paths, reg, lake, truth)
    reg.close()


def test_the_lake_holds_every_reading_once_in_pruneable_files(province: Built) -> None:
    lake, truth = province.lake, province.truth
    assert truth.readings == 40 * 35_040 and truth.files == 12 and lake.version == 1  # one commit
    files = lake.files(years=[2025])
    assert len(files) == 12 and all(lake.kind_of(f) == "interval" for f in files)
    assert not lake.files_with_estimates(files) and not lake.files_with_negatives(files)
    n, total, distinct = duckdb.connect().execute("SELECT count(*), sum(value), count(DISTINCT (meter_id, ts)) "
                                                  "FROM read_parquet($f)", {"f": files}).fetchone()  # type: ignore[misc]
    assert n == distinct == truth.readings and total == pytest.approx(truth.kwh_metered, rel=1e-12)
    for f in files:  # sorted by (meter, time); row groups carry min/max of both, for pruning
        md = pq.read_metadata(f)
        names = md.schema.to_arrow_schema().names
        last = None
        for g in range(md.num_row_groups):
            rg = md.row_group(g)
            meter, ts = rg.column(names.index("meter_id")).statistics, rg.column(names.index("ts")).statistics
            assert meter.has_min_max and ts.has_min_max and rg.num_rows <= 1 << 20
            assert last is None or meter.min >= last
            last = meter.max
        assert pq.read_table(f, columns=["meter_id"]).column(0)[0].as_py() == meter_code(0)


def test_the_province_accounts_by_hand_and_by_city(province: Built) -> None:
    stores = LocalStores(province.reg, province.lake)
    whole = inventory(stores, 2025)
    assert whole.enterprises == 300
    with province.reg.session() as s:
        stated = s.execute(select(func.sum(Activity.quantity)).where(Activity.carrier == "electricity")).scalar()
    el = whole.to_dict()["by_carrier"]["electricity"]
    assert el["quantity"] == pytest.approx(province.truth.kwh_metered + stated, rel=1e-12)  # metered + statements
    # GB/T 2589-2020 附录A: 0.1229 kgce/kWh; 公告2025年第47号: Jiangsu 2023 grid 0.5827 tCO2/MWh (2025's newest)
    assert el["energy_tce"] == pytest.approx(el["quantity"] * 0.1229e-3, rel=1e-9)
    assert el["scope2_location_t"] == pytest.approx(el["quantity"] * 0.5827e-3, rel=1e-9)
    cities = [inventory(at_place(stores, f"region:{code}"), 2025) for code, _ in CITIES]
    assert sum(c.enterprises for c in cities) == 300
    assert sum(c.co2_t for c in cities) == pytest.approx(whole.co2_t, rel=1e-12)
    assert inventory(at_place(stores, "region:320000"), 2025).co2_t == whole.co2_t


@pytest.mark.slow
def test_spark_gives_duckdbs_numbers_on_the_province(province: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    from nengtan.engine.ledgers import inventory as direct
    from nengtan.lake.scan import DUCKDB
    from nengtan.lake.spark_scan import SparkScan
    from tests.lake.test_spark_scan import _same

    _same(DUCKDB.month_scan(province.lake, 2025), SparkScan("local[2]").month_scan(province.lake, 2025))
    a = direct(province.reg, province.lake, 2025)
    monkeypatch.setenv("NENGTAN_ENGINE", "spark")
    monkeypatch.setenv("NENGTAN_SPARK_MASTER", "local[2]")
    b = direct(province.reg, province.lake, 2025)
    assert a.data_version == b.data_version and a.enterprises == b.enterprises
    assert (a.co2_t, a.energy_tce, a.scope2_location_t) == pytest.approx((b.co2_t, b.energy_tce, b.scope2_location_t),
                                                                         rel=1e-12)
