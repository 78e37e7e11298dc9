"""Regression tests for issue 9's attacker findings in sign-in, passwords and officer data.

Each test names its finding; each failed before its fix (see the commit that added it)."""

from __future__ import annotations

import threading

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from db.engine import read_session, write_session
from db.models import Officer
from tests.conftest import PASSWORD
from tests.services.test_roster import GOOD, csv_bytes, preview, rules_db  # noqa: F401 - fixture
from training.administration.officers import create_officer, update_officer
from training.errors import InvalidInput
from training.identity.signin import check_credentials, record_sign_in, sign_in


def events(engine, action):  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return s.execute(text("select count(*) from audit_event where action = :a"), {"a": action}).scalar()


def test_finding_2_twenty_simultaneous_wrong_guesses_lock_at_exactly_five(engine, people, settings):
    with read_session(engine) as s:
        check = check_credentials(session=s, login="north-trainee", password="wrong wrong wrong wrong")
    assert not check.password_ok
    start = threading.Barrier(20)

    def guess() -> None:
        start.wait()
        with write_session(engine) as s:
            record_sign_in(session=s, check=check, settings=settings)

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert events(engine, "signin.failure") == 5  # counted one after another, then locked
    assert events(engine, "account.locked") == 1
    assert events(engine, "signin.refused_locked") == 15


def test_finding_3_a_locked_account_answers_like_an_unknown_one(engine, people, settings):
    for _ in range(settings.lockout_threshold):
        with write_session(engine) as s:
            sign_in(session=s, login="north-trainee", password="wrong wrong wrong wrong", settings=settings)
    with write_session(engine) as s:
        locked = sign_in(session=s, login="north-trainee", password=PASSWORD, settings=settings)
        unknown = sign_in(session=s, login="nobody-here", password=PASSWORD, settings=settings)
        wrong = sign_in(session=s, login="south-trainee", password="wrong wrong wrong wrong", settings=settings)
    assert not locked.ok and events(engine, "signin.refused_locked") == 1  # it was refused for the lock
    assert locked.message == unknown.message == wrong.message


def test_finding_5_hashes_use_owasp_argon2id_and_old_ones_are_upgraded_at_sign_in(engine, people, settings):
    old = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4).hash(PASSWORD)  # the library default
    with write_session(engine) as s:
        s.execute(text("update officer set password_hash = :h where badge_number = 'north-trainee'"), {"h": old})
    with write_session(engine) as s:
        assert sign_in(session=s, login="north-trainee", password=PASSWORD, settings=settings).ok
    with read_session(engine) as s:
        stored = s.execute(text("select password_hash from officer where badge_number = 'north-trainee'")).scalar()
    assert stored != old and stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_finding_6_a_badge_cannot_be_someone_elses_email(engine, people, settings):
    with write_session(engine) as s, pytest.raises(InvalidInput, match="cannot contain '@'"):
        create_officer(session=s, actor=people["admin"], name="Squatter", email="sq@north.example.org",
                       badge_number="trainee@south.example.org", department_id=people["north_trainee"].department_id,
                       role="trainee", settings=settings, password=PASSWORD)
    with write_session(engine) as s, pytest.raises(InvalidInput, match="cannot contain '@'"):
        update_officer(session=s, actor=people["admin"], officer_id=people["north_trainee"].officer_id,
                       name="north trainee", email="trainee@north.example.org",
                       badge_number="trainee@south.example.org")
    # Even a squatter row already in the database (from before the fix) cannot take over the email's owner.
    with write_session(engine) as s:
        s.add(Officer(name="Squatter", email="sq@x.org", badge_number="trainee@south.example.org",
                      department_id=people["north_trainee"].department_id, role="trainee",
                      password_hash=s.get(Officer, people["north_trainee"].officer_id).password_hash))
    with read_session(engine) as s:
        check = check_credentials(session=s, login="trainee@south.example.org", password=PASSWORD)
    assert check.officer_id == people["south_trainee"].officer_id


def test_finding_6_a_roster_badge_with_an_at_sign_is_refused(rules_db):  # noqa: F811
    engine, who = rules_db
    result = preview(engine, who["admin"], csv_bytes(GOOD, "Sq,trainee@north.example.org,sq@x.org,NORTH,trainee\n"))
    assert [p.message for p in result.problems if p.row == 3] == [
        "badge_number cannot contain '@' (it could then pass for someone's email)"]


@pytest.mark.parametrize("line", [
    "Al,N-9,trainee@north.example.org,NORTH,trainee",  # an email that exists (in their own department)
    "Al,N-9,al@x.org,SOUTH,trainee",  # a department that exists elsewhere
    "Al,N-9,al@x.org,EAST,trainee",  # a department that does not exist
    "Al,north-trainee,al@x.org,NORTH,trainee",  # a badge that exists
])
def test_finding_7_a_supervisor_dry_run_says_only_cannot_be_imported_here(rules_db, line):  # noqa: F811
    engine, who = rules_db
    result = preview(engine, who["north_supervisor"], csv_bytes(GOOD, line + "\n"))
    assert [p.message for p in result.problems] == ["cannot be imported here"]
    admin_view = preview(engine, who["admin"], csv_bytes(GOOD, line + "\n"))  # positive control: admins see why
    assert admin_view.problems and admin_view.problems[0].message != "cannot be imported here" or "SOUTH" in line


@pytest.mark.parametrize("name", ["\u00a0=HYPERLINK(\"http://x\")", "\u2003+1+2", "\u200b@SUM(A1)", "\u3000-3"])
def test_finding_8_a_formula_after_unicode_space_is_refused_everywhere(engine, people, settings, name, rules_db):  # noqa: F811
    with write_session(engine) as s, pytest.raises(InvalidInput, match="formula"):
        create_officer(session=s, actor=people["admin"], name=name, email="new@north.example.org",
                       badge_number="N-77", department_id=people["north_trainee"].department_id, role="trainee",
                       settings=settings)
    with write_session(engine) as s, pytest.raises(InvalidInput, match="formula"):
        update_officer(session=s, actor=people["admin"], officer_id=people["north_trainee"].officer_id, name=name,
                       email="trainee@north.example.org", badge_number="north-trainee")
    roster_engine, who = rules_db
    result = preview(roster_engine, who["admin"], csv_bytes(GOOD, f"\"{name}\",N-9,al@x.org,NORTH,trainee\n"))
    assert any("formula" in p.message for p in result.problems)


def test_finding_8_no_table_download_can_export_a_live_formula():
    import tomllib

    from tests.conftest import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True  # the toolbar's raw "Download as CSV" is off



def test_finding_10_streamlit_refuses_a_roster_upload_over_the_rule_before_reading_it():
    import tomllib

    from tests.conftest import ROOT
    from training.administration.roster import MAX_BYTES

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 1024 * 1024 == MAX_BYTES  # the 200 MB default before
    assert "at most 5 MB" in (ROOT / "app_pages" / "admin" / "roster.py").read_text()
