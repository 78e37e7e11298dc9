"""Finding 14: a transferred officer's earlier answers stay with the department they were made in.

Before the rule, the new department's supervisor saw every earlier attempt and answer."""

from db.engine import read_session, write_session
from tests.quiz_helpers import pass_quiz
from training.administration.officers import change_department
from training.oversight import attempt_answers, officer_attempts


def test_the_new_supervisor_does_not_see_answers_made_in_the_old_department(engine, people, catalog):
    trainee, south = people["north_trainee"], people["south_supervisor"]
    before = pass_quiz(engine, trainee, catalog)
    with read_session(engine) as s:  # positive control: the department it was made in sees it
        assert [a.attempt_id for a in officer_attempts(session=s, actor=people["north_supervisor"],
                                                       officer_id=trainee.officer_id)] == [before.attempt_id]
    with write_session(engine) as s:
        change_department(session=s, actor=people["admin"], officer_id=trainee.officer_id,
                          department_id=south.department_id)
    with read_session(engine) as s:
        seen = officer_attempts(session=s, actor=south, officer_id=trainee.officer_id)
        answers = attempt_answers(session=s, actor=south, officer_id=trainee.officer_id, attempt_id=before.attempt_id)
        everything = officer_attempts(session=s, actor=people["admin"], officer_id=trainee.officer_id)
    assert seen == [] and answers == []
    assert [a.attempt_id for a in everything] == [before.attempt_id]  # administrators see all
