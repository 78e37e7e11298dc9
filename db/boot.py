"""What the signed-out first page asks the database at start, answered without SQLAlchemy.

Importing SQLAlchemy, SQLModel and db/models.py is about half a second of CPU, more than the
rest of the sign-in form (benchmarks/bench_health.py). The form itself needs no table; the
router only asks two things first: is the schema at the latest migration, and does an
administrator exist yet. For a SQLite file both are two reads over the standard library's
sqlite3. Anything this module cannot answer for certain (PostgreSQL, a URL with options, a
new or older database, any error) answers "not certain", and the caller takes the normal path, which
migrates and counts officers as before.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_ASSIGNED = re.compile(r"^(revision|down_revision|branch_labels|depends_on)\b[^=\n]*=\s*(.*?)\s*$", re.M)
_QUOTED = re.compile(r"""^(['"])([\w.-]+)\1$""")
# Only the plain form SQLAlchemy reads the same way: a file path, no query options, no escapes.
_SQLITE_FILE = re.compile(r"^sqlite(\+pysqlite)?:///(?P<path>[^?%]+)$")


def head_from_files() -> str | None:
    """The head revision read from the migration files' `revision = "..."` lines, without
    importing Alembic (about a fifth of a second at every start); None whenever the files are
    anything but one plain chain (a merge, a branch label, a dependency), so Alembic decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        found = dict(_ASSIGNED.findall(path.read_text(encoding="utf-8")))
        revision = _QUOTED.match(found.get("revision", ""))
        down = found.get("down_revision", "")
        if revision is None or found.get("branch_labels", "None") != "None" or \
                found.get("depends_on", "None") != "None":
            return None
        revisions.add(revision.group(2))
        if down != "None":
            parent = _QUOTED.match(down)
            if parent is None:
                return None
            parents.add(parent.group(2))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def sqlite_file(url: str) -> Path | None:
    """The database file of a plain `sqlite:///path` URL that exists already, else None."""
    match = _SQLITE_FILE.match(url.strip())
    if match is None or match["path"] == ":memory:":
        return None
    path = Path(match["path"])
    return path if path.is_file() else None


def admin_exists(url: str) -> bool:
    """True only when the SQLite database at url is certainly at the head revision and holds an
    officer (the first administrator is created before any other account; officers are never
    deleted). False means "not certain": the normal path then migrates and decides."""
    path = sqlite_file(url)
    head = head_from_files() if path is not None else None
    if path is None or head is None:
        return False
    try:
        conn = sqlite3.connect(path, timeout=10)
    except sqlite3.Error:
        return False
    try:
        stamped = [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
        return stamped == [head] and conn.execute("SELECT 1 FROM officer LIMIT 1").fetchone() is not None
    except sqlite3.Error:  # not one of ours, or not migrated yet
        return False
    finally:
        conn.close()
