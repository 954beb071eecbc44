"""End-to-end on the small demo park with its history years (2020, 2023, 2024): base levels from 2020,
seasonality from each enterprise's own history, year-on-year drivers, LMDI 2024→2025 and the demo hook.

Expected numbers are computed independently from ``nengtan.accounting`` (inventory, ledger), not from
the targets code. The session's small demo is copied so that adopting targets here touches no other test.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from nengtan.cli import app
from nengtan.cli.common import DEMO_HOOKS, open_stores
from nengtan.cli.targets import DEMO_WARNING_MONTH, demo_targets
from nengtan.engine import LocalStores
from nengtan.engine.ledgers import inventory, ledger
from nengtan.registry.tables.targets import active_targets, load_allocation

runner = CliRunner()


@pytest.fixture(scope="module")
def home(small_demo, tmp_path_factory):  # type: ignore[no-untyped-def]
    paths = small_demo[0]
    h = tmp_path_factory.mktemp("history") / "home"
    shutil.copytree(paths.home, h)
    return str(h)


@pytest.fixture(scope="module")
def stores(home):  # type: ignore[no-untyped-def]
    paths, reg, lake = open_stores(home)
    yield paths, reg, lake
    reg.close()


@pytest.fixture(scope="module")
def adopted(home):  # type: ignore[no-untyped-def]
    """The park adopts two 2020-based templates and the 2005-based 2030 one (the CLI's outputs, by template): a
    fixture, not an earlier test, so that each test below finds them whichever worker runs it."""
    out = {}
    for tid in ("yancheng-2025-carbon-intensity", "jiangsu-2025-energy-intensity", "jiangsu-2030-carbon-intensity"):
        r = runner.invoke(app, ["targets", "adopt", tid, "--by", "王主任", "--home", home])
        assert r.exit_code == 0, r.output
        out[tid] = r.output
    return out


@pytest.fixture(scope="module")
def allocated(home, adopted):  # type: ignore[no-untyped-def]
    """The 2025 budget allocated by grandfathering (the CLI's JSON)."""
    r = runner.invoke(app, ["budget", "allocate", "--year", "2025", "--method", "grandfather",
                            "--approved-by", "王主任", "--home", home, "--format", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _json(*args: str) -> dict | list:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _co2(led: pd.DataFrame) -> pd.Series:
    return led["scope1_t"] + led["scope2_location_t"]


def test_lmdi_2024_2025_sums_to_the_inventory_change(home, stores):
    _, reg, lake = stores
    c24 = inventory(reg, lake, 2024).co2_t
    c25 = inventory(reg, lake, 2025).co2_t
    assert abs(c25 - c24) > 1.0  # a real change to decompose
    d = _json("lmdi", "--from", "2024", "--to", "2025", "--home", home, "--format", "json")
    assert d["co2_from_t"] == pytest.approx(c24, rel=1e-12)
    assert d["co2_to_t"] == pytest.approx(c25, rel=1e-12)
    assert sum(d["effects_t"].values()) == pytest.approx(c25 - c24, abs=1e-9 * c25)
    assert set(d["effects_t"]) == {"activity", "structure", "intensity", "mix", "emission_factor"}
    # value added grew 3-8 %/yr (at constant prices a little less): the activity effect is positive
    va24 = inventory(reg, lake, 2024).value_added
    va25 = inventory(reg, lake, 2025).value_added
    assert va25 > va24 and d["effects_t"]["activity"] > 0


def test_reduction_templates_take_their_2020_base_level_from_the_data(home, stores, adopted):
    _, reg, lake = stores
    inv = inventory(reg, lake, 2020)
    assert inv.value_added_basis == "constant prices"
    for tid in ("yancheng-2025-carbon-intensity", "jiangsu-2025-energy-intensity"):
        assert "give --base-level" not in adopted[tid], adopted[tid]
    rows = {t["id"]: t for t in _json("targets", "list", "--home", home, "--format", "json")}
    ci = rows["park:yancheng-2025-carbon-intensity"]
    assert ci["base_year"] == 2020
    assert ci["base_level"] == pytest.approx(inv.co2_t / inv.value_added, rel=1e-9)
    ei = rows["park:jiangsu-2025-energy-intensity"]
    assert ei["base_level"] == pytest.approx(inv.energy_tce / inv.value_added, rel=1e-9)
    # the 2030 provincial target is based on 2005, which the demo lacks: no level invented
    assert "no 2005 data" in adopted["jiangsu-2030-carbon-intensity"]


def test_warnings_use_own_history_and_year_on_year_drivers(home, stores, allocated):
    _, reg, lake = stores
    out = allocated
    assert out["base_year"] == 2024
    # default budget = 2024 intensity x 0.96 x 2024 VA x 1.05 / (1 - 0.05): the reserve is on top
    inv24 = inventory(reg, lake, 2024)
    assert out["budget_t"] == pytest.approx(inv24.co2_t * 0.96 * 1.05 / 0.95, abs=0.01)
    assert sum(e["allocated_t"] for e in out["enterprises"]) == pytest.approx(inv24.co2_t * 0.96 * 1.05, abs=0.02)

    w = _json("warnings", "--year", "2025", "--month", "9", "--all", "--home", home, "--format", "json")
    ent = pd.DataFrame([x for x in w["rows"] if x["level"] == "enterprise"]).set_index("subject")
    hist = pd.concat([ledger(reg, lake, y) for y in (2023, 2024)], ignore_index=True)
    hist = hist.assign(co2=_co2(hist), y=hist["period"].str[:4], m=hist["period"].str[5:7].astype(int))
    cur = ledger(reg, lake, 2025)
    cur = cur.assign(co2=_co2(cur), m=cur["period"].str[5:7].astype(int))
    checked = 0
    for uscc, g in hist.groupby("uscc"):
        if g["y"].nunique() < 2 or uscc not in ent.index:
            continue
        # own profile: mean over 2023 and 2024 of the Jan-Sep share of the year's CO2
        shares = [float(h.loc[h["m"] <= 9, "co2"].sum() / h["co2"].sum()) for _, h in g.groupby("y")]
        row = ent.loc[uscc]
        assert "own history" in row["reason_en"]
        assert row["ytd_path"] == pytest.approx(row["limit"] * np.mean(shares), rel=1e-9)
        ytd = float(cur.loc[(cur["uscc"] == uscc) & (cur["m"] <= 9), "co2"].sum())
        assert row["ytd_actual"] == pytest.approx(ytd, rel=1e-9)
        assert row["projection"] == pytest.approx(ytd / np.mean(shares), rel=1e-9)
        # driver: the carrier whose Jan-Sep CO2 grew most over 2024
        c25 = cur[(cur["uscc"] == uscc) & (cur["m"] <= 9)].groupby("carrier")["co2"].sum()
        c24 = g[(g["y"] == "2024") & (g["m"] <= 9)].groupby("carrier")["co2"].sum()
        yoy = c25.sub(c24, fill_value=0.0)
        if float(yoy.max()) > 0:
            assert row["driver_carrier"] == yoy.idxmax()
            assert "year on year" in row["reason_en"]
        checked += 1
    assert checked >= 10
    # grey only where data are missing; the 2020-based park targets are not grey any more
    park = [x for x in w["rows"] if x["level"] == "park"]
    assert {x["subject"] for x in park if x["status"] == "grey"} == {"park:jiangsu-2030-carbon-intensity"}


def test_demo_hook_is_registered_idempotent_and_writes_the_workbook(stores, allocated, capsys):
    paths, reg, lake = stores
    assert DEMO_HOOKS.count(demo_targets) == 1
    with reg.session() as s:
        before = {t.target_id for t, _ in active_targets(s)}
        v_before = load_allocation(s, 2025)
    demo_targets(paths, LocalStores(reg, lake), 2025)
    first = capsys.readouterr().out
    demo_targets(paths, LocalStores(reg, lake), 2025)
    second = capsys.readouterr().out
    with reg.session() as s:
        after = active_targets(s)
        al = load_allocation(s, 2025)
    # the park adopted targets and allocated (the fixtures): the hook adds neither (else it would adopt all
    # templates)
    assert {t.target_id for t, _ in after} == before and len(after) == len(before)
    assert v_before is not None and al is not None and al.version == v_before.version
    for text in (first, second):
        assert "P(peak ≤ 2030)" in text and f"2025-{DEMO_WARNING_MONTH:02d}" in text
        assert "approve" in text and "targets-2025.xlsx" in text
    wb = load_workbook(paths.reports / "targets-2025.xlsx")
    assert wb.sheetnames == ["目标与进度", "预算分配", "预警", "情景对比", "项目评估"]


def test_demo_hook_on_a_fresh_home_adopts_every_template_once(small_demo, tmp_path, capsys):
    h = tmp_path / "fresh"
    shutil.copytree(small_demo[0].home, h)
    paths, reg, lake = open_stores(str(h))
    try:
        for _ in range(2):
            demo_targets(paths, LocalStores(reg, lake), 2025)
        out = capsys.readouterr().out
        with reg.session() as s:
            tg = active_targets(s)
            al = load_allocation(s, 2025)
        from nengtan.cli.targets import DEMO_TEMPLATES

        assert len(tg) == len(DEMO_TEMPLATES) and al is not None and al.version == 1 and al.method == "hybrid"
        assert {t.target_id for t, _ in tg} == {f"park:{x}" for x in DEMO_TEMPLATES}  # no Yancheng target
        levels = {t.target_id: bl for t, bl in tg}
        inv = inventory(reg, lake, 2020)
        assert levels["park:jiangsu-2025-energy-intensity"] == pytest.approx(inv.energy_tce / inv.value_added, rel=1e-9)
        assert levels["park:jiangsu-2030-carbon-intensity"] is None
        assert out.count("targets report:") == 2
    finally:
        reg.close()
