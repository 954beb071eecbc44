"""An enterprise's environmental data pack for ESG disclosure (issue 12): the year's energy, emissions by scope,
intensities, green power, certified footprints, verification status and ratings — each figure the engine's own
(the inventory, the green-power accounts, the verification records, the ratings) — laid out against the
disclosure items of the 2024 sustainability-reporting guidelines of the Shanghai, Shenzhen and Beijing exchanges
(上市公司自律监管指引——可持续发展报告（试行）, 应对气候变化 and 能源利用 chapters) and ISSB IFRS S2 29(a) climate
metrics. The enterprise chooses which items to publish; only a publication's frozen items reach the public page.

The clause references are nengtan's reading of the texts as secondary sources quote them (status to-verify).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from nengtan.engine.certification import Actor, NotPermittedError, enterprise
from nengtan.engine.cockpit import inventory_dict
from nengtan.engine.greenassets import of_enterprise
from nengtan.engine.stores import Stores
from nengtan.errors import InputError, NotFoundError
from nengtan.i18n import keyed, label_table, pair
from nengtan.registry import audit
from nengtan.registry.tables.footprints import Certificate
from nengtan.registry.tables.park import Enterprise
from nengtan.registry.tables.publishing import EsgPublication
from nengtan.reports.words import both, zh

EXCHANGES = "沪深北交易所《上市公司可持续发展报告指引》(2024)"
ITEMS: tuple[tuple[str, str, str, str, str], ...] = (
    # key, unit, exchanges' guideline item, ISSB S2 paragraph, what the paragraph says of it (note.esg:<key>);
    # each item's name is the catalogue's label table esg_items
    ("energy_tce", "tce", "能源利用: 能源消耗总量", "—", ""),
    ("electricity_kwh", "kWh", "能源利用: 能源消耗结构", "—", ""),
    ("scope1_t", "tCO2", "应对气候变化: 温室气体范围一排放总量", "29(a)(i)(1)", ""),
    ("scope2_location_t", "tCO2", "应对气候变化: 温室气体范围二排放总量", "29(a)(i)(2), 29(a)(v)", ""),
    ("scope2_market_t", "tCO2", "应对气候变化: 温室气体范围二排放总量", "29(a)(v)", "contractual"),
    ("co2_intensity", "tCO2/万元", "应对气候变化: 排放强度", "—", ""),
    ("energy_intensity", "tce/万元", "能源利用: 能源强度", "—", ""),
    ("green_power_share", "—", "能源利用: 清洁能源使用", "—", ""),
    ("verification", "—", "应对气候变化: 排放数据的鉴证或核查", "29(a)", "measurement"),
    ("footprints", "—", "应对气候变化: 产品碳足迹", "—", ""),
    ("carbon_efficiency", "—", "—", "—", ""),
)
"""The bilingual label is what a publication keeps; label_zh / label_en, issb_s2_zh / issb_s2_en are the two
languages apart, for a page in one of them."""
LABELS = label_table("esg_items")


def _bilingual(zh: str, en: str) -> str:
    """The Chinese and the English beside it, with no space after a full-width bracket."""
    return f"{zh}{en}" if zh.endswith("）") else f"{zh} {en}"


def _item(key: str, unit: str, ex: str, s2: str, note: str, value: Any, value_zh: Any) -> dict[str, Any]:
    zh, en = LABELS[key]
    note_en, note_zh = keyed("note.esg")[note] if note else ("", "")
    s2_en = s2 + (f" ({note_en})" if note_en else "")
    return {"key": key, "label": _bilingual(zh, en), "label_zh": zh, "label_en": en, "unit": unit, "value": value,
            "value_zh": value_zh, "exchanges": ex, "issb_s2": s2_en, "issb_s2_en": s2_en,
            "issb_s2_zh": s2 + (f"（{note_zh}）" if note_zh else "")}


KEYS = tuple(k for k, *_ in ITEMS)


def _both(key: str) -> tuple[str, str]:
    """A value said in words (note.esg:<key>): "中文 English" as the pack has it, and the Chinese alone."""
    en, zh = keyed("note.esg")[key]
    return _bilingual(zh, en), zh


def pack(stores: Stores, actor: Actor, uscc: str, year: int) -> dict[str, Any]:
    """The enterprise's data pack for `year` (its own for an enterprise user; staff any): every item with its value,
    unit and the disclosure items it answers, and what made the figures."""
    from nengtan.engine.ratings import carbon_efficiency_grades, green_power_shares
    from nengtan.engine.verifications import records

    with stores.registry.session() as s:
        ent = s.execute(of_enterprise(s, actor, select(Enterprise), uscc)).scalars().first()
        if ent is None:
            raise NotFoundError(f"enterprise {uscc}")
        u, name = ent.uscc, ent.name
        certs = [{"number": c.number, "product": c.product_name, "declared_unit": c.declared_unit,
                  "kgco2e": c.value_kgco2e, "valid_to": c.valid_to.isoformat()}
                 for c in s.execute(select(Certificate).where(Certificate.enterprise_id == ent.id,
                                                              Certificate.status == "active")).scalars()
                 if c.issued_on.year <= year <= c.valid_to.year]
    inv = inventory_dict(stores, year, f"enterprise:{u}")
    per = inv.get("intensities") or {}
    rec = records(stores, actor, year, u)
    grade = next((g for g in carbon_efficiency_grades(stores, year)["items"] if g["uscc"] == u), None)
    verification, verification_zh = (
        pair("note.esg:verified", verifier=rec[0]["verifier"], guideline=rec[0]["guideline"], t=rec[0]["total_t"])
        if rec else _both("not_verified"))
    efficiency, efficiency_zh = (pair("note.esg:graded", grade=grade["grade_zh"], method=grade["method"])
                                 if grade and grade["grade"] is not None else _both("not_graded"))
    values: dict[str, Any] = {
        "energy_tce": inv["energy_tce"], "electricity_kwh": inv["electricity_kwh"], "scope1_t": inv["scope1_t"],
        "scope2_location_t": inv["scope2_location_t"], "scope2_market_t": inv["scope2_market_t"],
        "co2_intensity": per.get("co2_t_per_10k_cny_value_added"),
        "energy_intensity": per.get("energy_tce_per_10k_cny_value_added"),
        "green_power_share": green_power_shares(stores, year).get(u, 0.0),
        "verification": verification,
        "footprints": "; ".join(f"{c['product']} {c['kgco2e']:,.2f} kgCO2e/{c['declared_unit']} ({c['number']})"
                                for c in certs) or "—",
        "carbon_efficiency": efficiency,
    }
    values_zh = dict(values, verification=verification_zh, carbon_efficiency=efficiency_zh)
    items = [_item(k, unit, ex, s2, note, values[k], values_zh[k]) for k, unit, ex, s2, note in ITEMS]
    return {"uscc": u, "name": name, "year": year, "factor_set": inv["factor_set"],
            "data_version": inv["data_version"], "frameworks": {"exchanges": EXCHANGES,
                                                                "issb": "IFRS S2 Climate-related Disclosures"},
            "status": "clause references to-verify", "items": items, "certificates": certs}


def publish(stores: Stores, actor: Actor, uscc: str, year: int, keys: list[str]) -> dict[str, Any]:
    """The enterprise publishes the chosen items of its pack (a frozen snapshot, a new version each time). Only the
    enterprise's own users choose what it publishes."""
    unknown = [k for k in keys if k not in KEYS]
    if unknown or not keys:
        raise InputError(f"items to publish: some of {', '.join(KEYS)}" + (f" (not {', '.join(unknown)})"
                                                                           if unknown else ""))
    p = pack(stores, actor, uscc, year)
    with stores.registry.session(write=True) as s:
        ent = enterprise(s, p["uscc"])
        if actor.role != "enterprise" or ent.id not in actor.enterprise_ids:
            raise NotPermittedError(f"only {ent.name}'s own users choose what it publishes")
        chosen = [it for it in p["items"] if it["key"] in keys]
        version = 1 + (s.execute(select(func.max(EsgPublication.version)).where(
            EsgPublication.enterprise_id == ent.id, EsgPublication.year == year)).scalar() or 0)
        body = {"items": chosen, "factor_set": p["factor_set"], "data_version": p["data_version"]}
        s.add(EsgPublication(enterprise_id=ent.id, year=year, version=version,
                             items=json.dumps(body, ensure_ascii=False, default=str), published_by=actor.username))
        audit.record(s, actor.username, "esg.publish", f"enterprise:{ent.uscc}:{year}", {"version": version,
                                                                                          "items": keys})
    return {"uscc": p["uscc"], "year": year, "version": version, "items": chosen}


