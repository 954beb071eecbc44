"""What the engine works over: the registry, the readings lake, the factor set asked for, and a cache of
results keyed by the data version. The service's ``Services`` is one implementation (a cache shared by
requests, re-keyed whenever anything accounting reads changes); :class:`LocalStores` is the other, for
one CLI command or report run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from nengtan.config import Paths, data_home, database_url
from nengtan.errors import NotInitialisedError
from nengtan.lake import Lake
from nengtan.registry.store import Registry

T = TypeVar("T")


class Stores(Protocol):
    """The engine's view of the stores."""

    registry: Registry
    lake: Lake

    @property
    def factor_set(self) -> str | None: ...

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T: ...


@dataclass
class LocalStores:
    """Stores for one process run: results cached per key and lake version for the run's lifetime."""

    registry: Registry
    lake: Lake
    factor_set: str | None = None
    _cache: dict[tuple[Any, ...], Any] = field(default_factory=dict)

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        full = (*key, self.lake.version)
        if full not in self._cache:
            self._cache[full] = compute()
        return self._cache[full]  # type: ignore[no-any-return]

    def invalidate(self, *kinds: str) -> None:
        """Forget cached results of these kinds (all without any) after this run itself wrote something
        they depend on (the service notices such writes through its data version)."""
        for key in [k for k in self._cache if not kinds or k[0] in kinds]:
            del self._cache[key]


def paths_of(stores: Stores) -> Paths:
    """The data home the stores' lake lies in (``<home>/lake``): where the engine keeps the files it writes beside
    the stores (reports, the parks' maps)."""
    return Paths(Path(stores.lake.root).parent)


def open_local(home: str | None, migrate: bool = True, create: bool = False) -> tuple[Paths, LocalStores]:
    """The data home's stores. Without ``create``, a home with no registry yet is an error (run init)."""
    paths = data_home(home)
    url = database_url(paths)
    if not create and url.startswith("sqlite") and not paths.sqlite.exists():
        raise NotInitialisedError(f"no nengtan data in {paths.home}: run `nengtan init` (or `nengtan demo`) first")
    paths.home.mkdir(parents=True, exist_ok=True)
    reg = Registry.open(url, migrate=migrate)
    return paths, LocalStores(reg, Lake(paths.lake))
