"""Fixed statements run straight on the driver connection of a session's transaction.

A graded submission runs about a dozen fixed statements on every quiz page. Through
SQLAlchemy each costs some 60-70 us of its own (compile cache lookup, parameter processing,
result wrapping) against about 1 us for the driver, which was most of a submission's time
(benchmarks/bench_submission.py). Here the statements are SQL text written once per dialect
and executed on the session's own DB-API connection, so they run in the session's
transaction (BEGIN IMMEDIATE on SQLite, the same connection on PostgreSQL) and commit or roll
back with it.

Only for fixed, hot statements. SQL is written with `?` placeholders; on PostgreSQL (psycopg)
they become `%s`. Values must be what the driver takes and what SQLAlchemy would have
stored: times go through `when()` (SQLAlchemy stores a DateTime in SQLite as text
`YYYY-MM-DD HH:MM:SS.ffffff`; psycopg takes the datetime), and come back through `read_when()`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session


class Sql:
    """One statement's text for SQLite and for PostgreSQL (`?` -> `%s`, and a PostgreSQL-only tail)."""

    __slots__ = ("postgresql", "sqlite")

    def __init__(self, sql: str, *, postgresql_tail: str = "") -> None:
        assert "%" not in sql and "%" not in postgresql_tail, "psycopg would read % as a placeholder"
        self.sqlite = sql
        self.postgresql = sql.replace("?", "%s") + postgresql_tail


class Raw:
    """The DB-API connection under a session's current transaction (begun here if need be)."""

    __slots__ = ("driver", "postgresql")

    def __init__(self, session: Session) -> None:
        connection = session.connection()  # starts the session's transaction: BEGIN IMMEDIATE on SQLite
        dialect = connection.dialect.name
        if dialect not in ("sqlite", "postgresql"):
            raise NotImplementedError(f"no driver statements for {dialect}")
        self.postgresql = dialect == "postgresql"
        self.driver: Any = connection.connection.driver_connection  # sqlite3 or psycopg connection

    def _text(self, sql: Sql) -> str:
        return sql.postgresql if self.postgresql else sql.sqlite

    def run(self, sql: Sql, params: Sequence[Any] = ()) -> Any:
        """Execute; returns the driver's cursor (rowcount, fetchone, lastrowid)."""
        return self.driver.execute(self._text(sql), params)

    def one(self, sql: Sql, params: Sequence[Any] = ()) -> Any:
        """The first row (a tuple) or None."""
        return self.driver.execute(self._text(sql), params).fetchone()

    def all(self, sql: Sql, params: Sequence[Any] = ()) -> list[Any]:
        return list(self.driver.execute(self._text(sql), params).fetchall())

    def many(self, sql: Sql, rows: Iterable[Sequence[Any]]) -> None:
        """One executemany for all rows."""
        cursor = self.driver.cursor()
        try:
            cursor.executemany(self._text(sql), rows)
        finally:
            cursor.close()

    def when(self, moment: datetime | None) -> Any:
        """A time as SQLAlchemy passes a DateTime: the datetime itself to psycopg; in SQLite, text
        of its digits (the time zone dropped, as SQLAlchemy's SQLite DateTime does)."""
        if moment is None or self.postgresql:
            return moment
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")

    @staticmethod
    def read_when(value: datetime | str | None) -> datetime | None:
        """A time read back (SQLite gives text), naive as SQLAlchemy gives it."""
        if value is None or isinstance(value, datetime):
            return value
        return datetime.fromisoformat(value)
