"""Carbon-budget allocation (碳排放预算分解) to enterprises and sectors.

The Jiangning plan (五、（二）) asks for an annual carbon budget per sector "以碳强度约束性目标为主、碳排放
总量弹性目标为辅": the binding part is the intensity, the total is elastic. nengtan therefore allocates
tonnes for planning (they sum to the park budget exactly) and records with each allocation the implied
intensity [tCO2/万元]; at year end the allowance follows actual output within a band
(:func:`elastic_allowance`).

Methods
-------
``grandfather``
    weight = base-period emissions [tCO2] (mean of the base years).
``benchmark``
    weight = sector benchmark intensity [tCO2/万元] × expected value added [万元].
``hybrid``
    weight share = α × grandfather share + (1 − α) × benchmark share (α ∈ [0, 1], default 0.5).
    With ``benchmark_scope="sector"`` (the default) this mix is applied *within* each sector and the
    sectors' totals follow their base-period emissions (the plan's budget "by sector" first): the
    benchmark then rewards enterprises cleaner than their sector's benchmark without moving tonnes
    between sectors on the strength of benchmark levels that are not comparable across sectors (the
    shipped ones are placeholders, and the park default 0.6 tCO2/万元 for offices and logistics is 50–100×
    what they emit: on the demo park the park-wide mix handed 13 % of the budget to sectors emitting 3 %).
    ``benchmark_scope="park"`` mixes the shares across the whole park.

Exact conservation
------------------
Tonnes are allocated in integer units of ``unit`` [t] (default 0.01 t) with Jefferson's divisor
method (D'Hondt): ``a_i = floor(B·w_i/W)`` and the remaining units one at a time to the largest
``w_i/(a_i+1)``. The units sum to the budget exactly; divisor methods are house-monotone (a larger
budget never lowers anyone's allocation — no Alabama paradox) and population-monotone (a larger
weight never lowers one's own allocation) [1]_.

Entrants and leavers (documented rule)
--------------------------------------
* A reserve (default 5 % of the budget) is held back for the year.
* An enterprise that *enters* in month ``m`` (first month of activity) receives
  ``benchmark × expected value added × (13 − m)/12`` from the reserve; if the reserve is short it
  receives what is left and the allocation is flagged ``reserve_exhausted`` for the park to revise.
* An enterprise that *leaves* after month ``m`` (last month of activity) keeps the share of its
  allocation its own seasonal profile assigns to months 1..m (``m/12`` without history); the rest
  returns to the reserve.
Each change produces a new version; the sum (enterprises + reserve) stays equal to the budget.

References
----------
.. [1] Balinski, M. L. and Young, H. P. (2001) *Fair Representation*, 2nd ed., Brookings — divisor
       methods, house monotonicity and population monotonicity.
.. [2] 国家碳达峰试点（南京江宁经济技术开发区）实施方案, 五、（二）推动建立碳排放预算制度管理体系.
"""

from __future__ import annotations

import csv
import heapq
import math
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import resources
from typing import Literal

import numpy as np
import pandas as pd

from nengtan.targets.errors import TargetsError

Method = Literal["grandfather", "benchmark", "hybrid"]
METHODS: tuple[str, ...] = ("grandfather", "benchmark", "hybrid")
RESERVE = "RESERVE"


# ---------------------------------------------------------------------------------------------
# benchmarks (data with sources)


@dataclass(frozen=True)
class Benchmark:
    """Sector benchmark [tCO2/万元 value added, tCO2/万元 gross output, tce/万元 value added]."""

    sector_prefix: str
    sector_name: str
    co2_per_value_added: float
    co2_per_gross_output: float
    energy_per_value_added: float
    document: str
    clause: str
    status: str
    note: str = ""
    sector_name_en: str = ""
    document_en: str = ""
    """The sector's and the document's English (a park-edited file without them: the Chinese in both)."""


