"""Who may see which department's figures, and what the officer drill-down shows."""

import random

import pytest

from db.engine import read_session, write_session
from tests.db.oversight_seed import TODAY, department_with_every_status
from training import oversight, quizzes
from training.errors import NotAllowed, NotFound

ASKS = [  # (who asks, whose department, allowed)
    ("north_supervisor", "north_trainee", True),
    ("north_supervisor", "south_trainee", False),
    ("south_supervisor", "north_trainee", False),
    ("north_trainee", "north_trainee", False),
    ("admin", "north_trainee", True),
    ("admin", "south_trainee", True),
]


@pytest.mark.parametrize("asker, owner, allowed", ASKS)
def test_a_supervisor_sees_only_their_own_department(engine, people, catalog, asker, owner, allowed):
    with read_session(engine) as s:
        def ask():
            return oversight.department_dashboard(session=s, actor=people[asker], catalog=catalog,
                                                  department_id=people[owner].department_id, today=TODAY)
        if allowed:
            assert ask().department.id == people[owner].department_id
        else:
            with pytest.raises(NotAllowed):
                ask()


@pytest.mark.parametrize("asker, owner, allowed", ASKS)
def test_item_analysis_and_roster_are_scoped_the_same_way(engine, people, catalog, asker, owner, allowed):
    dept = people[owner].department_id
    with read_session(engine) as s:
        for ask in (lambda: oversight.item_analysis(session=s, actor=people[asker], catalog=catalog, department_id=dept),
                    lambda: oversight.department_roster(session=s, actor=people[asker], department_id=dept)):
            if allowed:
                ask()
            else:
                with pytest.raises(NotAllowed):
                    ask()


def test_only_administrators_see_statewide_item_analysis_and_compliance(engine, people, catalog):
    with read_session(engine) as s:
        oversight.item_analysis(session=s, actor=people["admin"], catalog=catalog, department_id=None)
        with pytest.raises(NotAllowed):
            oversight.item_analysis(session=s, actor=people["north_supervisor"], catalog=catalog, department_id=None)
        with pytest.raises(NotAllowed):
            oversight.statewide_compliance(session=s, actor=people["north_supervisor"], catalog=catalog)


def test_a_supervisor_cannot_open_an_officer_of_another_department(engine, people):
    with read_session(engine) as s, pytest.raises(NotFound):
        oversight.officer_attempts(session=s, actor=people["south_supervisor"],
                                   officer_id=people["north_trainee"].officer_id)


def test_drill_down_shows_the_exact_version_its_option_order_and_the_choice(engine, people, catalog):
    me, boss = people["north_trainee"], people["north_supervisor"]
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz",
                                                  rng=random.Random(3))
        first = attempt.questions[0]
        quizzes.save_answer(session=s, actor=me, attempt_id=attempt.attempt_id, position=1,
                            chosen=[first.options[-1].id])
    with write_session(engine) as s:
        quizzes.submit_attempt(session=s, actor=me, catalog=catalog, attempt_id=attempt.attempt_id)
    with read_session(engine) as s:
        [row] = oversight.officer_attempts(session=s, actor=boss, officer_id=me.officer_id)
        answers = oversight.attempt_answers(session=s, actor=boss, officer_id=me.officer_id, attempt_id=row.attempt_id)
    assert answers[0].question_hash == catalog.question_hashes[first.question_id]
    assert answers[0].stem == first.stem
    assert [(oid, text) for oid, text, _ in answers[0].options_shown] == [(o.id, o.text) for o in first.options]
    assert answers[0].chosen == (first.options[-1].id,)


def test_statewide_summary_puts_the_least_compliant_department_first(engine, people, catalog):
    department_with_every_status(engine, people)
    with read_session(engine) as s:
        rows = oversight.statewide_compliance(session=s, actor=people["admin"], catalog=catalog, today=TODAY)
    summary = oversight.compliance_per_department(rows)
    assert [(d.name, d.officers, d.overdue, d.overall_rate) for d in summary] == [
        ("North Police", 4, 1, 0.25), ("South Police", 2, 0, 0.0)]  # south: passed, but nothing assigned
