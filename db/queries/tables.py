"""Core Table handles for the read side (SQLAlchemy Core keeps the SQL visible and typed)."""

from __future__ import annotations

from sqlalchemy import CTE, ColumnElement, String, Table, false, literal, select, union_all
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


def on_roster() -> ColumnElement[bool]:
    """Who counts in a department's figures: active officers who belong to one (not administrators)."""
    return officer.c.active.is_(True) & (officer.c.role != "admin") & officer.c.department_id.is_not(None)


def modules_cte(module_ids: list[str], name: str = "mods") -> CTE:
    """The catalog's modules as a tiny in-query table (UNION ALL works on SQLite and PostgreSQL)."""
    if not module_ids:
        return select(literal("", String).label("module_id")).where(false()).cte(name)
    return union_all(*[select(literal(m, String).label("module_id")) for m in module_ids]).cte(name)
