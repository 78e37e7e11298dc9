""""Was this officer trained on this before that date?", answered from the records, scoped like oversight."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine

from db.engine import read_session
from tests.integrity.helpers import add_trainees, pass_quiz
from training.cli import main
from training.errors import NotAllowed
from training.evidence.asof import trained_as_of
from training.evidence.packs import verify_pack
from training.evidence.versions import taught_points

TOMORROW = datetime.now(timezone.utc) + timedelta(days=1)


@pytest.fixture
def passed(engine: Engine, people, catalog) -> Engine:  # type: ignore[no-untyped-def]
    who = add_trainees(engine, people["admin"], people["north_trainee"].department_id, 1)[0]
    pass_quiz(engine, who, catalog)
    return engine


def test_who_had_passed_before_a_date_with_what_that_version_taught(passed: Engine, people, catalog) -> None:  # type: ignore[no-untyped-def]
    north = people["north_supervisor"]
    version = catalog.modules["sample-module"].version_hash
    with read_session(passed) as s:
        def ask(when: datetime, v: str | None = None):  # type: ignore[no-untyped-def]
            return trained_as_of(session=s, actor=north, catalog=catalog, module_id="sample-module", as_of=when,
                                 version_hash=v, department_id=north.department_id)

        later = ask(TOMORROW)
        assert [t.name for t in later.trained] == ["Trainee t0"]
        assert "north trainee" in [n for _, n, _ in later.not_trained]
        assert [p.id for p in later.taught[version] or ()] == ["no-investigating-status", "passenger-id-not-required"]
        assert ask(TOMORROW, version[:10]).trained and not ask(TOMORROW, "0" * 12).trained
        assert ask(TOMORROW - timedelta(days=2)).trained == ()  # not yet trained two days ago
        # What the version taught survives the content changing: it comes from the stored snapshot.
        moved_on = dataclasses.replace(catalog, modules={})
        assert taught_points(session=s, catalog=moved_on, version_hash=version) == later.taught[version]


def test_supervisors_ask_about_their_own_department_and_admins_statewide(passed: Engine, people, catalog) -> None:  # type: ignore[no-untyped-def]
    with read_session(passed) as s:
        for dept in (people["south_trainee"].department_id, None):
            with pytest.raises(NotAllowed):
                trained_as_of(session=s, actor=people["north_supervisor"], catalog=catalog, module_id="sample-module",
                              as_of=TOMORROW, department_id=dept)
        statewide = trained_as_of(session=s, actor=people["admin"], catalog=catalog, module_id="sample-module",
                                  as_of=TOMORROW, department_id=None)
        assert [t.name for t in statewide.trained] == ["Trainee t0"]


def test_the_command_answers_with_the_evidence_for_each_officer(passed: Engine, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import FIXTURE_CONTENT

    monkeypatch.setenv("FIPP_CONTENT_ROOT", str(FIXTURE_CONTENT))
    url = passed.url.render_as_string(hide_password=False)
    assert main(["trained-as-of", "--module", "sample-module", "--date", f"{TOMORROW:%Y-%m-%d}", "--department",
                 "north", "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert "trained: 1" in out and "Trainee t0 (T-0, North Police)" in out
    assert "evidence: completion 1, attempt 1, certificate" in out
    assert "  no-investigating-status:" in out


def test_the_evidence_page_answers_and_opens_the_evidence(passed: Engine, people, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from app_pages import common
    from tests.conftest import FIXTURE_CONTENT, ROOT

    monkeypatch.setenv("DATABASE_URL", passed.url.render_as_string(hide_password=False))
    monkeypatch.setenv("FIPP_CONTENT_ROOT", str(FIXTURE_CONTENT))
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app_pages/supervisor/evidence.py"), default_timeout=30)
    at.session_state[common.PRINCIPAL] = people["north_supervisor"]
    at.run()
    at.date_input(key="evidence.date").set_value(TOMORROW.date()).run()
    assert not at.exception, at.exception
    assert "1 officer(s) in North Police had passed" in at.text[0].value
    at.selectbox(key="evidence.pick").select_index(0).run()
    assert any("valid (seal and chain verify)" in s.value for s in at.success)
    assert any(t.value.startswith("Question 1 (") for t in at.text)
    at.button(key="evidence.build").click().run()  # the supervisor's evidence pack for their department
    assert not at.exception, at.exception
    assert at.session_state["evidence.pack"][0] == people["north_supervisor"].department_id
    assert verify_pack(at.session_state["evidence.pack"][2])[0] == []
    st.cache_resource.clear()


def test_a_date_means_the_start_of_that_day_where_the_agency_is(monkeypatch):
    from datetime import date as day
    from datetime import datetime as moment
    from datetime import timezone as tz

    from training.evidence.asof import cutoff_of

    monkeypatch.setenv("FIPP_TIMEZONE", "America/New_York")
    assert cutoff_of(day(2027, 3, 1)) == moment(2027, 3, 1, 5, 0, tzinfo=tz.utc)  # midnight EST
    monkeypatch.setenv("FIPP_TIMEZONE", "UTC")
    assert cutoff_of(day(2027, 3, 1)) == moment(2027, 3, 1, 0, 0, tzinfo=tz.utc)  # control: the zone matters
