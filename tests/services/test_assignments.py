"""Assignments: a module to a department or to officers, with a due date and a cycle; overdue follows."""

import json
from datetime import date, timedelta

import pytest
from sqlmodel import select

from db.engine import read_session, write_session
from db.models import Assignment, AuditEvent
from training.administration.assignments import (
    assign_module,
    check_cycle,
    deactivate_assignment,
    list_assignments,
    next_odd_year,
)
from training.errors import DuplicateRecord, InvalidInput, NotAllowed
from training.progress import module_statuses

TODAY = date(2027, 3, 1)
MODULE = "sample-module"


@pytest.mark.parametrize("cycle", ["2027", "2029", " 2027 ", "2027-refresher", "FY2027 Q1", "spring.27"])
def test_a_cycle_is_a_year_or_a_short_label(cycle):
    assert check_cycle(cycle) == cycle.strip()


@pytest.mark.parametrize("cycle", ["", "27", "1999", "20271", "-2027", "a" * 21, "2027/28", "<b>"])
def test_anything_else_is_not_a_cycle(cycle):
    with pytest.raises(InvalidInput, match="not a training cycle"):
        check_cycle(cycle)


@pytest.mark.parametrize(("today", "cycle"), [(date(2026, 5, 1), "2027"), (date(2027, 5, 1), "2027")])
def test_the_default_cycle_is_the_next_odd_year(today, cycle):
    assert next_odd_year(today) == cycle


def assign(engine, who, catalog, **kw):
    kw.setdefault("due_date", TODAY + timedelta(days=30))
    kw.setdefault("cycle", "2027")
    with write_session(engine) as s:
        return assign_module(session=s, actor=who, catalog=catalog, module_id=MODULE, today=TODAY, **kw)


def test_a_department_assignment_is_audited_and_listed(engine, people, catalog):
    [a] = assign(engine, people["admin"], catalog, department_id=people["north_trainee"].department_id)
    with read_session(engine) as s:
        event = s.exec(select(AuditEvent).where(AuditEvent.action == "assignment.create")).one()
        listed = list_assignments(session=s, actor=people["admin"])
    assert json.loads(event.detail)["cycle"] == "2027" and event.department_id == a.department_id
    assert [(v.id, v.target) for v in listed] == [(a.id, "Department: North Police")]


def test_officer_assignments_make_one_row_per_officer(engine, people, catalog):
    ids = (people["north_trainee"].officer_id, people["south_trainee"].officer_id)
    made = assign(engine, people["admin"], catalog, officer_ids=ids)
    assert sorted(a.officer_id for a in made) == sorted(ids)


def test_the_same_module_and_cycle_cannot_be_assigned_twice(engine, people, catalog):
    dept = people["north_trainee"].department_id
    assign(engine, people["admin"], catalog, department_id=dept)
    with pytest.raises(DuplicateRecord, match="already assigned"):
        assign(engine, people["admin"], catalog, department_id=dept)


@pytest.mark.parametrize(("kw", "message"), [
    ({"department_id": None}, "either a department or one or more officers"),
    ({"due_date": TODAY - timedelta(days=1)}, "in the past"),
    ({"cycle": "27"}, "not a training cycle"),
])
def test_bad_assignments_are_refused(engine, people, catalog, kw, message):
    kw = {"department_id": people["north_trainee"].department_id, **kw}
    with pytest.raises(InvalidInput, match=message):
        assign(engine, people["admin"], catalog, **kw)


def test_a_past_due_assignment_makes_the_module_overdue_until_deactivated(engine, people, catalog):
    me = people["north_trainee"]
    [a] = assign(engine, people["admin"], catalog, department_id=me.department_id)
    late = TODAY + timedelta(days=31)
    with read_session(engine) as s:
        assert module_statuses(session=s, actor=me, catalog=catalog, today=late)[0].status == "overdue"
    with write_session(engine) as s:
        deactivate_assignment(session=s, actor=people["admin"], assignment_id=a.id)
    with read_session(engine) as s:
        assert module_statuses(session=s, actor=me, catalog=catalog, today=late)[0].status == "not started"
        assert s.get(Assignment, a.id).active is False


def test_a_supervisor_lists_only_their_own_departments_assignments(engine, people, catalog):
    assign(engine, people["admin"], catalog, department_id=people["south_trainee"].department_id)
    assign(engine, people["admin"], catalog, officer_ids=(people["south_trainee"].officer_id,), cycle="2027-b")
    [mine] = assign(engine, people["admin"], catalog, officer_ids=(people["north_trainee"].officer_id,))
    with read_session(engine) as s:
        assert [v.id for v in list_assignments(session=s, actor=people["north_supervisor"])] == [mine.id]


def test_a_supervisor_cannot_assign(engine, people, catalog):
    with pytest.raises(NotAllowed):
        assign(engine, people["north_supervisor"], catalog, department_id=people["north_trainee"].department_id)
