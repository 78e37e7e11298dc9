"""A trainee's progress: lessons read and the status of each module.

Status rules a supervisor may ask about:
- passed: the module's quiz has been passed (a completion exists);
- overdue: not passed, and the due date of an assignment for the module has gone by;
- in progress: a lesson has been read or a quiz attempt made;
- not started: none of the above.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_
from sqlmodel import Session, col, select

from db.models import Assignment, Attempt, Completion, LessonProgress, utcnow
from training.accounts import Principal
from training.content import Catalog, Module
from training.errors import NotFound


@dataclass(frozen=True)
class ModuleStatus:
    module: Module
    status: str  # "passed" | "overdue" | "in progress" | "not started"
    lessons_read: int
    due_date: date | None
    cycle: str | None
    best_score: float | None
    completed_at: datetime | None
    attempts: int


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


def due_dates(*, session: Session, officer_id: int, department_id: int | None) -> dict[str, tuple[date, str]]:
    """module id -> (earliest open due date, cycle) from active assignments to the officer or department."""
    conds = [col(Assignment.officer_id) == officer_id]
    if department_id is not None:
        conds.append(col(Assignment.department_id) == department_id)
    out: dict[str, tuple[date, str]] = {}
    for a in session.exec(select(Assignment).where(Assignment.active == True, or_(*conds))):  # noqa: E712
        if a.module_id not in out or a.due_date < out[a.module_id][0]:
            out[a.module_id] = (a.due_date, a.cycle)
    return out


def module_statuses(*, session: Session, actor: Principal, catalog: Catalog,
                    today: date | None = None) -> list[ModuleStatus]:
    today = today or utcnow().date()
    officer_id = actor.officer_id
    read: dict[str, int] = {}
    for mid in session.exec(select(LessonProgress.module_id).where(LessonProgress.officer_id == officer_id)):
        read[mid] = read.get(mid, 0) + 1
    attempts: dict[str, list[Attempt]] = {}
    for a in session.exec(select(Attempt).where(Attempt.officer_id == officer_id)):
        attempts.setdefault(a.module_id or "", []).append(a)
    completions = {c.module_id: c for c in session.exec(select(Completion).where(Completion.officer_id == officer_id))}
    due = due_dates(session=session, officer_id=officer_id, department_id=actor.department_id)
    out = []
    for module in catalog.modules_in_order():
        tries = attempts.get(module.id, [])
        scores = [a.score for a in tries if a.score is not None]
        done = completions.get(module.id)
        due_date, cycle = due.get(module.id, (None, None))
        if done is not None:
            status = "passed"
        elif due_date is not None and due_date < today:
            status = "overdue"
        elif read.get(module.id) or tries:
            status = "in progress"
        else:
            status = "not started"
        out.append(ModuleStatus(module, status, read.get(module.id, 0), due_date, cycle,
                                max(scores) if scores else None, done.completed_at if done else None, len(tries)))
    return out
