"""One number everywhere: the same park-year rendered by the CLI (JSON), the API, the cockpit payload and
the XLSX workbook, every shared figure equal."""

from __future__ import annotations

import json
import os

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from typer.testing import CliRunner

from nengtan.cli import app as cli

YEAR = 2025


def _cli(demo, *args: str) -> str:  # type: ignore[no-untyped-def]
    env = {**os.environ, "NENGTAN_DATABASE_URL": demo.url}
    r = CliRunner().invoke(cli, [*args, "--home", str(demo.home)], env=env)
    assert r.exit_code == 0, r.output
    return r.stdout


def test_park_year_is_the_same_on_every_surface(client: TestClient, tokens, demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    inv = json.loads(_cli(demo, "inventory", "--year", str(YEAR), "--format", "json"))
    api = client.get(f"/api/inventory?year={YEAR}", headers=tokens["admin"]).json()
    head = client.get(f"/api/cockpit/summary?year={YEAR}", headers=tokens["admin"]).json()
    cockpit = {i["key"]: i for i in head["items"]}
    # every surface names the same basis: the energy basis, the factor set and its time-matching
    assert head["energy_basis"] == inv["energy_basis"] and "当量值" in inv["energy_basis"]
    assert head["factor_set"] == inv["factor_set"] and head["factor_basis"] == inv["factor_basis"]
    assert any("2023 grid factors" in n for n in inv["factor_basis"])
    out = tmp_path / "inv.xlsx"
    _cli(demo, "report", "inventory", "--year", str(YEAR), "-o", str(out))
    summary = {r[0]: r[1] for r in load_workbook(out)["汇总 Summary"].iter_rows(values_only=True) if r and r[0]}

    for key in ("energy_tce", "energy_equiv_tce", "co2_t", "scope1_t", "scope2_location_t", "scope2_market_t",
                "value_added", "non_fossil_energy_share", "renewable_electricity_share"):
        assert api[key] == pytest.approx(inv[key], rel=1e-12), key
    assert api["factor_set"] == inv["factor_set"] and api["value_added_basis"] == inv["value_added_basis"]
    assert cockpit["energy_tce"]["value"] == pytest.approx(inv["energy_tce"], rel=1e-12)
    assert cockpit["co2_t"]["value"] == pytest.approx(inv["co2_t"], rel=1e-12)
    assert cockpit["carbon_intensity"]["value"] == pytest.approx(
        inv["intensities"]["co2_t_per_10k_cny_value_added"], rel=1e-12)
    assert cockpit["non_fossil_energy_share"]["value"] == pytest.approx(inv["non_fossil_energy_share"], rel=1e-12)
    workbook = {k: v for k, v in summary.items() if isinstance(v, int | float)}
    by_label = {"综合能耗（当量值）": "energy_tce", "工业增加值": "value_added", "单位增加值碳排放": None}
    for label, key in by_label.items():
        (cell,) = [v for k, v in workbook.items() if str(k).startswith(label)]
        expected = inv[key] if key else inv["intensities"]["co2_t_per_10k_cny_value_added"]
        assert cell == pytest.approx(expected, rel=1e-12), label


def test_one_enterprise_intensity_is_the_same_in_the_workbook_and_the_cockpit(client, tokens, demo,  # type: ignore[no-untyped-def]
                                                                             tmp_path) -> None:
    out = tmp_path / "inv.xlsx"
    _cli(demo, "report", "inventory", "--year", str(YEAR), "-o", str(out))
    rows = list(load_workbook(out)["企业 Enterprises"].iter_rows(values_only=True))
    head = rows[0]
    col = head.index("tCO2/万元增加值")
    sheet = {r[0]: r[col] for r in rows[1:] if r[col] is not None}
    ranking = client.get(f"/api/cockpit/ranking?year={YEAR}&by=co2&limit=500", headers=tokens["admin"]).json()
    shown = {r["uscc"]: r["co2_intensity"] for r in ranking["items"] if r["co2_intensity"] is not None}
    assert shown and set(shown) <= set(sheet)
    for uscc, v in shown.items():
        assert sheet[uscc] == pytest.approx(v, rel=1e-12), uscc


def test_a_year_without_data_is_a_clear_error_everywhere(client, tokens, demo) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "NENGTAN_DATABASE_URL": demo.url}
    r = CliRunner().invoke(cli, ["inventory", "--year", "2019", "--home", str(demo.home)], env=env)
    assert r.exit_code == 2 and "no energy data" in r.output and "Traceback" not in r.output
    api = client.get("/api/inventory?year=2019", headers=tokens["admin"])
    assert api.status_code == 404 and "no energy data" in api.json()["detail"]
    w = CliRunner().invoke(cli, ["warnings", "--year", "2019", "--home", str(demo.home)], env=env)
    assert w.exit_code == 2 and "no energy data for 2019" in w.output


def test_a_command_before_init_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "never-initialised"
    r = CliRunner().invoke(cli, ["inventory", "--year", "2025", "--home", str(home)],
                           env={k: v for k, v in os.environ.items() if k != "NENGTAN_DATABASE_URL"})
    assert r.exit_code == 2 and "nengtan init" in r.output
    assert not home.exists()
