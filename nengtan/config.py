"""Where nengtan keeps its data, chosen by environment variables (documented in docs/configuration.md).

* ``NENGTAN_HOME``: data directory (registry file, readings lake, raw uploads); default ``./nengtan-data``.
* ``NENGTAN_DATABASE_URL``: registry URL; default a SQLite file in the data directory. Any SQLAlchemy URL
  works, e.g. ``postgresql+psycopg://user@127.0.0.1:5432/nengtan``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    home: Path

    @property
    def lake(self) -> Path:
        return self.home / "lake"

    @property
    def raw(self) -> Path:
        return self.home / "raw"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def sqlite(self) -> Path:
        return self.home / "registry.sqlite"


def data_home(explicit: str | Path | None = None) -> Paths:
    """The data directory: the flag, else NENGTAN_HOME, else ./nengtan-data."""
    raw = explicit or os.environ.get("NENGTAN_HOME") or "nengtan-data"
    return Paths(Path(raw).expanduser().resolve())


def database_url(paths: Paths, explicit: str | None = None) -> str:
    """The registry URL: the flag, else NENGTAN_DATABASE_URL, else a SQLite file in the data home."""
    return explicit or os.environ.get("NENGTAN_DATABASE_URL") or f"sqlite:///{paths.sqlite}"
