"""Targets, budgets, warnings (预警), scenarios, LMDI and project assessment over the stores: the one
implementation the CLI, the API and the targets workbook call (issue 4's domain functions composed once).

Rules every surface gets alike:

* Park targets are the adopted park-level targets; when the park has adopted none, the Jiangsu
  (near-)zero-carbon industrial park indicators (:data:`PARK_TARGET_TEMPLATES`) stand in, and the result
  says so (``targets_source``).
* A reduction target's base level is the stored one, else the base year's indicator from the data.
* Thresholds are the caller's (default :class:`nengtan.targets.warnings.Thresholds`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from nengtan.engine.cockpit import PARK_TARGET_TEMPLATES, clean
from nengtan.engine.stores import Stores
from nengtan.engine.years import YearData, history, year_data
from nengtan.errors import InputError, NoDataError
from nengtan.indicators import annualise, co2_headline, last_month
from nengtan.registry import audit
from nengtan.targets.errors import TargetsError

# -- targets -------------------------------------------------------------------------------------------

def base_level(stores: Stores, target: Any) -> float | None:
    """A reduction target's base-year indicator from that year's data (complete base years only)."""
    from nengtan.targets.targets import base_level_from_year

    if target.kind != "reduction" or not target.base_year:
        return None
    d = year_data(stores, int(target.base_year), required=False)
    return None if d is None else base_level_from_year(target, d.ledger, d.economics)


_data_base_level = base_level  # (adopt_target's parameter of the same name is the level given by hand)


def adopted_targets(stores: Stores) -> list[tuple[Any, float | None]]:
    """The active adopted targets that concern the stores' place, with base levels (stored, else from the
    data): the place's own (subject ``park`` for the installation, ``park:<code>`` / ``region:<code>`` for a
    place; level ``park`` in the place's view), the sector targets, and its enterprises' targets."""

    def compute() -> list[tuple[Any, float | None]]:
        from dataclasses import replace

        from nengtan.engine.places import WHOLE, place_of, place_usccs
        from nengtan.registry.tables.targets import active_targets

        place = place_of(stores)
        usccs = place_usccs(stores.registry, place) if place != WHOLE else None
        with stores.registry.session() as s:
            tg = active_targets(s)
        out = []
        for t, bl in tg:
            if t.level in ("park", "region"):
                if t.subject != place:
                    continue
                t = replace(t, level="park")
            elif t.level == "enterprise" and usccs is not None and t.subject not in usccs:
                continue
            out.append((t, bl if bl is not None else base_level(stores, t)))
        return out

    return stores.cached(("adopted-targets",), compute)


def adopt_target(stores: Stores, template_id: str, by: str, value: float | None = None,
                 base_year: int | None = None, target_year: int | None = None, base_level: float | None = None,
                 subject: str = "park") -> tuple[Any, float | None]:
    """Adopt a template (optionally edited: value, base and target year) for ``subject``: ``park`` (the
    installation), ``park:<code>`` / ``region:<code>`` (a place of it), a sector code or a USCC; re-adopting
    replaces the earlier version, which is kept inactive. A reduction target's base level is ``base_level``, else
    the base year's indicator from the data (seen from the place, for a place's target). Returns the adopted
    target and its base level (None: no base-year data, the target shows grey until one is given)."""
    from dataclasses import replace

    from nengtan.engine.places import WHOLE, at_place, normalise_place
    from nengtan.registry.tables.targets import save_target
    from nengtan.targets.targets import template

    t = template(template_id)
    place = subject.startswith(("park:", "region:"))
    if place:
        subject = normalise_place(subject)
    level = ("region" if subject.startswith("region:") else "park" if subject == WHOLE or place
             else "enterprise" if len(subject) == 18 else "sector")
    edited = replace(t, value=value if value is not None else t.value,
                     base_year=base_year if base_year is not None else t.base_year,
                     target_year=target_year if target_year is not None else t.target_year,
                     status=t.status if value is None else "park-edited")
    adopted = edited.adopt(subject=subject, level=level)
    if base_level is None:  # a park's or region's target: its base year seen from the place, as the park's own
        base_level = (_data_base_level(at_place(stores, subject), replace(adopted, level="park")) if place
                      else _data_base_level(stores, adopted))
    with stores.registry.session(write=True) as s:
        save_target(s, adopted, by, base_level=base_level, template_id=template_id)
        audit.record(s, by, "targets.adopt", f"target:{adopted.target_id}",
                     {"template": template_id, "subject": adopted.subject, "value": adopted.value,
                      "base_level": base_level})
    return adopted, base_level


def park_targets(stores: Stores) -> tuple[list[tuple[Any, float | None]], str]:
    """Park-level targets: the adopted ones, else the zero-carbon park templates; and which it is."""
    adopted = [(t, bl) for t, bl in adopted_targets(stores) if t.level == "park"]
    if adopted:
        return adopted, "adopted"
    from nengtan.targets.targets import template

    return [(template(t).adopt(), None) for t in PARK_TARGET_TEMPLATES.values()], "templates"


def allocation(stores: Stores, year: int, version: int | None = None) -> Any:
    """The stored budget allocation of ``year`` (latest version by default), or None."""

    def compute() -> Any:
        from nengtan.engine.places import WHOLE, place_of, place_usccs
        from nengtan.registry.tables.targets import load_allocation

        with stores.registry.session() as s:
            al = load_allocation(s, year, version)
        place = place_of(stores)
        if al is None or place == WHOLE:
            return al
        return at_place_allocation(al, place_usccs(stores.registry, place))

    return stores.cached(("allocation", year, version), compute)


def at_place_allocation(al: Any, usccs: frozenset[str]) -> Any:
    """A place's part of the installation's allocation: its enterprises' lines, its budget their sum, no reserve
    (the reserve stays with the installation that allocated it)."""
    from dataclasses import replace

    table = al.table[al.table["uscc"].isin(usccs)].reset_index(drop=True)
    units = int(table["allocated_units"].sum())
    return replace(al, table=table, budget_units=units, reserve_units=0,
                   history=(*al.history, f"the place's {len(table)} enterprises' lines of v{al.version}"))


# -- budget --------------------------------------------------------------------------------------------

def _enterprise_table(d: YearData, base: YearData, va_growth: float, benchmarks: list[Any]) -> pd.DataFrame:
    from nengtan.targets.allocation import benchmark_for

    led_b = base.ledger.assign(co2=co2_headline(base.ledger))
    months = base.months
    base_co2 = led_b.groupby("uscc")["co2"].sum() * (12.0 / max(months, 1))  # annualised
    ents = (pd.concat([d.ledger[["uscc", "enterprise", "sector_code"]],
                       base.ledger[["uscc", "enterprise", "sector_code"]]])
            .drop_duplicates("uscc").set_index("uscc"))
    va_b = base.economics.groupby("uscc")["value_added_constant"].sum() * (12.0 / max(months, 1))
    out = ents.assign(base_emissions=base_co2.reindex(ents.index).fillna(0.0),
                      expected_value_added=va_b.reindex(ents.index).fillna(0.0) * (1 + va_growth)).reset_index()
    out["benchmark"] = [benchmark_for(str(s), benchmarks).co2_per_value_added for s in out["sector_code"]]
    return out


def allocate_budget(stores: Stores, year: int, method: str, approved_by: str, budget: float | None = None,
                    base_year: int | None = None, va_growth: float = 0.05, intensity_decline: float = 0.04,
                    alpha: float = 0.5, reserve: float = 0.05, benchmarks: Path | None = None,
                    benchmark_scope: str = "sector") -> tuple[Any, int]:
    """Allocate and store a new version of the year's budget; returns it and the base year used.

    Default budget (the Jiangning plan's 碳排放预算, seed 000 四(二): carbon intensity binding, total
    elastic): base-year CO2 intensity × (1 − intensity decline) × expected value added of the enterprises,
    divided by (1 − reserve) — the reserve is for entrants, on top of what the incumbents need.
    """
    from nengtan.engine.places import WHOLE, place_of
    from nengtan.registry.tables.targets import next_allocation_version, save_allocation
    from nengtan.targets.allocation import allocate, load_benchmarks

    if place_of(stores) != WHOLE:
        raise InputError("the budget is allocated for the whole installation; a park or region sees its "
                         "enterprises' lines of it")
    if not 0.0 <= reserve < 1.0:
        raise InputError(f"reserve {reserve} must be a fraction in [0, 1)")
    cur = year_data(stores, year, required=False)
    by = base_year if base_year is not None else year - 1
    base = year_data(stores, by, required=False)
    if base is None and base_year is None and cur is not None:
        base, by = cur, year
    if base is None:
        raise NoDataError(f"no data for base year {by}: choose a base year that has data")
    d = cur or base
    bms = load_benchmarks(str(benchmarks) if benchmarks else None)
    ents = _enterprise_table(d, base, va_growth, bms)
    if budget is None:
        b_co2 = annualise(float(co2_headline(base.ledger).sum()), base.months)
        b_va = float(ents["expected_value_added"].sum()) / (1 + va_growth)
        if b_va <= 0:
            raise InputError(f"no value added in base year {by}: give the budget in tCO2")
        budget = (b_co2 / b_va) * (1 - intensity_decline) * float(ents["expected_value_added"].sum()) / (1 - reserve)
    with stores.registry.session() as s:
        version = next_allocation_version(s, year)
        al = allocate(budget, ents, method, year, alpha=alpha, reserve_share=reserve, approved_by=approved_by,
                      version=version, benchmark_scope=benchmark_scope)
        save_allocation(s, al)
        audit.record(s, approved_by, "budget.allocate", f"budget:{year}",
                     {"version": al.version, "method": method, "budget_t": al.budget_t})
    return al, by


def leaver_share(stores: Stores, year: int, uscc: str, month: int) -> float | None:
    """The share of an enterprise's year its own seasonal profile puts before the end of ``month``."""
    from nengtan.targets.progress import history_cube, seasonal_profile

    hist_led, _ = history(stores, year)
    if hist_led is None:
        return None
    hl = hist_led.assign(co2_t=co2_headline(hist_led))
    years = sorted({int(p[:4]) for p in hl["period"].astype(str)})
    prof, src = seasonal_profile(history_cube(hl, "co2_t", years, [uscc]), year)
    return float(prof[0, :month].sum()) if src[0] == "own" else None


