"""One-backend engines, for tests that are about one database in particular (its backup tool,
its file): the shared `engine` fixture runs every test on both."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from db.engine import make_engine
from db.migrate import upgrade
from tests.conftest import _PG_REASON, PgDatabase


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    eng = make_engine(f"sqlite:///{tmp_path / 'fipp.db'}")
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def pg_engine() -> Iterator[Engine]:
    if _PG_REASON:
        pytest.skip(_PG_REASON)
    db = PgDatabase()
    eng = make_engine(db.url)
    try:
        upgrade(eng)
        yield eng
    finally:
        eng.dispose()
        db.drop()
