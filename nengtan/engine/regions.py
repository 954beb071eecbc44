"""Regions above the parks (issue 14, item 1): province → city → district/county → park → enterprise. Regions are
imported from a table (``code,name,level,parent``: GB/T 2260 codes), a park is placed in its lowest region, and an
enterprise belongs to a park (the ``park`` column of the enterprises file). Every inventory then works at any level
(scope ``region:<code>`` or ``park:<code>``, nengtan.accounting.inventory.select_scope), and a region's total is the
sum of its parks' (tests/test_regions.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from nengtan.engine.certification import Actor, require_staff
from nengtan.engine.greenassets import ImportResult
from nengtan.errors import InputError, NotFoundError
from nengtan.registry import audit
from nengtan.registry.store import Registry
from nengtan.registry.tables.park import Park, Region

LEVELS = ("province", "city", "district")
"""Each level's parent is the level before it; a province has none."""


def import_regions(reg: Registry, actor: Actor, path: Path) -> ImportResult:
    """Regions from a table; a row whose parent is neither held nor in the file, or whose level does not follow
    its parent's, is refused with its line. Rows may come in any order."""
    from nengtan.ingest.rows import table_rows

    require_staff(actor, "regions")
    out = ImportResult()
    rows = table_rows(path, ("code", "name", "level", "parent"))
    with reg.session() as s:
        held = {r.code: r.level for r in s.execute(select(Region)).scalars()}
    pending = {r["code"].strip(): (w, r) for w, r in rows}
    levels = held | {c: r["level"].strip() for c, (_, r) in pending.items()}
    order = sorted(pending, key=lambda c: LEVELS.index(levels[c]) if levels[c] in LEVELS else 9)
    for code in order:
        where, r = pending[code]
        try:
            level, parent = r["level"].strip(), r["parent"].strip()
            if not code or not r["name"].strip():
                raise InputError("code and name are needed")
            if level not in LEVELS:
                raise InputError(f"level {level!r}: one of {', '.join(LEVELS)}")
            want = None if level == "province" else LEVELS[LEVELS.index(level) - 1]
            if (want is None) != (not parent):
                raise InputError(f"a {level} has {'a ' + want + ' as its parent' if want else 'no parent'}")
            if parent and levels.get(parent) != want:
                raise InputError(f"parent {parent!r} is not a {want} held or in the file")
            with reg.session(write=True) as s:
                par = s.execute(select(Region).where(Region.code == parent)).scalar() if parent else None
                if parent and par is None:
                    raise InputError(f"parent {parent!r} was refused")
                old = s.execute(select(Region).where(Region.code == code)).scalar()
                if old is None:
                    s.add(Region(code=code, name=r["name"].strip(), level=level,
                                 parent_id=par.id if par else None))
                else:
                    old.name, old.level, old.parent_id = r["name"].strip(), level, par.id if par else None
                audit.record(s, actor.username, "region.import", f"region:{code}", {"level": level,
                                                                                   "parent": parent})
            out.landed += 1
        except InputError as exc:
            out.refuse(where, exc)
    return out


def place_park(reg: Registry, actor: Actor, code: str, region: str, name: str | None = None) -> None:
    """Put a park (created if new) in its lowest region."""
    require_staff(actor, "parks")
    with reg.session(write=True) as s:
        rg = s.execute(select(Region).where(Region.code == region)).scalar()
        if rg is None:
            raise NotFoundError(f"region {region}")
        park = s.execute(select(Park).where(Park.code == code)).scalar()
        if park is None:
            if not name:
                raise InputError(f"park {code} is new: give its --name")
            park = Park(code=code, name=name, province="jiangsu")
            s.add(park)
        elif name:
            park.name = name
        park.region_id = rg.id
        audit.record(s, actor.username, "park.place", f"park:{code}", {"region": region})


def tree(reg: Registry) -> list[dict[str, Any]]:
    """The regions with their parks and enterprise counts, as nested dictionaries."""
    from sqlalchemy import func

    from nengtan.registry.tables.park import Enterprise

    with reg.session() as s:
        regions = list(s.execute(select(Region).order_by(Region.code)).scalars())
        parks = list(s.execute(select(Park).order_by(Park.code)).scalars())
        counts = dict(s.execute(select(Enterprise.park_id, func.count(Enterprise.id)).group_by(Enterprise.park_id))
                      .all())
    nodes: dict[int | None, dict[str, Any]] = {
        r.id: {"code": r.code, "name": r.name, "level": r.level, "children": [], "parks": []} for r in regions}
    roots: list[dict[str, Any]] = []
    for r in regions:
        (nodes[r.parent_id]["children"] if r.parent_id in nodes else roots).append(nodes[r.id])
    loose: dict[str, Any] = {"code": "", "name": "(no region)", "level": "", "children": [], "parks": []}
    for p in parks:
        n = int(counts.get(p.id, 0))
        if p.region_id not in nodes and n == 0 and regions:
            continue  # the registry's empty default park, once the parks are placed in regions
        nodes.get(p.region_id, loose)["parks"].append({"code": p.code, "name": p.name, "enterprises": n})
    return roots + ([loose] if loose["parks"] else [])
