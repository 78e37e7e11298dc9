"""Item-analysis counts: first attempts only, Kelley's upper and lower 27% groups, per version."""

import pytest

from db.engine import read_session, write_session
from db.queries.items import item_counts
from tests.db.oversight_seed import add_attempt, add_officer

T, F = True, False
# 10 first attempts: three score 100, four score 50, three score 25.
PATTERNS = [(T, T, T, T)] * 3 + [(F, T, F, T)] * 4 + [(F, F, F, T)] * 3


@pytest.fixture
def north(engine, people):
    dept = people["north_trainee"].department_id
    with write_session(engine) as s:
        officers = [add_officer(s, dept, f"Officer {i}") for i in range(len(PATTERNS))]
        for who, results in zip(officers, PATTERNS, strict=True):
            add_attempt(s, who, results=results, complete=False)
        add_attempt(s, officers[-1], number=2, complete=False)  # a retake, all right: must not count
        add_attempt(s, people["south_trainee"], results=(F, F, F, F))  # another department
    return dept


def _counts(engine, department_id, by_version=False):
    with read_session(engine) as s:
        return {c.question_id if not by_version else (c.question_id, c.question_hash): c
                for c in item_counts(session=s, department_id=department_id, by_version=by_version)}


def test_only_first_attempts_of_the_department_count(engine, north):
    q1 = _counts(engine, north)["q1"]
    assert (q1.responses, q1.correct) == (10, 3)


def test_upper_and_lower_groups_are_the_top_and_bottom_27_percent_by_score(engine, north):
    counts = _counts(engine, north)
    assert [(c.upper, c.upper_correct, c.lower, c.lower_correct) for c in counts.values()] == [
        (3, 3, 3, 0), (3, 3, 3, 0), (3, 3, 3, 0), (3, 3, 3, 3)]


def test_statewide_counts_every_department(engine, north):
    assert _counts(engine, None)["q1"].responses == 11


def test_versions_are_counted_apart(engine, north, people):
    with write_session(engine) as s:
        add_attempt(s, add_officer(s, north, "New Version"), question_hash="h2", complete=False)
    assert {k: c.responses for k, c in _counts(engine, north, by_version=True).items() if k[0] == "q1"} == {
        ("q1", "h1"): 10, ("q1", "h2"): 1}
