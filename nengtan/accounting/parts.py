"""A ledger in two parts: the statement rows that stand alone, and the rest.

:func:`nengtan.accounting.calc.apply_factors` works row by row except where green electricity meets purchased
electricity in the same enterprise-month (the cap, and market-based Scope 2), and
:func:`nengtan.accounting.meters.combine_activity` lets a statement override a main meter's total of the same
enterprise-month-carrier (the meter's row is dropped; the statement's is kept as it is). So a statement row depends on
the lake only where its enterprise has both green electricity and a main meter and the row is electricity or green
electricity (the meter's electricity may be what caps the green). Every other statement row — and a green claim of an
enterprise without a main meter — depends on the statements and the factor set alone: a province's engine applies the
factors to those once per registry version, and each inventory costs only the rest (those coupled rows and the metered
rows no statement overrides) and merges the two (nengtan.engine.ledgers.year_ledger). The result equals the ledger
computed in one piece, row for row (tests/accounting/test_parts.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

CATEGORY_COLUMNS = ("period", "carrier", "source", "unit")
"""Ledger columns combine_activity makes categories of their observed values (sorted)."""


COUPLED_CARRIERS = ("electricity", "green_electricity")
"""The carriers whose rows of a coupled enterprise are costed afresh."""


def coupled_enterprises(green: Iterable[Any], metered: Iterable[Any]) -> frozenset[int]:
    """The enterprise ids whose electricity rows do not stand alone: those with green electricity (pass the ids of
    claims and of stated green electricity, with repeats) that also have a main meter."""
    return frozenset(int(i) for i in green) & frozenset(int(i) for i in metered)


def enterprise_runs(ledger: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The usccs of a ledger sorted by uscc, in order, and the number of rows of each (for merge_rows; a part held
    for many merges has them worked out once)."""
    values = ledger["uscc"].to_numpy(dtype=object)
    if len(values) == 0:
        return values, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return values[starts], np.diff(np.r_[starts, len(values)])


def merge_rows(a: pd.DataFrame, b: pd.DataFrame, a_runs: tuple[np.ndarray, np.ndarray] | None = None
               ) -> pd.DataFrame:
    """Two ledgers, each sorted by uscc, period and carrier and sharing no such key, as one sorted likewise, with the
    category columns' categories the union of both (sorted, as one piece would have them).

    Each row's place is worked out from one integer per row — the uscc's rank among both parts' usccs, the month,
    the carrier's place (meters.CARRIER_INDEX, in name order) — and both parts are already in that order, so each
    row's place is its place in its own part plus the other part's rows before it (a binary search). b is small,
    a may be the province's held rows. ``a_runs``: a's enterprise_runs, when known."""
    if b.empty:
        return a.reset_index(drop=True)
    if a.empty:
        return b.reset_index(drop=True)
    ua, na = a_runs if a_runs is not None else enterprise_runs(a)
    ub, nb = enterprise_runs(b)
    usccs = np.unique(np.concatenate([ua, ub]))
    ka = _order_keys(a, np.repeat(np.searchsorted(usccs, ua), na))
    kb = _order_keys(b, np.repeat(np.searchsorted(usccs, ub), nb))
    order = np.empty(len(ka) + len(kb), dtype=np.int64)
    order[np.arange(len(ka)) + np.searchsorted(kb, ka, side="left")] = np.arange(len(ka))
    order[np.arange(len(kb)) + np.searchsorted(ka, kb, side="right")] = len(ka) + np.arange(len(kb))
    a, b = _same_categories(a, b)
    return pd.concat([a, b], ignore_index=True).take(order).reset_index(drop=True)


def _order_keys(ledger: pd.DataFrame, uscc_rank: np.ndarray) -> np.ndarray:
    """Per row: (uscc rank, month, carrier place) as one int64 that sorts as the three do."""
    from nengtan.accounting.meters import CARRIER_INDEX, month_numbers

    period, carrier = ledger["period"], ledger["carrier"]
    if not isinstance(period.dtype, pd.CategoricalDtype):
        period = period.astype("category")
    if not isinstance(carrier.dtype, pd.CategoricalDtype):
        carrier = carrier.astype("category")
    months = month_numbers(period.cat.categories)
    places = np.array([CARRIER_INDEX[str(c)] for c in carrier.cat.categories], dtype=np.int64)
    return ((uscc_rank.astype(np.int64) * 100_000 + months[period.cat.codes.to_numpy()]) * len(CARRIER_INDEX)
            + places[carrier.cat.codes.to_numpy()])


def _same_categories(a: pd.DataFrame, b: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """a and b with each category column's categories the sorted union of both, recoded before they are
    concatenated: pandas concatenates categories that differ as strings, which costs more than the whole merge."""
    for c in CATEGORY_COLUMNS:
        if c not in a or c not in b:
            continue
        da, db = a[c].dtype, b[c].dtype
        if not (isinstance(da, pd.CategoricalDtype) and isinstance(db, pd.CategoricalDtype)):
            continue
        if da.categories.equals(db.categories):
            continue
        union = da.categories.union(db.categories).sort_values()
        if not da.categories.equals(union):
            a = a.assign(**{c: a[c].cat.set_categories(union)})
        if not db.categories.equals(union):
            b = b.assign(**{c: b[c].cat.set_categories(union)})
    return a, b
