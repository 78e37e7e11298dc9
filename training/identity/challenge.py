"""The step between a correct password and a session: the second-factor challenge.

A correct password for an officer who has (or must have) an authenticator opens no session.
It creates a challenge instead: a random token for the browser, its hash in the database,
single use, valid for 10 minutes. Answering it with a right code (or, for a supervisor or
administrator who has none yet, enrolling one) is what lets the caller open the session.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session, select

from db.models import Officer, SignInChallenge, utcnow
from training.audit import record_event
from training.identity.second_factor import (
    CodeCheck,
    Enrolment,
    SecondFactorSettings,
    confirm_enrolment,
    is_enrolled,
    start_enrolment,
    verify_code,
)

EXPIRED = "Your sign-in has expired. Please sign in again."


@dataclass(frozen=True)
class Challenge:
    officer_id: int
    step: str  # "verify" or "enrol"


@dataclass(frozen=True)
class ChallengeAnswer:
    ok: bool
    message: str
    officer_id: int | None = None
    recovery_codes: list[str] = field(default_factory=list)  # only when this answer enrolled


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def begin_challenge(*, session: Session, officer_id: int, settings: SecondFactorSettings,
                    now: datetime | None = None) -> str:
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(SignInChallenge(token_hash=_hash(token), officer_id=officer_id, created_at=now,
                                expires_at=now + timedelta(minutes=settings.challenge_minutes)))
    session.flush()
    return token


def _open(session: Session, token: str | None, now: datetime) -> SignInChallenge | None:
    if not token or len(token) > 100:
        return None
    ch = session.exec(select(SignInChallenge).where(SignInChallenge.token_hash == _hash(token))).first()
    if ch is None or ch.used_at is not None or ch.expires_at <= now:
        return None
    officer = session.get(Officer, ch.officer_id)
    return ch if officer is not None and officer.active else None


def read_challenge(*, session: Session, token: str | None, now: datetime | None = None) -> Challenge | None:
    """What a pending challenge asks for, or None when it is unknown, used, expired or the officer left."""
    ch = _open(session, token, now or utcnow())
    if ch is None:
        return None
    step = "verify" if is_enrolled(session=session, officer_id=ch.officer_id) else "enrol"
    return Challenge(ch.officer_id, step)


def enrolment_for_challenge(*, session: Session, token: str | None, settings: SecondFactorSettings,
                            now: datetime | None = None) -> Enrolment | None:
    ch = _open(session, token, now or utcnow())
    return None if ch is None else start_enrolment(session=session, officer_id=ch.officer_id, settings=settings,
                                                   now=now)


def answer_challenge(*, session: Session, token: str | None, code: str, settings: SecondFactorSettings,
                     now: datetime | None = None) -> ChallengeAnswer:
    """Check the code for this challenge (enrolling first if the officer has no authenticator).

    On success the challenge is used up and the caller opens the session in the same transaction.
    Returns rather than raises, so a wrong code's count and audit event are committed.
    """
    now = now or utcnow()
    ch = _open(session, token, now)
    if ch is None:
        return ChallengeAnswer(False, EXPIRED)
    codes: list[str] = []
    check: CodeCheck
    if is_enrolled(session=session, officer_id=ch.officer_id):
        check = verify_code(session=session, officer_id=ch.officer_id, code=code, settings=settings, now=now)
    else:
        check, codes = confirm_enrolment(session=session, officer_id=ch.officer_id, code=code, settings=settings,
                                         now=now)
    if not check.ok:
        return ChallengeAnswer(False, check.message)
    ch.used_at = now
    session.add(ch)
    officer = session.get(Officer, ch.officer_id)
    record_event(session=session, action="signin.second_factor", actor_id=ch.officer_id, target_type="officer",
                 target_id=ch.officer_id, department_id=officer.department_id if officer else None,
                 enrolled_now=bool(codes), recovery_code=check.used_recovery_code)
    message = check.message
    if check.used_recovery_code:
        message = f"Recovery code accepted. {check.recovery_codes_left} left: make new ones on the Account page."
    return ChallengeAnswer(True, message, ch.officer_id, codes)
