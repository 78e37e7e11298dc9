"""An officer's own quiz attempts, for My records: scoped to the principal asking.

Rules a supervisor may ask about:
- Every officer sees all of their own attempts, open and submitted, newest first, with the
  score and result recorded at submission. Nobody reads another officer's attempts here;
  supervisors do that through training/oversight.py, which checks the department.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from db.models import Attempt
from training.identity.principal import Principal


@dataclass(frozen=True)
class AttemptRow:
    id: int
    quiz_id: str
    attempt_number: int
    status: str
    started_at: datetime
    submitted_at: datetime | None
    score: float | None
    passed: bool | None


def my_attempts(*, session: Session, actor: Principal) -> list[AttemptRow]:
    """The acting officer's attempts, newest first."""
    rows = session.exec(select(Attempt).where(Attempt.officer_id == actor.officer_id)
                        .order_by(col(Attempt.id).desc()))
    return [AttemptRow(a.id or 0, a.quiz_id, a.attempt_number, a.status, a.started_at, a.submitted_at, a.score,
                       a.passed) for a in rows]
