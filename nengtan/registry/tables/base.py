"""The declarative base every registry table derives from, and the timestamp default they share."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base shared by every registry table."""


def utc_now() -> dt.datetime:
    """Default for created/updated columns: an aware UTC timestamp."""
    return dt.datetime.now(dt.UTC)
