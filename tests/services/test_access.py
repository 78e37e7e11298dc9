"""The service layer, not only the UI, keeps supervisors to their own department and
trainees to themselves. One row per service a non-administrator could call."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from db.engine import read_session, write_session
from tests.access_data import Secrets, seed_secrets
from training import oversight
from training.administration import assignments, roster
from training.administration.departments import create_department, set_department_active, update_department
from training.administration.officers import (
    change_department,
    change_role,
    create_officer,
    search_officers,
    set_officer_active,
    unlock_officer,
    update_officer,
)
from training.errors import NotAllowed, NotFound
from training.identity.officers import set_password
from training.identity.principal import Principal

DUE = date.today() + timedelta(days=30)


@pytest.fixture
def secrets(engine, people, catalog, settings) -> Secrets:
    return seed_secrets(engine, people, catalog, settings)


# Services only administrators may call at all: (name, call(session, actor, secrets, catalog, settings)).
ADMIN_ONLY = [
    ("update_officer", lambda s, a, x, c, cfg: update_officer(
        session=s, actor=a, officer_id=x.south.officer_id, name="X", email="x@x.example.org", badge_number="X")),
    ("change_role", lambda s, a, x, c, cfg: change_role(
        session=s, actor=a, officer_id=x.south.officer_id, role="supervisor")),
    ("change_department", lambda s, a, x, c, cfg: change_department(
        session=s, actor=a, officer_id=x.south.officer_id, department_id=a.department_id)),
    ("set_officer_active", lambda s, a, x, c, cfg: set_officer_active(
        session=s, actor=a, officer_id=x.south.officer_id, active=False)),
    ("unlock_officer", lambda s, a, x, c, cfg: unlock_officer(session=s, actor=a, officer_id=x.south.officer_id)),
    ("update_department", lambda s, a, x, c, cfg: update_department(
        session=s, actor=a, department_id=x.south.department_id, name="Mine now", code="MINE")),
    ("set_department_active", lambda s, a, x, c, cfg: set_department_active(
        session=s, actor=a, department_id=x.south.department_id, active=False)),
    ("search_officers", lambda s, a, x, c, cfg: search_officers(session=s, actor=a, text="zebulon")),
    ("set_password", lambda s, a, x, c, cfg: set_password(
        session=s, actor=a, officer_id=x.south.officer_id, password="a long enough new pass phrase", settings=cfg)),
    ("create_officer", lambda s, a, x, c, cfg: create_officer(
        session=s, actor=a, name="Y", email="y@y.example.org", badge_number="Y", department_id=a.department_id,
        role="trainee", settings=cfg)),
    ("create_department", lambda s, a, x, c, cfg: create_department(session=s, actor=a, name="New", code="NEW")),
    ("assign_module", lambda s, a, x, c, cfg: assignments.assign_module(
        session=s, actor=a, catalog=c, module_id="sample-module", due_date=DUE, cycle="2027",
        department_id=a.department_id)),
    ("deactivate_assignment", lambda s, a, x, c, cfg: assignments.deactivate_assignment(
        session=s, actor=a, assignment_id=1)),
    ("statewide_compliance", lambda s, a, x, c, cfg: oversight.statewide_compliance(session=s, actor=a, catalog=c)),
]


@pytest.mark.parametrize("role", ["north_trainee", "north_supervisor"])
@pytest.mark.parametrize(("name", "call"), ADMIN_ONLY, ids=[n for n, _ in ADMIN_ONLY])
def test_administrator_services_refuse_everyone_else(engine, people, secrets, catalog, settings, role, name, call):
    with pytest.raises(NotAllowed), write_session(engine) as s:
        call(s, people[role], secrets, catalog, settings)


# Services a supervisor may call, aimed at the other department: each must refuse or return nothing of it.
def _south_rows_in_roster_import(s: Session, me: Principal, x: Secrets, c, cfg):
    data = b"name,badge_number,email,department_code\nSam,S-9,sam@south.example.org,SOUTH\n"
    return roster.preview_roster(session=s, actor=me, data=data).rows


SUPERVISOR_CALLS = [
    ("department_dashboard", lambda s, me, x, c, cfg: oversight.department_dashboard(
        session=s, actor=me, catalog=c, department_id=x.south.department_id)),
    ("department_roster", lambda s, me, x, c, cfg: oversight.department_roster(
        session=s, actor=me, department_id=x.south.department_id)),
    ("item_analysis", lambda s, me, x, c, cfg: oversight.item_analysis(
        session=s, actor=me, catalog=c, department_id=x.south.department_id)),
    ("item_analysis_statewide", lambda s, me, x, c, cfg: oversight.item_analysis(
        session=s, actor=me, catalog=c, department_id=None)),
    ("officer_attempts", lambda s, me, x, c, cfg: oversight.officer_attempts(
        session=s, actor=me, officer_id=x.south.officer_id)),
    ("attempt_answers", lambda s, me, x, c, cfg: oversight.attempt_answers(
        session=s, actor=me, officer_id=x.south.officer_id, attempt_id=x.south.attempt_id)),
    ("attempt_answers_via_own_officer", lambda s, me, x, c, cfg: oversight.attempt_answers(
        session=s, actor=me, officer_id=x.north_peer.officer_id, attempt_id=x.south.attempt_id)),
    ("roster_import_into_south", _south_rows_in_roster_import),
    ("list_assignments", lambda s, me, x, c, cfg: [
        v for v in assignments.list_assignments(session=s, actor=me) if v.officer_id == x.south.officer_id]),
]


@pytest.mark.parametrize(("name", "call"), SUPERVISOR_CALLS, ids=[n for n, _ in SUPERVISOR_CALLS])
def test_supervisor_services_refuse_the_other_department(engine, people, secrets, catalog, settings, name, call):
    with read_session(engine) as s:
        try:
            result = call(s, people["north_supervisor"], secrets, catalog, settings)
        except (NotAllowed, NotFound):
            return
    assert not result, f"{name} returned south's data to north's supervisor: {result!r}"


@pytest.mark.parametrize(("name", "call"), SUPERVISOR_CALLS, ids=[n for n, _ in SUPERVISOR_CALLS])
def test_trainees_get_nothing_from_supervisor_services(engine, people, secrets, catalog, settings, name, call):
    with read_session(engine) as s:
        try:
            result = call(s, people["north_trainee"], secrets, catalog, settings)
        except (NotAllowed, NotFound):
            return
    assert not result, f"{name} returned data to a trainee: {result!r}"


def test_a_supervisor_still_sees_their_own_department(engine, people, secrets, catalog):
    """Control: the refusals above are about the department, not a blanket no."""
    me = people["north_supervisor"]
    with read_session(engine) as s:
        names = {e.name for e in oversight.department_roster(session=s, actor=me, department_id=me.department_id)}
        attempts = oversight.officer_attempts(session=s, actor=me, officer_id=secrets.north_peer.officer_id)
    assert "Yolanda Northcott" in names and attempts
