"""The Principal: who is acting, as every service that needs permission takes it, and role checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from training.errors import NotAllowed

if TYPE_CHECKING:  # the router imports Principal for the signed-out page, which loads no tables
    from db.models import Officer


@dataclass(frozen=True)
class Principal:
    """Who is acting: what every service that needs permission takes."""

    officer_id: int
    name: str
    role: str
    department_id: int | None
    session_id: int | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def principal_of(officer: Officer, session_id: int | None = None) -> Principal:
    assert officer.id is not None
    return Principal(officer.id, officer.name, officer.role, officer.department_id, session_id)


def require_role(actor: Principal, *roles: str) -> None:
    """Refuse unless the actor holds one of these roles ("trainee", "supervisor", "admin")."""
    if actor.role not in roles:
        raise NotAllowed("You do not have access to this.")
