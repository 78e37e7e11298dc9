"""Append-only evidence: triggers that reject changes to submitted records.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Rows that are evidence from the moment they are written.
ALWAYS_FROZEN = ("answer", "completion", "audit_event", "attempt_question", "question_version")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_up()
    else:
        _sqlite_up()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ALWAYS_FROZEN:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP TRIGGER IF EXISTS attempt_submitted_frozen ON attempt")
        op.execute("DROP TRIGGER IF EXISTS draft_answer_open_only ON draft_answer")
        op.execute("DROP FUNCTION IF EXISTS fipp_reject_change()")
        op.execute("DROP FUNCTION IF EXISTS fipp_draft_open_only()")
        return
    for table in ALWAYS_FROZEN:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
    for name in ("attempt_submitted_no_update", "attempt_submitted_no_delete",
                 "draft_answer_open_only_insert", "draft_answer_open_only_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _sqlite_up() -> None:
    for table in ALWAYS_FROZEN:
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only evidence'); END"
            )
    for verb in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER attempt_submitted_no_{verb.lower()} BEFORE {verb} ON attempt "
            "WHEN OLD.status = 'submitted' "
            "BEGIN SELECT RAISE(ABORT, 'a submitted attempt is append-only evidence'); END"
        )
    for verb in ("INSERT", "UPDATE"):
        op.execute(
            f"CREATE TRIGGER draft_answer_open_only_{verb.lower()} BEFORE {verb} ON draft_answer "
            "WHEN (SELECT status FROM attempt WHERE id = NEW.attempt_id) IS NOT 'open' "
            "BEGIN SELECT RAISE(ABORT, 'answers can only change while the attempt is open'); END"
        )


def _postgresql_up() -> None:
    op.execute(
        "CREATE FUNCTION fipp_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '% rows are append-only evidence', TG_TABLE_NAME; END $$"
    )
    op.execute(
        "CREATE FUNCTION fipp_draft_open_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN IF (SELECT status FROM attempt WHERE id = NEW.attempt_id) IS DISTINCT FROM 'open' THEN "
        "RAISE EXCEPTION 'answers can only change while the attempt is open'; END IF; RETURN NEW; END $$"
    )
    for table in ALWAYS_FROZEN:
        op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION fipp_reject_change()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION fipp_reject_change()")
    op.execute("CREATE TRIGGER attempt_submitted_frozen BEFORE UPDATE OR DELETE ON attempt "
               "FOR EACH ROW WHEN (OLD.status = 'submitted') EXECUTE FUNCTION fipp_reject_change()")
    op.execute("CREATE TRIGGER draft_answer_open_only BEFORE INSERT OR UPDATE ON draft_answer "
               "FOR EACH ROW EXECUTE FUNCTION fipp_draft_open_only()")
