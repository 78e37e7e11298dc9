"""Accounts and sign-in: first administrator, departments, officers, passwords, sessions.

Rules a supervisor may ask about:
- Sign-in takes an email or badge number and a password; an unknown user, a wrong password
  and a locked or deactivated account get the same message and take the same time (a dummy
  hash is verified for unknown users; the password is always checked).
- 5 failed sign-ins in a row lock the account for 15 minutes (configurable); a lock is
  audited. A successful sign-in resets the count.
- A session ends after 30 idle minutes or 12 hours in all, whichever comes first; both are
  enforced on the server at every page run. A deactivated officer loses access at their
  next action.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, text
from sqlmodel import Session, col, select

from db.models import ROLES, Department, Officer, utcnow
from training.audit import record_event
from training.errors import DuplicateRecord, InvalidInput, NotAllowed, NotFound, SetupAlreadyDone
from training.identity.principal import Principal as Principal
from training.identity.principal import principal_of as principal_of

# Re-exported: pages, scripts and tests import these from here.
from training.identity.sessions import SessionCheck as SessionCheck
from training.identity.sessions import check_session as check_session
from training.identity.sessions import end_sessions as end_sessions
from training.identity.sessions import open_session as open_session
from training.identity.sessions import sign_out as sign_out
from training.passwords import check_password, dummy_hash, hash_password, needs_rehash, verify_password
from training.settings import Settings

EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
# One answer for every failed sign-in: unknown login, wrong password, locked or deactivated account.
FAILED = ("Sign-in failed: check your email or badge number and password. After repeated failures an "
          "account is locked for a while; an administrator can unlock it.")


@dataclass(frozen=True)
class SignInResult:
    ok: bool
    message: str
    principal: Principal | None = None
    token: str | None = None


def require_role(actor: Principal, *roles: str) -> None:
    if actor.role not in roles:
        raise NotAllowed("You do not have access to this.")


def needs_first_admin(*, session: Session) -> bool:
    return session.exec(select(func.count()).select_from(Officer)).one() == 0


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _visible_start(value: str) -> str:
    """value without any leading Unicode space or invisible format character (NBSP, U+2003, U+200B...)."""
    i = 0
    while i < len(value) and (value[i].isspace() or unicodedata.category(value[i]) in ("Cf", "Zs", "Cc")):
        i += 1
    return value[i:]


def starts_like_formula(value: str) -> bool:
    """Would a spreadsheet read this cell as a formula? Checked after stripping every Unicode space."""
    return value.lstrip(" ").startswith(FORMULA_START) or _visible_start(value).startswith(FORMULA_START)


def check_no_formula(value: str, field: str) -> str:
    if starts_like_formula(value):
        raise InvalidInput(f"{field} cannot start with = + - @ (a spreadsheet would run it as a formula).")
    return value


def check_badge(badge: str) -> str:
    """Badge numbers never contain "@", so a badge can never be mistaken for an email at sign-in."""
    if "@" in badge:
        raise InvalidInput("A badge or employee number cannot contain '@'.")
    return badge


def clean_text(value: str, field: str, max_len: int) -> str:
    """A required one-line text field: trimmed, bounded, no control characters."""
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"{field} is required.")
    if len(value) > max_len:
        raise InvalidInput(f"{field} is longer than {max_len} characters.")
    if any(ord(c) < 32 for c in value):
        raise InvalidInput(f"{field} contains control characters.")
    return value


def _personal(name: str, email: str, badge: str) -> tuple[str, ...]:
    return (name, name.replace(" ", ""), email, email.split("@")[0], badge)


def create_first_admin(*, session: Session, name: str, email: str, badge_number: str, password: str,
                       settings: Settings) -> Principal:
    """Create the very first account, an administrator. Refused once any account exists."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE officer IN EXCLUSIVE MODE"))  # two first admins racing
    if not needs_first_admin(session=session):
        raise SetupAlreadyDone("An administrator already exists; sign in instead.")
    officer = _new_officer(session=session, name=name, email=email, badge_number=badge_number,
                           department_id=None, role="admin", password=password, settings=settings)
    record_event(session=session, action="account.first_admin", actor_id=officer.id, target_type="officer",
                 target_id=officer.id)
    return principal_of(officer)


