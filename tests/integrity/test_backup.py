"""`python -m training backup` copies the live database consistently, while submissions go on."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from db.engine import make_engine, read_session
from db.migrate import is_current
from tests.conftest import ROOT, PgDatabase
from tests.integrity.helpers import add_trainees, pass_quiz, seed_department
from training.evidence.integrity import verify_records

COUNTS = ("officer", "attempt", "attempt_question", "answer", "completion", "audit_event", "question_version")


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: int(conn.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one()) for t in COUNTS}


def _chain(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT row_hash FROM completion ORDER BY id")).scalars())


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "training", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_backup_taken_while_submissions_continue_restores_whole(sqlite_engine: Engine, catalog,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path) -> None:
    engine = sqlite_engine
    trainees = add_trainees(engine, *seed_department(engine), 150)
    acknowledged: list[int] = []
    started, stop = threading.Event(), threading.Event()

    def keep_submitting() -> None:
        for who in trainees:
            if stop.is_set():
                return
            acknowledged.append(pass_quiz(engine, who, catalog).attempt_id)
            if len(acknowledged) == 5:
                started.set()

    writer = threading.Thread(target=keep_submitting)
    writer.start()
    try:
        assert started.wait(120)
        before = len(acknowledged)
        done = _cli("backup", "--to", str(tmp_path / "copy.db"), "--database-url", _url(engine))
        during = len(acknowledged)
    finally:
        stop.set()
        writer.join()
    assert done.returncode == 0, done.stderr
    assert "integrity_check: ok" in done.stdout
    assert during > before, "submissions should have gone on while the backup ran"

    copy = make_engine(f"sqlite:///{tmp_path / 'copy.db'}")
    with sqlite3.connect(tmp_path / "copy.db") as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert is_current(copy)
    with read_session(copy) as s:
        report = verify_records(session=s)
    assert report.ok, report.findings
    # Every submission acknowledged before the backup began is in it, and what it holds is
    # exactly the live database's chain up to the moment of the snapshot.
    assert before <= report.completions <= len(acknowledged)
    assert _chain(copy) == _chain(engine)[: report.completions]
    copied, live = _counts(copy), _counts(engine)
    assert copied["completion"] == report.attempts_submitted
    assert copied["answer"] == 4 * report.completions
    assert live["completion"] == len(acknowledged)
    copy.dispose()


def test_backup_refuses_to_overwrite_a_file(sqlite_engine: Engine, tmp_path: Path) -> None:
    engine = sqlite_engine
    target = tmp_path / "existing.db"
    target.write_text("keep me")
    done = _cli("backup", "--to", str(target), "--database-url", _url(engine))
    assert done.returncode == 1
    assert "already exists" in done.stderr
    assert target.read_text() == "keep me"


def test_postgresql_backup_prints_pg_dump_instructions_and_restores(pg_engine: Engine, catalog,  # type: ignore[no-untyped-def]
                                                                    tmp_path: Path) -> None:
    engine = pg_engine
    for who in add_trainees(engine, *seed_department(engine), 3):
        pass_quiz(engine, who, catalog)
    dump = tmp_path / "fipp.dump"
    args = ["backup", "--to", str(dump), "--database-url", _url(engine)]
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        done = _cli(*args)
        assert "pg_dump --format=custom" in done.stdout
        pytest.skip("pg_dump/pg_restore not installed: instructions checked, restore not run")
    done = _cli(*args, "--run-pg-dump")
    assert done.returncode == 0, done.stderr
    assert "pg_dump --format=custom" in done.stdout and "pg_restore" in done.stdout
    target = PgDatabase()
    try:
        dsn = target.url.replace("postgresql+psycopg://", "postgresql://")
        restored = subprocess.run(["pg_restore", "--no-owner", "--single-transaction", "--exit-on-error",
                                   "--dbname", dsn, str(dump)], capture_output=True, text=True, timeout=120)
        assert restored.returncode == 0, restored.stderr
        copy = make_engine(target.url)
        assert is_current(copy)
        assert _counts(copy) == _counts(engine)
        with read_session(copy) as s:
            assert verify_records(session=s).ok
        with pytest.raises(Exception, match="append-only"), copy.begin() as conn:  # the triggers came back too
            conn.execute(text("DELETE FROM completion"))
        copy.dispose()
    finally:
        target.drop()
