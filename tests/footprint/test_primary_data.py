"""An enterprise's footprint from its own data on the platform (issue 10, item 3): its electricity and
fuels of the reference year, as the inventory accounts them, per unit of its output; the share of the
footprint resting on such primary data is reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from nengtan.config import Paths
from nengtan.engine.footprints import Request, footprint
from nengtan.footprint.system import ModelError
from nengtan.ingest.files import import_file
from nengtan.registry.store import Registry

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
C = "91320115000003121D"  # docs/examples: 2025-01 electricity 1 250 MWh, natural gas 98 000 m3
GRID = 0.6205  # kg CO2e/kWh, national life-cycle electricity factor 2023
# natural gas, GB/T 32150-2015 Table B.1 (cn set): 389.31 GJ/10^4 m3 × 15.3e-3 tC/GJ × 99 % × 44/12 per 10^4 m3
GAS_KG_PER_M3 = 389.31 * 0.0153 * 0.99 * 44 / 12 / 10_000 * 1000


@pytest.fixture
def park(registry: Registry, home: Paths) -> Paths:
    for kind in ("enterprises", "meters", "activity"):
        assert import_file(registry, home, kind, EXAMPLES / f"{kind}.csv").rows_bad == 0
    return home


def test_primary_exchanges_take_the_platforms_figures(park: Paths, model_dir: Callable[..., Path]) -> None:
    m = model_dir(f"""activity,product,amount,unit,location,stage,uscc,output
cell line,cell,1,m2,CN-JS,cell,{C},10000
""", """activity,type,flow,amount,unit,provider,source
cell line,primary,electricity,,,,
cell line,primary,natural_gas,0.5,,,the other half heats the offices
cell line,electricity,,2,kWh,national,IEA PVPS Task 12 (illustrative)
""")
    out = footprint(Request(m, "cell", home=str(park.home), year=2025))
    elec = 1_250_000 / 10_000 * GRID             # 125 kWh per m2 of cell, metered
    gas = 98_000 * 0.5 / 10_000 * GAS_KG_PER_M3  # half its gas, burnt on site
    other = 2 * GRID
    assert out["total_kgco2e"] == pytest.approx(elec + gas + other, rel=1e-9)
    assert out["data_quality"]["primary_data_share"] == pytest.approx((elec + gas) / (elec + gas + other), rel=1e-9)
    assert out["primary_data"]["year"] == 2025 and out["primary_data"]["factor_set"].startswith("cn")
    sources = {x["source"] for x in out["inventory"] if x["type"] != "electricity" or x["amount"] > 2}
    assert any(C in s and "2025" in s for s in sources)


def test_primary_data_needs_the_year_the_enterprise_and_its_data(park: Paths, model_dir: Callable[..., Path]) -> None:
    m = model_dir(f"activity,product,amount,unit,location,uscc,output\nx,x,1,kg,CN,{C},100\n",
                  "activity,type,flow,amount,unit,provider\nx,primary,electricity,,,\n")
    with pytest.raises(ModelError, match="--year"):
        footprint(Request(m, "x"))
    with pytest.raises(ModelError, match="holds no electricity for"):
        footprint(Request(m, "x", home=str(park.home), year=2024))
    over = model_dir(f"activity,product,amount,unit,location,uscc,output\nx,x,1,kg,CN,{C},100\ny,y,1,kg,CN,{C},10\n",
                     "activity,type,flow,amount,unit,provider\nx,primary,electricity,0.7,,\ny,primary,electricity,0.5,,\n")
    with pytest.raises(ModelError, match=r"take 1\.2 of its electricity"):
        footprint(Request(over, "x", home=str(park.home), year=2025))


B = "91320115000002129Y"  # docs/examples: 2025-01 electricity 85.6 万kWh of which green 20 万kWh, heat 420 GJ
PV_FACTOR = 0.0545  # kg CO2e/kWh, PV life-cycle electricity factor 2023 (same notice as GRID)
HEAT_T_PER_GJ = 0.11  # tCO2/GJ, GB/T 32150-2015 Table B.2 (purchased heat and steam)
STEAM_GJ_PER_T = 2.777 - 0.08374  # enthalpy at 1.0 MPa (factor library, to-verify) less 83.74 kJ/kg return (formula 8)


def test_energy_shared_by_output(park: Paths, model_dir: Callable[..., Path]) -> None:
    """by_output: C's electricity split by what each line makes: 10 000 and 30 000 m2 → 1/4 and 3/4."""
    m = model_dir(f"""activity,product,amount,unit,location,uscc,output
cell line,cell,1,m2,CN,{C},10000
wafer line,wafer,1,m2,CN,{C},30000
""", """activity,type,flow,amount,unit,provider
cell line,primary,electricity,by_output,,
wafer line,primary,electricity,by_output,,
""")
    cell = footprint(Request(m, "cell", home=str(park.home), year=2025))
    wafer = footprint(Request(m, "wafer", home=str(park.home), year=2025))
    assert cell["total_kgco2e"] == pytest.approx(1_250_000 * 0.25 / 10_000 * GRID, rel=1e-12)
    assert wafer["total_kgco2e"] == pytest.approx(1_250_000 * 0.75 / 30_000 * GRID, rel=1e-12)
    # products in different units share by their physical quantity (kg per unit), else refused
    mixed = model_dir(f"""activity,product,amount,unit,location,uscc,output,physical
cell line,cell,1,m2,CN,{C},10000,0.5
ingot line,ingot,1,kg,CN,{C},15000,1
""", """activity,type,flow,amount,unit,provider
cell line,primary,electricity,by_output,,
ingot line,primary,electricity,by_output,,
""")
    out = footprint(Request(mixed, "cell", home=str(park.home), year=2025))
    share = 10_000 * 0.5 / (10_000 * 0.5 + 15_000 * 1)  # 5 000 kg of 20 000 kg
    assert out["total_kgco2e"] == pytest.approx(1_250_000 * share / 10_000 * GRID, rel=1e-12)
    bad = model_dir(f"""activity,product,amount,unit,location,uscc,output
cell line,cell,1,m2,CN,{C},10000
ingot line,ingot,1,kg,CN,{C},15000
""", """activity,type,flow,amount,unit,provider
cell line,primary,electricity,by_output,,
ingot line,primary,electricity,by_output,,
""")
    with pytest.raises(ModelError, match="different units"):
        footprint(Request(bad, "cell", home=str(park.home), year=2025))


