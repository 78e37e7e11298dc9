"""Keyed evidence: seals on attempts, completions and audit events; audit hash chain; module
version snapshots; the signed baseline of rows written before the keys existed.

Revision ID: 0014_evidence_keys
Revises: 0013_totp
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0014_evidence_keys"
down_revision = "0013_totp"
branch_labels = None
depends_on = None

FROZEN = ("module_version", "evidence_baseline")


def upgrade() -> None:
    for table in ("attempt", "completion", "audit_event"):
        op.add_column(table, sa.Column("key_id", sa.String(40), nullable=True))
        op.add_column(table, sa.Column("seal", sa.String(100), nullable=True))
    op.add_column("audit_event", sa.Column("prev_hash", sa.String(64), nullable=True))
    op.add_column("audit_event", sa.Column("row_hash", sa.String(64), nullable=True))
    op.create_table(
        "module_version",
        sa.Column("version_hash", sa.String(64), primary_key=True),
        sa.Column("module_id", sa.String(80), nullable=False, index=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "evidence_baseline",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("attempt_max_id", sa.Integer(), nullable=False),
        sa.Column("completion_max_id", sa.Integer(), nullable=False),
        sa.Column("audit_max_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("key_id", sa.String(40), nullable=True),
        sa.Column("seal", sa.String(100), nullable=True),
    )
    _baseline()
    if op.get_bind().dialect.name == "postgresql":
        for table in FROZEN:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION fipp_reject_change()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION fipp_reject_change()")
    else:
        for table in FROZEN:
            for verb in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only evidence'); END")


def _baseline() -> None:
    """Rows already here were written without seals: record how far they go, signed (the key
    file is created now if this is the first start)."""
    from training.evidence.keys import load_keyring
    from training.evidence.seals import baseline_message

    conn = op.get_bind()
    top = [int(conn.execute(sa.text(f"SELECT COALESCE(MAX(id), 0) FROM {t}")).scalar_one())
           for t in ("attempt", "completion", "audit_event")]
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    key_id, seal = load_keyring(create=True).sign(baseline_message(top[0], top[1], top[2], now))
    conn.execute(sa.text("INSERT INTO evidence_baseline (attempt_max_id, completion_max_id, audit_max_id, "
                         "created_at, key_id, seal) VALUES (:a, :c, :e, :t, :k, :s)"),
                 {"a": top[0], "c": top[1], "e": top[2], "t": now, "k": key_id, "s": seal})


def downgrade() -> None:
    for table in FROZEN:
        op.drop_table(table)
    for table in ("attempt", "completion", "audit_event"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("seal")
            batch.drop_column("key_id")
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("row_hash")
        batch.drop_column("prev_hash")
