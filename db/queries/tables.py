"""Core Table handles for the read side (SQLAlchemy Core keeps the SQL visible and typed)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CTE, ColumnElement, Select, String, Table, and_, false, literal, or_, select, union_all
from sqlmodel import SQLModel

import db.models  # noqa: F401 - registers every table on SQLModel.metadata

TABLES = SQLModel.metadata.tables

officer: Table = TABLES["officer"]
department: Table = TABLES["department"]
attempt: Table = TABLES["attempt"]
answer: Table = TABLES["answer"]
completion: Table = TABLES["completion"]
assignment: Table = TABLES["assignment"]
lesson_progress: Table = TABLES["lesson_progress"]
question_version: Table = TABLES["question_version"]
waiver: Table = TABLES["waiver"]
module_status: Table = TABLES["module_status"]  # a derived cache (db/models.py ModuleStatusRow), not evidence


def on_roster() -> ColumnElement[bool]:
    """Who counts in a department's figures: active officers who belong to one (not administrators)."""
    return officer.c.active.is_(True) & (officer.c.role != "admin") & officer.c.department_id.is_not(None)


def modules_cte(module_ids: list[str], name: str = "mods") -> CTE:
    """The catalog's modules as a tiny in-query table (UNION ALL works on SQLite and PostgreSQL)."""
    if not module_ids:
        return select(literal("", String).label("module_id")).where(false()).cte(name)
    return union_all(*[select(literal(m, String).label("module_id")) for m in module_ids]).cte(name)


def waivers_in_force(today: ColumnElement[date], cycle: ColumnElement[str] | None) -> Select[tuple[int, str | None]]:
    """(officer id, module id or NULL for the whole cycle) of every waiver in force today and not
    revoked, in the cycle (before any cycle was opened: whatever its cycle). Waivers are few."""
    revoked = waiver.alias("revoked")
    cond = [waiver.c.revokes_id.is_(None), waiver.c.starts_on <= today,
            or_(waiver.c.ends_on.is_(None), waiver.c.ends_on >= today),
            ~select(revoked.c.id).where(revoked.c.revokes_id == waiver.c.id).exists()]
    if cycle is not None:
        cond.append(waiver.c.cycle == cycle)
    return select(waiver.c.officer_id, waiver.c.module_id).where(and_(*cond))
