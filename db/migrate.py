"""Apply Alembic migrations programmatically (the app does this at every start)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

from db.boot import MIGRATIONS, head_from_files
from training.settings import get_settings

__all__ = ["MIGRATIONS", "alembic_config", "at_head", "head_from_files", "is_current", "prepare", "upgrade"]


def alembic_config() -> Config:
    from alembic.config import Config  # Alembic is imported only when there is something to migrate

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def at_head(engine: Engine) -> bool:
    """Whether the database is stamped with the head revision (read with one query)."""
    head = head_from_files()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            stamped = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except DBAPIError:  # a new database: no version table yet
        return False
    return stamped == [head]


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema at engine up to revision; a no-op when it is already there."""
    from alembic import command

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
        if not at_head(engine):  # the usual restart: already current, so Alembic is not even imported
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
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head
