"""`python -m training deliver-xapi`: send waiting xAPI statements to the agency's Learning Record Store."""

from __future__ import annotations

import argparse
import sys

from db.engine import make_engine
from db.migrate import upgrade
from training.xapi import deliver_pending, lrs_config


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("deliver-xapi", help="send waiting xAPI statements to the LRS at FIPP_LRS_URL (retries "
                                            "failures later; a resend never duplicates)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        lrs = lrs_config()
    except ValueError as exc:
        print(f"deliver-xapi: {exc}", file=sys.stderr)
        return 2
    if lrs is None:
        print("deliver-xapi: FIPP_LRS_URL is not set; nothing sent (use export-xapi to write a file)",
              file=sys.stderr)
        return 2
    engine = make_engine()
    try:
        upgrade(engine)
        report = deliver_pending(engine=engine, lrs=lrs)
    finally:
        engine.dispose()
    print(f"delivered: {report.delivered}\nfailed: {report.failed}\nwaiting: {report.waiting}")
    return 1 if report.failed else 0
