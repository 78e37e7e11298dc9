"""Each role lands on its own home page; admin forms keep what was typed when they show an error."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from app_pages import common
from db.engine import read_session
from db.models import Assignment, Officer
from tests.app.conftest import session_token_for
from tests.conftest import ROOT
from training.localtime import local_today


@pytest.mark.parametrize(("who", "title"), [("north_trainee", "My training"),
                                            ("north_supervisor", "Department dashboard"),
                                            ("admin", "Statewide view")])
def test_each_role_lands_on_its_home_page(app_env, people, who, title):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.session_state[common.SESSION_TOKEN] = session_token_for(app_env, people[who])
    at.run()
    assert not at.exception and at.title[0].value == title


def _fill_officer(at: AppTest, email: str, department_id: int | None) -> None:
    at.text_input(key="people.officer.name").input("Casey New")
    at.text_input(key="people.officer.badge").input("N-77")
    at.text_input(key="people.officer.email").input(email)
    at.selectbox(key="people.officer.dept").set_value(department_id)
    at.button(key="FormSubmitter:people.officer-Add officer").click().run()


def test_the_add_officer_form_keeps_what_was_typed_when_it_shows_an_error(run_page, engine, people):
    at = run_page("app_pages/admin/people.py", people["admin"])
    _fill_officer(at, "not an email", people["north_trainee"].department_id)
    assert at.error and not at.success
    assert [at.text_input(key=k).value for k in ("people.officer.name", "people.officer.badge",
                                                 "people.officer.email")] == ["Casey New", "N-77", "not an email"]
    assert at.selectbox(key="people.officer.dept").value == people["north_trainee"].department_id
    at.text_input(key="people.officer.email").input("casey@north.example.org")
    at.button(key="FormSubmitter:people.officer-Add officer").click().run()
    assert not at.exception and [s.value for s in at.success] == ["Officer added: Casey New"], [e.value for e in at.error]
    assert at.text_input(key="people.officer.name").value == ""  # emptied only after a save
    with read_session(engine) as s:
        assert s.exec(select(Officer).where(Officer.badge_number == "N-77")).one().name == "Casey New"


def test_a_past_due_date_is_an_error_not_replaced(run_page, engine, people):
    at = run_page("app_pages/admin/assignments.py", people["admin"])
    at.text_input(key="assign.cycle").set_value("2027")
    at.date_input(key="assign.due").set_value(local_today() - timedelta(days=1))
    at.button(key="assign.submit").click().run()
    assert [e.value for e in at.error] == ["The due date is in the past."]
    assert at.date_input(key="assign.due").value == local_today() - timedelta(days=1)
    with read_session(engine) as s:
        assert s.exec(select(Assignment)).all() == []
