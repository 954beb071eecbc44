"""New-project carbon pre-assessment and post-assessment (碳排放预评估 / 后评估).

The Xushuguan plan (五、（三）强化绿色招商投资管理) requires, for projects entering the park,
"碳排放的预评估和后评估机制": the project's CO2 per unit of industrial value added
(单位工业增加值碳排放量) and per unit of gross industrial output (单位工业总产值碳排放量)
are benchmarked, "不符合标准的项目将不予审批". The accounting method it points to is
《重点行业建设项目碳排放环境影响评价试点技术指南（试行）》 (Jiangsu DEE).

Verdict rules (nengtan defaults, docs/targets.md):

* **reject** — CO2 per 万元 value added or per 万元 gross output above the sector benchmark;
* **approve with conditions** — within the benchmark but above the park average intensity, or the
  project's CO2 exceeds the budget reserve, or it would push the park's intensity over its target
  limit; each condition is stated (e.g. the PV needed to reach the park average);
* **approve** — otherwise.

CO2 is counted like the park headline: fuels (scope 1) + purchased electricity and heat
(location-based), with on-site PV reducing purchased electricity. A market-based figure (green power
at zero) is reported alongside.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from pydantic import BaseModel, Field, ValidationError, field_validator

from nengtan.i18n import Both, names, pair
from nengtan.indicators import co2_headline
from nengtan.labels import TARGET_STATUSES, name
from nengtan.targets.allocation import Benchmark, benchmark_for
from nengtan.targets.errors import TargetsError

#: Fallback factors when the park's ledger has no row of a carrier: (tce per unit [当量值], tCO2 per
#: unit, unit, source). Values from docs reference/factors.md (GB/T 2589-2020 and the GB/T 32151
#: family; Jiangsu grid 2023 per MEE 公告2025年第47号). The park's own factor set (implied by its
#: ledger) is preferred.
DEFAULT_FACTORS: dict[str, tuple[float, float, str, str]] = {
    "electricity": (1.229e-4, 5.827e-4, "kWh", "GB/T 2589-2020; Jiangsu grid 2023 0.5827 tCO2/MWh"),
    "natural_gas": (1.2143e-3, 2.165e-3, "m3", "GB/T 2589 (gas-field gas, recalled); 21.65 tCO2/10^4 Nm3"),
    "diesel": (1.4571, 3.096, "t", "GB/T 2589; GB/T 32151 family"),
    "gasoline": (1.4714, 2.925, "t", "GB/T 2589; GB/T 32151 family"),
    "fuel_oil": (1.4286, 3.171, "t", "GB/T 2589; GB/T 32151 family"),
    "lpg": (1.7143, 3.101, "t", "GB/T 2589; GB/T 32151 family"),
    "coal": (0.7143, 1.900, "t", "GB/T 2589; GB/T 32151 family"),
    "coke": (0.9714, 2.860, "t", "GB/T 2589; GB/T 32151 family"),
    "kerosene": (1.4714, 3.033, "t", "GB/T 2589; kerosene CC recalled"),
    "heat": (0.03412, 0.11, "GJ", "GB/T 2589; 0.11 tCO2/GJ"),
}
VERDICT_ZH = names("verdicts")


def _said(key: str, **fields: object) -> tuple[str, str]:
    """An assessment's reason or condition ``note.assess:<key>``: (English, Chinese). The assessment records both:
    ``reasons`` in Chinese, ``reasons_en`` beside it."""
    return pair(f"note.assess:{key}", **fields)


def _status(b: Benchmark) -> Both:
    """The benchmark's status (to-verify …) in each language, from the label table ``target_statuses``."""
    return Both(name(TARGET_STATUSES, b.status, "en"), name(TARGET_STATUSES, b.status, "zh"))


