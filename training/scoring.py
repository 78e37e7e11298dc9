"""Scoring rules: pure functions, one per question type, kept in a registry.

A supervisor may ask how a quiz is marked; the answer is here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from training.schema import Question

Rule = Callable[[frozenset[str], frozenset[str]], float]


def score_single(correct: frozenset[str], chosen: frozenset[str]) -> float:
    """Single choice: full credit for picking exactly the one correct option, otherwise none."""
    return 1.0 if chosen == correct else 0.0


def score_true_false(correct: frozenset[str], chosen: frozenset[str]) -> float:
    """True/false: full credit for the right answer, otherwise none."""
    return 1.0 if chosen == correct else 0.0


def score_multi(correct: frozenset[str], chosen: frozenset[str]) -> float:
    """Select all that apply: partial credit, but any wrong pick scores zero.

    Credit is the share of correct options picked (2 of 3 correct picked = 0.667), so an
    officer who knows part of the rule gets part of the mark; picking even one wrong option
    scores 0, because picking everything must never pay.
    """
    if not chosen or chosen - correct:
        return 0.0
    return len(chosen & correct) / len(correct)


SCORING_RULES: dict[str, Rule] = {
    "single": score_single,
    "true_false": score_true_false,
    "multi": score_multi,
}


def score_question(question: Question, chosen: Collection[str]) -> float:
    """Credit from 0.0 to 1.0 for one answer; unknown option ids are treated as wrong picks."""
    correct = frozenset(o.id for o in question.options if o.correct)
    return SCORING_RULES[question.type](correct, frozenset(chosen))


@dataclass(frozen=True)
class QuizScore:
    percent: float
    passed: bool


def score_quiz(credits: Iterable[float], pass_mark: int) -> QuizScore:
    """Quiz score: the mean credit as a percentage, rounded to 0.1. Passing is score >= pass mark."""
    values = list(credits)
    percent = round(100.0 * sum(values) / len(values), 1) if values else 0.0
    return QuizScore(percent, percent >= pass_mark)