def load_benchmarks(path: str | None = None) -> list[Benchmark]:
    """Load sector benchmarks: the package table, or a park-edited CSV with the same columns."""
    if path is None:
        fh = (
            resources.files("nengtan.targets")
            .joinpath("data/sector_benchmarks.csv")
            .open("r", encoding="utf-8")
        )
    else:
        try:
            fh = open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise TargetsError(f"cannot read benchmark file {path}: {exc.strerror}") from exc
    with fh:
        rows = list(csv.DictReader(fh))
    out = []
    for i, r in enumerate(rows, start=2):
        try:
            out.append(
                Benchmark(
                    sector_prefix=r["sector_prefix"].strip(),
                    sector_name=r["sector_name"],
                    co2_per_value_added=float(r["co2_per_value_added"]),
                    co2_per_gross_output=float(r["co2_per_gross_output"]),
                    energy_per_value_added=float(r["energy_per_value_added"]),
                    document=r["document"],
                    clause=r["clause"],
                    status=r["status"],
                    note=r.get("note", ""),
                    sector_name_en=r.get("sector_name_en") or r["sector_name"],
                    document_en=r.get("document_en") or r["document"],
                )
            )
        except (KeyError, ValueError) as exc:
            raise TargetsError(f"benchmark file line {i}: bad or missing value ({exc})") from exc
    return out


def benchmark_for(sector_code: str, benchmarks: list[Benchmark]) -> Benchmark:
    """The benchmark with the longest sector-code prefix matching ``sector_code`` (``*`` = default)."""
    best: Benchmark | None = None
    for b in benchmarks:
        if b.sector_prefix == "*":
            if best is None:
                best = b
            continue
        if str(sector_code).startswith(b.sector_prefix) and (
            best is None or best.sector_prefix == "*" or len(b.sector_prefix) > len(best.sector_prefix)
        ):
            best = b
    if best is None:
        raise TargetsError(
            f"no benchmark for sector {sector_code} and no '*' default row in the benchmark table"
        )
    return best


# ---------------------------------------------------------------------------------------------
# apportionment


