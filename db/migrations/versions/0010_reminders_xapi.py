"""Reminder claims (idempotent send-reminders) and the xAPI statement outbox.

Revision ID: 0010_reminders_xapi
Revises: 0003
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010_reminders_xapi"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("claimed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "officer_id", "period", name="uq_reminder_kind_officer_period"),
    )
    op.create_index("ix_reminder_sent_officer_id", "reminder_sent", ["officer_id"])
    op.create_table(
        "xapi_statement",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("verb", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("delivered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("tries", sa.Integer(), nullable=False),
        sa.Column("next_try_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"]),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempt.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_xapi_statement_verb", "xapi_statement", ["verb"])
    op.create_index("ix_xapi_statement_officer_id", "xapi_statement", ["officer_id"])
    op.create_index("ix_xapi_statement_created_at", "xapi_statement", ["created_at"])
    op.create_index("ix_xapi_statement_delivered_at", "xapi_statement", ["delivered_at"])


def downgrade() -> None:
    op.drop_table("xapi_statement")
    op.drop_table("reminder_sent")
