"""Compliance per department and module, for the state training office.

The same status rules as the department matrix, computed without building every officer x
module cell: an officer is overdue on a module when some active assignment for it (to the
department or to the officer) is past due and the officer has not passed it. So

    overdue(d, m) = (officers(d) - passed(d, m))  if d has a past-due assignment for m
                  + officers with their own past-due assignment for m, not passed, when d has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import CTE, ColumnElement, Date, and_, case, exists, func, literal, select, true
from sqlmodel import Session

from db.queries.tables import assignment, completion, department, modules_cte, officer, on_roster


@dataclass(frozen=True)
class ComplianceRow:
    department_id: int
    department_name: str
    department_code: str
    module_id: str
    officers: int
    passed: int
    overdue: int


def _passed(*, postgresql: bool) -> CTE:
    """Officers on the roster who passed, per department and module: the one heavy part.

    PostgreSQL counts distinct (officer, module) pairs taken straight off the index, then joins
    the roster (COUNT(DISTINCT) there sorts every completion: twice as slow). SQLite walks the
    roster index into the completion index, where COUNT(DISTINCT) is the quicker of the two.
    """
    if not postgresql:
        return (select(officer.c.department_id, completion.c.module_id,
                       func.count(func.distinct(completion.c.officer_id)).label("n"))
                .join(officer, officer.c.id == completion.c.officer_id).where(on_roster())
                .group_by(officer.c.department_id, completion.c.module_id).cte("passed"))
    pairs = (select(completion.c.officer_id, completion.c.module_id)
             .group_by(completion.c.officer_id, completion.c.module_id).subquery("pairs"))
    return (select(officer.c.department_id, pairs.c.module_id, func.count().label("n"))
            .join(officer, officer.c.id == pairs.c.officer_id).where(on_roster())
            .group_by(officer.c.department_id, pairs.c.module_id).cte("passed"))


def compliance_by_department(*, session: Session, module_ids: list[str], today: date) -> list[ComplianceRow]:
    """One row per active department x module, ordered by department name then module id."""
    mods = modules_cte(module_ids)
    past_due = literal(today, Date)
    staff = (select(officer.c.department_id, func.count().label("n")).where(on_roster())
             .group_by(officer.c.department_id).cte("staff"))
    passed = _passed(postgresql=session.get_bind().dialect.name == "postgresql")
    dept_due = (select(assignment.c.department_id, assignment.c.module_id)
                .where(assignment.c.active.is_(True), assignment.c.department_id.is_not(None),
                       assignment.c.due_date < past_due).distinct().cte("dept_due"))
    has_passed = exists().where(completion.c.officer_id == assignment.c.officer_id,
                                completion.c.module_id == assignment.c.module_id)
    dept_covers = exists().where(dept_due.c.department_id == officer.c.department_id,
                                 dept_due.c.module_id == assignment.c.module_id)
    own_due = (select(officer.c.department_id, assignment.c.module_id,
                      func.count(func.distinct(assignment.c.officer_id)).label("n"))
               .join(officer, officer.c.id == assignment.c.officer_id)
               .where(assignment.c.active.is_(True), assignment.c.due_date < past_due, on_roster(),
                      ~has_passed, ~dept_covers)
               .group_by(officer.c.department_id, assignment.c.module_id).cte("own_due"))

    def pair(t: CTE) -> ColumnElement[bool]:
        return and_(t.c.department_id == department.c.id, t.c.module_id == mods.c.module_id)

    n_staff = func.coalesce(staff.c.n, 0)
    n_passed = func.coalesce(passed.c.n, 0)
    overdue = case((dept_due.c.module_id.is_not(None), n_staff - n_passed), else_=0) + func.coalesce(own_due.c.n, 0)
    stmt = (select(department.c.id, department.c.name, department.c.code, mods.c.module_id, n_staff, n_passed,
                   overdue)
            .select_from(department.join(mods, true())
                         .outerjoin(staff, staff.c.department_id == department.c.id)
                         .outerjoin(passed, pair(passed))
                         .outerjoin(dept_due, pair(dept_due))
                         .outerjoin(own_due, pair(own_due)))
            .where(department.c.active.is_(True))
            .order_by(department.c.name, mods.c.module_id))
    return [ComplianceRow(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), int(r[6])) for r in session.execute(stmt)]
