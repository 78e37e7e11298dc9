"""Apply Alembic migrations programmatically (the app does this at every start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from training.settings import get_settings

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema at engine up to revision; a no-op when it is already there."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def prepare(engine: Engine, owner_url: str | None = None) -> None:
    """Bring the schema up to date at start. With an owner URL (DATABASE_OWNER_URL) on PostgreSQL,
    migrate as the owner and grant the runtime role of engine only what it needs (db/roles.py);
    without one, migrate over engine itself (SQLite, or a single-role PostgreSQL setup)."""
    if owner_url is None:
        secret = get_settings().database_owner_url
        owner_url = secret.get_secret_value() if secret else None
    if not owner_url or engine.dialect.name != "postgresql":
        upgrade(engine)
        return
    from db.engine import make_engine
    from db.roles import grant_runtime

    owner = make_engine(owner_url)
    try:
        upgrade(owner)
        runtime_role = engine.url.username
        if runtime_role and runtime_role != owner.url.username:
            with owner.begin() as conn:
                grant_runtime(conn, runtime_role)
    finally:
        owner.dispose()


def is_current(engine: Engine) -> bool:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head
