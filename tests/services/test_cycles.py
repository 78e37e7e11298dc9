"""Cycles: opening one reopens assigned modules with fresh attempts; earlier records stay."""

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from db.engine import read_session, write_session
from db.models import Assignment, Attempt, AuditEvent
from tests.quiz_helpers import pass_quiz
from training.administration.assignments import assign_module
from training.administration.cycles import current_cycle, open_cycle
from training.errors import DuplicateRecord, NotAllowed, RetakeNotAllowed
from training.progress import module_statuses
from training.quizzes import retake_block, start_or_resume_attempt, submit_attempt
from training.records import officer_completions

TODAY = date(2025, 3, 1)


def open_(engine, who, label, due, today=TODAY):
    with write_session(engine) as s:
        return open_cycle(session=s, actor=who, label=label, due_date=due, today=today)


def status(engine, who, catalog, today=TODAY):
    with read_session(engine) as s:
        return module_statuses(session=s, actor=who, catalog=catalog, today=today)[0]


def test_a_new_cycle_reopens_a_module_passed_in_the_last_one(engine, people, catalog):
    admin, me = people["admin"], people["north_trainee"]
    open_(engine, admin, "2025", date(2025, 12, 31))
    with write_session(engine) as s:
        assign_module(session=s, actor=admin, catalog=catalog, module_id="sample-module", due_date=date(2025, 12, 31),
                      cycle="2025", department_id=me.department_id, today=TODAY)
    pass_quiz(engine, me, catalog)
    assert status(engine, me, catalog).status == "passed"
    opened = open_(engine, admin, "2027", date(2027, 6, 30), today=date(2027, 1, 5))
    assert opened.carried_assignments == 1
    now = status(engine, me, catalog, today=date(2027, 1, 5))
    assert (now.status, now.cycle, now.due_date, now.attempts) == ("not started", "2027", date(2027, 6, 30), 0)
    assert status(engine, me, catalog, today=date(2027, 7, 1)).status == "overdue"
    pass_quiz(engine, me, catalog)
    with read_session(engine) as s:
        assert sorted(c.cycle for c in officer_completions(session=s, officer_id=me.officer_id)) == ["2025", "2027"]
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "cycle.open",
                                                AuditEvent.target_id == "2027")).one()
        assert json.loads(event.detail)["previous"] == "2025"
        assert current_cycle(s).label == "2027"
        assert len(s.exec(select(Assignment).where(Assignment.cycle == "2027")).all()) == 1


def fail_once(engine, who, catalog, now):
    with write_session(engine) as s:
        a = start_or_resume_attempt(session=s, actor=who, catalog=catalog, quiz_id="sample-quiz", now=now)
    with write_session(engine) as s:
        submit_attempt(session=s, actor=who, catalog=catalog, attempt_id=a.attempt_id, now=now)


def test_attempt_limits_count_per_cycle(engine, people, catalog):
    admin, me = people["admin"], people["north_trainee"]
    open_(engine, admin, "2025", date(2025, 12, 31))
    t0 = datetime(2025, 3, 1, tzinfo=timezone.utc)
    fail_once(engine, me, catalog, t0)
    fail_once(engine, me, catalog, t0 + timedelta(hours=1))  # the fixture quiz allows two attempts
    with write_session(engine) as s, pytest.raises(RetakeNotAllowed, match="all 2 attempts"):
        start_or_resume_attempt(session=s, actor=me, catalog=catalog, quiz_id="sample-quiz")
    open_(engine, admin, "2027-refresher", date(2027, 6, 30), today=date(2026, 1, 1))
    with read_session(engine) as s:
        assert retake_block(session=s, officer_id=me.officer_id, catalog=catalog, quiz_id="sample-quiz") is None
    result = pass_quiz(engine, me, catalog)
    with read_session(engine) as s:
        assert s.get(Attempt, result.attempt_id).cycle == "2027-refresher"


def test_only_administrators_open_a_cycle_and_only_once(engine, people):
    with pytest.raises(NotAllowed):
        open_(engine, people["north_supervisor"], "2027", date(2027, 6, 30))
    open_(engine, people["admin"], "2027", date(2027, 6, 30))
    with pytest.raises(DuplicateRecord):
        open_(engine, people["admin"], "2027", date(2027, 6, 30))
