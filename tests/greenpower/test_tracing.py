"""Power-flow tracing worked by hand: a radial feeder with PV (both flow directions) and a meshed loop."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from nengtan.greenpower.tracing import Network, trace

KWH = 250.0  # kWh per MW in a 15-minute interval


def feeder() -> Network:
    """Grid point 0 (0.6 kg/kWh), buses 1-3 in a line, PV (0 kg/kWh) at bus 2; loads 4, 5, 5 MW at 1, 2, 3.
    Interval 0: PV 4 MW, flows 0→1 10, 1→2 6, 2→3 5. Interval 1 (noon): PV 12 MW exports back towards bus 1:
    0→1 2, 1→2 −2, 2→3 5."""
    return Network(buses=("g", "a", "b", "c"), branch_from=np.array([0, 1, 2]), branch_to=np.array([1, 2, 3]),
                   flow_mw=np.array([[10.0, 6.0, 5.0], [2.0, -2.0, 5.0]]),
                   source_bus=np.array([0, 2]), source_mw=np.array([[10.0, 4.0], [2.0, 12.0]]),
                   source_intensity=np.array([[0.6, 0.0], [0.6, 0.0]]), source_green=np.array([False, True]),
                   load_bus=np.array([1, 2, 3]), load_mw=np.array([[4.0, 5.0, 5.0], [4.0, 5.0, 5.0]]))


def test_radial_feeder_by_hand() -> None:
    t = trace(feeder())
    # interval 0: e1 = 10·0.6/10; e2 = (6·0.6 + 4·0)/(6 + 4) = 0.36; e3 = 5·0.36/5
    assert t.nodal_intensity[0] == pytest.approx([0.6, 0.6, 0.36, 0.36], abs=1e-15)
    assert t.green_share[0] == pytest.approx([0.0, 0.0, 0.4, 0.4], abs=1e-15)
    # interval 1: bus 2 takes only PV (its branch from bus 1 now flows out): e2 = 0; e1 = (2·0.6 + 2·0)/4 = 0.3
    assert t.nodal_intensity[1] == pytest.approx([0.6, 0.3, 0.0, 0.0], abs=1e-15)
    assert t.green_share[1] == pytest.approx([0.0, 0.5, 1.0, 1.0], abs=1e-15)
    # loads: 4·250·0.6 = 600, 5·250·0.36 = 450 twice; then 4·250·0.3 = 300 and nothing
    assert t.load_carbon_kg == pytest.approx(np.array([[600.0, 450.0, 450.0], [300.0, 0.0, 0.0]]), abs=1e-12)
    assert t.load_green_kwh[1] == pytest.approx([500.0, 1250.0, 1250.0])  # 0.5·1 000, 1·1 250, 1·1 250 kWh
    # the loads carry exactly the carbon the sources put in: 10·250·0.6 = 1 500, 2·250·0.6 = 300
    sources = (feeder().source_mw * feeder().source_intensity * KWH).sum(axis=1)
    assert t.load_carbon_kg.sum(axis=1) == pytest.approx(sources, rel=1e-15)
    # branches: 0→1 carries 10·250·0.6; the reversed 1→2 in interval 1 carries 2·250·e2 = 0
    assert t.branch_carbon_kg[0] == pytest.approx([1500.0, 900.0, 450.0])
    assert t.branch_carbon_kg[1] == pytest.approx([300.0, 0.0, 0.0])
    assert (t.patterns, t.meshed) == (0, 0)  # a radial feeder: solved by two sweeps


def test_the_meshed_method_gives_the_same_on_the_feeder() -> None:
    """A second, idle branch 0–1 makes the grid meshed: solved by flow patterns, the same numbers."""
    f = feeder()
    meshed = Network(f.buses, np.append(f.branch_from, 0), np.append(f.branch_to, 1),
                     np.hstack([f.flow_mw, np.zeros((2, 1))]), f.source_bus, f.source_mw, f.source_intensity,
                     f.source_green, f.load_bus, f.load_mw)
    t = trace(meshed)
    assert t.patterns == 2 and t.meshed == 0
    assert t.nodal_intensity == pytest.approx(trace(f).nodal_intensity, abs=1e-15)


def test_a_loop_flow_by_hand() -> None:
    """Buses 0→1→2→0 in a circle; S1 3 MW at 0.5 kg/kWh on bus 0, S2 1 MW at 0 on bus 2; loads 1 and 3 MW.
    e0 = (3·0.5 + 1·e2)/4, e1 = e0, e2 = (3·e1 + 1·0)/4 = 0.75·e0 → e0 = 1.5/3.25."""
    net = Network(buses=("0", "1", "2"), branch_from=np.array([0, 1, 2]), branch_to=np.array([1, 2, 0]),
                  flow_mw=np.array([[4.0, 3.0, 1.0]]), source_bus=np.array([0, 2]), source_mw=np.array([[3.0, 1.0]]),
                  source_intensity=np.array([[0.5, 0.0]]), source_green=np.array([False, True]),
                  load_bus=np.array([1, 2]), load_mw=np.array([[1.0, 3.0]]))
    t = trace(net)
    e0 = 1.5 / 3.25
    assert t.nodal_intensity[0] == pytest.approx([e0, e0, 0.75 * e0], rel=1e-12)
    assert t.load_carbon_kg.sum() == pytest.approx(3 * 0.5 * KWH, rel=1e-12)
    assert t.meshed == 1


@pytest.mark.parametrize("radial", [True, False])
def test_agrees_with_a_sparse_solve_per_interval(radial: bool) -> None:
    """Random radial and meshed networks with flows that change direction: the batched solve equals SciPy's
    sparse LU, interval by interval (the baseline the benchmark times)."""
    rng = np.random.default_rng(11)
    n, b, k, t = 30, 29 if radial else 45, 6, 40
    if radial:  # a tree: each bus hangs from an earlier one
        to = np.arange(1, n)
        frm = np.array([rng.integers(0, j) for j in to])
    else:
        frm = rng.integers(0, n, b)
        to = (frm + rng.integers(1, n, b)) % n
    flows = rng.normal(0, 5, (t, b))
    src_bus = rng.choice(n, k, replace=False)
    src = rng.uniform(1, 10, (t, k))
    inten = np.tile(rng.uniform(0, 1, k), (t, 1))
    net = Network(tuple(map(str, range(n))), frm, to, flows, src_bus, src, inten, rng.random(k) < 0.5,
                  np.arange(n), np.zeros((t, n)))
    got = trace(net).nodal_intensity
    for i in range(t):
        up = np.where(flows[i] >= 0, frm, to)
        down = np.where(flows[i] >= 0, to, frm)
        mag = np.abs(flows[i])
        inflow = np.bincount(down, mag, n) + np.bincount(src_bus, src[i], n)
        inflow[inflow == 0] = 1.0  # a bus nothing flows into carries nothing: e = 0
        a = sp.diags(inflow) - sp.csr_matrix((mag, (down, up)), shape=(n, n))
        rhs = np.bincount(src_bus, src[i] * inten[i], n)
        assert got[i] == pytest.approx(spsolve(a.tocsc(), rhs), rel=1e-9, abs=1e-12)


def test_attribution_to_each_source_by_hand() -> None:
    """Each load's kWh traced to each source, per period: PV reaches bus a only at noon (half its 4 MW), b and c
    with 0.4 of their 5 MW at night and all of it at noon; with the grid too, every kWh is attributed."""
    from nengtan.greenpower.tracing import attribute

    f = feeder()
    pv = attribute(f, np.array([1]), np.array([0, 1]), 2)  # periods: night, noon
    assert pv[:, :, 0] == pytest.approx(np.array([[0.0, 500.0, 500.0], [500.0, 1250.0, 1250.0]]))
    both = attribute(f, np.array([0, 1]), np.array([0, 0]), 1)[0]
    assert both.sum(axis=1) == pytest.approx((f.load_mw * KWH).sum(axis=0))  # 2 000, 2 500, 2 500 kWh
    meshed = Network(f.buses, np.append(f.branch_from, 0), np.append(f.branch_to, 1),
                     np.hstack([f.flow_mw, np.zeros((2, 1))]), f.source_bus, f.source_mw, f.source_intensity,
                     f.source_green, f.load_bus, f.load_mw)
    assert attribute(meshed, np.array([0, 1]), np.array([0, 0]), 1)[0] == pytest.approx(both)
