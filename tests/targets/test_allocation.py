"""Budget allocation: exact conservation, monotonicity (Hypothesis), entrants, leavers, elasticity."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nengtan.targets import TargetsError
from nengtan.targets.allocation import (
    admit_entrant,
    allocate,
    apportion,
    benchmark_for,
    elastic_allowance,
    load_benchmarks,
    release_leaver,
)

weights_st = st.lists(st.floats(min_value=0.0, max_value=1e6, allow_nan=False), min_size=1, max_size=40).filter(
    lambda w: sum(w) > 0
)


@settings(max_examples=200, deadline=None)
@given(weights_st, st.integers(min_value=0, max_value=10**9))
def test_apportion_conserves_exactly(w, total):
    a = apportion(total, np.array(w))
    assert int(a.sum()) == total
    assert (a >= 0).all()
    assert (a[np.array(w) == 0] == 0).all()


@settings(max_examples=200, deadline=None)
@given(weights_st, st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=1000))
def test_apportion_house_monotone(w, total, extra):
    """A larger budget never lowers anyone's allocation (no Alabama paradox)."""
    a = apportion(total, np.array(w))
    b = apportion(total + extra, np.array(w))
    assert (b >= a).all()


@settings(max_examples=200, deadline=None)
@given(weights_st, st.integers(min_value=1, max_value=10**7), st.data())
def test_apportion_population_monotone_and_ordered(w, total, data):
    w = np.array(w)
    a = apportion(total, w)
    # larger weight never gets fewer units
    for i in range(len(w)):
        for j in range(len(w)):
            if w[i] > w[j]:
                assert a[i] >= a[j]
    # raising one enterprise's weight never lowers its own allocation
    i = data.draw(st.integers(min_value=0, max_value=len(w) - 1))
    w2 = w.copy()
    w2[i] = w[i] * 1.5 + 1.0
    assert apportion(total, w2)[i] >= a[i]


def _ents(n=4):
    return pd.DataFrame(
        {
            "uscc": [f"U{i}" for i in range(n)],
            "enterprise": [f"E{i}" for i in range(n)],
            "sector_code": ["3670", "3670", "3811", "2614"][:n],
            "base_emissions": [1000.0, 3000.0, 2000.0, 4000.0][:n],
            "expected_value_added": [5000.0, 5000.0, 10000.0, 2000.0][:n],
            "benchmark": [0.25, 0.25, 0.20, 1.50][:n],
        }
    )


def test_grandfather_by_hand():
    # budget 9 500 t, reserve 5 % = 475 t -> 9 025 t over weights 1:3:2:4 (sum 10)
    al = allocate(9500.0, _ents(), "grandfather", 2025, approved_by="王主任")
    assert al.reserve_units == 47_500
    assert al.table["allocated_t"].tolist() == pytest.approx([902.5, 2707.5, 1805.0, 3610.0])
    assert int(al.table["allocated_units"].sum()) + al.reserve_units == 950_000
    assert al.approved_by == "王主任" and al.version == 1
    # implied binding intensity: 902.5 t / 5000 万元
    assert al.table["intensity"].iloc[0] == pytest.approx(0.1805)


def test_benchmark_and_hybrid_by_hand():
    # benchmark weights: 0.25*5000=1250, 1250, 0.2*10000=2000, 1.5*2000=3000 (sum 7500), no reserve
    al = allocate(7500.0, _ents(), "benchmark", 2025, reserve_share=0.0)
    assert al.table["allocated_t"].tolist() == pytest.approx([1250.0, 1250.0, 2000.0, 3000.0])
    # hybrid 0.5: shares gf (0.1, 0.3, 0.2, 0.4), bm (1/6, 1/6, 4/15, 0.4)
    hy = allocate(7500.0, _ents(), "hybrid", 2025, reserve_share=0.0, alpha=0.5, benchmark_scope="park")
    expect = 7500 * (0.5 * np.array([0.1, 0.3, 0.2, 0.4]) + 0.5 * np.array([1 / 6, 1 / 6, 4 / 15, 0.4]))
    assert np.abs(hy.table["allocated_t"].to_numpy() - expect).max() <= 0.01 + 1e-9
    assert int(hy.table["allocated_units"].sum()) == 750_000
    sec = hy.by_sector().set_index("sector_code")
    assert sec.loc["3670", "allocated_units"] == hy.table["allocated_units"].iloc[:2].sum()


