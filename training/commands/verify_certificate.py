"""`python -m training verify-certificate CODE`: the public certificate check, offline."""

from __future__ import annotations

import argparse

from db.engine import database_url, make_engine, read_session
from training.content import load_catalog
from training.evidence.public import check_certificate
from training.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("verify-certificate", help="say whether a certificate's verification code is valid, with "
                                                  "what the public page shows; exit 1 if not")
    p.add_argument("code", help="the verification code printed on the certificate")
    p.add_argument("--database-url", default=None, help="database (default: DATABASE_URL or data/fipp.db)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog(get_settings().content_root)
    titles = {m.id: m.title for m in catalog.modules.values()}
    engine = make_engine(args.database_url or database_url())
    try:
        with read_session(engine) as s:
            result = check_certificate(session=s, code=args.code, module_titles=titles)
    finally:
        engine.dispose()
    print("\n".join(result.lines()))
    return 0 if result.valid else 1
