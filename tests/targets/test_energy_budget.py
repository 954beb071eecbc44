"""Energy-use budgets (用能预算) on the dual-control basis, worked by hand on the example park: the default budget,
exact conservation, the warning of each enterprise, and energy reviews drawing on the reserve."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from nengtan.cli import app
from nengtan.config import Paths
from nengtan.engine import energybudget
from nengtan.engine.certification import Actor
from nengtan.engine.cockpit import inventory_dict
from nengtan.engine.stores import LocalStores
from nengtan.errors import NotFoundError
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.registry.store import Registry

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
STAFF = Actor("staff", "admin")


def test_energy_budget_allocated_warned_and_drawn_on(registry: Registry, home: Paths) -> None:
    for kind in ("enterprises", "activity", "economic"):
        assert import_file(registry, home, kind, EXAMPLES / f"{kind}.csv").rows_bad == 0
    stores = LocalStores(registry, Lake(home.lake))
    inv = inventory_dict(stores, 2025, "park")
    b = energybudget.allocate(stores, STAFF, 2025, "grandfather", base_year=2025)
    # one month of data (2025-01), annualised: budget = 12·E × (1 − 3 %) × (1 + 5 % growth) / (1 − 5 % reserve)
    e_year = 12 * inv["energy_dual_control_tce"]
    assert b["budget_tce"] == pytest.approx(e_year * 0.97 * 1.05 / 0.95, abs=0.01)
    assert b["reserve_tce"] == pytest.approx(0.05 * b["budget_tce"], abs=0.01)
    # every unit (0.01 tce) of the budget is in a line or the reserve
    assert round(sum(x["allocated_tce"] for x in b["lines"]) + b["reserve_tce"], 2) == round(b["budget_tce"], 2)
    st = energybudget.status(stores, 2025)
    by = {r["uscc"]: r for r in st["items"]}
    for r in by.values():
        # grandfathered: the lines (95 % of the budget) share 12·E × 0.97 × 1.05 in proportion to each one's own
        # energy, so each projects 1 / (0.97 × 1.05) = 98.2 % of its line: yellow (≥ 90 %, ≤ 100 %)
        assert r["share"] == pytest.approx(1 / (0.97 * 1.05), rel=1e-4) and r["status"] == "yellow"
    # the park projects 12·E against the whole budget: 0.95 / (0.97 × 1.05) = 93.3 %, yellow
    assert st["projected_tce"] == pytest.approx(e_year) and st["park_status"] == "yellow"
    left = b["reserve_tce"]
    ok = energybudget.review(stores, STAFF, "新项目", 2025, energy_tce=left / 2)
    assert ok["decision"] == "approved"
    no = energybudget.review(stores, STAFF, "大项目", 2025, energy_tce=left)
    assert no["decision"] == "rejected" and f"by {left / 2:,.1f}" in no["reason"]
    assert no["reason_zh"] == f"{left:,.1f} tce 超出 2025 年预算剩余储备（{left / 2:,.1f} tce）{left / 2:,.1f} tce"
    assert [(r["reason"], r["reason_zh"]) for r in energybudget.reviews(stores, 2025)][-1] == (no["reason"],
                                                                                                no["reason_zh"])
    assert energybudget.budget(stores, 2025)["reserve_left_tce"] == pytest.approx(left / 2)
    with pytest.raises(NotFoundError):
        energybudget.review(stores, Actor("u", "enterprise", frozenset({1})), "x", 2025, energy_tce=1)
    r = CliRunner().invoke(app, ["energy-budget", "status", "--year", "2025", "--format", "json", "--home",
                                 str(home.home)])
    assert r.exit_code == 0, r.output
