"""`python -m training checkpoint` / `verify-checkpoint TOKEN`: sign the chains' heads now; check a kept one."""

from __future__ import annotations

import argparse
import sys

from db.engine import database_url, make_engine, read_session
from training.evidence.checkpoints import make_checkpoint, verify_checkpoint
from training.evidence.keys import KeyUnavailable


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("checkpoint", help="print a signed checkpoint of the completion and audit chains (keep it)")
    p.add_argument("--database-url", default=None, help="database (default: DATABASE_URL or data/fipp.db)")
    p.set_defaults(func=run)
    v = sub.add_parser("verify-checkpoint", help="check a kept checkpoint against the database; exit 1 naming "
                                                 "deleted or rewritten chains")
    v.add_argument("token", help="the checkpoint token (fippcp1....)")
    v.add_argument("--database-url", default=None, help="database (default: DATABASE_URL or data/fipp.db)")
    v.set_defaults(func=run_verify)


def run(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url or database_url())
    try:
        with read_session(engine) as s:
            cp = make_checkpoint(session=s)
    except KeyUnavailable as exc:
        print(f"no checkpoint: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print("\n".join(cp.lines()))
    print(cp.token)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url or database_url())
    try:
        with read_session(engine) as s:
            problems = verify_checkpoint(session=s, token=args.token)
    except KeyUnavailable as exc:
        problems = [str(exc)]
    finally:
        engine.dispose()
    if not problems:
        print("checkpoint holds: the database still has every chain as it was then")
        return 0
    for p in problems:
        print(f"CHECKPOINT BROKEN: {p}", file=sys.stderr)
    return 1
