"""A department's completion matrix, rates per module, overdue list and completion trend.

Status follows training/progress.py exactly: passed (a completion exists), waived (not
passed and a waiver is in force), overdue (not passed, not waived, and the earliest active
assignment's due date has gone by), in progress (a lesson read or an attempt made),
otherwise not started. Assignments count when made to the department or to the officer.
Given a cycle, only that cycle's assignments, attempts and completions count (none given:
all of them, as before cycles existed). Rates count assigned cells only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    Date,
    Integer,
    Over,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    or_,
    select,
    true,
    union_all,
)
from sqlmodel import Session

from db.queries.tables import (
    assignment,
    attempt,
    completion,
    lesson_progress,
    modules_cte,
    officer,
    on_roster,
    waiver,
    waivers_in_force,
)

Period = Literal["week", "month"]


class MatrixCell(NamedTuple):  # a NamedTuple: thousands per page, built straight from result rows
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
    assigned: bool = True  # an active assignment covers the cell (only assigned cells count in rates)


@dataclass(frozen=True)
class ModuleRate:
    """A module's figures over the officers it is assigned to (officers: the whole roster)."""

    module_id: str
    officers: int
    passed: int
    overdue: int
    in_progress: int
    assigned: int = 0
    waived: int = 0

    @property
    def completion_rate(self) -> float:
        """Passed over assigned, leaving out the waived (who are neither passed nor due)."""
        due = self.assigned - self.waived
        return self.passed / due if due > 0 else 0.0


class TrendPoint(NamedTuple):
    period_start: str  # ISO date of the week's Monday or the month's first day
    completions: int
    cumulative: int


def _cells(department_id: BindParameter[int], module_ids: list[str], today: BindParameter[date],
           cycle: BindParameter[str] | None) -> CTE:
    """One row per roster officer x module with everything the status rules need.

    Per-officer figures are reached with `officer_id IN (roster)`, which both planners turn into
    index lookups for just this department's officers (a join let SQLite scan every attempt)."""
    roster = select(officer.c.id, officer.c.name, officer.c.badge_number).where(
        officer.c.department_id == department_id, on_roster()).cte("roster")
    mods = modules_cte(module_ids)
    in_cycle_att = [] if cycle is None else [attempt.c.cycle == cycle]
    in_cycle_comp = [] if cycle is None else [completion.c.cycle == cycle]
    in_cycle_asg = [] if cycle is None else [assignment.c.cycle == cycle]
    att = (select(attempt.c.officer_id, attempt.c.module_id, func.count().label("n"),
                  func.max(attempt.c.score).label("best"))
           .where(attempt.c.officer_id.in_(select(roster.c.id)), *in_cycle_att)
           .group_by(attempt.c.officer_id, attempt.c.module_id).cte("att"))
    comp = (select(completion.c.officer_id, completion.c.module_id,
                   func.min(completion.c.completed_at).label("completed_at"))
            .where(completion.c.officer_id.in_(select(roster.c.id)), *in_cycle_comp)
            .group_by(completion.c.officer_id, completion.c.module_id).cte("comp"))
    waived = waivers_in_force(today, cycle).where(waiver.c.officer_id.in_(select(roster.c.id))).cte("waived")
    les = (select(lesson_progress.c.officer_id, lesson_progress.c.module_id, func.count().label("n"))
           .where(lesson_progress.c.officer_id.in_(select(roster.c.id)))
           .group_by(lesson_progress.c.officer_id, lesson_progress.c.module_id).cte("les"))
    to_dept = (select(roster.c.id.label("officer_id"), assignment.c.id.label("aid"), assignment.c.module_id,
                      assignment.c.due_date, assignment.c.cycle)
               .join(assignment, true())
               .where(assignment.c.department_id == department_id, assignment.c.active.is_(True), *in_cycle_asg))
    to_officer = (select(assignment.c.officer_id, assignment.c.id.label("aid"), assignment.c.module_id,
                         assignment.c.due_date, assignment.c.cycle)
                  .join(roster, roster.c.id == assignment.c.officer_id)
                  .where(assignment.c.active.is_(True), *in_cycle_asg))
    both = union_all(to_dept, to_officer).subquery("both_asg")
    ranked = select(both, func.row_number().over(
        partition_by=(both.c.officer_id, both.c.module_id),
        order_by=(both.c.due_date, both.c.aid)).label("rn")).subquery("ranked")
    due = select(ranked.c.officer_id, ranked.c.module_id, ranked.c.due_date, ranked.c.cycle).where(
        ranked.c.rn == 1).cte("due")

    def pair(t: CTE) -> ColumnElement[bool]:
        return and_(t.c.officer_id == roster.c.id, t.c.module_id == mods.c.module_id)

    is_waived = select(waived.c.officer_id).where(
        waived.c.officer_id == roster.c.id,
        or_(waived.c.module_id == mods.c.module_id, waived.c.module_id.is_(None))).exists()
    status = case(
        (comp.c.completed_at.is_not(None), "passed"),
        (and_(due.c.due_date.is_not(None), is_waived), "waived"),
        (due.c.due_date < today, "overdue"),
        (or_(les.c.n > 0, att.c.n > 0), "in progress"),
        else_="not started")
    return (select(roster.c.id.label("officer_id"), roster.c.name.label("officer_name"), roster.c.badge_number,
                   mods.c.module_id, status.label("status"), comp.c.completed_at, att.c.best.label("best_score"),
                   func.coalesce(att.c.n, 0).label("attempts"), due.c.due_date, due.c.cycle,
                   due.c.due_date.is_not(None).label("assigned"))
            .select_from(roster.join(mods, true()).outerjoin(att, pair(att)).outerjoin(comp, pair(comp))
                         .outerjoin(les, pair(les)).outerjoin(due, pair(due)))
            .cte("cells"))