class Proposal(BaseModel):
    """A proposed project, as written in the YAML file a park officer fills in.

    Quantities are annual at full production: ``energy`` maps carrier → quantity in the carrier's
    canonical unit (kWh, m3, t, GJ); ``electricity`` is the total electricity demand [kWh], of which
    ``pv_kwh`` is self-generated and ``green_kwh`` bought as green power.
    """

    name: str
    sector_code: str
    expected_gross_output: float = Field(gt=0, description="[万元/yr]")
    expected_value_added: float = Field(gt=0, description="[万元/yr, constant prices]")
    energy: dict[str, float]
    pv_kwh: float = Field(0.0, ge=0)
    green_kwh: float = Field(0.0, ge=0)
    uscc: str | None = None
    start_year: int | None = None
    applicant: str | None = None

    @field_validator("energy")
    @classmethod
    def _non_negative(cls, v: dict[str, float]) -> dict[str, float]:
        for k, q in v.items():
            if q < 0:
                raise ValueError(f"energy.{k} must be non-negative")
        return v

    @field_validator("sector_code", mode="before")
    @classmethod
    def _code_str(cls, v: Any) -> str:
        return str(v)


def parse_proposal(data: dict[str, Any], where: str = "project file") -> Proposal:
    """Validate a proposal mapping; a mistake raises :class:`TargetsError` with the field named."""
    try:
        return Proposal.model_validate(data)
    except ValidationError as exc:
        e = exc.errors()[0]
        loc = ".".join(str(x) for x in e["loc"])
        raise TargetsError(f"{where}: field {loc!r}: {e['msg']}") from exc


def implied_factors(ledger: pd.DataFrame) -> dict[str, tuple[float, float, str, str]]:
    """Per-carrier factors implied by the park's ledger (its factor set): (tce/unit, tCO2/unit, unit,
    source), falling back to :data:`DEFAULT_FACTORS` for carriers the park does not use."""
    out = dict(DEFAULT_FACTORS)
    if len(ledger):
        g = ledger.assign(co2=co2_headline(ledger)).groupby("carrier")
        q = g["quantity"].sum()
        for c in q.index:
            if c in ("pv", "green_electricity") or q[c] <= 0:
                continue
            out[str(c)] = (
                float(g["energy_tce"].sum()[c] / q[c]),
                float(g["co2"].sum()[c] / q[c]),
                str(ledger.loc[ledger["carrier"] == c, "unit"].iloc[0]) if "unit" in ledger.columns else "",
                "park factor set (implied by the ledger)",
            )
    return out


@dataclass(frozen=True)
class ParkContext:
    """The park's figures a project is measured against (one year).

    Parameters
    ----------
    co2_t : float  park CO2 [t]
    value_added : float  [万元]
    gross_output : float  [万元]
    intensity_limit : float or None  park carbon-intensity limit of the year [tCO2/万元]
    budget_reserve_t : float or None  unallocated budget reserve [tCO2]
    """

    co2_t: float
    value_added: float
    gross_output: float
    intensity_limit: float | None = None
    budget_reserve_t: float | None = None

    @property
    def intensity(self) -> float:
        """Park CO2 per 万元 value added [tCO2/万元]."""
        return self.co2_t / self.value_added if self.value_added > 0 else float("nan")


@dataclass(frozen=True)
class Assessment:
    """Pre-assessment result."""

    project: str
    sector_code: str
    co2_t: float
    co2_market_t: float
    energy_tce: float
    co2_per_value_added: float
    co2_per_gross_output: float
    benchmark: Benchmark
    park_intensity: float
    park_intensity_after: float
    verdict: str
    reasons: list[str] = field(default_factory=list)  # Chinese
    conditions: list[str] = field(default_factory=list)  # Chinese
    reasons_en: list[str] = field(default_factory=list)
    conditions_en: list[str] = field(default_factory=list)
    by_carrier: dict[str, dict[str, float]] = field(default_factory=dict)

    def _source(self, lang: str) -> str:
        """Where the benchmark comes from: its document, clause and status, in ``lang`` (zh | en)."""
        b, status = self.benchmark, _status(self.benchmark)
        if lang == "zh":
            return f"{b.document} {b.clause}（{status.zh}）"
        return f"{b.document_en} {b.clause} ({status.en})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "project": self.project,
            "sector_code": self.sector_code,
            "co2_t": self.co2_t,
            "co2_market_t": self.co2_market_t,
            "energy_tce": self.energy_tce,
            "co2_per_value_added": self.co2_per_value_added,
            "co2_per_gross_output": self.co2_per_gross_output,
            "benchmark_co2_per_value_added": self.benchmark.co2_per_value_added,
            "benchmark_co2_per_gross_output": self.benchmark.co2_per_gross_output,
            "benchmark_sector": self.benchmark.sector_name,
            "benchmark_sector_en": self.benchmark.sector_name_en,
            "benchmark_source": self._source("zh"),
            "benchmark_source_en": self._source("en"),
            "park_intensity": self.park_intensity,
            "park_intensity_after": self.park_intensity_after,
            "verdict": self.verdict,
            "verdict_zh": VERDICT_ZH[self.verdict],
            "reasons": self.reasons,
            "conditions": self.conditions,
            "reasons_en": self.reasons_en,
            "conditions_en": self.conditions_en,
            "by_carrier": self.by_carrier,
        }


