"""A trainee's progress: lessons read and the status of each module.

The status is derived by the one rule in training/status.py (the dashboards use the same).
Status rules a supervisor may ask about (within the current training cycle, once one has
been opened; see training/administration/cycles.py):
- passed: the module's quiz has been passed in the cycle (a completion exists);
- re-certify: passed, but the content or the department's adopted wording changed since
  (training/administration/recert.py); a short re-certification quiz clears it;
- waived: not passed, assigned, and a waiver for the module or the whole cycle is in force
  (a waiver of the cycle; before any cycle was opened, of any cycle);
- overdue: not passed, not waived, and the due date of an assignment for the module has gone by;
- in progress: a quiz attempt made in the cycle, or a lesson read;
- not started: none of the above.
Only assigned modules count toward completion rates; a module can be taken unassigned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from db.models import Assignment, LessonProgress
from db.queries import dashboard
from training.administration.cycles import current_cycle_label
from training.administration.recert import recertifications_for_officer
from training.content import Catalog, Module
from training.errors import NotFound
from training.identity.principal import Principal
from training.localtime import local_today
from training.status import NOTHING, PASSED, status_of


@dataclass(frozen=True)
class ModuleStatus:
    module: Module
    status: str  # "passed" | "re-certify" | "waived" | "overdue" | "in progress" | "not started"
    lessons_read: int
    due_date: date | None
    cycle: str | None
    best_score: float | None
    completed_at: datetime | None
    attempts: int
    assigned: bool = False


def lessons_read(*, session: Session, officer_id: int, module_id: str) -> set[str]:
    return set(session.exec(select(LessonProgress.lesson_id).where(
        LessonProgress.officer_id == officer_id, LessonProgress.module_id == module_id)))


def mark_lesson_read(*, session: Session, actor: Principal, catalog: Catalog, module_id: str, lesson_id: str) -> None:
    """Record that a lesson was read (once; reading it again changes nothing)."""
    module = catalog.modules.get(module_id)
    if module is None or lesson_id not in {lesson.id for lesson in module.lessons}:
        raise NotFound("No such lesson.")
    if lesson_id in lessons_read(session=session, officer_id=actor.officer_id, module_id=module_id):
        return
    session.add(LessonProgress(officer_id=actor.officer_id, module_id=module_id, lesson_id=lesson_id,
                               module_version_hash=module.version_hash))


def due_dates(*, session: Session, officer_id: int, department_id: int | None,
              cycle: str | None = None) -> dict[str, tuple[date, str]]:
    """module id -> (earliest open due date, cycle) from active assignments to the officer or
    department (only the given cycle's, when one is given)."""
    conds = [col(Assignment.officer_id) == officer_id]
    if department_id is not None:
        conds.append(col(Assignment.department_id) == department_id)
    out: dict[str, tuple[date, str]] = {}
    q = select(Assignment).where(Assignment.active == True, or_(*conds))  # noqa: E712
    if cycle is not None:
        q = q.where(Assignment.cycle == cycle)
    for a in session.exec(q):
        if a.module_id not in out or a.due_date < out[a.module_id][0]:
            out[a.module_id] = (a.due_date, a.cycle)
    return out


def module_statuses(*, session: Session, actor: Principal, catalog: Catalog,
                    today: date | None = None) -> list[ModuleStatus]:
    """Each module's status for the actor in the current cycle (all records before any cycle), by the
    one rule in training/status.py, from the same module_status facts the dashboards read."""
    today = today or local_today()
    officer_id = actor.officer_id
    cycle = current_cycle_label(session)
    facts = dashboard.officer_facts(session=session, officer_id=officer_id, cycle=cycle)
    due = due_dates(session=session, officer_id=officer_id, department_id=actor.department_id, cycle=cycle)
    waived = {m for _, m in dashboard.waived_for(session=session, officer_ids=[officer_id], today=today, cycle=cycle)}
    recert = recertifications_for_officer(session=session, catalog=catalog, officer_id=officer_id,
                                          department_id=actor.department_id)
    out = []
    for module in catalog.modules_in_order():
        f = facts.get(module.id, NOTHING)
        due_date, cyc = due.get(module.id, (None, None))
        status = status_of(f, due_date=due_date, waived=bool({None, module.id} & waived), today=today)
        if status == PASSED and module.id in recert:
            status = "re-certify"
        out.append(ModuleStatus(module, status, f.lessons_read, due_date, cyc, f.best_score, f.completed_at,
                                f.attempts, due_date is not None))
    return out
