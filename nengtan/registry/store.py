"""Opening the registry: engine, migrations, sessions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cur.close()


SQLITE_BUSY_MS = 120_000
"""How long a SQLite writer waits for another (an import, the ingester) to commit before giving up."""


def _sqlite_immediate(engine: Engine) -> None:
    """Writer transactions on SQLite start with BEGIN IMMEDIATE: they take the write lock first (waiting
    up to SQLITE_BUSY_MS for another writer) instead of failing with 'database is locked' when a read
    transaction tries to become a write."""
    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration's revision id, read from the migration files (``revision = "NNNN"``): the chain
    is linear, so the head is the one no other file names as its ``down_revision``."""
    revs: dict[str, str | None] = {}
    for path in (MIGRATIONS / "versions").glob("*.py"):
        src = path.read_text(encoding="utf-8")
        rev = re.search(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", src, re.M)
        down = re.search(r"^down_revision\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", src, re.M)
        if rev and down:
            revs[rev.group(1)] = down.group(1)
    (head,) = set(revs) - {d for d in revs.values() if d}
    return head


class Registry:
    """The system of record. ``Registry.open(url)`` migrates to the newest schema."""

    def __init__(self, engine: Engine, write_engine: Engine | None = None) -> None:
        self.engine = engine
        self._write_engine = write_engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(write_engine or engine, expire_on_commit=False)

    @classmethod
    def open(cls, url: str, migrate: bool = True) -> Registry:
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True)
        write_engine = None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            write_engine = create_engine(url, future=True)
            event.listen(write_engine, "connect", _sqlite_pragmas)
            _sqlite_immediate(write_engine)
        reg = cls(engine, write_engine)
        if migrate:
            reg.upgrade()
        return reg

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def upgrade(self) -> None:
        """Run Alembic migrations to head (idempotent). A registry already at head is left alone without
        loading Alembic, which costs about a second of start-up in every process that opens the registry."""
        if self.revision() == head_revision():
            return
        from alembic import command

        cfg = alembic_config(self.engine.url.render_as_string(hide_password=False))
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def revision(self) -> str | None:
        """The schema revision the registry is at (Alembic's ``alembic_version``), None before the first."""
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """A session committed on success and rolled back on error. ``write``: it will write, so on
        SQLite it takes the write lock at its start (serialising writers; readers are not held up)."""
        s = (self._write_sessions if write else self._sessions)()
        try:
            yield s
            s.commit()
        except BaseException:
            s.rollback()
            raise
        finally:
            s.close()

    def close(self) -> None:
        self.engine.dispose()
        if self._write_engine is not None:
            self._write_engine.dispose()
