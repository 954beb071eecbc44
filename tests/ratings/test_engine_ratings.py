"""Ratings over the stores: the grades and codes name their method version, factor set and data version, and
their inputs are the engine's figures."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from nengtan.cli import app
from nengtan.config import Paths
from nengtan.engine.ratings import carbon_efficiency_grades, green_codes
from nengtan.engine.stores import LocalStores
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.registry.store import Registry

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_ratings_of_the_example_park(registry: Registry, home: Paths) -> None:
    for kind in ("enterprises", "activity", "economic"):
        assert import_file(registry, home, kind, EXAMPLES / f"{kind}.csv").rows_bad == 0
    stores = LocalStores(registry, Lake(home.lake))
    ce = carbon_efficiency_grades(stores, 2025)
    assert ce["method"] == "carbon_efficiency@v1" and ce["data_version"].startswith("registry#")
    # three enterprises in three sectors: no sector has the three needed for an average
    assert ce["counts"] == {"not graded": 3}
    assert all("fewer than 3" in it["reason"] for it in ce["items"])
    gc = green_codes(stores, 2025)
    assert {it["colour"] for it in gc["items"]} <= {"yellow", "red"}
    assert all("no carbon-efficiency grade" in it["reasons"] or it["colour"] == "red" for it in gc["items"])
    r = CliRunner().invoke(app, ["ratings", "green-code", "--year", "2025", "--home", str(home.home)])
    assert r.exit_code == 0 and "green_code@v1" in r.output, r.output
