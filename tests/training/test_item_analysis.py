"""Item-analysis rules: facility, discrimination and when a question is flagged for review."""

import pytest

from db.queries.items import ItemCounts
from training.item_analysis import by_policy_point, discrimination, review_flags, stats_of


def counts(responses=40, correct=20, upper=10, upper_correct=8, lower=10, lower_correct=3, qid="q1"):
    return ItemCounts(qid, None, responses, correct, upper, upper_correct, lower, lower_correct)


def test_facility_is_the_share_fully_correct():
    assert stats_of(counts(responses=40, correct=10)).facility == 0.25


def test_discrimination_is_upper_share_minus_lower_share():
    assert discrimination(counts(upper=10, upper_correct=9, lower=10, lower_correct=4)) == pytest.approx(0.5)


@pytest.mark.parametrize("item, flags", [
    (counts(), ()),
    (counts(correct=10), ("hard or misunderstood",)),
    (counts(correct=39, upper_correct=10, lower_correct=9), ("almost everyone right", "low discrimination")),
    (counts(upper_correct=5, lower_correct=5), ("low discrimination",)),
    (counts(responses=29, correct=2, upper_correct=5, lower_correct=5), ()),  # too few responses to judge
    (counts(upper=4, upper_correct=0, lower=4, lower_correct=4), ()),  # groups too small to judge
])
def test_questions_flagged_for_review(item, flags):
    assert review_flags(item) == flags


def test_a_policy_point_pools_every_question_citing_it():
    points = by_policy_point([counts(qid="q1"), counts(qid="q2", correct=40)], {"q1": ["pp"], "q2": ["pp", "other"]})
    assert [(p.key, p.responses, p.facility) for p in points] == [("other", 40, 1.0), ("pp", 80, 0.75)]
