"""Figures for the cockpit and the portal over the year data (nengtan.engine.years), cached per data version.

Everything here is a sum over the year's ledger rows (nengtan.engine.years) or a copy of the
inventory (nengtan.engine.accounts), so the cockpit shows exactly what ``nengtan inventory`` prints.
Headline CO2 is Scope 1 + Scope 2 location-based (``Inventory.co2_t``).

Targets: the headline holds each indicator against the park's adopted park-level targets (issue 4,
``nengtan targets adopt``; the tightest limit of the year when several apply). An indicator without an
adopted target falls back to the Jiangsu (near-)zero-carbon industrial park indicators shipped as issue
4's templates (``jiangsu-zero-carbon-park-*``): energy intensity ≤ 0.35 tce/万元, carbon intensity ≤ 0.6
tCO2/万元, non-fossil share ≥ 20 %, renewable electricity share ≥ 30 %. Without an adopted cap, the
totals' limits are the elastic totals the intensity limits allow at the year's value added (limit =
intensity limit × value added), the "intensity binding, total elastic" rule of the Jiangning plan.
Each item says where its limit comes from (``target_source``). Status thresholds are issue 4's
(:func:`nengtan.targets.warnings.classify`: red at ratio ≥ 1.00, yellow at ≥ 0.95); the warning run's
projection and status for the same indicator ride along (``projection``, ``warning_status``).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from nengtan.accounting import LEDGER_COLUMNS
from nengtan.engine.stores import Stores
from nengtan.engine.years import year_data
from nengtan.errors import NoDataError
from nengtan.indicators import enterprise_figures
from nengtan.labels import CARRIERS

PARK_TARGET_TEMPLATES = {
    "energy_intensity": "jiangsu-zero-carbon-park-energy-intensity",
    "carbon_intensity": "jiangsu-zero-carbon-park-carbon-intensity",
    "nonfossil_share": "jiangsu-zero-carbon-park-nonfossil-share",
    "renewable_electricity_share": "jiangsu-zero-carbon-park-renewable-electricity",
}


def clean(x: Any) -> Any:
    """JSON-safe: NaN/inf → None, numpy scalars → Python."""
    if isinstance(x, dict):
        return {str(k): clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [clean(v) for v in x]
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x


def year_ledger(stores: Stores, year: int) -> pd.DataFrame:
    """The year's ledger, or an empty one for a year without data (trends show last year as zeros)."""
    d = year_data(stores, year, required=False)
    return d.ledger if d is not None else pd.DataFrame(columns=LEDGER_COLUMNS)


def year_economics(stores: Stores, year: int) -> pd.DataFrame:
    d = year_data(stores, year, required=False)
    return d.economics if d is not None else pd.DataFrame(columns=["uscc", "period", "value_added",
                                                                   "gross_output", "value_added_constant"])


def inventory_dict(stores: Stores, year: int, scope: str = "park", month: int | None = None,
                   quarter: int | None = None, factor_set: str | None = None) -> dict[str, Any]:
    """The inventory of a scope and period (the figures ``nengtan inventory`` prints), JSON-safe."""
    from nengtan.engine.accounts import inventory

    return stores.cached(("inventory", year, scope, month, quarter, factor_set or stores.factor_set),
                         lambda: clean(inventory(stores, year, month, quarter, scope, factor_set).to_dict()))


def latest_year(stores: Stores, default: int | None = None) -> int:
    """The newest year with activity data (``default`` when given, else today's year without data)."""
    if default:
        return default

    def compute() -> int:
        from sqlalchemy import func, select

        from nengtan.registry.tables.records import Activity
        with stores.registry.session() as s:
            p = s.execute(select(func.max(Activity.period))).scalar()
        if p:
            return int(str(p)[:4])
        import datetime as dt
        return dt.date.today().year

    return stores.cached(("latest_year",), compute)


def data_years(stores: Stores) -> list[int]:
    """The years that hold activity data (statements or readings), oldest first: the years a page offers."""

    def compute() -> list[int]:
        from sqlalchemy import func, select

        from nengtan.registry.tables.records import Activity
        with stores.registry.session() as s:
            years = {int(str(y)) for y in s.execute(select(func.distinct(func.substr(Activity.period, 1, 4))))
                     .scalars() if y}
        lake_years = {int(f.split("/year=")[1].split("/")[0]) for f in stores.lake.files() if "/year=" in f}
        for y in sorted(lake_years - years):  # a year whose only readings are at its first instant (counters'
            if _consumption_after(stores, y):  # registers closing the year before) holds no consumption
                years.add(y)
        return sorted(years)

    return stores.cached(("data_years",), compute)


