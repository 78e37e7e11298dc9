from datetime import timedelta

import pytest
from sqlalchemy import text

from db.engine import read_session, write_session
from db.models import Officer, utcnow
from tests.conftest import PASSWORD
from training.errors import InvalidInput, SetupAlreadyDone, WeakPassword
from training.identity.passwords import password_problem
from training.identity.sessions import check_session
from training.identity.setup import create_first_admin
from training.identity.signin import sign_in
from training.settings import Settings


def attempt(engine, login, password, settings, now=None):  # type: ignore[no-untyped-def]
    with write_session(engine) as s:
        return sign_in(session=s, login=login, password=password, settings=settings, now=now)


def audit_count(engine, action):  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return s.execute(text("select count(*) from audit_event where action = :a"), {"a": action}).scalar()


def test_first_admin_can_be_created_only_once(engine, settings):
    with write_session(engine) as s:
        create_first_admin(session=s, name="A", email="a@x.org", badge_number="1", password=PASSWORD, settings=settings)
    with write_session(engine) as s, pytest.raises(SetupAlreadyDone):
        create_first_admin(session=s, name="B", email="b@x.org", badge_number="2", password=PASSWORD, settings=settings)


def test_an_officer_needs_a_real_email_address(engine, settings):
    with write_session(engine) as s, pytest.raises(InvalidInput, match="'a@b' is not an email address: .*period"):
        create_first_admin(session=s, name="A", email="a@b", badge_number="1", password=PASSWORD, settings=settings)
    with read_session(engine) as s:
        assert s.execute(text("select count(*) from officer")).scalar() == 0


def test_unknown_user_and_wrong_password_get_the_same_message(engine, people, settings):
    unknown = attempt(engine, "nobody@x.org", PASSWORD, settings)
    wrong = attempt(engine, "trainee@north.example.org", "not the right pass phrase", settings)
    assert not unknown.ok and not wrong.ok
    assert unknown.message == wrong.message


def test_sign_in_works_by_email_or_badge(engine, people, settings):
    assert attempt(engine, "TRAINEE@north.example.org", PASSWORD, settings).ok
    assert attempt(engine, "north-trainee", PASSWORD, settings).ok


def test_five_failures_lock_the_account_for_fifteen_minutes_and_are_audited(engine, people, settings):
    for _ in range(5):
        attempt(engine, "north-trainee", "wrong wrong wrong wrong", settings)
    assert not attempt(engine, "north-trainee", PASSWORD, settings).ok  # right password, still locked
    assert audit_count(engine, "account.locked") == 1
    later = utcnow() + timedelta(minutes=16)
    assert attempt(engine, "north-trainee", PASSWORD, settings, now=later).ok


def test_a_success_resets_the_failure_count(engine, people, settings):
    for _ in range(4):
        attempt(engine, "north-trainee", "wrong wrong wrong wrong", settings)
    assert attempt(engine, "north-trainee", PASSWORD, settings).ok
    attempt(engine, "north-trainee", "wrong wrong wrong wrong", settings)
    assert attempt(engine, "north-trainee", PASSWORD, settings).ok


@pytest.mark.parametrize("minutes_idle, alive", [(29, True), (31, False)])
def test_idle_sessions_end_after_thirty_minutes(engine, people, settings, minutes_idle, alive):
    token = attempt(engine, "north-trainee", PASSWORD, settings).token
    with write_session(engine) as s:
        check = check_session(session=s, token=token, settings=settings, now=utcnow() + timedelta(minutes=minutes_idle))
    assert (check.principal is not None) == alive


def test_any_session_ends_after_twelve_hours_even_when_active(engine, people, settings):
    token = attempt(engine, "north-trainee", PASSWORD, settings).token
    now = utcnow()
    for step in range(1, 12 * 3):  # active every 20 minutes for almost 12 hours
        with write_session(engine) as s:
            check = check_session(session=s, token=token, settings=settings, now=now + timedelta(minutes=20 * step))
        assert check.principal is not None
    with write_session(engine) as s:
        check = check_session(session=s, token=token, settings=settings, now=now + timedelta(hours=12, minutes=1))
    assert check.principal is None and "12 hours" in check.message


def test_a_deactivated_officer_loses_access_at_the_next_action(engine, people, settings):
    token = attempt(engine, "north-trainee", PASSWORD, settings).token
    with write_session(engine) as s:
        officer = s.get(Officer, people["north_trainee"].officer_id)
        officer.active = False
        s.add(officer)
    with write_session(engine) as s:
        assert check_session(session=s, token=token, settings=settings).principal is None


@pytest.mark.parametrize("password, ok", [
    ("short", False),
    ("fourteen chars", False),
    ("a calm river at dawn", True),
    ("passwordpassword", False),
    ("123456789012345", False),
    ("qwertyuiopasdfgh", False),
    ("thinblueline2024!!", False),
    ("x" * 129, False),
    ("ÿ" * 15 + " ünïcödé is fine", True),
])
def test_password_rules_length_and_common_passwords_not_composition(password, ok):
    assert (password_problem(password, Settings()) is None) == ok


def test_a_password_built_from_the_name_is_refused(engine, settings):
    with write_session(engine) as s, pytest.raises(WeakPassword):
        create_first_admin(session=s, name="Abigail Montgomery", email="abigail@x.org", badge_number="9",
                           password="abigailmontgomery", settings=settings)


def test_passwords_are_stored_as_argon2id_hashes(engine, people):
    with read_session(engine) as s:
        hashes = [o.password_hash for o in s.exec(__import__("sqlmodel").select(Officer))]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)


def test_a_password_changed_between_the_two_halves_of_sign_in_fails(engine, people, settings):
    from training.identity.officers import set_password
    from training.identity.signin import check_credentials, record_sign_in

    with read_session(engine) as s:
        check = check_credentials(session=s, login="north-trainee", password=PASSWORD)
    with write_session(engine) as s:
        set_password(session=s, actor=people["admin"], officer_id=people["north_trainee"].officer_id,
                     password="a brand new pass phrase", settings=settings)
    with write_session(engine) as s:
        assert not record_sign_in(session=s, check=check, settings=settings).ok


def test_page_runs_write_last_seen_at_most_once_a_minute(engine, people, settings):
    token = attempt(engine, "north-trainee", PASSWORD, settings).token
    soon, later = utcnow() + timedelta(seconds=20), utcnow() + timedelta(seconds=90)
    with read_session(engine) as s:
        assert not check_session(session=s, token=token, settings=settings, now=soon, write=False).needs_write
        assert check_session(session=s, token=token, settings=settings, now=later, write=False).needs_write
