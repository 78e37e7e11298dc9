"""Assigning modules to a department or to chosen officers, with a due date and a training cycle.

Rules a supervisor may ask about:
- An assignment names one module from the catalog, a due date (today or later) and a
  training cycle. A module is overdue for an officer when an active assignment's due date
  has passed and they have not passed it (see training/progress.py).
- A cycle is either a four-digit year from 2000 to 2099, such as "2027" (Vermont requires
  fair and impartial policing training in odd-numbered years, so the cycle is usually the
  odd year in which the training is due), or a short label of up to 20 letters, digits,
  spaces, dots, hyphens or underscores that starts with a letter or digit, such as
  "2027-refresher" or "FY2027 Q1".
- The same module cannot be assigned twice for the same cycle to the same department or
  officer while the first assignment is active.
- Deactivating an assignment keeps it on record; it just stops counting toward due dates.
- Only administrators assign; supervisors can list their own department's assignments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from db.models import Assignment, Department, Officer
from training.audit import record_event
from training.content import Catalog
from training.errors import DuplicateRecord, InvalidInput, NotFound
from training.identity.principal import Principal, require_role
from training.localtime import local_today

CYCLE_YEAR = re.compile(r"^20\d\d$")
CYCLE_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,19}$")
MAX_OFFICERS = 5_000


def check_cycle(cycle: str) -> str:
    """The cycle, trimmed, or InvalidInput explaining what a cycle looks like."""
    cycle = (cycle or "").strip()
    if CYCLE_YEAR.match(cycle) or (CYCLE_LABEL.match(cycle) and not cycle.isdigit()):
        return cycle
    raise InvalidInput(f"'{cycle}' is not a training cycle. Use a year such as 2027 (2000-2099), or a label of at "
                       "most 20 letters, digits, spaces, dots, hyphens or underscores, such as 2027-refresher.")


def next_odd_year(today: date) -> str:
    """The cycle Vermont's biennial FIP training falls in: this year if odd, else next year."""
    return str(today.year if today.year % 2 else today.year + 1)


def assign_module(*, session: Session, actor: Principal, catalog: Catalog, module_id: str, due_date: date, cycle: str,
                  department_id: int | None = None, officer_ids: tuple[int, ...] = (),
                  today: date | None = None) -> list[Assignment]:
    """Assign a module to one department, or to each of the chosen officers (exactly one of the two)."""
    require_role(actor, "admin")
    if module_id not in catalog.modules:
        raise NotFound(f"No module '{module_id}' in the catalog.")
    cycle = check_cycle(cycle)
    if due_date < (today or local_today()):
        raise InvalidInput("The due date is in the past.")
    if (department_id is None) == (not officer_ids):
        raise InvalidInput("Choose either a department or one or more officers.")
    if len(set(officer_ids)) > MAX_OFFICERS:
        raise InvalidInput(f"Assign to at most {MAX_OFFICERS:,} officers at once, or assign to the department.")
    if department_id is not None:
        dept = session.get(Department, department_id)
        if dept is None or not dept.active:
            raise NotFound("No such active department.")
        targets: list[tuple[int | None, int | None]] = [(department_id, None)]
        officer_dept: dict[int, int | None] = {}
    else:
        found = {o.id: o for o in session.exec(select(Officer).where(col(Officer.id).in_(set(officer_ids))))}
        missing = [i for i in officer_ids if i not in found or not found[i].active]
        if missing:
            raise NotFound(f"No such active officer: {', '.join(map(str, missing))}.")
        targets = [(None, i) for i in dict.fromkeys(officer_ids)]
        officer_dept = {i: found[i].department_id for i in officer_ids}
    _refuse_duplicates(session, module_id, cycle, targets)
    made = []
    for dept_id, officer_id in targets:
        a = Assignment(module_id=module_id, department_id=dept_id, officer_id=officer_id, due_date=due_date,
                       cycle=cycle, created_by=actor.officer_id)
        session.add(a)
        made.append(a)
    session.flush()
    for a in made:
        dept_of = a.department_id if a.officer_id is None else officer_dept[a.officer_id]
        record_event(session=session, action="assignment.create", actor_id=actor.officer_id,
                     target_type="assignment", target_id=a.id, department_id=dept_of, module_id=module_id,
                     officer_id=a.officer_id, due_date=due_date.isoformat(), cycle=cycle)
    return made


def _refuse_duplicates(session: Session, module_id: str, cycle: str,
                       targets: list[tuple[int | None, int | None]]) -> None:
    dept_ids = [d for d, _ in targets if d is not None]
    officer_ids = [o for _, o in targets if o is not None]
    clash = session.exec(select(Assignment).where(
        Assignment.module_id == module_id, Assignment.cycle == cycle, Assignment.active == True,  # noqa: E712
        or_(col(Assignment.department_id).in_(dept_ids), col(Assignment.officer_id).in_(officer_ids)))).first()
    if clash is not None:
        who = "that department" if clash.department_id is not None else f"officer {clash.officer_id}"
        raise DuplicateRecord(f"This module is already assigned to {who} for cycle {cycle} "
                              f"(due {clash.due_date:%Y-%m-%d}). Deactivate that assignment first.")


def deactivate_assignment(*, session: Session, actor: Principal, assignment_id: int) -> Assignment:
    """Stop an assignment counting toward due dates. It stays on record."""
    require_role(actor, "admin")
    a = session.get(Assignment, assignment_id)
    if a is None:
        raise NotFound("No such assignment.")
    if a.active:
        a.active = False
        session.add(a)
        dept_of = a.department_id
        if dept_of is None and a.officer_id is not None:
            officer = session.get(Officer, a.officer_id)
            dept_of = officer.department_id if officer else None
        record_event(session=session, action="assignment.deactivate", actor_id=actor.officer_id,
                     target_type="assignment", target_id=a.id, department_id=dept_of,
                     changes={"active": {"before": True, "after": False}})
    return a


@dataclass(frozen=True)
class AssignmentView:
    id: int
    module_id: str
    target: str  # "Department: North Police" or "Officer: Jane Doe (N-1)"
    department_id: int | None
    officer_id: int | None
    due_date: date
    cycle: str
    active: bool
    created_at: datetime


def list_assignments(*, session: Session, actor: Principal, include_inactive: bool = False,
                     limit: int = 500) -> list[AssignmentView]:
    """Assignments, newest first. Supervisors see only those for their department and its officers."""
    require_role(actor, "supervisor", "admin")
    q = (select(Assignment, Department, Officer)
         .join(Department, col(Department.id) == Assignment.department_id, isouter=True)
         .join(Officer, col(Officer.id) == Assignment.officer_id, isouter=True))
    if not actor.is_admin:
        q = q.where(or_(col(Assignment.department_id) == actor.department_id,
                        col(Officer.department_id) == actor.department_id))
    if not include_inactive:
        q = q.where(Assignment.active == True)  # noqa: E712
    out = []
    for a, d, o in session.exec(q.order_by(col(Assignment.id).desc()).limit(limit)):
        target = f"Department: {d.name}" if d is not None else f"Officer: {o.name} ({o.badge_number})" if o else "?"
        out.append(AssignmentView(a.id or 0, a.module_id, target, a.department_id, a.officer_id, a.due_date,
                                  a.cycle, a.active, a.created_at))
    return out
