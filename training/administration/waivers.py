"""Waivers: an officer excused from one module, or from a whole cycle, for a stated reason.

Rules a supervisor may ask about:
- An administrator records a waiver for any officer; a supervisor only for an officer of
  their own department (checked here, whatever the page offers). The approver is whoever
  records it.
- A waiver names the officer, the cycle, one module or the whole cycle, a reason from a
  fixed list, a note, and the period it covers (from a start date, optionally to an end date).
- While a waiver is in force, the waived work is shown and counted as "waived": never as
  passed, and never as overdue. After its end date the work is due again.
- Waivers are never changed or deleted: revoking one is a new row naming it. Both are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from db.models import Department, Officer, Waiver
from training.administration.assignments import check_cycle
from training.audit import record_event
from training.content import Catalog
from training.errors import InvalidInput, NotAllowed, NotFound
from training.identity.principal import Principal, require_role
from training.localtime import local_today

REASONS = ("leave", "military service", "light duty", "medical", "other")
NOTE_MAX = 500


def _officer_for(session: Session, actor: Principal, officer_id: int) -> Officer:
    require_role(actor, "supervisor", "admin")
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise NotFound("No such officer.")
    if not actor.is_admin and (officer.department_id is None or officer.department_id != actor.department_id):
        raise NotAllowed("Supervisors can only record waivers for officers of their own department.")
    return officer


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(f"The note is longer than {NOTE_MAX} characters.")
    if any(ord(c) < 32 and c not in "\n\t" for c in note):
        raise InvalidInput("The note contains control characters.")
    return note


def grant_waiver(*, session: Session, actor: Principal, catalog: Catalog, officer_id: int, module_id: str | None,
                 cycle: str, reason: str, note: str, starts_on: date, ends_on: date | None = None) -> Waiver:
    """Record a waiver; module_id None waives the whole cycle."""
    officer = _officer_for(session, actor, officer_id)
    if officer_id == actor.officer_id:  # an excuse from required training needs someone else's approval
        raise NotAllowed("You cannot waive your own training: ask another supervisor or an administrator.")
    if module_id is not None and module_id not in catalog.modules:
        raise NotFound(f"No module '{module_id}' in the catalog.")
    if reason not in REASONS:
        raise InvalidInput(f"Choose a reason from: {', '.join(REASONS)}.")
    if ends_on is not None and ends_on < starts_on:
        raise InvalidInput("The waiver ends before it starts.")
    w = Waiver(officer_id=officer_id, department_id=officer.department_id, module_id=module_id,
               cycle=check_cycle(cycle), reason=reason, note=_clean_note(note), starts_on=starts_on,
               ends_on=ends_on, approved_by=actor.officer_id)
    session.add(w)
    session.flush()
    record_event(session=session, action="waiver.grant", actor_id=actor.officer_id, target_type="waiver",
                 target_id=w.id, department_id=officer.department_id, officer_id=officer_id, module_id=module_id,
                 cycle=w.cycle, reason=reason, starts_on=starts_on.isoformat(),
                 ends_on=ends_on.isoformat() if ends_on else None)
    return w


def revoke_waiver(*, session: Session, actor: Principal, waiver_id: int, note: str = "",
                  today: date | None = None) -> Waiver:
    """Revoke a waiver from today on: a new row naming it (the waiver itself is never changed)."""
    original = session.get(Waiver, waiver_id)
    if original is None or original.revokes_id is not None:
        raise NotFound("No such waiver.")
    _officer_for(session, actor, original.officer_id)
    if session.exec(select(Waiver.id).where(Waiver.revokes_id == waiver_id)).first() is not None:
        raise InvalidInput("This waiver has already been revoked.")
    w = Waiver(officer_id=original.officer_id, department_id=original.department_id, module_id=original.module_id,
               cycle=original.cycle, reason=original.reason, note=_clean_note(note),
               starts_on=today or local_today(), approved_by=actor.officer_id, revokes_id=waiver_id)
    session.add(w)
    session.flush()
    record_event(session=session, action="waiver.revoke", actor_id=actor.officer_id, target_type="waiver",
                 target_id=waiver_id, department_id=original.department_id, officer_id=original.officer_id,
                 revocation_id=w.id)
    return w


@dataclass(frozen=True)
class WaiverView:
    id: int
    officer_id: int
    officer_name: str
    badge_number: str
    module_id: str | None
    cycle: str
    reason: str
    note: str
    starts_on: date
    ends_on: date | None
    approved_by: str
    created_at: datetime
    revoked: bool


def list_waivers(*, session: Session, actor: Principal, department_id: int | None = None,
                 limit: int = 500) -> list[WaiverView]:
    """Waivers, newest first: a supervisor's own department, or (administrators) one or all."""
    require_role(actor, "supervisor", "admin")
    if not actor.is_admin:
        department_id = actor.department_id
        if department_id is None:
            raise NotAllowed("You have no department.")
    elif department_id is not None and session.get(Department, department_id) is None:
        raise NotFound("No such department.")
    q = select(Waiver, Officer).join(Officer, col(Officer.id) == Waiver.officer_id).where(
        col(Waiver.revokes_id).is_(None))
    if department_id is not None:
        q = q.where(Officer.department_id == department_id)
    rows = list(session.exec(q.order_by(col(Waiver.id).desc()).limit(limit)))
    revoked = set(session.exec(select(Waiver.revokes_id).where(
        col(Waiver.revokes_id).in_([w.id for w, _ in rows]))))
    approvers = {o.id: o.name for o in session.exec(select(Officer).where(
        col(Officer.id).in_({w.approved_by for w, _ in rows})))}
    return [WaiverView(w.id or 0, w.officer_id, o.name, o.badge_number, w.module_id, w.cycle, w.reason, w.note,
                       w.starts_on, w.ends_on, approvers.get(w.approved_by, "?"), w.created_at, w.id in revoked)
            for w, o in rows]
