"""Two app processes on one database (a SQLite file, then PostgreSQL), the same trainees in both.

Both processes start the quiz for the same 40 trainees at once (40 threads each), saving
every answer, then both submit the same 40 attempts at once: as when a trainee has the app
open in two tabs served by two processes, or a proxy retries a request. Both tabs must see
one attempt and then one result, no "database is locked" (or any other error) may reach a
trainee, and nothing is lost or doubled.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from db.engine import read_session
from tests.conftest import ROOT
from tests.integrity.helpers import add_trainees, seed_department
from training.evidence.integrity import verify_records

pytestmark = [pytest.mark.faults, pytest.mark.timeout(900)]  # real processes, many rounds: longer than the default
WORKER = Path(__file__).resolve().parent / "worker.py"
TRAINEES = 40


def _both(mode: str, url: str, jobs: list[str]) -> dict[int, tuple[str, ...]]:
    """Run the worker in two processes at once over the same jobs (in different orders)."""
    procs = []
    for seed in (1, 2):
        order = jobs[:]
        random.Random(seed).shuffle(order)
        procs.append(subprocess.Popen([sys.executable, str(WORKER), mode, url, ",".join(order)],
                                      cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    seen: list[dict[int, tuple[str, ...]]] = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        assert "ERR" not in out and "locked" not in out + err, out + err
        acks = [line.split()[1:] for line in out.splitlines() if line.startswith("ACK")]
        assert len(acks) == len(jobs)
        seen.append({int(a[0]): tuple(a[1:]) for a in acks})
    assert seen[0] == seen[1], f"the two processes disagree ({mode})"
    return seen[0]


def _race(engine: Engine, catalog) -> None:  # type: ignore[no-untyped-def]
    officers = [w.officer_id for w in add_trainees(engine, *seed_department(engine), TRAINEES)]
    url = engine.url.render_as_string(hide_password=False)
    started = _both("start", url, [str(o) for o in officers])
    results = _both("submit", url, [f"{o}:{started[o][0]}" for o in officers])
    assert {o: r[0] for o, r in results.items()} == {o: a[0] for o, a in started.items()}

    with read_session(engine) as s:
        def count(sql: str) -> int:
            return int(s.execute(text(sql)).scalar_one())

        assert count("SELECT COUNT(*) FROM attempt") == TRAINEES  # one attempt each, not two
        assert count("SELECT COUNT(*) FROM attempt WHERE status = 'submitted'") == TRAINEES
        assert count("SELECT COUNT(DISTINCT officer_id) FROM attempt") == TRAINEES
        assert count("SELECT COUNT(*) FROM answer") == 4 * TRAINEES
        assert count("SELECT COUNT(*) FROM audit_event WHERE action = 'quiz.submit'") == TRAINEES
        assert count("SELECT COUNT(*) FROM audit_event WHERE action = 'quiz.start'") == TRAINEES
        passed = sum(1 for r in results.values() if r[1] == "1")
        assert passed == TRAINEES // 2
        assert count("SELECT COUNT(*) FROM completion") == passed
        report = verify_records(session=s)
    assert report.ok, report.findings


def test_two_processes_on_one_sqlite_file(sqlite_engine: Engine, catalog) -> None:  # type: ignore[no-untyped-def]
    _race(sqlite_engine, catalog)


def test_two_processes_on_postgresql(pg_engine: Engine, catalog) -> None:  # type: ignore[no-untyped-def]
    _race(pg_engine, catalog)
