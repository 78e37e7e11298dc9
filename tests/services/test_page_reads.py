"""Reads that pages used to make straight against tables now go through services that check
who is asking: the department list (administrators only) and an officer's own attempts."""

import pytest

from db.engine import read_session
from tests.quiz_helpers import pass_quiz
from training.administration.departments import list_departments
from training.errors import NotAllowed
from training.history import my_attempts


def test_only_administrators_list_departments(engine, people):
    with read_session(engine) as s:
        names = [d.name for d in list_departments(session=s, actor=people["admin"])]  # positive control
        assert len(names) == 2 and names == sorted(names)
        with pytest.raises(NotAllowed):
            list_departments(session=s, actor=people["north_supervisor"])


def test_my_attempts_are_the_officers_own_and_no_one_elses(engine, people, catalog):
    mine = pass_quiz(engine, people["north_trainee"], catalog)
    pass_quiz(engine, people["south_trainee"], catalog)
    with read_session(engine) as s:
        rows = my_attempts(session=s, actor=people["north_trainee"])
    assert [(r.id, r.status, r.passed) for r in rows] == [(mine.attempt_id, "submitted", True)]
