"""What the service works over: settings, the registry, the readings lake, the login limiter, a
cache of accounting results keyed by the data version (so a new import is seen at once) and a short-lived
cache of authenticated principals per token.

Hot paths (the cockpit) must not block the event loop: :meth:`Services.peek` answers from memory when the
data version was checked less than ``VERSION_CHECK_S`` ago and the result is cached, and returns
:data:`MISS` otherwise, so the caller computes in the thread pool (:meth:`Services.acached`)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from nengtan.api.auth import RateLimiter
from nengtan.api.settings import Settings
from nengtan.lake import Lake
from nengtan.registry.store import Registry
from nengtan.registry.tables.greenpower import GreenClaim, GreenContract
from nengtan.registry.tables.park import EconomicData, Enterprise, Park, Region
from nengtan.registry.tables.records import Activity, ImportBatch
from nengtan.registry.tables.targets import AdoptedTarget, BudgetAllocation
from nengtan.registry.tables.verification import YearLock

T = TypeVar("T")
VERSION_CHECK_S = 0.5  # the data version is re-read at most twice a second
MISS: Any = object()


class PrincipalCache:
    """Authenticated principals per token for ``ttl`` seconds (0 disables the cache).

    A user disabled, rebound or given a new password is refused or re-read within ``ttl`` seconds in
    every worker process; in the process that made the change through the API at once
    (:meth:`clear`). An entry never outlives its token's expiry.
    """

    def __init__(self, ttl: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, tuple[float, Any]] = {}

    def get(self, token: str) -> Any:
        hit = self._entries.get(token)
        if hit is None:
            return MISS
        if time.monotonic() >= hit[0]:
            self._entries.pop(token, None)
            return MISS
        return hit[1]

    def put(self, token: str, principal: Any, token_expires_in: float) -> None:
        if self.ttl <= 0:
            return
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[token] = (time.monotonic() + min(self.ttl, max(token_expires_in, 0.0)), principal)

    def clear(self) -> None:
        self._entries.clear()


ACCOUNT_FACTOR = 10
"""Failed logins one account may take from all addresses together, in multiples of the per-address limit."""


@dataclass
class Services:
    settings: Settings
    registry: Registry
    lake: Lake
    limiter: RateLimiter
    account_limiter: RateLimiter
    _cache: dict[tuple[Any, ...], tuple[float, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _version: tuple[float, tuple[Any, ...]] = (0.0, ())
    _version_lock: threading.Lock = field(default_factory=threading.Lock)
    _inflight: dict[tuple[Any, ...], threading.Lock] = field(default_factory=dict)
    principals: PrincipalCache = field(default_factory=lambda: PrincipalCache(0.0))

    @property
    def factor_set(self) -> str | None:
        """The factor set the service accounts with (settings; None is the time-matched default)."""
        return self.settings.factor_set

    @classmethod
    def open(cls, settings: Settings) -> Services:
        registry = Registry.open(settings.registry_url)
        return cls(settings=settings, registry=registry, lake=Lake(settings.paths.lake),
                   limiter=RateLimiter(settings.login_max_attempts, settings.login_window_seconds),
                   account_limiter=RateLimiter(ACCOUNT_FACTOR * settings.login_max_attempts,
                                               settings.login_window_seconds),
                   principals=PrincipalCache(settings.auth_cache_seconds))

    def fresh_version(self) -> tuple[Any, ...] | None:
        """The data version if it was checked less than ``VERSION_CHECK_S`` ago (no I/O), else None."""
        checked, version = self._version
        if version and time.monotonic() - checked < VERSION_CHECK_S:
            return version
        return None

    def data_version(self) -> tuple[Any, ...]:
        """Changes whenever anything accounting reads changes (lake commits, batches, enterprises)."""
        version = self.fresh_version()
        if version is not None:
            return version
        with self._version_lock:  # one thread re-reads; the others wait and use its answer
            version = self.fresh_version()
            if version is not None:
                return version
            return self._read_version()

    def _read_version(self) -> tuple[Any, ...]:
        with self.registry.session() as s:
            reg = (
                s.execute(select(func.max(ImportBatch.seq))).scalar(),
                s.execute(select(func.count(Activity.id))).scalar(),
                s.execute(select(func.count(EconomicData.id))).scalar(),
                tuple(s.execute(select(func.count(Enterprise.id), func.max(Enterprise.id))).one()),
                s.execute(select(func.count(YearLock.id))).scalar(),
                # issue 4: adopting a target or allocating a budget (CLI or API) changes the figures
                s.execute(select(func.max(AdoptedTarget.id), func.count(AdoptedTarget.id))
                          .where(AdoptedTarget.active.is_(True))).one()[0:2],
                s.execute(select(func.max(BudgetAllocation.id))).scalar(),
                # issue 11: a green-power claim changes market-based Scope 2 and the green-power share; a
                # contract month changes the hourly supply CFE matching reads
                s.execute(select(func.max(GreenClaim.id))).scalar(),
                s.execute(select(func.max(GreenContract.id))).scalar(),
                # issue 14: regions and parks placed in them change every figure at a region
                tuple(s.execute(select(func.count(Region.id), func.sum(func.coalesce(Region.parent_id, 0)))).one()),
                tuple(s.execute(select(func.count(Park.id), func.sum(func.coalesce(Park.region_id, 0)))).one()),
            )
        version = (self.lake.version, *reg)
        self._version = (time.monotonic(), version)
        return version

    def invalidate(self) -> None:
        with self._lock:
            self._cache.clear()
            self._version = (0.0, ())

    def cached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """``compute()`` once per key and data version."""
        full = (*key, self.data_version())
        hit = self._cache.get(full)
        if hit is not None:
            return hit[1]  # type: ignore[no-any-return]
        with self._lock:
            key_lock = self._inflight.setdefault(full, threading.Lock())
        with key_lock:  # concurrent requests for the same missing key compute it once
            hit = self._cache.get(full)
            if hit is not None:
                return hit[1]  # type: ignore[no-any-return]
            value = compute()
            with self._lock:
                if len(self._cache) > 256:
                    self._cache.clear()
                self._cache[full] = (time.monotonic(), value)
                self._inflight.pop(full, None)
        return value

    def peek(self, key: tuple[Any, ...]) -> Any:
        """The cached value for ``key`` at the current data version without any I/O, or :data:`MISS`."""
        version = self.fresh_version()
        if version is None:
            return MISS
        hit = self._cache.get((*key, version))
        return MISS if hit is None else hit[1]

    async def acached(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """:meth:`cached` for async endpoints: from memory when possible, else in the thread pool."""
        value = self.peek(key)
        if value is not MISS:
            return value  # type: ignore[no-any-return]
        return await run_in_threadpool(self.cached, key, compute)

    def close(self) -> None:
        self.registry.close()