def _new_officer(*, session: Session, name: str, email: str, badge_number: str, department_id: int | None,
                 role: str, password: str | None, settings: Settings) -> Officer:
    name = check_no_formula(clean_text(name, "Name", 200), "Name")
    email = clean_text(email, "Email", 254).lower()
    badge_number = check_no_formula(check_badge(clean_text(badge_number, "Badge or employee number", 60)),
                                    "Badge or employee number")
    if not EMAIL.match(email):
        raise InvalidInput(f"'{email}' is not an email address.")
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.")
    if role != "admin" and department_id is None:
        raise InvalidInput("Trainees and supervisors belong to a department.")
    if department_id is not None and session.get(Department, department_id) is None:
        raise NotFound("That department does not exist.")
    clash = session.exec(select(Officer).where(or_(func.lower(Officer.email) == email,
                                                    col(Officer.badge_number) == badge_number))).first()
    if clash is not None:
        what = "email" if clash.email.lower() == email else "badge number"
        raise DuplicateRecord(f"An officer with that {what} already exists.")
    pw_hash = ""
    if password:
        check_password(password, settings, personal=_personal(name, email, badge_number))
        pw_hash = hash_password(password)
    officer = Officer(name=name, email=email, badge_number=badge_number, department_id=department_id, role=role,
                      password_hash=pw_hash, password_changed_at=utcnow() if password else None)
    session.add(officer)
    session.flush()
    return officer


def create_department(*, session: Session, actor: Principal, name: str, code: str) -> Department:
    require_role(actor, "admin")
    name, code = clean_text(name, "Department name", 200), clean_text(code, "Department code", 40).upper()
    clash = session.exec(select(Department).where(or_(func.lower(Department.name) == name.lower(),
                                                       col(Department.code) == code))).first()
    if clash is not None:
        raise DuplicateRecord(f"A department named '{clash.name}' or coded '{clash.code}' already exists.")
    dept = Department(name=name, code=code)
    session.add(dept)
    session.flush()
    record_event(session=session, action="department.create", actor_id=actor.officer_id, target_type="department",
                 target_id=dept.id, department_id=dept.id, name=name, code=code)
    return dept


def create_officer(*, session: Session, actor: Principal, name: str, email: str, badge_number: str,
                   department_id: int | None, role: str, settings: Settings, password: str | None = None) -> Officer:
    require_role(actor, "admin")
    officer = _new_officer(session=session, name=name, email=email, badge_number=badge_number,
                           department_id=department_id, role=role, password=password, settings=settings)
    record_event(session=session, action="account.create", actor_id=actor.officer_id, target_type="officer",
                 target_id=officer.id, department_id=department_id, role=role, email=officer.email,
                 badge_number=officer.badge_number, password_set=bool(password))
    return officer


def set_password(*, session: Session, actor: Principal, officer_id: int, password: str, settings: Settings) -> None:
    """An administrator sets or resets a password; it also lifts a lock and ends open sessions."""
    if actor.officer_id != officer_id:
        require_role(actor, "admin")
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise NotFound("No such officer.")
    check_password(password, settings, personal=_personal(officer.name, officer.email, officer.badge_number))
    officer.password_hash = hash_password(password)
    officer.password_changed_at = utcnow()
    officer.failed_sign_ins = 0
    officer.locked_until = None
    session.add(officer)
    end_sessions(session, officer_id, "password_changed")
    record_event(session=session, action="account.password_set", actor_id=actor.officer_id, target_type="officer",
                 target_id=officer_id, department_id=officer.department_id)


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


def list_departments(*, session: Session) -> list[Department]:
    return list(session.exec(select(Department).order_by(Department.name)))


def change_own_password(*, session: Session, actor: Principal, current: str, new: str, settings: Settings) -> None:
    """Changing your own password asks for the current one; every session of yours then ends."""
    officer = session.get(Officer, actor.officer_id)
    if officer is None or not officer.password_hash or not verify_password(officer.password_hash, current or ""):
        record_event(session=session, action="account.password_change_refused", actor_id=actor.officer_id,
                     target_type="officer", target_id=actor.officer_id)
        raise NotAllowed("The current password is not right.")
    set_password(session=session, actor=actor, officer_id=actor.officer_id, password=new, settings=settings)