# -- warnings ------------------------------------------------------------------------------------------

def warning_run(stores: Stores, year: int, month: int | None = None, thresholds: Any = None) -> dict[str, Any]:
    """The monthly warning run (issue 4's ``run_warnings``): park targets, park budget, sectors and
    enterprises, all statuses. Returns year, month, frame (DataFrame), note, targets_source."""
    from nengtan.targets.warnings import Thresholds, run_warnings

    th = thresholds or Thresholds()

    def compute() -> dict[str, Any]:
        d = year_data(stores, year)
        assert d is not None
        m = month or last_month(d.ledger)
        if not 1 <= m <= 12:
            raise InputError(f"month {m} is not 1-12")
        hl, he = history(stores, year)
        targets, source = park_targets(stores)
        al = allocation(stores, year)
        base_levels = {t.target_id: bl for t, bl in targets if bl is not None}
        frame = run_warnings(d.ledger, d.economics, year, m, allocation=al.table if al is not None else None,
                             targets=[t for t, _ in targets], base_levels=base_levels, history_ledger=hl,
                             history_economics=he, park_budget_t=al.budget_t if al is not None else None,
                             thresholds=th)
        notes = []
        if hl is None:
            notes.append("no earlier years: seasonal profiles fall back to calendar days")
        if al is None:
            notes.append(f"no budget allocation for {year}: enterprise budgets not checked")
        if source == "templates":
            notes.append("no adopted park targets: held against the Jiangsu zero-carbon park templates")
        return {"year": year, "month": m, "frame": frame, "note": "; ".join(notes), "targets_source": source}

    return stores.cached(("warning-run", year, month, th.yellow_at, th.red_at, th.red_on), compute)


