"""A trainee's progress: lessons read and the status of each module.

Status rules a supervisor may ask about (within the current training cycle, once one has
been opened; see training/administration/cycles.py):
- passed: the module's quiz has been passed in the cycle (a completion exists);
- re-certify: passed, but the content or the department's adopted wording changed since
  (training/administration/recert.py); a short re-certification quiz clears it;
- waived: not passed, and a waiver for the module or the whole cycle is in force;
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

from db.models import Assignment, Attempt, Completion, LessonProgress
from training.administration.cycles import current_cycle_label
from training.administration.recert import recertifications_for_officer
from training.administration.waivers import waived_modules
from training.content import Catalog, Module
from training.errors import NotFound
from training.identity.principal import Principal
from training.localtime import local_today


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
    """Each module's status for the actor in the current cycle (all records before any cycle)."""
    today = today or local_today()
    officer_id = actor.officer_id
    cycle = current_cycle_label(session)
    read: dict[str, int] = {}
    for mid in session.exec(select(LessonProgress.module_id).where(LessonProgress.officer_id == officer_id)):
        read[mid] = read.get(mid, 0) + 1
    attempts: dict[str, list[Attempt]] = {}
    tries_q = select(Attempt).where(Attempt.officer_id == officer_id)
    done_q = select(Completion).where(Completion.officer_id == officer_id)
    if cycle is not None:
        tries_q, done_q = tries_q.where(Attempt.cycle == cycle), done_q.where(Completion.cycle == cycle)
    for a in session.exec(tries_q):
        attempts.setdefault(a.module_id or "", []).append(a)
    completions = {c.module_id: c for c in session.exec(done_q.order_by(col(Completion.id)))}
    due = due_dates(session=session, officer_id=officer_id, department_id=actor.department_id, cycle=cycle)
    recert = recertifications_for_officer(session=session, catalog=catalog, officer_id=officer_id,
                                          department_id=actor.department_id)
    out = []
    for module in catalog.modules_in_order():
        tries = attempts.get(module.id, [])
        scores = [a.score for a in tries if a.score is not None]
        done = completions.get(module.id)
        due_date, cyc = due.get(module.id, (None, None))
        waived = cyc is not None and bool({None, module.id} & waived_modules(
            session=session, officer_id=officer_id, cycle=cyc, today=today))
        if done is not None:
            status = "re-certify" if module.id in recert else "passed"
        elif waived:
            status = "waived"
        elif due_date is not None and due_date < today:
            status = "overdue"
        elif read.get(module.id) or tries:
            status = "in progress"
        else:
            status = "not started"
        out.append(ModuleStatus(module, status, read.get(module.id, 0), due_date, cyc,
                                max(scores) if scores else None, done.completed_at if done else None, len(tries),
                                due_date is not None))
    return out
