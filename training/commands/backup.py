"""`python -m training backup --to PATH`: a consistent copy of the live database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from db.engine import database_url
from training.backup import (
    BackupError,
    backup_sqlite,
    is_sqlite_url,
    postgresql_instructions,
    run_pg_dump,
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("backup", help="write a consistent copy of the live database (SQLite backup API; "
                                      "pg_dump instructions for PostgreSQL)")
    p.add_argument("--to", required=True, type=Path, help="file to write; refused if it exists")
    p.add_argument("--database-url", default=None, help="database to copy (default: DATABASE_URL or data/fipp.db)")
    p.add_argument("--run-pg-dump", action="store_true", help="PostgreSQL: also run pg_dump to --to")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    url = args.database_url or database_url()
    try:
        if not is_sqlite_url(url):
            print(postgresql_instructions(url, args.to))
            if args.run_pg_dump:
                print(f"backup written: {run_pg_dump(url, args.to)}")
            return 0
        result = backup_sqlite(url, args.to)
    except BackupError as exc:
        print(f"backup failed: {exc}", file=sys.stderr)
        return 1
    print(f"backup written: {result.path} ({result.size_bytes:,} bytes)")
    print(f"integrity_check: {result.integrity}")
    for table in ("officer", "attempt", "answer", "completion", "audit_event"):
        print(f"{table}: {result.tables.get(table, 0)}")
    print("check it any time with: python -m training verify-records "
          f"--database-url sqlite:///{result.path}")
    return 0
