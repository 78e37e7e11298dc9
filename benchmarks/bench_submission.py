"""Recording a graded 20-question submission: our service vs a bare durable sqlite3 commit.

    .venv/bin/python benchmarks/bench_submission.py

Ours: training.quizzes.submit_attempt inside db.engine.write_session (BEGIN IMMEDIATE, WAL,
synchronous=FULL), i.e. load the attempt and its drafts, grade 20 questions, claim the
attempt, insert 20 answers, an audit event and a hash-chained completion, commit. Bare:
the same 20 answer rows with sqlite3 executemany in one BEGIN IMMEDIATE ... COMMIT on a
WAL, synchronous=FULL file in the same folder: the floor any durable write of them costs.
The two alternate, one each per round, so both see the same disk at the same moment.
Target: ours at most 3x bare. Within a minute; figures last.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import content_gen  # noqa: E402

ROUNDS = 200
WARMUP = 10
QUESTIONS = 20


def prepare(work: Path) -> tuple[object, object, list[tuple[object, int]]]:
    """A database with ROUNDS trainees, each with an open 20-question attempt fully answered."""
    import random

    from db.engine import make_engine, write_session
    from db.migrate import upgrade
    from training import quizzes
    from training.accounts import create_department, create_first_admin, create_officer, principal_of
    from training.content import load_catalog
    from training.settings import Settings

    catalog = load_catalog(content_gen.write_content(work / "content", questions=QUESTIONS, draw=QUESTIONS))
    assert catalog.ok, catalog.problems
    engine = make_engine(f"sqlite:///{work / 'ours.db'}")
    upgrade(engine)
    jobs = []
    with write_session(engine) as s:
        admin = create_first_admin(session=s, name="Bench Admin", email="bench@example.org", badge_number="B0",
                                   password="benchmark administrator phrase", settings=Settings())
        dept = create_department(session=s, actor=admin, name="Bench Police", code="BP")
        officers = [principal_of(create_officer(session=s, actor=admin, name=f"Officer {i}", email=f"o{i}@example.org",
                                                badge_number=f"B-{i}", department_id=dept.id, role="trainee",
                                                settings=Settings())) for i in range(ROUNDS)]
    for who in officers:
        with write_session(engine) as s:
            attempt = quizzes.start_or_resume_attempt(session=s, actor=who, catalog=catalog, quiz_id="gen-quiz",
                                                      rng=random.Random(who.officer_id))
            for q in attempt.questions:
                right = [o.id for o in catalog.questions[q.question_id].options if o.correct]
                quizzes.save_answer(session=s, actor=who, attempt_id=attempt.attempt_id, position=q.position,
                                    chosen=right)
        jobs.append((who, attempt.attempt_id))
    return engine, catalog, jobs


def bare_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE answer (id INTEGER PRIMARY KEY, attempt_id INTEGER NOT NULL, position INTEGER NOT NULL, "
                 "question_id VARCHAR(80) NOT NULL, question_hash VARCHAR(64) NOT NULL, option_order TEXT NOT NULL, "
                 "chosen TEXT NOT NULL, credit FLOAT NOT NULL, correct BOOLEAN NOT NULL, UNIQUE (attempt_id, position))")
    return conn


def main() -> int:
    from db.engine import write_session
    from training import quizzes

    with tempfile.TemporaryDirectory(prefix="fipp-bench-submit-") as tmp:
        work = Path(tmp)
        engine, catalog, jobs = prepare(work)
        bare = bare_connection(work / "bare.db")
        ours_t, bare_t = [], []
        for n, (who, attempt_id) in enumerate(jobs):
            t0 = time.perf_counter()
            with write_session(engine) as s:  # type: ignore[arg-type]
                result = quizzes.submit_attempt(session=s, actor=who, catalog=catalog,  # type: ignore[arg-type]
                                                attempt_id=attempt_id)
            t1 = time.perf_counter()
            rows = [(attempt_id, q.position, q.question.id, "0" * 64, json.dumps(list(q.option_order)),
                     json.dumps(list(q.chosen)), q.credit, q.correct) for q in result.questions]
            t2 = time.perf_counter()
            bare.execute("BEGIN IMMEDIATE")
            bare.executemany("INSERT INTO answer (attempt_id, position, question_id, question_hash, option_order, "
                             "chosen, credit, correct) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            bare.execute("COMMIT")
            t3 = time.perf_counter()
            assert len(rows) == QUESTIONS and result.passed
            if n >= WARMUP:
                ours_t.append(t1 - t0)
                bare_t.append(t3 - t2)
        bare.close()
        engine.dispose()  # type: ignore[attr-defined]
    ours_med, bare_med = statistics.median(ours_t), statistics.median(bare_t)
    figures = {
        "submissions": len(ours_t),
        "questions_per_submission": QUESTIONS,
        "ours_median_ms": f"{1000 * ours_med:.2f}",
        "ours_p95_ms": f"{1000 * sorted(ours_t)[int(0.95 * len(ours_t))]:.2f}",
        "bare_sqlite3_median_ms": f"{1000 * bare_med:.2f}",
        "bare_sqlite3_p95_ms": f"{1000 * sorted(bare_t)[int(0.95 * len(bare_t))]:.2f}",
        "ratio_median": f"{ours_med / bare_med:.2f}",
        "target_ratio": "3.0",
    }
    for name, value in figures.items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
