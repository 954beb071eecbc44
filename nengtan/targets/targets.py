"""Targets for dual control (能耗双控 → 碳排放双控): the model, the seed templates, indicators and paths.

A target constrains one indicator of one subject (the park, a sector, or an enterprise):

===============================  =====================  =========================================
indicator                        unit                   kinds
===============================  =====================  =========================================
``energy_intensity``             [tce/万元]             ``reduction`` (vs base year), ``max_level``
``carbon_intensity``             [tCO2/万元]            ``reduction`` (vs base year), ``max_level``
``energy_total``                 [tce]                  ``cap``
``carbon_total``                 [tCO2]                 ``cap``
``nonfossil_share``              [fraction]             ``min_share``
``renewable_electricity_share``  [fraction]             ``min_share``
``green_power_share``            [fraction]             ``min_share`` (a yearly schedule in ``interim``)
===============================  =====================  =========================================

``green_power_share`` (绿色电力消费比例) is green electricity claimed with cancelled GECs over electricity consumed
(grid and on-site): the share the national rules set rising minimums of for energy-intensive enterprises (发改能源
〔2025〕 notice on the 2025 renewable consumption weights, 电解铝 and other key industries, checked by GECs; the
Yancheng plan 五(三)), measured only from the ledger's claims (nengtan.engine.greenassets).

Intensities are per 万元 of value added at constant prices (``value_added_constant``), as the plans
require ("单位地区生产总值能耗/二氧化碳排放"; Jiangsu plan 二、主要目标).

References
----------
.. [1] 江苏省碳达峰实施方案, 二、主要目标.
.. [2] 国家碳达峰试点（盐城）实施方案 (盐政发〔2024〕16号), 一、（二）主要目标.
.. [3] 国家碳达峰试点（南京江宁经济技术开发区）实施方案, 五、（二） 碳排放预算制度: "以碳强度约束性目标为主、
       碳排放总量弹性目标为辅".
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Literal

import numpy as np
import pandas as pd

from nengtan.i18n import names
from nengtan.indicators import share_parts
from nengtan.targets.errors import TargetsError

Indicator = Literal[
    "energy_intensity",
    "carbon_intensity",
    "energy_total",
    "carbon_total",
    "nonfossil_share",
    "renewable_electricity_share",
    "green_power_share",
]
Kind = Literal["reduction", "max_level", "cap", "min_share"]
Level = Literal["park", "region", "sector", "enterprise", "province", "city"]

INDICATORS: tuple[str, ...] = (
    "energy_intensity",
    "carbon_intensity",
    "energy_total",
    "carbon_total",
    "nonfossil_share",
    "renewable_electricity_share",
    "green_power_share",
)
INDICATOR_UNITS: dict[str, str] = {
    "energy_intensity": "tce/万元",
    "carbon_intensity": "tCO2/万元",
    "energy_total": "tce",
    "carbon_total": "tCO2",
    "nonfossil_share": "fraction",
    "renewable_electricity_share": "fraction",
    "green_power_share": "fraction",
}
INDICATOR_ZH: dict[str, str] = names("target_indicators")
_KINDS_FOR: dict[str, tuple[str, ...]] = {
    "energy_intensity": ("reduction", "max_level"),
    "carbon_intensity": ("reduction", "max_level"),
    "energy_total": ("cap",),
    "carbon_total": ("cap",),
    "nonfossil_share": ("min_share",),
    "renewable_electricity_share": ("min_share",),
    "green_power_share": ("min_share",),
}


@dataclass(frozen=True)
class Target:
    """One target for one subject.

    Parameters
    ----------
    target_id : str
        Stable identifier, e.g. ``park-2025-carbon-intensity``.
    level : str
        ``park``, ``sector`` or ``enterprise`` (templates also use ``province`` / ``city``).
    subject : str
        ``park``, a GB/T 4754 sector code prefix, or an enterprise's USCC.
    indicator : str
        One of :data:`INDICATORS`.
    kind : str
        ``reduction`` [fraction below base-year level], ``max_level`` [indicator unit],
        ``cap`` [tce or tCO2], ``min_share`` [fraction].
    value : float
        The target number in the unit implied by ``kind``.
    base_year, target_year : int or None
        Base year of a reduction target; the year by which the target must be met.
    interim : dict[int, float]
        Optional interim values (same meaning as ``value``) by year.
    document, clause, status : str
        Source of the number; ``status`` is ``confirmed`` or ``to-verify``.
    """

    target_id: str
    level: str
    subject: str
    indicator: str
    kind: str
    value: float
    base_year: int | None = None
    target_year: int | None = None
    interim: dict[int, float] = field(default_factory=dict)
    document: str = ""
    clause: str = ""
    status: str = "to-verify"
    note: str = ""

    def __post_init__(self) -> None:
        if self.indicator not in INDICATORS:
            raise TargetsError(
                f"target {self.target_id}: unknown indicator {self.indicator!r}; "
                f"use one of {', '.join(INDICATORS)}"
            )
        if self.kind not in _KINDS_FOR[self.indicator]:
            raise TargetsError(
                f"target {self.target_id}: kind {self.kind!r} does not fit {self.indicator}; "
                f"use {' or '.join(_KINDS_FOR[self.indicator])}"
            )
        if not math.isfinite(self.value) or self.value < 0:
            raise TargetsError(
                f"target {self.target_id}: value must be a non-negative number, got {self.value}"
            )
        if self.kind in ("reduction", "min_share") and self.value >= 1:
            raise TargetsError(
                f"target {self.target_id}: a {self.kind} is a fraction below 1 (e.g. 0.14 for 14 %), "
                f"got {self.value}"
            )
        if self.kind == "reduction" and (self.base_year is None or self.target_year is None):
            raise TargetsError(f"target {self.target_id}: a reduction target needs base_year and target_year")
        if self.base_year is not None and self.target_year is not None and self.target_year <= self.base_year:
            raise TargetsError(f"target {self.target_id}: target_year must be after base_year")

    @property
    def unit(self) -> str:
        """Unit of :attr:`value`."""
        return "fraction" if self.kind in ("reduction", "min_share") else INDICATOR_UNITS[self.indicator]

    @property
    def is_upper_bound(self) -> bool:
        """True when the indicator must stay at or below the limit (all but the share targets)."""
        return self.kind != "min_share"

    def adopt(self, subject: str = "park", level: str = "park", target_id: str | None = None) -> Target:
        """Return a copy of a template adopted for ``subject`` (the park by default)."""
        return replace(
            self, subject=subject, level=level, target_id=target_id or f"{subject}:{self.target_id}"
        )


def _opt_int(text: str) -> int | None:
    return int(text) if text.strip() else None


def _schedule(text: str) -> dict[int, float]:
    """``2025:0.10;2026:0.14`` → {2025: 0.10, 2026: 0.14} (a template's yearly values)."""
    out: dict[int, float] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        year, _, value = part.partition(":")
        out[int(year)] = float(value)
    return out


def load_templates() -> list[Target]:
    """Load the target templates shipped as package data (``data/target_templates.csv``).

    Every row cites its document and clause and carries ``status`` confirmed / to-verify.
    """
    src = resources.files("nengtan.targets").joinpath("data/target_templates.csv")
    out: list[Target] = []
    with src.open("r", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out.append(
                Target(
                    target_id=row["template_id"],
                    level=row["level"],
                    subject=row["jurisdiction"],
                    indicator=row["indicator"],
                    kind=row["kind"],
                    value=float(row["value"]),
                    base_year=_opt_int(row["base_year"]),
                    target_year=_opt_int(row["target_year"]),
                    document=row["document"],
                    clause=row["clause"],
                    status=row["status"],
                    note=f"{row['quote']} — {row['note']}",
                    interim=_schedule(row.get("interim") or ""),
                )
            )
    return out


def template(template_id: str) -> Target:
    """Return one template by id, or raise :class:`TargetsError` naming the available ids."""
    templates = {t.target_id: t for t in load_templates()}
    if template_id not in templates:
        raise TargetsError(f"no target template {template_id!r}; available: {', '.join(sorted(templates))}")
    return templates[template_id]


def required_level(target: Target, year: int, base_level: float | None = None) -> float:
    """The indicator level the target requires in ``year`` (the limit used for warnings).

    * ``reduction``: ``base_level × (1 − r)^((year − base_year)/(target_year − base_year))`` — the
      geometric path of a constant annual rate, the way five-year intensity targets are broken down
      into annual ones; an explicit interim value (reduction vs base) overrides the path. After the
      target year the level stays at ``base_level × (1 − r)``.
    * ``max_level``, ``cap``, ``min_share``: the interim value for ``year`` if given, else ``value``.

    Parameters
    ----------
    target : Target
    year : int
    base_level : float, optional
        The subject's indicator in the base year [indicator unit]; required for ``reduction``.

    Returns
    -------
    float
        Limit in the indicator's unit (a fraction for shares).
    """
    if target.kind != "reduction":
        return float(target.interim.get(year, target.value))
    if base_level is None or not math.isfinite(base_level) or base_level <= 0:
        raise TargetsError(
            f"target {target.target_id}: the base-year ({target.base_year}) {target.indicator} is unknown; "
            "load base-year data or adopt a max_level target instead"
        )
    assert target.base_year is not None and target.target_year is not None
    if year in target.interim:
        return base_level * (1.0 - target.interim[year])
    span = target.target_year - target.base_year
    t = min(max(year - target.base_year, 0), span) / span
    return float(base_level * (1.0 - target.value) ** t)


# ---------------------------------------------------------------------------------------------
# indicators from the ledger


def _check_columns(df: pd.DataFrame, cols: tuple[str, ...], what: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise TargetsError(f"{what} is missing columns {', '.join(missing)}")


def indicator_frame(
    ledger: pd.DataFrame,
    economics: pd.DataFrame,
    by: str | list[str] | None = None,
    grid_nonfossil_share: float = 0.0,
) -> pd.DataFrame:
    """Sum ledger and economics and compute every indicator, per group (or for the whole park).

    Parameters
    ----------
    ledger : DataFrame
        Accounting ledger (docs/architecture.md); may be pre-filtered to a period range.
    economics : DataFrame
        ``uscc, period, value_added, gross_output, value_added_constant`` [万元], same periods.
    by : str or list of str, optional
        ``"uscc"``, ``"sector_code"``, ``"period"`` …; ``None`` gives one row for the park.
    grid_nonfossil_share : float
        Non-fossil share of grid electricity [fraction] to count in the non-fossil share; 0 by
        default (only on-site PV and green power are counted — conservative).

    Returns
    -------
    DataFrame
        ``energy_tce, energy_equiv_tce, co2_t, value_added_constant, gross_output, electricity_kwh,
        renewable_kwh, nonfossil_equiv_tce`` and the indicators ``energy_intensity [tce/万元],
        carbon_intensity [tCO2/万元], energy_total, carbon_total, nonfossil_share,
        renewable_electricity_share``.

    Notes
    -----
    Non-fossil share = non-fossil energy / total energy, both at 等价值 (``energy_equiv_tce``), the
    coal-equivalent method statistics use for primary electricity. Renewable electricity share =
    (PV + green electricity) / electricity consumed, in kWh.
    """
    _check_columns(
        ledger,
        (
            "uscc",
            "sector_code",
            "period",
            "carrier",
            "quantity",
            "energy_tce",
            "energy_equiv_tce",
            "scope1_t",
            "scope2_location_t",
        ),
        "ledger",
    )
    _check_columns(economics, ("uscc", "period", "value_added_constant", "gross_output"), "economics")
    keys: list[str] = [] if by is None else ([by] if isinstance(by, str) else list(by))
    parts = share_parts(ledger, grid_nonfossil_share)
    led = ledger.assign(co2_t=parts["co2_t"], _elec_kwh=parts["electricity_kwh"], _ren_kwh=parts["renewable_kwh"],
                        _nonfossil_eq=parts["nonfossil_equiv_tce"], _green_kwh=parts["green_kwh"])

    agg_cols = {
        "energy_tce": ("energy_tce", "sum"),
        "energy_equiv_tce": ("energy_equiv_tce", "sum"),
        "co2_t": ("co2_t", "sum"),
        "electricity_kwh": ("_elec_kwh", "sum"),
        "renewable_kwh": ("_ren_kwh", "sum"),
        "nonfossil_equiv_tce": ("_nonfossil_eq", "sum"),
        "green_kwh": ("_green_kwh", "sum"),
    }
    if keys:
        en = led.groupby(keys, observed=True).agg(**agg_cols)  # type: ignore[call-overload]
    else:
        en = pd.DataFrame({k: [float(led[c].sum())] for k, (c, _) in agg_cols.items()})
    eco_keys = [k for k in keys if k in economics.columns]
    eco = economics
    if keys and len(eco_keys) < len(keys):
        # attach sector_code etc. from the ledger
        extra = [k for k in keys if k not in economics.columns]
        mapping = ledger[["uscc", *extra]].drop_duplicates("uscc")
        eco = economics.merge(mapping, on="uscc", how="left")
    if keys:
        ec = eco.groupby(keys, observed=True)[["value_added_constant", "gross_output"]].sum()
        out = en.join(ec, how="outer").fillna(0.0)
    else:
        out = en.assign(
            value_added_constant=float(eco["value_added_constant"].sum()),
            gross_output=float(eco["gross_output"].sum()),
        )
    va = out["value_added_constant"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["energy_intensity"] = np.where(va > 0, out["energy_tce"] / va, np.nan)
        out["carbon_intensity"] = np.where(va > 0, out["co2_t"] / va, np.nan)
        eq = out["energy_equiv_tce"].to_numpy(dtype=float)
        out["nonfossil_share"] = np.where(eq > 0, out["nonfossil_equiv_tce"] / eq, np.nan)
        el = out["electricity_kwh"].to_numpy(dtype=float)
        out["renewable_electricity_share"] = np.where(el > 0, out["renewable_kwh"] / el, np.nan)
        out["green_power_share"] = np.where(el > 0, out["green_kwh"] / el, np.nan)
    out["energy_total"] = out["energy_tce"]
    out["carbon_total"] = out["co2_t"]
    return out if keys else out.reset_index(drop=True)


def base_level_from_year(target: Target, ledger: pd.DataFrame, economics: pd.DataFrame) -> float | None:
    """A reduction target's base-year level from that year's ledger and economics, or None.

    Only a complete base year counts (all twelve months in the ledger); an enterprise or sector
    target takes its own rows. Returns None where the indicator is not a positive finite number.
    """
    if target.kind != "reduction" or ledger["period"].nunique() < 12:
        return None
    led, eco = ledger, economics
    if target.level == "enterprise":
        led, eco = led[led["uscc"] == target.subject], eco[eco["uscc"] == target.subject]
    elif target.level == "sector":
        led = led[led["sector_code"].astype(str).str.startswith(str(target.subject))]
        eco = eco[eco["uscc"].isin(set(led["uscc"]))]
    if len(led) == 0:
        return None
    v = float(indicator_frame(led, eco)[target.indicator].iloc[0])
    return v if math.isfinite(v) and v > 0 else None


def indicator_value(ledger: pd.DataFrame, economics: pd.DataFrame, indicator: str, **kw: float) -> float:
    """One indicator for the whole of the given frames (e.g. one enterprise's year)."""
    if indicator not in INDICATORS:
        raise TargetsError(f"unknown indicator {indicator!r}")
    return float(indicator_frame(ledger, economics, **kw)[indicator].iloc[0])  # type: ignore[arg-type]
