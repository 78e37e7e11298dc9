"""A department's completion matrix, rates per module, overdue list and completion trend.

The facts come from module_status (a derived cache kept by triggers, migration
0015_module_status), assignments and waivers; the status rule itself lives in one place,
training/status.py, which builds the matrix, rates and overdue list from these facts.
Assignments count when made to the department or to the officer. Given a cycle, only that
cycle's assignments, attempts, completions and waivers count (none given: all of them, as
before cycles existed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache, partial
from typing import Any, Literal, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    literal,
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
    module_status,
    officer,
    on_roster,
    waiver,
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


@dataclass(frozen=True)
class Overview:
    matrix: list[MatrixCell]  # by officer name, then the catalog's module order
    rates: list[ModuleRate]  # in the catalog's module order
    overdue: list[MatrixCell]  # earliest due date first


class Due(NamedTuple):
    due_date: date
    cycle: str
    assignment_id: int


def earlier(a: Due | None, b: Due | None) -> Due | None:
    """The assignment that sets the due date: the earliest due date, then the first made."""
    if a is None:
        return b
    if b is None:
        return a
    return a if (a.due_date, a.assignment_id) <= (b.due_date, b.assignment_id) else b


class Facts(NamedTuple):
    """One officer's durable facts on one module from module_status (a derived cache, not evidence)."""

    lessons_read: int
    attempts: int
    best_score: float | None
    passed_at: datetime | None  # the first completion counted
    completed_at: datetime | None  # the latest completion counted (the trainee's view; None in department_facts)


@dataclass(frozen=True)
class DepartmentFacts:
    """Everything the status rule needs for a department, read without touching attempts or answers.

    Grouped by officer (the matrix is built officer by officer): an officer absent from facts has
    nothing recorded, from own_due no assignment of their own, from waived no waiver in force."""

    roster: list[tuple[int, str, str]]  # (officer id, name, badge) by name, then id
    facts: dict[int, dict[str, Facts]]  # officer id -> module id -> facts; absent: nothing recorded
    department_due: dict[str, Due]  # module id -> the department's assignment that sets the due date
    own_due: dict[int, dict[str, Due]]  # officer id -> module id -> the officer's own such assignment
    waived: dict[int, set[str | None]]  # officer id -> module ids waived today (None: the whole cycle)


def _roster_ids(department_id: Any) -> Select[Any]:
    return select(officer.c.id).where(officer.c.department_id == department_id, on_roster())


def facts_statement(officer_ids: Any, cycle: Any | None, *, latest: bool = True) -> Select[Any]:
    """(officer id, module id, facts...) summed over module_status rows: the given cycle's rows plus the
    cycle-less '' row (lessons read); every row when no cycle is given (before any cycle was opened).
    latest=False leaves out the latest completion time (the matrix shows the first): thousands fewer
    timestamps to parse for a large department."""
    if cycle is None:
        counted: ColumnElement[bool] = true()
        where: list[ColumnElement[bool]] = []
    else:
        counted = module_status.c.cycle == cycle
        where = [module_status.c.cycle.in_([literal("", String), cycle])]

    def only(column: Any) -> Any:
        return column if cycle is None else case((counted, column))

    return (select(module_status.c.officer_id, module_status.c.module_id,
                   func.sum(module_status.c.lessons_read),
                   func.sum(case((counted, module_status.c.attempts), else_=0)) if cycle is not None
                   else func.sum(module_status.c.attempts),
                   func.max(only(module_status.c.best_score)), func.min(only(module_status.c.passed_at)),
                   *([func.max(only(module_status.c.completed_at))] if latest else []))
            .where(module_status.c.officer_id.in_(officer_ids), *where)
            .group_by(module_status.c.officer_id, module_status.c.module_id))


def facts_from_records_statement(officer_ids: Any, cycle: Any | None) -> Select[Any]:
    """The same columns as facts_statement, worked out from the records themselves (lessons read,
    attempts, completions), not the cache: for the evidence pack, which must not rest on a cache, and
    for the tests that check the cache against a recomputation."""
    att_cycle = [] if cycle is None else [attempt.c.cycle == cycle]
    comp_cycle = [] if cycle is None else [completion.c.cycle == cycle]
    zero, none_f, none_t = literal(0, Integer), literal(None, Float), literal(None, completion.c.completed_at.type)
    parts = union_all(
        select(lesson_progress.c.officer_id, lesson_progress.c.module_id, func.count().label("lessons"),
               zero.label("attempts"), none_f.label("best"), none_t.label("first"), none_t.label("last"))
        .where(lesson_progress.c.officer_id.in_(officer_ids))
        .group_by(lesson_progress.c.officer_id, lesson_progress.c.module_id),
        select(attempt.c.officer_id, attempt.c.module_id, zero, func.count(), func.max(attempt.c.score),
               none_t, none_t)
        .where(attempt.c.officer_id.in_(officer_ids), attempt.c.module_id.is_not(None), *att_cycle)
        .group_by(attempt.c.officer_id, attempt.c.module_id),
        select(completion.c.officer_id, completion.c.module_id, zero, zero, none_f,
               func.min(completion.c.completed_at), func.max(completion.c.completed_at))
        .where(completion.c.officer_id.in_(officer_ids), *comp_cycle)
        .group_by(completion.c.officer_id, completion.c.module_id)).subquery("parts")
    return (select(parts.c.officer_id, parts.c.module_id, func.sum(parts.c.lessons), func.sum(parts.c.attempts),
                   func.max(parts.c.best), func.min(parts.c.first), func.max(parts.c.last))
            .group_by(parts.c.officer_id, parts.c.module_id))


