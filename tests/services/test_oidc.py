"""Single sign-on: an OIDC identity maps to an active officer by verified email, once, while fresh."""

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from db.engine import read_session, write_session
from training.identity.oidc import map_identity

NOW = datetime(2027, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


def claims(email="SUPERVISOR@north.example.org", verified=True, iat=NOW, sub="abc"):  # type: ignore[no-untyped-def]
    return {"iss": "https://idp.example.org", "sub": sub, "iat": int(iat.timestamp()), "email": email,
            "email_verified": verified, "is_logged_in": True}


def sign_in(engine, c, now=NOW):  # type: ignore[no-untyped-def]
    with write_session(engine) as s:
        return map_identity(session=s, claims=c, provider="agency", now=now)


def count(engine, action):  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return s.execute(text("select count(*) from audit_event where action = :a"), {"a": action}).scalar()


@pytest.mark.backends("sqlite")
def test_a_verified_email_maps_to_its_officer_case_insensitively(engine, people):
    out = sign_in(engine, claims())
    assert out.officer_id == people["north_supervisor"].officer_id
    assert count(engine, "signin.oidc") == 1


@pytest.mark.backends("sqlite")
def test_one_id_token_opens_one_session(engine, people):
    assert sign_in(engine, claims()).officer_id is not None  # positive control
    again = sign_in(engine, claims(), NOW + timedelta(seconds=5))
    assert again.officer_id is None and not again.acted
    assert sign_in(engine, claims(iat=NOW + timedelta(seconds=30)), NOW + timedelta(seconds=31)).officer_id


@pytest.mark.backends("sqlite")
def test_a_stale_provider_sign_in_does_not_open_a_session(engine, people):
    out = sign_in(engine, claims(iat=NOW - timedelta(minutes=11)))
    assert out.officer_id is None and not out.acted
    for bad in (float("inf"), 10**30, -5, True, "1796186078"):  # nothing odd in iat crashes or signs in
        assert sign_in(engine, {**claims(), "iat": bad}).officer_id is None


@pytest.mark.backends("sqlite")
def test_an_unverified_email_is_refused_and_audited(engine, people):
    out = sign_in(engine, claims(verified=False))
    assert out.officer_id is None and "verified" in out.message
    out = sign_in(engine, claims(verified="false", sub="other"))
    assert out.officer_id is None
    entra = {**claims(verified=None, sub="entra"), "xms_edov": True}  # Entra ID's own verified-domain claim
    assert sign_in(engine, entra).officer_id is not None
    assert count(engine, "signin.oidc_refused") == 2 and count(engine, "signin.oidc") == 1


def test_an_email_of_no_active_officer_is_refused_with_a_clear_message_and_audited(engine, people):
    out = sign_in(engine, claims(email="stranger@elsewhere.example.org"))
    assert out.officer_id is None and "does not match an active FIPP Academy account" in out.message
    with write_session(engine) as s:
        s.execute(text("update officer set active = false where email = 'supervisor@north.example.org'"))
    assert sign_in(engine, claims(sub="s2")).officer_id is None
    assert count(engine, "signin.oidc_refused") == 2
    # the refusal is recorded once: the same identity cookie on the next page run does nothing
    assert not sign_in(engine, claims(sub="s2"), NOW + timedelta(seconds=1)).acted
    assert count(engine, "signin.oidc_refused") == 2
