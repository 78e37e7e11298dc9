"""An officer's account: the new row (checked fields, unique email and badge) and its password.

Rules a supervisor may ask about:
- Email addresses and badge numbers are unique (emails without regard to case).
- Trainees and supervisors belong to a department; an administrator need not.
- Setting a password (an administrator's reset, or your own change, which asks for the
  current one) lifts a sign-in lock and ends every open session of that officer.
"""

from __future__ import annotations

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from db.models import ROLES, Department, Officer, utcnow
from training.audit import record_event
from training.errors import DuplicateRecord, InvalidInput, NotAllowed, NotFound
from training.identity.fields import check_officer_fields, personal_words
from training.identity.passwords import check_password, hash_password, verify_password
from training.identity.principal import Principal, require_role
from training.identity.sessions import end_sessions
from training.settings import Settings


def new_officer(*, session: Session, name: str, email: str, badge_number: str, department_id: int | None,
                role: str, password: str | None, settings: Settings) -> Officer:
    """Check and insert an officer (not audited: the caller records who created it and why)."""
    name, email, badge_number = check_officer_fields(name, email, badge_number)
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
        check_password(password, settings, personal=personal_words(name, email, badge_number))
        pw_hash = hash_password(password)
    officer = Officer(name=name, email=email, badge_number=badge_number, department_id=department_id, role=role,
                      password_hash=pw_hash, password_changed_at=utcnow() if password else None)
    session.add(officer)
    session.flush()
    return officer


def set_password(*, session: Session, actor: Principal, officer_id: int, password: str, settings: Settings) -> None:
    """An administrator sets or resets a password; it also lifts a lock and ends open sessions."""
    if actor.officer_id != officer_id:
        require_role(actor, "admin")
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise NotFound("No such officer.")
    check_password(password, settings, personal=personal_words(officer.name, officer.email, officer.badge_number))
    officer.password_hash = hash_password(password)
    officer.password_changed_at = utcnow()
    officer.failed_sign_ins = 0
    officer.locked_until = None
    session.add(officer)
    end_sessions(session, officer_id, "password_changed")
    record_event(session=session, action="account.password_set", actor_id=actor.officer_id, target_type="officer",
                 target_id=officer_id, department_id=officer.department_id)


def change_own_password(*, session: Session, actor: Principal, current: str, new: str, settings: Settings) -> None:
    """Changing your own password asks for the current one; every session of yours then ends."""
    officer = session.get(Officer, actor.officer_id)
    if officer is None or not officer.password_hash or not verify_password(officer.password_hash, current or ""):
        record_event(session=session, action="account.password_change_refused", actor_id=actor.officer_id,
                     target_type="officer", target_id=actor.officer_id)
        raise NotAllowed("The current password is not right.")
    set_password(session=session, actor=actor, officer_id=actor.officer_id, password=new, settings=settings)
