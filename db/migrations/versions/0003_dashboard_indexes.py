"""Indexes for the dashboards: each department's roster, and its attempts and completions per module.

The department matrix, the statewide view and item analysis reach attempts and completions
through the roster (officer ids), grouped by module; these composite indexes let both
SQLite and PostgreSQL answer from the index alone instead of visiting every row.

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_attempt_officer_module": ("attempt", ["officer_id", "module_id", "score"]),
    "ix_completion_officer_module": ("completion", ["officer_id", "module_id", "completed_at"]),
    # A department's roster (who counts in its figures) read from the index alone; SQLite keys
    # every index by rowid (the id) already, PostgreSQL needs it included.
    "ix_officer_roster": ("officer", ["department_id", "active", "role"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns, postgresql_include=["id"] if table == "officer" else [])


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