def officer_facts(*, session: Session, officer_id: int, cycle: str | None) -> dict[str, Facts]:
    """module id -> one officer's facts (the trainee's own view)."""
    rows = session.execute(facts_statement([officer_id], cycle))
    return {r[1]: Facts(int(r[2] or 0), int(r[3] or 0), r[4], r[5], r[6]) for r in rows}


def _waivers(today: Any, cycle: Any | None, officer_ids: Any) -> Select[Any]:
    revoked = waiver.alias("revoked")
    cond = [waiver.c.officer_id.in_(officer_ids), waiver.c.revokes_id.is_(None), waiver.c.starts_on <= today,
            or_(waiver.c.ends_on.is_(None), waiver.c.ends_on >= today),
            ~select(revoked.c.id).where(revoked.c.revokes_id == waiver.c.id).exists()]
    if cycle is not None:
        cond.append(waiver.c.cycle == cycle)
    return select(waiver.c.officer_id, waiver.c.module_id).where(and_(*cond))


def waived_for(*, session: Session, officer_ids: list[int], today: date, cycle: str | None) -> set[tuple[int, str | None]]:
    """(officer id, module id or None) of waivers in force today, not revoked, in the cycle (any
    cycle before one was opened)."""
    return {(int(o), m) for o, m in session.execute(_waivers(today, cycle, officer_ids))}


@lru_cache(maxsize=8)
def _statements(by_cycle: bool, from_records: bool = False) -> tuple[Select[Any], ...]:
    """Built once; department, day and cycle are bound parameters, so the compiled SQL is reused."""
    d = bindparam("department_id", type_=Integer)
    cycle = bindparam("cycle", type_=String) if by_cycle else None
    ids = _roster_ids(d)
    in_cycle = [] if cycle is None else [assignment.c.cycle == cycle]
    roster = (select(officer.c.id, officer.c.name, officer.c.badge_number)
              .where(officer.c.department_id == d, on_roster()).order_by(officer.c.name, officer.c.id))
    to_dept = select(assignment.c.module_id, assignment.c.due_date, assignment.c.cycle, assignment.c.id).where(
        assignment.c.department_id == d, assignment.c.active.is_(True), *in_cycle)
    to_officer = select(assignment.c.officer_id, assignment.c.module_id, assignment.c.due_date, assignment.c.cycle,
                        assignment.c.id).where(assignment.c.officer_id.in_(ids), assignment.c.active.is_(True),
                                               *in_cycle)
    waived = _waivers(bindparam("today", type_=Date), cycle, ids)
    facts = facts_from_records_statement(ids, cycle) if from_records else facts_statement(ids, cycle, latest=False)
    return roster, facts, to_dept, to_officer, waived


def department_facts(*, session: Session, department_id: int, today: date, cycle: str | None = None,
                     from_records: bool = False) -> DepartmentFacts:
    """A department's roster with each officer's module_status facts, assignments and waivers in force.

    Reads module_status (a few rows per officer), never attempts or completions; the status rule
    itself is applied by the caller (training/status.py). from_records: the facts from attempts,
    completions and lessons read instead (slower; what the evidence pack uses)."""
    roster_q, facts_q, dept_q, own_q, waived_q = _statements(cycle is not None, from_records)
    params: dict[str, Any] = {"department_id": department_id, "today": today}
    if cycle is not None:
        params["cycle"] = cycle
    roster = [(int(i), n, b) for i, n, b in session.execute(roster_q, params).all()]
    facts: dict[int, dict[str, Facts]] = {}
    make = partial(tuple.__new__, Facts)  # Facts._make without its Python-level length check: thousands of rows
    # .all(): one fetchall, not a fetchone per row (psycopg's fetchone is Python, ~2 us a row)
    for r in session.execute(facts_q, params).all():  # from the records: a 7th column, the latest completion
        mine = facts.get(r[0])
        if mine is None:
            mine = facts[r[0]] = {}
        mine[r[1]] = make((int(r[2]), int(r[3]), r[4], r[5], None))  # the latest completion is not shown
    department_due: dict[str, Due] = {}
    for m, due, cyc, aid in session.execute(dept_q, params).all():
        department_due[m] = earlier(department_due.get(m), Due(due, cyc, aid))  # type: ignore[assignment]
    own_due: dict[int, dict[str, Due]] = {}
    for o, m, due, cyc, aid in session.execute(own_q, params).all():
        own = own_due.setdefault(int(o), {})
        own[m] = earlier(own.get(m), Due(due, cyc, aid))  # type: ignore[assignment]
    waived: dict[int, set[str | None]] = {}
    for o, m in session.execute(waived_q, params).all():
        waived.setdefault(int(o), set()).add(m)
    return DepartmentFacts(roster, facts, department_due, own_due, waived)


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
    return [TrendPoint(str(b), int(n), int(c)) for b, n, c in rows.all()]
