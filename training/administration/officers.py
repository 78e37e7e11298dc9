"""Officers as administrators manage them: add, edit, move, change role, deactivate, unlock, search.

Rules a supervisor may ask about:
- Only administrators change accounts (supervisors may import a roster into their own
  department: see training/administration/roster.py).
- Nothing is ever deleted. Deactivating an officer ends their open sessions at once and
  keeps every attempt, completion and audit event; reactivating restores access with the
  same history.
- The last active administrator cannot be demoted or deactivated, and no administrator
  can demote or deactivate themselves (someone must always be able to administer).
- A change of role or department ends the officer's open sessions: it takes effect at the
  next sign-in.
- Every change writes an audit event with the values before and after, in the same
  transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from db.models import ROLES, Officer
from training.administration.departments import get_department
from training.audit import changes, record_event
from training.errors import DuplicateRecord, InvalidInput, NotAllowed, NotFound
from training.identity.fields import check_officer_fields
from training.identity.officers import new_officer
from training.identity.principal import Principal, require_role
from training.identity.sessions import end_sessions
from training.settings import Settings

SEARCH_LIMIT = 200


def _officer(session: Session, officer_id: int) -> Officer:
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise NotFound("No such officer.")
    return officer


def _audit_officer(session: Session, actor: Principal, action: str, officer: Officer,
                   changed: dict[str, dict[str, Any]], **extra: Any) -> None:
    record_event(session=session, action=action, actor_id=actor.officer_id, target_type="officer",
                 target_id=officer.id, department_id=officer.department_id, changes=changed, **extra)


def create_officer(*, session: Session, actor: Principal, name: str, email: str, badge_number: str,
                   department_id: int | None, role: str, settings: Settings, password: str | None = None) -> Officer:
    require_role(actor, "admin")
    officer = new_officer(session=session, name=name, email=email, badge_number=badge_number,
                          department_id=department_id, role=role, password=password, settings=settings)
    record_event(session=session, action="account.create", actor_id=actor.officer_id, target_type="officer",
                 target_id=officer.id, department_id=department_id, role=role, email=officer.email,
                 badge_number=officer.badge_number, password_set=bool(password))
    return officer


def update_officer(*, session: Session, actor: Principal, officer_id: int, name: str, email: str,
                   badge_number: str) -> Officer:
    """Correct an officer's name, email or badge number (email and badge stay unique)."""
    require_role(actor, "admin")
    officer = _officer(session, officer_id)
    name, email, badge_number = check_officer_fields(name, email, badge_number)
    clash = session.exec(select(Officer).where(
        col(Officer.id) != officer_id,
        or_(func.lower(Officer.email) == email, col(Officer.badge_number) == badge_number))).first()
    if clash is not None:
        what = "email" if clash.email.lower() == email else "badge number"
        raise DuplicateRecord(f"Another officer already has that {what}.")
    before = {"name": officer.name, "email": officer.email, "badge_number": officer.badge_number}
    officer.name, officer.email, officer.badge_number = name, email, badge_number
    session.add(officer)
    changed = changes(before, {"name": name, "email": email, "badge_number": badge_number})
    if changed:
        _audit_officer(session, actor, "account.update", officer, changed)
    return officer


def _guard_last_admin(session: Session, actor: Principal, officer: Officer, what: str) -> None:
    """Refuse to leave the system without an administrator, or an admin locking themselves out."""
    if officer.role != "admin" or not officer.active:
        return
    if officer.id == actor.officer_id:
        raise NotAllowed(f"You cannot {what} your own administrator account; ask another administrator.")
    others = session.exec(select(func.count()).select_from(Officer).where(
        Officer.role == "admin", Officer.active == True, col(Officer.id) != officer.id)).one()  # noqa: E712
    if not others:
        raise NotAllowed(f"You cannot {what} the last active administrator.")


