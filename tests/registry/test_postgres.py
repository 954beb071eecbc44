"""The same registry code on the real PostgreSQL server (127.0.0.1:5432) gives the same accounts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect

from nengtan.config import data_home
from nengtan.engine.ledgers import inventory
from nengtan.ingest.files import import_file
from nengtan.lake import Lake
from nengtan.registry.store import Registry

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
pytestmark = pytest.mark.postgres


def _load(reg: Registry, home: Path) -> dict[str, object]:
    paths = data_home(home)
    for kind in ("enterprises", "meters", "activity", "economic", "readings"):
        assert import_file(reg, paths, kind, EXAMPLES / f"{kind}.csv").rows_bad == 0
    inv = inventory(reg, Lake(paths.lake), 2025, month=1).to_dict()
    inv.pop("data_version")
    return inv


def test_postgres_and_sqlite_give_identical_inventories(pg_url: str, tmp_path: Path) -> None:
    pg = Registry.open(pg_url)
    assert pg.engine.dialect.name == "postgresql"
    tables = set(inspect(pg.engine).get_table_names())
    assert {"enterprise", "meter", "activity", "economic_data", "import_batch", "quarantine", "year_lock"} <= tables
    on_pg = _load(pg, tmp_path / "pg")
    pg.upgrade()  # migrating again is a no-op
    pg.close()
    lite = Registry.open(f"sqlite:///{tmp_path / 'lite.sqlite'}")
    on_lite = _load(lite, tmp_path / "lite")
    assert on_pg == on_lite
    assert on_pg["energy_tce"] == pytest.approx(on_lite["energy_tce"], rel=0, abs=0)


def test_postgres_rejects_a_conflicting_row_like_sqlite(pg_url: str, tmp_path: Path) -> None:
    reg = Registry.open(pg_url)
    paths = data_home(tmp_path)
    _load(reg, tmp_path)
    f = tmp_path / "c.csv"
    f.write_text("uscc,period,carrier,quantity,unit\n91320115000001230J,2025-01,diesel,9,t\n", encoding="utf-8")
    res = import_file(reg, paths, "activity", f)
    assert res.rows_bad == 1 and "differs from the stored 3.5 t" in res.issues[0].reason
    reg.close()
