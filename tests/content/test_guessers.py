"""Test-wise guessers who never read a lesson do not pass: at most 50% on any pool or quiz as it
draws, at most 40% over the bank (chance: 25% for four options, 50% for true/false)."""

from __future__ import annotations

import pytest

from tests.content.test_item_rules import catalog_of, quiz, single
from training.content import ROOT, Catalog, load_catalog
from training.content.guessers import pool_table, quiz_guesses

POOL_LIMIT, BANK_LIMIT = 0.50, 0.40
DRAWS = 100


@pytest.fixture(scope="module")
def real() -> Catalog:
    return load_catalog(ROOT)


def over_limit(table: dict[str, dict[str, float]]) -> list[tuple[str, str, float]]:
    """(pool, guesser, score) above the limit: 50% per pool, 40% over the bank."""
    return [(row, key, round(score, 3)) for row, scores in table.items() for key, score in scores.items()
            if score > (BANK_LIMIT if row == "(bank)" else POOL_LIMIT)]


def test_no_guesser_scores_above_half_on_a_pool_or_two_fifths_over_the_bank(real):
    table = pool_table(real)
    assert len(table) > 9  # every pool, and the bank
    assert over_limit(table) == []


def test_no_guesser_scores_above_half_on_a_quiz_as_it_draws(real):
    for quiz_id in real.quizzes:
        result = quiz_guesses(real, quiz_id, draws=DRAWS)
        assert {k: v for k, v in result.mean.items() if v > POOL_LIMIT} == {}, quiz_id
        assert {k: v for k, v in result.passed.items() if v > 0.05} == {}, quiz_id


def test_the_check_fails_on_a_pool_whose_key_is_the_longest_option():
    # Positive control: the bank of issue 8 in miniature.
    cues = catalog_of(*(single(f"s{i}", f"Answer {i}, the careful and qualified one", f"Answer {i} no",
                               f"Answer {i} nah", key_at=i % 3) for i in range(6)),
                      quizzes=(quiz("p-quiz", "m", ("p", 2)),))
    assert ("p", "longest", 1.0) in over_limit(pool_table(cues))
    assert quiz_guesses(cues, "p-quiz", draws=10).passed["longest"] == 1.0


def test_the_bank_follows_every_item_writing_rule(real):
    from training.content.item_rules import check_item_rules

    assert [str(p) for p in check_item_rules(real)] == []
