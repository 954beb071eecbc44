"""Virtual meters' formulas worked by hand, and what a formula may not hold."""

from __future__ import annotations

import numpy as np
import pytest

from nengtan.accounting.virtual import evaluate, parse
from nengtan.errors import InputError


def test_a_formula_is_arithmetic_over_the_named_meters_element_by_element() -> None:
    f = parse("{MAIN} - {S1} - 0.5 * ({S2} + {S1}) / 2")
    assert f.meters == ("MAIN", "S1", "S2")
    out = evaluate(f, {"MAIN": np.array([100.0, 80.0, 50.0]), "S1": np.array([20.0, 10.0, np.nan]),
                       "S2": np.array([40.0, 30.0, 10.0])})
    # 100 - 20 - 0.5 × (40 + 20) / 2 = 65; 80 - 10 - 0.5 × (30 + 10) / 2 = 60; a missing part leaves the month empty
    assert out[:2].tolist() == [65.0, 60.0] and np.isnan(out[2])
    share = evaluate(parse("0.35*{UTIL-STEAM}"), {"UTIL-STEAM": np.array([200.0])})
    assert share.tolist() == [70.0]
    assert np.isnan(evaluate(parse("{A} / {B}"), {"A": np.array([1.0]), "B": np.array([0.0])})[0])  # no ±inf


@pytest.mark.parametrize(("text", "why"), [
    ("__import__('os').system('x')", "only numbers"), ("{A}.real", "only numbers"), ("{A} ** 2", "only numbers"),
    ("abs({A})", "only numbers"), ("m0 + {A}", "only numbers"), ("{A} +", "not arithmetic"),
    ("2 * 3", "names no meter"), ("{A", "only numbers"), ("", "1 to 500 characters")])
def test_anything_but_arithmetic_is_refused(text: str, why: str) -> None:
    with pytest.raises(InputError, match=why):
        parse(text)
