"""`nengtan footprint calc` prints the engine's figures: the documented example, by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nengtan.cli import app

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "footprint-wafer"
GRID = 0.6205  # kg CO2e/kWh, national life-cycle electricity factor 2023


def test_the_documented_wafer_example() -> None:
    r = CliRunner().invoke(app, ["footprint", "calc", str(EXAMPLE), "--product", "wafer", "--format", "json",
                                 "--mc", "200"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    si = 150e-6 * 2329 / (1 - 0.4)  # kg polysilicon per m2 (parameters.csv)
    assert out["total_kgco2e"] == pytest.approx((si * 49 + 4.76) * GRID, rel=1e-12)
    assert out["by_stage"]["polysilicon"] == pytest.approx(si * 49 * GRID, rel=1e-12)
    lo, hi = out["interval_95"]
    assert lo < out["total_kgco2e"] < hi and out["monte_carlo"]["draws"] == 200
    thin = CliRunner().invoke(app, ["footprint", "calc", str(EXAMPLE), "--product", "wafer", "--format", "json",
                                    "--scenario", "thin wafers"])
    assert json.loads(thin.output)["total_kgco2e"] == pytest.approx((130e-6 * 2329 / 0.7 * 49 + 4.76) * GRID)
    table = CliRunner().invoke(app, ["footprint", "calc", str(EXAMPLE), "--product", "wafer"])
    assert "20.6566 kg CO2e per m2" in table.output


def test_a_bad_model_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "activities.csv").write_text("activity,product,amount,unit,location\nx,x,1,kg,CN\n")
    (tmp_path / "exchanges.csv").write_text("activity,type,flow,amount,unit,provider\nx,biosphere,CO3,1,kg,\n")
    r = CliRunner().invoke(app, ["footprint", "calc", str(tmp_path), "--product", "x"])
    assert r.exit_code != 0
    assert "elementary flow 'CO3' is not one of" in r.output and "Traceback" not in r.output
