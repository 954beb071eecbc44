"""End-to-end on the (small) demo park through the CLI: targets, budget, warnings, scenarios,
assessment and the XLSX report."""

import json
from importlib import resources

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from nengtan.cli import app
from nengtan.cli.common import open_stores
from nengtan.demo import SMALL, build_demo

runner = CliRunner()


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    h = tmp_path_factory.mktemp("demo")
    paths, reg, _ = open_stores(str(h), create=True)
    build_demo(paths, reg, size=SMALL, minutes=60)
    reg.close()
    return str(h)


def run(*args):
    r = runner.invoke(app, list(args))
    return r


def test_demo_end_to_end(home, tmp_path):
    project = str(resources.files("nengtan.targets").joinpath("data/example_project.yaml"))
    assert (
        run("targets", "adopt", "jiangsu-zero-carbon-park-carbon-intensity", "--by", "王", "--home", home).exit_code
        == 0
    )
    r = run("targets", "list", "--home", home, "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["value"] == 0.6
    r = run(
        "budget",
        "allocate",
        "--year",
        "2025",
        "--method",
        "hybrid",
        "--approved-by",
        "王主任",
        "--budget",
        "12345.67",
        "--home",
        home,
        "--format",
        "json",
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["version"] == 1 and out["approved_by"] == "王主任"
    # conservation: enterprises + reserve = budget, to the cent
    total = sum(round(e["allocated_t"] * 100) for e in out["enterprises"]) + round(out["reserve_t"] * 100)
    assert total == 1_234_567
    r = run("warnings", "--year", "2025", "--month", "9", "--all", "--home", home, "--format", "json")
    assert r.exit_code == 0, r.output
    w = json.loads(r.stdout)
    assert w["month"] == 9
    levels = {row["level"] for row in w["rows"]}
    assert {"park", "sector", "enterprise"} <= levels
    assert all(row["status"] in ("red", "yellow", "green", "grey") and row["reason_zh"] for row in w["rows"])
    r = run("scenarios", "--to", "2035", "--draws", "500", "--seed", "1", "--home", home, "--format", "json")
    assert r.exit_code == 0, r.output
    s = json.loads(r.stdout)
    assert [x["scenario"] for x in s["summary"]] == ["baseline", "policy", "enhanced"]
    assert all(0.0 <= x["p_peak_by_2030"] <= 1.0 for x in s["summary"])
    r2 = run("scenarios", "--to", "2035", "--draws", "500", "--seed", "1", "--home", home, "--format", "json")
    assert json.loads(r2.stdout) == s  # same seed, same numbers
    r = run("assess", "project", project, "--year", "2025", "--home", home, "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["verdict"] in ("approve", "approve_with_conditions", "reject")
    xlsx = tmp_path / "t.xlsx"
    r = run(
        "report", "targets", "--year", "2025", "-o", str(xlsx), "--draws", "200", "--project", project, "--home", home
    )
    assert r.exit_code == 0, r.output
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["目标与进度", "预算分配", "预警", "情景对比", "项目评估"]
    assert len(wb["情景对比"]._charts) == 1


def test_user_mistakes_are_one_line(home):
    r = run("budget", "allocate", "--year", "2025", "--method", "lottery", "--approved-by", "x", "--home", home)
    assert r.exit_code == 2 and "unknown allocation method" in r.output and "Traceback" not in r.output
    r = run("lmdi", "--from", "2019", "--to", "2025", "--home", home)
    assert r.exit_code == 2 and "no energy data for 2019" in r.output
    r = run("targets", "adopt", "nope", "--by", "x", "--home", home)
    assert r.exit_code == 2 and "no target template" in r.output
