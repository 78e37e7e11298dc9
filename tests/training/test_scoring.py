import pytest

from training.scoring import score_multi, score_quiz, score_single, score_true_false

C = frozenset


@pytest.mark.parametrize("correct, chosen, credit", [
    (C("b"), C("b"), 1.0),
    (C("b"), C("a"), 0.0),
    (C("b"), C(), 0.0),
    (C("b"), C("ab"), 0.0),
])
def test_single_choice_is_all_or_nothing(correct, chosen, credit):
    assert score_single(correct, chosen) == credit


@pytest.mark.parametrize("chosen, credit", [(C(["true"]), 1.0), (C(["false"]), 0.0), (C(), 0.0)])
def test_true_false_is_all_or_nothing(chosen, credit):
    assert score_true_false(C(["true"]), chosen) == credit


@pytest.mark.parametrize("chosen, credit", [
    (C("ace"), 1.0),
    (C("ac"), pytest.approx(2 / 3)),
    (C("a"), pytest.approx(1 / 3)),
    (C(), 0.0),
])
def test_multi_select_gives_partial_credit_for_correct_picks_only(chosen, credit):
    assert score_multi(C("ace"), chosen) == credit


@pytest.mark.parametrize("chosen", [C("acb"), C("abcde"), C("b")])
def test_multi_select_scores_zero_when_a_wrong_choice_is_picked(chosen):
    assert score_multi(C("ace"), chosen) == 0.0


@pytest.mark.parametrize("credits, mark, percent, passed", [
    ([1, 1, 1, 1, 0], 80, 80.0, True),
    ([1, 1, 1, 0, 0], 80, 60.0, False),
    ([1, 1, 1, 1, 2 / 3], 80, 93.3, True),
    ([], 80, 0.0, False),
])
def test_quiz_score_is_mean_credit_and_passes_at_the_mark(credits, mark, percent, passed):
    result = score_quiz(credits, mark)
    assert (result.percent, result.passed) == (percent, passed)
