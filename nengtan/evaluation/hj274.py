"""HJ 274-2015 国家生态工业示范园区标准 (综合类生态工业园区), the indicator table, pure.

Every indicator of the standard is one :class:`Indicator`: its group, number, Chinese name, unit, requirement,
whether it is mandatory (必选), its a/b mark, the inputs it is computed from and the formula, a function of the
inputs (:class:`Inputs`: an item's value in a year). :func:`evaluate` computes each, compares it with its
requirement, and decides the park's result: every mandatory indicator met (an alternative standing in where the
standard allows) and, of the optional indicators the park chose, at least the method's minimum. :func:`check_filed`
compares a report's printed values with the recomputed ones and flags what cannot be what the indicator defines.

Sources and status. The indicator list (5 groups, 32 indicators, 17 mandatory and 15 optional) agrees with secondary
sources quoting the standard; the rows, units and requirements are those parks file (../shared/reference/hj274.md, a
Jiangsu national-level zone's table); the requirements of indicators 1, 2, 6, 8, 11, 14 and 26 also agree with the
values recalled in ../shared/reference/factors.md 11. **Not confirmed against the standard's text** (marked
to-verify in :data:`RULES`): the substitution rule of the a/b marks (nengtan: 6a and 7b are alternatives, one
suffices; a level marked a — 11, 14 — stands in for the elasticity of the same resource, 10 and 13, when met), how
the pollutant elasticity (25) combines four pollutants (nengtan: each pollutant's elasticity is computed and the
least favourable one is the indicator's value, so all four must meet the requirement), the definition of the
industrial water reuse rate (15: reused / (reused + fresh)), and the minimum number of optional indicators (six).

Formulas (the standard's appendix, as the park files it): rates as % of their inputs; the three-year average annual
growth rate r = (Xₙ/Xₙ₋₃)^(1/3) − 1; elasticities e = r_X / r_V between the plan's base year and the data year
(n = data year − base year, stated in each result); the average annual reduction rate of CO₂ per value added
d = 1 − (Iₙ/I₀)^(1/n) (nengtan.evaluation.growth).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from nengtan.errors import InputError
from nengtan.evaluation.growth import annual_growth, annual_reduction, elasticity
from nengtan.i18n import Both, keyed, label_table, names, names_en, pair, text
from nengtan.labels import STATISTIC_ITEMS
from nengtan.labels import name as label

RULES: dict[str, Any] = {
    "min_optional": 6,
    "min_optional_status": "recalled: every mandatory indicator and at least six optional ones (to-verify)",
    "alternatives": [[6, 7], [10, 11], [13, 14]],
    "alternatives_status": "to-verify: 6a/7b are alternatives in the filed table; 11a and 14a standing in for the "
                           "elasticities 10 and 13 is nengtan's reading of the a mark",
    "pollutant_elasticity": "to-verify: the least favourable of the four pollutants' elasticities",
    "water_reuse": "to-verify: reused / (reused + fresh water)",
    "reclaimed_water_region": "elsewhere",
}


class MissingInput(LookupError):
    """An input the indicator needs is not held for the year (``item``: a statistic item, or ``base_year``)."""

    def __init__(self, item: str, year: int) -> None:
        super().__init__(f"no {BASE_YEAR_EN if item == 'base_year' else item} for {year}")
        self.item, self.year = item, year


BASE_YEAR_EN = "base year (--base-year)"
UNDEFINED_ZH = {en: zh for key, (en, zh) in keyed("note.hj274").items()
                if key in ("zero_denominator", "growth_unknown", "no_change", "growth_over", "growth_from")}
"""The reasons an indicator is undefined (the ValueError texts of this module and nengtan.evaluation.growth, or
how they begin), in Chinese."""


def _said(key: str, **fields: object) -> tuple[str, str]:
    """A note of the HJ 274 evaluation (``note.hj274:<key>``): (English, Chinese)."""
    return pair(f"note.hj274:{key}", **fields)


def _zh(key: str, **fields: object) -> str:
    """A note of the HJ 274 evaluation in Chinese, as the evaluation reports it."""
    return _said(key, **fields)[1]


def undefined_zh(exc: ValueError) -> str:
    """Why an indicator is undefined, in Chinese."""
    text = str(exc)
    why = next((zh for en, zh in UNDEFINED_ZH.items() if text.startswith(en)), _zh("other"))
    return _zh("undefined", why=why)


def missing_zh(exc: MissingInput) -> str:
    """Why an indicator has no value, in Chinese: the item missing and its year."""
    if exc.item == "base_year":
        return _zh("no_base_year", year=exc.year)
    return _zh("missing", year=exc.year, item=label(STATISTIC_ITEMS, exc.item))


@dataclass
class Inputs:
    """The evaluation's inputs: `values[(item, year)]` in the item's canonical unit, with where each came from."""

    year: int
    base_year: int | None
    values: dict[tuple[str, int], float]
    sources: dict[tuple[str, int], str] = field(default_factory=dict)
    sources_zh: dict[tuple[str, int], str] = field(default_factory=dict)
    used: list[tuple[str, int]] = field(default_factory=list)

    def __call__(self, item: str, year: int | None = None) -> float:
        y = self.year if year is None else year
        if (item, y) not in self.values:
            raise MissingInput(item, y)
        self.used.append((item, y))
        return self.values[(item, y)]

    @property
    def n(self) -> int:
        if self.base_year is None:
            raise MissingInput("base_year", self.year)
        return self.year - self.base_year

    def base(self, item: str) -> float:
        if self.base_year is None:
            raise MissingInput("base_year", self.year)
        return self(item, self.base_year)


@dataclass(frozen=True)
class Indicator:
    no: int
    group: str
    name: str
    unit: str
    op: str  # ">=", "<=", "==", "elastic" (≤ t when value added grows, ≥ t when it falls)
    threshold: float
    mandatory: bool
    formula: str
    compute: Callable[[Inputs], float]
    mark: str = ""  # "a" or "b" as the standard marks the row
    kind: str = "level"  # level (never negative), share (0–100 %), rate (may be negative), count, elasticity
    requirement_text: tuple[str, str] | None = None  # (English, Chinese), where the requirement is words

    def _requirement(self) -> tuple[str, str]:
        if self.requirement_text is not None:
            return self.requirement_text
        if self.op == "elastic":
            return _said("elastic", t=self.threshold)
        said = f"{self.op.replace('>=', '≥').replace('<=', '≤').replace('==', '=')} {self.threshold:g}"
        return said, said

    @property
    def requirement(self) -> str:
        """The requirement as the standard writes it (Chinese)."""
        return self._requirement()[1]

    @property
    def requirement_en(self) -> str:
        return self._requirement()[0]

    @property
    def name_en(self) -> str:
        return NAMES_EN[str(self.no)]

    @property
    def unit_en(self) -> str:
        """The unit in English (the standard's Chinese unit names, 万元/人 …, from the label table hj274_units)."""
        return UNITS_EN.get(self.unit, self.unit)


def _pct(a: float, b: float) -> float:
    if not b > 0:
        raise ValueError("the denominator is 0")
    return 100.0 * a / b


def _growth3(x: Inputs, item: Callable[[Inputs, int], float]) -> float:
    return 100.0 * annual_growth(item(x, x.year - 3), item(x, x.year), 3)


def _elastic(x: Inputs, item: str) -> float:
    return elasticity(x.base(item), x(item), x.base("value_added"), x("value_added"), x.n)


def _pollutants(x: Inputs) -> float:
    es = [_elastic(x, p) for p in ("cod", "nh3n", "so2", "nox")]
    grows = x("value_added") > x.base("value_added")
    return max(es) if grows else min(es)


def _va_per_land(x: Inputs, y: int) -> float:
    return x("value_added", y) / 1e4 / x("industrial_land", y)


def _reuse(x: Inputs) -> float:
    reused = x("recycled_water")
    return _pct(reused, reused + x("fresh_water"))


def _reclaimed_threshold() -> float:
    return {"water-scarce": 20.0, "jing-jin-ji": 30.0, "elsewhere": 10.0}[str(RULES["reclaimed_water_region"])]


NAMES = names("hj274_indicators")
"""The indicators' names as HJ 274-2015 表1 writes them, by number (their English beside them in the catalogue)."""
NAMES_EN = names_en("hj274_indicators")
GROUPS = names("hj274_groups")
GROUPS_EN = {zh: en for zh, en in label_table("hj274_groups").values()}
"""A group's English by its Chinese name."""
UNITS_EN = {zh: en for zh, en in label_table("hj274_units").values()}
"""A unit's English by the standard's Chinese (万元/人 → 10⁴ CNY/person); % and — are the same in both."""
ECON, SYMB, SAVE, ENV, INFO = (GROUPS[g] for g in ("economy", "symbiosis", "saving", "environment", "disclosure"))
INDICATORS: tuple[Indicator, ...] = (
    Indicator(1, ECON, NAMES["1"], "%", ">=", 30, False,
              "hightech_output / gross_output × 100", lambda x: _pct(x("hightech_output"), x("gross_output")),
              kind="share"),
    Indicator(2, ECON, NAMES["2"], "万元/人", ">=", 15, False, "value_added / employees",
              lambda x: x("value_added") / x("employees")),
    Indicator(3, ECON, NAMES["3"], "%", ">=", 15, False,
              "((VA_n / VA_(n-3))^(1/3) − 1) × 100", lambda x: _growth3(x, lambda x, y: x("value_added", y)),
              kind="rate"),
    Indicator(4, ECON, NAMES["4"], "%", ">=", 30, False,
              "recycling_value_added / value_added × 100",
              lambda x: _pct(x("recycling_value_added"), x("value_added")), kind="share"),
    Indicator(5, SYMB, NAMES["5"], "个", ">=", 6, True, "eco_chain_projects",
              lambda x: x("eco_chain_projects"), kind="count"),
    Indicator(6, SYMB, NAMES["6"], "%", ">=", 70, False,
              "solid_waste_utilised / (solid_waste_generated + solid_waste_stock_utilised) × 100",
              lambda x: _pct(x("solid_waste_utilised"), x("solid_waste_generated") + x("solid_waste_stock_utilised")),
              mark="a", kind="share"),
    Indicator(7, SYMB, NAMES["7"], "%", ">=", 80, False,
              "renewable_resources_recycled / renewable_resources_collected × 100",
              lambda x: _pct(x("renewable_resources_recycled"), x("renewable_resources_collected")), mark="b",
              kind="share"),
    Indicator(8, SAVE, NAMES["8"], "亿元/平方公里", ">=", 9, False,
              "value_added [10⁸ CNY] / industrial_land [km²]", lambda x: _va_per_land(x, x.year)),
    Indicator(9, SAVE, NAMES["9"], "%", ">=", 6, False,
              "(((VA/land)_n / (VA/land)_(n-3))^(1/3) − 1) × 100", lambda x: _growth3(x, _va_per_land), kind="rate"),
    Indicator(10, SAVE, NAMES["10"], "—", "elastic", 0.6, True,
              "r(energy) / r(value_added), base year → data year", lambda x: _elastic(x, "energy"),
              kind="elasticity"),
    Indicator(11, SAVE, NAMES["11"], "吨标煤/万元", "<=", 0.5, False, "energy / value_added",
              lambda x: x("energy") / x("value_added"), mark="a"),
    Indicator(12, SAVE, NAMES["12"], "%", ">=", 9, False, "renewable_energy / energy × 100",
              lambda x: _pct(x("renewable_energy"), x("energy")), kind="share"),
    Indicator(13, SAVE, NAMES["13"], "—", "elastic", 0.55, True,
              "r(fresh_water) / r(value_added), base year → data year", lambda x: _elastic(x, "fresh_water"),
              kind="elasticity"),
    Indicator(14, SAVE, NAMES["14"], "立方米/万元", "<=", 8, False, "fresh_water [m³] / value_added",
              lambda x: x("fresh_water") / x("value_added"), mark="a"),
    Indicator(15, SAVE, NAMES["15"], "%", ">=", 75, False,
              "recycled_water / (recycled_water + fresh_water) × 100", _reuse, kind="share"),
    Indicator(16, SAVE, NAMES["16"], "%", ">=", _reclaimed_threshold(), False,
              "reclaimed_water / wastewater_plant_discharge × 100",
              lambda x: _pct(x("reclaimed_water"), x("wastewater_plant_discharge")), kind="share",
              requirement_text=_said("reclaimed")),
    Indicator(17, ENV, NAMES["17"], "%", ">=", 100, True, "key_source_compliance",
              lambda x: x("key_source_compliance"), kind="share", requirement_text=_said("within_limits")),
    Indicator(18, ENV, NAMES["18"], "—", ">=", 1, True,
              "total_control_completed (1 = all completed)", lambda x: x("total_control_completed"), kind="count",
              requirement_text=_said("all_completed")),
    Indicator(19, ENV, NAMES["19"], "次", "<=", 0, True, "major_incidents",
              lambda x: x("major_incidents"), kind="count", requirement_text=("0", "0")),
    Indicator(20, ENV, NAMES["20"], "%", ">=", 100, True, "env_management_completeness",
              lambda x: x("env_management_completeness"), kind="share"),
    Indicator(21, ENV, NAMES["21"], "%", ">=", 100, True, "clean_production_audit_rate",
              lambda x: x("clean_production_audit_rate"), kind="share"),
    Indicator(22, ENV, NAMES["22"], "—", ">=", 1, True, "wastewater_facility (1 = in place)",
              lambda x: x("wastewater_facility"), kind="count", requirement_text=_said("in_place")),
    Indicator(23, ENV, NAMES["23"], "%", ">=", 100, True, "risk_system_completeness",
              lambda x: x("risk_system_completeness"), kind="share"),
    Indicator(24, ENV, NAMES["24"], "%", ">=", 100, True, "solid_waste_disposal_rate",
              lambda x: x("solid_waste_disposal_rate"), kind="share"),
    Indicator(25, ENV, NAMES["25"], "—", "elastic", 0.3, True,
              "the least favourable of r(COD), r(NH3-N), r(SO2), r(NOx) over r(value_added)", _pollutants,
              kind="elasticity"),
    Indicator(26, ENV, NAMES["26"], "%", ">=", 3, True,
              "(1 − ((co2/VA)_n / (co2/VA)_0)^(1/n)) × 100",
              lambda x: 100.0 * annual_reduction(x.base("co2") / x.base("value_added"), x("co2") / x("value_added"),
                                                 x.n), mark="a", kind="rate"),
    Indicator(27, ENV, NAMES["27"], "吨/万元", "<=", 7, False, "wastewater [t] / value_added",
              lambda x: x("wastewater") / x("value_added"), mark="a"),
    Indicator(28, ENV, NAMES["28"], "吨/万元", "<=", 0.1, False, "solid_waste_generated / value_added",
              lambda x: x("solid_waste_generated") / x("value_added"), mark="a"),
    Indicator(29, ENV, NAMES["29"], "%", ">=", 15, True, "green_coverage", lambda x: x("green_coverage"),
              kind="share"),
    Indicator(30, INFO, NAMES["30"], "%", ">=", 100, True, "env_disclosure_rate",
              lambda x: x("env_disclosure_rate"), kind="share"),
    Indicator(31, INFO, NAMES["31"], "%", ">=", 100, True, "info_platform_completeness",
              lambda x: x("info_platform_completeness"), kind="share"),
    Indicator(32, INFO, NAMES["32"], "次/年", ">=", 2, True, "publicity_events",
              lambda x: x("publicity_events"), kind="count"),
)
BY_NO = {i.no: i for i in INDICATORS}


def meets(ind: Indicator, value: float, value_added_grows: bool | None) -> bool:
    if ind.op == ">=":
        return value >= ind.threshold - 1e-9
    if ind.op == "<=":
        return value <= ind.threshold + 1e-9
    if ind.op == "==":
        return abs(value - ind.threshold) <= 1e-9
    if value_added_grows is None:
        raise ValueError("whether value added grew is unknown")
    return value <= ind.threshold + 1e-9 if value_added_grows else value >= ind.threshold - 1e-9


def evaluate(x: Inputs, chosen: set[int] | None = None) -> dict[str, Any]:
    """Every indicator's value, requirement, pass/fail and the inputs it used (with their sources), and the park's
    result. `chosen`: the optional indicators the park is assessed on (default: every optional one it has the
    inputs for)."""
    try:
        grows: bool | None = x("value_added") > x.base("value_added")
    except MissingInput:
        grows = None
    rows = []
    for ind in INDICATORS:
        x.used = []
        row: dict[str, Any] = {"no": ind.no, "group": ind.group, "name": ind.name, "unit": ind.unit,
                               "requirement": ind.requirement, "group_en": GROUPS_EN[ind.group],
                               "name_en": ind.name_en, "unit_en": ind.unit_en,
                               "requirement_en": ind.requirement_en, "mandatory": ind.mandatory, "mark": ind.mark,
                               "formula": ind.formula, "formula_zh": text("note.hj274_formula", ind.formula),
                               "kind": ind.kind}
        try:
            v = ind.compute(x)
            row.update(value=v, passed=meets(ind, v, grows))
            if ind.kind == "elasticity" or ind.no == 26:
                row["n"] = x.n
        except MissingInput as exc:
            row.update(value=None, passed=None, reason=str(exc), reason_zh=missing_zh(exc))
        except ValueError as exc:
            row.update(value=None, passed=None, reason=f"undefined: {exc}",
                       reason_zh=undefined_zh(exc))
        row["inputs"] = [{"item": i, "name_zh": label(STATISTIC_ITEMS, i), "year": y, "value": x.values[(i, y)],
                          "source": x.sources.get((i, y), ""), "source_zh": x.sources_zh.get((i, y), "")}
                         for i, y in dict.fromkeys(x.used)]
        rows.append(row)
    by = {r["no"]: r for r in rows}
    optional = [r["no"] for r in rows if not r["mandatory"]]
    if chosen is not None and not set(chosen) <= set(optional):
        raise InputError(f"chosen indicators {', '.join(map(str, sorted(set(chosen) - set(optional))))} are not "
                         f"optional HJ 274 indicators (the optional ones: {', '.join(map(str, optional))})")
    picked = sorted(chosen) if chosen is not None else [n for n in optional if by[n]["value"] is not None]
    for r in rows:
        r["chosen"] = r["mandatory"] or r["no"] in picked
    substitutes = {}
    for group in RULES["alternatives"]:
        met = [n for n in group if by[n]["passed"]]
        for n in group:
            if by[n]["mandatory"] and not by[n]["passed"] and met:
                substitutes[n] = met[0]
    mandatory_failed = [r["no"] for r in rows if r["mandatory"] and not r["passed"] and r["no"] not in substitutes]
    optional_met = [n for n in picked if by[n]["passed"]]
    for n, alt in substitutes.items():
        by[n]["substituted_by"] = alt
    least = int(RULES["min_optional"])
    return {"year": x.year, "base_year": x.base_year, "indicators": rows, "mandatory_failed": mandatory_failed,
            "optional_chosen": picked, "optional_met": optional_met, "min_optional": least,
            "passed": not mandatory_failed and len(optional_met) >= least, "rules": RULES}


def check_filed(result: dict[str, Any], filed: dict[int, float], rel: float = 0.01) -> list[dict[str, Any]]:
    """A report's printed values against the recomputed ones: each flagged when it differs by more than `rel`, or
    when it cannot be what the indicator defines (a negative level or count, a share outside 0–100 %)."""
    out = []
    by = {r["no"]: r for r in result["indicators"]}
    for no, printed in sorted(filed.items()):
        r, ind = by[no], BY_NO[no]
        said = []
        if ind.kind in ("level", "count") and printed < 0:
            said.append(_said("never_negative", unit=Both(ind.unit_en, ind.unit), printed=printed))
        if ind.kind == "share" and not 0 <= printed <= 100:
            said.append(_said("share_range", printed=printed))
        if r["value"] is not None and abs(printed - r["value"]) > rel * max(abs(r["value"]), 1e-9):
            said.append(_said("differs", value=r["value"]))
        out.append({"no": no, "name": ind.name, "name_en": ind.name_en, "printed": printed,
                    "recomputed": r["value"], "flags": [en for en, _ in said], "flags_zh": [zh for _, zh in said]})
    return out
