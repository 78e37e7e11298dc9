"""`python -m training validate`: check every content file and the item-writing rules; print
the guesser table; exit 1 listing every problem."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from training.content import ROOT, load_catalog

VALIDATE_DRAWS = 100  # seeded draws per quiz for the guesser table (item-report uses 200)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("validate", help="check every content file; exit 1 listing the problems")
    p.add_argument("--root", default=str(ROOT), help="project folder holding modules/ and question_bank/")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from training.content.readability import ContentExtraMissing, require_content_extra

    try:
        require_content_extra()
    except ContentExtraMissing as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    catalog = load_catalog(Path(args.root))
    for problem in catalog.problems:
        print(problem, file=sys.stderr)
    print(f"policy points: {len(catalog.policy_points)}")
    print(f"modules: {len(catalog.modules)}")
    print(f"quizzes: {len(catalog.quizzes)}")
    print(f"questions: {len(catalog.questions)}")
    from training.content.coverage import coverage_gaps
    from training.content.readability import grade_report

    for name, value in grade_report(catalog).items():
        print(f"{name}: {value}")
    for pid, n in coverage_gaps(catalog):
        print(f"coverage gap: policy point '{pid}' is tested by {n} question(s); at least 3 are needed",
              file=sys.stderr)
    from training.commands.item_report import guesser_lines
    from training.content.item_rules import check_item_rules

    # The item-writing rules (question_bank/README.md, section 9) are problems like any other:
    # a bank whose key gives itself away does not pass. They do not close quizzes in the app.
    item_problems = check_item_rules(catalog)
    for problem in item_problems:
        print(problem, file=sys.stderr)
    for line in guesser_lines(catalog, draws=VALIDATE_DRAWS):
        print(line)
    problems = len(catalog.problems) + len(item_problems)
    print(f"problems: {problems}")
    return 1 if problems else 0
