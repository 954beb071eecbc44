"""Issue 4 for the service: stored targets and their progress, budget allocations, warnings (预警),
scenarios, LMDI and project assessment, over the cached ledgers of :mod:`nengtan.api.analytics`.

This module composes issue 4's public functions the way its CLI does (``nengtan/cli/targets.py``:
``compute_warnings``, ``compute_scenarios``, ``assess_project_data``), but reads the ledgers through the
service's cache, so a warning run reuses the cockpit's ledgers. ``tests/api/test_targets.py`` checks
that the warnings equal the CLI's. Everything is cached per data version (which includes the adopted
targets and the allocations, so a CLI adoption shows at once).

When the park has adopted no target, the cockpit's headline and warnings hold it against the Jiangsu
(near-)zero-carbon industrial park templates (:data:`nengtan.api.analytics.PARK_TARGET_TEMPLATES`), and
say so (``targets_source``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from nengtan.api.analytics import PARK_TARGET_TEMPLATES, clean, year_economics, year_ledger
from nengtan.api.services import Services

HISTORY_YEARS = 3  # the CLI's history for seasonal profiles


def economics_filled(eco: pd.DataFrame) -> pd.DataFrame:
    """Economics with value added at constant prices filled from current prices where missing (the CLI's
    rule)."""
    eco = eco.copy()
    for c in ("value_added", "gross_output", "value_added_constant"):
        eco[c] = pd.to_numeric(eco[c], errors="coerce")
    missing = eco["value_added_constant"].isna()
    if missing.any():
        eco.loc[missing, "value_added_constant"] = eco.loc[missing, "value_added"]
    return eco


def _year(svc: Services, year: int) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    led = year_ledger(svc, year)
    if len(led) == 0:
        return None
    return led, svc.cached(("economics-filled", year), lambda: economics_filled(year_economics(svc, year)))


def _history(svc: Services, year: int) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    leds, ecos = [], []
    for y in range(year - HISTORY_YEARS, year):
        d = _year(svc, y)
        if d is not None:
            leds.append(d[0])
            ecos.append(d[1])
    if not leds:
        return None, None
    return pd.concat(leds, ignore_index=True), pd.concat(ecos, ignore_index=True)


def _base_level(svc: Services, target: Any) -> float | None:
    """A reduction target's base-year indicator from the data (complete base years only), as the CLI."""
    from nengtan.targets.targets import base_level_from_year

    if target.kind != "reduction" or not target.base_year:
        return None
    d = _year(svc, int(target.base_year))
    return None if d is None else base_level_from_year(target, d[0], d[1])


def adopted_targets(svc: Services) -> list[tuple[Any, float | None]]:
    """The park's active adopted targets with base levels (stored, else from the data)."""

    def compute() -> list[tuple[Any, float | None]]:
        from nengtan.registry.targets_models import active_targets

        with svc.registry.session() as s:
            tg = active_targets(s)
        return [(t, bl if bl is not None else _base_level(svc, t)) for t, bl in tg]

    return svc.cached(("adopted-targets",), compute)


def park_targets(svc: Services) -> tuple[list[tuple[Any, float | None]], str]:
    """Park-level targets for the cockpit: the adopted ones, else the templates; and where they come from."""
    adopted = [(t, bl) for t, bl in adopted_targets(svc) if t.level == "park"]
    if adopted:
        return adopted, "adopted"
    from nengtan.targets.targets import template

    return [(template(t).adopt(), None) for t in PARK_TARGET_TEMPLATES.values()], "templates"


def allocation(svc: Services, year: int, version: int | None = None) -> Any:
    def compute() -> Any:
        from nengtan.registry.targets_models import load_allocation

        with svc.registry.session() as s:
            return load_allocation(s, year, version)

    return svc.cached(("allocation", year, version), compute)


