"""Reconciliation cases with known differences, split by hand into activity and factor parts."""

from __future__ import annotations

import pytest

from nengtan.assets.reconciliation import Line, reconcile


def test_differences_split_into_activity_and_factor() -> None:
    platform = [Line("electricity", 1_000_000, 0.0005827), Line("natural_gas", 100_000, 0.002165),
                Line("diesel", 10, 3.096)]
    verified = [Line("electricity", 1_020_000, 0.0005827),  # 20 000 kWh more metered by the verifier
                Line("natural_gas", 100_000, 0.0021622),  # the verifier's measured NCV gives a lower factor
                Line("steam", 500, 0.11 * 2.76)]  # steam the platform never received; diesel not verified
    d = {x.carrier: x for x in reconcile(platform, verified)}
    # electricity: (1 020 000 − 1 000 000) × 0.0005827 = 11.654 t, all activity
    assert d["electricity"].activity_part_t == pytest.approx(11.654)
    assert d["electricity"].factor_part_t == 0 and d["electricity"].difference_t == pytest.approx(11.654)
    # gas: 100 000 × (0.0021622 − 0.002165) = −0.28 t: within the 0.5 t tolerance
    assert d["natural_gas"].factor_part_t == pytest.approx(-0.28)
    assert d["natural_gas"].explanation == "agrees within the tolerance"
    # diesel: only the platform states it: −10 × 3.096 = −30.96 t of activity
    assert d["diesel"].difference_t == pytest.approx(-30.96) and "platform only" in d["diesel"].explanation
    # steam: only the verifier: 500 × 0.3036 = 151.8 t
    assert d["steam"].activity_part_t == pytest.approx(151.8) and "verifier only" in d["steam"].explanation
    for x in d.values():  # the split is exact
        assert x.activity_part_t + x.factor_part_t == pytest.approx(x.difference_t)