def test_hybrid_within_sector_by_hand():
    # sector totals by base emissions: 3670 0.4, 3811 0.2, 2614 0.4; inside 3670 the grandfather shares
    # (0.25, 0.75) and benchmark shares (0.5, 0.5) mix 50/50 -> (0.375, 0.625) of 0.4
    hy = allocate(7500.0, _ents(), "hybrid", 2025, reserve_share=0.0, alpha=0.5)
    assert hy.table["allocated_t"].tolist() == pytest.approx([1125.0, 1875.0, 1500.0, 3000.0])
    assert hy.parameters["benchmark_scope"] == "sector"
    sec = hy.by_sector().set_index("sector_code")["allocated_t"]
    # sector totals are the grandfather ones whatever the benchmarks say
    gf = allocate(7500.0, _ents(), "grandfather", 2025, reserve_share=0.0).by_sector().set_index("sector_code")
    assert sec.to_dict() == pytest.approx(gf["allocated_t"].to_dict())
    with pytest.raises(TargetsError, match="benchmark scope"):
        allocate(7500.0, _ents(), "hybrid", 2025, benchmark_scope="world")


def test_budget_not_multiple_of_unit_is_rounded_and_conserved():
    al = allocate(1234.5678, _ents(3), "grandfather", 2025, reserve_share=0.0)
    assert al.budget_units == 123_457
    assert int(al.table["allocated_units"].sum()) == 123_457


def test_entrant_and_leaver_keep_the_sum():
    al = allocate(10_000.0, _ents(), "grandfather", 2025, approved_by="A")  # reserve 500 t
    # entrant in April: 0.25 t/万元 * 1200 万元 * 9/12 = 225 t from the reserve
    al2 = admit_entrant(al, "NEW", "3670", 1200.0, 0.25, 4, approved_by="B")
    assert al2.version == 2 and al2.approved_by == "B"
    assert al2.table.set_index("uscc").loc["NEW", "allocated_t"] == pytest.approx(225.0)
    assert al2.reserve_t == pytest.approx(275.0)
    # U3 leaves after June, no history: keeps 6/12 of 3800 t = 1900 t, 1900 t back to reserve
    u3 = al2.table.set_index("uscc").loc["U3", "allocated_t"]
    assert u3 == pytest.approx(9500 * 0.4)
    al3 = release_leaver(al2, "U3", 6, approved_by="C")
    assert al3.table.set_index("uscc").loc["U3", "allocated_t"] == pytest.approx(1900.0)
    assert al3.reserve_t == pytest.approx(275.0 + 1900.0)
    for a in (al, al2, al3):
        assert int(a.table["allocated_units"].sum()) + a.reserve_units == 1_000_000
    assert len(al3.history) == 3
    # entrant larger than the reserve gets what is left, flagged
    al4 = admit_entrant(al, "BIG", "2614", 10_000.0, 1.5, 1, approved_by="B")
    assert al4.reserve_units == 0 and "reserve_exhausted" in al4.table["status"].iloc[-1]
    with pytest.raises(TargetsError, match="already has an allocation"):
        admit_entrant(al2, "NEW", "3670", 1.0, 0.25, 4, approved_by="B")


def test_elastic_allowance_band():
    # intensity 0.2 t/万元, allocated 1000 t (for 5000 万元 expected)
    al = elastic_allowance(np.array([1000.0] * 4), np.array([0.2] * 4), np.array([5000.0, 5250.0, 6000.0, 3000.0]))
    # 5250 -> 1050 (inside ±10 %), 6000 -> 1200 capped at 1100, 3000 -> 600 floored at 900
    assert al.tolist() == pytest.approx([1000.0, 1050.0, 1100.0, 900.0])


def test_errors_are_specific():
    with pytest.raises(TargetsError, match="unknown allocation method"):
        allocate(100.0, _ents(), "lottery", 2025)
    with pytest.raises(TargetsError, match="base_emissions"):
        allocate(100.0, _ents().drop(columns="base_emissions"), "grandfather", 2025)


def test_benchmark_lookup_longest_prefix_and_default():
    bms = load_benchmarks()
    assert benchmark_for("3670", bms).sector_prefix == "36"
    assert benchmark_for("7210", bms).sector_prefix == "*"
    assert all(b.status in ("confirmed", "to-verify") for b in bms)
