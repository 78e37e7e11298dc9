""""Was this officer trained on this before that date?": who had passed a module by a moment in time.

Rules an auditor may ask about:
- An officer counts as trained on module M as of D when they had a completion of M (of any
  version, or of the version hash asked for) dated before D. A date alone means the start of
  that day in the agency's time zone (FIPP_TIMEZONE), so training later on the day of an
  incident does not count.
- The earliest such completion is the evidence shown: its attempt (every question as shown
  and the answer given), its certificate, and the policy points that module version taught.
- Supervisors ask about their own department; administrators about any department or the
  whole state (scoped here, as in training/oversight.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlmodel import Session, col, select

from db.models import Completion, Department, ModuleVersion, Officer
from training.content import Catalog
from training.errors import InvalidInput, NotAllowed
from training.evidence.versions import TaughtPoint, taught_points
from training.identity.principal import Principal
from training.localtime import agency_zone
from training.oversight import department_in_scope

MAX_ROWS = 20_000


@dataclass(frozen=True)
class TrainedOfficer:
    officer_id: int
    name: str
    badge_number: str
    department: str
    completed_at: datetime
    module_version_hash: str
    score: float
    cycle: str
    completion_id: int
    attempt_id: int
    verification_code: str


@dataclass(frozen=True)
class AsOfAnswer:
    module_id: str
    module_title: str
    cutoff: datetime
    version_hash: str | None
    scope: str
    trained: tuple[TrainedOfficer, ...]
    not_trained: tuple[tuple[int, str, str], ...]  # (officer id, name, badge) in the department's roster
    taught: dict[str, tuple[TaughtPoint, ...] | None]  # version hash -> policy points it taught


def cutoff_of(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.combine(value, time(0), tzinfo=agency_zone()).astimezone(timezone.utc)


def trained_as_of(*, session: Session, actor: Principal, catalog: Catalog, module_id: str, as_of: date | datetime,
                  version_hash: str | None = None, department_id: int | None = None) -> AsOfAnswer:
    """department_id None means statewide, which only administrators may ask."""
    if module_id not in catalog.modules and not session.exec(select(Completion.id).where(
            Completion.module_id == module_id).limit(1)).first():
        raise InvalidInput("No such module.")
    if department_id is None:
        if actor.role != "admin":
            raise NotAllowed("Only administrators can ask statewide.")
        dept, scope = None, "statewide"
    else:
        dept = department_in_scope(session=session, actor=actor, department_id=department_id)
        scope = dept.name
    version_hash = (version_hash or "").strip().lower()[:64] or None
    cutoff = cutoff_of(as_of)
    q = (select(Completion, Officer, Department).join(Officer, col(Officer.id) == Completion.officer_id)
         .join(Department, col(Department.id) == Officer.department_id, isouter=True)
         .where(Completion.module_id == module_id, col(Completion.completed_at) < cutoff)
         .order_by(col(Completion.completed_at), col(Completion.id)))
    if dept is not None:
        q = q.where(Officer.department_id == dept.id)
    if version_hash:
        q = q.where(col(Completion.module_version_hash).startswith(version_hash))
    first: dict[int, TrainedOfficer] = {}
    for c, o, d in session.exec(q.limit(MAX_ROWS)):
        if o.id in first or o.id is None or c.id is None:
            continue
        first[o.id] = TrainedOfficer(o.id, o.name, o.badge_number, d.name if d else "", c.completed_at,
                                     c.module_version_hash, c.score, c.cycle, c.id, c.attempt_id, c.verification_code)
    not_trained: tuple[tuple[int, str, str], ...] = ()
    if dept is not None:
        roster = session.exec(select(Officer).where(Officer.department_id == dept.id, Officer.active == True,  # noqa: E712
                                                    col(Officer.role) != "admin").order_by(col(Officer.name)))
        not_trained = tuple((o.id, o.name, o.badge_number) for o in roster if o.id is not None and o.id not in first)
    versions = {t.module_version_hash for t in first.values()} | _versions_named(session, catalog, module_id,
                                                                                  version_hash)
    taught = {v: taught_points(session=session, catalog=catalog, version_hash=v) for v in sorted(versions)}
    title = catalog.modules[module_id].title if module_id in catalog.modules else module_id
    return AsOfAnswer(module_id, title, cutoff, version_hash, scope,
                      tuple(sorted(first.values(), key=lambda t: (t.department, t.name))), not_trained, taught)


def _versions_named(session: Session, catalog: Catalog, module_id: str, prefix: str | None) -> set[str]:
    """The full version hashes a (possibly shortened) hash names, from the stored snapshots and the live content."""
    if not prefix:
        return set()
    found = set(session.exec(select(ModuleVersion.version_hash).where(
        ModuleVersion.module_id == module_id, col(ModuleVersion.version_hash).startswith(prefix))))
    live = catalog.modules.get(module_id)
    if live is not None and live.version_hash.startswith(prefix):
        found.add(live.version_hash)
    return found or {prefix}