def records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    if frame is None or len(frame) == 0:
        return []
    return clean(frame.to_dict(orient="records"))  # type: ignore[no-any-return]


def warnings_payload(stores: Stores, year: int, month: int | None = None, include_green: bool = False,
                     level: str | None = None, subject: str | None = None, thresholds: Any = None) -> dict[str, Any]:
    """Warnings (red, then yellow, worst first; all statuses with ``include_green``) with counts."""
    from nengtan.targets.warnings import warnings_list

    run = warning_run(stores, year, month, thresholds)
    f = run["frame"]
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
    return {"year": year, "month": run["month"], "note": run["note"], "targets_source": run["targets_source"],
            "counts": counts, "items": records(shown)}


def targets_progress(stores: Stores, year: int) -> dict[str, Any]:
    """Each adopted target with its limit for the year and, for park targets, the warning run's progress."""
    from nengtan.targets.targets import required_level

    run = warning_run(stores, year)
    frame = run["frame"]
    park_rows = frame[frame["level"] == "park"]
    out = []
    for t, bl in adopted_targets(stores):
        try:
            limit: float | None = required_level(t, year, bl)
        except TargetsError:
            limit = None
        row: dict[str, Any] = {
            "target_id": t.target_id, "level": t.level, "subject": t.subject, "indicator": t.indicator,
            "kind": t.kind, "value": t.value, "unit": t.unit, "base_year": t.base_year,
            "target_year": t.target_year, "base_level": bl, "limit": limit, "document": t.document,
            "clause": t.clause, "status_of_source": t.status, "progress": None}
        if t.level == "park":
            hit = park_rows[park_rows["indicator"] == t.indicator]
            if len(hit):
                r = hit.iloc[0]
                row["progress"] = {k: r[k] for k in ("ytd_actual", "ytd_path", "projection", "low", "high", "limit",
                                                      "ratio", "status", "reason_zh", "reason_en")}
        out.append(row)
    return clean({"year": year, "month": run["month"], "note": run["note"], "items": out})


