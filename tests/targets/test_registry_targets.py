"""Targets tables: migration 0003 matches the models; allocations and targets round-trip."""

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from nengtan.registry.schema import metadata
from nengtan.registry.store import Registry
from nengtan.registry.tables.targets import (
    active_targets,
    load_allocation,
    next_allocation_version,
    save_allocation,
    save_target,
)
from nengtan.targets.allocation import allocate
from nengtan.targets.targets import template


@pytest.fixture
def reg(tmp_path):
    r = Registry.open(f"sqlite:///{tmp_path / 'reg.sqlite'}")
    yield r
    r.close()


def test_migration_matches_models(reg):
    with reg.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    mine = [d for d in diff if any(n in str(d) for n in ("target_adopted", "budget_allocation", "project_assessment"))]
    assert mine == []


def test_allocation_and_target_round_trip(reg):
    ents = pd.DataFrame(
        {
            "uscc": ["A", "B"],
            "enterprise": ["甲", "乙"],
            "sector_code": ["3670", "3811"],
            "base_emissions": [100.0, 300.0],
        }
    )
    al = allocate(1000.0, ents, "grandfather", 2025, reserve_share=0.1, approved_by="张三")
    with reg.session() as s:
        assert next_allocation_version(s, 2025) == 1
        save_allocation(s, al)
        save_target(s, template("yancheng-2025-carbon-intensity").adopt(), "张三", base_level=0.5)
        save_target(s, template("yancheng-2025-carbon-intensity").adopt(), "李四", base_level=0.6)
    with reg.session() as s:
        back = load_allocation(s, 2025)
        assert back is not None and back.approved_by == "张三" and back.version == 1
        assert back.table["allocated_units"].tolist() == [22_500, 67_500]  # 900 t split 1:3
        assert back.reserve_units == 10_000
        back.check()
        assert next_allocation_version(s, 2025) == 2
        ts = active_targets(s)
        assert len(ts) == 1 and ts[0][1] == 0.6  # re-adopting replaced the earlier row
