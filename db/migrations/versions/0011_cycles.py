"""Training cycles, module releases (content snapshots), agency adopted wording and waivers.

Attempts gain the cycle they count toward. Module releases, adopted wording and waivers are
append-only evidence: triggers refuse any change (a waiver's revocation is a new row).

Revision ID: 0011_cycles
Revises: 0010_reminders_xapi
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011_cycles"
down_revision = "0010_reminders_xapi"
branch_labels = None
depends_on = None

APPEND_ONLY = ("module_release", "adopted_wording", "waiver")


def _str(n: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=n)


def _when() -> sqlmodel.sql.sqltypes.UTCDateTime:
    return sqlmodel.sql.sqltypes.UTCDateTime()


def upgrade() -> None:
    op.add_column("attempt", sa.Column("cycle", _str(20), nullable=True))
    op.create_table(
        "training_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label", _str(20), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("opened_at", _when(), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["opened_by"], ["officer.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("label"),
    )
    op.create_table(
        "module_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", _str(80), nullable=False),
        sa.Column("content_hash", _str(64), nullable=False),
        sa.Column("module_version_hash", _str(64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("released_at", _when(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_module_release_module_id", "module_release", ["module_id"])
    op.create_index("ix_module_release_content_hash", "module_release", ["content_hash"])
    op.create_table(
        "adopted_wording",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("policy_point_id", _str(80), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("entered_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"]),
        sa.ForeignKeyConstraint(["entered_by"], ["officer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_adopted_wording_department_id", "adopted_wording", ["department_id"])
    op.create_table(
        "waiver",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("module_id", _str(80), nullable=True),
        sa.Column("cycle", _str(20), nullable=False),
        sa.Column("reason", _str(30), nullable=False),
        sa.Column("note", _str(500), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("approved_by", sa.Integer(), nullable=True),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("revokes_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"]),
        sa.ForeignKeyConstraint(["department_id"], ["department.id"]),
        sa.ForeignKeyConstraint(["approved_by"], ["officer.id"]),
        sa.ForeignKeyConstraint(["revokes_id"], ["waiver.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_waiver_officer_id", "waiver", ["officer_id"])
    op.create_index("ix_waiver_department_id", "waiver", ["department_id"])
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:  # fipp_reject_change() comes from revision 0002
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION fipp_reject_change()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION fipp_reject_change()")
    else:
        for table in APPEND_ONLY:
            for verb in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only evidence'); END")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table in APPEND_ONLY:
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    op.drop_table("waiver")
    op.drop_table("adopted_wording")
    op.drop_table("module_release")
    op.drop_table("training_cycle")
    op.drop_column("attempt", "cycle")