def budget_payload(stores: Stores, year: int, version: int | None = None) -> dict[str, Any] | None:
    al = allocation(stores, year, version)
    if al is None:
        return None
    return clean({"year": year, "version": al.version, "method": al.method, "approved_by": al.approved_by,
                  "approved_at": al.approved_at, "budget_t": al.budget_t, "reserve_t": al.reserve_t,
                  "history": list(al.history), "parameters": al.parameters,
                  "sectors": al.by_sector().to_dict(orient="records"),
                  "enterprises": al.table.sort_values("allocated_t", ascending=False).to_dict(orient="records")})


# -- scenarios and LMDI --------------------------------------------------------------------------------

def scenarios(stores: Stores, base_year: int, to: int, draws: int, seed: int,
              file: str | None = None) -> tuple[list[Any], pd.DataFrame, pd.DataFrame, Any]:
    """The named scenarios from the base year's data: results, summary, central paths, base."""
    from nengtan.targets.scenarios import base_from_ledger, compare, load_scenarios

    def compute() -> tuple[list[Any], pd.DataFrame, pd.DataFrame, Any]:
        d = year_data(stores, base_year)
        assert d is not None
        base = base_from_ledger(d.ledger, d.economics, base_year)
        res, summary, paths = compare(base, load_scenarios(file), to_year=to, draws=draws, seed=seed)
        return res, summary, paths, base

    return stores.cached(("scenarios", base_year, to, draws, seed, file), compute)


def scenarios_payload(stores: Stores, base_year: int, to: int, draws: int, seed: int) -> dict[str, Any]:
    _, summary, paths, _ = scenarios(stores, base_year, to, draws, seed)
    return clean({"base_year": base_year, "to": to, "draws": draws, "seed": seed,
                  "summary": summary.to_dict(orient="records"), "years": [int(y) for y in paths.index],
                  "paths": {str(c): [float(v) for v in paths[c]] for c in paths.columns}, "note": ""})


