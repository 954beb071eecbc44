"""The demo park end to end: generator truth = engine, the CLI's JSON, and a report whose every
figure is reproduced from the factor table it contains."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from nengtan.cli import app
from nengtan.engine.ledgers import inventory

runner = CliRunner()


def test_engine_reproduces_what_the_generator_put_in(small_demo) -> None:  # type: ignore[no-untyped-def]
    _, reg, lake, truth = small_demo
    inv = inventory(reg, lake, 2025)
    for carrier, qty in truth.carrier_totals.items():
        if carrier == "green_electricity":  # statements' green power is an unverified claim (no GECs cancelled here)
            assert inv.green_unverified_kwh == pytest.approx(qty, rel=1e-9)
            assert inv.by_carrier[carrier]["quantity"] == 0.0
            continue
        # electricity includes three counters (one rolls over at 10^7 kWh, one is replaced mid-year)
        assert inv.by_carrier[carrier]["quantity"] == pytest.approx(qty, rel=1e-9), carrier
    assert inv.enterprises == truth.enterprises == 24
    # park = Σ enterprises, exactly
    ents = [inventory(reg, lake, 2025, scope=f"enterprise:{u}") for u in _usccs(reg)]
    assert inv.co2_t == pytest.approx(sum(e.co2_t for e in ents), rel=1e-12)
    assert inv.energy_tce == pytest.approx(sum(e.energy_tce for e in ents), rel=1e-12)


def _usccs(reg) -> list[str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from nengtan.registry.tables.park import Enterprise

    with reg.session() as s:
        return list(s.execute(select(Enterprise.uscc)).scalars())


def test_cli_inventory_json_and_errors(small_demo) -> None:  # type: ignore[no-untyped-def]
    paths, reg, lake, _ = small_demo
    home = str(paths.home)
    res = runner.invoke(app, ["inventory", "--year", "2025", "--quarter", "2", "--format", "json", "--home", home])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    inv = inventory(reg, lake, 2025, quarter=2)
    assert d["co2_t"] == pytest.approx(inv.co2_t) and d["period"] == "2025-Q2"
    for key in ("energy_tce", "co2_t", "scope1_t", "scope2_location_t", "scope2_market_t", "by_carrier",
                "intensities", "factor_set"):
        assert key in d
    assert d["factor_set"].startswith("cn@")  # the time-matched default set
    sector = runner.invoke(app, ["inventory", "-y", "2025", "--scope", "sector:36", "-f", "json", "--home", home])
    assert json.loads(sector.output)["co2_t"] == pytest.approx(inventory(reg, lake, 2025, scope="sector:36").co2_t)
    for args, message in [
        (["--scope", "enterprise:91320115000001230J"], "no enterprise in scope"),
        (["--scope", "district:3"], "is not park, park:<code>, region:<code>, sector:<code> or enterprise:<uscc>"),
        (["--month", "13"], "month 13 is not 1-12"),
        (["--factors", "cn-1999"], "unknown factor set 'cn-1999'"),
        (["--format", "yaml"], "is not table or json"),
    ]:
        r = runner.invoke(app, ["inventory", "--year", "2025", "--home", home, *args])
        assert r.exit_code == 2 and message in r.output and "Traceback" not in r.output, (args, r.output)


def test_report_figures_reproduce_from_its_own_factor_table(small_demo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    paths, _, _, _ = small_demo
    out = tmp_path / "inv.xlsx"
    r = runner.invoke(app, ["report", "inventory", "--year", "2025", "-o", str(out), "--home", str(paths.home)])
    assert r.exit_code == 0, r.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总 Summary", "分能源 Carriers", "分行业 Sectors", "企业 Enterprises", "月度 Months",
                             "因子 Factors"]
    factors = wb["因子 Factors"]
    lib = {}
    for row in factors.iter_rows(values_only=True):
        if row and row[0] and row[1] and isinstance(row[6], float | int) and str(row[0]).count(".") >= 1:
            lib[row[0]] = float(row[6])
    # the multipliers, rebuilt by hand from the library rows printed in the workbook
    gas = lib["ncv.natural_gas"] / 10_000 * lib["cc.natural_gas"] * lib["of.natural_gas"] * 44 / 12
    grid = lib["grid.jiangsu.2023"] / 1000
    # market basis: the national factor excluding market-traded non-fossil power (2023, 公告2025年第47号 表4);
    # the notices publish it nationally only
    excl = lib["grid.national_excl.2023"] / 1000
    carriers = {row[0].split()[-1]: row for row in wb["分能源 Carriers"].iter_rows(min_row=2, values_only=True)
                if row[0] and row[0] != "合计 Total" and row[1] is not None}
    gas_row = carriers["natural_gas"]
    assert gas_row[8] == pytest.approx(gas_row[1] * gas, rel=1e-12)                     # Scope 1
    assert gas_row[4] == pytest.approx(gas_row[1] * lib["tce.natural_gas"] / 1000, rel=1e-12)  # kgce/m3 → tce
    el = carriers["electricity"]
    assert el[9] == pytest.approx(el[1] * grid, rel=1e-12)                              # Scope 2 location
    assert el[4] == pytest.approx(el[1] * lib["tce.electricity"] / 1000, rel=1e-12)
    green = carriers["green_electricity"][1]
    # market-based is per enterprise and month (floored at 0); in the demo no enterprise buys more green
    # power than it uses, so the park figure is (grid − green) × factor
    assert el[11] == pytest.approx((el[1] - green) * excl, rel=1e-9)
    summary = {row[0]: row[1] for row in wb["汇总 Summary"].iter_rows(values_only=True) if row and row[0]}
    co2 = summary["二氧化碳排放 CO2 (Scope 1 + Scope 2 location)"]
    assert co2 == pytest.approx(sum(row[8] + row[9] for row in carriers.values()), rel=1e-12)
    assert summary["数据版本 Data version"].startswith("registry#")


def test_demo_command_small_from_a_fresh_home(tmp_path: Path) -> None:
    home = tmp_path / "h"
    proc = subprocess.run([sys.executable, "-m", "nengtan.cli.entry", "demo", "--small", "--home", str(home)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "24 enterprises" in proc.stdout and "report:" in proc.stdout
    assert (home / "reports" / "inventory-2025.xlsx").exists()
    again = subprocess.run([sys.executable, "-m", "nengtan.cli.entry", "demo", "--small", "--home", str(home)],
                           capture_output=True, text=True, timeout=600,
                           env={**os.environ, "NENGTAN_LANG": "zh", "COLUMNS": "200"})
    assert again.returncode == 0  # a second run reuses the built park
    assert "demo park:" not in again.stdout and "演示园区：" not in again.stdout
    # in Chinese, what the demo prints is Chinese: the inventory, targets, warnings, evaluation, green power, chain
    out = again.stdout
    for line in ("能源与碳排放清单 — park:", "综合能耗（当量值）", "报告：", "目标与进度，2025-",
                 "达峰情景 2025–2035", "项目预评估", "2025 年评价：HJ 274 必选指标未达标", "2025 年绿电：",
                 "园区电网潮流追踪：", "绿电账本：", "绿证持仓（按状态，兆瓦时）：", "已核销 ",
                 "驾驶舱与企业门户：运行"):
        assert line in out, line
    for english in ("report:", "Inventory —", "targets vs progress", "evaluation 2025", "green power 2025",
                    "park grid traced", "cancelled", "cockpit and enterprise portal", "factor set ", "fell back"):
        assert english not in out, english
    _daily_commands_speak_the_clis_language(home)


ALLOWED_ASCII = {"kWh", "kW", "kWp", "tce", "tCO2", "tCO2e", "CO2", "CO2e", "MWh", "kg", "GB", "HJ", "CFE", "ESG",
                 "ISSB", "USCC", "PV", "VA", "GEC", "CCER", "K", "P"}
"""Units and acronyms a Chinese screen writes in Latin letters."""


def english_words(text: str) -> list[str]:
    """Words of Latin letters in ``text`` that are not units, acronyms or parts of codes (which hold digits, '-',
    '_', '.', ':', '@' or '/')."""
    words = []
    for token in re.split(r"[\s,;:()（）：，；、|│┃─━┏┓┗┛┡┩└┘┌┐╭╮╰╯╇╈┳┻╋\[\]{}'\"“”=+*<>~]+", text):
        if not token or re.search(r"[\d_\-.:@/]", token):
            continue
        words += [w for w in re.findall(r"[A-Za-z]{2,}", token) if w not in ALLOWED_ASCII and not w.isupper()]
    return words


def _daily_commands_speak_the_clis_language(home: Path) -> None:
    """The commands of a month's work print Chinese in zh (nothing but units, acronyms and codes in Latin letters)
    and English in en, with the same figures: the operations the demo set up (tariff, cost, load curve, sub-meter
    balance, virtual meter, alarms), data quality, ratings, evaluations, green power (24/7 matching, GECs, contracts,
    claims, orders), the energy budget and carbon assets."""
    from nengtan.demo_operations import metered_site
    from nengtan.engine import open_local

    site = metered_site(open_local(str(home))[1])
    assert site is not None
    uscc, meter = site
    virtual = f"{meter.rsplit('-', 1)[0]}-REST"
    commands = [["tariff", "show"], ["cost", uscc], ["meter", "curve", uscc, meter], ["meter", "balance", uscc, meter],
                ["meter", "monthly", uscc, virtual], ["alarms", "rules"], ["alarms", "list", "--all"],
                ["quality", "--year", "2025", "--month", "3"], ["ratings", "carbon-efficiency", "--year", "2025"],
                ["ratings", "green-code", "--year", "2025"], ["ratings", "mu", "--year", "2025"],
                ["ratings", "points", "balance"], ["evaluate", "hj274", "--year", "2025", "--base-year", "2020"],
                ["evaluate", "zero-carbon", "--year", "2025"], ["evaluate", "ghg", "--year", "2025"],
                ["greenpower", "cfe", "--year", "2025", "--park"], ["greenpower", "gec", "list"],
                ["greenpower", "contract", "list"], ["greenpower", "claims"], ["greenpower", "order", "list"],
                ["energy-budget", "status", "--year", "2025"], ["assets", "status", "--year", "2024"],
                ["assets", "ccer-lots"], ["assets", "energy-right", "status", "--year", "2025"],
                ["assets", "verification", "list"]]
    for command in commands:
        zh = runner.invoke(app, [*command, "--home", str(home)], env={"NENGTAN_LANG": "zh", "COLUMNS": "200"})
        assert zh.exit_code == 0, (command, zh.output[-1500:])
        assert english_words(zh.output) == [], (command, english_words(zh.output))
    en, zh = (runner.invoke(app, ["cost", uscc, "--home", str(home)], env={"NENGTAN_LANG": lang, "COLUMNS": "300"})
              .output for lang in ("en", "zh"))
    assert "time-of-use electricity cost" in en and "分时电费" in zh and "分时电费" not in en
    numbers = re.compile(r"\d[\d,]*\.\d+(?![\d…])")  # (a figure the table cut short is left out)
    shown = set(numbers.findall(en))
    assert len(shown) > 10 and shown <= set(numbers.findall(zh))  # one number, two languages


def test_the_english_word_check_finds_english() -> None:
    assert english_words("计量器具 E001-M 读数 1,234.5 kWh（tCO2e）") == []
    assert english_words("电费 total 元 / Peak load") == ["total", "Peak", "load"]
