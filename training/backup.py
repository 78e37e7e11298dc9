"""Backups of the live database, taken while the app keeps running.

SQLite: sqlite3's online backup API copies every page in one step inside one read
transaction, so the copy is a single consistent snapshot (in WAL mode writers carry on
meanwhile; they are never blocked). A file copy is not used: it can catch the database
half-way through a checkpoint and would miss what still sits in the -wal file. The copy
is written beside the target, checked with `PRAGMA integrity_check`, flushed to disk and
only then renamed into place, so a crash never leaves a half-written backup under the
target's name.

PostgreSQL: pg_dump takes a consistent snapshot the same way; we print the commands (and
run pg_dump when asked and it is installed).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from db.engine import BUSY_TIMEOUT_MS


class BackupError(Exception):
    """The backup could not be written or did not check out."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    integrity: str
    tables: dict[str, int]


def is_sqlite_url(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return Path(database)


def backup_sqlite(url: str, target: Path, *, overwrite: bool = False) -> BackupResult:
    """Copy the live SQLite database at url to target through the online backup API."""
    source_path = sqlite_path(url)
    if not source_path.exists():
        raise BackupError(f"no database at {source_path}")
    target = target.resolve()
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; choose a new name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, timeout=BUSY_TIMEOUT_MS / 1000)  # only reads; ro would need the -shm file
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy, pages=-1)  # one step: one snapshot, however busy the source is
            copy.execute("PRAGMA journal_mode=DELETE")  # the backup is one self-contained file
            integrity = "; ".join(row[0] for row in copy.execute("PRAGMA integrity_check"))
            tables = _row_counts(copy)
        finally:
            copy.close()
    finally:
        source.close()
    if integrity != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its integrity check: {integrity}")
    _fsync(partial)
    os.replace(partial, target)
    _fsync(target.parent)
    return BackupResult(target, target.stat().st_size, integrity, tables)


def _row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: int(conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]) for name in names}


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def libpq_url(url: str) -> str:
    """The URL as pg_dump and psql understand it (no SQLAlchemy driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def postgresql_instructions(url: str, target: Path) -> str:
    src = make_url(url).set(drivername="postgresql").render_as_string(hide_password=True)
    return "\n".join([
        "PostgreSQL is backed up with its own tools; pg_dump reads one consistent snapshot while the app runs.",
        "Back up (custom format, compressed):",
        f"  pg_dump --format=custom --no-owner --file '{target}' '{src}'",
        "Restore into a new, empty database (triggers are recreated after the rows are loaded):",
        "  createdb fipp_restored",
        f"  pg_restore --no-owner --single-transaction --exit-on-error --dbname fipp_restored '{target}'",
        "Then check it: DATABASE_URL=postgresql+psycopg://.../fipp_restored python -m training verify-records",
        "(the password, shown as *** above, is best kept in ~/.pgpass or PGPASSWORD, not on the command line)",
    ])


def run_pg_dump(url: str, target: Path) -> Path:
    """Run pg_dump to target (custom format); raises BackupError if pg_dump is missing or fails."""
    exe = shutil.which("pg_dump")
    if exe is None:
        raise BackupError("pg_dump is not on PATH; install the PostgreSQL client tools")
    target = target.resolve()
    done = subprocess.run([exe, "--format=custom", "--no-owner", "--file", str(target), libpq_url(url)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
    return target