def test_purchased_heat_and_steam(park: Paths, model_dir: Callable[..., Path]) -> None:
    """Purchased heat and steam count the CO2 of making them, as the inventory's Scope 2 does."""
    m = model_dir(f"""activity,product,amount,unit,location,uscc,output
cell line,cell,1,m2,CN,{C},10000
switchgear,panel,1,piece,CN,{B},200
""", """activity,type,flow,amount,unit,provider
cell line,primary,steam,,,
switchgear,primary,heat,,,
""")
    cell = footprint(Request(m, "cell", home=str(park.home), year=2025))
    assert cell["total_kgco2e"] == pytest.approx(310 * STEAM_GJ_PER_T * HEAT_T_PER_GJ * 1000 / 10_000, rel=1e-9)
    panel = footprint(Request(m, "panel", home=str(park.home), year=2025))
    assert panel["total_kgco2e"] == pytest.approx(420 * HEAT_T_PER_GJ * 1000 / 200, rel=1e-9)
    assert panel["data_quality"]["primary_data_share"] == pytest.approx(1.0)


def test_market_based_electricity_counts_the_green_power_held(park: Paths, registry: Registry,
                                                              model_dir: Callable[..., Path]) -> None:
    """provider market: B's 20 万kWh of green electricity at the PV factor, the other 65.6 万kWh at the grid's —
    once B has claimed them with cancelled GECs; the statement's row alone is an unverified claim."""
    import datetime as dt

    from nengtan.engine import greenassets
    from nengtan.engine.certification import Actor
    from nengtan.greenpower import gec

    m = model_dir(f"""activity,product,amount,unit,location,uscc,output
switchgear,panel,1,piece,CN,{B},200
""", """activity,type,flow,amount,unit,provider
switchgear,primary,electricity,,,market
""")
    unclaimed = footprint(Request(m, "panel", home=str(park.home), year=2025))
    assert unclaimed["total_kgco2e"] == pytest.approx(856_000 * GRID / 200, rel=1e-12)
    wind = gec.project_code("1", "1", "2", 2021, "320900", 1)
    with registry.session(write=True) as s:
        greenassets.add_contract(s, "t", "GT-B", "green_trade", "wind farm", wind, B, dt.date(2025, 1, 1), 200, None,
                                 "wind")
    greenassets.claim(registry, Actor("t", "admin"), B, "2025-01", 200)
    out = footprint(Request(m, "panel", home=str(park.home), year=2025))
    assert out["total_kgco2e"] == pytest.approx((200_000 * PV_FACTOR + 656_000 * GRID) / 200, rel=1e-12)
    location = model_dir(f"activity,product,amount,unit,location,uscc,output\nswitchgear,panel,1,piece,CN,{B},200\n",
                         "activity,type,flow,amount,unit,provider\nswitchgear,primary,electricity,,,\n")
    loc = footprint(Request(location, "panel", home=str(park.home), year=2025))
    assert loc["total_kgco2e"] == pytest.approx(856_000 * GRID / 200, rel=1e-12)


