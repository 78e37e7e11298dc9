"""Start-up's migration check: a database already at head is recognised without Alembic,
anything else is migrated by Alembic as before."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory

from db.engine import make_engine
from db.migrate import alembic_config, at_head, head_from_files, is_current, prepare, upgrade


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    assert head_from_files() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_a_new_database_is_migrated_at_start(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert not at_head(engine)
    prepare(engine)
    assert at_head(engine) and is_current(engine)
    engine.dispose()


def test_a_database_one_migration_behind_is_upgraded_at_start(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_revision(script.get_current_head())
    assert head is not None and isinstance(head.down_revision, str)
    upgrade(engine, head.down_revision)
    assert not at_head(engine) and not is_current(engine)
    prepare(engine)
    assert at_head(engine) and is_current(engine)
    engine.dispose()
