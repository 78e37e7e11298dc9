"""The audit log, read one page at a time, newest first, with filters (who, what, when, where).

Paging is by keyset (id below the last one shown), so page 500 costs what page 1 costs and
the table is never loaded whole. Only administrators reach this, through training/audit_log.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from db.models import AuditEvent, Department, Officer

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # email or badge number of who acted; "" for anyone
    action: str = ""  # exact action, or a prefix ending in "." such as "account."
    since: date | None = None  # inclusive, days in zone
    until: date | None = None  # inclusive
    department_id: int | None = None
    zone: tzinfo = timezone.utc  # whose days since/until are: the service passes the agency's zone


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str  # "Name (badge)" or "" for the system / an anonymous sign-in attempt
    action: str
    target_type: str | None
    target_id: str | None
    department: str
    detail: str


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    next_before_id: int | None  # pass as before_id for the next (older) page; None on the last page


def _day(d: date, zone: tzinfo) -> datetime:
    """The UTC moment a day starts in zone."""
    return datetime.combine(d, time.min, tzinfo=zone).astimezone(timezone.utc)


def audit_page(*, session: Session, where: AuditFilter, before_id: int | None = None,
               page_size: int = PAGE_SIZE) -> AuditPage:
    """One page of events matching where, newest first, older than before_id."""
    q = (select(AuditEvent, Officer, Department)
         .join(Officer, col(Officer.id) == AuditEvent.actor_id, isouter=True)
         .join(Department, col(Department.id) == AuditEvent.department_id, isouter=True))
    if where.actor.strip():
        who = where.actor.strip()
        q = q.where(col(AuditEvent.actor_id).in_(select(Officer.id).where(
            or_(func.lower(Officer.email) == who.lower(), col(Officer.badge_number) == who))))
    if where.action.endswith("."):
        q = q.where(col(AuditEvent.action).startswith(where.action))
    elif where.action:
        q = q.where(AuditEvent.action == where.action)
    if where.since is not None:
        q = q.where(col(AuditEvent.at) >= _day(where.since, where.zone))
    if where.until is not None:
        q = q.where(col(AuditEvent.at) < _day(where.until + timedelta(days=1), where.zone))
    if where.department_id is not None:
        q = q.where(AuditEvent.department_id == where.department_id)
    if before_id is not None:
        q = q.where(col(AuditEvent.id) < before_id)
    found = list(session.exec(q.order_by(col(AuditEvent.id).desc()).limit(page_size + 1)))
    rows = tuple(AuditRow(e.id or 0, e.at, f"{o.name} ({o.badge_number})" if o else "", e.action, e.target_type,
                          e.target_id, d.name if d else "", e.detail) for e, o, d in found[:page_size])
    return AuditPage(rows, rows[-1].id if len(found) > page_size else None)


def audit_actions(*, session: Session) -> list[str]:
    """Every action that has been recorded, for the filter list."""
    return list(session.exec(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
