"""Cookie sessions and one-time links.

user_session gains a one-time hand-off (the script mints it after a successful sign-in; a
small route beside Streamlit exchanges it for the HttpOnly session cookie), bound to a
browser key. one_time_link keeps the hashes of single-use set-password links (first
password after import, recovery).

Revision ID: 0012_cookie_sessions
Revises: 0011_cycles
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0012_cookie_sessions"
down_revision = "0011_cycles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("handoff_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.add_column(sa.Column("handoff_expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("browser_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_index("ix_user_session_handoff_hash", ["handoff_hash"], unique=True)
    op.create_table(
        "one_time_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["officer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_one_time_link_officer_id", "one_time_link", ["officer_id"])


def downgrade() -> None:
    op.drop_index("ix_one_time_link_officer_id", table_name="one_time_link")
    op.drop_table("one_time_link")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_index("ix_user_session_handoff_hash")
        batch_op.drop_column("browser_hash")
        batch_op.drop_column("handoff_expires_at")
        batch_op.drop_column("handoff_hash")