def _consumption_after(stores: Stores, year: int) -> bool:
    """Whether the lake holds a reading of ``year`` after its first instant (park time)."""
    import datetime as dt

    import duckdb

    from nengtan.calendar import park_midnight

    files = stores.lake.files(years=[year])
    last = duckdb.connect().execute("SELECT max(ts) FROM read_parquet($f)", {"f": files}).fetchone()
    return bool(last and last[0] is not None and last[0] > park_midnight(dt.date(year, 1, 1)))


def _status(ratio: float | None) -> str:
    if ratio is None or not math.isfinite(ratio):
        return "grey"
    from nengtan.targets.warnings import classify
    return str(classify(np.array([ratio]))[0])


def _template_value(template_id: str) -> float | None:
    try:
        from nengtan.targets.targets import template
        return float(template(template_id).value)
    except Exception:
        return None



def headline_limits(stores: Stores, year: int) -> dict[str, tuple[float, str]]:
    """Limit and its source per issue 4 indicator for ``year``: the tightest adopted park target, else
    the template (intensities and shares only)."""
    from nengtan.engine.targets import adopted_targets
    from nengtan.targets.errors import TargetsError
    from nengtan.targets.targets import required_level

    out: dict[str, tuple[float, str]] = {}
    for t, bl in adopted_targets(stores):
        if t.level != "park":
            continue
        try:
            lv = float(required_level(t, year, bl))
        except TargetsError:
            continue
        prev = out.get(t.indicator)
        tighter = prev is None or (lv > prev[0] if t.kind == "min_share" else lv < prev[0])
        if tighter:
            out[t.indicator] = (lv, f"adopted:{t.target_id}")
    for ind, tid in PARK_TARGET_TEMPLATES.items():
        v = _template_value(tid)
        if ind not in out and v is not None:
            out[ind] = (v, f"template:{tid}")
    return out


def headline(stores: Stores, year: int) -> dict[str, Any]:
    inv = inventory_dict(stores, year)
    try:
        prev = inventory_dict(stores, year - 1)
    except NoDataError:
        prev = {}
    ints = inv.get("intensities") or {}
    va = inv.get("value_added")
    limits = headline_limits(stores, year)
    progress: dict[str, dict[str, Any]] = {}
    from nengtan.engine.targets import warning_run

    frame = warning_run(stores, year)["frame"]
    for r in frame[frame["level"] == "park"].to_dict(orient="records"):
        progress.setdefault(str(r["indicator"]), r)

    def item(key: str, indicator: str, value: float | None, unit: str, upper: bool,
             prev_value: float | None) -> dict[str, Any]:
        limit, source = limits.get(indicator, (None, ""))
        if indicator in ("energy_total", "carbon_total") and indicator not in limits:
            per = limits.get("energy_intensity" if indicator == "energy_total" else "carbon_intensity")
            if per and va:
                limit, source = per[0] * va, f"elastic:{per[1]}"
        ratio = None
        if value is not None and limit:
            ratio = value / limit if upper else (limit / value if value else math.inf)
        yoy = (value / prev_value - 1.0) if value is not None and prev_value else None
        w = progress.get(indicator) or {}
        return {"key": key, "indicator": indicator, "value": value, "unit": unit, "target": limit,
                "target_kind": "max" if upper else "min", "target_source": source, "ratio": ratio,
                "status": _status(ratio), "last_year": prev_value, "yoy": yoy,
                "projection": w.get("projection"), "projection_low": w.get("low"),
                "projection_high": w.get("high"), "warning_status": w.get("status"),
                "reason_zh": w.get("reason_zh"), "reason_en": w.get("reason_en")}

    pints = prev.get("intensities") or {}
    items = [
        item("energy_tce", "energy_total", inv["energy_tce"], "tce", True, prev.get("energy_tce")),
        item("co2_t", "carbon_total", inv["co2_t"], "tCO2", True, prev.get("co2_t")),
        item("energy_intensity", "energy_intensity", ints.get("energy_tce_per_10k_cny_value_added"), "tce/万元",
             True, pints.get("energy_tce_per_10k_cny_value_added")),
        item("carbon_intensity", "carbon_intensity", ints.get("co2_t_per_10k_cny_value_added"), "tCO2/万元", True,
             pints.get("co2_t_per_10k_cny_value_added")),
        item("non_fossil_energy_share", "nonfossil_share", inv.get("non_fossil_energy_share"), "%", False,
             prev.get("non_fossil_energy_share")),
        item("renewable_electricity_share", "renewable_electricity_share", inv.get("renewable_electricity_share"),
             "%", False, prev.get("renewable_electricity_share")),
    ]
    adopted = any(i["target_source"].startswith(("adopted:", "elastic:adopted:")) for i in items)
    return clean({"year": year, "items": items, "factor_set": inv["factor_set"],
                  "data_version": inv["data_version"], "enterprises": inv["enterprises"],
                  "value_added": va, "value_added_basis": inv.get("value_added_basis"),
                  "energy_basis": inv.get("energy_basis"), "factor_basis": inv.get("factor_basis"),
                  "targets_source": "adopted park targets (templates where none)" if adopted
                  else "issue-4 templates jiangsu-zero-carbon-park-*"})


