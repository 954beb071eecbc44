"""The carbon-efficiency grade (碳效码 style), pure.

Following the Zhejiang method (浙江省规上工业企业碳效等级评价, as secondary sources state it; the method file
records the status): an enterprise's carbon intensity ``L = CO2 / value added`` [tCO2/万元] is compared with its
sector's average, ``K = L / L_sector``, and graded by K against the method's thresholds (version 1: grade 1 for
K ≤ 0.6, 2 ≤ 0.8, 3 ≤ 1.2, 4 ≤ 2.0, 5 above). The sector average is the park's own: Σ CO2 / Σ value added over
the sector's enterprises (GB/T 4754 code cut to the method's digits) that have value added; a sector with fewer
than the method's minimum of such enterprises is not graded against itself (too few to average), and an
enterprise without value added gets no grade — each says why.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from nengtan.i18n import Both, pair
from nengtan.ratings.methods import Method

COLUMNS = ["uscc", "sector", "co2_t", "value_added", "intensity", "sector_intensity", "sector_enterprises", "k",
           "grade", "grade_zh", "reason", "reason_zh", "method"]


def grade_of(k: float, method: Method) -> tuple[int, str]:
    """The grade (1 best … 5) and its name for a ratio K."""
    for g in method.params["grades"]:
        if g["max_k"] is None or k <= g["max_k"]:
            return int(g["grade"]), str(g["zh"])
    raise ValueError("the method's last grade must have no upper bound")


def grades(figures: pd.DataFrame, method: Method) -> pd.DataFrame:
    """Grades of the enterprises in `figures` (uscc, sector_code, co2_t [t], value_added [万元]), with the inputs
    beside each result (COLUMNS)."""
    digits = int(method.params["sector_digits"])
    least = int(method.params["min_sector_enterprises"])
    df = figures[["uscc", "sector_code", "co2_t", "value_added"]].copy()
    df["sector"] = df["sector_code"].astype(str).str[:digits]
    df["value_added"] = pd.to_numeric(df["value_added"], errors="coerce")
    valid = df["value_added"] > 0
    by = df[valid].groupby("sector").agg(co2=("co2_t", "sum"), va=("value_added", "sum"), n=("uscc", "count"))
    df = df.merge(by, left_on="sector", right_index=True, how="left")
    with np.errstate(divide="ignore", invalid="ignore"):
        df["intensity"] = np.where(valid, df["co2_t"] / df["value_added"], np.nan)
        df["sector_intensity"] = df["co2"] / df["va"]
    df["sector_enterprises"] = df["n"].fillna(0).astype(int)
    df["k"] = df["intensity"] / df["sector_intensity"]
    out: list[tuple[int | None, str, str, str]] = []
    for va, n, k, sector, li, ls in zip(df["value_added"].to_numpy(dtype=float), df["sector_enterprises"].tolist(),
                                        df["k"].to_numpy(dtype=float), df["sector"].tolist(),
                                        df["intensity"].to_numpy(dtype=float),
                                        df["sector_intensity"].to_numpy(dtype=float), strict=True):
        if not va > 0:
            out.append((None, "", *pair("note.rating:no_value_added")))
        elif n < least:
            out.append((None, "", *pair("note.rating:few_in_sector", sector=sector, n=n, least=least)))
        elif not math.isfinite(k):
            out.append((None, "", *pair("note.rating:sector_zero", sector=sector)))
        else:
            g, zh = grade_of(k, method)
            out.append((g, zh, *pair("note.rating:graded", intensity=li, k=k, sector=sector, average=ls, n=n,
                                     grade=Both(g, zh))))
    df["grade"] = pd.array([o[0] for o in out], dtype="Int64")
    df["grade_zh"] = [o[1] for o in out]
    df["reason"] = [o[2] for o in out]
    df["reason_zh"] = [o[3] for o in out]
    df["method"] = method.label
    return df[COLUMNS].reset_index(drop=True)
