"""Enterprise ratings over the stores (issue 12): the year's per-enterprise figures (nengtan.indicators
.enterprise_figures over the cached ledger) graded by a rating method version (nengtan.ratings); the result names
the method version, the factor set and the data version that made it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Integer

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


def green_power_shares(stores: Stores, year: int) -> dict[str, float]:
    """Each enterprise's green-power share of `year` (GEC-backed green electricity over electricity), by the
    definition of the target indicator ``green_power_share`` (nengtan.targets.targets.indicator_frame); 0 where
    it uses no electricity."""
    from nengtan.targets.targets import indicator_frame

    d = year_data(stores, year)
    assert d is not None
    shares = indicator_frame(d.ledger, d.economics, by="uscc")["green_power_share"].fillna(0.0)
    return {str(u): float(v) for u, v in shares.items()}


def green_codes(stores: Stores, year: int, version: int | None = None) -> dict[str, Any]:
    """Each enterprise's green code (零碳绿码) of `year` with its inputs and reasons: its carbon-efficiency grade
    (this module), green-power share (claimed green electricity over electricity, :func:`green_power_shares`),
    share of complete meter-days (the quality results stored by ``nengtan quality``) and open red warnings (the
    warning run of nengtan.engine.targets)."""
    from sqlalchemy import func, select

    from nengtan.engine.targets import warnings_payload
    from nengtan.ratings.green_code import Inputs, colour
    from nengtan.registry.tables.monitoring import QualityDay
    from nengtan.registry.tables.park import Enterprise, Meter

    method = load("green_code", version)
    ce = carbon_efficiency_grades(stores, year)
    shares = green_power_shares(stores, year)
    with stores.registry.session() as s:
        quality = {u: (float(c) / n if n else None) for u, c, n in s.execute(
            select(Enterprise.uscc, func.sum(func.cast(QualityDay.complete, Integer)), func.count(QualityDay.id))
            .join(Meter, Meter.id == QualityDay.meter_id).join(Enterprise, Enterprise.id == Meter.enterprise_id)
            .where(QualityDay.day >= dt.date(year, 1, 1), QualityDay.day < dt.date(year + 1, 1, 1))
            .group_by(Enterprise.uscc)).all()}
    red: dict[str, int] = {}
    for w in warnings_payload(stores, year, level="enterprise")["items"]:
        if w.get("status") == "red":
            red[str(w["subject"])] = red.get(str(w["subject"]), 0) + 1
    items = []
    counts: dict[str, int] = {}
    for it in ce["items"]:
        u = it["uscc"]
        x = Inputs(it["grade"], shares.get(u, 0.0), quality.get(u), red.get(u, 0))
        c, why = colour(x, method)
        counts[c] = counts.get(c, 0) + 1
        items.append({"uscc": u, "name": it["name"], "colour": c, "reasons": why, "grade": x.grade,
                      "green_share": x.green_share, "complete_days": x.complete_days, "red_warnings": x.red_warnings})
    return {"year": year, "method": method.label, "method_status": method.params["status"],
            "method_source": method.params["source"], "grade_method": ce["method"], "factor_set": ce["factor_set"],
            "data_version": ce["data_version"], "counts": counts, "items": items}
