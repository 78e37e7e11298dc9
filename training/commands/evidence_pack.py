"""`python -m training evidence-pack` writes a department's signed evidence pack; `verify-pack` checks one
offline, with no database."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlmodel import select

from db.engine import database_url, make_engine, read_session, write_session
from db.models import Department
from training.audit import record_event
from training.content import load_catalog
from training.evidence.keys import KeyUnavailable, load_keyring, parse_keyring
from training.evidence.packs import build_pack, describe, verify_pack
from training.identity.principal import Principal
from training.settings import get_settings

COMMAND_LINE = Principal(officer_id=0, name="command line (python -m training evidence-pack)", role="admin",
                         department_id=None)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("evidence-pack", help="write a department's signed evidence pack for a cycle (ZIP)")
    p.add_argument("--department", required=True, help="department code")
    p.add_argument("--cycle", required=True, help="training cycle, e.g. 2027")
    p.add_argument("--to", required=True, type=Path, help="the ZIP file to write (must not exist)")
    p.add_argument("--database-url", default=None, help="database (default: DATABASE_URL or data/fipp.db)")
    p.set_defaults(func=run)
    v = sub.add_parser("verify-pack", help="check an evidence pack's signature and every file's hash, with no "
                                           "database; exit 1 naming each changed file")
    v.add_argument("pack", type=Path, help="the ZIP file")
    v.add_argument("--public-key", type=Path, default=None,
                   help="the public key lines you were given (`evidence-key public`); default: this "
                        "installation's keyring if it has one, else the key inside the pack")
    v.set_defaults(func=run_verify)


def run(args: argparse.Namespace) -> int:
    if args.to.exists():
        print(f"{args.to} already exists; choose a new file", file=sys.stderr)
        return 1
    catalog = load_catalog(get_settings().content_root)
    engine = make_engine(args.database_url or database_url())
    try:
        with read_session(engine) as s:
            dept = next((d for d in s.exec(select(Department)) if d.code.lower() == args.department.lower()), None)
            if dept is None:
                print(f"no department with code {args.department!r}", file=sys.stderr)
                return 1
            data = build_pack(session=s, actor=COMMAND_LINE, catalog=catalog, department_id=dept.id, cycle=args.cycle)
        with write_session(engine) as s:
            record_event(session=s, action="evidence.pack", target_type="department", target_id=dept.id,
                         department_id=dept.id, cycle=args.cycle, via="command line", bytes=len(data))
    except KeyUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    args.to.write_bytes(data)
    print(f"wrote {args.to} ({len(data)} bytes) for {dept.code} cycle {args.cycle}")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    keyring = None
    try:
        if args.public_key is not None:
            keyring = parse_keyring(args.public_key.read_text(encoding="ascii"), str(args.public_key))
        else:
            keyring = load_keyring()
    except (KeyUnavailable, OSError, UnicodeDecodeError):
        if args.public_key is not None:
            print(f"cannot read a public key from {args.public_key}", file=sys.stderr)
            return 1
    problems, notes = verify_pack(args.pack.read_bytes(), keyring=keyring)
    for note in notes:
        print(f"note: {note}")
    for problem in problems:
        print(f"PACK BROKEN: {problem}", file=sys.stderr)
    print(describe(problems))
    return 1 if problems else 0
