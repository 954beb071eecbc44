"""Opening the registry: the migration shortcut agrees with Alembic."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory

from nengtan.registry.store import Registry, alembic_config, head_revision


def test_head_revision_is_alembics_head() -> None:
    assert head_revision() == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_a_new_registry_is_migrated_to_head_and_reopening_leaves_it(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    reg = Registry.open(url)
    assert reg.revision() == head_revision()
    reg.close()
    again = Registry.open(url)  # at head: no migration runs, the schema is the same
    assert again.revision() == head_revision()
    again.close()


def test_an_older_registry_is_upgraded(tmp_path: Path) -> None:
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    command.upgrade(alembic_config(url), "0004")
    reg = Registry.open(url)
    assert reg.revision() == head_revision() == "0020"
    reg.close()
