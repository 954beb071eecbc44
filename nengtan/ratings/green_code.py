"""The green code (零碳绿码), pure: a colour from the enterprise's carbon-efficiency grade, its green-power share,
the completeness of its metered data and its open red warnings, by the thresholds of a method version
(``data/green_code.json``; version 1 is nengtan's reading of the plan, status to-verify).

Red when any red criterion holds (grade at or above the red grade, a red warning open, complete meter-days below
the red share); green when every green criterion holds (grade at most the green grade, green-power share at least
the green share, complete meter-days at least the green share, no more red warnings than allowed); yellow
otherwise. A criterion whose input is missing (no grade, no meters assessed) cannot make the code green, and
says so. Every reason is listed beside the colour.
"""

from __future__ import annotations

from dataclasses import dataclass

from nengtan.ratings.methods import Method


@dataclass(frozen=True)
class Inputs:
    grade: int | None  # carbon-efficiency grade, 1 (best) … 5
    green_share: float  # GEC-backed green electricity / electricity
    complete_days: float | None  # share of complete meter-days; None: no meter assessed
    red_warnings: int


def colour(x: Inputs, method: Method) -> tuple[str, list[str]]:
    """(green | yellow | red, reasons)."""
    c, why = assess(x, method)
    return c, [en for en, _ in why]


def assess(x: Inputs, method: Method) -> tuple[str, list[tuple[str, str]]]:
    """(green | yellow | red, reasons in English and in Chinese)."""
    g, r = method.params["green"], method.params["red"]
    red: list[tuple[str, str]] = []
    if x.grade is not None and x.grade >= r["min_grade"]:
        red.append((f"carbon-efficiency grade {x.grade} (red from {r['min_grade']})",
                    f"碳效等级 {x.grade} 级（{r['min_grade']} 级及以下为红码）"))
    if x.red_warnings >= r["min_red_warnings"]:
        red.append((f"{x.red_warnings} red warning(s) open", f"{x.red_warnings} 条红色预警未解除"))
    if x.complete_days is not None and x.complete_days < r["below_complete_days"]:
        red.append((f"complete meter-days {x.complete_days:.0%} below {r['below_complete_days']:.0%}",
                    f"计量完整天数占比 {x.complete_days:.0%}，低于 {r['below_complete_days']:.0%}"))
    if red:
        return "red", red
    short: list[tuple[str, str]] = []
    if x.grade is None:
        short.append(("no carbon-efficiency grade", "无碳效等级"))
    elif x.grade > g["max_grade"]:
        short.append((f"carbon-efficiency grade {x.grade} (green up to {g['max_grade']})",
                      f"碳效等级 {x.grade} 级（绿码须 {g['max_grade']} 级及以上）"))
    if x.green_share < g["min_green_share"]:
        short.append((f"green-power share {x.green_share:.1%} below {g['min_green_share']:.0%}",
                      f"绿电占比 {x.green_share:.1%}，低于 {g['min_green_share']:.0%}"))
    if x.complete_days is None:
        short.append(("no metered data assessed", "无可评估的计量数据"))
    elif x.complete_days < g["min_complete_days"]:
        short.append((f"complete meter-days {x.complete_days:.0%} below {g['min_complete_days']:.0%}",
                      f"计量完整天数占比 {x.complete_days:.0%}，低于 {g['min_complete_days']:.0%}"))
    if x.red_warnings > g["max_red_warnings"]:
        short.append((f"{x.red_warnings} red warning(s) open", f"{x.red_warnings} 条红色预警未解除"))
    if short:
        return "yellow", short
    return "green", [(f"grade {x.grade}, green-power share {x.green_share:.1%}, complete meter-days "
                      f"{x.complete_days:.0%}, no red warning",
                      f"碳效等级 {x.grade} 级，绿电占比 {x.green_share:.1%}，计量完整天数占比 {x.complete_days:.0%}，"
                      "无红色预警")]
