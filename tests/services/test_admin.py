"""Administering departments and officers: every change audited with before and after; nothing deleted."""

import json
from datetime import timedelta

import pytest
from sqlmodel import select

from db.engine import read_session, write_session
from db.models import AuditEvent, Department, Officer, UserSession, utcnow
from tests.conftest import PASSWORD
from training.administration.departments import set_department_active, update_department
from training.administration.officers import (
    change_department,
    change_role,
    search_officers,
    set_officer_active,
    unlock_officer,
    update_officer,
)
from training.errors import DuplicateRecord, InvalidInput, NotAllowed
from training.identity.sessions import check_session
from training.identity.signin import sign_in


def _last_event(engine, action):
    with read_session(engine) as s:
        e = s.exec(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id.desc())).first()
    assert e is not None, action
    return e, json.loads(e.detail)


def test_editing_an_officer_audits_before_and_after(engine, people):
    me = people["north_trainee"]
    with write_session(engine) as s:
        update_officer(session=s, actor=people["admin"], officer_id=me.officer_id, name="North Trainee-Smith",
                             email="NEW@north.example.org", badge_number="north-trainee")
    event, detail = _last_event(engine, "account.update")
    assert event.actor_id == people["admin"].officer_id
    assert detail["changes"] == {"name": {"before": "north trainee", "after": "North Trainee-Smith"},
                                 "email": {"before": "trainee@north.example.org", "after": "new@north.example.org"}}


def test_editing_an_officer_refuses_another_officers_email(engine, people):
    with write_session(engine) as s, pytest.raises(DuplicateRecord, match="email"):
        update_officer(session=s, actor=people["admin"], officer_id=people["north_trainee"].officer_id,
                             name="x", email="trainee@south.example.org", badge_number="north-trainee")


def test_editing_an_officer_refuses_a_bad_email_with_the_reason_and_changes_nothing(engine, people):
    me = people["north_trainee"]
    with write_session(engine) as s, pytest.raises(InvalidInput, match="special-use or reserved name"):
        update_officer(session=s, actor=people["admin"], officer_id=me.officer_id, name="x",
                             email="trainee@north.local", badge_number="north-trainee")
    with read_session(engine) as s:
        assert s.get(Officer, me.officer_id).email == "trainee@north.example.org"


def test_deactivating_ends_open_sessions_and_keeps_the_record(engine, people, settings):
    with write_session(engine) as s:
        token = sign_in(session=s, login="north-trainee", password=PASSWORD, settings=settings).token
    with write_session(engine) as s:
        set_officer_active(session=s, actor=people["admin"], officer_id=people["north_trainee"].officer_id,
                                 active=False)
    with write_session(engine) as s:
        assert check_session(session=s, token=token, settings=settings).principal is None
        assert s.get(Officer, people["north_trainee"].officer_id) is not None
        assert s.exec(select(UserSession).where(UserSession.end_reason == "deactivated")).first() is not None
    _, detail = _last_event(engine, "account.deactivate")
    assert detail["sessions_ended"] == 1


def test_a_reactivated_officer_can_sign_in_again(engine, people, settings):
    oid = people["north_trainee"].officer_id
    for active in (False, True):
        with write_session(engine) as s:
            set_officer_active(session=s, actor=people["admin"], officer_id=oid, active=active)
    with write_session(engine) as s:
        assert sign_in(session=s, login="north-trainee", password=PASSWORD, settings=settings).ok


def test_unlock_clears_the_lock_and_the_failure_count(engine, people):
    oid = people["south_trainee"].officer_id
    with write_session(engine) as s:
        o = s.get(Officer, oid)
        o.locked_until, o.failed_sign_ins = utcnow() + timedelta(minutes=10), 3
        s.add(o)
    with write_session(engine) as s:
        unlock_officer(session=s, actor=people["admin"], officer_id=oid)
    with read_session(engine) as s:
        o = s.get(Officer, oid)
        assert (o.locked_until, o.failed_sign_ins) == (None, 0)
    assert _last_event(engine, "account.unlock")[1]["changes"]["failed_sign_ins"] == {"before": 3, "after": 0}


def test_moving_an_officer_changes_department_and_audits_it(engine, people):
    with read_session(engine) as s:
        south = s.exec(select(Department).where(Department.code == "SOUTH")).one()
    with write_session(engine) as s:
        change_department(session=s, actor=people["admin"], officer_id=people["north_trainee"].officer_id,
                                department_id=south.id)
    event, detail = _last_event(engine, "account.department_change")
    assert detail["changes"]["department_id"]["after"] == south.id == event.department_id


def test_changing_role_audits_it(engine, people):
    with write_session(engine) as s:
        change_role(session=s, actor=people["admin"], officer_id=people["north_trainee"].officer_id,
                          role="supervisor")
    assert _last_event(engine, "account.role_change")[1]["changes"] == {
        "role": {"before": "trainee", "after": "supervisor"}}


@pytest.mark.parametrize("call", [
    lambda s, a, p: change_role(session=s, actor=a, officer_id=a.officer_id, role="trainee"),
    lambda s, a, p: set_officer_active(session=s, actor=a, officer_id=a.officer_id, active=False),
], ids=["demote-self", "deactivate-self"])
def test_the_last_administrator_cannot_remove_themselves(engine, people, call):
    with write_session(engine) as s, pytest.raises(NotAllowed):
        call(s, people["admin"], people)


def test_a_department_with_active_officers_cannot_be_deactivated(engine, people):
    dept_id = people["north_trainee"].department_id
    with write_session(engine) as s, pytest.raises(NotAllowed, match="2 active officer"):
        set_department_active(session=s, actor=people["admin"], department_id=dept_id, active=False)


def test_a_department_can_be_renamed_and_deactivated_once_empty(engine, people):
    a, dept_id = people["admin"], people["north_trainee"].department_id
    with write_session(engine) as s:
        update_department(session=s, actor=a, department_id=dept_id, name="Northfield Police", code="nfp")
        for who in ("north_trainee", "north_supervisor"):
            set_officer_active(session=s, actor=a, officer_id=people[who].officer_id, active=False)
        set_department_active(session=s, actor=a, department_id=dept_id, active=False)
    with read_session(engine) as s:
        d = s.get(Department, dept_id)
        assert (d.name, d.code, d.active) == ("Northfield Police", "NFP", False)
    assert _last_event(engine, "department.update")[1]["changes"]["code"] == {"before": "NORTH", "after": "NFP"}


def test_a_trainee_cannot_be_moved_out_of_every_department(engine, people):
    with write_session(engine) as s, pytest.raises(InvalidInput, match="belong to a department"):
        change_department(session=s, actor=people["admin"], officer_id=people["north_trainee"].officer_id,
                                department_id=None)


def test_search_finds_by_badge_and_limits_results(engine, people):
    with read_session(engine) as s:
        rows = search_officers(session=s, actor=people["admin"], text="SOUTH-")
        assert {r.badge_number for r in rows} == {"south-trainee", "south-supervisor"}
        assert len(search_officers(session=s, actor=people["admin"], limit=2)) == 2
