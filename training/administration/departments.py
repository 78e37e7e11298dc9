"""Departments as the administration pages list them: a read path that checks who asks.

Rules a supervisor may ask about:
- Only administrators list every department (to add officers, assign modules, edit or
  deactivate departments); a supervisor or trainee asking is refused here, whatever the
  page shows. Changes to departments go through training/admin.py and are audited there.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from db.models import Department
from training.accounts import Principal, require_role


@dataclass(frozen=True)
class DepartmentRow:
    id: int
    name: str
    code: str
    active: bool


def list_departments(*, session: Session, actor: Principal, active_only: bool = False) -> list[DepartmentRow]:
    """Every department by name (only the active ones with active_only), for administrators."""
    require_role(actor, "admin")
    query = select(Department).order_by(col(Department.name))
    if active_only:
        query = query.where(col(Department.active).is_(True))
    return [DepartmentRow(d.id or 0, d.name, d.code, d.active) for d in session.exec(query)]
