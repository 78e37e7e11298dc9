"""`python -m training send-reminders`: email due/overdue work to officers and a weekly digest to supervisors.

Meant for cron or a systemd timer (README: "Reminders"). Idempotent per day: run it as often
as you like. Without FIPP_SMTP_HOST it prints what it would send and records nothing.
"""

from __future__ import annotations

import argparse
import sys

from db.engine import make_engine, read_session
from db.migrate import upgrade
from training.administration.reminders import DEFAULT_DAYS_AHEAD, Reminder, plan_reminders, send_reminders
from training.content import load_catalog
from training.localtime import local_today
from training.mail import app_url as public_url
from training.mail import send_mail, smtp_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("send-reminders", help="email officers their due or overdue modules and supervisors a weekly "
                                              "digest (once a day at most; prints instead without SMTP settings)")
    p.add_argument("--days-ahead", type=int, default=DEFAULT_DAYS_AHEAD,
                   help=f"remind of work due within this many days (default {DEFAULT_DAYS_AHEAD})")
    p.add_argument("--dry-run", action="store_true", help="print what would be sent; send and record nothing")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.days_ahead <= 365:
        print("send-reminders: --days-ahead must be between 0 and 365", file=sys.stderr)
        return 2
    try:
        smtp = smtp_settings()
    except ValueError as exc:
        print(f"send-reminders: {exc}", file=sys.stderr)
        return 2
    engine = make_engine()
    upgrade(engine)
    catalog = load_catalog()
    today = local_today()
    app_url = public_url()
    try:
        if smtp is None or args.dry_run:
            with read_session(engine) as s:
                planned = plan_reminders(session=s, catalog=catalog, today=today, days_ahead=args.days_ahead,
                                         app_url=app_url)
            why = "dry run" if args.dry_run else "no SMTP settings (FIPP_SMTP_HOST)"
            print(f"send-reminders: {why}; would send {len(planned)} email(s):")
            for r in planned:
                print(f"\n--- to {r.to}: {r.subject}\n{r.body}")
            return 0

        def deliver(r: Reminder) -> None:
            send_mail(settings=smtp, to=r.to, subject=r.subject, body=r.body)

        report = send_reminders(engine=engine, catalog=catalog, today=today, send=deliver,
                                days_ahead=args.days_ahead, app_url=app_url)
    finally:
        engine.dispose()
    print(f"planned: {report.planned}\nsent: {report.sent}\nalready sent: {report.already_sent}\n"
          f"failed: {report.failed}")
    return 1 if report.failed else 0
