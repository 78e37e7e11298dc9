"""Departments: listed, created, renamed, deactivated and reactivated, by administrators only.

Rules a supervisor may ask about:
- Only administrators list every department (to add officers, assign modules, edit or
  deactivate departments); a supervisor or trainee asking is refused here, whatever the
  page shows.
- Names and short codes are unique (names without regard to case; codes are upper-cased).
- Nothing is ever deleted. A department with active officers cannot be deactivated: move
  or deactivate them first, so no one is left in a department that no longer appears anywhere.
- Every change writes an audit event with the values before and after, in the same
  transaction as the change.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from db.models import Department, Officer
from training.audit import changes, record_event
from training.errors import DuplicateRecord, NotAllowed, NotFound
from training.identity.fields import clean_text
from training.identity.principal import Principal, require_role


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    code: str
    active: bool


def list_departments(*, session: Session, actor: Principal, active_only: bool = False) -> list[DepartmentRow]:
    """Every department by name (only the active ones with active_only), for administrators."""
    require_role(actor, "admin")
    query = select(Department).order_by(col(Department.name))
    if active_only:
        query = query.where(col(Department.active).is_(True))
    return [DepartmentRow(d.id or 0, d.name, d.code, d.active) for d in session.exec(query)]


def get_department(session: Session, department_id: int) -> Department:
    dept = session.get(Department, department_id)
    if dept is None:
        raise NotFound("No such department.")
    return dept


def _name_and_code(session: Session, name: str, code: str, *, other_than: int | None = None) -> tuple[str, str]:
    """The cleaned name and code, refused when another department already has either."""
    name, code = clean_text(name, "Department name", 200), clean_text(code, "Department code", 40).upper()
    query = select(Department).where(or_(func.lower(Department.name) == name.lower(), col(Department.code) == code))
    if other_than is not None:
        query = query.where(col(Department.id) != other_than)
    clash = session.exec(query).first()
    if clash is not None:
        raise DuplicateRecord(f"A department named '{clash.name}' or coded '{clash.code}' already exists.")
    return name, code


def create_department(*, session: Session, actor: Principal, name: str, code: str) -> Department:
    require_role(actor, "admin")
    name, code = _name_and_code(session, name, code)
    dept = Department(name=name, code=code)
    session.add(dept)
    session.flush()
    record_event(session=session, action="department.create", actor_id=actor.officer_id, target_type="department",
                 target_id=dept.id, department_id=dept.id, name=name, code=code)
    return dept


def update_department(*, session: Session, actor: Principal, department_id: int, name: str, code: str) -> Department:
    """Rename a department or change its short code (both stay unique)."""
    require_role(actor, "admin")
    dept = get_department(session, department_id)
    name, code = _name_and_code(session, name, code, other_than=department_id)
    before = {"name": dept.name, "code": dept.code}
    dept.name, dept.code = name, code
    session.add(dept)
    changed = changes(before, {"name": name, "code": code})
    if changed:
        record_event(session=session, action="department.update", actor_id=actor.officer_id,
                     target_type="department", target_id=dept.id, department_id=dept.id, changes=changed)
    return dept


def set_department_active(*, session: Session, actor: Principal, department_id: int, active: bool) -> Department:
    """Deactivate or reactivate a department. Refused while it still has active officers."""
    require_role(actor, "admin")
    dept = get_department(session, department_id)
    if dept.active == active:
        return dept
    if not active:
        n = session.exec(select(func.count()).select_from(Officer).where(
            Officer.department_id == department_id, Officer.active == True)).one()  # noqa: E712
        if n:
            raise NotAllowed(f"{dept.name} still has {n} active officer(s). Move or deactivate them first.")
    dept.active = active
    session.add(dept)
    record_event(session=session, action="department.reactivate" if active else "department.deactivate",
                 actor_id=actor.officer_id, target_type="department", target_id=dept.id, department_id=dept.id,
                 changes={"active": {"before": not active, "after": active}})
    return dept
