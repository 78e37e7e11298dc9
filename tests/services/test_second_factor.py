"""TOTP second factor: enrolment, verification, replay, rate limit, recovery codes, admin reset."""

from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from sqlalchemy import text

from db.engine import read_session, write_session
from db.models import SecondFactor
from training.errors import NotAllowed
from training.identity.challenge import answer_challenge, begin_challenge, read_challenge
from training.identity.second_factor import (
    SecondFactorSettings,
    confirm_enrolment,
    is_enrolled,
    reset_second_factor,
    start_enrolment,
    verify_code,
)
from training.identity.secretbox import KeyUnavailable, new_key_text, open_sealed

KEY = b"k" * 32
CFG = SecondFactorSettings(key=KEY)
SQLITE_ONLY = pytest.mark.backends("sqlite")  # nothing backend-specific; the row-lock paths run on both
T0 = datetime(2027, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


def code_at(secret: str, when: datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def enrol(engine, officer_id, when=T0):  # type: ignore[no-untyped-def]
    with write_session(engine) as s:
        secret = start_enrolment(session=s, officer_id=officer_id, settings=CFG, now=when).secret
    with write_session(engine) as s:
        check, codes = confirm_enrolment(session=s, officer_id=officer_id, code=code_at(secret, when), settings=CFG,
                                         now=when)
    assert check.ok, check.message
    return secret, codes


def verify(engine, officer_id, code, when):  # type: ignore[no-untyped-def]
    with write_session(engine) as s:
        return verify_code(session=s, officer_id=officer_id, code=code, settings=CFG, now=when)


def count(engine, action):  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return s.execute(text("select count(*) from audit_event where action = :a"), {"a": action}).scalar()


@SQLITE_ONLY
def test_enrolment_needs_one_right_code_and_gives_ten_recovery_codes(engine, people):
    sup = people["north_supervisor"].officer_id
    with write_session(engine) as s:
        start_enrolment(session=s, officer_id=sup, settings=CFG, now=T0)
    with write_session(engine) as s:  # a wrong code does not enrol (positive control for the next lines)
        bad, codes = confirm_enrolment(session=s, officer_id=sup, code="000000", settings=CFG, now=T0)
    assert not bad.ok and codes == []
    with read_session(engine) as s:
        assert not is_enrolled(session=s, officer_id=sup)
    _, codes = enrol(engine, sup, T0 + timedelta(seconds=60))
    assert len(codes) == 10 and len(set(codes)) == 10
    with read_session(engine) as s:
        assert is_enrolled(session=s, officer_id=sup)
    assert count(engine, "second_factor.enrolled") == 1


@SQLITE_ONLY
def test_the_secret_is_stored_encrypted_and_bound_to_its_officer(engine, people):
    sup, other = people["north_supervisor"].officer_id, people["south_supervisor"].officer_id
    secret, _ = enrol(engine, sup)
    with read_session(engine) as s:
        stored = s.execute(text("select secret_ciphertext from second_factor")).scalar()
    assert secret not in stored
    assert open_sealed(KEY, stored, context=f"totp-secret:officer:{sup}") == secret  # positive control
    with pytest.raises(KeyUnavailable):  # a row copied onto another officer does not open
        open_sealed(KEY, stored, context=f"totp-secret:officer:{other}")
    with pytest.raises(KeyUnavailable):  # nor with another key
        open_sealed(new_key_text().encode()[:32], stored, context=f"totp-secret:officer:{sup}")


@SQLITE_ONLY
def test_a_right_code_is_accepted_and_a_wrong_one_refused(engine, people):
    sup = people["north_supervisor"].officer_id
    secret, _ = enrol(engine, sup)
    later = T0 + timedelta(minutes=5)
    assert not verify(engine, sup, "123456" if code_at(secret, later) != "123456" else "654321", later).ok
    for odd in ("١٢٣٤٥٦", "12345", "x" * 10_000):  # other scripts' digits, a short code, junk (4 failures in all)
        assert not verify(engine, sup, odd, later).ok
    assert verify(engine, sup, code_at(secret, later), later).ok


@SQLITE_ONLY
def test_a_code_cannot_be_used_twice(engine, people):
    sup = people["north_supervisor"].officer_id
    secret, _ = enrol(engine, sup)
    later = T0 + timedelta(minutes=5)
    code = code_at(secret, later)
    assert verify(engine, sup, code, later).ok
    again = verify(engine, sup, code, later + timedelta(seconds=5))
    assert not again.ok and "already been used" in again.message
    # an earlier step's code (still inside the clock-drift window) is refused too
    assert not verify(engine, sup, code_at(secret, later - timedelta(seconds=30)), later).ok
    assert verify(engine, sup, code_at(secret, later + timedelta(seconds=30)), later + timedelta(seconds=30)).ok


def test_five_wrong_codes_lock_the_second_factor_even_for_the_right_code(engine, people):
    sup = people["north_supervisor"].officer_id
    secret, _ = enrol(engine, sup)
    when = T0 + timedelta(minutes=5)
    for i in range(4):
        assert not verify(engine, sup, "000000", when + timedelta(seconds=i)).ok
    assert verify(engine, sup, code_at(secret, when), when).ok  # positive control: 4 failures do not lock
    for i in range(5):
        verify(engine, sup, "000000", when + timedelta(seconds=31 + i))
    locked_at = when + timedelta(seconds=60)
    refused = verify(engine, sup, code_at(secret, locked_at), locked_at)
    assert not refused.ok and "Too many wrong codes" in refused.message
    assert count(engine, "second_factor.locked") == 1
    after = when + timedelta(minutes=16)
    assert verify(engine, sup, code_at(secret, after), after).ok


@SQLITE_ONLY
def test_each_recovery_code_works_once(engine, people):
    sup = people["north_supervisor"].officer_id
    _, codes = enrol(engine, sup)
    when = T0 + timedelta(minutes=5)
    first = verify(engine, sup, codes[0].lower(), when)
    assert first.ok and first.used_recovery_code and first.recovery_codes_left == 9
    assert not verify(engine, sup, codes[0], when + timedelta(seconds=1)).ok
    assert verify(engine, sup, codes[1].replace("-", " "), when + timedelta(seconds=2)).ok
    with read_session(engine) as s:
        stored = [r[0] for r in s.execute(text("select code_hash from recovery_code"))]
    assert not any(c.replace("-", "") in h for c in codes for h in stored)  # hashed, not kept


@SQLITE_ONLY
def test_the_sign_in_challenge_opens_only_with_a_code_and_only_once(engine, people):
    sup = people["north_supervisor"].officer_id
    secret, _ = enrol(engine, sup)
    when = T0 + timedelta(minutes=5)
    with write_session(engine) as s:
        token = begin_challenge(session=s, officer_id=sup, settings=CFG, now=when)
    with write_session(engine) as s:
        assert read_challenge(session=s, token=token, now=when).step == "verify"  # type: ignore[union-attr]
        assert not answer_challenge(session=s, token=token, code="000000", settings=CFG, now=when).ok
    with write_session(engine) as s:
        ok = answer_challenge(session=s, token=token, code=code_at(secret, when), settings=CFG, now=when)
    assert ok.ok and ok.officer_id == sup
    assert count(engine, "signin.second_factor") == 1
    with write_session(engine) as s:
        assert not answer_challenge(session=s, token=token, code=code_at(secret, when + timedelta(seconds=30)),
                                    settings=CFG, now=when + timedelta(seconds=30)).ok
    with write_session(engine) as s:  # and a challenge expires
        late = begin_challenge(session=s, officer_id=sup, settings=CFG, now=when)
    with read_session(engine) as s:
        assert read_challenge(session=s, token=late, now=when + timedelta(minutes=11)) is None


@SQLITE_ONLY
def test_a_supervisor_without_an_authenticator_enrols_through_the_challenge(engine, people):
    sup = people["south_supervisor"].officer_id
    with write_session(engine) as s:
        token = begin_challenge(session=s, officer_id=sup, settings=CFG, now=T0)
        assert read_challenge(session=s, token=token, now=T0).step == "enrol"  # type: ignore[union-attr]
        secret = start_enrolment(session=s, officer_id=sup, settings=CFG, now=T0).secret
    with write_session(engine) as s:
        answer = answer_challenge(session=s, token=token, code=code_at(secret, T0), settings=CFG, now=T0)
    assert answer.ok and len(answer.recovery_codes) == 10


@SQLITE_ONLY
def test_an_admin_reset_removes_the_authenticator_ends_sessions_and_is_audited(engine, people):
    sup, admin = people["north_supervisor"].officer_id, people["admin"].officer_id
    enrol(engine, sup)
    with write_session(engine) as s:
        s.execute(text("insert into user_session (token_hash, officer_id, created_at, last_seen_at) "
                       "values ('x', :o, :t, :t)"), {"o": sup, "t": T0})
    with write_session(engine) as s:
        assert reset_second_factor(session=s, actor_id=admin, officer_id=sup)
    with read_session(engine) as s:
        assert not is_enrolled(session=s, officer_id=sup)
        assert s.execute(text("select count(*) from recovery_code")).scalar() == 0
        assert s.execute(text("select end_reason from user_session where officer_id = :o"),
                         {"o": sup}).scalar() == "second_factor_reset"
    assert count(engine, "second_factor.reset") == 1


@SQLITE_ONLY
@pytest.mark.parametrize("actor", ["north_supervisor", "north_trainee"])
def test_only_an_administrator_resets_and_not_their_own(engine, people, actor):
    sup, admin = people["north_supervisor"].officer_id, people["admin"].officer_id
    enrol(engine, sup)
    with write_session(engine) as s, pytest.raises(NotAllowed):
        reset_second_factor(session=s, actor_id=people[actor].officer_id, officer_id=sup)
    with write_session(engine) as s, pytest.raises(NotAllowed):
        reset_second_factor(session=s, actor_id=admin, officer_id=admin)
    with write_session(engine) as s:  # the role is read from the database, not from the caller's Principal
        s.execute(text("update officer set role = 'supervisor' where id = :a"), {"a": admin})
    with write_session(engine) as s, pytest.raises(NotAllowed):
        reset_second_factor(session=s, actor_id=admin, officer_id=sup)
    with read_session(engine) as s:
        assert s.exec(text("select count(*) from second_factor")).scalar() == 1  # type: ignore[call-overload]
    assert count(engine, "second_factor.reset") == 0


@SQLITE_ONLY
def test_the_pending_secret_is_kept_until_confirmed(engine, people):
    sup = people["north_supervisor"].officer_id
    with write_session(engine) as s:
        first = start_enrolment(session=s, officer_id=sup, settings=CFG, now=T0)
    with write_session(engine) as s:
        again = start_enrolment(session=s, officer_id=sup, settings=CFG, now=T0)
    assert first.secret == again.secret and first.uri.startswith("otpauth://totp/")
    with read_session(engine) as s:
        assert len(s.exec(text("select id from second_factor")).all()) == 1  # type: ignore[call-overload]
    assert SecondFactor.__tablename__ == "second_factor"


@SQLITE_ONLY
def test_the_server_operator_can_reset_a_lost_second_factor_from_the_command_line(engine, people, database_url):
    from training.cli import main

    admin = people["admin"].officer_id
    enrol(engine, admin)
    assert main(["reset-second-factor", "nobody@example.org", "--database-url", database_url]) == 1
    assert main(["reset-second-factor", "ADMIN@example.org", "--database-url", database_url]) == 0
    with read_session(engine) as s:
        assert not is_enrolled(session=s, officer_id=admin)
        detail = s.execute(text("select detail from audit_event where action = 'second_factor.reset'")).scalar()
    assert '"via": "command-line"' in detail


def test_twenty_simultaneous_wrong_codes_are_counted_to_exactly_five(engine, people):
    from concurrent.futures import ThreadPoolExecutor

    sup = people["north_supervisor"].officer_id
    enrol(engine, sup)
    when = T0 + timedelta(minutes=5)
    with ThreadPoolExecutor(20) as pool:
        assert not any(r.ok for r in pool.map(lambda _: verify(engine, sup, "000000", when), range(20)))
    # the factor row is locked while a code is checked, so the count cannot be read twice
    assert count(engine, "second_factor.failure") == 5 and count(engine, "second_factor.locked") == 1
    assert count(engine, "second_factor.refused_locked") == 15
