"""The test-wise guessers themselves: each picks what its cue says, scored by the real rules."""

from __future__ import annotations

import pytest

from tests.content.test_item_rules import multi, single, true_false
from training.content.guessers import GUESSERS, credit

BY_KEY = {g.key: g for g in GUESSERS}
# Key "b" is the longest option and shares "passenger" with no stem word.
LONG_KEY = single("s1", "Ask the passenger, saying it is optional", "Ask", "Take every ID", key_at=1)


@pytest.mark.parametrize("guesser, expected", [
    ("longest", 1.0), ("shortest", 0.0), ("pos-a", 0.0), ("pos-b", 1.0), ("pos-c", 0.0),
    ("pos-e", 0.0),  # no fifth option: the last one
    ("true", 1 / 3), ("false", 1 / 3),  # no True/False option: one random pick
    ("mean", 1.0), ("mix", 1.0),
])
def test_each_guesser_on_a_single_choice_question(guesser, expected):
    assert credit(BY_KEY[guesser], LONG_KEY) == pytest.approx(expected)


@pytest.mark.parametrize("keyed_true, guesser, expected", [
    (True, "true", 1.0), (True, "false", 0.0), (False, "false", 1.0),
    (False, "longest", 1.0),  # "False" is longer than "True"
    (True, "shortest", 1.0), (True, "pos-a", 1.0), (True, "mix", 0.0), (False, "mix", 1.0),
])
def test_each_guesser_on_a_true_false_question(keyed_true, guesser, expected):
    assert credit(BY_KEY[guesser], true_false("t1", keyed_true)) == pytest.approx(expected)


def test_select_all_guessers_get_partial_credit_and_zero_for_a_wrong_pick():
    q = multi("m1", ["a long right option here", "another long right one", "short ok"], ["nope"])
    assert credit(BY_KEY["mean"], q) == pytest.approx(2 / 3)  # the two longer than the mean
    assert credit(BY_KEY["longest"], q) == pytest.approx(1 / 3)  # one right pick of three
    assert credit(BY_KEY["shortest"], q) == 0.0  # "nope" is wrong


def test_ties_are_split_evenly():
    q = single("s2", "same", "four", "fiv", key_at=0)
    assert credit(BY_KEY["longest"], q) == pytest.approx(0.5)


def test_the_stem_guesser_picks_the_option_sharing_most_stem_words():
    q = single("s3", "Ask the driver for a licence", "Call federal agents", "Search the car", key_at=0)
    q = q.model_copy(update={"stem": "What may you ask the driver for at a stop?"})
    assert credit(BY_KEY["stem"], q) == 1.0
