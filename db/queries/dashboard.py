"""A department's completion matrix, rates per module, overdue list and completion trend.

Status follows training/progress.py exactly: passed (a completion exists), overdue (not
passed and the earliest active assignment's due date has gone by), in progress (a lesson
read or an attempt made), otherwise not started. Assignments count when made to the
department or to the officer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from sqlalchemy import CTE, ColumnElement, Date, and_, case, func, literal, or_, select, true, union_all
from sqlmodel import Session

from db.queries.tables import assignment, attempt, completion, lesson_progress, modules_cte, officer, on_roster

Period = Literal["week", "month"]


@dataclass(frozen=True)
class MatrixCell:
    officer_id: int
    officer_name: str
    badge_number: str
    module_id: str
    status: str
    completed_at: datetime | None
    best_score: float | None
    attempts: int
    due_date: date | None
    cycle: str | None


@dataclass(frozen=True)
class ModuleRate:
    module_id: str
    officers: int
    passed: int
    overdue: int
    in_progress: int

    @property
    def completion_rate(self) -> float:
        return self.passed / self.officers if self.officers else 0.0


@dataclass(frozen=True)
class TrendPoint:
    period_start: str  # ISO date of the week's Monday or the month's first day
    completions: int
    cumulative: int


def _cells(department_id: int, module_ids: list[str], today: date) -> CTE:
    """One row per roster officer x module with everything the status rules need."""
    roster = select(officer.c.id, officer.c.name, officer.c.badge_number).where(
        officer.c.department_id == department_id, on_roster()).cte("roster")
    mods = modules_cte(module_ids)
    att = (select(attempt.c.officer_id, attempt.c.module_id, func.count().label("n"),
                  func.max(attempt.c.score).label("best"))
           .join(roster, roster.c.id == attempt.c.officer_id)
           .group_by(attempt.c.officer_id, attempt.c.module_id).cte("att"))
    comp = (select(completion.c.officer_id, completion.c.module_id,
                   func.min(completion.c.completed_at).label("completed_at"))
            .join(roster, roster.c.id == completion.c.officer_id)
            .group_by(completion.c.officer_id, completion.c.module_id).cte("comp"))
    les = (select(lesson_progress.c.officer_id, lesson_progress.c.module_id, func.count().label("n"))
           .join(roster, roster.c.id == lesson_progress.c.officer_id)
           .group_by(lesson_progress.c.officer_id, lesson_progress.c.module_id).cte("les"))
    to_dept = (select(roster.c.id.label("officer_id"), assignment.c.id.label("aid"), assignment.c.module_id,
                      assignment.c.due_date, assignment.c.cycle)
               .join(assignment, true())
               .where(assignment.c.department_id == department_id, assignment.c.active.is_(True)))
    to_officer = (select(assignment.c.officer_id, assignment.c.id.label("aid"), assignment.c.module_id,
                         assignment.c.due_date, assignment.c.cycle)
                  .join(roster, roster.c.id == assignment.c.officer_id)
                  .where(assignment.c.active.is_(True)))
    both = union_all(to_dept, to_officer).subquery("both_asg")
    ranked = select(both, func.row_number().over(
        partition_by=(both.c.officer_id, both.c.module_id),
        order_by=(both.c.due_date, both.c.aid)).label("rn")).subquery("ranked")
    due = select(ranked.c.officer_id, ranked.c.module_id, ranked.c.due_date, ranked.c.cycle).where(
        ranked.c.rn == 1).cte("due")

    def pair(t: CTE) -> ColumnElement[bool]:
        return and_(t.c.officer_id == roster.c.id, t.c.module_id == mods.c.module_id)

    status = case(
        (comp.c.completed_at.is_not(None), "passed"),
        (due.c.due_date < literal(today, Date), "overdue"),
        (or_(les.c.n > 0, att.c.n > 0), "in progress"),
        else_="not started")
    return (select(roster.c.id.label("officer_id"), roster.c.name.label("officer_name"), roster.c.badge_number,
                   mods.c.module_id, status.label("status"), comp.c.completed_at, att.c.best.label("best_score"),
                   func.coalesce(att.c.n, 0).label("attempts"), due.c.due_date, due.c.cycle)
            .select_from(roster.join(mods, true()).outerjoin(att, pair(att)).outerjoin(comp, pair(comp))
                         .outerjoin(les, pair(les)).outerjoin(due, pair(due)))
            .cte("cells"))


def completion_matrix(*, session: Session, department_id: int, module_ids: list[str],
                      today: date) -> list[MatrixCell]:
    """Every roster officer x module, ordered by officer name then the catalog's module order."""
    cells = _cells(department_id, module_ids, today)
    order = case({m: i for i, m in enumerate(module_ids)}, value=cells.c.module_id, else_=len(module_ids))
    rows = session.execute(select(cells).order_by(cells.c.officer_name, cells.c.officer_id, order))
    return [MatrixCell(*row) for row in rows]


def module_rates(*, session: Session, department_id: int, module_ids: list[str], today: date) -> list[ModuleRate]:
    """Per module: roster size and how many officers passed, are overdue, or are in progress."""
    cells = _cells(department_id, module_ids, today)

    def count(status: str) -> ColumnElement[int]:
        return func.coalesce(func.sum(case((cells.c.status == status, 1), else_=0)), 0)

    rows = session.execute(select(cells.c.module_id, func.count(), count("passed"), count("overdue"),
                                  count("in progress")).group_by(cells.c.module_id))
    by_id = {r[0]: ModuleRate(*r) for r in rows}
    return [by_id.get(m, ModuleRate(m, 0, 0, 0, 0)) for m in module_ids]


def overdue_list(*, session: Session, department_id: int, module_ids: list[str], today: date) -> list[MatrixCell]:
    """Cells that are overdue, earliest due date first."""
    cells = _cells(department_id, module_ids, today)
    rows = session.execute(select(cells).where(cells.c.status == "overdue")
                           .order_by(cells.c.due_date, cells.c.officer_name, cells.c.module_id))
    return [MatrixCell(*row) for row in rows]


def period_start(session: Session, column: ColumnElement[datetime], period: Period) -> ColumnElement[str]:
    """ISO date text of the UTC week (Monday) or month a timestamp falls in, on either backend."""
    if session.get_bind().dialect.name == "postgresql":
        utc = func.timezone("UTC", column)
        return func.to_char(func.date_trunc(period, utc), "YYYY-MM-DD")
    if period == "week":
        return func.date(column, "weekday 0", "-6 days")
    return func.strftime("%Y-%m-01", column)


def completion_trend(*, session: Session, department_id: int, module_ids: list[str],
                     period: Period = "month") -> list[TrendPoint]:
    """Completions by the department's current officers per week or month, with a running total."""
    bucket = period_start(session, completion.c.completed_at, period).label("bucket")
    per = (select(bucket, func.count().label("n"))
           .join(officer, officer.c.id == completion.c.officer_id)
           .where(officer.c.department_id == department_id, on_roster(), completion.c.module_id.in_(module_ids))
           .group_by(bucket).subquery("per"))
    running = func.sum(per.c.n).over(order_by=per.c.bucket)
    rows = session.execute(select(per.c.bucket, per.c.n, running).order_by(per.c.bucket))
    return [TrendPoint(str(b), int(n), int(c)) for b, n, c in rows]
