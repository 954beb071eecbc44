"""What an ingester tells about the readings it has just stored, for the live alarms (nengtan.engine.alarms.AlarmWatch
is the one the surfaces plug in): the write path stays below the engine and only knows this protocol."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

import pyarrow as pa


class ReadingsWatch(Protocol):
    def check(self, table: pa.Table) -> Any:
        """Readings (``meter_id``, ``ts``, ``value``) just committed to the lake."""

    def check_missing(self, now: dt.datetime | None = None) -> Any:
        """Called about once a minute: meters that have gone quiet."""

    def close(self) -> None:
        """The ingester stops: finish what is under way."""