def _monthly(led: pd.DataFrame, year: int) -> dict[str, list[float]]:
    months = [f"{year:04d}-{m:02d}" for m in range(1, 13)]
    if led.empty:
        return {"energy_tce": [0.0] * 12, "co2_t": [0.0] * 12}
    g = led.assign(co2_t=led["scope1_t"] + led["scope2_location_t"]).groupby("period")[
        ["energy_tce", "co2_t"]].sum()
    g = g.reindex(months).fillna(0.0)
    return {"energy_tce": [float(v) for v in g["energy_tce"]], "co2_t": [float(v) for v in g["co2_t"]]}


def filter_scope(led: pd.DataFrame, scope: str) -> pd.DataFrame:
    if scope == "park" or led.empty:
        return led
    kind, _, value = scope.partition(":")
    if kind == "sector":
        return led[led["sector_code"].astype(str).str.startswith(value)]
    return led[led["uscc"] == value]


def trends(stores: Stores, year: int, scope: str = "park") -> dict[str, Any]:
    this = _monthly(filter_scope(year_ledger(stores, year), scope), year)
    last = _monthly(filter_scope(year_ledger(stores, year - 1), scope), year - 1)
    return clean({"year": year, "scope": scope, "months": [f"{m:02d}" for m in range(1, 13)],
                  "this_year": this, "last_year": last})


def breakdown(stores: Stores, year: int, scope: str = "park") -> dict[str, Any]:
    led = filter_scope(year_ledger(stores, year), scope)
    led = led.assign(co2_t=led["scope1_t"] + led["scope2_location_t"])
    by_carrier: list[dict[str, Any]] = []
    for carrier, g in led.groupby("carrier"):
        zh, en = CARRIERS.get(str(carrier), (str(carrier), str(carrier)))
        by_carrier.append({"carrier": carrier, "name_zh": zh, "name_en": en,
                           "quantity": float(g["quantity"].sum()), "unit": str(g["unit"].iloc[0]),
                           "energy_tce": float(g["energy_tce"].sum()), "co2_t": float(g["co2_t"].sum())})
    names = sector_names(stores)
    by_sector: list[dict[str, Any]] = []
    div = led["sector_code"].astype(str).str[:2]
    for code, g in led.groupby(div):
        zh, en = names.get(str(code), (str(code), str(code)))
        by_sector.append({"sector_code": code, "name_zh": zh, "name_en": en,
                          "energy_tce": float(g["energy_tce"].sum()), "co2_t": float(g["co2_t"].sum()),
                          "enterprises": int(g["uscc"].nunique())})
    by_carrier.sort(key=lambda r: -r["co2_t"])
    by_sector.sort(key=lambda r: -r["co2_t"])
    return clean({"year": year, "scope": scope, "by_carrier": by_carrier, "by_sector": by_sector})


def sector_names(stores: Stores) -> dict[str, tuple[str, str]]:
    def compute() -> dict[str, tuple[str, str]]:
        from sqlalchemy import select

        from nengtan.registry.tables.park import Sector
        with stores.registry.session() as s:
            return {r.code: (r.name_zh, r.name_en) for r in s.execute(select(Sector)).scalars()}

    return stores.cached(("sectors",), compute)


