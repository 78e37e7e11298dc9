"""A department's adopted wording for each policy point, with its full history.

Rules a supervisor may ask about:
- Administrators enter, change or clear (an empty text) a department's adopted wording for
  a policy point. Every entry is kept with who entered it and when; nothing is overwritten.
- The department's officers see it, as plain text, beside the model summary in the lessons.
- Entering or changing it is a content change for that department's officers only: those
  who completed an affected module in the current cycle before the change must re-certify.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from db.models import AdoptedWording, Department, Officer
from training.administration.releases import utc_naive
from training.audit import record_event
from training.content import Catalog
from training.errors import InvalidInput, NotFound
from training.identity.principal import Principal, require_role

WORDING_MAX = 4000


@dataclass(frozen=True)
class Wording:
    policy_point_id: str
    text: str
    entered_by: str
    entered_at: datetime


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if len(text) > WORDING_MAX:
        raise InvalidInput(f"The adopted wording is longer than {WORDING_MAX:,} characters.")
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        raise InvalidInput("The adopted wording contains control characters.")
    return text


def set_adopted_wording(*, session: Session, actor: Principal, catalog: Catalog, department_id: int,
                        policy_point_id: str, text: str) -> AdoptedWording:
    """Record a department's adopted text for a point (empty: back to the model wording)."""
    require_role(actor, "admin")
    if policy_point_id not in catalog.policy_points:
        raise NotFound(f"No policy point '{policy_point_id}'.")
    dept = session.get(Department, department_id)
    if dept is None:
        raise NotFound("No such department.")
    text = _check_text(text)
    current = wording_in_force(session=session, department_id=department_id).get(policy_point_id)
    if (current.text if current else "") == text:
        raise InvalidInput("That is already the department's adopted wording.")
    row = AdoptedWording(department_id=department_id, policy_point_id=policy_point_id, text=text,
                         entered_by=actor.officer_id)
    session.add(row)
    session.flush()
    record_event(session=session, action="wording.adopt", actor_id=actor.officer_id, target_type="policy_point",
                 target_id=policy_point_id, department_id=department_id, cleared=not text, characters=len(text))
    return row


def _rows(session: Session, department_id: int, policy_point_id: str | None = None) -> list[Wording]:
    q = (select(AdoptedWording, Officer).join(Officer, col(Officer.id) == AdoptedWording.entered_by, isouter=True)
         .where(AdoptedWording.department_id == department_id))
    if policy_point_id is not None:
        q = q.where(AdoptedWording.policy_point_id == policy_point_id)
    return [Wording(w.policy_point_id, w.text, o.name if o else "?", utc_naive(w.entered_at))
            for w, o in session.exec(q.order_by(col(AdoptedWording.id)))]


def wording_in_force(*, session: Session, department_id: int | None) -> dict[str, Wording]:
    """Point id -> the department's latest entry (its text may be empty: cleared)."""
    if department_id is None:
        return {}
    return {w.policy_point_id: w for w in _rows(session, department_id)}


def wording_history(*, session: Session, actor: Principal, department_id: int,
                    policy_point_id: str) -> list[Wording]:
    """Every entry for one point in one department, newest first."""
    require_role(actor, "admin")
    return list(reversed(_rows(session, department_id, policy_point_id)))


def wording_as_of(session: Session, department_id: int, policy_point_id: str, moment: datetime) -> str:
    """The department's adopted text for a point at a moment ('' if none)."""
    text = ""
    for w in _rows(session, department_id, policy_point_id):
        if w.entered_at <= utc_naive(moment):
            text = w.text
    return text
