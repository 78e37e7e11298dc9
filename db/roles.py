"""Least privilege on PostgreSQL: the owner migrates, the runtime role only reads and appends evidence.

When DATABASE_OWNER_URL is set, migrations run as that (owner) role at start and the role of
DATABASE_URL is then granted exactly what the application needs:
- SELECT on every table; INSERT, UPDATE, DELETE on the working tables (officers, sessions,
  assignments, drafts, ...);
- on the evidence tables only SELECT and INSERT, and on `attempt` UPDATE of the columns
  that submission sets (an open attempt becoming submitted; triggers freeze it after);
- on module_status (a derived cache kept by SECURITY DEFINER triggers, migration
  0015_module_status) only SELECT: the runtime role cannot write the dashboards' figures;
- USAGE on the sequences. No TRUNCATE, no ownership: it cannot ALTER TABLE ... DISABLE
  TRIGGER, drop a trigger, or SET session_replication_role (that needs a superuser).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

EVIDENCE_TABLES = frozenset({"answer", "completion", "audit_event", "attempt_question", "question_version",
                             "module_version", "evidence_baseline", "module_release", "adopted_wording", "waiver"})
SUBMISSION_COLUMNS = ("status", "submitted_at", "score", "passed", "key_id", "seal")
READ_ONLY = frozenset({"alembic_version", "module_status"})


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def runtime_grants(role: str, tables: list[str]) -> list[str]:
    """The GRANT statements for role over tables (the schema's tables, as the owner sees them)."""
    r = _q(role)
    out = [f"GRANT USAGE ON SCHEMA public TO {r}",
           f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
           f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {r}",
           f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}"]
    for table in sorted(tables):
        if table in READ_ONLY:
            continue
        if table in EVIDENCE_TABLES:
            out.append(f"GRANT INSERT ON {_q(table)} TO {r}")
        elif table == "attempt":
            out.append(f"GRANT INSERT, UPDATE ({', '.join(SUBMISSION_COLUMNS)}) ON attempt TO {r}")
        else:
            out.append(f"GRANT INSERT, UPDATE, DELETE ON {_q(table)} TO {r}")
    return out


def grant_runtime(conn: Connection, role: str) -> None:
    """Run as the owner after migrating: give role what the application needs, nothing more."""
    tables = list(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars())
    for stmt in runtime_grants(role, tables):
        conn.execute(text(stmt))
