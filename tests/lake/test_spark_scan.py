"""The Spark back-end (PySpark in local mode on Debian's OpenJDK) answers every scan question with the frames DuckDB
gives on the same lake, and the engine's accounts on it equal DuckDB's for the demo's every year."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from nengtan.engine.ledgers import activity
from nengtan.lake.scan import DUCKDB, configured_scan
from nengtan.lake.spark_scan import SparkScan, spark_scan
from nengtan.registry import frames


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Equal as data: the same rows (in any order), numbers to 1e-12 relative, missing where missing."""
    assert list(a.columns) == list(b.columns) and len(a) == len(b)
    numeric = [c for c in a.columns if pd.api.types.is_numeric_dtype(a[c]) or pd.api.types.is_numeric_dtype(b[c])]
    text = [c for c in a.columns if c not in numeric]
    a, b = (x.astype({c: float for c in numeric}).sort_values(text + numeric).reset_index(drop=True) for x in (a, b))
    for c in text:
        assert (a[c].astype(str) == b[c].astype(str)).all(), c
    for c in numeric:
        assert np.allclose(a[c].to_numpy(float), b[c].to_numpy(float), rtol=1e-12, atol=1e-9, equal_nan=True), c


@pytest.mark.slow
def test_spark_answers_as_duckdb_on_the_demo_lake(small_demo) -> None:  # type: ignore[no-untyped-def]
    _, reg, lake, _ = small_demo
    spark = SparkScan("local[2]", driver_read_bytes=0)  # every question to Spark, the counters' read too
    # the schema the back-end reads with is the one Spark infers from the lake's files
    inferred = spark.spark.read.option("basePath", str(lake.dir)).parquet(*lake.files()).schema
    assert inferred.simpleString() == spark._frame(lake, lake.files()).schema.simpleString()
    meters = frames.main_meters(reg)
    counters = sorted(meters.loc[meters["kind"] == "counter", "meter_id"])
    interval = sorted(meters.loc[meters["kind"] == "interval", "meter_id"])
    years = sorted({int(p.split("=")[-1]) for p in {f.split("/year=")[1].split("/")[0] for f in lake.files()}})
    assert counters and interval and 2025 in years
    for year in years:
        _same(DUCKDB.month_scan(lake, year), spark.month_scan(lake, year))
    months = {(2025, m) for m in range(1, 13)}
    by_duck, by_spark = DUCKDB.counter_readings(lake, counters, months), spark.counter_readings(lake, counters, months)
    _same(by_duck, by_spark)
    # and in the same order, meter by meter in time: counters are differenced reading by reading
    assert by_spark["meter_id"].tolist() == by_duck["meter_id"].tolist()
    assert np.array_equal(by_spark["value"].to_numpy(float), by_duck["value"].to_numpy(float))
    # a read this small (the demo's counter files, a few MB) the default back-end does on the driver: no Spark job
    jobs = spark.spark.sparkContext.statusTracker()
    before = jobs.getJobIdsForGroup(None)
    assert before  # (the tracker sees the jobs above)
    on_driver = SparkScan("local[2]").counter_readings(lake, counters, months)
    assert jobs.getJobIdsForGroup(None) == before
    assert np.array_equal(on_driver["value"].to_numpy(float), by_spark["value"].to_numpy(float))
    _same(DUCKDB.hour_totals(lake, interval, 2025, "electricity"),
          spark.hour_totals(lake, interval, 2025, "electricity"))
    _same(DUCKDB.register_series(lake, counters, 2025, "electricity"),
          spark.register_series(lake, counters, 2025, "electricity"))
    import datetime as dt

    from nengtan.calendar import park_midnight

    a, b = park_midnight(dt.date(2025, 3, 1)), park_midnight(dt.date(2025, 3, 3))
    _same(DUCKDB.readings_between(lake, interval, a, b), spark.readings_between(lake, interval, a, b))
    for year in years:
        a, b = activity(reg, lake, year, DUCKDB), activity(reg, lake, year, spark)
        a = a.sort_values(["uscc", "period", "carrier", "source", "quantity"]).reset_index(drop=True)
        b = b.sort_values(["uscc", "period", "carrier", "source", "quantity"]).reset_index(drop=True)
        assert np.allclose(a["quantity"], b["quantity"], rtol=1e-12) and (a["uscc"] == b["uscc"]).all()
        assert np.allclose(a["estimated_quantity"], b["estimated_quantity"], rtol=1e-12, atol=1e-9)


@pytest.mark.slow
def test_the_configuration_chooses_spark_and_the_cli_prints_the_same_inventory(small_demo, monkeypatch,
                                                                               tmp_path) -> None:  # type: ignore[no-untyped-def]
    from nengtan.cli import app

    paths, *_ = small_demo
    run = ["inventory", "--year", "2025", "--format", "json", "--home", str(paths.home)]
    duck = CliRunner().invoke(app, run)
    monkeypatch.setenv("NENGTAN_ENGINE", "spark")
    assert configured_scan() is spark_scan("local[2]")
    on_spark = CliRunner().invoke(app, run)
    assert duck.exit_code == on_spark.exit_code == 0, on_spark.output
    a, b = json.loads(duck.output), json.loads(on_spark.output)
    assert a == b and a["co2_t"] > 0  # every figure, the data version and the factor set
    monkeypatch.delenv("NENGTAN_ENGINE")
    cfg = tmp_path / "nengtan.toml"
    cfg.write_text('[compute]\nengine = "spark"\nspark_master = "local[2]"\n', encoding="utf-8")
    monkeypatch.setenv("NENGTAN_CONFIG", str(cfg))
    assert configured_scan().name == "spark"
    monkeypatch.setenv("NENGTAN_ENGINE", "flink")
    from nengtan.errors import InputError

    with pytest.raises(InputError, match="compute engine 'flink': duckdb or spark"):
        configured_scan()
