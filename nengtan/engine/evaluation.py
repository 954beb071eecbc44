"""Park evaluations over the stores (issue 13): the inputs of HJ 274-2015, the zero-carbon park indicators and the
greenhouse-gas inventory gathered from the platform's own accounts (value added, gross output, energy, CO₂,
renewable energy, per year) and the park's statistics (nengtan.engine.statistics: what the platform does not
measure), the statistics overriding the platform where the park filed a figure — every input says which source it
came from — and evaluated by the pure modules of nengtan.evaluation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from nengtan.engine.cockpit import inventory_dict
from nengtan.engine.stores import Stores
from nengtan.errors import NoDataError
from nengtan.evaluation import ghg, hj274, zero_carbon
from nengtan.i18n import pair
from nengtan.registry.tables.footprints import Certificate
from nengtan.registry.tables.statistics import Statistic
from nengtan.registry.tables.verification import VerificationRecord, YearLock
from nengtan.statistics.items import ITEMS, PLATFORM_ITEMS

ADDITIVE = {k for k, (unit, _) in ITEMS.items() if unit not in ("%", "—", "tCO2/ha/yr", "年")}
"""Items whose enterprise values add up to the park's (not shares, flags or factors)."""


def _platform(stores: Stores, year: int) -> dict[str, Any] | None:
    try:
        return inventory_dict(stores, year, "park")
    except NoDataError:
        return None


def statistics_of(stores: Stores, year: int) -> tuple[dict[str, float], dict[str, str], dict[str, str]]:
    """The place's statistics of `year` (nengtan.engine.places): the figures filed for the place itself, else the
    sum of its enterprises' for additive items; with where each came from, in English and in Chinese."""
    from nengtan.engine.places import WHOLE, place_enterprise_ids, place_of

    place = place_of(stores)
    with stores.registry.session() as s:
        rows = s.execute(select(Statistic.enterprise_id, Statistic.item, Statistic.value, Statistic.source).where(
            Statistic.year == year, Statistic.active.is_(True),
            Statistic.enterprise_id.is_not(None) | (Statistic.place == place))).all()
    if place != WHOLE:
        ids = place_enterprise_ids(stores.registry, place)
        rows = [r for r in rows if r[0] is None or r[0] in ids]
    park = {item: (v, src) for eid, item, v, src in rows if eid is None}
    summed: dict[str, list[float]] = {}
    for eid, item, v, _ in rows:
        if eid is not None and item in ADDITIVE and item not in park:
            summed.setdefault(item, []).append(v)
    values = {k: v for k, (v, _) in park.items()} | {k: sum(v) for k, v in summed.items()}
    said = ({k: pair("note.source:park", source=src) for k, (_, src) in park.items()}
            | {k: pair("note.source:sum", n=len(v)) for k, v in summed.items()})
    sources = {k: en for k, (en, _) in said.items()}
    sources_zh = {k: zh for k, (_, zh) in said.items()}
    return values, sources, sources_zh


Sources = dict[tuple[str, int], str]


def gather(stores: Stores, years: set[int]) -> tuple[dict[tuple[str, int], float], Sources, Sources]:
    """Every input for `years`: the platform's figures, and the park's statistics over them; with the source of
    each in English and in Chinese (which, and what a statistic overrode)."""
    values: dict[tuple[str, int], float] = {}
    sources: Sources = {}
    sources_zh: Sources = {}
    for y in sorted(years):
        inv = _platform(stores, y)
        if inv is not None:
            own = {"value_added": inv.get("value_added"), "gross_output": inv.get("gross_output"),
                   "energy": inv["energy_tce"], "co2": inv["co2_t"],
                   "renewable_energy": inv["renewable_kwh"] * zero_carbon.KWH_TCE}
            for k, v in own.items():
                if v is not None:
                    values[(k, y)] = float(v)
                    sources[(k, y)], sources_zh[(k, y)] = pair("note.source:platform", factor_set=inv["factor_set"],
                                                               data_version=inv["data_version"])
        stats, src, src_zh = statistics_of(stores, y)
        for k, v in stats.items():
            if (k, y) in values and k in PLATFORM_ITEMS:
                en, zh = pair("note.source:overrides", value=values[(k, y)])
                src[k] += en
                src_zh[k] += zh
            values[(k, y)] = v
            sources[(k, y)] = src[k]
            sources_zh[(k, y)] = src_zh[k]
    return values, sources, sources_zh


def plan_base_year(stores: Stores, year: int) -> int | None:
    """The plan's base year the park filed (statistic ``plan_base_year``, the newest filing up to `year`)."""
    from nengtan.engine.places import place_of

    with stores.registry.session() as s:
        v = s.execute(select(Statistic.value).where(Statistic.item == "plan_base_year", Statistic.year <= year,
                                                    Statistic.enterprise_id.is_(None), Statistic.active.is_(True),
                                                    Statistic.place == place_of(stores))
                      .order_by(Statistic.year.desc())).scalars().first()
    return None if v is None else int(v)


def hj274_evaluation(stores: Stores, year: int, base_year: int | None = None, chosen: set[int] | None = None,
                     filed: dict[int, float] | None = None) -> dict[str, Any]:
    """HJ 274-2015 for `year` (elasticities and the CO₂ reduction rate from `base_year`, the plan's base year; by
    default the one the park filed)."""
    base_year = base_year if base_year is not None else plan_base_year(stores, year)
    years = {year, year - 3} | ({base_year} if base_year is not None else set())
    values, sources, sources_zh = gather(stores, years)
    x = hj274.Inputs(year, base_year, values, sources, sources_zh)
    out = hj274.evaluate(x, chosen)
    if filed:
        out["filed_check"] = hj274.check_filed(out, filed)
    out["standard"] = "HJ 274-2015 国家生态工业示范园区标准（综合类）"
    return out


