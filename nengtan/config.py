"""Where nengtan keeps its data, chosen by environment variables (documented in docs/configuration.md).

* ``NENGTAN_HOME``: data directory (registry file, readings lake, raw uploads); default ``./nengtan-data``.
* ``NENGTAN_DATABASE_URL``: registry URL; default a SQLite file in the data directory. Any SQLAlchemy URL
  works, e.g. ``postgresql+psycopg://user@127.0.0.1:5432/nengtan``.
* ``NENGTAN_ENGINE`` (``duckdb`` | ``spark``) and ``NENGTAN_SPARK_MASTER`` (default ``local[2]``): the compute
  back-end of the lake scans; also ``[compute] engine = …, spark_master = …`` in the settings file
  (``NENGTAN_CONFIG``), the environment winning.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

ENGINES = ("duckdb", "spark")


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

    @property
    def geo(self) -> Path:
        """The parks' maps (GeoJSON, nengtan.engine.geo)."""
        return self.home / "geo"


def data_home(explicit: str | Path | None = None) -> Paths:
    """The data directory: the flag, else NENGTAN_HOME, else ./nengtan-data."""
    raw = explicit or os.environ.get("NENGTAN_HOME") or "nengtan-data"
    return Paths(Path(raw).expanduser().resolve())


def database_url(paths: Paths, explicit: str | None = None) -> str:
    """The registry URL: the flag, else NENGTAN_DATABASE_URL, else a SQLite file in the data home."""
    return explicit or os.environ.get("NENGTAN_DATABASE_URL") or f"sqlite:///{paths.sqlite}"


def _config_table(name: str) -> dict[str, object]:
    """A table of the settings file named by ``NENGTAN_CONFIG`` ({} without one; the service's settings loader
    reports a malformed file with its line)."""
    path = os.environ.get("NENGTAN_CONFIG")
    if path and Path(path).expanduser().is_file():
        try:
            return dict(tomllib.loads(Path(path).expanduser().read_text(encoding="utf-8")).get(name, {}))
        except tomllib.TOMLDecodeError:
            return {}
    return {}


def smtp_settings() -> dict[str, object]:
    """The mail server notifications go out through: ``NENGTAN_SMTP_HOST``, ``NENGTAN_SMTP_PORT``,
    ``NENGTAN_SMTP_FROM``, else the settings file's ``[notify]`` table (``smtp_host``, ``smtp_port``, ``sender``,
    ``starttls``, ``username``, ``password``), else 127.0.0.1:25."""
    t = _config_table("notify")
    return {"host": os.environ.get("NENGTAN_SMTP_HOST") or str(t.get("smtp_host", "127.0.0.1")),
            "port": int(os.environ.get("NENGTAN_SMTP_PORT") or str(t.get("smtp_port", 25))),
            "sender": os.environ.get("NENGTAN_SMTP_FROM") or str(t.get("sender", "nengtan@localhost")),
            "starttls": bool(t.get("starttls", False)), "username": str(t.get("username", "")),
            "password": str(t.get("password", ""))}


def compute_settings() -> tuple[str, str]:
    """The lake scans' back-end and, for Spark, its master URL: the environment, else the settings file's
    ``[compute]`` table, else DuckDB (and ``local[2]``)."""
    table = _config_table("compute")
    engine = os.environ.get("NENGTAN_ENGINE") or str(table.get("engine", "duckdb"))
    if engine not in ENGINES:
        from nengtan.errors import InputError

        raise InputError(f"compute engine {engine!r}: {' or '.join(ENGINES)} (NENGTAN_ENGINE or [compute].engine)")
    master = os.environ.get("NENGTAN_SPARK_MASTER") or str(table.get("spark_master", "local[2]"))
    return engine, master
