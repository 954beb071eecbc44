"""The engine at any level of the hierarchy (issue 14, item 1): a *place* is what one installation's figures are
about — the whole installation (``park``: every enterprise the registry holds), one park (``park:<code>``) or one
region (``region:<code>``: a province, city or district with every park under it).

:class:`PlacedStores` is the stores seen from a place. Its year data (nengtan.engine.years) hold only the place's
enterprises, so every figure built on them — the inventory, the cockpit, targets and warnings, budgets, the
evaluations — is the place's, computed by the same code as the installation's. A place's totals are sums over the
same ledger rows as the installation's, so a region equals the sum of its parts exactly (tests/test_places.py).

What belongs to a place:

* targets adopted for it: subject ``park:<code>`` or ``region:<code>`` (the installation's own: subject ``park``);
  in the place's view they are its park-level targets;
* the budget allocation's lines of its enterprises; its budget is their sum (the installation's reserve stays with
  the installation);
* enterprise targets of its enterprises and the sector targets (held against the place's part of the sector).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select

from nengtan.engine.stores import Stores
from nengtan.errors import InputError, NotFoundError
from nengtan.i18n import pair
from nengtan.lake import Lake
from nengtan.registry.store import Registry

T = TypeVar("T")
WHOLE = "park"
"""The installation's own place: every enterprise the registry holds."""


def normalise_place(place: str | None) -> str:
    """``park``, ``park:<code>`` or ``region:<code>``, stripped; a malformed place is an InputError."""
    p = (place or WHOLE).strip()
    if p == WHOLE:
        return p
    kind, _, code = p.partition(":")
    if kind not in ("park", "region") or not code.strip():
        raise InputError(f"place {p!r} is not park, park:<code> or region:<code>")
    return f"{kind}:{code.strip()}"


@dataclass(frozen=True)
class PlaceInfo:
    place: str
    name: str
    level: str  # installation | park | province | city | district
    path: str  # region codes above and including it, /320000/320100/ (parks: their region's path)


def place_info(reg: Registry, place: str) -> PlaceInfo:
    """The place's name, level and region path; an unknown park or region is a NotFoundError."""
    from nengtan.registry.tables.park import Park, Region

    place = normalise_place(place)
    kind, _, code = place.partition(":")
    with reg.session() as s:
        regions = {r.id: r for r in s.execute(select(Region)).scalars()}
        parks = list(s.execute(select(Park).order_by(Park.id)).scalars())

    def path(rid: int | None) -> str:
        codes: list[str] = []
        while rid is not None and rid in regions and len(codes) <= len(regions):
            codes.append(regions[rid].code)
            rid = regions[rid].parent_id
        return "/" + "".join(f"{c}/" for c in reversed(codes))

    if place == WHOLE:
        tops = [r for r in regions.values() if r.parent_id is None]
        name = (tops[0].name if len(tops) == 1 and len(parks) > 1 else parks[0].name if parks
                else pair("note.place:park")[1])
        return PlaceInfo(place, name, "installation", "/")
    if kind == "park":
        pk = next((p for p in parks if p.code == code), None)
        if pk is None:
            raise NotFoundError(f"park {code}")
        return PlaceInfo(place, pk.name, "park", path(pk.region_id))
    rg = next((r for r in regions.values() if r.code == code), None)
    if rg is None:
        raise NotFoundError(f"region {code}")
    return PlaceInfo(place, rg.name, rg.level, path(rg.id))


def within(reg: Registry, inner: str, outer: str) -> bool:
    """Whether place ``inner`` lies inside place ``outer`` (a place lies inside itself; a park holds no smaller
    place)."""
    inner, outer = inner.strip(), normalise_place(outer)
    if outer == WHOLE or inner == outer:
        return True
    kind, _, code = inner.partition(":")
    okind, _, ocode = outer.partition(":")
    if kind not in ("park", "region") or not code or okind == "park":
        return False
    try:
        return f"/{ocode}/" in place_info(reg, inner).path
    except NotFoundError:
        return False


def place_usccs(reg: Registry, place: str) -> frozenset[str]:
    """The credit codes of the enterprises in ``place``."""
    from nengtan.accounting import select_scope
    from nengtan.registry import frames

    return frozenset(select_scope(frames.enterprises_frame(reg), normalise_place(place))["uscc"])


def place_enterprise_ids(reg: Registry, place: str) -> frozenset[int]:
    from nengtan.accounting import select_scope
    from nengtan.registry import frames

    return frozenset(int(i) for i in select_scope(frames.enterprises_frame(reg),
                                                   normalise_place(place))["enterprise_id"])


class PlacedStores:
    """The stores seen from a place (module docstring). Results are cached in the underlying stores, keyed by
    the place, so the service's cache (and its invalidation) serves every place."""

    def __init__(self, base: Stores, place: str) -> None:
        self.base = base
        self.place = normalise_place(place)
        self.registry: Registry = base.registry
        self.lake: Lake = base.lake

    @property
    def factor_set(self) -> str | None:
        return self.base.factor_set

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        return self.base.cached(("at", self.place, *key), compute)

    async def acached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        return await self.base.acached(("at", self.place, *key), compute)  # type: ignore[attr-defined,no-any-return]

    @property
    def settings(self) -> Any:
        """The service's settings (a placed view of the service's stores)."""
        return getattr(self.base, "settings")  # noqa: B009 — the Stores protocol has none

    def __getattr__(self, name: str) -> Any:  # principals, … of the service
        return getattr(self.base, name)


def place_of(stores: Stores) -> str:
    """The place ``stores`` see (``park`` for the installation's own stores)."""
    return str(getattr(stores, "place", WHOLE))


def unplaced(stores: Stores) -> Stores:
    """The installation's stores under a placed view."""
    while isinstance(stores, PlacedStores):
        stores = stores.base
    return stores


def at_place(stores: Stores, place: str | None) -> Stores:
    """``stores`` seen from ``place`` (the installation's own stores for ``park`` or None)."""
    base = unplaced(stores)
    p = normalise_place(place)
    if p == WHOLE:
        return base
    place_info(base.registry, p)  # an unknown park or region is refused here, not as an empty view
    return PlacedStores(base, p)


def place_scope(stores: Stores, scope: str) -> str:
    """An accounting scope as seen from the stores' place: ``park`` is the place itself."""
    place = place_of(stores)
    return place if scope.strip() == WHOLE and place != WHOLE else scope


def places_within(reg: Registry, place: str) -> list[dict[str, Any]]:
    """``place`` and every park and region inside it, in tree order, each with its name, level and depth (for a
    place selector)."""
    from nengtan.engine.regions import tree

    place = normalise_place(place)
    out: list[dict[str, Any]] = []

    def walk(node: dict[str, Any], depth: int, inside: bool) -> None:
        key = f"region:{node['code']}" if node["code"] else ""
        here = inside or key == place
        if here and key:
            out.append({"place": key, "name": node["name"], "level": node["level"], "depth": depth})
        for child in node["children"]:
            walk(child, depth + 1, here)
        for p in node["parks"]:
            if here or f"park:{p['code']}" == place:
                out.append({"place": f"park:{p['code']}", "name": p["name"], "level": "park", "depth": depth + 1,
                            "enterprises": p["enterprises"]})

    for root in tree(reg):
        walk(root, 0, place == WHOLE)
    info = place_info(reg, place)
    base = next((p["depth"] for p in out if p["place"] == place), -1)
    inner = [{**p, "depth": p["depth"] - base} for p in out if p["place"] != place]
    return [{"place": place, "name": info.name, "level": info.level, "depth": 0}, *inner]
