"""Reading the registry as DataFrames for the accounting: enterprises, monthly statements, main meters,
economic data, the park's own factor values and the data version (Core selects fetched from the DBAPI
cursor directly: 10⁵ rows in tens of ms rather than a second)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import pandas as pd
from sqlalchemy import Executable, func, select

from nengtan.accounting.meters import ACTIVITY_COLUMNS
from nengtan.factors.library import COLUMNS as FACTOR_COLUMNS
from nengtan.registry.store import Registry
from nengtan.registry.tables.factors import FactorOverride
from nengtan.registry.tables.park import EconomicData, Enterprise, Meter, Park, Region
from nengtan.registry.tables.records import Activity, ImportBatch

_FRAMES: dict[tuple[Any, ...], Any] = {}
_FRAMES_KEPT = 16
_FRAMES_LOCK = threading.Lock()
_PINNED: ContextVar[dict[str, tuple[Any, ...]] | None] = ContextVar("nengtan_registry_version", default=None)


@contextmanager
def one_version(reg: Registry) -> Iterator[None]:
    """Within the block, the registry version is read once (the first time a held frame is asked for) and every
    held frame is of that version: one inventory asks for six of them, and each look-up was a round trip."""
    token = _PINNED.set({}) if _PINNED.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _PINNED.reset(token)


def registry_version(reg: Registry) -> tuple[Any, ...]:
    """What the accounting's registry frames depend on, read in one round trip: the newest import batch (every
    statement, economic data, enterprise and meter import or correction makes one), the newest statement and
    economic rows (append-only: a correction adds rows and marks the old inactive within an import batch), the
    enterprises' and meters' counts and newest ids, and the regions and parks (placing a park is not an import).
    Equal versions mean equal frames; every part is an index look-up. The park's own factor values and the
    green-power claims count too (a factor set and the claims are held per version). Inside :func:`one_version`
    the version is read once."""
    pinned = _PINNED.get()
    if pinned is not None and reg.url in pinned:
        return pinned[reg.url]
    version = _read_version(reg)
    if pinned is not None:
        pinned[reg.url] = version
    return version


def _read_version(reg: Registry) -> tuple[Any, ...]:
    from nengtan.registry.tables.greenpower import GreenClaim

    parts = [func.max(ImportBatch.seq), func.max(Activity.id), func.max(EconomicData.id), func.count(Enterprise.id),
             func.max(Enterprise.id), func.count(Meter.id), func.max(Meter.id), func.count(Region.id),
             func.sum(func.coalesce(Region.parent_id, 0)), func.count(Park.id),
             func.sum(func.coalesce(Park.region_id, 0)), func.count(FactorOverride.id), func.max(FactorOverride.id),
             func.max(GreenClaim.id)]  # (keep the claims last: claims_sequence reads it)
    newest = select(ImportBatch.id).order_by(ImportBatch.seq.desc()).limit(1).scalar_subquery()
    q = select(newest, *(select(p).scalar_subquery() for p in parts))  # (the batch's id is random: a registry
    # rebuilt with the same counts is still told apart)
    with reg.engine.connect() as conn:
        return (reg.url, *conn.execute(q).one())


def cached_frame(reg: Registry, key: tuple[Any, ...], build: Any, copy: bool = True) -> pd.DataFrame:
    """``build()`` once per registry version (a copy each time, so callers may change it; ``copy=False``: the held
    frame itself, which the caller must only read): a province's registry frames (10⁶ statement rows) cost seconds
    to read and change far less often than the lake grows."""
    hit = cached_value(reg, key, build)
    return hit.copy() if copy else hit  # type: ignore[no-any-return]


def cached_value(reg: Registry, key: tuple[Any, ...], build: Any) -> Any:
    """``build()`` once per registry version and ``key``, held as it is: the caller must only read it."""
    full = (*registry_version(reg), *key)
    hit = _FRAMES.get(full)
    if hit is None:
        hit = build()
        with _FRAMES_LOCK:
            while len(_FRAMES) >= _FRAMES_KEPT:
                _FRAMES.pop(next(iter(_FRAMES)))
            _FRAMES[full] = hit
    return hit


def _frame(reg: Registry, stmt: Executable, columns: list[str]) -> pd.DataFrame:
    """Run a Core select and build the frame from the cursor's rows (no Row objects; the columns read here
    need no result-type processing)."""
    with reg.engine.connect() as conn:
        rows = conn.execute(stmt).cursor.fetchall()
    if not rows:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(dict(zip(columns, (list(c) for c in zip(*rows, strict=True)), strict=True)))


def _year_range(column: Any, year: int) -> Any:
    """period BETWEEN 'YYYY-01' AND 'YYYY-12' (unlike LIKE, it can use the period index)."""
    return column.between(f"{year:04d}-01", f"{year:04d}-12")


ENTERPRISE_CATEGORIES = ("sector_code", "province", "park", "regions")
"""Enterprise columns held as categories: a province's ledger repeats them on 10⁶ rows, and a category is taken,
merged and sorted as integers where a string column is copied string by string."""


def enterprises_frame(reg: Registry) -> pd.DataFrame:
    """enterprise_id, uscc, enterprise (name), sector_code, province, park (its code) and regions (the path of
    region codes above the park, ``/province/city/district/``; ``/`` for a park in no region)."""
    return cached_frame(reg, ("enterprises",), lambda: _enterprises_frame(reg))


def _enterprises_frame(reg: Registry) -> pd.DataFrame:
    df = _frame(reg, select(Enterprise.id, Enterprise.uscc, Enterprise.name, Enterprise.sector_code,
                            Enterprise.province, Enterprise.park_id),
                ["enterprise_id", "uscc", "enterprise", "sector_code", "province", "park_id"])
    parks = park_regions(reg)
    df["park"] = df["park_id"].map({k: v[0] for k, v in parks.items()}).fillna("")
    df["regions"] = df["park_id"].map({k: v[1] for k, v in parks.items()}).fillna("/")
    return df.drop(columns="park_id").astype({c: "category" for c in ENTERPRISE_CATEGORIES})


def park_regions(reg: Registry) -> dict[int, tuple[str, str]]:
    """Per park id: its code and the path of region codes above it (``/320000/320100/320115/``)."""
    regions = {i: (c, p) for i, c, p in _frame(reg, select(Region.id, Region.code, Region.parent_id),
                                                 ["id", "code", "parent_id"]).itertuples(index=False)}

    def path(rid: Any) -> str:
        codes: list[str] = []
        seen: set[int] = set()
        while rid is not None and rid == rid and int(rid) in regions and int(rid) not in seen:
            seen.add(int(rid))
            code, rid = regions[int(rid)]
            codes.append(str(code))
        return "/" + "".join(f"{c}/" for c in reversed(codes))

    return {int(i): (str(c), path(r)) for i, c, r in _frame(reg, select(Park.id, Park.code, Park.region_id),
                                                            ["id", "code", "region_id"]).itertuples(index=False)}


def statement_activity(reg: Registry, year: int, copy: bool = True) -> pd.DataFrame:
    """Active monthly statement rows of ``year`` (ACTIVITY_COLUMNS; ``copy=False``: read only, see cached_frame)."""
    return cached_frame(reg, ("statements", year), lambda: _statement_activity(reg, year), copy)


def _statement_activity(reg: Registry, year: int) -> pd.DataFrame:
    df = _frame(reg, select(Activity.enterprise_id, Activity.period, Activity.carrier, Activity.quantity,
                            Activity.feedstock_quantity, Activity.feedstock_oxidised)
                .where(Activity.active.is_(True), _year_range(Activity.period, year)),
                ["enterprise_id", "period", "carrier", "quantity", "feedstock_quantity", "feedstock_oxidised"])
    df["feedstock_oxidised"] = df["feedstock_oxidised"].astype(bool)
    df["estimated_quantity"] = 0.0
    df["source"] = "statement"
    return df[ACTIVITY_COLUMNS]


def green_claims_activity(reg: Registry, year: int) -> pd.DataFrame:
    """Green electricity claimed in ``year`` with cancelled GECs (nengtan.engine.greenassets), per enterprise and
    month, as activity rows (ACTIVITY_COLUMNS, carrier green_electricity, quantity [kWh], source ``ledger``)."""
    return cached_frame(reg, ("green-claims", year), lambda: _green_claims_activity(reg, year))


def _green_claims_activity(reg: Registry, year: int) -> pd.DataFrame:
    from nengtan.registry.tables.greenpower import GreenClaim

    df = _frame(reg, select(GreenClaim.enterprise_id, GreenClaim.period, func.sum(GreenClaim.mwh))
                .where(_year_range(GreenClaim.period, year))
                .group_by(GreenClaim.enterprise_id, GreenClaim.period), ["enterprise_id", "period", "mwh"])
    df["carrier"] = "green_electricity"
    df["quantity"] = df["mwh"].astype(float) * 1000.0
    df["feedstock_quantity"] = 0.0
    df["feedstock_oxidised"] = False
    df["estimated_quantity"] = 0.0
    df["source"] = "ledger"
    return df[ACTIVITY_COLUMNS]


def claims_sequence(reg: Registry) -> int:
    """The newest green-power claim's id (0 before the first): part of the data version, since a claim changes
    market-based Scope 2 (read with the registry version)."""
    return int(registry_version(reg)[-1] or 0)


def main_meters(reg: Registry) -> pd.DataFrame:
    """meter_id (code), enterprise_id, carrier, kind, rollover of the main interval/counter meters."""
    return cached_frame(reg, ("main-meters",), lambda: _main_meters(reg))


def _main_meters(reg: Registry) -> pd.DataFrame:
    return _frame(reg, select(Meter.code, Meter.enterprise_id, Meter.carrier, Meter.kind, Meter.rollover)
                  .where(Meter.role == "main", Meter.kind.in_(("interval", "counter"))),
                  ["meter_id", "enterprise_id", "carrier", "kind", "rollover"])


def economics(reg: Registry, year: int, copy: bool = True) -> pd.DataFrame:
    """uscc, period, value_added, gross_output, value_added_constant [万元] of the active versions (``copy=False``:
    read only, see cached_frame)."""
    return cached_frame(reg, ("economics", year), lambda: _economics(reg, year), copy)


def _economics(reg: Registry, year: int) -> pd.DataFrame:
    return _frame(reg, select(Enterprise.uscc, EconomicData.period, EconomicData.value_added,
                              EconomicData.gross_output, EconomicData.value_added_constant)
                  .join(Enterprise, Enterprise.id == EconomicData.enterprise_id)
                  .where(EconomicData.active.is_(True), _year_range(EconomicData.period, year)),
                  ["uscc", "period", "value_added", "gross_output", "value_added_constant"])


def park_overrides(reg: Registry) -> pd.DataFrame:
    """The park's own factor values (FactorOverride rows) in the factor library's columns."""
    with reg.session() as s:
        rows = s.execute(select(FactorOverride)).scalars().all()
        data = [{"id": f"park.{r.id}.{r.parameter}.{r.carrier}", "parameter": r.parameter, "carrier": r.carrier,
                 "family": r.family, "region": r.region, "data_year": r.data_year, "value": r.value,
                 "unit": r.unit, "source": f"park measurement ({r.created_by})", "clause": "evidence",
                 "edition": "", "valid_from": r.valid_from, "valid_to": r.valid_to, "status": "park-measured",
                 "note": r.evidence} for r in rows]
    return pd.DataFrame(data, columns=FACTOR_COLUMNS)


def import_sequence(reg: Registry) -> int:
    """The newest import batch's sequence number (0 before the first import; read with the registry version)."""
    return int(registry_version(reg)[2] or 0)
