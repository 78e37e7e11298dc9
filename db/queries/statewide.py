"""Compliance per department and module, for the state training office.

The same status rules as the department matrix, computed without building every officer x
module cell: an officer is overdue on a module when some active assignment for it (to the
department or to the officer) is past due, the officer has not passed it and no waiver is in
force. Figures count assigned officers only. So, with waived(d, m) the officers of d with a
waiver in force for m who have it assigned and have not passed it,

    assigned(d, m) = officers(d)                   if d has an assignment for m
                   = officers with their own assignment for m, otherwise
    passed(d, m)   = the assigned officers who passed m
    overdue(d, m)  = (officers(d) - passed(d, m) - waived(d, m))  if d has a past-due assignment for m
                   + officers with their own past-due assignment for m, not passed, not waived, when d has none.

Given a cycle, only its assignments and completions count (and its waivers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import CTE, ColumnElement, Date, String, and_, case, exists, func, literal, or_, select, true
from sqlmodel import Session

from db.queries.tables import assignment, completion, department, modules_cte, officer, on_roster, waivers_in_force


@dataclass(frozen=True)
class ComplianceRow:
    department_id: int
    department_name: str
    department_code: str
    module_id: str
    officers: int
    passed: int
    overdue: int
    assigned: int = 0
    waived: int = 0


def _passed(*, postgresql: bool, in_cycle: list[ColumnElement[bool]]) -> CTE:
    """Officers on the roster who passed, per department and module: the one heavy part.

    PostgreSQL counts distinct (officer, module) pairs taken straight off the index, then joins
    the roster (COUNT(DISTINCT) there sorts every completion: twice as slow). SQLite walks the
    roster index into the completion index, where COUNT(DISTINCT) is the quicker of the two.
    """
    if not postgresql:
        return (select(officer.c.department_id, completion.c.module_id,
                       func.count(func.distinct(completion.c.officer_id)).label("n"))
                .join(officer, officer.c.id == completion.c.officer_id).where(on_roster(), *in_cycle)
                .group_by(officer.c.department_id, completion.c.module_id).cte("passed"))
    pairs = (select(completion.c.officer_id, completion.c.module_id).where(*in_cycle)
             .group_by(completion.c.officer_id, completion.c.module_id).subquery("pairs"))
    return (select(officer.c.department_id, pairs.c.module_id, func.count().label("n"))
            .join(officer, officer.c.id == pairs.c.officer_id).where(on_roster())
            .group_by(officer.c.department_id, pairs.c.module_id).cte("passed"))


def compliance_by_department(*, session: Session, module_ids: list[str], today: date,
                             cycle: str | None = None) -> list[ComplianceRow]:
    """One row per active department x module, ordered by department name then module id."""
    mods = modules_cte(module_ids)
    past_due = literal(today, Date)
    asg_cycle = [] if cycle is None else [assignment.c.cycle == cycle]
    comp_cycle = [] if cycle is None else [completion.c.cycle == cycle]
    staff = (select(officer.c.department_id, func.count().label("n")).where(on_roster())
             .group_by(officer.c.department_id).cte("staff"))
    passed = _passed(postgresql=session.get_bind().dialect.name == "postgresql", in_cycle=comp_cycle)
    dept_any = (select(assignment.c.department_id, assignment.c.module_id)
                .where(assignment.c.active.is_(True), assignment.c.department_id.is_not(None), *asg_cycle)
                .distinct().cte("dept_any"))
    dept_due = (select(assignment.c.department_id, assignment.c.module_id)
                .where(assignment.c.active.is_(True), assignment.c.department_id.is_not(None),
                       assignment.c.due_date < past_due, *asg_cycle).distinct().cte("dept_due"))
    w = waivers_in_force(past_due, None if cycle is None else literal(cycle, String)).subquery("w")

    def has_passed(officer_id: ColumnElement[int], module_id: ColumnElement[str]) -> ColumnElement[bool]:
        return exists().where(completion.c.officer_id == officer_id, completion.c.module_id == module_id, *comp_cycle)

    def is_waived(officer_id: ColumnElement[int], module_id: ColumnElement[str]) -> ColumnElement[bool]:
        return exists().where(w.c.officer_id == officer_id, or_(w.c.module_id == module_id, w.c.module_id.is_(None)))

    def dept_covers(t: CTE) -> ColumnElement[bool]:
        return exists().where(t.c.department_id == officer.c.department_id, t.c.module_id == assignment.c.module_id)

    own_rows = (select(officer.c.department_id, assignment.c.module_id, assignment.c.officer_id)
                .join(officer, officer.c.id == assignment.c.officer_id)
                .where(assignment.c.active.is_(True), on_roster(), ~dept_covers(dept_any), *asg_cycle))
    own = own_rows.subquery("own_rows")
    own_asg = (select(own.c.department_id, own.c.module_id, func.count(func.distinct(own.c.officer_id)).label("n"),
                      func.count(func.distinct(case((has_passed(own.c.officer_id, own.c.module_id),
                                                     own.c.officer_id)))).label("p"))
               .group_by(own.c.department_id, own.c.module_id).cte("own_asg"))
    own_due = (select(officer.c.department_id, assignment.c.module_id,
                      func.count(func.distinct(assignment.c.officer_id)).label("n"))
               .join(officer, officer.c.id == assignment.c.officer_id)
               .where(assignment.c.active.is_(True), assignment.c.due_date < past_due, on_roster(), *asg_cycle,
                      ~has_passed(assignment.c.officer_id, assignment.c.module_id), ~dept_covers(dept_due),
                      ~is_waived(assignment.c.officer_id, assignment.c.module_id))
               .group_by(officer.c.department_id, assignment.c.module_id).cte("own_due"))
    wmods = modules_cte(module_ids, "wmods")
    assigned_to = exists().where(assignment.c.active.is_(True), assignment.c.module_id == wmods.c.module_id,
                                 or_(assignment.c.department_id == officer.c.department_id,
                                     assignment.c.officer_id == w.c.officer_id), *asg_cycle)
    waived = (select(officer.c.department_id, wmods.c.module_id, func.count(func.distinct(w.c.officer_id)).label("n"))
              .select_from(w.join(officer, officer.c.id == w.c.officer_id)
                           .join(wmods, or_(w.c.module_id == wmods.c.module_id, w.c.module_id.is_(None))))
              .where(on_roster(), assigned_to, ~has_passed(w.c.officer_id, wmods.c.module_id))
              .group_by(officer.c.department_id, wmods.c.module_id).cte("waived"))

    def pair(t: CTE) -> ColumnElement[bool]:
        return and_(t.c.department_id == department.c.id, t.c.module_id == mods.c.module_id)

    n_staff = func.coalesce(staff.c.n, 0)
    n_passed = func.coalesce(passed.c.n, 0)
    n_waived = func.coalesce(waived.c.n, 0)
    whole = dept_any.c.module_id.is_not(None)
    assigned = case((whole, n_staff), else_=func.coalesce(own_asg.c.n, 0))
    passed_assigned = case((whole, n_passed), else_=func.coalesce(own_asg.c.p, 0))
    overdue = (case((dept_due.c.module_id.is_not(None), n_staff - n_passed - n_waived), else_=0)
               + func.coalesce(own_due.c.n, 0))
    stmt = (select(department.c.id, department.c.name, department.c.code, mods.c.module_id, n_staff,
                   passed_assigned, overdue, assigned, n_waived)
            .select_from(department.join(mods, true())
                         .outerjoin(staff, staff.c.department_id == department.c.id)
                         .outerjoin(passed, pair(passed))
                         .outerjoin(dept_any, pair(dept_any))
                         .outerjoin(dept_due, pair(dept_due))
                         .outerjoin(own_asg, pair(own_asg))
                         .outerjoin(own_due, pair(own_due))
                         .outerjoin(waived, pair(waived)))
            .where(department.c.active.is_(True))
            .order_by(department.c.name, mods.c.module_id))
    return [ComplianceRow(r[0], r[1], r[2], r[3], *(int(x) for x in r[4:])) for r in session.execute(stmt)]