def hj274_trend(stores: Stores, years: list[int], base_year: int | None = None) -> dict[str, Any]:
    """Each indicator's value and pass/fail over `years` (the cockpit's trend)."""
    per = {y: hj274_evaluation(stores, y, base_year) for y in years}
    return {"years": years, "base_year": base_year, "indicators": [
        {"no": ind.no, "name": ind.name, "name_en": ind.name_en, "unit": ind.unit,
         "unit_en": ind.unit_en, "values": [per[y]["indicators"][k]["value"] for y in years],
         "passed": [per[y]["indicators"][k]["passed"] for y in years]}
        for k, ind in enumerate(hj274.INDICATORS)]}


def _counts(stores: Stores, year: int) -> tuple[int, int]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    with stores.registry.session() as s:
        verified = set(s.execute(select(VerificationRecord.enterprise_id).where(
            VerificationRecord.year == year, VerificationRecord.active.is_(True))).scalars())
        verified |= set(s.execute(select(YearLock.enterprise_id).where(YearLock.year == year)).scalars())
        certified_ids = set(s.execute(select(Certificate.enterprise_id).where(
            Certificate.issued_on <= end, Certificate.valid_to >= start, Certificate.status == "active")).scalars())
    from nengtan.engine.places import WHOLE, place_enterprise_ids, place_of

    if place_of(stores) != WHOLE:
        ids = place_enterprise_ids(stores.registry, place_of(stores))
        verified, certified_ids = verified & ids, certified_ids & ids
    return len(verified), len(certified_ids)


def zero_carbon_evaluation(stores: Stores, year: int, pv_yield: float = 1100.0) -> dict[str, Any]:
    """The zero-carbon park indicators of `year` with the gap of each failing one."""
    inv = inventory_dict(stores, year, "park")
    values, sources, sources_zh = gather(stores, {year})
    x = hj274.Inputs(year, None, values, sources, sources_zh)

    def opt(fn: Any) -> float | None:
        try:
            return float(fn())
        except (hj274.MissingInput, ValueError):
            return None

    by = {ind.no: ind for ind in hj274.INDICATORS}
    bc = inv.get("by_carrier") or {}
    elec = bc.get("electricity") or {}
    grid = float(elec.get("scope2_location_t", 0.0)) / float(elec["quantity"]) * 1e3 if elec.get("quantity") else 0.0
    verified, certified = _counts(stores, year)
    energy = values.get(("energy", year), float(inv["energy_tce"]))
    process = float(inv["process_t"])
    co2 = values.get(("co2", year), float(inv["co2_t"]))
    park = zero_carbon.Park(
        energy_tce=energy, co2_energy_t=co2 - process, co2_process_t=process,
        value_added=values.get(("value_added", year)), electricity_kwh=float(inv["electricity_kwh"]),
        renewable_kwh=float(inv["renewable_kwh"]), nonfossil_tce=float(inv["nonfossil_equiv_tce"]),
        natural_gas_tce=float((bc.get("natural_gas") or {}).get("energy_tce", 0.0)), grid_factor_t_per_mwh=grid,
        enterprises=int(inv["enterprises"]), verified_enterprises=verified, certified_enterprises=certified,
        solid_waste_utilisation=opt(lambda: by[6].compute(x)), water_reuse=opt(lambda: by[15].compute(x)),
        waste_heat_utilisation=values.get(("waste_heat_utilisation", year)), pv_yield_kwh_per_kwp=pv_yield)
    rows = zero_carbon.evaluate(park)
    return {"year": year, "indicators": rows, "passed": all(r["passed"] for r in rows if r["passed"] is not None),
            "failing": [r["key"] for r in rows if r["passed"] is False],
            "not_assessed": [r["key"] for r in rows if r["passed"] is None],
            "grid_factor_t_per_mwh": grid, "pv_yield_kwh_per_kwp": pv_yield, "factor_set": inv["factor_set"],
            "data_version": inv["data_version"],
            "inputs_sources": {k: v for (k, _), v in sources.items()}}


def ghg_inventory(stores: Stores, year: int, gwp: str = "AR6") -> dict[str, Any]:
    """The park's greenhouse-gas inventory of `year` under a GWP set."""
    inv = inventory_dict(stores, year, "park")
    stats, src, _ = statistics_of(stores, year)
    bc = inv.get("by_carrier") or {}
    a = ghg.Activity(
        combustion_co2_by_sector={k: float(v["scope1_t"]) - float(v["process_t"])
                                  for k, v in (inv.get("by_sector") or {}).items()},
        fuel_tce={c: float(v["energy_tce"]) for c, v in bc.items() if c in ghg.FUEL_CLASS},
        scope2_t=float(inv["scope2_location_t"]), feedstock_process_t=float(inv["process_t"]),
        carbonates_t={k: stats[k] for k in ghg.CARBONATES if k in stats}, sf6_kg=stats.get("sf6", 0.0),
        hfc_kg={g: stats[k] for k, g in (("hfc_134a", "HFC-134a"), ("hfc_23", "HFC-23")) if k in stats},
        green_space_ha=stats.get("green_space_area"), sink_factor_t_per_ha=stats.get("green_space_sink_factor"),
        sink_factor_source=src.get("green_space_sink_factor", ""))
    return {"year": year, **ghg.inventory(a, gwp), "factor_set": inv["factor_set"], "data_version": inv["data_version"],
            "guideline": "省级温室气体清单编制指南（试行）(2011) layout"}
