"""LMDI-I additive decomposition: hand example, zero handling, exactness (Hypothesis)."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nengtan.targets import TargetsError
from nengtan.targets.lmdi import EFFECTS, decompose_arrays, lmdi, logmean

from .helpers import econ, ledger, row


def test_logmean_values():
    assert logmean(np.array(2.0), np.array(1.0)) == pytest.approx(1 / math.log(2))
    assert logmean(np.array(3.0), np.array(3.0)) == 3.0
    assert logmean(np.array(3.0), np.array(0.0)) == 0.0


def test_one_sector_one_carrier_by_hand():
    # Q 100 -> 120 万元, E 10 -> 11 tce, C 20 -> 21 t (Ang 2005, table 1 formulae)
    eff = decompose_arrays(
        np.array([100.0]),
        np.array([[10.0]]),
        np.array([[20.0]]),
        np.array([120.0]),
        np.array([[11.0]]),
        np.array([[21.0]]),
    )[:, 0]
    L = (21 - 20) / math.log(21 / 20)
    assert eff[0] == pytest.approx(L * math.log(1.2), abs=1e-12)  # activity
    assert eff[1] == pytest.approx(0.0, abs=1e-15)  # structure (one sector)
    assert eff[2] == pytest.approx(L * math.log((11 / 120) / (10 / 100)), abs=1e-12)  # intensity
    assert eff[3] == pytest.approx(0.0, abs=1e-15)  # mix (one carrier)
    assert eff[4] == pytest.approx(L * math.log((21 / 11) / (20 / 10)), abs=1e-12)  # factor
    assert eff.sum() == pytest.approx(1.0, abs=1e-12)


def test_new_carrier_goes_to_mix_and_new_sector_to_structure():
    # sector A: electricity in both years, gas only in T (5 t); sector B new in T (10 t)
    q0, qT = np.array([100.0, 0.0]), np.array([100.0, 50.0])
    e0 = np.array([[10.0, 0.0], [0.0, 0.0]])
    c0 = np.array([[20.0, 0.0], [0.0, 0.0]])
    eT = np.array([[10.0, 2.0], [4.0, 0.0]])
    cT = np.array([[20.0, 5.0], [10.0, 0.0]])
    eff = decompose_arrays(q0, e0, c0, qT, eT, cT)
    # sector A electricity cell: C unchanged, but its mix share fell 1 -> 10/12 and Q share fell
    # 1 -> 100/150; L(20,20) = 20; activity 20 ln 1.5, structure 20 ln(2/3), intensity 20 ln(12/10),
    # mix 20 ln(10/12), factor 0 -> sum 0; plus the gas cell's 5 t all in mix.
    assert eff[:, 0].sum() == pytest.approx(5.0, abs=1e-12)
    assert eff[3, 0] == pytest.approx(20 * math.log(10 / 12) + 5.0, abs=1e-12)
    assert eff[1, 1] == pytest.approx(10.0, abs=1e-12)  # new sector: all to structure
    assert eff[[0, 2, 3, 4], 1] == pytest.approx([0, 0, 0, 0], abs=1e-15)


def _cells(draw_shape):
    return arrays(np.float64, draw_shape, elements=st.one_of(st.just(0.0), st.floats(0.01, 1e5)))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_effects_sum_exactly_to_change(s, f, data):
    e0 = data.draw(_cells((s, f)))
    eT = data.draw(_cells((s, f)))
    # CO2 only where there is energy (factors between 0 and 3 t/tce, some zero like PV)
    k0 = data.draw(arrays(np.float64, (s, f), elements=st.one_of(st.just(0.0), st.floats(0.1, 3.0))))
    kT = data.draw(arrays(np.float64, (s, f), elements=st.one_of(st.just(0.0), st.floats(0.1, 3.0))))
    c0, cT = e0 * k0, eT * kT
    q0 = np.where(e0.sum(axis=1) > 0, data.draw(arrays(np.float64, s, elements=st.floats(1.0, 1e5))), 0.0)
    qT = np.where(eT.sum(axis=1) > 0, data.draw(arrays(np.float64, s, elements=st.floats(1.0, 1e5))), 0.0)
    if q0.sum() <= 0 or qT.sum() <= 0:
        q0 = q0 + 1.0
        qT = qT + 1.0
    eff = decompose_arrays(q0, e0, c0, qT, eT, cT)
    assert np.all(np.isfinite(eff))
    # exact to 1e-9 relative to the size of the totals (LMDI-I has no residual)
    scale = max(1.0, c0.sum(), cT.sum())
    assert abs(eff.sum() - (cT.sum() - c0.sum())) <= 1e-9 * scale
    # and per sector
    np.testing.assert_allclose(eff.sum(axis=0), cT.sum(axis=1) - c0.sum(axis=1), rtol=0, atol=1e-9 * scale)


def test_lmdi_from_ledgers_sums_to_change():
    l0 = ledger(
        [
            row("A", "3670", "2024-01", "electricity", 1e6),
            row("A", "3670", "2024-01", "natural_gas", 1e5),
            row("B", "2614", "2024-01", "natural_gas", 5e5),
        ]
    )
    l1 = ledger(
        [
            row("A", "3670", "2025-01", "electricity", 1.2e6, grid=5.5e-4),
            row("A", "3670", "2025-01", "pv", 2e5),
            row("B", "2614", "2025-01", "natural_gas", 4e5),
            row("C", "3811", "2025-01", "electricity", 3e5),
        ]
    )
    e0 = pd.DataFrame([econ("A", "2024-01", 1000.0), econ("B", "2024-01", 500.0)])
    e1 = pd.DataFrame([econ("A", "2025-01", 1100.0), econ("B", "2025-01", 520.0), econ("C", "2025-01", 300.0)])
    d = lmdi(l0, l1, e0, e1)
    c0 = 1e6 * 5.827e-4 + 1e5 * 2.165e-3 + 5e5 * 2.165e-3
    c1 = 1.2e6 * 5.5e-4 + 4e5 * 2.165e-3 + 3e5 * 5.827e-4
    assert d.c0 == pytest.approx(c0) and d.cT == pytest.approx(c1)
    assert abs(sum(d.effects.values()) - (c1 - c0)) < 1e-9
    assert set(d.effects) == set(EFFECTS)
    assert d.effects["emission_factor"] < 0  # grid factor fell 0.5827 -> 0.55
    # new sector 38: its whole 2025 CO2 (3e5 kWh * 5.827e-4 = 174.81 t) is a structure effect
    s38 = d.by_sector.set_index("sector").loc["38"]
    assert s38["structure"] == pytest.approx(174.81, abs=1e-9)
    assert s38[["activity", "intensity", "mix", "emission_factor"]].abs().max() == 0.0


def test_lmdi_rejects_energy_without_value_added():
    with pytest.raises(TargetsError, match="no value added"):
        decompose_arrays(
            np.array([0.0, 1.0]),
            np.array([[1.0], [1.0]]),
            np.array([[1.0], [1.0]]),
            np.array([1.0, 1.0]),
            np.array([[1.0], [1.0]]),
            np.array([[1.0], [1.0]]),
        )
