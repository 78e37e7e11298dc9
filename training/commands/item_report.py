"""`python -m training item-report [--pool POOL]`: item-writing problems and the guesser table.

Report mode for content writers: it always exits 0. `validate` enforces the same rules.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from training.content import ROOT, Catalog, load_catalog
from training.content.guessers import format_table, legend, pool_table, quiz_guesses
from training.content.item_rules import check_item_rules

QUIZ_DRAWS = 200


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("item-report", help="list item-writing problems and how test-wise guessers score; exits 0")
    p.add_argument("--root", default=str(ROOT), help="project folder holding modules/ and question_bank/")
    p.add_argument("--pool", default=None, help="report on this pool only (and the quizzes drawing from it)")
    p.set_defaults(func=run)


def guesser_lines(catalog: Catalog, pool: str | None = None, draws: int = QUIZ_DRAWS) -> list[str]:
    """The guesser table: per pool (options in file order) and per quiz as it draws."""
    lines = ["guessers (mean credit; chance is 25% for four options, 50% for true/false):", *legend()]
    lines += format_table(pool_table(catalog, pool), "pool")
    quizzes = sorted(q.id for q in catalog.quizzes.values()
                     if pool is None or any(d.pool == pool for d in q.draw))
    quiz_rows, pass_rows = {}, {}
    for quiz_id in quizzes:
        if catalog.quiz_available(quiz_id):
            result = quiz_guesses(catalog, quiz_id, draws=draws)
            quiz_rows[quiz_id], pass_rows[quiz_id] = result.mean, result.passed
    if quiz_rows:
        lines += format_table(quiz_rows, f"quiz as drawn ({draws} draws)")
        lines += format_table(pass_rows, "share of draws passed")
    return lines


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog(Path(args.root))
    for problem in catalog.problems:
        print(f"content problem: {problem}")
    problems = check_item_rules(catalog, args.pool)
    for problem in problems:
        print(problem)
    print()
    for line in guesser_lines(catalog, args.pool):
        print(line)
    print(f"item-writing problems: {len(problems)}")
    return 0
