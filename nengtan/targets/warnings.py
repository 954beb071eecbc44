"""Early warning (预警): red / yellow / green status for budgets and targets, with reasons in words.

The plans ask for monitoring and warning of energy and carbon against targets (Jiangsu plan 三、…
重点用能单位能耗在线监测; Xushuguan plan 五(五) "核算其碳排放总量和产值强度…监测预警"; Yancheng plan
五(二) 能耗预警). nengtan computes, each month and for each enterprise budget, sector and park target:

* the year-to-date actual and the seasonal pro-rata path (:mod:`nengtan.targets.progress`);
* the year-end projection with a 90 % interval;
* the *pressure ratio* ``r`` — projection / limit for upper limits (budgets, caps, intensities),
  limit / projection for minimum shares — so that ``r ≥ 1`` always means the target is missed;
* the status from configurable thresholds (defaults, :class:`Thresholds`):

  ======  ======================================  ===========================================
  status  rule (defaults)                         meaning
  ======  ======================================  ===========================================
  red     ``r_low ≥ red_at`` (1.00)               projected to miss the limit even at the
                                                  favourable end of the 90 % interval
  yellow  ``r ≥ yellow_at`` (0.95)                within 5 % of the limit or projected over it
                                                  (but not surely), or YTD above the path by
                                                  ``ytd_yellow_at`` (1.10) or more
  green   otherwise                               on track
  grey    no projection possible                  missing data
  ======  ======================================  ===========================================

``r_low`` is the pressure ratio at the favourable end of the projection interval (``low / limit``;
for shares, which are not projected, ``r_low = r``). With ``red_on="central"`` red uses ``r`` itself
(the rule before the demo had history). Why ``low``: on a park whose enterprises' intensity falls
roughly as fast as the budget requires, about half of them sit a few per cent either side of their
allowance in any month; calling every projection 0.1 % over the line red made two thirds of the
demo park red in September while the full-year outcome of many of them was within the projection's
own uncertainty. Red now means "over even if the rest of the year goes well"; in December (σ = 0)
``r_low = r``. A boundary value belongs to the worse status (``r_low = 1.00`` is red, ``r = 0.95`` yellow).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nengtan.i18n import Both, label_table, pair
from nengtan.indicators import co2_headline
from nengtan.labels import CARRIERS, STATUSES
from nengtan.targets.allocation import elastic_allowance
from nengtan.targets.errors import TargetsError
from nengtan.targets.progress import (
    DEFAULT_SIGMA_FLOOR,
    DEFAULT_Z,
    Projection,
    history_cube,
    monthly_matrix,
    project_year_end,
    seasonal_profile,
)
from nengtan.targets.targets import (
    INDICATOR_UNITS,
    INDICATOR_ZH,
    Target,
    indicator_frame,
    required_level,
)

CARRIER_ZH = {c: zh for c, (zh, _) in CARRIERS.items()}
STATUS_ZH = {s: zh for s, (zh, _) in STATUSES.items()}
SEASONALITY = label_table("seasonality")
"""Where a projection's seasonal profile came from (own history, the sector's, calendar days)."""
PARK_BUDGET_ZH = pair("note.warning:park_budget")[1]
"""The park's carbon budget, named where a park target's warning names its indicator."""


def _word(table: dict[str, tuple[str, str]], code: str) -> Both:
    zh, en = table.get(code, (code, code))
    return Both(en, zh)


def _carrier(code: str) -> Both:
    """A carrier in a warning's reason: its code in English (as the API's driver_carrier), its name in Chinese."""
    return Both(code, CARRIER_ZH.get(code, code))


def _status(code: str) -> Both:
    return Both(code, STATUS_ZH[code])


def _joined(*parts: tuple[str, str] | None) -> tuple[str, str]:
    """A reason and its clauses, each (English, Chinese), joined in each language."""
    said = [p for p in parts if p is not None]
    return "".join(en for en, _ in said), "".join(zh for _, zh in said)


WARNING_COLUMNS = [
    "level",
    "subject",
    "name",
    "sector_code",
    "indicator",
    "year",
    "month",
    "ytd_actual",
    "ytd_path",
    "projection",
    "low",
    "high",
    "limit",
    "unit",
    "ratio",
    "status",
    "driver_carrier",
    "driver_enterprises",
    "reason_zh",
    "reason_en",
]


@dataclass(frozen=True)
class Thresholds:
    """Warning thresholds (defaults documented in docs/targets.md).

    Parameters
    ----------
    yellow_at : float
        Pressure ratio at and above which the status is yellow [-], default 0.95.
    red_at : float
        Pressure ratio at and above which the status is red [-], default 1.00.
    ytd_yellow_at : float
        Year-to-date actual / seasonal path at and above which a green becomes yellow [-], 1.10.
    band : float
        Elastic band of enterprise budgets [fraction], default 0.10.
    z : float
        Normal quantile of the projection interval [-], default 1.645 (90 %).
    sigma_floor : float
        Floor of the relative projection uncertainty for a full year ahead [fraction], 0.05.
    red_on : str
        ``low`` (default): red when the favourable end of the 90 % interval reaches ``red_at``;
        ``central``: red when the central projection does.
    """

    yellow_at: float = 0.95
    red_at: float = 1.00
    ytd_yellow_at: float = 1.10
    band: float = 0.10
    z: float = DEFAULT_Z
    sigma_floor: float = DEFAULT_SIGMA_FLOOR
    red_on: str = "low"

    def __post_init__(self) -> None:
        if self.red_on not in ("low", "central"):
            raise TargetsError(f"thresholds: red_on must be low or central, not {self.red_on!r}")
        if not 0 < self.yellow_at <= self.red_at:
            raise TargetsError(
                f"thresholds: need 0 < yellow_at <= red_at, got {self.yellow_at}, {self.red_at}"
            )
        if self.ytd_yellow_at <= 0 or self.band < 0:
            raise TargetsError("thresholds: ytd_yellow_at must be positive and band non-negative")


def classify(
    ratio: np.ndarray,
    ytd_ratio: np.ndarray | None = None,
    th: Thresholds | None = None,
    red_ratio: np.ndarray | None = None,
) -> np.ndarray:
    """Status per pressure ratio: ``red`` if the red ratio ≥ red_at, ``yellow`` if r ≥ yellow_at (or
    r ≥ red_at) or the YTD ratio ≥ ytd_yellow_at, ``grey`` if r is NaN, else ``green``.

    ``red_ratio`` is the ratio at the favourable end of the interval (used when ``th.red_on`` is
    ``low``); without it, or with ``red_on="central"``, red uses ``ratio``.
    """
    th = th or Thresholds()
    r = np.asarray(ratio, dtype=float)
    rr = r if red_ratio is None or th.red_on == "central" else np.asarray(red_ratio, dtype=float)
    y = (
        np.zeros(r.shape, dtype=bool)
        if ytd_ratio is None
        else np.asarray(ytd_ratio, dtype=float) >= th.ytd_yellow_at
    )
    out = np.where(rr >= th.red_at, "red", np.where((r >= th.yellow_at) | y, "yellow", "green"))
    return np.where(np.isnan(r), "grey", out).astype(object)


def _period_filter(frame: pd.DataFrame, year: int, month: int) -> pd.DataFrame:
    p = frame["period"].astype(str)
    return frame[(p.str.slice(0, 4) == str(year)) & (p.str.slice(5, 7).astype(int) <= month)]


def _history_years(frame: pd.DataFrame | None, year: int) -> list[int]:
    if frame is None or len(frame) == 0:
        return []
    ys = sorted({int(p[:4]) for p in frame["period"].astype(str).unique()})
    return [y for y in ys if y < year]


def _fmt(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.2f}" if abs(x) >= 1 else f"{x:.4f}"


def enterprise_budget_warnings(
    ledger: pd.DataFrame,
    economics: pd.DataFrame,
    allocation: pd.DataFrame,
    year: int,
    month: int,
    history_ledger: pd.DataFrame | None = None,
    history_economics: pd.DataFrame | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Budget status of every enterprise with an allocation, for the year to ``month``.

    Parameters
    ----------
    ledger, economics : DataFrame
        This year's ledger and economics (rows after ``month`` are ignored).
    allocation : DataFrame
        ``uscc, enterprise, sector_code, allocated_t [tCO2], intensity [tCO2/万元]``.
    year, month : int
    history_ledger, history_economics : DataFrame, optional
        Earlier years, for the seasonal profiles and the year-on-year carrier driver.
    thresholds : Thresholds, optional

    Returns
    -------
    DataFrame with :data:`WARNING_COLUMNS`, level ``enterprise``, indicator ``carbon_budget``.
    """
    th = thresholds or Thresholds()
    if not 1 <= month <= 12:
        raise TargetsError(f"month must be 1..12, got {month}")
    keys = allocation["uscc"].astype(str).tolist()
    sectors = allocation["sector_code"].astype(str).to_numpy()
    led = _period_filter(ledger, year, month)
    led = led.assign(co2_t=co2_headline(led))
    _, cur = monthly_matrix(led, "co2_t", year, keys=keys)
    ytd = cur[:, :month].sum(axis=1)
    hy = _history_years(history_ledger, year)
    if hy and history_ledger is not None:
        hl = history_ledger.assign(co2_t=co2_headline(history_ledger))
        hist = history_cube(hl, "co2_t", hy, keys)
    else:
        hl = None
        hist = np.zeros((len(keys), 0, 12))
    prof, psrc = seasonal_profile(hist, year, groups=sectors)
    pr = project_year_end(ytd, month, prof, hist, z=th.z, sigma_floor=th.sigma_floor)

    # value added: project with its own seasonal profile (calendar fallback)
    eco = _period_filter(economics, year, month)
    _, va_m = monthly_matrix(eco, "value_added_constant", year, keys=keys)
    hey = _history_years(history_economics, year)
    va_hist = (
        history_cube(history_economics, "value_added_constant", hey, keys)
        if hey and history_economics is not None
        else np.zeros((len(keys), 0, 12))
    )
    va_prof, _ = seasonal_profile(va_hist, year, groups=sectors)
    va_pr = project_year_end(va_m[:, :month].sum(axis=1), month, va_prof, None, sigma_floor=0.0)

    allocated = allocation["allocated_t"].to_numpy(dtype=float)
    intensity = (
        allocation["intensity"].to_numpy(dtype=float)
        if "intensity" in allocation.columns
        else np.full(len(keys), np.nan)
    )
    va_known = va_pr.central > 0
    limit = elastic_allowance(allocated, np.where(va_known, intensity, np.nan), va_pr.central, th.band)
    path = limit * pr.cumulative_share
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(limit > 0, pr.central / limit, np.where(pr.central > 0, np.inf, np.nan))
        ratio_low = np.where(limit > 0, pr.low / limit, np.where(pr.low > 0, np.inf, np.nan))
        ytd_ratio = np.where(path > 0, ytd / path, np.nan)
    status = classify(ratio, ytd_ratio, th, red_ratio=ratio_low)

    # driver carrier: largest year-on-year increase of YTD CO2 by carrier, else largest share
    carriers = sorted(led["carrier"].astype(str).unique()) if len(led) else []
    if carriers:
        cm = (
            led.pivot_table(
                index="uscc", columns="carrier", values="co2_t", aggfunc="sum", fill_value=0.0, observed=True
            )
            .reindex(index=keys, columns=carriers, fill_value=0.0)
            .to_numpy()
        )
        driver_val = cm.copy()
        yoy = False
        if hl is not None and hy:
            prev = _period_filter(hl, hy[-1], month)
            if len(prev):
                pm = (
                    prev.pivot_table(
                        index="uscc",
                        columns="carrier",
                        values="co2_t",
                        aggfunc="sum",
                        fill_value=0.0,
                        observed=True,
                    )
                    .reindex(index=keys, columns=carriers, fill_value=0.0)
                    .to_numpy()
                )
                driver_val = cm - pm
                yoy = True
        di = np.argmax(driver_val, axis=1)
        carr = np.array(carriers, dtype=object)[di]
        tot = cm.sum(axis=1)
        share = np.where(tot > 0, cm[np.arange(len(keys)), di] / np.where(tot > 0, tot, 1.0), 0.0)
        dval = driver_val[np.arange(len(keys)), di]
    else:
        carr = np.full(len(keys), "", dtype=object)
        share = np.zeros(len(keys))
        dval = np.zeros(len(keys))
        yoy = False

    names = (
        allocation["enterprise"].astype(str).to_numpy()
        if "enterprise" in allocation.columns
        else np.array(keys, dtype=object)
    )
    reason_zh, reason_en = [], []
    for i in range(len(keys)):
        st = status[i]
        c = str(carr[i])
        if st == "grey":
            en, zh = pair("note.warning:no_budget")
        else:
            driver = (pair("note.warning:driver_yoy", carrier=_carrier(c), t=_fmt(dval[i])) if yoy and dval[i] > 0
                      else pair("note.warning:largest_source", carrier=_carrier(c), share=share[i]) if c
                      else ("", ""))
            en, zh = pair("note.warning:enterprise", status=_status(st), central=_fmt(pr.central[i]),
                          low=_fmt(pr.low[i]), high=_fmt(pr.high[i]), ratio=ratio[i], limit=_fmt(limit[i]), month=month,
                          ytd=_fmt(ytd[i]), path=_fmt(path[i]), seasonality=_word(SEASONALITY, psrc[i]),
                          driver=Both(*driver))
        reason_en.append(en)
        reason_zh.append(zh)
    return pd.DataFrame(
        {
            "level": "enterprise",
            "subject": keys,
            "name": names,
            "sector_code": sectors,
            "indicator": "carbon_budget",
            "year": year,
            "month": month,
            "ytd_actual": ytd,
            "ytd_path": path,
            "projection": pr.central,
            "low": pr.low,
            "high": pr.high,
            "limit": limit,
            "unit": "tCO2",
            "ratio": ratio,
            "status": status,
            "driver_carrier": carr,
            "driver_enterprises": "",
            "reason_zh": reason_zh,
            "reason_en": reason_en,
        }
    )[WARNING_COLUMNS]


