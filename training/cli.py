"""The `python -m training` commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from training.content import ROOT, load_catalog


def cmd_validate(args: argparse.Namespace) -> int:
    catalog = load_catalog(Path(args.root))
    for problem in catalog.problems:
        print(problem, file=sys.stderr)
    print(f"policy points: {len(catalog.policy_points)}")
    print(f"modules: {len(catalog.modules)}")
    print(f"quizzes: {len(catalog.quizzes)}")
    print(f"questions: {len(catalog.questions)}")
    try:
        from training.readability import grade_report
    except ImportError:  # pragma: no cover
        grade_report = None
    if grade_report is not None:
        for name, value in grade_report(catalog).items():
            print(f"{name}: {value}")
    print(f"problems: {len(catalog.problems)}")
    return 1 if catalog.problems else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check every content file; exit 1 listing the problems")
    p.add_argument("--root", default=str(ROOT), help="project folder holding modules/ and question_bank/")
    p.set_defaults(func=cmd_validate)
    args = parser.parse_args(argv)
    return int(args.func(args))
