"""The engine: the only layer that opens the stores and runs a capability for any surface.

The CLI, the API, the cockpit and the reports parse their input, call a function here and render what
it returns; they compute no figure of their own. Every function takes a :class:`~nengtan.engine.stores.Stores`
(the service's cached ``Services`` or a :class:`~nengtan.engine.stores.LocalStores` for one command),
so a figure shown in two places comes from one call.

* :mod:`nengtan.engine.years` — a year's ledger and economics (cached), the history years;
* :mod:`nengtan.engine.cockpit` — inventory, headline, trends, breakdowns, rankings, portal figures;
* :mod:`nengtan.engine.targets` — targets, budgets, warnings, scenarios, LMDI, project assessment.
"""

from typing import TYPE_CHECKING, Any

from nengtan.engine.stores import LocalStores, Stores, open_local

if TYPE_CHECKING:
    from nengtan.engine.years import YearData, history, year_data

__all__ = ["LocalStores", "Stores", "YearData", "history", "open_local", "year_data"]


def __getattr__(name: str) -> Any:
    """The year ledgers load pandas and the factor library: only a command that needs them pays."""
    if name in ("YearData", "history", "year_data"):
        from nengtan.engine import years

        return getattr(years, name)
    raise AttributeError(f"module 'nengtan.engine' has no attribute {name!r}")
