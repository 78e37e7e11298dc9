"""The first administrator: created from the browser on an empty database, never by default."""

from __future__ import annotations

from sqlalchemy import func, text
from sqlmodel import Session, select

from db.models import Officer
from training.audit import record_event
from training.errors import SetupAlreadyDone
from training.identity.officers import new_officer
from training.identity.principal import Principal, principal_of
from training.settings import Settings


def needs_first_admin(*, session: Session) -> bool:
    return session.exec(select(func.count()).select_from(Officer)).one() == 0


def create_first_admin(*, session: Session, name: str, email: str, badge_number: str, password: str,
                       settings: Settings) -> Principal:
    """Create the very first account, an administrator. Refused once any account exists."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE officer IN EXCLUSIVE MODE"))  # two first admins racing
    if not needs_first_admin(session=session):
        raise SetupAlreadyDone("An administrator already exists; sign in instead.")
    officer = new_officer(session=session, name=name, email=email, badge_number=badge_number,
                          department_id=None, role="admin", password=password, settings=settings)
    record_event(session=session, action="account.first_admin", actor_id=officer.id, target_type="officer",
                 target_id=officer.id)
    return principal_of(officer)
