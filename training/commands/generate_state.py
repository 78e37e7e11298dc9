"""`python -m training generate-state`: load a synthetic state into an empty database.

80 departments, 50,000 officers, the real catalog's 9 modules and about 2,000,000 answer
rows (see training/synthetic.py). Bulk inserts: executemany in large transactions on SQLite
(synchronous off for the load only), COPY on PostgreSQL; then ANALYZE (VACUUM ANALYZE on PostgreSQL). The schema's
append-only triggers stay on: we only insert.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import make_url
from sqlmodel import select

from db.engine import make_engine, write_session
from db.migrate import prepare
from db.models import Officer
from training.content import ROOT, load_catalog
from training.quizzes import _store_versions
from training.synthetic import COLUMNS, Plan, Row, generate


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("generate-state", help="load a synthetic state (80 departments, 50,000 officers) for load tests")
    p.add_argument("--url", default=None, help="database URL (default: DATABASE_URL); the database must be empty")
    p.add_argument("--officers", type=int, default=Plan.officers)
    p.add_argument("--departments", type=int, default=Plan.departments)
    p.add_argument("--seed", type=int, default=Plan.seed)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    plan = Plan(departments=args.departments, officers=args.officers, seed=args.seed)
    counts = generate_state(args.url, plan)
    for table, n in counts.items():
        print(f"{table}: {n}")
    return 0


def _sqlite_value(v: object) -> object:
    if isinstance(v, datetime):  # SQLAlchemy's SQLite DATETIME text, in UTC
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, date):
        return v.isoformat()
    return v


class _Writer:
    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.sqlite = self.url.get_backend_name() == "sqlite"
        self.conn: Any
        if self.sqlite:
            self.conn = sqlite3.connect(self.url.database or "", isolation_level=None)
            self.conn.execute("PRAGMA synchronous=OFF")
            self.conn.execute("BEGIN")
        else:
            import psycopg

            self.conn = psycopg.connect(self.url.set(drivername="postgresql").render_as_string(hide_password=False))

    def write(self, table: str, rows: Iterable[Row]) -> None:
        cols = COLUMNS[table]
        if self.sqlite:
            marks = ", ".join("?" * len(cols))
            self.conn.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})",
                                  ([_sqlite_value(v) for v in r] for r in rows))
            return
        with self.conn.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row(r)

    def finish(self) -> None:
        if self.sqlite:
            self.conn.execute("COMMIT")
            self.conn.execute("PRAGMA synchronous=FULL")
            self.conn.execute("ANALYZE")
        else:
            for table in (t for t, cols in COLUMNS.items() if "id" in cols):  # explicit ids: move sequences past them
                self.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)")
            self.conn.commit()
            self.conn.autocommit = True
            self.conn.execute("VACUUM ANALYZE")  # statistics and the visibility map, as autovacuum would
        self.conn.close()


def generate_state(url: str | None, plan: Plan, *, log: bool = True) -> dict[str, int]:
    """Migrate the database at url, refuse if it already has officers, then load the state."""
    engine = make_engine(url)
    prepare(engine)
    catalog = load_catalog(ROOT)
    with write_session(engine) as s:
        if s.exec(select(func.count()).select_from(Officer)).one():
            raise SystemExit("generate-state needs an empty database; this one already has officers.")
        _store_versions(s, catalog, list(catalog.questions))  # the exact question text, as the app stores it
    engine.dispose()
    started, counts = time.perf_counter(), dict.fromkeys(COLUMNS, 0)
    writer = _Writer(engine.url.render_as_string(hide_password=False))
    for table, rows in generate(catalog, plan):
        writer.write(table, rows)
        counts[table] += len(rows)
    writer.finish()
    if log:
        print(f"generated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return counts