def project_emissions(
    p: Proposal, factors: dict[str, tuple[float, float, str, str]]
) -> tuple[float, float, float, dict]:
    """Annual energy [tce], CO2 headline [t] and CO2 market-based [t] of a proposal.

    Electricity bought = ``energy.electricity − pv_kwh`` (not below zero); market-based CO2 further
    counts ``green_kwh`` at zero.
    """
    energy = co2 = 0.0
    by: dict[str, dict[str, float]] = {}
    gf = factors["electricity"][1]
    for carrier, qty in p.energy.items():
        if carrier not in factors:
            raise TargetsError(
                f"project {p.name}: no factor for carrier {carrier!r}; use one of "
                f"{', '.join(sorted(factors))}"
            )
        tce, ef, _, _ = factors[carrier]
        q = max(qty - p.pv_kwh, 0.0) if carrier == "electricity" else qty
        by[carrier] = {"quantity": q, "energy_tce": q * tce, "co2_t": q * ef}
        energy += q * tce
        co2 += q * ef
    if p.pv_kwh:
        e = p.pv_kwh * factors["electricity"][0]
        by["pv"] = {"quantity": p.pv_kwh, "energy_tce": e, "co2_t": 0.0}
        energy += e
    bought = max(p.energy.get("electricity", 0.0) - p.pv_kwh, 0.0)
    market = co2 - min(p.green_kwh, bought) * gf
    return energy, co2, market, by


def assess(
    p: Proposal,
    park: ParkContext,
    benchmarks: list[Benchmark],
    factors: dict[str, tuple[float, float, str, str]],
) -> Assessment:
    """Pre-assess a proposal against its sector benchmark, the park average and the park's targets."""
    energy, co2, market, by = project_emissions(p, factors)
    b = benchmark_for(p.sector_code, benchmarks)
    iva = co2 / p.expected_value_added
    igo = co2 / p.expected_gross_output
    after = (
        (park.co2_t + co2) / (park.value_added + p.expected_value_added)
        if park.value_added + p.expected_value_added > 0
        else float("nan")
    )
    reasons: list[tuple[str, str]] = []
    conditions: list[tuple[str, str]] = []
    verdict = "approve"
    if iva > b.co2_per_value_added or igo > b.co2_per_gross_output:
        verdict = "reject"
        if iva > b.co2_per_value_added:
            reasons.append(_said("va_over", va=iva, benchmark=b.co2_per_value_added,
                                 sector=Both(b.sector_name_en, b.sector_name), document=Both(b.document_en, b.document),
                                 status=_status(b)))
        if igo > b.co2_per_gross_output:
            reasons.append(_said("go_over", go=igo, benchmark=b.co2_per_gross_output))
    else:
        reasons.append(_said("within_benchmark", va=iva, va_benchmark=b.co2_per_value_added, go=igo,
                             go_benchmark=b.co2_per_gross_output))
        pi = park.intensity
        if iva > pi:
            verdict = "approve_with_conditions"
            gf = factors["electricity"][1]
            need_t = co2 - pi * p.expected_value_added
            bought = max(p.energy.get("electricity", 0.0) - p.pv_kwh, 0.0)
            pv_more = need_t / gf if gf > 0 else float("inf")
            reasons.append(_said("above_park", park=pi, after=after))
            if pv_more <= bought:
                conditions.append(_said("more_pv", kwh=math.ceil(pv_more), park=pi))
            else:
                conditions.append(_said("reduce", t=need_t, park=pi))
        if park.intensity_limit is not None and after > park.intensity_limit:
            verdict = "approve_with_conditions"
            already = Both(*_said("already_over")) if pi > park.intensity_limit else ""
            reasons.append(_said("over_limit", after=after, limit=park.intensity_limit, already=already))
            conditions.append(_said("offset_elsewhere"))
        if park.budget_reserve_t is not None and co2 > park.budget_reserve_t:
            verdict = "approve_with_conditions"
            reasons.append(_said("over_reserve", t=co2, reserve=park.budget_reserve_t))
            conditions.append(_said("next_budget"))
        if verdict == "approve":
            reasons.append(_said("within_park", park=pi))
    return Assessment(
        project=p.name,
        sector_code=p.sector_code,
        co2_t=co2,
        co2_market_t=market,
        energy_tce=energy,
        co2_per_value_added=iva,
        co2_per_gross_output=igo,
        benchmark=b,
        park_intensity=park.intensity,
        park_intensity_after=after,
        verdict=verdict,
        reasons=[zh for _, zh in reasons],
        conditions=[zh for _, zh in conditions],
        reasons_en=[en for en, _ in reasons],
        conditions_en=[en for en, _ in conditions],
        by_carrier=by,
    )


