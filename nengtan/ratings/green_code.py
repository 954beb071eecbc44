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

from nengtan.i18n import pair
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
        red.append(pair("note.rating:grade_red", grade=x.grade, limit=r["min_grade"]))
    if x.red_warnings >= r["min_red_warnings"]:
        red.append(pair("note.rating:red_warnings", n=x.red_warnings))
    if x.complete_days is not None and x.complete_days < r["below_complete_days"]:
        red.append(pair("note.rating:complete_days", share=x.complete_days, limit=r["below_complete_days"]))
    if red:
        return "red", red
    short: list[tuple[str, str]] = []
    if x.grade is None:
        short.append(pair("note.rating:no_grade"))
    elif x.grade > g["max_grade"]:
        short.append(pair("note.rating:grade_green", grade=x.grade, limit=g["max_grade"]))
    if x.green_share < g["min_green_share"]:
        short.append(pair("note.rating:green_share", share=x.green_share, limit=g["min_green_share"]))
    if x.complete_days is None:
        short.append(pair("note.rating:no_metered"))
    elif x.complete_days < g["min_complete_days"]:
        short.append(pair("note.rating:complete_days", share=x.complete_days, limit=g["min_complete_days"]))
    if x.red_warnings > g["max_red_warnings"]:
        short.append(pair("note.rating:red_warnings", n=x.red_warnings))
    if short:
        return "yellow", short
    return "green", [pair("note.rating:green", grade=x.grade, share=x.green_share, days=x.complete_days)]
