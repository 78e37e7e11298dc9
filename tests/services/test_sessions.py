"""Cookie sessions: the one-time hand-off, what ends a session, and that only a hash is stored."""

from datetime import timedelta

from sqlmodel import select

from db.engine import read_session, write_session
from db.models import UserSession, utcnow
from training.administration.officers import change_department, change_role, set_officer_active
from training.identity.sessions import (
    check_session,
    open_session,
    redeem_handoff,
    sign_out,
    start_handoff,
    token_hash,
)

KEY = "browser-key-of-the-officer-signing-in"


def handoff_for(engine, who, now=None):  # type: ignore[no-untyped-def]
    with write_session(engine) as s:
        return start_handoff(session=s, officer_id=who.officer_id, browser_key=KEY, now=now)


def redeem(engine, handoff, key=KEY, now=None):  # type: ignore[no-untyped-def]
    with write_session(engine) as s:
        return redeem_handoff(session=s, handoff=handoff, browser_key=key, now=now)


def alive(engine, token, settings):  # type: ignore[no-untyped-def]
    with write_session(engine) as s:
        return check_session(session=s, token=token, settings=settings).principal is not None


def test_a_handoff_gives_a_cookie_token_once_and_only_its_hash_is_stored(engine, people, settings):
    handoff = handoff_for(engine, people["north_trainee"])
    token = redeem(engine, handoff)
    assert token and len(token) >= 43  # 256 bits, URL-safe base64
    assert alive(engine, token, settings)
    assert redeem(engine, handoff) is None  # single use
    with read_session(engine) as s:
        rows = s.exec(select(UserSession)).all()
    assert [r.token_hash for r in rows] == [token_hash(token)]
    assert all(token not in (r.token_hash, r.handoff_hash) for r in rows)


def test_a_pending_session_cannot_be_used_before_its_handoff(engine, people, settings):
    handoff = handoff_for(engine, people["north_trainee"])
    assert not alive(engine, handoff, settings)


def test_a_handoff_works_only_in_the_browser_that_signed_in(engine, people, settings):
    handoff = handoff_for(engine, people["north_trainee"])
    assert redeem(engine, handoff, key="someone-elses-browser") is None  # login CSRF: planted session
    assert redeem(engine, handoff) is None  # and the hand-off is spent


def test_a_handoff_expires_after_a_minute(engine, people, settings):
    handoff = handoff_for(engine, people["north_trainee"])
    assert redeem(engine, handoff, now=utcnow() + timedelta(seconds=61)) is None
    positive_control = handoff_for(engine, people["north_trainee"])
    assert redeem(engine, positive_control, now=utcnow() + timedelta(seconds=50)) is not None


def test_sign_out_ends_every_session_of_that_officer(engine, people, settings):
    who, other = people["north_trainee"], people["south_trainee"]
    with write_session(engine) as s:
        laptop, _ = open_session(session=s, officer_id=who.officer_id)
        phone, _ = open_session(session=s, officer_id=who.officer_id)
        theirs, _ = open_session(session=s, officer_id=other.officer_id)
    with write_session(engine) as s:
        sign_out(session=s, token=laptop)
    assert not alive(engine, laptop, settings) and not alive(engine, phone, settings)
    assert alive(engine, theirs, settings)


def test_deactivation_role_and_department_changes_end_every_session(engine, people, settings):
    admin, who = people["admin"], people["north_trainee"]
    changes = [
        lambda s: change_role(session=s, actor=admin, officer_id=who.officer_id, role="supervisor"),
        lambda s: change_department(session=s, actor=admin, officer_id=who.officer_id,
                                    department_id=people["south_trainee"].department_id),
        lambda s: set_officer_active(session=s, actor=admin, officer_id=who.officer_id, active=False),
    ]
    for change in changes:
        with write_session(engine) as s:
            tokens = [open_session(session=s, officer_id=who.officer_id)[0] for _ in range(2)]
        assert all(alive(engine, t, settings) for t in tokens)  # positive control
        with write_session(engine) as s:
            change(s)
        assert not any(alive(engine, t, settings) for t in tokens)
