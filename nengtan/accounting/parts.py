"""A ledger in two parts: the enterprises whose rows stand alone and the rest.

:func:`nengtan.accounting.calc.apply_factors` works row by row except where green electricity meets purchased
electricity in the same enterprise-month (the cap, and market-based Scope 2), and
:func:`nengtan.accounting.meters.combine_activity` lets a statement override a main meter's total of the same
enterprise-month-carrier. An enterprise with neither a main meter nor green electricity therefore has ledger rows
that depend on its statements and the factor set alone: a province's engine applies the factors to those once per
registry version and merges them with the rest, computed afresh (nengtan.engine.ledgers.year_ledger). The result
equals the ledger computed in one piece, row for row (tests/accounting/test_parts.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

CATEGORY_COLUMNS = ("period", "carrier", "source", "unit")
"""Ledger columns combine_activity makes categories of their observed values (sorted)."""


def coupled_enterprises(*id_columns: Iterable[Any]) -> frozenset[int]:
    """The enterprise ids whose rows do not stand alone: pass the ids of enterprises with a main meter and of
    those with green electricity (stated or claimed)."""
    return frozenset(int(i) for ids in id_columns for i in ids)


def enterprise_runs(ledger: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The usccs of a ledger sorted by uscc, in order, and the number of rows of each (for merge_sorted; a part
    held for many merges has them worked out once)."""
    values = ledger["uscc"].to_numpy(dtype=object)
    if len(values) == 0:
        return values, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
    return values[starts], np.diff(np.r_[starts, len(values)])


def merge_sorted(a: pd.DataFrame, b: pd.DataFrame, a_runs: tuple[np.ndarray, np.ndarray] | None = None
                 ) -> pd.DataFrame:
    """Two ledgers of disjoint enterprises, each sorted by uscc, period and carrier, as one sorted likewise, with
    the category columns' categories the union of both (sorted, as one piece would have them).

    Each enterprise's rows are a run in its part: a run's place in the result is its position in its own part plus
    the number of the other part's enterprises before it, so one stable integer sort puts the runs in order.
    ``a_runs``: a's enterprise_runs, when known."""
    if b.empty:
        return a.reset_index(drop=True)
    if a.empty:
        return b.reset_index(drop=True)
    a, b = _same_categories(a, b)
    out = pd.concat([a, b], ignore_index=True)
    ua, na = a_runs if a_runs is not None else enterprise_runs(a)
    ub, nb = enterprise_runs(b)
    rank_a = np.arange(len(ua)) + np.searchsorted(ub, ua)
    rank_b = np.arange(len(ub)) + np.searchsorted(ua, ub)
    key = np.concatenate([np.repeat(rank_a, na), np.repeat(rank_b, nb)])
    return out.take(np.argsort(key, kind="stable")).reset_index(drop=True)


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
