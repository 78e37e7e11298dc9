"""On PostgreSQL the application's runtime role cannot switch the evidence protections off.

Roles are cluster-wide, so this test makes its own with unique names and drops them after.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from db.engine import make_engine, read_session
from db.migrate import prepare
from tests.conftest import _PG_REASON, PG_ADMIN_URL
from tests.integrity.helpers import add_trainees, pass_quiz, seed_department
from training.evidence.integrity import verify_records

BYPASSES = {
    "disable triggers": "ALTER TABLE completion DISABLE TRIGGER USER",
    "replication role": "SET session_replication_role = replica",
    "drop a trigger": "DROP TRIGGER completion_append_only ON completion",
    "update evidence": "UPDATE completion SET score = 1",
    "delete evidence": "DELETE FROM audit_event",
    "truncate evidence": "TRUNCATE answer",
    "re-own an attempt": "UPDATE attempt SET officer_id = 1",
}


@pytest.fixture
def two_roles() -> Iterator[tuple[Engine, Engine]]:
    if _PG_REASON:
        pytest.skip(_PG_REASON)
    import psycopg

    tag = uuid.uuid4().hex[:10]
    owner, app, db = f"fipp_owner_{tag}", f"fipp_app_{tag}", f"fipp_lp_{tag}"
    admin_dsn = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    base = PG_ADMIN_URL.rsplit("/", 1)[0].split("://", 1)[1].split("@", 1)[1]
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {owner} LOGIN")
        conn.execute(f"CREATE ROLE {app} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")
        conn.execute(f"CREATE DATABASE {db} OWNER {owner}")
    owner_eng = make_engine(f"postgresql+psycopg://{owner}@{base}/{db}")
    app_eng = make_engine(f"postgresql+psycopg://{app}@{base}/{db}")
    try:
        yield owner_eng, app_eng
    finally:
        owner_eng.dispose()
        app_eng.dispose()
        with psycopg.connect(admin_dsn, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            conn.execute(f"DROP ROLE IF EXISTS {app}")
            conn.execute(f"DROP ROLE IF EXISTS {owner}")


def test_runtime_role_does_its_work_but_every_bypass_is_refused(two_roles, catalog) -> None:  # type: ignore[no-untyped-def]
    owner, app = two_roles
    prepare(app, owner.url.render_as_string(hide_password=False))  # migrate as owner, grant the runtime role
    for who in add_trainees(app, *seed_department(app), 2):  # normal writes, as the runtime role
        assert pass_quiz(app, who, catalog).passed
    with read_session(app) as s:
        assert verify_records(session=s).ok
    for name, sql in BYPASSES.items():
        with pytest.raises(Exception, match="permission denied|must be owner") as refused, app.begin() as conn:
            conn.execute(text(sql))
        print(f"{name}: refused ({str(refused.value).splitlines()[0][:90]})")
    # Positive control: the same statement works for the owner, so the refusal above is the role's.
    with owner.begin() as conn:
        conn.execute(text(BYPASSES["disable triggers"]))
        conn.execute(text("ALTER TABLE completion ENABLE TRIGGER USER"))