def _top_drivers(ent: pd.DataFrame, n: int = 3) -> tuple[str, str]:
    """Enterprises that push the aggregate most: largest projection − limit."""
    over = (ent["projection"] - ent["limit"]).to_numpy(dtype=float)
    order = np.argsort(-over, kind="stable")[:n]
    picks = [i for i in order if over[i] > 0]
    said = [pair("note.warning:over", who=Both(ent["subject"].iloc[i], ent["name"].iloc[i]), t=_fmt(over[i]))
            for i in picks]
    return "、".join(zh for _, zh in said), ", ".join(en for en, _ in said)


def sector_budget_warnings(ent: pd.DataFrame, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """Sector rows: sums of the enterprise budget rows (limits, paths, projections, intervals)."""
    th = thresholds or Thresholds()
    rows = []
    for sec, g in ent.groupby("sector_code", observed=True):
        lim = float(g["limit"].sum())
        proj = float(g["projection"].sum())
        path = float(g["ytd_path"].sum())
        ytd = float(g["ytd_actual"].sum())
        r = proj / lim if lim > 0 else np.nan
        r_low = float(g["low"].sum()) / lim if lim > 0 else np.nan
        st = str(
            classify(np.array([r]), np.array([ytd / path if path > 0 else np.nan]), th, np.array([r_low]))[0]
        )
        zh, en = _top_drivers(g)
        car = g["driver_carrier"].mode()
        c = str(car.iloc[0]) if len(car) else ""
        said = _joined(pair("note.warning:sector", status=_status(st), projection=_fmt(proj), limit=_fmt(lim), ratio=r),
                       pair("note.warning:enterprises", who=Both(en, zh)) if zh else None,
                       pair("note.warning:common_driver", carrier=_carrier(c)) if c else None)
        rows.append(
            {
                "level": "sector",
                "subject": str(sec),
                "name": str(sec),
                "sector_code": str(sec),
                "indicator": "carbon_budget",
                "year": int(g["year"].iloc[0]),
                "month": int(g["month"].iloc[0]),
                "ytd_actual": ytd,
                "ytd_path": path,
                "projection": proj,
                "low": float(g["low"].sum()),
                "high": float(g["high"].sum()),
                "limit": lim,
                "unit": "tCO2",
                "ratio": r,
                "status": st,
                "driver_carrier": c,
                "driver_enterprises": en,
                "reason_zh": said[1],
                "reason_en": said[0],
            }
        )
    return pd.DataFrame(rows, columns=WARNING_COLUMNS)


def park_target_warnings(
    targets: list[Target],
    ledger: pd.DataFrame,
    economics: pd.DataFrame,
    year: int,
    month: int,
    ent_rows: pd.DataFrame | None = None,
    base_levels: dict[str, float] | None = None,
    history_ledger: pd.DataFrame | None = None,
    history_economics: pd.DataFrame | None = None,
    park_budget_t: float | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Status of each park target and of the park budget.

    Totals are projected with the park's own seasonal profile; intensities as projected total /
    projected value added; shares by their year-to-date value. ``base_levels`` maps a target id (or,
    for all targets of it, an indicator) → the park's base-year level (for ``reduction`` targets).
    """
    th = thresholds or Thresholds()
    led = _period_filter(ledger, year, month).assign(park="park")
    eco = _period_filter(economics, year, month).assign(park="park")
    hl = history_ledger.assign(park="park") if history_ledger is not None else None
    he = history_economics.assign(park="park") if history_economics is not None else None
    hy = _history_years(hl, year)
    hey = _history_years(he, year)

    def proj(frame: pd.DataFrame, hframe: pd.DataFrame | None, years: list[int], col: str) -> Projection:
        _, m = monthly_matrix(frame, col, year, key="park", keys=["park"])
        hist = (
            history_cube(hframe, col, years, ["park"], key="park")
            if hframe is not None and years
            else np.zeros((1, 0, 12))
        )
        prof, _ = seasonal_profile(hist, year)
        p = project_year_end(m[:, :month].sum(axis=1), month, prof, hist, z=th.z, sigma_floor=th.sigma_floor)
        return p

    led = led.assign(co2_t=co2_headline(led))
    hl2 = hl.assign(co2_t=co2_headline(hl)) if hl is not None else None
    p_co2 = proj(led, hl2, hy, "co2_t")
    p_en = proj(led, hl2, hy, "energy_tce")
    p_va = proj(eco, he, hey, "value_added_constant")
    ytd_ind = indicator_frame(led, eco).iloc[0]
    drivers_zh, drivers_en = _top_drivers(ent_rows) if ent_rows is not None and len(ent_rows) else ("", "")
    # park carrier driver: largest YoY YTD increase of CO2
    c_now = led.groupby("carrier", observed=True)["co2_t"].sum()
    drv = ""
    if hl2 is not None and hy:
        c_prev = _period_filter(hl2, hy[-1], month).groupby("carrier", observed=True)["co2_t"].sum()
        d = c_now.sub(c_prev, fill_value=0.0)
        if len(d) and float(d.max()) > 0:
            drv = str(d.idxmax())
    if not drv and len(c_now):
        drv = str(c_now.idxmax())

    rows = []
    items: list[tuple[str, str, float, float, float, float, float, float]] = []
    # (id, indicator, ytd, path, central, low, high, limit)
    if park_budget_t is not None:
        lim = float(park_budget_t)
        items.append(
            (
                "park-budget",
                "carbon_budget",
                float(p_co2.ytd[0]),
                lim * float(p_co2.cumulative_share[0]),
                float(p_co2.central[0]),
                float(p_co2.low[0]),
                float(p_co2.high[0]),
                lim,
            )
        )
    for t in targets:
        ind = t.indicator
        try:
            bl = base_levels or {}
            lim = required_level(t, year, bl.get(t.target_id, bl.get(ind)))
        except TargetsError:
            lim = float("nan")
        if ind in ("carbon_total", "energy_total"):
            p = p_co2 if ind == "carbon_total" else p_en
            items.append(
                (
                    t.target_id,
                    ind,
                    float(p.ytd[0]),
                    lim * float(p.cumulative_share[0]),
                    float(p.central[0]),
                    float(p.low[0]),
                    float(p.high[0]),
                    lim,
                )
            )
        elif ind in ("carbon_intensity", "energy_intensity"):
            p = p_co2 if ind == "carbon_intensity" else p_en
            va = float(p_va.central[0])
            c = float(p.central[0]) / va if va > 0 else np.nan
            items.append(
                (
                    t.target_id,
                    ind,
                    float(ytd_ind[ind]),
                    lim,
                    c,
                    float(p.low[0]) / va if va > 0 else np.nan,
                    float(p.high[0]) / va if va > 0 else np.nan,
                    lim,
                )
            )
        else:
            v = float(ytd_ind[ind])
            items.append((t.target_id, ind, v, lim, v, v, v, lim))
    for tid, ind, ytd, path, c, lo, hi, lim in items:
        is_min = ind in ("nonfossil_share", "renewable_electricity_share", "green_power_share")
        with np.errstate(divide="ignore", invalid="ignore"):
            r = (lim / c if c > 0 else np.inf) if is_min else (c / lim if lim > 0 else np.nan)
            r_low = r if is_min else (lo / lim if lim > 0 else np.nan)
        if not np.isfinite(lim):
            r = r_low = np.nan
        ytd_r = None if is_min or ind.endswith("intensity") else (ytd / path if path > 0 else np.nan)
        st = str(
            classify(np.array([r]), None if ytd_r is None else np.array([ytd_r]), th, np.array([r_low]))[0]
        )
        unit = "tCO2" if ind == "carbon_budget" else INDICATOR_UNITS[ind]
        name_zh = PARK_BUDGET_ZH if ind == "carbon_budget" else INDICATOR_ZH[ind]
        subject = Both(ind, name_zh)
        if st == "grey":
            en, zh = pair("note.warning:park_no_data", indicator=subject)
        else:
            en, zh = _joined(
                pair("note.warning:park_share", status=_status(st), indicator=subject, month=month, value=c, limit=lim)
                if is_min else
                pair("note.warning:park_projection", status=_status(st), indicator=subject, central=_fmt(c), unit=unit,
                     low=_fmt(lo), high=_fmt(hi), limit=_fmt(lim), ratio=r),
                pair("note.warning:driving_carrier", carrier=_carrier(drv)) if drv and st != "green" else None,
                pair("note.warning:enterprises", who=Both(drivers_en, drivers_zh))
                if drivers_zh and st != "green" else None)
        rows.append(
            {
                "level": "park",
                "subject": tid,
                "name": name_zh,
                "sector_code": "",
                "indicator": ind,
                "year": year,
                "month": month,
                "ytd_actual": ytd,
                "ytd_path": path,
                "projection": c,
                "low": lo,
                "high": hi,
                "limit": lim,
                "unit": unit,
                "ratio": r,
                "status": st,
                "driver_carrier": drv,
                "driver_enterprises": drivers_en,
                "reason_zh": zh,
                "reason_en": en,
            }
        )
    return pd.DataFrame(rows, columns=WARNING_COLUMNS)


def run_warnings(
    ledger: pd.DataFrame,
    economics: pd.DataFrame,
    year: int,
    month: int,
    allocation: pd.DataFrame | None = None,
    targets: list[Target] | None = None,
    base_levels: dict[str, float] | None = None,
    history_ledger: pd.DataFrame | None = None,
    history_economics: pd.DataFrame | None = None,
    park_budget_t: float | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """The monthly warning run: park, sector and enterprise rows in one frame (all statuses)."""
    parts = []
    ent = None
    if allocation is not None and len(allocation):
        ent = enterprise_budget_warnings(
            ledger, economics, allocation, year, month, history_ledger, history_economics, thresholds
        )
    parts.append(
        park_target_warnings(
            targets or [],
            ledger,
            economics,
            year,
            month,
            ent,
            base_levels,
            history_ledger,
            history_economics,
            park_budget_t,
            thresholds,
        )
    )
    if ent is not None:
        parts.append(sector_budget_warnings(ent, thresholds))
        parts.append(ent)
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=WARNING_COLUMNS)
    return pd.concat(parts, ignore_index=True)


def warnings_list(frame: pd.DataFrame) -> pd.DataFrame:
    """Only the rows that warn (red first, then yellow; largest ratio first)."""
    w = frame[frame["status"].isin(["red", "yellow"])].copy()
    w["_o"] = w["status"].map({"red": 0, "yellow": 1})
    return w.sort_values(["_o", "ratio"], ascending=[True, False]).drop(columns="_o").reset_index(drop=True)