@dataclass(frozen=True)
class PostAssessment:
    """Post-assessment: actual against promised."""

    project: str
    uscc: str
    year: int
    months: int
    actual_co2_t: float
    actual_value_added: float
    actual_gross_output: float
    actual_co2_per_value_added: float
    actual_co2_per_gross_output: float
    promised_co2_per_value_added: float
    promised_co2_per_gross_output: float
    benchmark_co2_per_value_added: float
    status: str
    reasons: list[str]  # Chinese
    reasons_en: list[str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return dict(self.__dict__)


def post_assess(
    p: Proposal,
    ledger: pd.DataFrame,
    economics: pd.DataFrame,
    year: int,
    benchmarks: list[Benchmark],
    factors: dict[str, tuple[float, float, str, str]],
    tolerance: float = 0.05,
) -> PostAssessment:
    """Compare the running project's actual intensities with the promised ones.

    Status: ``red`` if actual CO2/万元 value added exceeds the sector benchmark; ``yellow`` if it (or
    the per-output figure) exceeds the promised value by more than ``tolerance`` [fraction, 0.05];
    ``green`` otherwise.
    """
    if not p.uscc:
        raise TargetsError(
            f"project {p.name}: add the enterprise's uscc to the project file for a post-assessment"
        )
    led = ledger[
        (ledger["uscc"].astype(str) == p.uscc) & ledger["period"].astype(str).str.startswith(f"{year}-")
    ]
    eco = economics[
        (economics["uscc"].astype(str) == p.uscc) & economics["period"].astype(str).str.startswith(f"{year}-")
    ]
    if len(led) == 0 or len(eco) == 0:
        raise TargetsError(
            f"no {year} data for enterprise {p.uscc}: import its statements before a post-assessment"
        )
    co2 = float(co2_headline(led).sum())
    va = float(eco["value_added_constant"].sum())
    go = float(eco["gross_output"].sum())
    if va <= 0 or go <= 0:
        raise TargetsError(f"enterprise {p.uscc} reports no value added or output in {year}")
    _, pco2, _, _ = project_emissions(p, factors)
    piva, pigo = pco2 / p.expected_value_added, pco2 / p.expected_gross_output
    iva, igo = co2 / va, co2 / go
    b = benchmark_for(p.sector_code, benchmarks)
    reasons = [
        _said("actual_va", va=iva, committed=piva, benchmark=b.co2_per_value_added),
        _said("actual_go", go=igo, committed=pigo),
    ]
    if iva > b.co2_per_value_added:
        status = "red"
        reasons.append(_said("above_benchmark"))
    elif iva > piva * (1 + tolerance) or igo > pigo * (1 + tolerance):
        status = "yellow"
        reasons.append(_said("worse", tolerance=tolerance))
    else:
        status = "green"
        reasons.append(_said("as_committed"))
    months = int(led["period"].nunique())
    return PostAssessment(
        project=p.name,
        uscc=p.uscc,
        year=year,
        months=months,
        actual_co2_t=co2,
        actual_value_added=va,
        actual_gross_output=go,
        actual_co2_per_value_added=iva,
        actual_co2_per_gross_output=igo,
        promised_co2_per_value_added=piva,
        promised_co2_per_gross_output=pigo,
        benchmark_co2_per_value_added=b.co2_per_value_added,
        status=status,
        reasons=[zh for _, zh in reasons],
        reasons_en=[en for en, _ in reasons],
    )
