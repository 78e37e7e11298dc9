"""`python -m training trained-as-of --module M --date D`: who had passed module M before D, and what it taught."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime

from sqlmodel import select

from db.engine import database_url, make_engine, read_session
from db.models import Department
from training.commands.evidence_pack import COMMAND_LINE
from training.content import load_catalog
from training.errors import TrainingError
from training.evidence.asof import AsOfAnswer, trained_as_of
from training.localtime import format_local
from training.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("trained-as-of", help="who had passed a module (any or one version) before a date, with "
                                             "the policy points that version taught and the evidence for each")
    p.add_argument("--module", required=True, help="module id")
    p.add_argument("--date", required=True, help="YYYY-MM-DD (start of that day in FIPP_TIMEZONE) or an ISO date and time (UTC unless it has an offset)")
    p.add_argument("--version", default=None, help="a module version hash (or its first characters)")
    p.add_argument("--department", default=None, help="department code (default: statewide)")
    p.add_argument("--database-url", default=None, help="database (default: DATABASE_URL or data/fipp.db)")
    p.set_defaults(func=run)


def _when(text: str) -> date | datetime:
    return date.fromisoformat(text) if len(text.strip()) == 10 else datetime.fromisoformat(text)


def run(args: argparse.Namespace) -> int:
    try:
        when = _when(args.date)
    except ValueError:
        print(f"not a date: {args.date!r}", file=sys.stderr)
        return 2
    catalog = load_catalog(get_settings().content_root)
    engine = make_engine(args.database_url or database_url())
    try:
        with read_session(engine) as s:
            dept_id = None
            if args.department:
                dept = next((d for d in s.exec(select(Department)) if d.code.lower() == args.department.lower()), None)
                if dept is None:
                    print(f"no department with code {args.department!r}", file=sys.stderr)
                    return 1
                dept_id = dept.id
            answer = trained_as_of(session=s, actor=COMMAND_LINE, catalog=catalog, module_id=args.module, as_of=when,
                                   version_hash=args.version, department_id=dept_id)
    except TrainingError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print("\n".join(report_lines(answer)))
    return 0


def report_lines(a: AsOfAnswer) -> list[str]:
    version = f", version {a.version_hash}" if a.version_hash else ", any version"
    out = [f"{a.module_title} ({a.module_id}{version}): passed before {format_local(a.cutoff)}, {a.scope}",
           f"trained: {len(a.trained)}"]
    for t in a.trained:
        out.append(f"  {t.name} ({t.badge_number}, {t.department}): {format_local(t.completed_at)}, score "
                   f"{t.score:.0f}%, version {t.module_version_hash[:12]}, evidence: completion {t.completion_id}, "
                   f"attempt {t.attempt_id}, certificate {t.verification_code}")
    if a.scope != "statewide":
        out.append(f"not trained by then: {len(a.not_trained)}")
        out += [f"  {name} ({badge})" for _, name, badge in a.not_trained]
    for v, points in a.taught.items():
        out.append(f"version {v[:12]} taught:" if points is not None else f"version {v[:12]}: content not recorded")
        out += [f"  {p.id}: {p.title}" for p in points or ()]
    return out