def change_role(*, session: Session, actor: Principal, officer_id: int, role: str) -> Officer:
    """Make an officer a trainee, supervisor or administrator. Trainees and supervisors need a department."""
    require_role(actor, "admin")
    officer = _officer(session, officer_id)
    if role not in ROLES:
        raise InvalidInput(f"Role must be one of {', '.join(ROLES)}.")
    if role == officer.role:
        return officer
    if officer.role == "admin":
        _guard_last_admin(session, actor, officer, "demote")
    if role != "admin" and officer.department_id is None:
        raise InvalidInput("Trainees and supervisors belong to a department: set the department first.")
    before = officer.role
    officer.role = role
    session.add(officer)
    end_sessions(session, officer_id, "role_changed")  # the new role takes effect at the next sign-in
    _audit_officer(session, actor, "account.role_change", officer, {"role": {"before": before, "after": role}})
    return officer


def change_department(*, session: Session, actor: Principal, officer_id: int, department_id: int | None) -> Officer:
    """Move an officer to another department. Past attempts and completions keep the department they had."""
    require_role(actor, "admin")
    officer = _officer(session, officer_id)
    if department_id == officer.department_id:
        return officer
    if department_id is None:
        if officer.role != "admin":
            raise InvalidInput("Trainees and supervisors belong to a department.")
    elif not get_department(session, department_id).active:
        raise InvalidInput("That department is deactivated; reactivate it first.")
    before = officer.department_id
    officer.department_id = department_id
    session.add(officer)
    end_sessions(session, officer_id, "department_changed")
    record_event(session=session, action="account.department_change", actor_id=actor.officer_id,
                 target_type="officer", target_id=officer.id, department_id=department_id,
                 changes={"department_id": {"before": before, "after": department_id}})
    return officer


def set_officer_active(*, session: Session, actor: Principal, officer_id: int, active: bool) -> Officer:
    """Deactivate (never delete) or reactivate an officer. Deactivation ends their open sessions now."""
    require_role(actor, "admin")
    officer = _officer(session, officer_id)
    if officer.active == active:
        return officer
    if not active:
        _guard_last_admin(session, actor, officer, "deactivate")
    elif officer.department_id is not None and not get_department(session, officer.department_id).active:
        raise InvalidInput("The officer's department is deactivated; reactivate it or move the officer first.")
    officer.active = active
    session.add(officer)
    ended = 0 if active else end_sessions(session, officer_id, "deactivated")
    _audit_officer(session, actor, "account.reactivate" if active else "account.deactivate", officer,
                   {"active": {"before": not active, "after": active}}, sessions_ended=ended)
    return officer


def unlock_officer(*, session: Session, actor: Principal, officer_id: int) -> Officer:
    """Lift a sign-in lock and clear the failed sign-in count."""
    require_role(actor, "admin")
    officer = _officer(session, officer_id)
    before = {"locked_until": officer.locked_until, "failed_sign_ins": officer.failed_sign_ins}
    officer.locked_until, officer.failed_sign_ins = None, 0
    session.add(officer)
    _audit_officer(session, actor, "account.unlock", officer,
                   changes(before, {"locked_until": None, "failed_sign_ins": 0}))
    return officer


@dataclass(frozen=True)
class OfficerRow:
    id: int
    name: str
    badge_number: str
    email: str
    department_id: int | None
    role: str
    active: bool
    locked_until: datetime | None
    has_password: bool


def search_officers(*, session: Session, actor: Principal, text: str = "", department_id: int | None = None,
                    include_inactive: bool = True, limit: int = SEARCH_LIMIT) -> list[OfficerRow]:
    """Officers whose name, email or badge contains text, at most limit of them, by name."""
    require_role(actor, "admin")
    q = select(Officer)
    if text.strip():
        like = f"%{text.strip().lower()}%"
        q = q.where(or_(func.lower(Officer.name).like(like), func.lower(Officer.email).like(like),
                        func.lower(Officer.badge_number).like(like)))
    if department_id is not None:
        q = q.where(Officer.department_id == department_id)
    if not include_inactive:
        q = q.where(Officer.active == True)  # noqa: E712
    rows = session.exec(q.order_by(col(Officer.name), col(Officer.id)).limit(limit))
    return [OfficerRow(o.id or 0, o.name, o.badge_number, o.email, o.department_id, o.role, o.active,
                       o.locked_until, bool(o.password_hash)) for o in rows]