def warning_frame(svc: Services, year: int, month: int | None = None) -> dict[str, Any]:
    """The monthly warning run (issue 4's ``run_warnings``): park targets, park budget, sectors and
    enterprises, all statuses; ``frame`` is a DataFrame. Same inputs as ``nengtan warnings``."""

    def compute() -> dict[str, Any]:
        from nengtan.targets.warnings import run_warnings

        d = _year(svc, year)
        if d is None:
            return {"year": year, "month": None, "frame": None, "note": f"no data for {year}",
                    "targets_source": ""}
        led, eco = d
        m = month or int(led["period"].astype(str).str.slice(5, 7).astype(int).max())
        hl, he = _history(svc, year)
        targets, source = park_targets(svc)
        al = allocation(svc, year)
        base_levels = {t.target_id: bl for t, bl in targets if bl is not None}
        frame = run_warnings(led, eco, year, m, allocation=al.table if al is not None else None,
                             targets=[t for t, _ in targets], base_levels=base_levels, history_ledger=hl,
                             history_economics=he, park_budget_t=al.budget_t if al is not None else None)
        notes = []
        if hl is None:
            notes.append("no earlier years: seasonal profiles fall back to calendar days")
        if al is None:
            notes.append(f"no budget allocation for {year}: enterprise budgets not checked")
        if source == "templates":
            notes.append("no adopted park targets: held against the Jiangsu zero-carbon park templates")
        return {"year": year, "month": m, "frame": frame, "note": "; ".join(notes), "targets_source": source}

    return svc.cached(("warning-frame", year, month), compute)


def records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None or len(frame) == 0:
        return []
    return clean(frame.to_dict(orient="records"))  # type: ignore[no-any-return]


def warnings_payload(svc: Services, year: int, month: int | None = None, include_green: bool = False,
                     level: str | None = None, subject: str | None = None) -> dict[str, Any]:
    """Warnings (red, then yellow, worst first; all statuses with ``include_green``) with counts."""
    from nengtan.targets.warnings import warnings_list

    run = warning_frame(svc, year, month)
    frame = run["frame"]
    counts: dict[str, int] = {}
    items: list[dict[str, Any]] = []
    if frame is not None and len(frame):
        f = frame
        if level:
            f = f[f["level"] == level]
        if subject:
            f = f[f["subject"] == subject]
        counts = {str(k): int(v) for k, v in f["status"].value_counts().items()}
        shown = f if include_green else warnings_list(f)
        if include_green:
            order = {"red": 0, "yellow": 1, "green": 2, "grey": 3}
            shown = shown.assign(_o=shown["status"].map(order)).sort_values(
                ["_o", "ratio"], ascending=[True, False]).drop(columns="_o")
        items = records(shown)
    return {"year": year, "month": run["month"], "note": run["note"], "targets_source": run["targets_source"],
            "counts": counts, "items": items}


def targets_progress(svc: Services, year: int) -> dict[str, Any]:
    """Each adopted target with its limit for the year and, for park targets, the warning run's progress
    (year to date, projection with interval, ratio, status, reason)."""
    from nengtan.targets.errors import TargetsError
    from nengtan.targets.targets import required_level

    run = warning_frame(svc, year)
    frame = run["frame"]
    park_rows = frame[frame["level"] == "park"] if frame is not None and len(frame) else None
    out = []
    for t, bl in adopted_targets(svc):
        try:
            limit: float | None = required_level(t, year, bl)
        except TargetsError:
            limit = None
        row: dict[str, Any] = {
            "target_id": t.target_id, "level": t.level, "subject": t.subject, "indicator": t.indicator,
            "kind": t.kind, "value": t.value, "unit": t.unit, "base_year": t.base_year,
            "target_year": t.target_year, "base_level": bl, "limit": limit, "document": t.document,
            "clause": t.clause, "status_of_source": t.status, "progress": None}
        if park_rows is not None and t.level == "park":
            hit = park_rows[park_rows["indicator"] == t.indicator]
            if len(hit):
                r = hit.iloc[0]
                row["progress"] = {k: r[k] for k in ("ytd_actual", "ytd_path", "projection", "low", "high", "limit",
                                                      "ratio", "status", "reason_zh", "reason_en")}
        out.append(row)
    return clean({"year": year, "month": run["month"], "note": run["note"], "items": out})


