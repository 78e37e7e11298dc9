"""module_status: a derived cache of each officer's facts per module and cycle, for the dashboards.

One row per (officer, module, cycle) holding the durable facts the status rules need: lessons
read, attempts, best score, completions, first and latest completion and the latest completion's
module version. Cycle '' holds what belongs to no cycle: lessons read (they count in every cycle)
and attempts made before any cycle was opened.

The rows are kept by triggers on attempt, completion and lesson_progress, so they change in the
same transaction as the record that changes them, whoever writes it (the app, a bulk load, a
SQL prompt): a rolled-back submission leaves them as they were. Assignments and waivers are not
in the row: the due date, "overdue" and "waived" depend on today and are worked out at read
time (training/status.py). The table is not evidence: verify-records and the evidence pack never
read it, and it can be rebuilt from the records at any time (the backfill below).

On PostgreSQL the trigger functions are SECURITY DEFINER (owned by the migrating owner), so the
runtime role needs only SELECT on the table (db/roles.py) and cannot write the cache directly.

Revision ID: 0015_module_status
Revises: 0014_evidence_keys
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015_module_status"
down_revision = "0014_evidence_keys"
branch_labels = None
depends_on = None

KEY = "officer_id = {r}.officer_id AND module_id = {r}.module_id AND cycle = {cycle}"

# Every row from the records, from scratch: the backfill, and what tests/db/test_module_status.py compares with.
RECOMPUTE = """
SELECT g.officer_id, g.module_id, g.cycle, g.lessons_read, g.attempts, g.best_score, g.completions, g.passed_at,
       c.completed_at, c.module_version_hash
FROM (SELECT officer_id, module_id, cycle, SUM(lessons_read) AS lessons_read, SUM(attempts) AS attempts,
             MAX(best_score) AS best_score, SUM(completions) AS completions, MIN(passed_at) AS passed_at,
             MAX(last_id) AS last_id
      FROM (SELECT officer_id, module_id, cycle, 0 AS lessons_read, 0 AS attempts,
                   CAST(NULL AS FLOAT) AS best_score, COUNT(*) AS completions, MIN(completed_at) AS passed_at,
                   MAX(id) AS last_id
            FROM completion GROUP BY officer_id, module_id, cycle
            UNION ALL
            SELECT officer_id, module_id, COALESCE(cycle, ''), 0, COUNT(*), MAX(score), 0, NULL, NULL
            FROM attempt WHERE module_id IS NOT NULL GROUP BY officer_id, module_id, COALESCE(cycle, '')
            UNION ALL
            SELECT officer_id, module_id, '', COUNT(*), 0, NULL, 0, NULL, NULL
            FROM lesson_progress GROUP BY officer_id, module_id) facts
      GROUP BY officer_id, module_id, cycle) g
LEFT JOIN completion c ON c.id = g.last_id
"""
BACKFILL = ("INSERT INTO module_status (officer_id, module_id, cycle, lessons_read, attempts, best_score, completions, "
            "passed_at, completed_at, version_hash)" + RECOMPUTE)


def upgrade() -> None:
    op.create_table(
        "module_status",
        sa.Column("officer_id", sa.Integer(), sa.ForeignKey("officer.id"), primary_key=True),
        sa.Column("module_id", sa.String(80), primary_key=True),
        sa.Column("cycle", sa.String(20), primary_key=True),
        sa.Column("lessons_read", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("best_score", sa.Float(), nullable=True),
        sa.Column("completions", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("passed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("completed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("version_hash", sa.String(64), nullable=True),
        # SQLite: stored in key order, so one officer's rows sit together (a department's few thousand
        # rows are read in a few pages, not one page each).
        sqlite_with_rowid=False,
    )
    if op.get_bind().dialect.name == "postgresql":
        # The dashboard reads a department's rows from this index alone (an index-only scan): the heap
        # churns with every trigger update, and a sequential scan of it took 140 ms for the largest
        # department where this takes about 14 ms. (SQLite: WITHOUT ROWID keeps the rows in key order.)
        op.create_index("ix_module_status_facts", "module_status", ["officer_id", "module_id", "cycle"],
                        postgresql_include=["lessons_read", "attempts", "best_score", "passed_at", "completed_at"])
        _postgresql_up()
    else:
        _sqlite_up()
    op.execute(BACKFILL)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, fn in (("attempt", "fipp_status_attempt"), ("completion", "fipp_status_completion"),
                          ("lesson_progress", "fipp_status_lesson")):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_module_status ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {fn}()")
    else:
        for name in ("attempt_status_insert", "attempt_status_score", "attempt_status_delete",
                     "completion_status_insert", "lesson_status_insert", "lesson_status_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("module_status")


def _sqlite_up() -> None:
    def ensure(r: str, cycle: str) -> str:
        return (f"INSERT OR IGNORE INTO module_status (officer_id, module_id, cycle) "
                f"VALUES ({r}.officer_id, {r}.module_id, {cycle});")

    att_cycle = "COALESCE(NEW.cycle, '')"
    op.execute(
        "CREATE TRIGGER attempt_status_insert AFTER INSERT ON attempt WHEN NEW.module_id IS NOT NULL BEGIN "
        + ensure("NEW", att_cycle)
        + " UPDATE module_status SET attempts = attempts + 1, best_score = CASE WHEN NEW.score IS NOT NULL AND "
          "(best_score IS NULL OR NEW.score > best_score) THEN NEW.score ELSE best_score END "
          f"WHERE {KEY.format(r='NEW', cycle=att_cycle)}; END")
    op.execute(
        "CREATE TRIGGER attempt_status_score AFTER UPDATE OF score ON attempt "
        "WHEN NEW.module_id IS NOT NULL AND NEW.score IS NOT NULL BEGIN "
        "UPDATE module_status SET best_score = CASE WHEN best_score IS NULL OR NEW.score > best_score "
        f"THEN NEW.score ELSE best_score END WHERE {KEY.format(r='NEW', cycle=att_cycle)}; END")
    op.execute(  # only an open attempt can be deleted (migration 0002); it has no score yet
        "CREATE TRIGGER attempt_status_delete AFTER DELETE ON attempt WHEN OLD.module_id IS NOT NULL BEGIN "
        f"UPDATE module_status SET attempts = attempts - 1 WHERE {KEY.format(r='OLD', cycle=att_cycle.replace('NEW', 'OLD'))}; END")
    op.execute(
        "CREATE TRIGGER completion_status_insert AFTER INSERT ON completion BEGIN "
        + ensure("NEW", "NEW.cycle")
        + " UPDATE module_status SET completions = completions + 1, passed_at = CASE WHEN passed_at IS NULL "
          "OR NEW.completed_at < passed_at THEN NEW.completed_at ELSE passed_at END, "
          "completed_at = NEW.completed_at, version_hash = NEW.module_version_hash "
          f"WHERE {KEY.format(r='NEW', cycle='NEW.cycle')}; END")
    op.execute(
        "CREATE TRIGGER lesson_status_insert AFTER INSERT ON lesson_progress BEGIN "
        + ensure("NEW", "''")
        + f" UPDATE module_status SET lessons_read = lessons_read + 1 WHERE {KEY.format(r='NEW', cycle=chr(39) * 2)}; END")
    op.execute(
        "CREATE TRIGGER lesson_status_delete AFTER DELETE ON lesson_progress BEGIN "
        f"UPDATE module_status SET lessons_read = lessons_read - 1 WHERE {KEY.format(r='OLD', cycle=chr(39) * 2)}; END")


def _postgresql_up() -> None:
    definer = "LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp"
    op.execute(f"""
