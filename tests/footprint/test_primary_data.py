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
