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


def test_the_pv_template_by_hand(tmp_path: Path) -> None:
    out_dir = tmp_path / "pv"
    r = CliRunner().invoke(app, ["footprint", "template", "pv", str(out_dir)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(app, ["footprint", "calc", str(out_dir), "--product", "module_w", "--per", "kWp",
                                 "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    si = 150e-6 * 2329 / 0.6  # kg of ingot (and of polysilicon, 1 : 1 by default) per m2 of wafer, cell, module
    kwh_per_m2 = si * 49 + si * 32 + 4.76 + 17.75 + 13.98  # IEA PVPS Task 12 stage figures
    per_w = kwh_per_m2 * GRID / (0.21 * 1000)  # 1 W at STC = 1 / (21 % × 1 000 W/m2) m2 of module
    assert out["total_kgco2e"] == pytest.approx(per_w * 1000, rel=1e-12)  # per kWp
    assert out["by_stage"]["cell"] == pytest.approx(17.75 * GRID / 210 * 1000, rel=1e-12)
    assert out["model"]["name"] == "pv"
    tree = json.loads(CliRunner().invoke(app, ["footprint", "calc", str(out_dir), "--product", "module_w", "--per",
                                               "kWp", "--tree", "--format", "json"]).output)["tree"]
    module = tree["inputs"][0]  # 1 kWp takes 1 000 / 210 m2 of module, holding its cumulative footprint
    assert module["amount"] == pytest.approx(1000 / 210) and module["cumulative_kgco2e"] == pytest.approx(
        out["total_kgco2e"])
    again = CliRunner().invoke(app, ["footprint", "template", "pv", str(out_dir)])
    assert again.exit_code != 0 and "not empty" in again.output


def test_the_report_renders_the_engines_figures(tmp_path: Path) -> None:
    import openpyxl

    xlsx = tmp_path / "wafer.xlsx"
    r = CliRunner().invoke(app, ["footprint", "report", str(EXAMPLE), "--product", "wafer", "--out", str(xlsx),
                                 "--mc", "100"])
    assert r.exit_code == 0, r.output
    out = json.loads(CliRunner().invoke(app, ["footprint", "calc", str(EXAMPLE), "--product", "wafer", "--format",
                                              "json", "--mc", "100"]).output)
    wb = openpyxl.load_workbook(xlsx)
    study = {row[0].value: row[1].value for row in wb["研究概况 Study"].iter_rows(min_row=2) if row[0].value}
    # the engine's number, not recomputed (a cell keeps the 15 significant digits Excel has)
    assert study["碳足迹 Carbon footprint [kg CO2e]"] == pytest.approx(out["total_kgco2e"], rel=1e-14)
    assert f"{out['interval_95'][0]:.4f}" in study["不确定性 Uncertainty"]
    stages = {r[0].value: r[1].value for r in wb["分阶段 By stage"].iter_rows(min_row=2)}
    assert stages == pytest.approx(out["by_stage"], rel=1e-14)
    sources = [r[6].value for r in wb["清单 Inventory"].iter_rows(min_row=2)]
    assert any("IEA PVPS Task 12" in (s or "") for s in sources)
    assert [r[0].value for r in wb["背景数据 Background"].iter_rows(min_row=2)] == ["electricity:CN"]


def test_the_pdf_report_states_the_engines_figures(tmp_path: Path) -> None:
    """The PDF (Noto CJK) prints the engine's numbers: its text, read back, holds the total, every stage and
    the interval as the JSON gives them, and the Chinese headings."""
    import pypdf

    pdf = tmp_path / "wafer.pdf"
    r = CliRunner().invoke(app, ["footprint", "report", str(EXAMPLE), "--product", "wafer", "--out", str(pdf),
                                 "--mc", "100"])
    assert r.exit_code == 0, r.output
    out = json.loads(CliRunner().invoke(app, ["footprint", "calc", str(EXAMPLE), "--product", "wafer", "--format",
                                              "json", "--mc", "100"]).output)
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    text = "".join(ch for ch in text if ch not in " \n\x00")  # the CID font's text comes back spaced
    assert f"{out['total_kgco2e']:,.4f}kgCO2e/m2" in text  # 20.6566 (docs/footprint.md, worked by hand)
    assert f"{out['total_kgco2e']:,.4f}" == "20.6566"
    for stage, v in out["by_stage"].items():
        assert f"{stage}{v:,.4f}" in text
    assert f"{out['interval_95'][0]:.4f}…{out['interval_95'][1]:.4f}" in text
    for heading in ("研究概况", "分阶段", "清单", "背景数据", "初级数据"):
        assert heading in text
    bad = CliRunner().invoke(app, ["footprint", "report", str(EXAMPLE), "--product", "wafer", "--out",
                                   str(tmp_path / "wafer.docx")])
    assert bad.exit_code == 2 and ".xlsx or .pdf" in bad.output