CREATE FUNCTION fipp_status_attempt() RETURNS trigger {definer} AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.module_id IS NOT NULL THEN
      UPDATE module_status SET attempts = attempts - 1
      WHERE officer_id = OLD.officer_id AND module_id = OLD.module_id AND cycle = COALESCE(OLD.cycle, '');
    END IF;
    RETURN OLD;
  END IF;
  IF NEW.module_id IS NULL THEN RETURN NEW; END IF;
  IF TG_OP = 'INSERT' THEN
    INSERT INTO module_status AS s (officer_id, module_id, cycle, attempts, best_score)
    VALUES (NEW.officer_id, NEW.module_id, COALESCE(NEW.cycle, ''), 1, NEW.score)
    ON CONFLICT (officer_id, module_id, cycle)
    DO UPDATE SET attempts = s.attempts + 1, best_score = GREATEST(s.best_score, EXCLUDED.best_score);
  ELSIF NEW.score IS NOT NULL THEN
    UPDATE module_status SET best_score = GREATEST(best_score, NEW.score)
    WHERE officer_id = NEW.officer_id AND module_id = NEW.module_id AND cycle = COALESCE(NEW.cycle, '');
  END IF;
  RETURN NEW;
END $$""")
    op.execute(f"""
CREATE FUNCTION fipp_status_completion() RETURNS trigger {definer} AS $$
BEGIN
  INSERT INTO module_status AS s (officer_id, module_id, cycle, completions, passed_at, completed_at, version_hash)
  VALUES (NEW.officer_id, NEW.module_id, NEW.cycle, 1, NEW.completed_at, NEW.completed_at, NEW.module_version_hash)
  ON CONFLICT (officer_id, module_id, cycle)
  DO UPDATE SET completions = s.completions + 1, passed_at = LEAST(s.passed_at, EXCLUDED.passed_at),
                completed_at = EXCLUDED.completed_at, version_hash = EXCLUDED.version_hash;
  RETURN NEW;
END $$""")
    op.execute(f"""
CREATE FUNCTION fipp_status_lesson() RETURNS trigger {definer} AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    UPDATE module_status SET lessons_read = lessons_read - 1
    WHERE officer_id = OLD.officer_id AND module_id = OLD.module_id AND cycle = '';
    RETURN OLD;
  END IF;
  INSERT INTO module_status AS s (officer_id, module_id, cycle, lessons_read)
  VALUES (NEW.officer_id, NEW.module_id, '', 1)
  ON CONFLICT (officer_id, module_id, cycle) DO UPDATE SET lessons_read = s.lessons_read + 1;
  RETURN NEW;
END $$""")
    op.execute("CREATE TRIGGER attempt_module_status AFTER INSERT OR UPDATE OF score OR DELETE ON attempt "
               "FOR EACH ROW EXECUTE FUNCTION fipp_status_attempt()")
    op.execute("CREATE TRIGGER completion_module_status AFTER INSERT ON completion "
               "FOR EACH ROW EXECUTE FUNCTION fipp_status_completion()")
    op.execute("CREATE TRIGGER lesson_progress_module_status AFTER INSERT OR DELETE ON lesson_progress "
               "FOR EACH ROW EXECUTE FUNCTION fipp_status_lesson()")
