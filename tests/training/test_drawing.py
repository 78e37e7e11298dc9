"""Which questions an attempt draws: retakes see unseen questions first, then the least recently seen."""

from __future__ import annotations

import random

from tests.content.test_item_rules import catalog_of, quiz, single, true_false

POOL = [single(f"q{i:02}", f"Answer {i} right", f"Answer {i} wrong", f"Answer {i} wrongo") for i in range(10)]
CATALOG = catalog_of(*POOL, quizzes=(quiz("p-quiz", "m", ("p", 4)),))


def draw(last_seen=None, seed=1):
    from training.drawing import draw_questions
    return {q.id for q, _ in draw_questions(CATALOG, CATALOG.quizzes["p-quiz"], random.Random(seed), last_seen)}


def test_a_first_attempt_draws_the_count_without_repeats():
    assert len(draw()) == 4


def test_a_retake_draws_only_unseen_questions_while_the_pool_has_enough():
    first = draw(seed=1)
    second = draw({q: 1 for q in first}, seed=2)
    assert first.isdisjoint(second)


def test_when_too_few_are_unseen_the_least_recently_seen_fill_the_draw():
    seen = {f"q{i:02}": 1 for i in range(4)} | {f"q{i:02}": 2 for i in range(4, 8)}
    for seed in range(20):
        got = draw(seen, seed)
        assert {"q08", "q09"} <= got and got - {"q08", "q09"} <= {"q00", "q01", "q02", "q03"}


def test_options_are_shuffled_but_true_false_keeps_its_order():
    from training.drawing import draw_questions
    tf = catalog_of(*(true_false(f"t{i}", i % 2 == 0) for i in range(4)), *POOL[:4],
                    quizzes=(quiz("mixed", "m", ("p", 8)),))
    orders = [(q.type, order) for seed in range(20)
              for q, order in draw_questions(tf, tf.quizzes["mixed"], random.Random(seed))]
    assert {order for kind, order in orders if kind == "true_false"} == {("true", "false")}
    assert len({order for kind, order in orders if kind == "single"}) > 1
