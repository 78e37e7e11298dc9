"""`python -m training create-admin`: a new administrator for whoever runs the server; prints a one-time link.

For recovery when the only administrator is locked out or has forgotten their password, and
for setting up without the browser. The account has no password until the link is used."""

from __future__ import annotations

import argparse
import sys

from db.engine import database_url, make_engine, write_session
from db.migrate import upgrade
from training.audit import record_event
from training.errors import TrainingError
from training.identity.links import issue_link, link_url
from training.identity.officers import new_officer
from training.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("create-admin", help="create an administrator and print a one-time link to set the password")
    p.add_argument("--name", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--badge", required=True, help="badge or employee number")
    p.add_argument("--database-url", default=None, help="default: DATABASE_URL or data/fipp.db")
    p.set_defaults(func=run)


def print_link(token: str) -> None:
    url = link_url(token)
    print(f"one-time link (valid 24 hours, works once): {url}")
    if url.startswith("/"):
        print("(FIPP_PUBLIC_URL is not set: put the app's address in front, e.g. http://localhost:8501" + url + ")")


def run(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url or database_url())
    upgrade(engine)
    try:
        with write_session(engine) as s:
            officer = new_officer(session=s, name=args.name, email=args.email, badge_number=args.badge,
                                   department_id=None, role="admin", password=None, settings=get_settings())
            assert officer.id is not None
            record_event(session=s, action="account.create", target_type="officer", target_id=officer.id,
                         role="admin", email=officer.email, badge_number=officer.badge_number, password_set=False,
                         source="command line")
            token = issue_link(session=s, officer_id=officer.id, purpose="first_password", actor_id=None)
    except TrainingError as exc:
        print(f"not created: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"administrator created: {officer.email}")
    print_link(token)
    return 0
