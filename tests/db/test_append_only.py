"""Submitted records are evidence: the database itself rejects changing or deleting them."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from db.engine import write_session
from tests.quiz_helpers import pass_quiz
from training import quizzes

FROZEN = [
    "update answer set credit = 1",
    "delete from answer",
    "update completion set score = 100",
    "delete from completion",
    "update audit_event set action = 'nothing'",
    "delete from audit_event",
    "update attempt set score = 100",
    "delete from attempt",
    "update attempt_question set question_id = 'x'",
    "update question_version set content = '{}'",
    "update draft_answer set chosen = '[]'",
]


@pytest.fixture
def submitted(engine, people, catalog):  # type: ignore[no-untyped-def]
    return pass_quiz(engine, people["north_trainee"], catalog, seed=3).attempt_id


@pytest.mark.parametrize("statement", FROZEN)
def test_the_database_rejects_changes_to_submitted_records(engine, submitted, statement):
    with pytest.raises(DBAPIError, match="append-only|only change while the attempt is open"):
        with engine.begin() as conn:
            conn.execute(text(statement))


def test_an_open_attempt_can_still_take_answers(engine, people, catalog):
    me = people["south_trainee"]
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz")
        quizzes.save_answer(session=s, actor=me, attempt_id=attempt.attempt_id, position=1, chosen=[])
    with engine.begin() as conn:
        assert conn.execute(text("update draft_answer set chosen = '[]'")).rowcount == 1
