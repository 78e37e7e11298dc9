"""Re-certification after a content or adopted-wording change; waivers counted apart."""

import json
import random
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from db.engine import read_session, write_session
from db.models import AdoptedWording, AuditEvent, ModuleRelease
from tests.quiz_helpers import pass_quiz
from training import quizzes
from training.administration.assignments import assign_module
from training.administration.recert import department_recertifications, start_delta_attempt, what_changed
from training.administration.releases import sync_releases
from training.administration.waivers import grant_waiver, revoke_waiver
from training.administration.wording import set_adopted_wording, wording_history
from training.errors import InvalidInput, NotAllowed
from training.progress import module_statuses

POINT = "no-investigating-status"  # cited by the fixture module's first lesson and by question smp-003


def adopt(engine, people, catalog, dept_of, text):
    with write_session(engine) as s:
        return set_adopted_wording(session=s, actor=people["admin"], catalog=catalog,
                                   department_id=people[dept_of].department_id, policy_point_id=POINT, text=text)


def recert_list(engine, who, catalog, dept_of):
    with read_session(engine) as s:
        return [(r.officer_name, r.module_id) for r in department_recertifications(
            session=s, actor=who, catalog=catalog, department_id=who.department_id if dept_of is None else dept_of)]


def test_adopted_wording_sends_that_departments_officers_to_a_delta_quiz(engine, people, catalog):
    north, south = people["north_trainee"], people["south_trainee"]
    for who in (north, south):
        pass_quiz(engine, who, catalog)
    adopt(engine, people, catalog, "north_trainee", "Members of this agency do not ask about status.")
    assert recert_list(engine, people["north_supervisor"], catalog, None) == [("north trainee", "sample-module")]
    assert recert_list(engine, people["south_supervisor"], catalog, None) == []  # other agency: unaffected
    with read_session(engine) as s:
        assert module_statuses(session=s, actor=north, catalog=catalog)[0].status == "re-certify"
        delta = what_changed(session=s, actor=north, catalog=catalog, module_id="sample-module")
    assert [(p.policy_point_id, p.before, p.kind) for p in delta.points] == [(POINT, "", "department wording")]
    assert delta.question_ids == ("smp-003",)
    with write_session(engine) as s:
        attempt = start_delta_attempt(session=s, actor=north, catalog=catalog, module_id="sample-module",
                                      rng=random.Random(1))
        assert [q.question_id for q in attempt.questions] == ["smp-003"]
        quizzes.save_answer(session=s, actor=north, attempt_id=attempt.attempt_id, position=1, chosen=["false"])
    with write_session(engine) as s:
        result = quizzes.submit_attempt(session=s, actor=north, catalog=catalog, attempt_id=attempt.attempt_id)
    assert result.passed and result.completion_id
    assert recert_list(engine, people["north_supervisor"], catalog, None) == []
    with read_session(engine) as s:
        actions = [e.action for e in s.exec(select(AuditEvent).order_by(AuditEvent.id))]
        history = wording_history(session=s, actor=people["admin"], department_id=north.department_id,
                                  policy_point_id=POINT)
    assert {"wording.adopt", "recertify.start", "quiz.submit"} <= set(actions)
    assert [h.entered_by for h in history] == ["Ada Admin"]


def test_a_changed_module_is_diffed_against_the_release_the_officer_studied(engine, people, catalog):
    me = people["north_trainee"]
    old = {"module_id": "sample-module", "title": "x", "points": {POINT: {"title": "t", "statement": "Old rule."}},
           "lessons": [{"id": "first-lesson", "title": "First lesson", "body": "Old first line.\n"},
                       {"id": "second-lesson", "title": "Second lesson",
                        "body": catalog.modules["sample-module"].lessons[1].body}]}
    with write_session(engine) as s:
        s.add(ModuleRelease(module_id="sample-module", content_hash="0" * 64, released_at=datetime(2025, 1, 1, tzinfo=timezone.utc),
                            module_version_hash=catalog.modules["sample-module"].version_hash,
                            content=json.dumps(old)))
    with write_session(engine) as s:
        pass_quiz(engine, me, catalog)
    with write_session(engine) as s:  # the app starts with the new content: a new release
        assert sync_releases(session=s, catalog=catalog, now=datetime.now(timezone.utc) + timedelta(seconds=1)) == ["sample-module"]
    with read_session(engine) as s:
        delta = what_changed(session=s, actor=me, catalog=catalog, module_id="sample-module")
    assert [t for t, _ in delta.lesson_diffs] == ["First lesson"]
    assert "-Old first line." in delta.lesson_diffs[0][1]
    assert [(p.policy_point_id, p.before) for p in delta.points if p.policy_point_id == POINT] == [(POINT, "Old rule.")]
    assert "smp-003" in delta.question_ids


