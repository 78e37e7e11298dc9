"""Engines and sessions. DATABASE_URL (training/settings.py) picks the database; SQLite under data/ by default.

SQLite is tuned for durability and for several writers: WAL, synchronous=FULL, foreign keys
on, a busy timeout, and write transactions that start with BEGIN IMMEDIATE so that two
writers queue on the busy timeout instead of failing with "database is locked" when one
upgrades a read lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine as Engine  # re-exported: pages type their engine without importing sqlalchemy
from sqlalchemy import create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session as Session  # re-exported: pages type their callbacks without importing sqlmodel

from training.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
BUSY_TIMEOUT_MS = 10_000
_IMMEDIATE = "fipp_begin_immediate"


def database_url() -> str:
    return get_settings().database_url.get_secret_value()


def make_engine(url: str | None = None) -> Engine:
    """A new engine for url (or DATABASE_URL). Creates the SQLite folder if needed."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
    _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        # Straight to the driver: BEGIN returns nothing, and going through SQLAlchemy's execution
        # path cost about as much as a statement of the transaction itself.
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for url (one pool per process)."""
    return make_engine(url)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One transaction for one user action: commit on success, roll back on any error."""
    # The option rides on the session's connection (set before BEGIN), not on a new engine
    # wrapper per call: building one cost a sixth of an empty write transaction.
    options = {_IMMEDIATE: True} if is_sqlite(engine) else {}
    with Session(engine, expire_on_commit=False, execution_options=options) as session:
        with session.begin():
            yield session


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
