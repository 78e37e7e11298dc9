"""Retakes test anew: each attempt draws questions the trainee has not seen in earlier attempts."""

from __future__ import annotations

import random
import shutil

import pytest
from sqlalchemy import text

from db.engine import read_session, write_session
from tests.conftest import FIXTURE_CONTENT
from training import quizzes
from training.content import Catalog, load_catalog

QUESTION = """
  - id: rtk-{n:03}
    pool: retake
    type: single
    stem: Retake question {n}?
    options:
      - {{id: a, text: Answer {n} one, feedback: Why.}}
      - {{id: b, text: Answer {n} two, correct: true, feedback: Why.}}
      - {{id: c, text: Answer {n} three, feedback: Why.}}
    explanation: Because.
    difficulty: easy
    policy_points: [passenger-id-not-required]
"""


@pytest.fixture(scope="module")
def retake_catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The fixture content plus a quiz drawing 4 of 10, five attempts, no wait."""
    root = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    bank = ("quizzes:\n  - id: retake-quiz\n    title: Retakes\n    pass_mark: 80\n    attempt_limit: 5\n"
            "    draw:\n      - pool: retake\n        count: 4\nquestions:"
            + "".join(QUESTION.format(n=n) for n in range(10)))
    (root / "question_bank" / "retake.yaml").write_text(bank, encoding="utf-8")
    catalog = load_catalog(root)
    assert catalog.ok, catalog.problems
    return catalog


def _fail_attempt(engine, who, catalog, seed) -> set[str]:
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=who, catalog=catalog, quiz_id="retake-quiz",
                                                  rng=random.Random(seed))
    with write_session(engine) as s:
        assert not quizzes.submit_attempt(session=s, actor=who, catalog=catalog, attempt_id=attempt.attempt_id).passed
    return {q.question_id for q in attempt.questions}


def test_a_retake_draws_questions_not_seen_in_earlier_attempts(engine, people, retake_catalog):
    me = people["north_trainee"]
    first = _fail_attempt(engine, me, retake_catalog, seed=1)
    second = _fail_attempt(engine, me, retake_catalog, seed=1)  # the same seed would redraw the same questions
    assert first.isdisjoint(second)
    third = _fail_attempt(engine, me, retake_catalog, seed=1)
    # Two unseen questions remain; the other two are the ones seen longest ago (the first attempt).
    unseen = {f"rtk-{n:03}" for n in range(10)} - first - second
    assert unseen <= third and third - unseen <= first


def test_another_trainees_attempts_do_not_count_as_seen(engine, people, retake_catalog):
    mine = _fail_attempt(engine, people["north_trainee"], retake_catalog, seed=3)
    theirs = _fail_attempt(engine, people["south_trainee"], retake_catalog, seed=3)
    assert mine == theirs
    with read_session(engine) as s:
        assert s.execute(text("select count(*) from attempt_question")).scalar() == 8


def test_a_draw_prepared_before_another_attempt_started_is_drawn_again(engine, people, retake_catalog):
    """The page draws in its read session; the write transaction uses that draw only if no
    attempt of the quiz started in between (here one did, in another tab, and was failed)."""
    me = people["north_trainee"]
    with read_session(engine) as s:
        state = quizzes.quiz_state(session=s, actor=me, catalog=retake_catalog, quiz_id="retake-quiz",
                                   starting=True, rng=random.Random(1))
    assert state.prepared is not None
    stale = {q.id for q, _ in state.prepared.drawn}
    assert _fail_attempt(engine, me, retake_catalog, seed=1) == stale  # the same seed draws the same questions
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=retake_catalog, quiz_id="retake-quiz",
                                                  rng=random.Random(1), prepared=state.prepared)
    assert attempt.attempt_number == 2
    assert stale.isdisjoint(q.question_id for q in attempt.questions)


def test_a_prepared_draw_still_valid_is_the_one_written(engine, people, retake_catalog):
    me = people["north_trainee"]
    with read_session(engine) as s:
        state = quizzes.quiz_state(session=s, actor=me, catalog=retake_catalog, quiz_id="retake-quiz",
                                   starting=True, rng=random.Random(5))
    assert state.prepared is not None
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=retake_catalog, quiz_id="retake-quiz",
                                                  rng=random.Random(99), prepared=state.prepared)
    assert [(q.question_id, tuple(o.id for o in q.options)) for q in attempt.questions] == [
        (q.id, ids) for q, ids in state.prepared.drawn]
