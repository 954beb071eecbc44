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

from nengtan.i18n import Both, pair
from nengtan.labels import STATISTIC_ITEMS
from nengtan.labels import name as label
from nengtan.ratings.methods import Method


def _not_evaluated(missing: list[str], zero: list[str]) -> dict[str, str]:
    """Why an enterprise is not evaluated (its missing or zero statistics items), in English and in Chinese."""
    said = ([pair("note.rating:missing_item", item=Both(k, label(STATISTIC_ITEMS, k))) for k in missing]
            + [pair("note.rating:zero_item", item=Both(k, label(STATISTIC_ITEMS, k))) for k in zero])
    en, zh = pair("note.rating:not_evaluated", why=Both("; ".join(e for e, _ in said), "；".join(z for _, z in said)))
    return {"reason": en, "reason_zh": zh}


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
                      **_not_evaluated(missing, zero)}
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
                      **dict(zip(("reason", "reason_zh"), pair(
                          "note.rating:ranked", score=out[u]["score"], rank=r, n=n, klass=cls["zh"],
                          top=float(cls["top_share"])), strict=True)))
    return [out[u] for u in sorted(out)]
