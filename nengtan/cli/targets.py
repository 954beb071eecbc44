"""CLI commands for the targets area (issue 4).

``nengtan targets list|adopt``, ``nengtan budget allocate|show|enter|leave``, ``nengtan warnings``,
``nengtan scenarios``, ``nengtan lmdi``, ``nengtan assess project|post`` and ``nengtan report targets``.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape

from nengtan.cli.common import (
    DEMO_HOOKS,
    FormatOption,
    HomeOption,
    PlaceOption,
    Table,
    UserError,
    check_format,
    console,
    friendly,
    open_stores,
    placed_local,
    print_json,
    register_user_error,
    report_app,
)
from nengtan.cli.help_zh import cli_lang
from nengtan.cli.say import pick, say, tr, word
from nengtan.labels import ALLOCATION_METHODS, INDICATORS, LEVELS, STATUSES, TARGET_KINDS, TARGET_STATUSES
from nengtan.reports.words import zh
from nengtan.targets.errors import TargetsError

if TYPE_CHECKING:  # numpy and pandas load inside the commands, so `nengtan --help` starts at once
    import pandas as pd

targets_app = typer.Typer(help="Targets for dual control: templates from the plans, adoption.", no_args_is_help=True)
budget_app = typer.Typer(help="Annual carbon budget: allocation to enterprises, entrants and leavers.",
                         no_args_is_help=True)
assess_app = typer.Typer(help="New-project carbon pre-assessment and post-assessment.", no_args_is_help=True)


# ---------------------------------------------------------------------------------------------
# rendering helpers (figures come from nengtan.engine)


def _stores(home: str | None, place: str | None = None) -> Any:
    """The data home's stores for this command (nengtan.engine.stores.LocalStores), seen from ``place``."""
    return placed_local(home, place)


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [_clean(r) for r in df.to_dict(orient="records")]


def _clean(v: Any) -> Any:
    """JSON-safe values (the engine's one rule: NaN/inf → None, numpy scalars → Python)."""
    from nengtan.engine.cockpit import clean

    return clean(v)


def _table(title: str, df: pd.DataFrame, cols: list[tuple[str, str]], digits: dict[str, int] | None = None) -> None:
    import numpy as np

    t = Table(title=title, show_lines=False)
    for _, head in cols:
        t.add_column(head)
    for r in df.to_dict(orient="records"):
        cells = []
        for c, _ in cols:
            v = r.get(c)
            if isinstance(v, float | np.floating):
                d = (digits or {}).get(c, 2)
                cells.append("—" if not math.isfinite(float(v)) else f"{float(v):,.{d}f}")
            else:
                cells.append("" if v is None else str(v))
        t.add_row(*cells)
    console.print(t)


# ---------------------------------------------------------------------------------------------
# targets


@targets_app.command("list")
@friendly
def targets_list(home: HomeOption = None, templates: Annotated[bool, typer.Option(
        "--templates", help="List the templates from the plans instead of the adopted targets.")] = False,
        fmt: FormatOption = "table") -> None:
    """Adopted targets (or, with --templates, the templates taken from the plans)."""
    import pandas as pd

    from nengtan.targets.targets import load_templates

    check_format(fmt)
    if templates:
        rows = [{"id": t.target_id, "jurisdiction": t.subject, "indicator": t.indicator, "kind": t.kind,
                 "value": t.value, "unit": t.unit, "base_year": t.base_year, "target_year": t.target_year,
                 "document": t.document, "clause": t.clause, "status": t.status, "note": t.note}
                for t in load_templates()]
    else:
        from nengtan.registry.tables.targets import active_targets

        _, reg, _ = open_stores(home)
        with reg.session() as s:
            rows = [{"id": t.target_id, "level": t.level, "subject": t.subject, "indicator": t.indicator,
                     "kind": t.kind, "value": t.value, "unit": t.unit, "base_year": t.base_year,
                     "target_year": t.target_year, "base_level": bl, "document": t.document, "clause": t.clause,
                     "status": t.status} for t, bl in active_targets(s)]
    if fmt == "json":
        print_json(_clean(rows))
        return
    df = pd.DataFrame(rows)
    if df.empty:
        console.print(say("targets.none"))
        return
    for year_column in ("base_year", "target_year"):  # (a year, not a quantity: no separators, no decimals)
        df[year_column] = [("" if pd.isna(y) else str(int(y))) for y in df[year_column]]
    for column, table in (("indicator", INDICATORS), ("kind", TARGET_KINDS), ("status", TARGET_STATUSES)):
        df[column] = [word(table, str(c)) for c in df[column]]
    _table(tr("target templates") if templates else tr("adopted targets"), df,
           [("id", tr("id")), ("indicator", tr("indicator")), ("kind", tr("kind")),
            ("value", tr("value", "target")), ("unit", tr("unit")), ("base_year", tr("base", "target")),
            ("target_year", tr("target", "target")), ("document", tr("document")),
            ("clause", tr("clause")), ("status", tr("status"))], {"value": 3})


