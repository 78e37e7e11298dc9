"""Each item-writing rule on tiny pools: shown passing, and shown able to fail."""

from __future__ import annotations

import re
from types import MappingProxyType

import pytest

from tests.conftest import FIXTURE_CONTENT
from training.content import Catalog, load_catalog
from training.content.item_rules import check_item_rules
from training.schema import Draw, Option, Question, Quiz


def single(qid: str, key: str, *wrong: str, key_at: int = 0, pool: str = "p") -> Question:
    texts = list(wrong)
    texts.insert(key_at, key)
    options = tuple(Option(id="abcde"[i], text=t, correct=(i == key_at), feedback="Why.") for i, t in enumerate(texts))
    return Question(id=qid, pool=pool, type="single", stem=f"Stem {qid}?", options=options, explanation="Because.",
                    difficulty="easy", policy_points=("pp",))


def multi(qid: str, right: list[str], wrong: list[str], pool: str = "p") -> Question:
    texts = [(t, True) for t in right] + [(t, False) for t in wrong]
    options = tuple(Option(id="abcde"[i], text=t, correct=c, feedback="Why.") for i, (t, c) in enumerate(texts))
    return Question(id=qid, pool=pool, type="multi", stem=f"Stem {qid}?", options=options, explanation="Because.",
                    difficulty="easy", policy_points=("pp",))


def true_false(qid: str, keyed_true: bool, stem: str = "", pool: str = "p") -> Question:
    options = (Option(id="true", text="True", correct=keyed_true, feedback="Why."),
               Option(id="false", text="False", correct=not keyed_true, feedback="Why."))
    return Question(id=qid, pool=pool, type="true_false", stem=stem or f"Statement {qid}.", options=options,
                    explanation="Because.", difficulty="easy", policy_points=("pp",))


def catalog_of(*questions: Question, quizzes: tuple[Quiz, ...] = ()) -> Catalog:
    return Catalog(
        policy_points=MappingProxyType({}), modules=MappingProxyType({}),
        quizzes=MappingProxyType({q.id: q for q in quizzes}), questions=MappingProxyType({q.id: q for q in questions}),
        scenarios=MappingProxyType({}), question_hashes=MappingProxyType({}), quiz_hashes=MappingProxyType({}),
        problems=(), question_where=MappingProxyType({q.id: ("question_bank/p.yaml", 10 + i)
                                                      for i, q in enumerate(questions)}),
        quiz_where=MappingProxyType({q.id: ("question_bank/q.yaml", 2) for q in quizzes}))


def problems(*questions: Question, quizzes: tuple[Quiz, ...] = ()) -> list[str]:
    return [str(p) for p in check_item_rules(catalog_of(*questions, quizzes=quizzes))]


def quiz(qid: str, module: str | None, *draws: tuple[str, int]) -> Quiz:
    return Quiz(id=qid, title=qid, module=module, pass_mark=80, draw=tuple(Draw(pool=p, count=n) for p, n in draws))


# Keys of the same length as the distractors, each at a different position: no rule fires.
BALANCED = [single(f"s{i}", f"Answer {i} right", f"Answer {i} wrong", f"Answer {i} wrongo", key_at=i % 3)
            for i in range(6)]


def test_a_balanced_pool_has_no_problems():
    assert problems(*BALANCED) == []


def test_the_key_may_be_the_longest_option_in_at_most_a_third_of_a_pool():
    keyed_long = [single(f"s{i}", f"Answer {i} right!", f"Answer {i} wrong", key_at=i % 2) for i in range(3)]
    found = problems(*keyed_long, *BALANCED[3:])
    assert any("the key is the longest option in 3 of 6" in p for p in found), found
    assert problems(*keyed_long[:2], *BALANCED[2:]) == []  # 2 of 6 is a third


def test_the_key_is_never_more_than_a_quarter_longer_than_the_longest_distractor():
    found = problems(single("k1", "x" * 130, "y" * 100, "z" * 40), *BALANCED)
    assert found == ["question_bank/p.yaml:10: question 'k1': the key (130 characters) is 30% longer than the "
                     "longest distractor (100); at most 25%"]
    assert problems(single("k1", "x" * 124, "y" * 100, "z" * 40), *BALANCED) == []


def test_select_all_keys_and_distractors_have_mean_lengths_within_a_fifth():
    assert any("correct options average 40 characters and wrong ones 20" in p
               for p in problems(multi("m1", ["r" * 40, "s" * 40], ["w" * 20, "v" * 20])))
    assert problems(multi("m1", ["r" * 23, "s" * 24], ["w" * 20, "v" * 20])) == []


