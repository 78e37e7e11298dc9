"""`python -m training seed-demo`: fill an EMPTY database with demo departments, officers and history."""

from __future__ import annotations

import argparse
import sys

from db.engine import database_url, make_engine
from db.migrate import prepare
from training.content import load_catalog
from training.demo import seed_demo
from training.errors import TrainingError
from training.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("seed-demo", help="load demo departments, officers (passwords printed) and some history")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    engine = make_engine()
    prepare(engine)
    catalog = load_catalog()
    try:
        accounts = seed_demo(engine, catalog, get_settings())
    except TrainingError as exc:
        print(f"seed-demo: {exc}", file=sys.stderr)
        return 1
    print(f"Demo data loaded into {database_url()}")
    print("Sign in with any of these (demo passwords; never use them for real accounts):")
    for a in accounts:
        print(f"  {a.role:<10} {a.login:<24} {a.password}   ({a.name})")
    return 0
