"""One officer's record: the roster to pick from, attempts, and every answer as it was shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from db.queries.tables import answer, attempt, officer, on_roster, question_version


@dataclass(frozen=True)
class RosterEntry:
    officer_id: int
    name: str
    badge_number: str
    role: str


@dataclass(frozen=True)
class AttemptRow:
    attempt_id: int
    quiz_id: str
    module_id: str | None
    attempt_number: int
    status: str
    started_at: datetime
    submitted_at: datetime | None
    score: float | None
    passed: bool | None


@dataclass(frozen=True)
class AnswerRow:
    attempt_id: int
    position: int
    question_id: str
    question_hash: str
    option_order: str  # JSON list of option ids, in the order shown
    chosen: str  # JSON list of option ids
    credit: float
    correct: bool
    version_content: str | None  # JSON of the exact question version (question_version.content)


def department_roster(*, session: Session, department_id: int) -> list[RosterEntry]:
    rows = session.execute(select(officer.c.id, officer.c.name, officer.c.badge_number, officer.c.role)
                           .where(officer.c.department_id == department_id, on_roster())
                           .order_by(officer.c.name, officer.c.id))
    return [RosterEntry(*r) for r in rows]


def officer_department(*, session: Session, officer_id: int) -> int | None:
    """The officer's current department (None for administrators or an unknown id)."""
    return session.execute(select(officer.c.department_id).where(officer.c.id == officer_id)).scalar()


def officer_attempts(*, session: Session, officer_id: int, made_in: int | None = None) -> list[AttemptRow]:
    """Every attempt, newest first (only those made while in department made_in, when given)."""
    a = attempt.c
    query = select(a.id, a.quiz_id, a.module_id, a.attempt_number, a.status, a.started_at, a.submitted_at, a.score,
                   a.passed).where(a.officer_id == officer_id)
    if made_in is not None:
        query = query.where(a.department_id == made_in)
    rows = session.execute(query.order_by(a.started_at.desc(), a.id.desc()))
    return [AttemptRow(*r) for r in rows]


def officer_answers(*, session: Session, officer_id: int, attempt_id: int,
                    made_in: int | None = None) -> list[AnswerRow]:
    """The graded answers of one of this officer's attempts, with the exact question version."""
    query = (select(answer.c.attempt_id, answer.c.position, answer.c.question_id, answer.c.question_hash,
                    answer.c.option_order, answer.c.chosen, answer.c.credit, answer.c.correct,
                    question_version.c.content)
             .join(attempt, attempt.c.id == answer.c.attempt_id)
             .outerjoin(question_version, question_version.c.question_hash == answer.c.question_hash)
             .where(answer.c.attempt_id == attempt_id, attempt.c.officer_id == officer_id))
    if made_in is not None:
        query = query.where(attempt.c.department_id == made_in)
    rows = session.execute(query.order_by(answer.c.position))
    return [AnswerRow(*r) for r in rows]