def sankey(stores: Stores, year: int) -> dict[str, Any]:
    """Energy flow [tce] from carriers (left) to sector divisions (right)."""
    led = year_ledger(stores, year)
    names = sector_names(stores)
    flows = led.assign(div=led["sector_code"].astype(str).str[:2]).groupby(["carrier", "div"])[
        "energy_tce"].sum()
    nodes: list[dict[str, Any]] = []
    seen: set[str] = set()
    links = []
    for key, v in flows.items():
        carrier, div = str(key[0]), str(key[1])  # type: ignore[index]
        if v <= 0:
            continue
        c_zh, c_en = CARRIERS.get(str(carrier), (str(carrier), str(carrier)))
        s_zh, s_en = names.get(str(div), (str(div), str(div)))
        src, dst = f"c:{carrier}", f"s:{div}"
        for nid, zh, en in ((src, c_zh, c_en), (dst, f"{div} {s_zh}", f"{div} {s_en}")):
            if nid not in seen:
                seen.add(nid)
                nodes.append({"id": nid, "name_zh": zh, "name_en": en})
        links.append({"source": src, "target": dst, "value": float(v)})
    return clean({"year": year, "unit": "tce", "nodes": nodes, "links": links})


def enterprise_table(stores: Stores, year: int) -> pd.DataFrame:
    """One row per enterprise of the stores' place: energy, CO2, value added, intensity, coordinates."""

    def compute() -> pd.DataFrame:
        from sqlalchemy import select

        from nengtan.registry.tables.park import Enterprise
        with stores.registry.session() as s:
            ents = pd.DataFrame(
                [(e.uscc, e.name, e.sector_code, e.lon, e.lat, e.key_energy_unit, e.key_emission_unit)
                 for e in s.execute(select(Enterprise)).scalars()],
                columns=["uscc", "name", "sector_code", "lon", "lat", "key_energy_unit", "key_emission_unit"])
        from nengtan.engine.places import WHOLE, place_of, place_usccs

        if place_of(stores) != WHOLE:  # a park's or region's enterprises only
            ents = ents[ents["uscc"].isin(place_usccs(stores.registry, place_of(stores)))]
        fig = enterprise_figures(year_ledger(stores, year), year_economics(stores, year))
        fig = fig[["uscc", "energy_tce", "co2_t", "value_added", "co2_intensity", "energy_intensity"]]
        out = ents.merge(fig, on="uscc", how="left").fillna({"energy_tce": 0.0, "co2_t": 0.0})
        return out

    return stores.cached(("enterprise_table", year), compute)


def ranking(stores: Stores, year: int, by: str, limit: int, sector: str | None) -> dict[str, Any]:
    t = enterprise_table(stores, year)
    if sector:
        t = t[t["sector_code"].astype(str).str.startswith(sector)]
    col = {"co2": "co2_t", "intensity": "co2_intensity", "energy": "energy_tce"}[by]
    t = t.sort_values(col, ascending=False, na_position="last").head(limit)
    rows = [{"rank": i + 1, "uscc": r.uscc, "name": r.name, "sector_code": r.sector_code,
             "energy_tce": r.energy_tce, "co2_t": r.co2_t, "value_added": r.value_added,
             "co2_intensity": r.co2_intensity, "energy_intensity": r.energy_intensity}
            for i, r in enumerate(t.itertuples())]
    return clean({"year": year, "by": by, "items": rows})


def map_points(stores: Stores, year: int) -> dict[str, Any]:
    t = enterprise_table(stores, year)
    pts = [{"uscc": r.uscc, "name": r.name, "sector_code": r.sector_code, "lon": r.lon, "lat": r.lat,
            "co2_t": r.co2_t, "energy_tce": r.energy_tce}
           for r in t.itertuples() if r.lon is not None and r.lat is not None
           and not (isinstance(r.lon, float) and math.isnan(r.lon))]
    return clean({"year": year, "items": pts})


def enterprise_monthly(stores: Stores, year: int, uscc: str) -> list[dict[str, Any]]:
    led = year_ledger(stores, year)
    led = led[led["uscc"] == uscc]
    cols = ["period", "carrier", "quantity", "unit", "source", "estimated_quantity", "energy_tce",
            "energy_equiv_tce", "scope1_t", "scope2_location_t", "scope2_market_t"]
    rows = led[cols].sort_values(["period", "carrier"]).to_dict(orient="records")
    return clean(rows)  # type: ignore[no-any-return]


