"""Training cycles: which pass of the training a record counts toward.

Rules a supervisor may ask about:
- Vermont officers train on fair and impartial policing in every odd-numbered year
  (20 V.S.A. § 2358(e)(3)), so the default cycle is the odd year ("2027"); a short label such
  as "2027-refresher" works too (the same rules as an assignment's cycle).
- An administrator opens a cycle with a due date. The newest cycle opened is the current one.
  Opening it carries every active assignment of the previous cycle into the new one with the
  new due date, so each assigned module is open again for a new pass.
- Attempt limits and retake waits count per cycle: a new cycle starts with fresh attempts.
  A module is "passed" in a cycle only by a completion recorded in that cycle. Earlier
  cycles' attempts and completions stay on record and stay visible.
- Until a first cycle is opened, figures count every completion, as before cycles existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from db.models import Assignment, TrainingCycle, utcnow
from training.administration.assignments import check_cycle
from training.audit import record_event
from training.errors import DuplicateRecord, InvalidInput
from training.identity.principal import Principal, require_role
from training.localtime import local_today


@dataclass(frozen=True)
class Cycle:
    label: str
    due_date: date
    opened_at: datetime


def current_cycle(session: Session) -> Cycle | None:
    """The newest cycle opened, or None while no cycle has been opened."""
    row = session.exec(select(TrainingCycle).order_by(col(TrainingCycle.id).desc()).limit(1)).first()
    return Cycle(row.label, row.due_date, row.opened_at) if row else None


_CYCLES = TrainingCycle.metadata.tables["training_cycle"]
# Built once: every quiz start and retake check reads it.
_CURRENT_LABEL = core_select(_CYCLES.c.label).order_by(_CYCLES.c.id.desc()).limit(1)


def current_cycle_label(session: Session) -> str | None:
    label: str | None = session.execute(_CURRENT_LABEL).scalar()
    return label


def list_cycles(session: Session) -> list[Cycle]:
    """Every cycle opened, newest first."""
    return [Cycle(r.label, r.due_date, r.opened_at)
            for r in session.exec(select(TrainingCycle).order_by(col(TrainingCycle.id).desc()))]


@dataclass(frozen=True)
class OpenedCycle:
    cycle: Cycle
    carried_assignments: int


def open_cycle(*, session: Session, actor: Principal, label: str, due_date: date,
               today: date | None = None, now: datetime | None = None) -> OpenedCycle:
    """Open a new cycle (it becomes current) and carry the previous cycle's active assignments into it."""
    require_role(actor, "admin")
    label = check_cycle(label)
    if due_date < (today or local_today()):
        raise InvalidInput("The due date is in the past.")
    if session.exec(select(TrainingCycle.id).where(TrainingCycle.label == label)).first() is not None:
        raise DuplicateRecord(f"Cycle {label} has already been opened.")
    previous = current_cycle_label(session)
    row = TrainingCycle(label=label, due_date=due_date, opened_at=now or utcnow(), opened_by=actor.officer_id)
    session.add(row)
    carried = 0
    if previous is not None:
        old = session.exec(select(Assignment).where(Assignment.cycle == previous, Assignment.active == True))  # noqa: E712
    else:  # the first cycle: every active assignment is the work to be done again
        old = session.exec(select(Assignment).where(Assignment.active == True, Assignment.cycle != label))  # noqa: E712
    seen = {(a.module_id, a.department_id, a.officer_id)  # already assigned for this cycle: keep as is
            for a in session.exec(select(Assignment).where(Assignment.cycle == label, Assignment.active == True))}  # noqa: E712
    for a in list(old):
        key = (a.module_id, a.department_id, a.officer_id)
        if key in seen:
            continue
        seen.add(key)
        session.add(Assignment(module_id=a.module_id, department_id=a.department_id, officer_id=a.officer_id,
                               due_date=due_date, cycle=label, created_by=actor.officer_id))
        carried += 1
    session.flush()
    record_event(session=session, action="cycle.open", actor_id=actor.officer_id, target_type="cycle",
                 target_id=label, due_date=due_date.isoformat(), previous=previous, carried_assignments=carried)
    return OpenedCycle(Cycle(row.label, row.due_date, row.opened_at), carried)