def withdraw(stores: Stores, actor: Actor, uscc: str, year: int) -> None:
    with stores.registry.session(write=True) as s:
        ent = enterprise(s, uscc)
        if actor.role != "enterprise" or ent.id not in actor.enterprise_ids:
            raise NotPermittedError(f"only {ent.name}'s own users withdraw its publication")
        for p in s.execute(select(EsgPublication).where(EsgPublication.enterprise_id == ent.id,
                                                        EsgPublication.year == year)).scalars():
            p.withdrawn = True
        audit.record(s, actor.username, "esg.withdraw", f"enterprise:{ent.uscc}:{year}", {})


def published(stores: Stores, year: int | None = None) -> list[dict[str, Any]]:
    """What enterprises published, newest version of each enterprise-year, withdrawn ones left out — the only ESG
    figures the public page shows."""
    with stores.registry.session() as s:
        q = select(EsgPublication, Enterprise).join(Enterprise, Enterprise.id == EsgPublication.enterprise_id)
        if year is not None:
            q = q.where(EsgPublication.year == year)
        newest: dict[tuple[int, int], tuple[EsgPublication, Enterprise]] = {}
        for p, ent in s.execute(q.order_by(EsgPublication.version)).all():
            newest[(ent.id, p.year)] = (p, ent)
        return [{"uscc": ent.uscc, "name": ent.name, "year": p.year, "version": p.version,
                 "published_at": p.published_at.isoformat(), **json.loads(p.items)}
                for p, ent in sorted(newest.values(), key=lambda x: (x[1].uscc, x[0].year)) if not p.withdrawn]


def write_pack(data: dict[str, Any], out: Path) -> Path:
    """The pack as XLSX or PDF (nengtan.reports.tables): the items with their disclosure references, and what
    made the figures."""
    from nengtan.reports.tables import write_tables

    items = [[zh("Item (heading)"), both("Value"), both("Unit"), f"{EXCHANGES}", "ISSB IFRS S2"]]
    items += [[it["label"], it["value"], it["unit"], it["exchanges"], it["issb_s2"]] for it in data["items"]]
    about = [[both("About"), ""], [both("Enterprise"), f"{data['name']} ({data['uscc']})"],
             [both("Year"), data["year"]], [both("Factor set"), data["factor_set"]],
             [both("Data version"), data["data_version"]], [both("Clause references"), data["status"]]]
    return write_tables(zh("ESG environmental data — {name} {year}", name=data["name"], year=data["year"]),
                        {both("Environment"): items, both("Provenance"): about}, out)