def apportion(total_units: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total_units`` integer units in proportion to ``weights`` (Jefferson / D'Hondt).

    Parameters
    ----------
    total_units : int
        Units to hand out [count].
    weights : ndarray
        Non-negative weights [any unit]; at least one positive when ``total_units > 0``.

    Returns
    -------
    ndarray of int64
        Units per weight; sums to ``total_units`` exactly. Zero weight gets zero. Ties in priority go
        to the lower index.
    """
    w = np.asarray(weights, dtype=float)
    if total_units < 0:
        raise TargetsError("the budget must not be negative")
    if np.any(~np.isfinite(w)) or np.any(w < 0):
        raise TargetsError("allocation weights must be finite and non-negative")
    W = float(w.sum())
    if total_units == 0:
        return np.zeros(len(w), dtype=np.int64)
    if W <= 0:
        raise TargetsError("every allocation weight is zero: nothing to allocate against")
    a = np.floor(total_units * (w / W)).astype(np.int64)
    a = np.minimum(a, total_units)
    left = int(total_units - int(a.sum()))
    while left < 0:  # floating rounding overshoot (extremely rare): take back from lowest priority
        pri = np.where(a > 0, w / np.maximum(a, 1), np.inf)
        j = int(np.argmin(pri))
        a[j] -= 1
        left += 1
    if left:
        heap = [(-(w[i] / (a[i] + 1)), i) for i in np.flatnonzero(w > 0)]
        heapq.heapify(heap)
        for _ in range(left):
            _, i = heapq.heappop(heap)
            a[i] += 1
            heapq.heappush(heap, (-(w[i] / (a[i] + 1)), i))
    return a


# ---------------------------------------------------------------------------------------------
# allocation


@dataclass(frozen=True)
class Allocation:
    """A versioned allocation of one year's park budget.

    ``table`` has one row per enterprise: ``uscc, enterprise, sector_code, weight, allocated_units,
    allocated_t [tCO2], expected_value_added [万元], intensity [tCO2/万元], status`` (``active``,
    ``entered``, ``left``). ``reserve_units`` are held by the park; enterprises + reserve = budget.
    """

    year: int
    budget_units: int
    unit: float
    method: str
    table: pd.DataFrame
    reserve_units: int
    version: int = 1
    approved_by: str = ""
    approved_at: str = ""
    parameters: dict[str, float | str] = field(default_factory=dict)
    history: tuple[str, ...] = ()

    @property
    def budget_t(self) -> float:
        """Park budget [tCO2]."""
        return self.budget_units * self.unit

    @property
    def reserve_t(self) -> float:
        """Unallocated reserve [tCO2]."""
        return self.reserve_units * self.unit

    def check(self) -> None:
        """Raise if enterprises + reserve do not equal the budget exactly (integer units)."""
        total = int(self.table["allocated_units"].sum()) + self.reserve_units
        if total != self.budget_units:
            raise TargetsError(
                f"allocation v{self.version} does not conserve the budget: {total} != {self.budget_units}"
            )

    def by_sector(self) -> pd.DataFrame:
        """Sector totals (sum of enterprise allocations), in tCO2 and units."""
        g = self.table.groupby("sector_code", observed=True)
        return pd.DataFrame(
            {
                "enterprises": g.size(),
                "allocated_units": g["allocated_units"].sum(),
                "allocated_t": g["allocated_units"].sum() * self.unit,
                "expected_value_added": g["expected_value_added"].sum(),
            }
        ).reset_index()


def _shares(v: np.ndarray) -> np.ndarray:
    tot = float(v.sum())
    return v / tot if tot > 0 else np.zeros_like(v)


def allocation_weights(
    enterprises: pd.DataFrame, method: str, alpha: float = 0.5, benchmark_scope: str = "sector"
) -> np.ndarray:
    """Weights of each enterprise for ``method``.

    Parameters
    ----------
    enterprises : DataFrame
        ``base_emissions`` [tCO2] (grandfather, hybrid), ``expected_value_added`` [万元] and
        ``benchmark`` [tCO2/万元] (benchmark, hybrid).
    method : str
        ``grandfather``, ``benchmark`` or ``hybrid``.
    alpha : float
        Weight of grandfathering in the hybrid [fraction].
    benchmark_scope : str
        Hybrid only: ``sector`` (mix within each sector; sector totals by base emissions, a sector
        without base emissions by its benchmark share) or ``park`` (mix across the park).
    """
    if method not in METHODS:
        raise TargetsError(f"unknown allocation method {method!r}; use grandfather, benchmark or hybrid")
    if not 0.0 <= alpha <= 1.0:
        raise TargetsError(f"hybrid alpha must be between 0 and 1, got {alpha}")

    def col(name: str) -> np.ndarray:
        if name not in enterprises.columns:
            raise TargetsError(f"method {method} needs column {name!r} in the enterprise table")
        v = enterprises[name].to_numpy(dtype=float)
        if np.any(~np.isfinite(v)) or np.any(v < 0):
            raise TargetsError(f"column {name!r} must be finite and non-negative for every enterprise")
        return v

    if method == "grandfather":
        return col("base_emissions")
    bm = col("benchmark") * col("expected_value_added")
    if method == "benchmark":
        return bm
    if benchmark_scope not in ("sector", "park"):
        raise TargetsError(
            f"benchmark scope must be sector or park, not {benchmark_scope!r}"
        )
    gf = col("base_emissions")
    if benchmark_scope == "park":
        return _mix(gf, bm, alpha)
    sectors = enterprises["sector_code"].astype(str).to_numpy()
    gfs, bms = _shares(gf), _shares(bm)
    out = np.zeros(len(gf))
    for sec in np.unique(sectors):
        m = sectors == sec
        total = float(gfs[m].sum()) if gf.sum() > 0 else float(bms[m].sum())
        out[m] = total * _mix(gf[m], bm[m], alpha)
    if out.sum() <= 0:  # every sector without base emissions and benchmark weight: park-wide mix
        return _mix(gf, bm, alpha)
    return out


def _mix(gf: np.ndarray, bm: np.ndarray, alpha: float) -> np.ndarray:
    """α × grandfather share + (1 − α) × benchmark share (a side with no weight drops out)."""
    if gf.sum() <= 0:
        alpha = 0.0
    if bm.sum() <= 0:
        alpha = 1.0
    return alpha * _shares(gf) + (1.0 - alpha) * _shares(bm)


def allocate(
    budget_t: float,
    enterprises: pd.DataFrame,
    method: str,
    year: int,
    alpha: float = 0.5,
    reserve_share: float = 0.05,
    unit: float = 0.01,
    approved_by: str = "",
    version: int = 1,
    approved_at: str | None = None,
    benchmark_scope: str = "sector",
) -> Allocation:
    """Allocate a park's annual carbon budget to enterprises.

    Parameters
    ----------
    budget_t : float
        Park budget for ``year`` [tCO2]; rounded to whole ``unit``.
    enterprises : DataFrame
        ``uscc, enterprise, sector_code`` and the columns :func:`allocation_weights` needs.
    method : str
        ``grandfather`` | ``benchmark`` | ``hybrid``.
    year : int
    alpha : float
        Hybrid weight of grandfathering [fraction].
    reserve_share : float
        Share of the budget held back for entrants [fraction], default 0.05.
    unit : float
        Allocation unit [tCO2], default 0.01.
    approved_by : str
        Name of the approving officer (recorded with the version).
    benchmark_scope : str
        Hybrid: mix grandfather and benchmark shares within each ``sector`` (default) or across
        the ``park`` (:func:`allocation_weights`).

    Returns
    -------
    Allocation
    """
    if not math.isfinite(budget_t) or budget_t < 0:
        raise TargetsError(f"the park budget must be a non-negative number of tonnes, got {budget_t}")
    if not 0.0 <= reserve_share < 1.0:
        raise TargetsError(f"reserve share must be in [0, 1), got {reserve_share}")
    if len(enterprises) == 0:
        raise TargetsError("no enterprises to allocate to")
    if enterprises["uscc"].duplicated().any():
        raise TargetsError("the enterprise table lists an enterprise twice")
    budget_units = round(budget_t / unit)
    reserve_units = round(budget_units * reserve_share)
    w = allocation_weights(enterprises, method, alpha, benchmark_scope)
    units = apportion(budget_units - reserve_units, w)
    va = (
        enterprises["expected_value_added"].to_numpy(dtype=float)
        if "expected_value_added" in enterprises.columns
        else np.full(len(enterprises), np.nan)
    )
    tab = pd.DataFrame(
        {
            "uscc": enterprises["uscc"].astype(str).to_numpy(),
            "enterprise": (
                enterprises["enterprise"].astype(str).to_numpy()
                if "enterprise" in enterprises.columns
                else enterprises["uscc"].astype(str).to_numpy()
            ),
            "sector_code": enterprises["sector_code"].astype(str).to_numpy(),
            "weight": w,
            "allocated_units": units,
            "allocated_t": units * unit,
            "expected_value_added": va,
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        tab["intensity"] = np.where(va > 0, units * unit / va, np.nan)
    tab["status"] = "active"
    params: dict[str, float | str] = {"reserve_share": reserve_share, "unit": unit}
    if method == "hybrid":
        params["alpha"] = alpha
        params["benchmark_scope"] = benchmark_scope
    alloc = Allocation(
        year=year,
        budget_units=budget_units,
        unit=unit,
        method=method,
        table=tab,
        reserve_units=reserve_units,
        version=version,
        approved_by=approved_by,
        approved_at=approved_at or datetime.now(UTC).isoformat(timespec="seconds"),
        parameters=params,
        history=(f"v{version}: {method} allocation of {budget_units * unit:.2f} t",),
    )
    alloc.check()
    return alloc


def admit_entrant(
    alloc: Allocation,
    uscc: str,
    sector_code: str,
    expected_value_added: float,
    benchmark: float,
    month: int,
    approved_by: str,
    enterprise: str = "",
) -> Allocation:
    """New version with an enterprise entering in ``month`` (1–12), funded from the reserve.

    Allocation = ``benchmark [tCO2/万元] × expected_value_added [万元, full year] × (13 − month)/12``,
    capped by the reserve (then the version is flagged ``reserve_exhausted``).
    """
    if not 1 <= month <= 12:
        raise TargetsError(f"entry month must be 1..12, got {month}")
    if (alloc.table["uscc"] == uscc).any():
        raise TargetsError(f"enterprise {uscc} already has an allocation in {alloc.year}")
    want = round(benchmark * expected_value_added * (13 - month) / 12 / alloc.unit)
    give = min(want, alloc.reserve_units)
    status = "entered" if give == want else "entered (reserve_exhausted)"
    row = pd.DataFrame(
        [
            {
                "uscc": uscc,
                "enterprise": enterprise or uscc,
                "sector_code": sector_code,
                "weight": 0.0,
                "allocated_units": give,
                "allocated_t": give * alloc.unit,
                "expected_value_added": expected_value_added * (13 - month) / 12,
                "intensity": (give * alloc.unit / (expected_value_added * (13 - month) / 12))
                if expected_value_added > 0
                else np.nan,
                "status": status,
            }
        ]
    )
    tab = pd.concat([alloc.table, row], ignore_index=True)
    new = replace(
        alloc,
        table=tab,
        reserve_units=alloc.reserve_units - give,
        version=alloc.version + 1,
        approved_by=approved_by,
        approved_at=datetime.now(UTC).isoformat(timespec="seconds"),
        history=(
            *alloc.history,
            f"v{alloc.version + 1}: {uscc} entered in month {month}, "
            f"{give * alloc.unit:.2f} t from reserve" + ("" if give == want else " (reserve exhausted)"),
        ),
    )
    new.check()
    return new


def release_leaver(
    alloc: Allocation,
    uscc: str,
    last_month: int,
    approved_by: str,
    cumulative_share: float | None = None,
) -> Allocation:
    """New version with an enterprise that left after ``last_month`` (1–12).

    It keeps ``cumulative_share`` of its allocation (its own seasonal share of months 1..last_month;
    ``last_month/12`` if not given); the rest returns to the reserve.
    """
    if not 1 <= last_month <= 12:
        raise TargetsError(f"last month must be 1..12, got {last_month}")
    idx = np.flatnonzero(alloc.table["uscc"].to_numpy() == uscc)
    if len(idx) == 0:
        raise TargetsError(f"enterprise {uscc} has no allocation in {alloc.year}")
    share = last_month / 12 if cumulative_share is None else float(cumulative_share)
    if not 0.0 <= share <= 1.0:
        raise TargetsError(f"cumulative share must be in [0, 1], got {share}")
    tab = alloc.table.copy()
    i = int(idx[0])
    had = int(tab["allocated_units"].to_numpy()[i])
    keep = round(had * share)
    tab.at[i, "allocated_units"] = keep
    tab.at[i, "allocated_t"] = keep * alloc.unit
    tab.at[i, "status"] = "left"
    new = replace(
        alloc,
        table=tab,
        reserve_units=alloc.reserve_units + had - keep,
        version=alloc.version + 1,
        approved_by=approved_by,
        approved_at=datetime.now(UTC).isoformat(timespec="seconds"),
        history=(
            *alloc.history,
            f"v{alloc.version + 1}: {uscc} left after month {last_month}, "
            f"{(had - keep) * alloc.unit:.2f} t back to reserve",
        ),
    )
    new.check()
    return new


def elastic_allowance(
    allocated_t: np.ndarray | float,
    intensity: np.ndarray | float,
    actual_value_added: np.ndarray | float,
    band: float = 0.10,
) -> np.ndarray:
    """Year-end allowance: the binding intensity × actual output, kept within ±band of the tonnage.

    ``allowance = clip(intensity × actual_value_added, (1 − band) × allocated, (1 + band) × allocated)``

    Parameters
    ----------
    allocated_t : array_like
        Planned allocation [tCO2].
    intensity : array_like
        Allocated intensity [tCO2/万元]; NaN (no value added) keeps the planned tonnage.
    actual_value_added : array_like
        Actual (or projected) value added at constant prices [万元].
    band : float
        Elastic band [fraction], default 0.10.
    """
    a = np.asarray(allocated_t, dtype=float)
    it = np.asarray(intensity, dtype=float)
    va = np.asarray(actual_value_added, dtype=float)
    raw = np.where(np.isfinite(it) & np.isfinite(va), it * va, a)
    return np.clip(raw, (1.0 - band) * a, (1.0 + band) * a)
