"""A ledger in two parts: the statement rows that stand alone, and the rest.

:func:`nengtan.accounting.calc.apply_factors` works row by row except where green electricity meets purchased
electricity in the same enterprise-month (the cap, and market-based Scope 2), and
:func:`nengtan.accounting.meters.combine_activity` lets a statement override a main meter's total of the same
enterprise-month-carrier (the meter's row is dropped; the statement's is kept as it is). So the statement rows of an
enterprise with no green electricity depend on those statements and the factor set alone, whatever the lake holds: a
province's engine applies the factors to them once per registry version, and each inventory costs only the rest — the
enterprises with green electricity, and the metered rows no statement overrides — and merges the two
(nengtan.engine.ledgers.year_ledger). The result equals the ledger computed in one piece, row for row
(tests/accounting/test_parts.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

CATEGORY_COLUMNS = ("period", "carrier", "source", "unit")
"""Ledger columns combine_activity makes categories of their observed values (sorted)."""


def green_enterprises(*id_columns: Iterable[Any]) -> frozenset[int]:
    """The enterprise ids whose statement rows do not stand alone: pass the ids of the enterprises with green
    electricity (claimed, and stated)."""
    return frozenset(int(i) for ids in id_columns for i in ids)


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

    The period and carrier categories are sorted, so their codes sort as their values; the usccs are ranked among
    the two parts' usccs. One stable sort of (uscc rank, period code, carrier code) puts the rows in order.
    ``a_runs``: a's enterprise_runs, when known."""
    if b.empty:
        return a.reset_index(drop=True)
    if a.empty:
        return b.reset_index(drop=True)
    a, b = _same_categories(a, b)
    out = pd.concat([a, b], ignore_index=True)
    ua, na = a_runs if a_runs is not None else enterprise_runs(a)
    ub, nb = enterprise_runs(b)
    usccs = np.unique(np.concatenate([ua, ub]))
    rank = np.concatenate([np.repeat(np.searchsorted(usccs, ua), na), np.repeat(np.searchsorted(usccs, ub), nb)])
    order = np.lexsort((out["carrier"].cat.codes.to_numpy(), out["period"].cat.codes.to_numpy(), rank))
    return out.take(order).reset_index(drop=True)


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
