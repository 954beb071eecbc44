"""The 亩均 resource-efficiency evaluation (亩均效益综合评价), pure.

Each indicator is a ratio (tax per mu of land, sales per mu, value added per mu, tax per tce of energy); its
benchmark is the park's own (Σ numerator / Σ denominator over the enterprises evaluated); an enterprise scores
``100 × Σ min(value / benchmark, cap) × weight`` and is classed A/B/C/D by its rank (the method's cumulative
shares: version 1 A the top 20 %, B to 70 %, C to 95 %, D the rest; rank r of n is in the first class whose
share × n is at least r), as Jiangsu counties class enterprises (the
method file records the source and status). An enterprise without land area (or any other input) is not
evaluated and says which input is missing.
"""

from __future__ import annotations

import math
from typing import Any

from nengtan.labels import STATISTIC_ITEMS
from nengtan.labels import name as label
from nengtan.ratings.methods import Method


def evaluate(inputs: dict[str, dict[str, float | None]], method: Method) -> list[dict[str, Any]]:
    """`inputs`: per USCC its figures (land_area 亩, tax and sales 万元, value_added 万元, energy_tce). Returns per
    enterprise its indicators, benchmark ratios, score, rank and class, or the reason it is not evaluated."""
    inds = method.params["indicators"]
    needed = sorted({i["numerator"] for i in inds} | {i["denominator"] for i in inds})
    ok: dict[str, dict[str, float]] = {}
    out: dict[str, dict[str, Any]] = {}
    for u, x in inputs.items():
        missing = [k for k in needed if x.get(k) is None or not math.isfinite(float(x[k] or 0.0))]
        zero = [k for k in needed if x.get(k) is not None and k in {i["denominator"] for i in inds}
                and not float(x[k] or 0.0) > 0]
        if missing or zero:
            out[u] = {"uscc": u, "class": None, "score": None,
                      "reason": "not evaluated: " + "; ".join(
                          [f"no {k}" for k in missing] + [f"{k} is 0" for k in zero]),
                      "reason_zh": "未评价：" + "；".join(
                          [f"缺少{label(STATISTIC_ITEMS, k)}" for k in missing]
                          + [f"{label(STATISTIC_ITEMS, k)}为 0" for k in zero])}
        else:
            ok[u] = {k: float(x[k] or 0.0) for k in needed}
    bench = {i["key"]: (sum(v[i["numerator"]] for v in ok.values()) / sum(v[i["denominator"]] for v in ok.values())
                        if ok else math.nan) for i in inds}
    cap = float(method.params["cap"])
    for u, v in ok.items():
        values = {i["key"]: v[i["numerator"]] / v[i["denominator"]] for i in inds}
        ratios = {k: (values[k] / bench[k] if bench[k] > 0 else 0.0) for k in values}
        score = 100 * sum(min(ratios[i["key"]], cap) * float(i["weight"]) for i in inds)
        out[u] = {"uscc": u, "indicators": values, "benchmarks": bench, "ratios": ratios, "score": score}
    ranked = sorted(ok, key=lambda u: (-out[u]["score"], u))
    n = len(ranked)
    for r, u in enumerate(ranked, start=1):
        cls = next(c for c in method.params["classes"] if r <= float(c["top_share"]) * n + 1e-9)
        out[u].update(rank=r, of=n, **{"class": cls["class"]}, class_zh=cls["zh"],
                      reason=f"score {out[u]['score']:.1f} ranks {r} of {n}: {cls['zh']} (top "
                             f"{float(cls['top_share']):.0%} by rank)",
                      reason_zh=f"得分 {out[u]['score']:.1f}，排名 {r}/{n}：{cls['zh']}（排名前 "
                                f"{float(cls['top_share']):.0%}）")
    return [out[u] for u in sorted(out)]
