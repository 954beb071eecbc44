"""The footprint engine on chains whose arithmetic is written out here, loops included; allocation and
system expansion with known answers; GWP sets; singular models refused with a clear message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse as sp

from nengtan.engine.footprints import Request, footprint
from nengtan.footprint.system import ModelError, ProductSystem, Solver

GRID = 0.6205  # kg CO2e/kWh, national life-cycle electricity factor 2023 (background electricity:CN)
ACTS = """activity,product,amount,unit,location,stage
poly,polysilicon,1,kg,CN,polysilicon
wafer,wafer,1,m2,CN,wafer
"""
EXCH = """activity,type,flow,amount,unit,provider
poly,electricity,,49,kWh,national
wafer,technosphere,,0.6,kg,poly
wafer,electricity,,4.76,kWh,national
"""


def test_a_chain_by_hand(model_dir: Callable[..., Path]) -> None:
    out = footprint(Request(model_dir(ACTS, EXCH), "wafer"))
    # 1 m2 wafer: 0.6 kg polysilicon × 49 kWh/kg + 4.76 kWh, all at the national factor
    assert out["total_kgco2e"] == pytest.approx((0.6 * 49 + 4.76) * GRID, rel=1e-12)
    # the grid's emissions count in the stage that takes the kWh
    assert out["by_stage"] == pytest.approx({"polysilicon": 0.6 * 49 * GRID, "wafer": 4.76 * GRID}, rel=1e-12)
    assert out["solver"].startswith("scipy.sparse.linalg.splu")
    assert out["database"].startswith("nengtan-bg@") and out["gwp"]["set"] == "AR6"
    # per kg polysilicon, in t: 1 000 × 49 × 0.6205
    assert footprint(Request(model_dir(ACTS, EXCH), "polysilicon", per="t"))["total_kgco2e"] == \
        pytest.approx(1000 * 49 * GRID)


def test_loops_solve(model_dir: Callable[..., Path]) -> None:
    # a plant using 0.1 kWh of its own kWh: s (1 − 0.1) = 1, so 0.5 kg / 0.9 per delivered kWh
    own = model_dir("activity,product,amount,unit,location\nplant,power,1,kWh,CN\n",
                    "activity,type,flow,amount,unit,provider\nplant,technosphere,,0.1,kWh,plant\n"
                    "plant,biosphere,CO2_fossil,0.5,kg,\n")
    assert footprint(Request(own, "power"))["total_kgco2e"] == pytest.approx(0.5 / 0.9, rel=1e-12)
    # recycled silicon: a uses 0.2 b, b uses 0.5 a → s_b = 0.2 s_a, s_a (1 − 0.1) = 1; a emits 1 kg, b 2 kg
    two = model_dir("activity,product,amount,unit,location\nA,a,1,kg,CN\nB,b,1,kg,CN\n",
                    "activity,type,flow,amount,unit,provider\nA,technosphere,,0.2,kg,B\nB,technosphere,,0.5,kg,A\n"
                    "A,biosphere,CO2_fossil,1,kg,\nB,biosphere,CO2_fossil,2,kg,\n")
    out = footprint(Request(two, "a"))
    assert out["total_kgco2e"] == pytest.approx((1 + 2 * 0.2) / 0.9, rel=1e-12)
    assert out["by_activity"]["B"] == pytest.approx(2 * 0.2 / 0.9, rel=1e-12)


COPRODUCT = """activity,product,amount,unit,location,price
split,A,2,kg,CN,1
split,B,1,kg,CN,4
other,B,1,kg,CN,
"""
COPRODUCT_X = """activity,type,flow,amount,unit,provider
split,biosphere,CO2_fossil,3,kg,
other,biosphere,CO2_fossil,1.5,kg,
"""


@pytest.mark.parametrize(("allocation", "per_kg_a"), [
    ("physical", 3 * (2 / 3) / 2),     # by mass 2 : 1
    ("economic", 3 * (2 / 6) / 2),     # by value 2 × 1 : 1 × 4
    ("none", (3 - 1 * 1.5) / 2),       # system expansion: the 1 kg B displaces 'other' (1.5 kg CO2 per kg)
])
def test_allocation_and_system_expansion(model_dir: Callable[..., Path], allocation: str, per_kg_a: float) -> None:
    out = footprint(Request(model_dir(COPRODUCT, COPRODUCT_X), "A", allocation=allocation))
    assert out["total_kgco2e"] == pytest.approx(per_kg_a, rel=1e-12)


def test_an_avoided_product_is_a_credit(model_dir: Callable[..., Path]) -> None:
    m = model_dir("activity,product,amount,unit,location\nrecycle,cullet,1,kg,CN\nglass,glass,1,kg,CN\n",
                  "activity,type,flow,amount,unit,provider\nrecycle,biosphere,CO2_fossil,0.2,kg,\n"
                  "glass,biosphere,CO2_fossil,0.9,kg,\nrecycle,avoided,,0.5,kg,glass\n")
    # 0.2 kg emitted, 0.5 kg of virgin glass (0.9 kg CO2/kg) not made: 0.2 − 0.45
    assert footprint(Request(m, "cullet"))["total_kgco2e"] == pytest.approx(0.2 - 0.5 * 0.9, rel=1e-12)


def test_gwp_sets_and_biogenic_apart(model_dir: Callable[..., Path]) -> None:
    m = model_dir("activity,product,amount,unit,location\nx,x,1,kg,CN\n",
                  "activity,type,flow,amount,unit,provider\nx,biosphere,CH4_fossil,1,kg,\n"
                  "x,biosphere,CO2_biogenic,2,kg,\nx,biosphere,N2O,10,g,\n")
    ar6 = footprint(Request(m, "x"))
    # IPCC AR6 WG1 Table 7.15: CH4 fossil 29.8, N2O 273; biogenic CO2 1, reported apart
    assert ar6["total_kgco2e"] == pytest.approx(29.8 + 2 + 0.01 * 273)
    assert ar6["biogenic_kgco2e"] == pytest.approx(2.0) and ar6["fossil_kgco2e"] == pytest.approx(29.8 + 2.73)
    # IPCC AR5 WG1 Table 8.A.1: CH4 fossil 30, N2O 265
    assert footprint(Request(m, "x", gwp="AR5"))["total_kgco2e"] == pytest.approx(30 + 2 + 0.01 * 265)


def test_parameters_and_scenarios(model_dir: Callable[..., Path]) -> None:
    params = "name,value\nthickness_um,150\nkerf,0.4\nsi_kg_per_m2,thickness_um * 1e-6 * 2329 / (1 - kerf)\n"
    exch = EXCH.replace("wafer,technosphere,,0.6,kg,poly", "wafer,technosphere,,si_kg_per_m2,kg,poly")
    scen = "scenario,parameter,value\nthin,thickness_um,130\nthin,kerf,0.3\n"
    m = model_dir(ACTS, exch, params, scen)
    base = (150e-6 * 2329 / 0.6 * 49 + 4.76) * GRID  # 150 µm, density 2 329 kg/m3, 40 % lost to the saw
    thin = (130e-6 * 2329 / 0.7 * 49 + 4.76) * GRID
    assert footprint(Request(m, "wafer"))["total_kgco2e"] == pytest.approx(base, rel=1e-12)
    out = footprint(Request(m, "wafer", scenario="thin"))
    assert out["total_kgco2e"] == pytest.approx(thin, rel=1e-12) and out["model"]["scenario"] == "thin"
    with pytest.raises(ModelError, match="no scenario 'thick'"):
        footprint(Request(m, "wafer", scenario="thick"))


def test_the_derivative_by_the_grid_factor_is_the_electricity(model_dir: Callable[..., Path],
                                                              tmp_path: Path) -> None:
    m = model_dir(ACTS, EXCH)
    bumped = tmp_path / "bg.csv"
    bumped.write_text("id,name,unit,flow,amount,flow_unit,source,status,evidence\n"
                      f"electricity:CN,grid + 0.001,kWh,CO2e_aggregated,{GRID + 0.001},kg,test,to-verify,test\n")
    d = (footprint(Request(m, "wafer", background=(bumped,)))["total_kgco2e"]
         - footprint(Request(m, "wafer"))["total_kgco2e"]) / 0.001
    assert d == pytest.approx(0.6 * 49 + 4.76, rel=1e-9)  # kWh per m2 of wafer, upstream included


def test_singular_and_unproductive_models_are_refused(model_dir: Callable[..., Path]) -> None:
    loop = model_dir("activity,product,amount,unit,location\nA,a,1,kg,CN\nB,b,1,kg,CN\n",
                     "activity,type,flow,amount,unit,provider\nA,technosphere,,1,kg,B\nB,technosphere,,1,kg,A\n")
    with pytest.raises(ModelError, match="singular"):
        footprint(Request(loop, "a"))
    idle = model_dir("activity,product,amount,unit,location\nA,a,0,kg,CN\n",
                     "activity,type,flow,amount,unit,provider\nA,biosphere,CO2_fossil,1,kg,\n")
    with pytest.raises(ModelError, match="does not produce its reference product"):
        footprint(Request(idle, "a"))
    with pytest.raises(ModelError, match="2 products but 3 activities"):
        ProductSystem(("a", "b", "c"), ("a", "b"), ("kg", "kg"), ("CO2_fossil",),
                      sp.csc_matrix(np.ones((2, 3))), sp.csc_matrix((1, 3)))
    twice = model_dir("activity,product,amount,unit,location\nA,a,1,kg,CN\nA,a,1,kg,CN\n",
                      "activity,type,flow,amount,unit,provider\nA,biosphere,CO2_fossil,1,kg,\n")
    with pytest.raises(ModelError, match="listed twice"):
        footprint(Request(twice, "a"))
    empty = model_dir("activity,product,amount,unit,location\n", "activity,type,flow,amount,unit,provider\n")
    with pytest.raises(ModelError, match="the activities table has no rows"):
        footprint(Request(empty, "a"))
    negative = model_dir(ACTS, EXCH.replace("4.76,kWh", "-4.76,kWh"))
    with pytest.raises(ModelError, match=r"amount -4\.76 is negative"):
        footprint(Request(negative, "wafer"))
    bad = model_dir(ACTS, EXCH.replace("0.6,kg,poly", "0.6,m2,poly"))
    with pytest.raises(ModelError, match="does not convert to the provider's unit 'kg'"):
        footprint(Request(bad, "wafer"))


def test_one_factorisation_serves_many_demands() -> None:
    a = sp.csc_matrix(np.array([[1.0, -0.5], [-0.2, 1.0]]))
    b = sp.csc_matrix(np.array([[1.0, 2.0]]))
    solver = Solver(ProductSystem(("A", "B"), ("a", "b"), ("kg", "kg"), ("CO2_fossil",), a, b), np.array([1.0]))
    lu = solver.lu
    for amount in (1.0, 2.5, 10.0):
        assert solver.solve("a", amount).total_kgco2e == pytest.approx(amount * 1.4 / 0.9, rel=1e-12)
    assert solver.lu is lu
    # cumulative kg CO2e per unit of each product, from the same factors: for 1 b, s_b = 1/0.9 and
    # s_a = 0.5/0.9, so (1 × 0.5 + 2 × 1)/0.9
    assert solver.intensities() == pytest.approx([1.4 / 0.9, 2.5 / 0.9], rel=1e-12)
    tree = solver.tree("b", 1.0, cutoff=0.0, max_depth=3)
    assert tree.cumulative_kgco2e == pytest.approx(2.5 / 0.9) and tree.direct_kgco2e == pytest.approx(2.0)
    assert tree.children[0].product == "a" and tree.children[0].amount == pytest.approx(0.5)  # B takes 0.5 a


def test_data_quality_is_weighted_by_contribution(model_dir: Callable[..., Path]) -> None:
    m = model_dir(ACTS, """activity,type,flow,amount,unit,provider,pedigree
