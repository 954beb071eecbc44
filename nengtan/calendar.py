"""Park time: readings are stored in UTC and reported in Asia/Shanghai calendar periods.

China has kept UTC+8 all year since 1991 (no daylight saving), so the offset is a constant and every
module that needs it takes it from here, in the unit it works in.
"""

from __future__ import annotations

import datetime as dt

PARK_TZ_NAME = "Asia/Shanghai"
PARK_OFFSET = dt.timedelta(hours=8)
PARK_TZ = dt.timezone(PARK_OFFSET, PARK_TZ_NAME)
PARK_OFFSET_S = 8 * 3600
PARK_OFFSET_US = PARK_OFFSET_S * 1_000_000
PARK_OFFSET_ISO = "+08:00"

__all__ = ["PARK_OFFSET", "PARK_OFFSET_ISO", "PARK_OFFSET_S", "PARK_OFFSET_US", "PARK_TZ", "PARK_TZ_NAME",
           "month_start", "park_midnight", "park_time_text"]


def month_start(year: int, month: int) -> dt.datetime:
    """The first instant of a park calendar month (aware, park time)."""
    return dt.datetime(year, month, 1, tzinfo=PARK_TZ)


def park_midnight(day: dt.date) -> dt.datetime:
    """00:00 park time of ``day`` (aware)."""
    return dt.datetime.combine(day, dt.time(), PARK_TZ)


def park_time_text(when: str | dt.datetime | None = None) -> str:
    """An instant as the park reads it in a report: ``2026-12-04 17:00:24 (北京时间)``; a naive time or ISO text is
    UTC (how nengtan stores instants); None is now."""
    t = dt.datetime.fromisoformat(when) if isinstance(when, str) else (when or dt.datetime.now(dt.UTC))
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    from nengtan.i18n import pair

    return pair("note.time:park", time=t.astimezone(PARK_TZ).strftime("%Y-%m-%d %H:%M:%S"))[1]


def local_year(ts_us: int) -> int:
    """The park's (Asia/Shanghai) calendar year of a UTC timestamp in microseconds since 1970."""
    return (dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=ts_us + PARK_OFFSET_US)).year
