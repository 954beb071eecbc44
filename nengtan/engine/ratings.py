"""Enterprise ratings over the stores (issue 12): the year's per-enterprise figures (nengtan.indicators
.enterprise_figures over the cached ledger) graded by a rating method version (nengtan.ratings); the result names
the method version, the factor set and the data version that made it."""

from __future__ import annotations

from typing import Any

from nengtan.engine.stores import Stores
from nengtan.engine.years import year_data
from nengtan.indicators import enterprise_figures
from nengtan.ratings import carbon_efficiency
from nengtan.ratings.methods import load


def carbon_efficiency_grades(stores: Stores, year: int, version: int | None = None) -> dict[str, Any]:
    method = load("carbon_efficiency", version)
    d = year_data(stores, year)
    assert d is not None
    fig = enterprise_figures(d.ledger, d.economics)
    graded = carbon_efficiency.grades(fig, method)
    names = dict(zip(fig["uscc"], fig["enterprise"], strict=True))
    items = [{**{k: (None if v != v else v) for k, v in row.items()}, "name": names.get(row["uscc"], "")}
             for row in graded.astype(object).to_dict("records")]
    counts: dict[str, int] = {}
    for it in items:
        key = str(it["grade"]) if it["grade"] is not None else "not graded"
        counts[key] = counts.get(key, 0) + 1
    return {"year": year, "method": method.label, "method_status": method.params["status"],
            "method_source": method.params["source"], "basis": method.params["basis"],
            "factor_set": d.factor_set.id, "data_version": d.data_version, "counts": counts, "items": items}
