"""Hourly profiles of contracted supply, granular certificates, and 24/7 matching from what the platform holds."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from nengtan.calendar import PARK_TZ
from nengtan.cli import app
from nengtan.config import Paths
from nengtan.engine import greenassets
from nengtan.errors import InputError
from nengtan.greenpower import gec
from nengtan.greenpower.profiles import granular, shape_weights, spread
from nengtan.ingest.files import import_file
from nengtan.registry.store import Registry

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
A = "91320115000001230J"  # main meters X1-M (412.5 + 409.1 + 398.7 kWh) and counter X2-M (238.5 + 231.5 kWh) in
# 2025-01-01 00:00–01:00


def test_shapes_and_spreading_by_month() -> None:
    day = [dt.datetime(2025, 3, 1, h, tzinfo=PARK_TZ) for h in range(24)]
    solar = shape_weights("solar", day)
    assert solar[:6].sum() == 0 and solar[18:].sum() == 0 and solar.argmax() in (11, 12)
    wind = shape_weights("wind", day)
    assert wind[3] == pytest.approx(1.35, abs=0.01) and wind[15] == pytest.approx(0.65, abs=0.01)
    hours = day + [dt.datetime(2025, 4, 1, h, tzinfo=PARK_TZ) for h in range(2)]
    # each month over all its hours (March 744, April 720), read at the given ones: nothing is moved into them
    out = spread({"2025-03": 744.0, "2025-04": 7200.0}, "flat", hours)
    assert out[:24] == pytest.approx([1.0] * 24) and out[24:] == pytest.approx([10.0, 10.0])
    metered = {dt.datetime(2025, 3, 1, 0, tzinfo=PARK_TZ): 3.0, dt.datetime(2025, 3, 31, 23, tzinfo=PARK_TZ): 1.0}
    out = spread({"2025-03": 100.0}, "flat", hours, metered)  # the metered hours give the month's shape
    assert out[0] == pytest.approx(75.0) and out[1:].sum() == 0.0
    with pytest.raises(InputError, match="profile is empty"):
        spread({"2025-05": 1.0}, "flat", hours, metered)
    with pytest.raises(InputError, match="profile shape"):
        shape_weights("tidal", day)


def test_granular_certificates_are_cancelled_by_the_same_hour_only() -> None:
    supply = np.array([[2.0, 0.0, 3.0], [2.0, 1.0, 0.0]])
    load = np.array([2.0, 2.0, 1.0])
    g = granular(supply, load)
    # hour 0: 4 supplied, 2 used → each source half cancelled; hour 1: 1 of 1; hour 2: 1 of 3
    assert g["cancelled"].tolist() == [[1.0, 0.0, 1.0], [1.0, 1.0, 0.0]]
    assert g["uncancelled"].sum() == pytest.approx(supply.sum() - load.sum() + 1.0)  # hour 1 had 1 kWh unmatched load


def test_cfe_from_the_contracts_held_on_the_platform(registry: Registry, home: Paths) -> None:
    for kind in ("enterprises", "meters", "readings"):
        assert import_file(registry, home, kind, EXAMPLES / f"{kind}.csv").rows_bad == 0
    wind = gec.project_code("1", "1", "2", 2021, "320900", 1)
    with registry.session(write=True) as s:
        greenassets.add_contract(s, "t", "PPA-1", "ppa", "wind farm", wind, A, dt.date(2025, 1, 1), 1, None, "flat")
    args = ["greenpower", "cfe", "--enterprise", A, "--year", "2025", "--grid-cfe-share", "0.3", "--home",
            str(home.home), "--format", "json"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    load = 412.5 + 409.1 + 398.7 + 238.5 + 231.5  # one hour of load in January, 00:00-01:00 on the 1st
    flat = 1000 / 744  # the flat month's 1 MWh over January's 744 hours: what falls in the load's hour
    assert out["supply_kwh"] == pytest.approx(flat)
    assert out["cfe_score"] == pytest.approx((flat + (load - flat) * 0.3) / load)
    assert out["hourly_matched_share"] == pytest.approx(flat / load)
    assert out["granular_certificates"] == [{"source": "contract PPA-1", "shape": "flat",
                                             "issued_kwh": pytest.approx(flat), "cancelled_kwh": pytest.approx(flat),
                                             "uncancelled_kwh": 0.0, "hours_issued": 1}]
    r = CliRunner().invoke(app, ["greenpower", "cfe", "--park", "--year", "2025", "--home", str(home.home),
                                 "--format", "json"])
    park = json.loads(r.output)
    assert park["load_from"]["enterprises"] == [A] and park["cfe_score"] == pytest.approx(flat / load)
    # the contract's metered delivery: 3 kWh at 00:00 and 1 kWh at 01:00 give January's 1 MWh as 750 + 250 kWh
    (home.home / "ppa.csv").write_text("ts,value\n2025-01-01T00:00,1.5\n2025-01-01T00:30,1.5\n"
                                       "2025-01-01T01:00,1\n")
    r = CliRunner().invoke(app, ["greenpower", "contract", "profile", "PPA-1", str(home.home / "ppa.csv"),
                                 "--home", str(home.home)])
    assert r.exit_code == 0 and "2 hours, 4.0 kWh" in r.output, r.output
    out = json.loads(CliRunner().invoke(app, args).output)
    assert out["supply_kwh"] == pytest.approx(750.0) and out["supply_from"][0]["shape"] == "metered"
    assert out["cfe_score"] == pytest.approx((750 + (load - 750) * 0.3) / load)
    (home.home / "bad.csv").write_text("ts,value\n2025-02-01T00:00,1\n")
    r = CliRunner().invoke(app, ["greenpower", "contract", "profile", "PPA-1", str(home.home / "bad.csv"),
                                 "--home", str(home.home)])
    assert r.exit_code == 2 and "has no month 2025-02" in r.output
