"""`python -m training reset-password EMAIL`: a one-time link to set a new password (audited)."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import func
from sqlmodel import select

from db.engine import database_url, make_engine, write_session
from db.migrate import upgrade
from db.models import Officer
from training.audit import record_event
from training.commands.create_admin import print_link
from training.identity.links import issue_link


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("reset-password", help="print a one-time link to set a new password for EMAIL")
    p.add_argument("email")
    p.add_argument("--database-url", default=None, help="default: DATABASE_URL or data/fipp.db")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url or database_url())
    upgrade(engine)
    try:
        with write_session(engine) as s:
            email = args.email.strip().lower()
            officer = s.exec(select(Officer).where(func.lower(Officer.email) == email)).first()
            if officer is None or officer.id is None or not officer.active:
                print(f"no active officer has the email {email}", file=sys.stderr)
                return 1
            record_event(session=s, action="account.reset_by_command", target_type="officer", target_id=officer.id,
                         department_id=officer.department_id)
            token = issue_link(session=s, officer_id=officer.id, purpose="reset", actor_id=None)
    finally:
        engine.dispose()
    print(f"password reset link for {officer.email} (their current password keeps working until it is used)")
    print_link(token)
    return 0