def test_calc_save_holds_the_figure_it_prints(park: Paths, model_dir: Callable[..., Path]) -> None:
    """`footprint calc --save` stores the very result it prints: the record `footprint list` shows, and the one
    `footprint show` returns, carry the JSON's total, data version and factor set."""
    import json

    from typer.testing import CliRunner

    from nengtan.cli import app

    m = model_dir(f"activity,product,amount,unit,location,uscc,output\ncell line,cell,1,m2,CN,{C},10000\n",
                  "activity,type,flow,amount,unit,provider\ncell line,primary,electricity,,,\n")
    home = str(park.home)
    r = CliRunner().invoke(app, ["footprint", "calc", str(m), "--product", "cell", "--year", "2025", "--home", home,
                                 "--enterprise", C, "--save", "--name", "电池片", "--format", "json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["total_kgco2e"] == pytest.approx(1_250_000 / 10_000 * GRID, rel=1e-12)  # 125 kWh/m2 × 0.6205
    rec = out["record"]
    assert (rec["total_kgco2e"], rec["data_version"], rec["factor_set"]) == \
        (out["total_kgco2e"], out["primary_data"]["data_version"], out["primary_data"]["factor_set"])
    listed = json.loads(CliRunner().invoke(app, ["footprint", "list", "--enterprise", C, "--home", home, "--format",
                                                 "json"]).output)
    assert [(x["id"], x["total_kgco2e"], x["product_name"]) for x in listed] == \
        [(rec["id"], out["total_kgco2e"], "电池片")]
    shown = json.loads(CliRunner().invoke(app, ["footprint", "show", rec["id"], "--home", home]).output)
    assert shown["result"]["total_kgco2e"] == out["total_kgco2e"]
    no_enterprise = CliRunner().invoke(app, ["footprint", "calc", str(m), "--product", "cell", "--year", "2025",
                                             "--home", home, "--save"])
    assert no_enterprise.exit_code == 2 and "give --enterprise" in no_enterprise.output


def test_by_output_weights_of_zero_are_refused(park: Paths, model_dir: Callable[..., Path]) -> None:
    m = model_dir(f"""activity,product,amount,unit,location,uscc,output,physical
cell line,cell,1,m2,CN,{C},10000,0
ingot line,ingot,1,kg,CN,{C},15000,0
""", """activity,type,flow,amount,unit,provider
cell line,primary,electricity,by_output,,
ingot line,primary,electricity,by_output,,
""")
    with pytest.raises(ModelError, match="weigh 0 in all"):
        footprint(Request(m, "cell", home=str(park.home), year=2025))