def test_a_select_all_question_with_no_wrong_option_is_reported():
    assert any("every option is right" in p for p in problems(multi("m1", ["alpha one", "beta two", "gamma"], [])))


@pytest.mark.parametrize("keyed_true, ok", [(0, False), (1, False), (2, True), (3, True), (4, False)])
def test_true_false_pools_are_forty_to_sixty_percent_true(keyed_true, ok):
    found = problems(*(true_false(f"t{i}", i < keyed_true) for i in range(5)))
    assert (found == []) == ok, found


def test_all_or_none_of_the_above_is_reported():
    found = problems(single("s1", "Ask the driver", "Ask the passenger", "All of the above"))
    assert any("says 'All of the above'" in p for p in found), found


def test_an_absolute_only_in_distractors_is_reported_and_passes_once_a_key_uses_it():
    first = single("x1", "Ask the driver", "Never ask anyone", "Ask the passenger", key_at=1)
    found = problems(first, *BALANCED)
    assert any("'never' appears only in distractors" in p for p in found), found
    assert problems(first, single("x9", "Never hold for ICE", "Hold for ICE now", "Hold for a day"), *BALANCED) == []


def test_a_planted_absolute_in_a_false_statement_counts_as_a_distractor():
    found = problems(true_false("t1", False, "Officers always ask for ID."), true_false("t2", True))
    assert any("'always' appears only in distractors (or in statements keyed False)" in p for p in found), found


def test_a_phrase_only_keys_use_is_reported_until_a_distractor_uses_it():
    a = single("s1", "Yes, as your adopted policy says", "No, ask for more", "Only in writing here", key_at=0)
    b = single("s2", "Check as your adopted policy says", "Call the federal desk", "Wait for a supervisor", key_at=1)
    found = problems(a, b)
    assert any("'adopted policy says', 'as your adopted', 'your adopted policy' appear(s) in the keys of s1, s2" in p
               for p in found), found
    c = single("s3", "Hold them", "Refuse, as your adopted policy says", "Ask a judge", key_at=2)
    assert not any("appear(s) in the keys" in p for p in problems(a, b, c))


def test_answer_positions_must_not_pile_up_in_one_place():
    at_a = [single(f"s{i}", f"Answer {i} ok", f"Answer {i} no", f"Answer {i} nah", key_at=0) for i in range(4)]
    found = problems(*at_a)
    assert any("4 of 4 single-choice keys sit at position A" in p for p in found), found
    assert problems(*at_a[:2], *BALANCED[1:3]) == []


def test_a_module_quiz_pool_holds_two_and_a_half_times_its_draw():
    found = problems(*BALANCED, quizzes=(quiz("p-quiz", "m", ("p", 3)),))
    assert found == ["question_bank/q.yaml:2: quiz 'p-quiz' draws 3 from pool 'p', which holds 6; it needs at least 8 "
                     "(2.5 times) so retakes see new questions"]
    assert problems(*BALANCED, quizzes=(quiz("p-quiz", "m", ("p", 2)),)) == []


def test_the_exam_needs_its_own_pools_of_at_least_45_questions():
    exam_pool = [single(f"e{i}", f"Answer {i} right", f"Answer {i} wrong", f"Answer {i} wrongo", key_at=i % 3,
                        pool="exam-p") for i in range(45)]
    shared = problems(*BALANCED, *exam_pool, quizzes=(quiz("p-quiz", "m", ("p", 2)), quiz("exam", None, ("p", 2))))
    assert any("exam 'exam' draws from pool 'p', which module quiz(zes) p-quiz also draw from" in p for p in shared)
    small = problems(*exam_pool[:44], quizzes=(quiz("exam", None, ("exam-p", 2)),))
    assert any("its pools hold 44 questions; at least 45" in p for p in small), small
    assert problems(*BALANCED, *exam_pool, quizzes=(quiz("p-quiz", "m", ("p", 2)),
                                                    quiz("exam", None, ("exam-p", 2)))) == []


def test_problems_point_at_the_file_and_line_of_the_question():
    found = [str(p) for p in check_item_rules(load_catalog(FIXTURE_CONTENT))]
    assert found, "the fixture bank breaks at least the 2.5x rule"
    assert all(re.match(r"^question_bank/sample\.yaml:\d+: ", p) for p in found), found