@targets_app.command("adopt")
@friendly
def targets_adopt(
    template_id: Annotated[str, typer.Argument(help="Template id (see `nengtan targets list --templates`).")],
    by: Annotated[str, typer.Option("--by", help="Officer adopting the target.")],
    value: Annotated[float | None, typer.Option(help="Edit the target value (same unit as the template).")] = None,
    base_year: Annotated[int | None, typer.Option(help="Edit the base year.")] = None,
    target_year: Annotated[int | None, typer.Option(help="Edit the target year.")] = None,
    base_level: Annotated[float | None, typer.Option(
        help="The park's indicator in the base year (else computed from that year's data if present).")] = None,
    subject: Annotated[str, typer.Option(help="park (the installation), park:<code> or region:<code> (a park or "
                                         "region of it), a sector code or a USCC.")] = "park",
    home: HomeOption = None,
) -> None:
    """Adopt a template for the park (optionally edited); re-adopting replaces the earlier version."""
    from nengtan.engine.targets import adopt_target

    adopted, base_level = adopt_target(_stores(home), template_id, by, value, base_year, target_year, base_level,
                                       subject)
    msg = say("targets.adopted", id=adopted.target_id, indicator=word(INDICATORS, adopted.indicator),
              kind=word(TARGET_KINDS, adopted.kind), value=adopted.value, unit=adopted.unit)
    if adopted.kind == "reduction" and base_level is None:
        msg += say("targets.no_base", year=adopted.base_year)
    console.print(msg, highlight=False)


# ---------------------------------------------------------------------------------------------
# budget


