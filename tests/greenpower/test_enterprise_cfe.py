"""Hourly matching of an enterprise's load as its 15-minute meters recorded it on the platform (docs/examples)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nengtan.cli import app
from nengtan.config import Paths
from nengtan.ingest.files import import_file
from nengtan.registry.store import Registry

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
A = "91320115000001230J"  # main interval meter X1-M: 412.5 + 409.1 + 398.7 kWh in 2025-01-01 00:00–01:00


def test_load_from_the_enterprises_meters(registry: Registry, home: Paths, tmp_path: Path) -> None:
    for kind in ("enterprises", "meters", "readings"):
        assert import_file(registry, home, kind, EXAMPLES / f"{kind}.csv").rows_bad == 0
    (tmp_path / "supply.csv").write_text("ts,value\n2025-01-01T00:00,1000\n")
    (tmp_path / "grid.csv").write_text("ts,value\n2025-01-01T00:00,0.3\n")
    r = CliRunner().invoke(app, ["greenpower", "cfe", "--enterprise", A, "--year", "2025", "--home", str(home.home),
                                 "--supply", str(tmp_path / "supply.csv"), "--grid-cfe", str(tmp_path / "grid.csv"),
                                 "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    # the interval meter X1-M's three readings, and the counter X2-M's register differences in the same hour:
    # 523 388.5 − 523 150 and 523.62 MWh − 523 388.5 kWh; the sub-meter X1-S1 is never added
    load = 412.5 + 409.1 + 398.7 + (523_388.5 - 523_150.0) + (523_620.0 - 523_388.5)
    assert out["load_kwh"] == pytest.approx(load)
    assert out["cfe_score"] == pytest.approx((1000 + (load - 1000) * 0.3) / load)
    assert out["load_from"]["meters"] == ["X1-M"] and out["load_from"]["counters"] == ["X2-M"]
    missing = CliRunner().invoke(app, ["greenpower", "cfe", "--enterprise", A, "--year", "2024", "--home",
                                       str(home.home), "--supply", str(tmp_path / "supply.csv"), "--grid-cfe",
                                       str(tmp_path / "grid.csv")])
    assert missing.exit_code == 2 and "hold no readings in 2024" in " ".join(missing.output.split())
