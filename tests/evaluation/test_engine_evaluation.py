"""Evaluations over the stores: the platform's own figures and the park's statistics side by side, each input
naming its source (a park figure overriding the platform's says so), and the CLI rendering the engine's result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nengtan.cli import app
from nengtan.config import Paths
from nengtan.engine.cockpit import inventory_dict
from nengtan.engine.evaluation import ghg_inventory, hj274_evaluation, zero_carbon_evaluation
from nengtan.engine.stores import LocalStores
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.registry.store import Registry

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def test_statistics_and_platform_figures_meet_in_the_evaluations(registry: Registry, home: Paths,
                                                                  tmp_path: Path) -> None:
    for kind in ("enterprises", "activity", "economic"):
        assert import_file(registry, home, kind, EXAMPLES / f"{kind}.csv").rows_bad == 0
    f = tmp_path / "park.csv"
    f.write_text("year,item,value,unit,source\n"
                 "2025,employees,300,人,统计局\n2025,hightech_output,0.5,亿元,统计局\n"
                 "2020,value_added,3000,万元,统计局\n2020,energy,0.01,万tce,统计局\n"
                 "2020,co2,5,t,统计局\n2025,co2,999,t,园区核算\n2025,plan_base_year,2020,年,园区规划\n2025,limestone,10,t,企业\n"
                 "2025,green_coverage,140,%,园林\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["import", "park-statistics", str(f), "--home", str(home.home)])
    assert r.exit_code == 0, r.output
    stores = LocalStores(registry, Lake(home.lake))
    inv = inventory_dict(stores, 2025, "park")
    out = hj274_evaluation(stores, 2025)  # the base year is the one the park filed
    assert out["base_year"] == 2020
    by = {i["no"]: i for i in out["indicators"]}
    # value added 1742.5 + 904 + 2081 = 4727.5 万元 (constant prices, docs/examples/economic.csv) over 300 people
    assert inv["value_added"] == pytest.approx(4727.5)
    assert by[2]["value"] == pytest.approx(4727.5 / 300)
    src = {(x["item"], x["year"]): x["source"] for x in by[10]["inputs"]}
    assert src[("energy", 2020)] == "park statistics: 统计局" and src[("energy", 2025)].startswith("platform accounts")
    assert by[10]["value"] == pytest.approx(((inv["energy_tce"] / 100) ** 0.2 - 1) / ((4727.5 / 3000) ** 0.2 - 1))
    co2 = {(x["item"], x["year"]): x for x in by[26]["inputs"]}[("co2", 2025)]
    assert co2["value"] == 999
    assert co2["source"] == f"park statistics: 园区核算 — overrides the platform's {inv['co2_t']:,.4g}"
    assert by[29]["passed"] and hj274_evaluation(stores, 2025, filed={29: 140})["filed_check"][0]["flags"] == [
        "a share lies in 0–100 %: 140"]
    zc = zero_carbon_evaluation(stores, 2025)
    rows = {x["key"]: x for x in zc["indicators"]}
    assert rows["co2_per_energy"]["inputs"]["energy_tce"] == pytest.approx(inv["energy_tce"])
    assert rows["co2_per_energy"]["inputs"]["co2_energy_t"] == pytest.approx(999 - inv["process_t"])
    g = ghg_inventory(stores, 2025, "AR5")
    assert {x["item"] for x in g["lines"]} >= {"碳酸盐使用 limestone"}
    cli = CliRunner().invoke(app, ["evaluate", "ghg", "--year", "2025", "--gwp", "AR5", "--format", "json",
                                   "--home", str(home.home)])
    assert cli.exit_code == 0, cli.output
    assert json.loads(cli.output)["total_t_co2e"] == pytest.approx(g["total_t_co2e"], rel=1e-12)
    pdf = tmp_path / "hj.pdf"
    cli = CliRunner().invoke(app, ["evaluate", "hj274", "--year", "2025", "--output", str(pdf),
                                   "--home", str(home.home)])
    assert cli.exit_code == 0, cli.output
    assert pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    assert sum(len(p.images) for p in PdfReader(pdf).pages) == 1  # the indicators' pass / fail pie
    cli = CliRunner().invoke(app, ["evaluate", "ghg", "--year", "2025", "--output", str(tmp_path / "ghg.pdf"),
                                   "--home", str(home.home)])
    assert cli.exit_code == 0, cli.output
    assert sum(len(p.images) for p in PdfReader(tmp_path / "ghg.pdf").pages) == 2  # by category, by gas
    bad = tmp_path / "bad.csv"
    bad.write_text("year,item,value,unit,source\n2025,fresh_water,5,kWh,x\n", encoding="utf-8")
    cli = CliRunner().invoke(app, ["import", "park-statistics", str(bad), "--home", str(home.home)])
    assert cli.exit_code == 1 and "bad.csv:2: unit 'kWh' does not fit fresh_water" in " ".join(cli.output.split())
