"""`python -m training reset-second-factor EMAIL`: the server operator's way back in when an officer
(for example the only administrator) has lost both their authenticator and their recovery codes."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import func
from sqlmodel import select

from db.engine import database_url, make_engine, write_session
from db.migrate import upgrade
from db.models import Officer
from training.identity.second_factor import reset_second_factor


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("reset-second-factor", help="remove an officer's authenticator and recovery codes and end "
                                                    "their sessions (audited); they enrol again at next sign-in")
    p.add_argument("email")
    p.add_argument("--database-url", default=None, help="database (default: DATABASE_URL or data/fipp.db)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url or database_url())
    try:
        upgrade(engine)
        with write_session(engine) as s:
            officer = s.exec(select(Officer).where(func.lower(Officer.email) == args.email.strip().lower())).first()
            if officer is None or officer.id is None:
                print(f"no officer with email {args.email}", file=sys.stderr)
                return 1
            had = reset_second_factor(session=s, actor_id=officer.id, officer_id=officer.id, via="command-line")
    finally:
        engine.dispose()
    print("second factor reset; they set up a new authenticator at their next sign-in" if had else
          "they had no authenticator; their sessions were ended anyway")
    return 0
