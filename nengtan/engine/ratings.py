"""Enterprise ratings over the stores (issue 12): the year's per-enterprise figures (nengtan.indicators
.enterprise_figures over the cached ledger) graded by a rating method version (nengtan.ratings); the result names
the method version, the factor set and the data version that made it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Integer

from nengtan.engine.certification import Actor, require_staff, today
from nengtan.engine.stores import Stores
from nengtan.engine.years import year_data
from nengtan.indicators import enterprise_figures
from nengtan.ratings import carbon_efficiency
from nengtan.ratings.methods import Method, check_new_version, load, packaged
from nengtan.registry.store import Registry


def method_of(reg: Registry, name: str, version: int | None = None) -> Method:
    """A rating method's version (default: the newest), the park's own versions included."""
    from sqlalchemy import select

    from nengtan.registry.tables.ratings import RatingMethodVersion

    with reg.session() as s:
        park = tuple(json.loads(p) for p in s.execute(select(RatingMethodVersion.params).where(
            RatingMethodVersion.method == name)).scalars())
    return load(name, version, park)


def adopt_version(reg: Registry, actor: Actor, name: str, params: dict[str, Any]) -> Method:
    """The park adopts a new version of a method (its weights, thresholds, source and status); past ratings keep
    the version that made them."""
    from sqlalchemy import select

    from nengtan.registry import audit
    from nengtan.registry.tables.ratings import RatingMethodVersion

    require_staff(actor, "rating methods")
    with reg.session(write=True) as s:
        park = [json.loads(p) for p in s.execute(select(RatingMethodVersion.params).where(
            RatingMethodVersion.method == name)).scalars()]
        v = check_new_version(name, params, packaged(name) + park)
        v["adopted"] = today().isoformat()
        s.add(RatingMethodVersion(method=name, version=v["version"], params=json.dumps(v, ensure_ascii=False),
                                  adopted_by=actor.username))
        audit.record(s, actor.username, "ratings.adopt", f"method:{name}", {"version": v["version"]})
    return Method(name, int(v["version"]), v)


def complete_days(stores: Stores, year: int) -> dict[str, float | None]:
    """Each enterprise's share of complete meter-days in `year` (the quality results ``nengtan quality`` stored)."""
    from sqlalchemy import func, select

    from nengtan.registry.tables.monitoring import QualityDay
    from nengtan.registry.tables.park import Enterprise, Meter

    with stores.registry.session() as s:
        return {u: (float(c) / n if n else None) for u, c, n in s.execute(
            select(Enterprise.uscc, func.sum(func.cast(QualityDay.complete, Integer)), func.count(QualityDay.id))
            .join(Meter, Meter.id == QualityDay.meter_id).join(Enterprise, Enterprise.id == Meter.enterprise_id)
            .where(QualityDay.day >= dt.date(year, 1, 1), QualityDay.day < dt.date(year + 1, 1, 1))
            .group_by(Enterprise.uscc)).all()}


def carbon_efficiency_grades(stores: Stores, year: int, version: int | None = None) -> dict[str, Any]:
    method = method_of(stores.registry, "carbon_efficiency", version)
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
    from nengtan.engine.targets import warnings_payload
    from nengtan.ratings.green_code import Inputs, assess

    method = method_of(stores.registry, "green_code", version)
    ce = carbon_efficiency_grades(stores, year)
    shares = green_power_shares(stores, year)
    quality = complete_days(stores, year)
    red: dict[str, int] = {}
    for w in warnings_payload(stores, year, level="enterprise")["items"]:
        if w.get("status") == "red":
            red[str(w["subject"])] = red.get(str(w["subject"]), 0) + 1
    items = []
    counts: dict[str, int] = {}
    for it in ce["items"]:
        u = it["uscc"]
        x = Inputs(it["grade"], shares.get(u, 0.0), quality.get(u), red.get(u, 0))
        c, pairs = assess(x, method)
        why, why_zh = [en for en, _ in pairs], [zh for _, zh in pairs]
        counts[c] = counts.get(c, 0) + 1
        items.append({"uscc": u, "name": it["name"], "colour": c, "reasons": why, "reasons_zh": why_zh,
                      "grade": x.grade,
                      "green_share": x.green_share, "complete_days": x.complete_days, "red_warnings": x.red_warnings})
    return {"year": year, "method": method.label, "method_status": method.params["status"],
            "method_source": method.params["source"], "grade_method": ce["method"], "factor_set": ce["factor_set"],
            "data_version": ce["data_version"], "counts": counts, "items": items}


