"""The accounting over the stores: activity from the registry's statements and the lake's meters, the
factor set resolved for a year, the ledger and the inventory. The domain arithmetic is nengtan.accounting's;
this module only reads the stores and hands the frames over."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from nengtan.accounting import Inventory, Period, ScopeError, apply_factors, inventory_from_ledger, select_scope
from nengtan.accounting.meters import (
    ACTIVITY_COLUMNS,
    TOTAL_COLUMNS,
    activity_keys,
    combine_activity,
    counter_months,
    counter_totals,
    meter_activity,
    meter_totals,
    months_to_read,
)
from nengtan.accounting.parts import COUPLED_CARRIERS, coupled_enterprises, enterprise_runs, merge_rows
from nengtan.factors import DEFAULT_SET, FactorSet, load_factor_set
from nengtan.lake import Lake
from nengtan.lake.scan import LakeScan, configured_scan
from nengtan.registry import frames
from nengtan.registry.store import Registry

economics = frames.economics
enterprises_frame = frames.enterprises_frame

__all__ = ["activity", "counter_month_totals", "data_version", "economics", "enterprises_frame",
           "enterprises_in_scope", "inventory", "ledger", "metered_counter_totals", "resolve_factor_set",
           "year_factor_set", "year_ledger"]


def resolve_factor_set(reg: Registry, name: str | None = None, as_of: dt.date | None = None) -> FactorSet:
    """The named set (default: the time-matched ``cn``); ``<set>+park`` — the default when the park has
    measured values — applies them. ``as_of`` is the report date (default today)."""
    overrides = frames.park_overrides(reg)
    if name is None:
        name = DEFAULT_SET + ("+park" if not overrides.empty else "")
    return load_factor_set(name, overrides if name.endswith("+park") else None, as_of=as_of)


def year_factor_set(reg: Registry, year: int, factor_set: FactorSet | str | None = None) -> FactorSet:
    """The factor set resolved for activity of ``year`` (time-matched unless the set pins its years). A named set
    is resolved once per registry version (the park's own values are registry rows), report date and year, and
    each caller gets a copy with its own record of the rows it uses (FactorSet.fresh)."""
    if isinstance(factor_set, FactorSet):
        return factor_set.for_year(year)
    today = dt.date.today()
    held: FactorSet = frames.cached_value(reg, ("factor-set", factor_set, today, year),
                                          lambda: resolve_factor_set(reg, factor_set, as_of=today).for_year(year))
    return held.fresh()


def data_version(reg: Registry, lake: Lake) -> str:
    """The data version results quote: the registry's last import batch and the lake's log version, and the last
    green-power claim once there is one."""
    claims = frames.claims_sequence(reg)
    return f"registry#{frames.import_sequence(reg)}+lake#{lake.version}" + (f"+claims#{claims}" if claims else "")


def metered_counter_totals(lake: Lake, counters: pd.DataFrame, pairs: set[tuple[str, int, int]],
                           scan: LakeScan | None = None) -> pd.DataFrame:
    """Consumption of counters for (meter, year, month) pairs, reading by reading (TOTAL_COLUMNS)."""
    if not pairs:
        return pd.DataFrame(columns=TOTAL_COLUMNS)
    scan = scan or configured_scan()
    readings = scan.counter_readings(lake, sorted({p[0] for p in pairs}), months_to_read(pairs))
    return counter_totals(readings, counters, pairs)


def counter_month_totals(lake: Lake, year: int, counters: pd.DataFrame, month_scan: pd.DataFrame,
                         scan: LakeScan | None = None) -> pd.DataFrame:
    """Counters' monthly consumption: settled from the month scan where the registers never fell, read
    reading by reading where they did."""
    fast, pairs = counter_months(month_scan, counters, year)
    exact = metered_counter_totals(lake, counters, pairs, scan)
    parts = [f for f in (fast, exact) if not f.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=TOTAL_COLUMNS)


def activity(reg: Registry, lake: Lake, year: int, scan: LakeScan | None = None) -> pd.DataFrame:
    """Activity rows of ``year``: statements, and main meters where an enterprise-month-carrier has none.

    Green electricity is what the enterprise claimed with cancelled GECs (the ledger's claims, ``verified``); a
    statement's green-electricity rows stay, marked unverified, so that the inventory shows them apart. `scan`:
    the compute back-end (default: the configured one, nengtan.lake.scan.configured_scan)."""
    back = scan or configured_scan()
    with ThreadPoolExecutor(max_workers=1) as pool:  # the back-end scans the lake while SQL reads the registry
        pending = pool.submit(back.month_scan, lake, year)
        st = _with_claims(frames.statement_activity(reg, year, copy=False), frames.green_claims_activity(reg, year))
        ent = frames.enterprises_frame(reg)
        meters = frames.main_meters(reg)
        month_scan = pending.result()
    return combine_activity(st, _metered(lake, year, meters, month_scan, back), ent)


def _with_claims(statements: pd.DataFrame, claimed: pd.DataFrame | None = None) -> pd.DataFrame:
    """Statement rows (a statement's green electricity unverified) and the claimed green electricity (verified)."""
    st = statements.assign(verified=statements["carrier"] != "green_electricity")
    if claimed is None or claimed.empty:
        return st
    return pd.concat([st, claimed.assign(verified=True)], ignore_index=True)


def _metered(lake: Lake, year: int, meters: pd.DataFrame, month_scan: pd.DataFrame, scan: LakeScan) -> pd.DataFrame:
    counters = counter_month_totals(lake, year, meters[meters["kind"] == "counter"], month_scan, scan)
    return meter_activity(meters, meter_totals(month_scan, year), counters, year)


def year_ledger(reg: Registry, lake: Lake, year: int, fs: FactorSet, scan: LakeScan | None = None) -> pd.DataFrame:
    """``apply_factors(activity(reg, lake, year), fs)``, with the statement rows that stand alone (all but the
    electricity rows of enterprises with both green electricity and a main meter: nengtan.accounting.parts) applied
    once per registry version, factor set and green-power claim, and only the rest afresh — those coupled rows and the
    metered rows no statement overrides: a province's 10⁶ statement rows are not re-costed whenever the lake grows.
    The lake is scanned every time."""
    back = scan or configured_scan()
    with ThreadPoolExecutor(max_workers=1) as pool, frames.one_version(reg):
        pending = pool.submit(back.month_scan, lake, year)
        st = frames.statement_activity(reg, year, copy=False)
        claimed = frames.green_claims_activity(reg, year)
        ent = frames.enterprises_frame(reg)
        meters = frames.main_meters(reg)

        def held_rows() -> tuple[pd.DataFrame, tuple[np.ndarray, np.ndarray], np.ndarray, pd.DataFrame,
                                 frozenset[str]]:
            stated_green = st.loc[st["carrier"] == "green_electricity", "enterprise_id"]
            coupled = list(coupled_enterprises([*claimed["enterprise_id"], *stated_green], meters["enterprise_id"]))
            fresh = st["enterprise_id"].isin(coupled) & st["carrier"].isin(COUPLED_CARRIERS)
            fresh_claims = claimed["enterprise_id"].isin(coupled)
            held_st = st[~fresh]
            led = apply_factors(combine_activity(_with_claims(held_st, claimed[~fresh_claims]),
                                                 pd.DataFrame(columns=ACTIVITY_COLUMNS), ent), fs)
            return (led, enterprise_runs(led), np.unique(activity_keys(held_st)),
                    _with_claims(st[fresh], claimed[fresh_claims]), frozenset(fs.used))

        held, runs, stated, coupled_rows, used = frames.cached_value(
            reg, ("ledger-held", year, fs.id, frames.claims_sequence(reg)), held_rows)
        fs.used.update(used)  # the factors behind the held rows are this set's too (its report's factor table)
        month_scan = pending.result()
    metered = _metered(lake, year, meters, month_scan, back)
    if not metered.empty and len(stated):  # a held statement's month overrides the meter's (combine_activity's)
        keys = activity_keys(metered)
        at = np.minimum(np.searchsorted(stated, keys), len(stated) - 1)
        metered = metered[stated[at] != keys]
    rest = combine_activity(coupled_rows, metered, ent)
    return merge_rows(held, apply_factors(rest, fs), runs)


def ledger(reg: Registry, lake: Lake, year: int, factor_set: FactorSet | str | None = None) -> pd.DataFrame:
    """One row per enterprise × month × carrier with energy [tce] and CO2 [t] by scope."""
    return year_ledger(reg, lake, year, year_factor_set(reg, year, factor_set))


def enterprises_in_scope(reg: Registry, scope: str) -> int:
    """How many registered enterprises ``scope`` covers; a sector or enterprise scope covering none is a
    ScopeError."""
    n = len(select_scope(frames.enterprises_frame(reg), scope))
    if scope != "park" and n == 0:
        raise ScopeError(f"no enterprise in scope {scope!r}")
    return n


def inventory(reg: Registry, lake: Lake, year: int, month: int | None = None, quarter: int | None = None,
              scope: str = "park", factor_set: FactorSet | str | None = None) -> Inventory:
    """The inventory of ``scope`` (park | sector:<code> | enterprise:<uscc>) for a month, quarter or year,
    computed afresh (the engine's cached path is nengtan.engine.accounts.inventory)."""
    period = Period(year, month, quarter)
    with frames.one_version(reg):  # (the registry version is read once for all the held frames below)
        fs = year_factor_set(reg, year, factor_set)
        n = enterprises_in_scope(reg, scope)
        led = year_ledger(reg, lake, year, fs)
        eco = frames.economics(reg, year, copy=False)
        version = data_version(reg, lake)
    return inventory_from_ledger(led, eco, fs, scope, period, version, n)
