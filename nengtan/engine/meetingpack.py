"""The cockpit as a meeting pack (会议材料, issue 15 item 6): the headline indicators against their targets, the
monthly trend beside last year's, energy by carrier, emissions by sector, the largest emitters and the warnings of
the place the stores see, as tables with their charts — a PDF to hand out, or the same tables as a workbook.

It computes nothing of its own: every figure is the one the cockpit's endpoints serve (nengtan.engine.cockpit), so
the pack and the screen cannot disagree (tests/api/test_meeting_pack.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nengtan.calendar import park_time_text
from nengtan.engine import cockpit
from nengtan.engine.stores import Stores
from nengtan.labels import INDICATORS, LEVELS, STATUSES, zh_words
from nengtan.reports.charts import STATUS_COLORS, Chart
from nengtan.reports.tables import Tables, write_tables
from nengtan.reports.words import zh

TOP = 15
"""Enterprises in the ranking and warnings listed."""

KPI, TREND, CARRIERS, SECTORS, RANKING, WARNINGS, ABOUT = (
    zh("Key figures"),
    zh("Monthly trend"),
    zh("Energy mix"),
    zh("Emissions by sector"),
    zh("Emitters ranked"),
    zh("Warnings"),
    zh("About the data"),
)
CHARTS = (
    Chart(
        TREND,
        zh("CO2 by month (this year and last)"),
        zh("Month"),
        (zh("This year tCO2"), zh("Last year tCO2")),
        "line",
        "tCO2",
    ),
    Chart(CARRIERS, zh("Energy by carrier (calorific equivalent)"), zh("Carrier"), (zh("Energy tce"),), "pie"),
    Chart(SECTORS, zh("CO2 by sector (top 15)"), zh("Sector"), (zh("CO2 tCO2"),), "barh", "tCO2", top=TOP),
    Chart(RANKING, zh("Top {top} emitters", top=TOP), zh("Enterprise"), (zh("CO2 tCO2"),), "barh", "tCO2"),
    Chart(WARNINGS, zh("Warning statuses"), zh("Status"), kind="pie", fold="count", colors=STATUS_COLORS),
)
"""The pack's charts, each drawn from the rows of its table."""

STATUS_ZH = zh_words(STATUSES)
LEVEL_ZH = zh_words(LEVELS)


def _share(v: Any, unit: str) -> Any:
    """A share shown as % in the pack (the engine holds fractions)."""
    return v * 100 if unit == "%" and isinstance(v, int | float) else v


def pack_tables(stores: Stores, year: int) -> tuple[str, Tables]:
    """The pack's title and tables for `year` at the stores' place."""
    from nengtan.engine.accounts import park_name

    head = cockpit.headline(stores, year)
    names = zh_words(INDICATORS)
    kpi: list[list[Any]] = [
        [
            zh("Indicator"),
            zh("This year"),
            zh("Last year"),
            zh("Year on year %"),
            zh("Unit"),
            zh("Target / limit"),
            zh("Status"),
            zh("Projection for the year"),
            zh("Notes"),
        ]
    ]
    for i in head["items"]:
        unit = i["unit"]
        kpi.append([names.get(i["indicator"], i["indicator"]), _share(i["value"], unit), _share(i["last_year"], unit),
                    i["yoy"] * 100 if i["yoy"] is not None else None, unit, _share(i["target"], unit),
                    STATUS_ZH.get(i["status"], i["status"]), _share(i["projection"], unit), i["reason_zh"] or ""])
    tr = cockpit.trends(stores, year)
    trend: list[list[Any]] = [
        [zh("Month"), zh("This year tCO2"), zh("Last year tCO2"), zh("This year tce"), zh("Last year tce")]
    ]
    for k, m in enumerate(tr["months"]):
        trend.append([f"{year}-{m}", tr["this_year"]["co2_t"][k], tr["last_year"]["co2_t"][k],
                      tr["this_year"]["energy_tce"][k], tr["last_year"]["energy_tce"][k]])
    bd = cockpit.breakdown(stores, year)
    carriers: list[list[Any]] = [[zh("Carrier"), zh("Quantity"), zh("Unit"), zh("Energy tce"), zh("CO2 tCO2")]]
    carriers += [[c["name_zh"], c["quantity"], c["unit"], c["energy_tce"], c["co2_t"]] for c in bd["by_carrier"]]
    sectors: list[list[Any]] = [[zh("Sector"), zh("Sector code"), zh("Enterprises"), zh("Energy tce"), zh("CO2 tCO2")]]
    sectors += [[s["name_zh"], s["sector_code"], s["enterprises"], s["energy_tce"], s["co2_t"]]
                for s in bd["by_sector"]]
    rk = cockpit.ranking(stores, year, "co2", TOP, None)
    ranking: list[list[Any]] = [
        [
            zh("Rank"),
            zh("Enterprise"),
            zh("USCC"),
            zh("Sector code"),
            zh("Energy tce"),
            zh("CO2 tCO2"),
            zh("CO2 per value added, tCO2 per 10⁴ yuan"),
        ]
    ]
    ranking += [[r["rank"], r["name"], r["uscc"], r["sector_code"], r["energy_tce"], r["co2_t"], r["co2_intensity"]]
                for r in rk["items"]]
    wn = cockpit.warnings(stores, year)
    warns: list[list[Any]] = [[zh("Status"), zh("Level"), zh("Subject"), zh("Pressure ratio %"), zh("Reason")]]
    warns += [[STATUS_ZH.get(w["status"], w["status"]), LEVEL_ZH.get(w["level"], w["level"]),
               w.get("name") or w.get("subject"), w["ratio"] * 100 if w.get("ratio") is not None else None,
               w.get("reason_zh") or ""] for w in wn["items"]]
    about: list[list[Any]] = [
        [zh("Item"), zh("Content")],
        [zh("Region / park"), park_name(stores)],
        [zh("Calendar year"), year],
        [zh("Warnings as of"), zh("{year}-{month}", year=year, month=wn["month"]) if wn.get("month") else "—"],
        [zh("Enterprises"), head["enterprises"]],
        [zh("Factor set"), head["factor_set"]],
        [zh("Data version"), head["data_version"]],
        [zh("Targets from"), head["targets_source"]],
        [zh("Generated"), park_time_text()],
        [
            zh("Notes"),
            zh("Every figure here is the cockpit's own (the same engine); CO2 is Scope 1 plus Scope 2 location-based"),
        ],
    ]
    title = zh("{park} {year} energy and carbon meeting pack", park=park_name(stores), year=year)
    return title, {KPI: kpi, TREND: trend, CARRIERS: carriers, SECTORS: sectors, RANKING: ranking,
                   WARNINGS: warns, ABOUT: about}


def write_pack(stores: Stores, year: int, out: Path) -> Path:
    """The meeting pack to `out`: a PDF (tables with their charts) or an XLSX (the same tables)."""
    title, tables = pack_tables(stores, year)

    def for_pdf(name: str, rows: list[list[Any]]) -> list[list[Any]]:  # the warnings' worst first, a page of them
        return rows[: 2 * TOP + 1] if name == WARNINGS else rows

    return write_tables(title, tables, out, for_pdf, CHARTS)
