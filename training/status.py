"""The one rule for a module's status, used by the trainee's "My training" page
(training/progress.py) and by the supervisor and administrator dashboards (training/oversight.py).

Rules a supervisor may ask about (within the chosen training cycle, by default the current
one; before any cycle was opened every record counts):
- passed: the module's quiz has been passed in the cycle (a completion exists);
- waived: not passed, the module is assigned, and a waiver for the module or the whole cycle
  is in force today (a waiver of the cycle; before any cycle was opened, of any cycle);
- overdue: not passed, not waived, and the due date of the assignment that sets it (the
  earliest active assignment to the officer or their department) has gone by;
- in progress: a quiz attempt made in the cycle, or a lesson read;
- not started: none of the above.
The trainee's own page also shows "re-certify" for a pass whose content changed since
(training/administration/recert.py); supervisors see those on the re-certify list and the
module still counts as passed. Only assigned modules count toward completion rates.

The facts (lessons read, attempts, best score, completions) come from module_status, a cache
the database keeps in the same transaction as each record (migration 0015_module_status);
"overdue" and "waived" depend on today and are worked out here, at read time.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from sqlmodel import Session

from db.queries.dashboard import DepartmentFacts, Facts, MatrixCell, ModuleRate, Overview, department_facts, earlier

PASSED, WAIVED, OVERDUE, IN_PROGRESS, NOT_STARTED = "passed", "waived", "overdue", "in progress", "not started"
STATUSES = (PASSED, WAIVED, OVERDUE, IN_PROGRESS, NOT_STARTED)
NOTHING = Facts(0, 0, None, None, None)


def status_of(facts: Facts, *, due_date: date | None, waived: bool, today: date) -> str:
    """The status of one officer's module from its facts, its due date (None: not assigned) and
    whether a waiver covers it today."""
    if facts.passed_at is not None:
        return PASSED
    if due_date is not None:
        if waived:
            return WAIVED
        if due_date < today:
            return OVERDUE
    if facts.lessons_read > 0 or facts.attempts > 0:
        return IN_PROGRESS
    return NOT_STARTED


def overview_of(data: DepartmentFacts, module_ids: list[str], today: date) -> Overview:
    """The matrix (roster order, then module order), each module's counts over assigned cells, and
    the overdue list (earliest due date first), all by status_of.

    Thousands of officers times the modules: a cell with nothing recorded, no assignment of the
    officer's own and no waiver takes its module's common cell (worked out once per module by
    status_of), so status_of runs only where an officer's facts differ, and only those cells are
    counted one by one (a module's common cells are the roster less its other cells)."""
    make = partial(tuple.__new__, MatrixCell)  # MatrixCell._make without its Python-level length check
    facts, own, dept, waivers = data.facts, data.own_due, data.department_due, data.waived
    commons = []  # per module: (module, status, due date, cycle, assigned, overdue) of a cell with nothing recorded
    for m in module_ids:
        due = dept.get(m)
        due_date = due.due_date if due is not None else None
        status = status_of(NOTHING, due_date=due_date, waived=False, today=today)
        commons.append((m, status, due_date, due.cycle if due is not None else None, due is not None,
                        status == OVERDUE))
    tally: dict[tuple[str, str], int] = {}  # (module, status) -> assigned cells other than common ones
    others = dict.fromkeys(module_ids, 0)  # module -> cells other than common ones
    matrix: list[MatrixCell] = []
    overdue: list[MatrixCell] = []
    append, late = matrix.append, overdue.append
    for officer_id, name, badge in data.roster:
        mine, own_dues, waived = facts.get(officer_id), own.get(officer_id), waivers.get(officer_id)
        for m, status, due_date, cycle, assigned, is_late in commons:
            f = mine.get(m) if mine is not None else None
            if f is None and own_dues is None and waived is None:  # the module's common cell
                cell = make((officer_id, name, badge, m, status, None, None, 0, due_date, cycle, assigned))
                append(cell)
                if is_late:
                    late(cell)
                continue
            f = f or NOTHING
            due = earlier(dept.get(m), own_dues.get(m)) if own_dues is not None else dept.get(m)
            own_assigned = due is not None
            own_date = due.due_date if due is not None else None
            is_waived = own_assigned and waived is not None and (None in waived or m in waived)
            own_status = status_of(f, due_date=own_date, waived=is_waived, today=today)
            cell = make((officer_id, name, badge, m, own_status, f.passed_at, f.best_score, f.attempts, own_date,
                         due.cycle if due is not None else None, own_assigned))
            append(cell)
            if own_status == OVERDUE:
                late(cell)
            others[m] += 1
            if own_assigned:
                tally[m, own_status] = tally.get((m, own_status), 0) + 1
    officers = len(data.roster)
    for m, status, _, _, assigned, _ in commons:
        if assigned and officers > others[m]:
            tally[m, status] = tally.get((m, status), 0) + officers - others[m]
    rates = [ModuleRate(m, officers, tally.get((m, PASSED), 0), tally.get((m, OVERDUE), 0),
                        tally.get((m, IN_PROGRESS), 0), sum(tally.get((m, st), 0) for st in STATUSES),
                        tally.get((m, WAIVED), 0)) for m in module_ids]
    overdue.sort(key=lambda c: (c.due_date or date.max, c.officer_name, c.officer_id, c.module_id))
    return Overview(matrix, rates, overdue)


def department_overview(*, session: Session, department_id: int, module_ids: list[str], today: date,
                        cycle: str | None = None, from_records: bool = False) -> Overview:
    """A department's matrix, rates and overdue list in the cycle (None: every record, before cycles).
    from_records: facts from the records, not the module_status cache (the evidence pack)."""
    data = department_facts(session=session, department_id=department_id, today=today, cycle=cycle,
                            from_records=from_records)
    return overview_of(data, module_ids, today)
