"""``nengtan greenpower cfe`` and ``trace`` on the documented examples (docs/examples), and bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nengtan.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
CFE = EXAMPLES / "greenpower-cfe"
FEEDER = EXAMPLES / "greenpower-feeder"


def _json(*args: str) -> dict:  # type: ignore[type-arg]
    r = CliRunner().invoke(app, [*args, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)  # type: ignore[no-any-return]


def test_cfe_file_mode() -> None:
    """docs/examples/greenpower-cfe is tests/greenpower/test_cfe.py's case: 22/40 without storage, 26.36/40 with."""
    args = ("greenpower", "cfe", "--load", str(CFE / "load.csv"), "--supply", str(CFE / "supply.csv"),
            "--grid-cfe", str(CFE / "grid-cfe.csv"))
    out = _json(*args)
    assert (out["cfe_score"], out["hourly_matched_share"], out["annual_share"]) == pytest.approx((0.55, 0.375, 0.625))
    stored = _json(*args, "--storage-kwh", "8", "--storage-kw", "6", "--storage-efficiency", "0.9")
    assert stored["cfe_score"] == pytest.approx(26.36 / 40) and stored["hourly_matched_share"] == pytest.approx(0.51)


def test_quarter_hours_sum_to_hours(tmp_path: Path) -> None:
    """15-minute meter readings are summed to the hour; the grid's share is averaged over the hour."""
    (tmp_path / "load.csv").write_text("ts,value\n" + "".join(f"2025-06-01T00:{m:02d},2.5\n" for m in (0, 15, 30, 45)))
    (tmp_path / "supply.csv").write_text("ts,value\n2025-06-01T00:00+08:00,4\n")
    (tmp_path / "grid.csv").write_text("ts,value\n2025-06-01T00:00,0.2\n2025-06-01T00:30,0.4\n")
    out = _json("greenpower", "cfe", "--load", str(tmp_path / "load.csv"), "--supply", str(tmp_path / "supply.csv"),
                "--grid-cfe", str(tmp_path / "grid.csv"))
    assert out["load_kwh"] == 10 and out["hours"] == 1
    assert out["cfe_score"] == pytest.approx((4 + 6 * 0.3) / 10)  # 4 matched, 6 at the hour's mean share 0.3


def test_trace_keyed_by_bus_branch_load_and_interval() -> None:
    out = _json("greenpower", "trace", str(FEEDER))
    noon = "2025-06-01T12:00:00+08:00"
    assert out["nodal_intensity"]["b"]["2025-06-01T00:00:00+08:00"] == pytest.approx(0.36)
    assert out["nodal_intensity"]["a"][noon] == pytest.approx(0.3)
    assert out["green_share"]["a"][noon] == pytest.approx(0.5)
    assert out["branch_carbon"]["g→a"][noon] == pytest.approx(2 * 250 * 0.6)
    assert out["load_carbon"]["91320115000001230J@a"][noon] == pytest.approx(4 * 250 * 0.3)
    assert out["units"]["nodal_intensity"] == "kg CO2/kWh"
    attributed = _json("greenpower", "trace", str(FEEDER), "--attribution")["attribution"]
    assert attributed["91320115000002129Y@b"]["2025-06"] == {"rooftop pv@b": pytest.approx(500 + 1250)}


@pytest.mark.parametrize(("table", "text", "message"), [
    ("flows.csv", "ts,from_bus,to_bus,mw\n2025-06-01T00:00,g,x,10\n", "flows.csv:2: bus 'x' is not in buses.csv"),
    ("flows.csv", "ts,from_bus,to_bus,mw\n2025-13-01T00:00,g,a,10\n", "flows.csv:2: ts '2025-13-01T00:00' is not"),
    ("generation.csv", "ts,bus,source,mw,kgco2_per_kwh\n2025-06-01T00:00,g,grid,ten,0.6\n",
     "generation.csv:2: mw 'ten' is not a number"),
    ("generation.csv", "ts,bus,source,mw,kgco2_per_kwh\n2025-06-01T00:00,g,grid,１２,0.6\n",
     "generation.csv:2: mw '１２' has full-width digits"),  # the number rule of every import (ingest.fields)
    ("flows.csv", "ts,from_bus,to_bus,mw\n2025-06-01T00:00,g,a,1_000\n", "flows.csv:2: mw '1_000' is not a number"),
    ("flows.csv", "ts,from_bus,to_bus,mw,mw\n2025-06-01T00:00,g,a,1,2\n", "column 'mw' appears twice"),
    ("loads.csv", "ts,bus,mw\n2025-06-01T00:00,a,4\n", "loads.csv: needs the columns ts, bus, uscc, mw; missing uscc"),
    ("loads.csv", "ts,bus,uscc,mw\n2025-06-01T00:00,a,X,-4\n", "loads.csv:2: a load takes power"),
])
def test_bad_network_files_get_one_line(tmp_path: Path, table: str, text: str, message: str) -> None:
    for f in FEEDER.iterdir():
        (tmp_path / f.name).write_text(f.read_text("utf-8"), encoding="utf-8")
    (tmp_path / table).write_text(text, encoding="utf-8")
    r = CliRunner().invoke(app, ["greenpower", "trace", str(tmp_path)])
    assert r.exit_code == 2 and message in " ".join(r.output.split()), r.output