def budget_payload(svc: Services, year: int, version: int | None = None) -> dict[str, Any] | None:
    al = allocation(svc, year, version)
    if al is None:
        return None
    return clean({"year": year, "version": al.version, "method": al.method, "approved_by": al.approved_by,
                  "approved_at": al.approved_at, "budget_t": al.budget_t, "reserve_t": al.reserve_t,
                  "history": list(al.history), "parameters": al.parameters,
                  "sectors": al.by_sector().to_dict(orient="records"),
                  "enterprises": al.table.sort_values("allocated_t", ascending=False).to_dict(orient="records")})


def scenarios_payload(svc: Services, base_year: int, to: int, draws: int, seed: int) -> dict[str, Any]:
    """Named scenarios side by side with P(peak by 2030), from the base year's data (as the CLI)."""
    from nengtan.targets.scenarios import base_from_ledger, compare, load_scenarios

    def compute() -> dict[str, Any]:
        d = _year(svc, base_year)
        if d is None:
            return {"base_year": base_year, "to": to, "draws": draws, "seed": seed, "summary": [],
                    "paths": {}, "note": f"no data for {base_year}"}
        base = base_from_ledger(d[0], d[1], base_year)
        _, summary, paths = compare(base, load_scenarios(None), to_year=to, draws=draws, seed=seed)
        return clean({"base_year": base_year, "to": to, "draws": draws, "seed": seed,
                      "summary": summary.to_dict(orient="records"),
                      "years": [int(y) for y in paths.index],
                      "paths": {str(c): [float(v) for v in paths[c]] for c in paths.columns}, "note": ""})

    return svc.cached(("scenarios", base_year, to, draws, seed), compute)


def lmdi_payload(svc: Services, from_year: int, to_year: int) -> dict[str, Any] | None:
    from nengtan.targets.lmdi import EFFECTS_ZH, lmdi

    def compute() -> dict[str, Any] | None:
        a, b = _year(svc, from_year), _year(svc, to_year)
        if a is None or b is None:
            return None
        d = lmdi(a[0], b[0], a[1], b[1])
        return clean({"from": from_year, "to": to_year, "co2_from_t": d.c0, "co2_to_t": d.cT, "change_t": d.total,
                      "effects_t": d.effects, "effects_zh": dict(EFFECTS_ZH), "residual_t": d.residual,
                      "by_sector": d.by_sector.to_dict(orient="records")})

    return svc.cached(("lmdi", from_year, to_year), compute)


def assess(svc: Services, proposal: Any, year: int) -> Any:
    """Pre-assess ``proposal`` against the park's ``year`` (the CLI's ``assess_project_data``)."""
    from nengtan.targets.allocation import load_benchmarks
    from nengtan.targets.assessment import ParkContext, implied_factors
    from nengtan.targets.assessment import assess as assess_project
    from nengtan.targets.errors import TargetsError
    from nengtan.targets.targets import co2_headline, required_level

    d = _year(svc, year)
    if d is None:
        raise TargetsError(f"no energy data for {year}: the park's figures are needed to assess a project")
    led, eco = d
    k = 12.0 / max(led["period"].nunique(), 1)
    al = allocation(svc, year)
    limit = None
    for t, bl in adopted_targets(svc):  # the tightest park carbon-intensity limit of the year
        if t.indicator == "carbon_intensity" and t.level == "park":
            try:
                lv = required_level(t, year, bl)
            except TargetsError:
                continue
            limit = lv if limit is None else min(limit, lv)
    park = ParkContext(co2_t=float(co2_headline(led).sum()) * k,
                       value_added=float(eco["value_added_constant"].sum()) * k,
                       gross_output=float(eco["gross_output"].sum()) * k, intensity_limit=limit,
                       budget_reserve_t=al.reserve_t if al is not None else None)
    return assess_project(proposal, park, load_benchmarks(), implied_factors(led))
