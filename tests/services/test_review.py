"""What a trainee sees after submitting: a failed attempt with retakes left shows no key."""

from __future__ import annotations

import dataclasses
import random
from datetime import timedelta
from types import MappingProxyType

from db.engine import read_session, write_session
from db.models import utcnow
from tests.quiz_helpers import pass_quiz
from training import quizzes
from training.review import attempt_review
from training.schema import Review


def _submit(engine, who, catalog, *, wrong_on=None, right_on=None, now=None):
    """Answer smp-001 wrongly (or rightly), leave the rest blank, submit."""
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=who, catalog=catalog, quiz_id="sample-quiz",
                                                  rng=random.Random(3), now=now)
        for q in attempt.questions:
            if q.question_id in (wrong_on, right_on):
                options = catalog.questions[q.question_id].options
                pick = [o.id for o in options if o.correct == (q.question_id == right_on)][:1]
                quizzes.save_answer(session=s, actor=who, attempt_id=attempt.attempt_id, position=q.position,
                                    chosen=pick)
    with write_session(engine) as s:
        return quizzes.submit_attempt(session=s, actor=who, catalog=catalog, attempt_id=attempt.attempt_id, now=now)


def _review(engine, who, catalog, attempt_id):
    with read_session(engine) as s:
        return attempt_review(session=s, actor=who, catalog=catalog, attempt_id=attempt_id)


def _keys(catalog):
    return [o.text for q in catalog.questions.values() for o in q.options if o.correct and len(o.text) > 5]


def test_a_failed_attempt_with_retakes_left_shows_no_key_and_nothing_for_blanks(engine, people, catalog):
    me = people["north_trainee"]
    result = _submit(engine, me, catalog, wrong_on="smp-001")
    review = _review(engine, me, catalog, result.attempt_id)
    assert (review.mode, review.retakes_left, review.passed) == ("chosen", True, False)
    shown = repr(review)
    assert [k for k in _keys(catalog) if k in shown] == []
    assert [q.explanation for q in catalog.questions.values() if q.explanation in shown] == []
    answered = [q for q in review.questions if q.answered]
    assert len(answered) == 1 and [o.text for o in answered[0].options] == ["Yes, always"]
    assert answered[0].options[0].feedback.startswith("No: passengers") and answered[0].options[0].correct is None
    assert answered[0].points and answered[0].points[0].lessons  # what to reread
    assert all(q.stem is None and q.options == () and q.points == () for q in review.questions if not q.answered)


def test_the_same_attempt_shows_the_full_key_to_its_supervisor(engine, people, catalog):
    # Positive control: the filter is what keeps the key out, not an empty review.
    result = _submit(engine, people["north_trainee"], catalog, wrong_on="smp-001")
    review = _review(engine, people["north_supervisor"], catalog, result.attempt_id)
    assert review.mode == "full"
    assert set(_keys(catalog)) <= {o.text for q in review.questions for o in q.options}


def test_a_passed_attempt_shows_the_full_review(engine, people, catalog):
    me = people["north_trainee"]
    review = _review(engine, me, catalog, pass_quiz(engine, me, catalog).attempt_id)
    assert review.mode == "full" and all(q.explanation for q in review.questions)


def test_the_last_failed_attempt_shows_the_full_review_and_so_does_the_earlier_one(engine, people, catalog):
    me = people["north_trainee"]
    first = _submit(engine, me, catalog, wrong_on="smp-001")
    last = _submit(engine, me, catalog, wrong_on="smp-001", now=utcnow() + timedelta(minutes=31))
    assert _review(engine, me, catalog, last.attempt_id).mode == "full"
    assert _review(engine, me, catalog, first.attempt_id).mode == "full"


def test_the_quiz_yaml_decides_the_review(engine, people, catalog):
    quiz = catalog.quizzes["sample-quiz"].model_copy(update={"review": Review(after_fail="full",
                                                                              after_pass="chosen"),
                                                          "retake_wait_minutes": 0})
    strict = dataclasses.replace(catalog, quizzes=MappingProxyType({**catalog.quizzes, "sample-quiz": quiz}))
    me = people["north_trainee"]
    failed = _submit(engine, me, strict, wrong_on="smp-001")
    assert _review(engine, me, strict, failed.attempt_id).mode == "full"
    passed = pass_quiz(engine, me, strict, seed=3)
    assert passed.passed and _review(engine, me, strict, passed.attempt_id).mode == "chosen"