@budget_app.command("allocate")
@friendly
def budget_allocate(
    year: Annotated[int, typer.Option(help="Budget year.")],
    method: Annotated[str, typer.Option(help="grandfather | benchmark | hybrid")],
    approved_by: Annotated[str, typer.Option("--approved-by", help="Officer approving this version.")],
    budget: Annotated[float | None, typer.Option(help="Park budget [tCO2]; default: base-year CO2 intensity x "
                                                 "(1 - intensity decline) x expected value added / "
                                                 "(1 - reserve).")] = None,
    base_year: Annotated[int | None, typer.Option(help="Base period (default: year - 1, else the budget year "
                                                  "itself when it is the only year with data).")] = None,
    va_growth: Annotated[float, typer.Option(help="Expected value-added growth over the base [fraction].")] = 0.05,
    intensity_decline: Annotated[float, typer.Option(help="Required CO2-intensity decline for the default "
                                                     "budget [fraction].")] = 0.04,
    alpha: Annotated[float, typer.Option(help="Hybrid weight of grandfathering [fraction].")] = 0.5,
    reserve: Annotated[float, typer.Option(help="Reserve for entrants [fraction of the budget].")] = 0.05,
    benchmarks: Annotated[Path | None, typer.Option(help="Park-edited sector benchmark CSV.")] = None,
    benchmark_scope: Annotated[str, typer.Option(help="Hybrid: mix grandfather and benchmark shares within "
                                                 "each sector (sector totals by base emissions) or across "
                                                 "the park.")] = "sector",
    home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Allocate the year's park carbon budget to enterprises and store it as a new version."""
    from nengtan.engine.targets import allocate_budget

    check_format(fmt)
    al, by = allocate_budget(_stores(home), year, method, approved_by, budget, base_year, va_growth,
                             intensity_decline, alpha, reserve, benchmarks, benchmark_scope)
    sec = al.by_sector()
    if fmt == "json":
        print_json({"year": year, "version": al.version, "method": al.method, "approved_by": al.approved_by,
                    "approved_at": al.approved_at, "budget_t": al.budget_t, "reserve_t": al.reserve_t,
                    "base_year": by, "parameters": al.parameters, "sectors": _records(sec),
                    "enterprises": _records(al.table)})
        return
    console.print(say("budget.allocated", year=year, version=al.version, method=word(ALLOCATION_METHODS, method),
                      base=by, by=approved_by, budget=al.budget_t, reserve=al.reserve_t, n=len(al.table)),
                  highlight=False)
    _table(tr("by sector"), sec, [("sector_code", tr("sector")), ("enterprises", tr("enterprises")),
                                  ("allocated_t", tr("allocated tCO2")), ("expected_value_added", tr("VA 10⁴ CNY"))])


@budget_app.command("show")
@friendly
def budget_show(year: Annotated[int, typer.Option()], version: Annotated[int | None, typer.Option()] = None,
                top: Annotated[int, typer.Option(help="Enterprises to show in the table.")] = 20,
                home: HomeOption = None, fmt: FormatOption = "table") -> None:
    """Show an allocation version (default: the latest)."""
    from nengtan.registry.tables.targets import load_allocation

    check_format(fmt)
    _, reg, _ = open_stores(home)
    with reg.session() as s:
        al = load_allocation(s, year, version)
    if al is None:
        raise UserError.said("targets.no_budget_allocation_for", year=year)
    if fmt == "json":
        print_json({"year": year, "version": al.version, "method": al.method, "approved_by": al.approved_by,
                    "approved_at": al.approved_at, "budget_t": al.budget_t, "reserve_t": al.reserve_t,
                    "history": list(al.history), "sectors": _records(al.by_sector()),
                    "enterprises": _records(al.table)})
        return
    console.print(say("budget.shown", year=year, version=al.version, method=word(ALLOCATION_METHODS, al.method),
                      by=al.approved_by, at=al.approved_at, budget=al.budget_t, reserve=al.reserve_t),
                  highlight=False)
    _table(tr("by sector"), al.by_sector(), [("sector_code", tr("sector")), ("enterprises", tr("n")),
                                             ("allocated_t", "tCO2")])
    _table(tr("top {top} enterprises", top=top),
           al.table.sort_values("allocated_t", ascending=False).head(top),
           [("uscc", tr("USCC")), ("enterprise", tr("enterprise")),
            ("sector_code", tr("sector")), ("allocated_t", "tCO2"), ("intensity", "tCO2/万元"),
            ("status", tr("status"))], {"intensity": 4})


@budget_app.command("enter")
@friendly
def budget_enter(year: Annotated[int, typer.Option()], uscc: Annotated[str, typer.Option()],
                 month: Annotated[int, typer.Option(help="First month of activity (1-12).")],
                 expected_va: Annotated[float, typer.Option("--expected-va", help="Full-year value added [10⁴ CNY].")],
                 sector: Annotated[str, typer.Option(help="GB/T 4754 sector code.")],
                 approved_by: Annotated[str, typer.Option("--approved-by")],
                 home: HomeOption = None) -> None:
    """Admit an enterprise entering mid-year: benchmark x expected VA x (13 - month)/12 from the reserve."""
    from nengtan.registry.tables.targets import load_allocation, save_allocation
    from nengtan.targets.allocation import admit_entrant, benchmark_for, load_benchmarks

    _, reg, _ = open_stores(home)
    with reg.session() as s:
        al = load_allocation(s, year)
        if al is None:
            raise UserError.said("targets.no_budget_allocation_for_2", year=year)
        b = benchmark_for(sector, load_benchmarks()).co2_per_value_added
        new = admit_entrant(al, uscc, sector, expected_va, b, month, approved_by)
        save_allocation(s, new)
    console.print(new.history[-1], highlight=False)


@budget_app.command("leave")
@friendly
def budget_leave(year: Annotated[int, typer.Option()], uscc: Annotated[str, typer.Option()],
                 month: Annotated[int, typer.Option(help="Last month of activity (1-12).")],
                 approved_by: Annotated[str, typer.Option("--approved-by")], home: HomeOption = None) -> None:
    """Release the allocation of an enterprise leaving mid-year (its seasonal share to date is kept)."""
    from nengtan.engine.targets import leaver_share
    from nengtan.registry.tables.targets import load_allocation, save_allocation
    from nengtan.targets.allocation import release_leaver

    stores = _stores(home)
    reg = stores.registry
    share = leaver_share(stores, year, uscc, month)
    with reg.session() as s:
        al = load_allocation(s, year)
        if al is None:
            raise UserError.said("targets.no_budget_allocation_for_3", year=year)
        new = release_leaver(al, uscc, month, approved_by, cumulative_share=share)
        save_allocation(s, new)
    console.print(new.history[-1], highlight=False)


# ---------------------------------------------------------------------------------------------
# warnings


def warnings_cmd(
    year: Annotated[int, typer.Option(help="Year to check.")],
    month: Annotated[int | None, typer.Option(help="Last month to include (default: latest with data).")] = None,
    enterprise: Annotated[str | None, typer.Option(help="Only this enterprise (USCC).")] = None,
    show_all: Annotated[bool, typer.Option("--all", help="Include green rows.")] = False,
    yellow_at: Annotated[float, typer.Option(help="Pressure ratio for yellow.")] = 0.95,
    red_at: Annotated[float, typer.Option(help="Pressure ratio for red.")] = 1.0,
    red_on: Annotated[str, typer.Option(help="low: red when even the favourable end of the 90 % interval "
                                        "reaches red-at; central: when the central projection does.")] = "low",
    lang: Annotated[str, typer.Option(help="zh or en reasons.")] = "zh",
    place: PlaceOption = None, home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Early warnings (预警): park targets, park budget, sectors and enterprises, red/yellow/green."""
    import numpy as np

    from nengtan.targets.warnings import Thresholds, warnings_list

    check_format(fmt)
    try:
        Thresholds(yellow_at=yellow_at, red_at=red_at, red_on=red_on)
    except TargetsError as exc:
        raise UserError(str(exc)) from None
    from nengtan.engine.targets import warning_run

    run = warning_run(_stores(home, place), year, month, Thresholds(yellow_at=yellow_at, red_at=red_at, red_on=red_on))
    frame, m, note = run["frame"], run["month"], run["note"]
    if enterprise:
        frame = frame[(frame["subject"] == enterprise) | (frame["level"] == "park")]
        if not (frame["subject"] == enterprise).any():
            raise UserError.said("targets.enterprise_has_no_budget", enterprise=enterprise, year=year)
    shown = frame if show_all else warnings_list(frame)
    if enterprise:
        shown = shown[shown["subject"] == enterprise] if not show_all else frame[frame["subject"] == enterprise]
    if fmt == "json":
        print_json({"year": year, "month": m, "note": note,
                    "counts": frame["status"].value_counts().to_dict(), "rows": _records(shown)})
        return
    counts = frame["status"].value_counts().to_dict()
    console.print(say("warnings.counts", year=year, month=m, red=counts.get("red", 0),
                      yellow=counts.get("yellow", 0), green=counts.get("green", 0), grey=counts.get("grey", 0))
                  + (f"  ({note})" if note else ""), highlight=False)
    col = "reason_zh" if lang == "zh" else "reason_en"
    t = Table(show_lines=False)
    for h in (tr("status"), tr("level"), tr("subject"), tr("name"),
              tr("ratio"), tr("reason")):
        t.add_column(h)
    colors = {"red": "red", "yellow": "yellow", "green": "green", "grey": "white"}
    for r in shown.head(200).to_dict(orient="records"):
        ratio = r["ratio"]
        t.add_row(f"[{colors[r['status']]}]{word(STATUSES, r['status'])}[/]", word(LEVELS, r["level"]),
                  str(r["subject"]), str(r["name"]), "—" if not np.isfinite(ratio) else f"{ratio:.0%}", str(r[col]))
    console.print(t)


# ---------------------------------------------------------------------------------------------
# scenarios and LMDI


def scenarios_cmd(
    base_year: Annotated[int, typer.Option("--base-year", help="Year whose data start the projection.")] = 2025,
    to: Annotated[int, typer.Option("--to", help="Last year (2035, or 2060).")] = 2035,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same numbers).")] = 1,
    file: Annotated[Path | None, typer.Option(help="Park-edited scenario YAML.")] = None,
    place: PlaceOption = None, home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Peak-year scenarios (baseline, policy, enhanced) with P(peak by 2030) from Monte Carlo."""
    check_format(fmt)
    if draws < 0 or draws > 1_000_000:
        raise UserError.said("targets.draws_must_be_between")
    from nengtan.engine.targets import scenarios

    _, summary, paths, _ = scenarios(_stores(home, place), base_year, to, draws, seed, str(file) if file else None)
    if fmt == "json":
        print_json({"base_year": base_year, "to": to, "draws": draws, "seed": seed, "summary": _records(summary),
                    "paths": {str(k): _clean(v) for k, v in paths.to_dict(orient="index").items()}})
        return
    title = tr("Peak-year scenarios {base}–{to} ({draws} draws, seed {seed})", base=base_year, to=to, draws=draws,
               seed=seed)
    _table(title, summary,
           [("label", "scenario"), ("central_peak_year", "peak (central)"), ("central_peak_t", "peak tCO2"),
            ("peak_year_p5", "peak yr p5"), ("peak_year_p95", "p95"), ("p_peak_by_2030", "P(peak≤2030)"),
            ("co2_end_t", f"{to} tCO2")], {"p_peak_by_2030": 3})
    show = paths.loc[[y for y in paths.index if y in (base_year, 2030, to) or (y - base_year) % 5 == 0]]
    _table(tr("Annual CO2, tCO2 (central path)"), show.reset_index(),
           [("year", "year"), *[(c, c) for c in paths.columns]])


def lmdi_cmd(
    from_year: Annotated[int, typer.Option("--from", help="First year.")],
    to_year: Annotated[int, typer.Option("--to", help="Second year.")],
    place: PlaceOption = None, home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """LMDI decomposition of the CO2 change between two years (effects sum exactly to the change)."""
    import pandas as pd

    from nengtan.engine.targets import lmdi_run
    from nengtan.targets.lmdi import EFFECTS_ZH

    check_format(fmt)
    d = lmdi_run(_stores(home, place), from_year, to_year)
    if fmt == "json":
        print_json({"from": from_year, "to": to_year, "co2_from_t": d.c0, "co2_to_t": d.cT, "change_t": d.total,
                    "effects_t": d.effects, "residual_t": d.residual, "by_sector": _records(d.by_sector)})
        return
    rows = pd.DataFrame([{"effect": f"{EFFECTS_ZH[k]} {k}", "t": v} for k, v in d.effects.items()]
                        + [{"effect": tr("total change"), "t": d.total}])
    _table(f"LMDI {from_year}→{to_year}: {d.c0:,.2f} → {d.cT:,.2f} tCO2", rows, [("effect", "effect"), ("t", "tCO2")])


# ---------------------------------------------------------------------------------------------
# assessment


def _read_project(file: Path) -> Any:
    import yaml

    from nengtan.targets.assessment import parse_proposal

    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError.said("targets.cannot_read", file=file, exc_strerror=exc.strerror) from None
    except yaml.YAMLError as exc:
        raise UserError.said("targets.is_not_valid_yaml", file=file, v1=str(exc).splitlines()[0]) from None
    if not isinstance(data, dict):
        raise UserError.said("targets.expected_a_mapping_of", file=file)
    return parse_proposal(data, where=str(file))


@assess_app.command("project")
@friendly
def assess_project(
    file: Annotated[Path, typer.Argument(help="Project YAML (name, sector_code, expected_gross_output, "
                                         "expected_value_added, energy, pv_kwh, green_kwh).")],
    year: Annotated[int, typer.Option(help="Park year to measure against.")] = 2025,
    by: Annotated[str, typer.Option("--by", help="Assessing officer.")] = "cli",
    home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Pre-assessment (碳排放预评估): intensity vs sector benchmark and park average, verdict with reasons."""
    from nengtan.engine.targets import assess_project as engine_assess
    from nengtan.registry.tables.targets import save_assessment

    check_format(fmt)
    stores = _stores(home)
    p = _read_project(file)
    a = engine_assess(stores, p, year)
    with stores.registry.session() as s:
        save_assessment(s, "pre", p.name, p.sector_code, a.verdict, p.model_dump(), a.to_dict(), by, p.uscc, year)
    if fmt == "json":
        print_json(_clean(a.to_dict()))
        return
    console.print(say("assess.line", name=escape(p.name), sector=p.sector_code, co2=a.co2_t, va=a.co2_per_value_added,
                      va_benchmark=a.benchmark.co2_per_value_added, output=a.co2_per_gross_output,
                      output_benchmark=a.benchmark.co2_per_gross_output, park=a.park_intensity,
                      after=a.park_intensity_after), highlight=False)
    from nengtan.targets.assessment import VERDICT_ZH

    console.print(say("assess.verdict", verdict=pick(a.verdict, VERDICT_ZH[a.verdict])), highlight=False)
    zh = cli_lang() == "zh"
    for r in a.reasons if zh else a.reasons_en:
        console.print(f"  · {r}", highlight=False)
    for c in a.conditions if zh else a.conditions_en:
        console.print(say("assess.condition", text=c), highlight=False)


@assess_app.command("post")
@friendly
def assess_post(
    file: Annotated[Path, typer.Argument(help="The project YAML of the pre-assessment, with its uscc.")],
    year: Annotated[int, typer.Option(help="Year of operation to compare.")],
    tolerance: Annotated[float, typer.Option(help="Allowed shortfall against the promise [fraction].")] = 0.05,
    by: Annotated[str, typer.Option("--by")] = "cli",
    home: HomeOption = None,
    fmt: FormatOption = "table",
) -> None:
    """Post-assessment (后评估): actual intensities against the promised ones; warns when worse."""
    from nengtan.engine.targets import post_assess
    from nengtan.registry.tables.targets import save_assessment

    check_format(fmt)
    p = _read_project(file)
    stores = _stores(home)
    pa = post_assess(stores, p, year, tolerance)
    with stores.registry.session() as s:
        save_assessment(s, "post", p.name, p.sector_code, pa.status, p.model_dump(), pa.to_dict(), by, p.uscc, year)
    if fmt == "json":
        print_json(_clean(pa.to_dict()))
        return
    console.print(say("assess.post", name=p.name, year=year, months=pa.months, status=pa.status), highlight=False)
    for r in pa.reasons if cli_lang() == "zh" else pa.reasons_en:
        console.print(f"  · {r}", highlight=False)


# ---------------------------------------------------------------------------------------------
# report


def report_targets(
    year: Annotated[int, typer.Option(help="Year of the report.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="XLSX file to write (.pdf: the workbook and its "
                                         "PDF beside it).")],
    month: Annotated[int | None, typer.Option(help="Warnings through this month.")] = None,
    project: Annotated[Path | None, typer.Option(help="Project YAML to include an assessment sheet.")] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws for the scenario sheet.")] = 10_000,
    seed: Annotated[int, typer.Option()] = 1,
    to: Annotated[int, typer.Option("--to")] = 2035,
    place: PlaceOption = None, home: HomeOption = None,
) -> None:
    """Targets workbook for a meeting: targets and progress, allocation, warnings, scenarios (chart),
    project assessment."""
    from nengtan.engine.targets import targets_report

    if output.suffix.lower() not in (".xlsx", ".pdf"):
        raise UserError.said("targets.the_report_is_an", output=output)
    xlsx = output.with_suffix(".xlsx")
    targets_report(_stores(home, place), year, xlsx, month, _read_project(project) if project else None, draws,
                   seed, to)
    console.print(say("wrote", path=xlsx), highlight=False)
    if output.suffix.lower() == ".pdf":
        from nengtan.reports.targets_xlsx import targets_pdf

        targets_pdf(xlsx, output, zh("Targets, budgets and warnings {year}", year=year))
        console.print(say("wrote", path=output), highlight=False)


def report_pack(
    year: Annotated[int, typer.Option(help="Year of the pack.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The .pdf (tables with charts) or .xlsx to write.")],
    place: PlaceOption = None, home: HomeOption = None,
) -> None:
    """The cockpit as a meeting pack (会议材料): headline indicators, monthly trend, carriers, sectors, largest
    emitters and warnings, with their charts."""
    from nengtan.engine.meetingpack import write_pack

    if output.suffix.lower() not in (".xlsx", ".pdf"):
        raise UserError.said("targets.the_meeting_pack_is", output=output)
    write_pack(_stores(home, place), year, output)
    console.print(say("wrote", path=output), highlight=False)


# ---------------------------------------------------------------------------------------------
# the demo's targets summary (appended to nengtan.cli.common.DEMO_HOOKS)

DEMO_WARNING_MONTH = 9
"""The demo year is complete; its warning run is shown as of September, when the year-end is still a
projection with an interval (the point of early warning)."""
DEMO_DRAWS = 2_000
DEMO_TEMPLATES = ("jiangsu-2025-energy-intensity", "jiangsu-2025-nonfossil-share", "jiangsu-2030-carbon-intensity",
                  "jiangsu-zero-carbon-park-energy-intensity", "jiangsu-zero-carbon-park-carbon-intensity",
                  "jiangsu-zero-carbon-park-nonfossil-share", "jiangsu-zero-carbon-park-renewable-electricity")
"""What the demo zone (in Nanjing, Jiangsu) adopts: the provincial plan's targets (seed 001, 二、主要目标) and
the provincial zero-carbon park indicators. The Jiangning plan (seed 000) sets no numeric park target; its
碳排放预算 rule (四(二): carbon intensity binding, total elastic) is how the budget is allocated."""
DEMO_OFFICER = "演示 demo"


def demo_targets(paths: Any, stores: Any, year: int) -> None:
    """After `nengtan demo`: adopt the Jiangsu templates (DEMO_TEMPLATES) and allocate a hybrid budget (each only if
    the data home has none yet, so running the demo twice adds nothing), then print a compact summary
    and write ``reports/targets-{year}.xlsx``."""
    _demo_targets(paths, stores, year)


def _demo_targets(paths: Any, stores: Any, year: int) -> None:
    from importlib import resources

    import numpy as np

    from nengtan.engine.targets import (
        allocate_budget,
        assess_project,
        base_level,
        scenarios,
        targets_report,
        warning_run,
    )
    from nengtan.registry.tables.targets import active_targets, load_allocation, save_target
    from nengtan.targets.assessment import VERDICT_ZH
    from nengtan.targets.targets import load_templates
    from nengtan.targets.warnings import warnings_list

    with stores.registry.session() as s:
        adopted = active_targets(s)
    if not adopted:  # a Nanjing zone: the Jiangsu provincial targets and Jiangsu's zero-carbon park indicators
        for tpl in (t for t in load_templates() if t.target_id in DEMO_TEMPLATES):
            a = tpl.adopt()
            bl = base_level(stores, a)
            with stores.registry.session() as s:
                save_target(s, a, DEMO_OFFICER, base_level=bl, template_id=tpl.target_id)
    with stores.registry.session() as s:
        al = load_allocation(s, year)
    if al is None:
        al, _ = allocate_budget(stores, year, "hybrid", DEMO_OFFICER)
    stores.invalidate("adopted-targets", "allocation", "warning-run")  # what was just stored changes them
    run = warning_run(stores, year, DEMO_WARNING_MONTH)
    frame, m = run["frame"], run["month"]

    # targets vs progress
    park = frame[frame["level"] == "park"]
    t = Table(title=say("targets.progress", year=year, month=m), title_justify="left")
    for en in ("target", "limit", "projected", "ratio", "status"):
        t.add_column(tr(en), justify="left" if en in ("target", "status") else "right")
    colors = {"red": "red", "yellow": "yellow", "green": "green", "grey": "white"}
    for r in park.to_dict(orient="records"):
        share = r["unit"] == "fraction"
        t.add_row(str(r["subject"]).removeprefix("park:"), _num(r["limit"], share), _num(r["projection"], share),
                  "—" if not np.isfinite(r["ratio"]) else f"{r['ratio']:.0%}",
                  f"[{colors[r['status']]}]{word(STATUSES, r['status'])}[/]")
    console.print(t)

    # warnings by colour and the top 5
    ent = frame[frame["level"] != "park"]
    counts = ent["status"].value_counts().to_dict()
    console.print(say("warnings.demo", year=year, month=m, version=al.version,
                      method=word(ALLOCATION_METHODS, al.method), budget=al.budget_t, red=counts.get("red", 0),
                      yellow=counts.get("yellow", 0), green=counts.get("green", 0), grey=counts.get("grey", 0)),
                  highlight=False)
    top = warnings_list(ent).head(5)
    if len(top):
        w = Table(title=say("warnings.top"), title_justify="left")
        for h in (tr("status"), tr("subject"), tr("ratio"), tr("reason")):
            w.add_column(h)
        reason = "reason_zh" if cli_lang() == "zh" else "reason_en"
        for r in top.to_dict(orient="records"):
            w.add_row(f"[{colors[r['status']]}]{word(STATUSES, r['status'])}[/]", str(r["name"]),
                      f"{r['ratio']:.0%}", str(r[reason]))
        console.print(w)

    # scenarios
    _, summary, _, _ = scenarios(stores, year, 2035, DEMO_DRAWS, 1)
    sc = Table(title=say("scenarios.title", year=year, draws=DEMO_DRAWS), title_justify="left")
    for en in ("scenario", "peak year (central)", "peak tCO2", "P(peak ≤ 2030)"):
        sc.add_column(tr(en), justify="left" if en == "scenario" else "right")
    for r in summary.to_dict(orient="records"):
        sc.add_row(str(r["label"]), str(r["central_peak_year"]), f"{r['central_peak_t']:,.0f}",
                   f"{r['p_peak_by_2030']:.1%}")
    console.print(sc)

    # the example project
    project = Path(str(resources.files("nengtan.targets").joinpath("data/example_project.yaml")))
    p = _read_project(project)
    a = assess_project(stores, p, year)
    console.print(say("assess.demo", name=p.name, co2=a.co2_t, per_va=a.co2_per_value_added,
                      verdict=pick(a.verdict, VERDICT_ZH[a.verdict])), highlight=False)
    out = targets_report(stores, year, paths.reports / f"targets-{year}.xlsx", DEMO_WARNING_MONTH, p, DEMO_DRAWS, 1)
    console.print(say("targets.report", path=out), highlight=False)


def _num(x: float, share: bool) -> str:
    import numpy as np

    if not np.isfinite(x):
        return "—"
    return f"{x:.1%}" if share else (f"{x:,.0f}" if abs(x) >= 100 else f"{x:.4f}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""
    register_user_error(TargetsError)
    app.add_typer(targets_app, name="targets")
    app.add_typer(budget_app, name="budget")
    app.add_typer(assess_app, name="assess")
    app.command("warnings")(friendly(warnings_cmd))
    app.command("scenarios")(friendly(scenarios_cmd))
    app.command("lmdi")(friendly(lmdi_cmd))
    report_app.command("targets")(friendly(report_targets))
    report_app.command("pack")(friendly(report_pack))
    if demo_targets not in DEMO_HOOKS:
        DEMO_HOOKS.append(demo_targets)