def mu_evaluation(stores: Stores, year: int, version: int | None = None) -> dict[str, Any]:
    """The 亩均 evaluation of `year` (nengtan.ratings.mu_efficiency): land, tax and sales from the statistics the
    park imported (nengtan.engine.statistics), value added and energy from the platform's accounts."""
    from nengtan.engine.statistics import values
    from nengtan.ratings import mu_efficiency

    method = method_of(stores.registry, "mu_efficiency", version)
    d = year_data(stores, year)
    assert d is not None
    fig = enterprise_figures(d.ledger, d.economics)
    stats = {k: values(stores.registry, year, k) for k in ("land_area", "tax", "sales")}
    inputs: dict[str, dict[str, float | None]] = {}
    for u, va, tce in zip(fig["uscc"], fig["value_added"], fig["energy_tce"], strict=True):
        inputs[str(u)] = {"value_added": None if va != va else float(va), "energy_tce": float(tce),
                          **{k: v.get(str(u)) for k, v in stats.items()}}
    names = dict(zip(fig["uscc"], fig["enterprise"], strict=True))
    items = [{**r, "name": names.get(r["uscc"], "")} for r in mu_efficiency.evaluate(inputs, method)]
    counts: dict[str, int] = {}
    for it in items:
        counts[it["class"] or "not evaluated"] = counts.get(it["class"] or "not evaluated", 0) + 1
    return {"year": year, "method": method.label, "method_status": method.params["status"],
            "method_source": method.params["source"], "basis": method.params["basis"],
            "indicators": method.params["indicators"], "factor_set": d.factor_set.id,
            "data_version": d.data_version, "counts": counts, "items": items}


RATINGS = {"carbon_efficiency": carbon_efficiency_grades, "green_code": green_codes, "mu_efficiency": mu_evaluation}


def issue(stores: Stores, actor: Actor, year: int) -> list[dict[str, Any]]:
    """Issue the year's ratings: each method's result kept as it is now (a rating run naming the method version,
    factor set and data version), its digest a leaf of the tamper-evident ledger."""
    import hashlib

    from nengtan.engine import greenledger
    from nengtan.registry import audit
    from nengtan.registry.tables.ratings import RatingRun

    require_staff(actor, "ratings")
    out = []
    for fn in RATINGS.values():
        r = fn(stores, year)
        body = json.dumps(r, ensure_ascii=False, sort_keys=True, default=str)
        name_, version = r["method"].split("@v")
        with stores.registry.session(write=True) as s:
            seq = greenledger.append(s, "rating", "park", {"method": r["method"], "year": year,
                                                          "data_version": r["data_version"],
                                                          "sha256": hashlib.sha256(body.encode()).hexdigest()})
            run = RatingRun(method=name_, version=int(version), year=year, factor_set=r["factor_set"],
                            data_version=r["data_version"], results=body, issued_by=actor.username, ledger_seq=seq)
            s.add(run)
            s.flush()
            audit.record(s, actor.username, "ratings.issue", f"rating:{run.id}", {"method": r["method"],
                                                                                 "year": year, "ledger_seq": seq})
            out.append({"run": run.id, "method": r["method"], "year": year, "counts": r["counts"],
                        "data_version": r["data_version"], "ledger_seq": seq})
    return out


def runs(reg: Registry, actor: Actor, year: int | None = None, uscc: str | None = None) -> list[dict[str, Any]]:
    """Issued ratings, as issued (staff: every enterprise's result; an enterprise: its own rows only)."""
    from sqlalchemy import select

    from nengtan.engine.greenassets import visible_codes
    from nengtan.registry.tables.ratings import RatingRun

    with reg.session() as s:
        own = visible_codes(s, actor)
        q = select(RatingRun).order_by(RatingRun.id)
        if year is not None:
            q = q.where(RatingRun.year == year)
        out = []
        for run in s.execute(q).scalars():
            r = json.loads(run.results)
            items = [it for it in r["items"] if (own is None or it["uscc"] in own) and (uscc is None
                                                                                      or it["uscc"] == uscc)]
            out.append({"run": run.id, "method": f"{run.method}@v{run.version}", "year": run.year,
                        "factor_set": run.factor_set, "data_version": run.data_version, "issued_by": run.issued_by,
                        "issued_at": run.issued_at.isoformat(), "ledger_seq": run.ledger_seq, "items": items})
        return out
