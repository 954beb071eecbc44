"""The green code on constructed enterprises whose colour is known."""

from __future__ import annotations

from nengtan.ratings.green_code import Inputs, assess, colour
from nengtan.ratings.methods import load

V1 = load("green_code", 1)


def test_colours_by_the_method_thresholds() -> None:
    assert colour(Inputs(2, 0.10, 0.95, 0), V1)[0] == "green"  # every green threshold met exactly
    c, why = colour(Inputs(3, 0.30, 1.0, 0), V1)
    assert c == "yellow" and why == ["carbon-efficiency grade 3 (green up to 2)"]
    c, why = colour(Inputs(1, 0.099, 1.0, 0), V1)
    assert c == "yellow" and why == ["green-power share 9.9% below 10%"]
    c, why = colour(Inputs(1, 0.5, None, 0), V1)
    assert c == "yellow" and why == ["no metered data assessed"]
    c, why = colour(Inputs(5, 0.5, 1.0, 0), V1)
    assert c == "red" and why == ["carbon-efficiency grade 5 (red from 5)"]
    c, why = colour(Inputs(1, 0.5, 0.79, 1), V1)
    assert c == "red" and why == ["1 red warning(s) open", "complete meter-days 79% below 80%"]
    assert colour(Inputs(None, 0.5, 1.0, 0), V1) == ("yellow", ["no carbon-efficiency grade"])


def test_every_reason_has_its_chinese_beside_it() -> None:
    c, pairs = assess(Inputs(1, 0.5, 0.79, 1), V1)
    assert c == "red" and pairs == [("1 red warning(s) open", "1 条红色预警未解除"),
                                    ("complete meter-days 79% below 80%", "计量完整天数占比 79%，低于 80%")]
    c, pairs = assess(Inputs(2, 0.10, 0.95, 0), V1)
    assert c == "green" and pairs[0][1] == "碳效等级 2 级，绿电占比 10.0%，计量完整天数占比 95%，无红色预警"
