"""`python -m training export-xapi --to FILE`: write the xAPI statements as JSON lines, for an LMS import."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from db.engine import make_engine, read_session
from db.migrate import upgrade
from training.xapi import all_statements


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export-xapi", help="write every xAPI statement (or only undelivered ones) to a JSON-lines "
                                           "file")
    p.add_argument("--to", required=True, type=Path, help="the file to write (replaced atomically)")
    p.add_argument("--undelivered", action="store_true", help="only statements not yet delivered to an LRS")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    target: Path = args.to
    if target.exists() and target.is_dir():
        print(f"export-xapi: {target} is a folder; give a file name", file=sys.stderr)
        return 2
    engine = make_engine()
    tmp = target.with_name(target.name + ".part")
    count = 0
    try:
        upgrade(engine)
        with read_session(engine) as s, tmp.open("w", encoding="utf-8") as out:
            for statement in all_statements(session=s, undelivered_only=args.undelivered):
                out.write(json.dumps(statement, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
        os.replace(tmp, target)
    finally:
        engine.dispose()
        tmp.unlink(missing_ok=True)
    print(f"statements: {count}\nwritten to: {target}")
    return 0