@dataclass(frozen=True)
class Overview:
    matrix: list[MatrixCell]  # by officer name, then the catalog's module order
    rates: list[ModuleRate]  # in the catalog's module order
    overdue: list[MatrixCell]  # earliest due date first


@lru_cache(maxsize=32)
def _overview_statement(module_ids: tuple[str, ...], by_cycle: bool) -> Select[Any]:
    """Built once per module list; department, day and cycle are bound parameters, so the compiled SQL is reused."""
    cells = _cells(bindparam("department_id", type_=Integer), list(module_ids), bindparam("today", type_=Date),
                   bindparam("cycle", type_=String) if by_cycle else None)

    def count(status: str | None) -> Over[Any]:
        hit = cells.c.assigned if status is None else and_(cells.c.assigned, cells.c.status == status)
        return func.sum(case((hit, 1), else_=0)).over(partition_by=cells.c.module_id)

    order = case({m: i for i, m in enumerate(module_ids)}, value=cells.c.module_id, else_=len(module_ids))
    return (select(cells, func.count().over(partition_by=cells.c.module_id), count("passed"), count("overdue"),
                   count("in progress"), count(None), count("waived"))
            .order_by(cells.c.officer_name, cells.c.officer_id, order))


def department_overview(*, session: Session, department_id: int, module_ids: list[str], today: date,
                        cycle: str | None = None) -> Overview:
    """The matrix, each module's counts (window aggregates over the same cells) and the overdue list,
    from one statement: the cells are worked out once, not once per figure."""
    params: dict[str, Any] = {"department_id": department_id, "today": today}
    if cycle is not None:
        params["cycle"] = cycle
    rows = session.execute(_overview_statement(tuple(module_ids), cycle is not None), params).all()
    matrix = [MatrixCell._make((*row[:10], bool(row[10]))) for row in rows]
    counts = {row[3]: row[11:] for row in rows}
    rates = [ModuleRate(m, *(int(n) for n in counts[m])) if m in counts else ModuleRate(m, 0, 0, 0, 0)
             for m in module_ids]
    overdue = sorted((c for c in matrix if c.status == "overdue"),
                     key=lambda c: (c.due_date or date.max, c.officer_name, c.officer_id, c.module_id))
    return Overview(matrix, rates, overdue)


def period_start(session: Session, column: ColumnElement[datetime], period: Period) -> ColumnElement[str]:
    """ISO date text of the UTC week (Monday) or month a timestamp falls in, on either backend."""
    if session.get_bind().dialect.name == "postgresql":
        utc = func.timezone("UTC", column)
        return func.to_char(func.date_trunc(period, utc), "YYYY-MM-DD")
    if period == "week":
        return func.date(column, "weekday 0", "-6 days")
    return func.strftime("%Y-%m-01", column)


def completion_trend(*, session: Session, department_id: int, module_ids: list[str],
                     period: Period = "month", cycle: str | None = None) -> list[TrendPoint]:
    """Completions by the department's current officers per week or month, with a running total."""
    bucket = period_start(session, completion.c.completed_at, period).label("bucket")
    in_cycle = [] if cycle is None else [completion.c.cycle == cycle]
    per = (select(bucket, func.count().label("n"))
           .join(officer, officer.c.id == completion.c.officer_id)
           .where(officer.c.department_id == department_id, on_roster(), completion.c.module_id.in_(module_ids),
                  *in_cycle)
           .group_by(bucket).subquery("per"))
    running = func.sum(per.c.n).over(order_by=per.c.bucket)
    rows = session.execute(select(per.c.bucket, per.c.n, running).order_by(per.c.bucket))
    return [TrendPoint(str(b), int(n), int(c)) for b, n, c in rows]
