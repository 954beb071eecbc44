"""Statistics per year for the park or an enterprise (land, tax, sales, the park evaluations' items …,
nengtan.statistics.items), imported from a table ``[uscc,]year,item,value,unit,source`` (no or an empty uscc is the
park's own figure; ``nengtan import park-statistics FILE`` and ``nengtan statistics import FILE``): every good row
lands in its canonical unit with its source; a value that replaces one already held is a new version, only with a
reason, the old one kept inactive; a bad row is reported with its line and nothing of it is stored."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nengtan.engine.certification import Actor, enterprise, require_staff
from nengtan.engine.greenassets import ImportResult
from nengtan.engine.places import WHOLE, normalise_place, place_info
from nengtan.errors import InputError, NotFoundError, StateError
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import Enterprise
from nengtan.registry.tables.statistics import Statistic
from nengtan.statistics.items import canonical

COLUMNS = ("year", "item", "value", "unit", "source")
"""The columns every statistics table has; ``uscc`` (the enterprise; empty or absent: the park), ``place`` (a
park-level figure's park or region, ``park:<code>`` / ``region:<code>``; empty or absent: the installation) and
``status`` (reported | verified) are optional."""


def import_statistics(reg: Registry, actor: Actor, path: Path, reason: str | None = None) -> ImportResult:
    from nengtan.ingest.rows import number_at, table_rows

    require_staff(actor, "statistics")
    out = ImportResult()
    for where, row in table_rows(path, COLUMNS):
        try:
            year = int(number_at(row["year"], where, "year"))
            item = row["item"].strip()
            value, unit = canonical(item, number_at(row["value"], where, "value"), row["unit"])
            if not row["source"].strip():
                raise InputError("source is empty (say where the figure comes from)")
            uscc = (row.get("uscc") or "").strip().upper()
            place = normalise_place(row.get("place"))
            if uscc and place != WHOLE:
                raise InputError("a row has a uscc or a place, not both")
            if place != WHOLE:
                place_info(reg, place)  # an unknown park or region is refused with its line
            with reg.session(write=True) as s:
                ent_id = enterprise(s, uscc).id if uscc else None
                old = s.execute(select(Statistic).where(Statistic.enterprise_id.is_(None) if ent_id is None
                                                        else Statistic.enterprise_id == ent_id,
                                                        Statistic.place == place,
                                                        Statistic.year == year, Statistic.item == item,
                                                        Statistic.active.is_(True))).scalar()
                if old is not None and old.value == value:
                    continue
                if old is not None and not (reason or "").strip():
                    raise StateError(f"{uscc or place} {year} {item} is held ({old.value:g} {old.unit}): a new "
                                     "value needs a reason (--reason)")
                version = 1
                if old is not None:
                    old.active, version = False, old.version + 1
                s.add(Statistic(enterprise_id=ent_id, place=place, year=year, item=item, value=value, unit=unit,
                                source=row["source"].strip()[:300], status=(row.get("status") or "reported").strip(),
                                version=version, reason=(reason or "").strip() or None if old else None,
                                created_by=actor.username))
                audit.record(s, actor.username, "statistics.import", f"{uscc or place}:{year}:{item}",
                             {"value": value, "unit": unit, "version": version})
            out.landed += 1
        except (InputError, StateError, NotFoundError) as exc:  # NotFoundError: an unknown uscc, park or region
            out.refuse(where, exc)
    return out


def values(reg: Registry, year: int, item: str) -> dict[str, float]:
    """Each enterprise's active value of `item` for `year`, by USCC."""
    with reg.session() as s:
        return {u: v for u, v in s.execute(
            select(Enterprise.uscc, Statistic.value).join(Enterprise, Enterprise.id == Statistic.enterprise_id)
            .where(Statistic.year == year, Statistic.item == item, Statistic.active.is_(True))).all()}
