"""The inventory workbook: totals, carriers, sectors, enterprises, months and the factor table.

Every figure can be reproduced by hand: the 'Carriers' sheet shows each carrier's quantity and the
multiplier applied (quantity × multiplier = figure), and the 'Factors' sheet shows how each multiplier
comes from the library rows (source document, table, edition, status) the factor set used.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nengtan.accounting.inventory import SUM_COLUMNS, Inventory, Period, select_scope
from nengtan.calendar import park_time_text
from nengtan.factors import FactorSet
from nengtan.factors.library import CO2_PER_C, FUELS
from nengtan.indicators import enterprise_figures
from nengtan.labels import CARRIERS, FIGURES
from nengtan.reports.cells import save_workbook
from nengtan.reports.charts import Chart
from nengtan.reports.words import both, zh
from nengtan.units import CANONICAL_UNIT

HEAD = Font(bold=True, color="FFFFFF")
FILL = PatternFill("solid", fgColor="1F6F5C")
TITLE = Font(bold=True, size=14)
NUM2 = "#,##0.00"
NUM6 = "0.000000000"

CARRIER_ZH = {c: name for c, (name, _) in CARRIERS.items()}
LEDGER_ZH = {k: name for k, (name, _) in FIGURES.items()}

CHARTS = (
    Chart(
        both("Carriers"),
        zh("Energy by carrier (calorific equivalent)"),
        both("Carrier"),
        (LEDGER_ZH["energy_tce"],),
        "barh",
        "tce",
    ),
    Chart(
        both("Sectors"),
        zh("Emissions by sector (top 15; Scope 1 + Scope 2 location-based)"),
        zh("Sector name"),
        (LEDGER_ZH["scope1_t"], LEDGER_ZH["scope2_location_t"]),
        "barh",
        "tCO2",
        top=15,
    ),
    Chart(zh("Enterprises (sheet)"), zh("Top 15 emitters"), both("Name"), ("CO2 (tCO2)",), "barh", "tCO2", top=15),
    Chart(
        both("Months"),
        zh("Emissions by month"),
        both("Month"),
        (LEDGER_ZH["scope1_t"], LEDGER_ZH["scope2_location_t"]),
        "line",
        "tCO2",
    ),
    Chart(
        both("Months"),
        zh("Energy by month"),
        both("Month"),
        (LEDGER_ZH["energy_tce"], LEDGER_ZH["energy_equiv_tce"]),
        "bar",
        "tce",
    ),
)
"""The charts the inventory's PDF draws from the workbook's sheets."""


def inventory_pdf(xlsx: Path, out: Path, title: str) -> Path:
    """The inventory workbook `xlsx` printed to `out`, with its charts."""
    from nengtan.reports.workbook_pdf import workbook_pdf

    return workbook_pdf(xlsx, out, title, charts=CHARTS)


def _header(ws: Worksheet, row: int, labels: list[str]) -> None:
    for j, label in enumerate(labels, start=1):
        c = ws.cell(row=row, column=j, value=label)
        c.font, c.fill = HEAD, FILL
        c.alignment = Alignment(wrap_text=True, vertical="center")


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w


def _rows(ws: Worksheet, start: int, rows: list[list[object]], formats: dict[int, str] | None = None) -> int:
    for i, r in enumerate(rows):
        for j, v in enumerate(r, start=1):
            c = ws.cell(row=start + i, column=j, value=v)
            if formats and j in formats and isinstance(v, (int, float)):
                c.number_format = formats[j]
    return start + len(rows)


def _or_none(x: object) -> object:
    return None if isinstance(x, float) and x != x else x


def carrier_multipliers(fs: FactorSet, province: str, carriers: list[str]) -> list[dict[str, object]]:
    """Per carrier: the multipliers (per canonical unit) and how they derive from library rows."""
    out: list[dict[str, object]] = []
    lib = fs.rows.set_index("id")
    for c in carriers:
        unit = CANONICAL_UNIT[c]
        tce, equiv = fs.tce(c), fs.tce_equivalent(c)
        entry: dict[str, object] = {"carrier": c, "unit": unit, "tce": tce.value, "equiv": equiv.value,
                                    "co2": 0.0, "co2_market": 0.0, "rows": set(tce.rows) | set(equiv.rows)}
        parts = " × ".join(f"{lib.loc[r, 'value']!s} {lib.loc[r, 'unit']!s}" for r in tce.rows)
        how = [f"tce: {parts} → {tce.value:.9g} {tce.unit}"]
        if c in FUELS:
            f = fs.combustion_co2(c)
            ncv, cc, of = (lib.loc[r] for r in f.rows)
            how.append(f"CO2: NCV {ncv['value']:g} {ncv['unit']} × CC {cc['value']:g} tC/GJ × OF {of['value']:g}"
                       f" × 44/12 ({CO2_PER_C:.6f}) → {f.value:.9g} {f.unit}")
            entry["co2"] = entry["co2_market"] = f.value
            entry["rows"] = entry["rows"] | set(f.rows)  # type: ignore[operator]
        elif c in ("heat", "steam"):
            f = fs.heat_co2() if c == "heat" else fs.steam_co2()
            how.append(f"CO2: {f.value:.9g} {f.unit}" + (" = (enthalpy − 0.08374 GJ/t) × 0.11 tCO2/GJ"
                                                         if c == "steam" else ""))
            entry["co2"] = entry["co2_market"] = f.value
            entry["rows"] = entry["rows"] | set(f.rows)  # type: ignore[operator]
        elif c == "electricity":
            loc, mkt = fs.grid_location(province), fs.grid_market(province)
            how.append(f"CO2 location: {loc.value * 1000:g} tCO2/MWh ÷ 1000 → {loc.value:.9g} tCO2/kWh"
                       + (f" ({loc.note})" if loc.note else ""))
            how.append(f"CO2 market: (electricity − green electricity) × {mkt.value:.9g} tCO2/kWh"
                       + (f" ({mkt.note})" if mkt.note else ""))
            entry["co2"], entry["co2_market"] = loc.value, mkt.value
            entry["rows"] = entry["rows"] | set(loc.rows) | set(mkt.rows)  # type: ignore[operator]
        entry["how"] = "; ".join(how)
        out.append(entry)
    return out


def write_inventory_report(path: str | Path, inv: Inventory, ledger: pd.DataFrame, econ: pd.DataFrame,
                           fs: FactorSet, park_name: str, period: Period,
                           sector_names: Mapping[str, str] | None = None) -> Path:
    """Write the workbook to `path` (atomically: a temporary file renamed into place); `sector_names` (GB/T 4754
    code → Chinese name) names the sectors beside their codes."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = select_scope(ledger, inv.scope)
    rows = rows[rows["period"].isin(period.months)]
    wb = Workbook()

    # -- summary ------------------------------------------------------------------------------------
    ws = wb.active
    assert ws is not None
    ws.title = both("Summary")
    ws["A1"] = zh("{park} energy consumption and carbon emission inventory — {period}", park=park_name,
                  period=inv.period)
    ws["A1"].font = TITLE
    meta = [[both("Scope"), inv.scope], [zh("Period"), inv.period], [both("Factor set"), inv.factor_set],
            [zh("Factor set description"), inv.factor_set_description], [both("Data version"), inv.data_version],
            [zh("Number of enterprises"), inv.enterprises],
            *[[both("Factor basis"), note] for note in inv.factor_basis_zh or inv.factor_basis],
            [both("Generated"), park_time_text()]]
    r = _rows(ws, 3, meta) + 1  # type: ignore[arg-type]
    _header(ws, r, [zh("Indicator (heading)"), both("Value"), both("Unit"), both("Basis")])
    s = inv.shares
    ints = inv.intensities
    figures: list[list[object]] = [  # label, value, unit, basis
        [zh("Energy, calorific equivalent"), inv.energy_tce, "tce", "GB/T 2589-2020"],
        [zh("Energy, primary equivalent"), inv.energy_equiv_tce, "tce", zh("GB/T 2589-2020 primary equivalent")],
        [both("of which raw-material energy"), inv.feedstock_tce, "tce", zh("NDRC 2022 No. 803")],
        [both("Energy, dual-control basis"), inv.energy_dual_control_tce, "tce",
         zh("Jiangsu's carbon-peak plan, part 3 (4) 2: new renewables and raw-material use excluded")],
        [both("CO2 (Scope 1 + Scope 2 location)"), inv.co2_t, "tCO2", "GB/T 32150-2015"],
        [both("Scope 1 (fuel combustion)"), inv.scope1_t, "tCO2", "GB/T 32150-2015 6.3.1"],
        [both("Scope 2 location-based"), inv.scope2_location_t, "tCO2", "grid average factor"],
        [both("Scope 2 market-based"), inv.scope2_market_t, "tCO2", "green electricity subtracted"],
        [zh("CO2 market-based"), inv.co2_market_t, "tCO2", "Scope 1 + Scope 2 market"],
        [both("Value added"), inv.value_added, zh("10⁴ yuan"), inv.value_added_basis],
        [both("Gross output"), inv.gross_output, zh("10⁴ yuan"), "current prices"],
        [both("Energy per value added"), ints["energy_tce_per_10k_cny_value_added"], zh("tce per 10⁴ yuan"), ""],
        [both("CO2 per value added"), ints["co2_t_per_10k_cny_value_added"], zh("tCO2 per 10⁴ yuan"), ""],
        [both("Energy per gross output"), ints["energy_tce_per_10k_cny_gross_output"], zh("tce per 10⁴ yuan"), ""],
        [both("CO2 per gross output"), ints["co2_t_per_10k_cny_gross_output"], zh("tCO2 per 10⁴ yuan"), ""],
        [both("CO2 per energy"), ints["co2_t_per_tce"], "tCO2/tce", zh("NDRC 2025 No. 910")],
        [both("Non-fossil energy share"), s["non_fossil_energy_share"], "",
         zh("(PV + green electricity) / energy, primary equivalent")],
        [both("Renewable electricity share"), s["renewable_electricity_share"], "",
         "(PV + green) / (grid + PV)"],
        [both("Share resting on estimates"), s["estimated_energy_share"], "", "estimated readings"],
    ]
    _rows(ws, r + 1, figures, {2: NUM2})
    for i, f in enumerate(figures):
        if f[2] in ("", zh("tce per 10⁴ yuan"), zh("tCO2 per 10⁴ yuan"), "tCO2/tce") and isinstance(f[1], float):
            ws.cell(row=r + 1 + i, column=2).number_format = "0.0000"
    for note in inv.grid_notes_zh or inv.grid_notes:
        ws.cell(row=ws.max_row + 2, column=1, value=zh("Note: {note}", note=note))
    _widths(ws, [48, 22, 12, 36])

    # -- carriers -------------------------------------------------------------------------------------
    ws = wb.create_sheet(both("Carriers"))
    province = str(rows["province"].mode().iloc[0]) if not rows.empty else "jiangsu"
    carriers = sorted(inv.by_carrier)
    mult = {m["carrier"]: m for m in carrier_multipliers(fs, province, carriers)}
    _header(
        ws,
        1,
        [
            both("Carrier"),
            both("Quantity"),
            both("Unit"),
            zh("Calorific factor tce/unit"),
            LEDGER_ZH["energy_tce"],
            zh("Equivalent factor tce/unit"),
            LEDGER_ZH["energy_equiv_tce"],
            zh("Emission factor tCO2/unit"),
            LEDGER_ZH["scope1_t"],
            LEDGER_ZH["scope2_location_t"],
            zh("Market factor tCO2/unit"),
            LEDGER_ZH["scope2_market_t"],
            both("Estimated quantity"),
        ],
    )
    data = []
    for c in carriers:
        b, m = inv.by_carrier[c], mult[c]
        data.append([f"{CARRIER_ZH.get(c, c)} {c}", b["quantity"], b["unit"], m["tce"], b["energy_tce"], m["equiv"],
                     b["energy_equiv_tce"], m["co2"], b["scope1_t"], b["scope2_location_t"], m["co2_market"],
                     b["scope2_market_t"], b["estimated_quantity"]])
    end = _rows(ws, 2, data, {2: NUM2, 4: NUM6, 5: NUM2, 6: NUM6, 7: NUM2, 8: NUM6, 9: NUM2, 10: NUM2,
                              11: NUM6, 12: NUM2, 13: NUM2})
    _rows(ws, end, [[both("Total"), None, None, None, inv.energy_tce, None, inv.energy_equiv_tce, None, inv.scope1_t,
                     inv.scope2_location_t, None, inv.scope2_market_t, None]],
          {5: NUM2, 7: NUM2, 9: NUM2, 10: NUM2, 12: NUM2})
    ws.cell(row=end + 2, column=1, value="Quantity × multiplier = figure. Market-based electricity: "
            "(electricity − green electricity of the same enterprise and month, floored at 0) × market factor.")
    _widths(ws, [30, 18, 8, 14, 18, 14, 18, 14, 16, 18, 14, 18, 16])

    # -- sectors --------------------------------------------------------------------------------------
    ws = wb.create_sheet(both("Sectors"))
    names = sector_names or {}
    _header(ws, 1, [zh("Sector code GB/T 4754"), zh("Sector name"), *[LEDGER_ZH[c] for c in SUM_COLUMNS]])
    _rows(ws, 2, [[code, names.get(str(code), str(code)), *[v[c] for c in SUM_COLUMNS]]
                  for code, v in sorted(inv.by_sector.items())],
          {j: NUM2 for j in range(3, 3 + len(SUM_COLUMNS))})
    _widths(ws, [18, 30, *[20] * len(SUM_COLUMNS)])

    # -- enterprises ----------------------------------------------------------------------------------
    ws = wb.create_sheet(zh("Enterprises (sheet)"))
    per = enterprise_figures(rows, econ[econ["period"].isin(period.months)]).sort_values("co2_t", ascending=False)
    n = len(SUM_COLUMNS)
    _header(
        ws,
        1,
        [
            both("USCC"),
            both("Name"),
            both("Sector"),
            *[LEDGER_ZH[c] for c in SUM_COLUMNS],
            "CO2 (tCO2)",
            zh("Value added (10⁴ yuan)"),
            zh("Gross output (10⁴ yuan)"),
            zh("tCO2 per 10⁴ yuan value added"),
        ],
    )
    _rows(ws, 2, [[r.uscc, r.enterprise, r.sector_code, *[getattr(r, c) for c in SUM_COLUMNS], r.co2_t,
                   _or_none(r.value_added), _or_none(r.gross_output), _or_none(r.co2_intensity)]
                  for r in per.itertuples()], {j: NUM2 for j in range(4, 7 + n)} | {7 + n: "0.0000"})
    _widths(ws, [22, 36, 10, 18, 18, 16, 20, 20, 16, 18, 18, 14])
    ws.freeze_panes = "C2"

    # -- months ---------------------------------------------------------------------------------------
    ws = wb.create_sheet(both("Months"))
    monthly = rows.groupby("period", as_index=False)[SUM_COLUMNS].sum()
    _header(ws, 1, [both("Month"), *[LEDGER_ZH[c] for c in SUM_COLUMNS]])
    _rows(ws, 2, [[r.period, *[getattr(r, c) for c in SUM_COLUMNS]] for r in monthly.itertuples()],
          {j: NUM2 for j in range(2, 2 + len(SUM_COLUMNS))})
    _widths(ws, [12, 20, 20, 18, 22, 22])

    # -- factors --------------------------------------------------------------------------------------
    ws = wb.create_sheet(both("Factors"))
    ws["A1"] = zh("Factor set {name}: {description}", name=inv.factor_set, description=inv.factor_set_description)
    ws["A1"].font = Font(bold=True)
    _header(ws, 3, [both("Carrier"), both("How each multiplier is made (per canonical unit)")])
    end = _rows(ws, 4, [[m["carrier"], m["how"]] for m in mult.values()])
    used: set[str] = set()
    for m in mult.values():
        used |= m["rows"]  # type: ignore[arg-type]
    lib = fs.rows[fs.rows["id"].isin(used)].sort_values("id")
    cols = ["id", "parameter", "carrier", "family", "region", "data_year", "value", "unit", "source", "clause",
            "edition", "valid_from", "valid_to", "status", "note"]
    _header(ws, end + 1, cols)
    _rows(ws, end + 2, lib[cols].values.tolist())
    _widths(ws, [22, 90, 14, 10, 12, 10, 10, 12, 50, 40, 8, 12, 12, 10, 60])

    return save_workbook(wb, out)