poly,electricity,,49,kWh,national,"1,1,1,1,1"
wafer,technosphere,,0.6,kg,poly,"5,5,5,5,5"
wafer,electricity,,4.76,kWh,national,"3,3,3,3,3"
""")
    dq = footprint(Request(m, "wafer"))["data_quality"]
    # the polysilicon's kWh weigh 0.6 × 49 = 29.4 and the wafer's 4.76 (same factor); the link from
    # poly to wafer carries no emission of its own, so its score 5 does not count
    assert dq["reliability"] == pytest.approx((29.4 * 1 + 4.76 * 3) / (29.4 + 4.76), rel=1e-12)
    assert dq["rated_share"] == pytest.approx(1.0)


def test_a_parks_own_datasets_name_their_evidence(model_dir: Callable[..., Path], tmp_path: Path) -> None:
    m = model_dir(ACTS, EXCH)
    head = "id,name,unit,flow,amount,flow_unit,source,status,evidence\n"
    bare = tmp_path / "bare.csv"
    bare.write_text(head + "electricity:CN,grid,kWh,CO2e_aggregated,0.5,kg,our survey,to-verify,\n")
    with pytest.raises(ModelError, match="names no evidence"):
        footprint(Request(m, "wafer", background=(bare,)))
    gone = tmp_path / "gone.csv"
    gone.write_text(head + "electricity:CN,grid,kWh,CO2e_aggregated,0.5,kg,old notice,withdrawn,notice 2019\n")
    with pytest.raises(ModelError, match="is withdrawn"):
        footprint(Request(m, "wafer", background=(gone,)))
    ok = tmp_path / "ok.csv"
    ok.write_text(head + "electricity:CN,grid,kWh,CO2e_aggregated,0.5,kg,our survey,confirmed,report 2025-07\n")
    out = footprint(Request(m, "wafer", background=(ok,)))
    assert out["total_kgco2e"] == pytest.approx((0.6 * 49 + 4.76) * 0.5, rel=1e-12)
    assert out["database"] != footprint(Request(m, "wafer"))["database"]  # another database version
