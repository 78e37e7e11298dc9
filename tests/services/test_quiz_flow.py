import random
from datetime import timedelta

import pytest
from sqlalchemy import text

from db.engine import read_session, write_session
from db.models import utcnow
from training import quizzes
from training.errors import RetakeNotAllowed


def _answer_all(engine, who, catalog, attempt, right=True):
    with write_session(engine) as s:
        for q in attempt.questions:
            question = catalog.questions[q.question_id]
            picks = [o.id for o in question.options if o.correct == right][:1 if not right else None]
            quizzes.save_answer(session=s, actor=who, attempt_id=attempt.attempt_id, position=q.position, chosen=picks)


def test_passing_a_quiz_records_answers_and_a_completion(engine, people, catalog):
    me = people["north_trainee"]
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz",
                                                  rng=random.Random(1))
    _answer_all(engine, me, catalog, attempt)
    with write_session(engine) as s:
        result = quizzes.submit_attempt(session=s, actor=me, catalog=catalog, attempt_id=attempt.attempt_id)
    assert (result.score, result.passed) == (100.0, True)
    assert result.completion_id is not None
    with read_session(engine) as s:
        assert s.execute(text("select count(*) from answer")).scalar() == 4


def test_reopening_resumes_the_same_attempt_with_saved_answers(engine, people, catalog):
    me = people["north_trainee"]
    with write_session(engine) as s:
        first = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz")
        quizzes.save_answer(session=s, actor=me, attempt_id=first.attempt_id, position=1,
                            chosen=[first.questions[0].options[0].id])
    with write_session(engine) as s:
        again = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz")
    assert again.attempt_id == first.attempt_id
    assert again.questions == first.questions
    assert again.chosen == {1: (first.questions[0].options[0].id,)}


def test_submitting_twice_records_one_submission(engine, people, catalog):
    me = people["north_trainee"]
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz")
    with write_session(engine) as s:
        one = quizzes.submit_attempt(session=s, actor=me, catalog=catalog, attempt_id=attempt.attempt_id)
    with write_session(engine) as s:
        two = quizzes.submit_attempt(session=s, actor=me, catalog=catalog, attempt_id=attempt.attempt_id)
    assert one.submitted_at == two.submitted_at
    with read_session(engine) as s:
        assert s.execute(text("select count(*) from answer")).scalar() == 4
        assert s.execute(text("select count(*) from audit_event where action = 'quiz.submit'")).scalar() == 1


def test_a_failed_attempt_must_wait_before_a_retake(engine, people, catalog):
    me = people["north_trainee"]
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz")
    with write_session(engine) as s:
        assert not quizzes.submit_attempt(session=s, actor=me, catalog=catalog, attempt_id=attempt.attempt_id).passed
    with write_session(engine) as s, pytest.raises(RetakeNotAllowed, match="retake this quiz in 30 minutes"):
        quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz")
    with write_session(engine) as s:
        later = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz",
                                                now=utcnow() + timedelta(minutes=31))
    assert later.attempt_number == 2


def test_open_attempt_shows_no_correct_flags_feedback_or_explanations(engine, people, catalog):
    me = people["north_trainee"]
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz")
    shown = repr(attempt)
    for q in catalog.questions.values():
        assert q.explanation not in shown
        for o in q.options:
            assert o.feedback not in shown
    assert "correct" not in shown


def test_ticking_one_option_keeps_the_choices_saved_from_another_tab(engine, people, catalog):
    """A multi-select answer is saved one tick at a time; a tab (or a session on another
    replica after a reconnect) that never saw the first tick must not erase it."""
    me = people["north_trainee"]
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz")
    multi = next(q for q in attempt.questions if q.type == "multi")
    first, second = (o.id for o in multi.options[:2])
    with write_session(engine) as s:  # the first tab ticks one box
        quizzes.set_option(session=s, actor=me, attempt_id=attempt.attempt_id, position=multi.position,
                           option_id=first, picked=True)
    with write_session(engine) as s:  # the second tab, which never saw that tick, ticks another
        both = quizzes.set_option(session=s, actor=me, attempt_id=attempt.attempt_id, position=multi.position,
                                  option_id=second, picked=True)
    with write_session(engine) as s:
        left = quizzes.set_option(session=s, actor=me, attempt_id=attempt.attempt_id, position=multi.position,
                                  option_id=first, picked=False)
    assert both == tuple(sorted((first, second)))
    assert left == (second,)
    with read_session(engine) as s:
        saved = quizzes.load_open_attempt(session=s, actor=me, catalog=catalog, attempt_id=attempt.attempt_id)
    assert saved.chosen[multi.position] == (second,)