def lmdi_run(stores: Stores, from_year: int, to_year: int) -> Any:
    """LMDI-I decomposition of the CO2 change between two years."""
    from nengtan.targets.lmdi import lmdi

    if from_year == to_year:
        raise InputError("the two years of a decomposition must differ")
    a, b = year_data(stores, from_year), year_data(stores, to_year)
    assert a is not None and b is not None
    return lmdi(a.ledger, b.ledger, a.economics, b.economics)


def lmdi_payload(stores: Stores, from_year: int, to_year: int) -> dict[str, Any]:
    from nengtan.targets.lmdi import EFFECTS_ZH

    d = stores.cached(("lmdi", from_year, to_year), lambda: lmdi_run(stores, from_year, to_year))
    return clean({"from": from_year, "to": to_year, "co2_from_t": d.c0, "co2_to_t": d.cT, "change_t": d.total,
                  "effects_t": d.effects, "effects_zh": dict(EFFECTS_ZH), "residual_t": d.residual,
                  "by_sector": d.by_sector.to_dict(orient="records")})


# -- project assessment --------------------------------------------------------------------------------

def intensity_limit(stores: Stores, year: int) -> float | None:
    """The tightest adopted park carbon-intensity limit of ``year``, or None."""
    from nengtan.targets.targets import required_level

    limit = None
    for t, bl in adopted_targets(stores):
        if t.indicator == "carbon_intensity" and t.level == "park":
            try:
                lv = required_level(t, year, bl)
            except TargetsError:
                continue
            limit = lv if limit is None else min(limit, lv)
    return limit


def assess_project(stores: Stores, proposal: Any, year: int) -> Any:
    """Pre-assess ``proposal`` against the park's ``year`` (annualised when the year is partial)."""
    from nengtan.targets.allocation import load_benchmarks
    from nengtan.targets.assessment import ParkContext, assess, implied_factors

    d = year_data(stores, year)
    assert d is not None
    al = allocation(stores, year)
    park = ParkContext(co2_t=annualise(float(co2_headline(d.ledger).sum()), d.months),
                       value_added=annualise(float(d.economics["value_added_constant"].sum()), d.months),
                       gross_output=annualise(float(d.economics["gross_output"].sum()), d.months),
                       intensity_limit=intensity_limit(stores, year),
                       budget_reserve_t=al.reserve_t if al is not None else None)
    return assess(proposal, park, load_benchmarks(), implied_factors(d.ledger))


def post_assess(stores: Stores, proposal: Any, year: int, tolerance: float) -> Any:
    """Post-assessment: the project's actual intensities in ``year`` against its promise."""
    from nengtan.targets.allocation import load_benchmarks
    from nengtan.targets.assessment import implied_factors
    from nengtan.targets.assessment import post_assess as post

    d = year_data(stores, year)
    assert d is not None
    return post(proposal, d.ledger, d.economics, year, load_benchmarks(), implied_factors(d.ledger), tolerance)


def targets_report(stores: Stores, year: int, output: Path, month: int | None = None, project: Any = None,
                   draws: int = 10_000, seed: int = 1, to: int = 2035) -> Path:
    """The targets workbook: targets and progress, allocation, warnings, scenarios (chart), assessment."""
    from nengtan.engine.cockpit import sector_names
    from nengtan.reports.targets_xlsx import write_targets_workbook
    from nengtan.targets.targets import indicator_frame

    d = year_data(stores, year)
    assert d is not None
    run = warning_run(stores, year, month)
    _, summary, paths, _ = scenarios(stores, year, to, draws, seed)
    assessment = assess_project(stores, project, year) if project is not None else None
    ind = {str(k): v for k, v in indicator_frame(d.ledger, d.economics).iloc[0].to_dict().items()}
    output.parent.mkdir(parents=True, exist_ok=True)
    write_targets_workbook(output, year=year, month=run["month"], targets=adopted_targets(stores), indicators=ind,
                           warnings=run["frame"], allocation=allocation(stores, year), scenario_summary=summary,
                           scenario_paths=paths, assessment=assessment, note=run["note"],
                           sector_names={code: zh for code, (zh, _) in sector_names(stores).items()})
    return output