def quality(stores: Stores, year: int, uscc: str) -> dict[str, Any]:
    """Completeness and estimation per carrier: months with data, estimated share."""
    led = year_ledger(stores, year)
    led = led[led["uscc"] == uscc]
    carriers: list[dict[str, Any]] = []
    for carrier, g in led.groupby("carrier"):
        months = sorted(set(g["period"]))
        q = float(g["quantity"].sum())
        est = float(g["estimated_quantity"].sum())
        carriers.append({"carrier": carrier, "months_with_data": len(months),
                         "missing_months": [f"{year:04d}-{m:02d}" for m in range(1, 13)
                                            if f"{year:04d}-{m:02d}" not in months],
                         "sources": sorted(set(map(str, g["source"]))),
                         "quantity": q, "unit": str(g["unit"].iloc[0]), "estimated_quantity": est,
                         "estimated_share": est / q if q else None})
    complete = sum(int(c["months_with_data"]) for c in carriers)
    return clean({"year": year, "uscc": uscc, "carriers": carriers,
                  "completeness": complete / (12 * len(carriers)) if carriers else 0.0})


def meter_monthly(stores: Stores, year: int, code: str, kind: str) -> list[dict[str, Any]]:
    """Monthly consumption of one meter from the readings lake (interval sums or counter differences)."""
    from nengtan.accounting.meters import meter_totals
    from nengtan.engine.ledgers import metered_counter_totals
    from nengtan.lake.scan import configured_scan
    from nengtan.registry.frames import main_meters

    if kind == "counter":
        meters = main_meters(stores.registry)
        one = meters[meters["meter_id"] == code]
        pairs = {(code, year, m) for m in range(1, 13)} if len(one) else set()
        frame = stores.cached(("counter_totals", year, code), lambda: metered_counter_totals(stores.lake, one, pairs))
    else:
        frame = stores.cached(("meter_totals", year),
                              lambda: meter_totals(configured_scan().month_scan(stores.lake, year), year))
    g = frame[frame["meter_id"] == code]
    by_month = {int(m): (float(tot), float(est))
                for m, tot, est in zip(g["month"], g["total"], g["estimated"], strict=True)}
    return clean([{"period": f"{year:04d}-{m:02d}", "quantity": by_month.get(m, (0.0, 0.0))[0],
                   "estimated_quantity": by_month.get(m, (0.0, 0.0))[1], "has_data": m in by_month}
                  for m in range(1, 13)])  # type: ignore[no-any-return]


def enterprise_quarantine(stores: Stores, enterprise_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """Quarantined rows of the batches uploaded for this enterprise through the service."""
    from sqlalchemy import select

    from nengtan.ingest.tables import chinese_header
    from nengtan.reasons import in_chinese
    from nengtan.registry.tables.publishing import Upload
    from nengtan.registry.tables.records import QuarantineRow
    with stores.registry.session() as s:
        batches = [b for b in s.execute(select(Upload.batch_id).where(Upload.enterprise_id == enterprise_id))
                   .scalars() if b]
        if not batches:
            return []
        rows = s.execute(select(QuarantineRow).where(QuarantineRow.batch_id.in_(batches))
                         .order_by(QuarantineRow.id.desc()).limit(limit)).scalars()
        return [{"batch": r.batch_id, "file": r.file, "row": r.row, "column": r.column,
                 "column_zh": chinese_header(r.column) if r.column else r.column, "reason": r.reason,
                 "reason_zh": in_chinese(r.reason)} for r in rows]


def warnings(stores: Stores, year: int) -> dict[str, Any]:
    """Warnings (预警) from issue 4's engine for the year to its last month with data: park targets (the
    adopted ones, else the templates), the park budget, sectors and enterprises when the year's budget
    is allocated (:func:`nengtan.engine.targets.warnings_payload`). The list is empty, with a note,
    for a year without data."""

    def compute() -> dict[str, Any]:
        from nengtan.engine.targets import warnings_payload

        try:
            return warnings_payload(stores, year)
        except NoDataError as exc:
            return {"year": year, "month": None, "items": [], "counts": {}, "targets_source": "", "note": str(exc)}

    return stores.cached(("warnings", year), compute)
