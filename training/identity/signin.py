"""Signing in with a password: check the credentials, then record the outcome (lockout, session, audit).

Rules a supervisor may ask about:
- Sign-in takes an email or badge number and a password; an unknown user, a wrong password
  and a locked or deactivated account get the same message and take the same time (a dummy
  hash is verified for unknown users; the password is always checked).
- 5 failed sign-ins in a row lock the account for 15 minutes (configurable); a lock is
  audited. A successful sign-in resets the count.
- A deactivated officer cannot sign in, and loses access at their next action
  (training/identity/sessions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.models import Officer, utcnow
from training.audit import record_event
from training.identity.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from training.identity.principal import Principal, principal_of
from training.identity.sessions import open_session
from training.settings import Settings

# One answer for every failed sign-in: unknown login, wrong password, locked or deactivated account.
FAILED = ("Sign-in failed: check your email or badge number and password. After repeated failures an "
          "account is locked for a while; an administrator can unlock it.")


@dataclass(frozen=True)
class SignInResult:
    ok: bool
    message: str
    principal: Principal | None = None
    token: str | None = None


@dataclass(frozen=True)
class CredentialCheck:
    """The outcome of the slow half of signing in (argon2), made without any write lock."""

    login: str
    officer_id: int | None
    checked_hash: str  # the stored hash the password was checked against ("" when unknown)
    password_ok: bool
    new_hash: str | None = None  # set when the stored hash uses outdated argon2 parameters


def check_credentials(*, session: Session, login: str, password: str) -> CredentialCheck:
    """Look the officer up and verify the password. Read-only: call it outside the write transaction,
    so a burst of sign-ins (argon2 takes ~0.1 s each, by design) never holds SQLite's write lock."""
    login = (login or "").strip()
    # An email always has an "@" and a badge never may (check_badge), so a login names one field only
    # and nobody can claim someone else's email as their badge number (finding 6).
    by = func.lower(Officer.email) == login.lower() if "@" in login else col(Officer.badge_number) == login
    officer = session.exec(select(Officer).where(by)).first() if login and len(login) <= 254 else None
    if officer is None or not officer.password_hash:
        verify_password(dummy_hash(), password or "")  # same time as a real check
        return CredentialCheck(login, None, "", False)
    ok = verify_password(officer.password_hash, password or "")
    new_hash = hash_password(password) if ok and needs_rehash(officer.password_hash) else None
    return CredentialCheck(login, officer.id, officer.password_hash, ok, new_hash)


def record_sign_in(*, session: Session, check: CredentialCheck, settings: Settings,
                   now: datetime | None = None, open_now: bool = True) -> SignInResult:
    """The quick half: lockout, session and audit, inside the write transaction. Returns rather than
    raises so failures are committed and audited. With open_now=False no session is opened: the app
    opens one with training.identity.sessions.start_handoff once every factor has been checked."""
    now = now or utcnow()
    # The row is locked (FOR UPDATE on PostgreSQL; SQLite's write transaction already began IMMEDIATE)
    # so concurrent wrong guesses count one after another and the lock comes at exactly the threshold.
    officer = session.get(Officer, check.officer_id, with_for_update=True, populate_existing=True) \
        if check.officer_id is not None else None
    if officer is None or not officer.password_hash:
        record_event(session=session, action="signin.failure", target_type="login", target_id=check.login[:80],
                     reason="unknown user or no password set")
        return SignInResult(False, FAILED)
    if officer.locked_until is not None and officer.locked_until > now:
        record_event(session=session, action="signin.refused_locked", target_type="officer", target_id=officer.id,
                     department_id=officer.department_id)
        return SignInResult(False, FAILED)  # the same answer as for an unknown login (finding 3)
    if not check.password_ok or officer.password_hash != check.checked_hash:  # wrong, or changed meanwhile
        return _failed(session, officer, settings, now)
    if not officer.active:
        record_event(session=session, action="signin.refused_inactive", target_type="officer", target_id=officer.id,
                     department_id=officer.department_id)
        return SignInResult(False, FAILED)
    officer.failed_sign_ins, officer.locked_until = 0, None
    if check.new_hash:
        officer.password_hash = check.new_hash
    session.add(officer)
    assert officer.id is not None
    record_event(session=session, action="signin.success", actor_id=officer.id, target_type="officer",
                 target_id=officer.id, department_id=officer.department_id)
    if not open_now:  # the app: a second factor may follow, then a hand-off to the browser
        return SignInResult(True, "Signed in.", principal_of(officer))
    token, us = open_session(session=session, officer_id=officer.id, now=now)
    return SignInResult(True, "Signed in.", principal_of(officer, us.id), token)


def sign_in(*, session: Session, login: str, password: str, settings: Settings,
            now: datetime | None = None) -> SignInResult:
    """Both halves in one session (scripts and tests). The app runs check_credentials in a read
    session first and record_sign_in in a short write transaction (app_pages/auth/login.py)."""
    check = check_credentials(session=session, login=login, password=password)
    return record_sign_in(session=session, check=check, settings=settings, now=now)


def _failed(session: Session, officer: Officer, settings: Settings, now: datetime) -> SignInResult:
    officer.failed_sign_ins += 1
    record_event(session=session, action="signin.failure", target_type="officer", target_id=officer.id,
                 department_id=officer.department_id, failures_in_a_row=officer.failed_sign_ins)
    if officer.failed_sign_ins >= settings.lockout_threshold:
        officer.locked_until = now + timedelta(minutes=settings.lockout_minutes)
        officer.failed_sign_ins = 0
        record_event(session=session, action="account.locked", target_type="officer", target_id=officer.id,
                     department_id=officer.department_id, until=officer.locked_until.isoformat())
    session.add(officer)
    return SignInResult(False, FAILED)