def test_adopted_wording_is_append_only_bounded_and_admin_only(engine, people, catalog):
    adopt(engine, people, catalog, "north_trainee", "First text.")
    adopt(engine, people, catalog, "north_trainee", "")  # cleared: a new row, the first kept
    with pytest.raises(InvalidInput, match="longer than"):
        adopt(engine, people, catalog, "north_trainee", "x" * 4001)
    with write_session(engine) as s, pytest.raises(NotAllowed):
        set_adopted_wording(session=s, actor=people["north_supervisor"], catalog=catalog,
                            department_id=people["north_trainee"].department_id, policy_point_id=POINT, text="y")
    with read_session(engine) as s:
        assert [w.text for w in s.exec(select(AdoptedWording).order_by(AdoptedWording.id))] == ["First text.", ""]


def test_a_waiver_is_counted_apart_never_passed_and_revoked_by_a_new_row(engine, people, catalog):
    me, sup = people["north_trainee"], people["north_supervisor"]
    today = date(2027, 3, 1)
    with write_session(engine) as s:
        assign_module(session=s, actor=people["admin"], catalog=catalog, module_id="sample-module",
                      due_date=today, cycle="2027", department_id=me.department_id, today=today)
    late = today + timedelta(days=10)

    def status():
        with read_session(engine) as s:
            return module_statuses(session=s, actor=me, catalog=catalog, today=late)[0].status

    assert status() == "overdue"
    with write_session(engine) as s:
        w = grant_waiver(session=s, actor=sup, catalog=catalog, officer_id=me.officer_id, module_id=None,
                         cycle="2027", reason="military service", note="Deployed", starts_on=today)
    assert status() == "waived"
    with write_session(engine) as s, pytest.raises(NotAllowed):  # the other department's supervisor
        grant_waiver(session=s, actor=people["south_supervisor"], catalog=catalog, officer_id=me.officer_id,
                     module_id=None, cycle="2027", reason="leave", note="", starts_on=today)
    with write_session(engine) as s:
        revoke_waiver(session=s, actor=people["admin"], waiver_id=w.id, today=today)
    assert status() == "overdue"
    with write_session(engine) as s, pytest.raises(NotAllowed, match="your own training"):  # no self-approval
        grant_waiver(session=s, actor=sup, catalog=catalog, officer_id=sup.officer_id,
                     module_id=None, cycle="2027", reason="leave", note="", starts_on=today)
    with read_session(engine) as s:
        actions = [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.target_type == "waiver"))]
    assert actions == ["waiver.grant", "waiver.revoke"]


def test_waivers_wording_and_releases_cannot_be_changed_behind_the_apps_back(engine, people, catalog):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    adopt(engine, people, catalog, "north_trainee", "Text.")
    with write_session(engine) as s:
        grant_waiver(session=s, actor=people["admin"], catalog=catalog, officer_id=people["north_trainee"].officer_id,
                     module_id=None, cycle="2027", reason="leave", note="", starts_on=date(2027, 1, 1))
        sync_releases(session=s, catalog=catalog)
    for statement in ("update waiver set note = 'x'", "delete from waiver", "update adopted_wording set text = ''",
                      "delete from module_release"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.begin() as conn:  # the positive control: the rows are there to refuse changes to
        assert conn.execute(text("select count(*) from waiver")).scalar() == 1
