"""Recording a graded 20-question submission: the app's service vs the same transaction by hand.

    .venv/bin/python benchmarks/bench_submission.py

Ours: training.quizzes.submit_attempt inside db.engine.write_session on SQLite (WAL,
synchronous=FULL, foreign keys on, BEGIN IMMEDIATE). Hand: the same transaction written
with the `sqlite3` module and nothing else of the app's data layer: read the attempt, and
what was drawn joined to the saved drafts; grade; seal the attempt and its answers (Ed25519,
the same evidence key); claim the attempt (UPDATE ... WHERE status = 'open'); insert the 20
answers; continue the audit chain (read the last row_hash, hash, seal, insert the event);
store the module version the first time it is completed; continue the completion chain
(read the last row_hash, hash, seal, insert); insert the two xAPI outbox rows; commit. Both
run against copies of one migrated database, so the same triggers, indexes and foreign keys
fire. Grading itself uses the same pure rules (training.scoring) on parsed question versions
cached per process, as the app caches them, and the key is read once, as the app's keyring
caches it: neither is what this compares.

Before timing anything, the check: the writes each side's sqlite3 connection runs for a
submission are listed (statement kind and table, in order, from the driver's trace) and must
be equal, and afterwards every attempt,
answer, audit event, module version, completion and xAPI row the hand version wrote must
equal the app's (apart from times, hashes and signatures over times, and the random
verification code), and the app's own verify-records (both chains, every seal, re-grading)
must pass on both databases. If the app gains a write (a status row, say), the check fails
until the hand version is taught it, so the ratio never compares different work.

Figures: one writer (the two alternate, one submission each per round, so both see the same
disk at the same moment; wall time, and the CPU time this process spent, which a busy
machine disturbs less) and ten writers (threads on one engine, as Streamlit's script
threads share one; the hand version: ten threads, a connection each). Target: ratio at most
1.5. About two minutes on a busy 2-core machine; figures last as `name: value`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import re
import secrets
import shutil
import sqlite3
import statistics
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import content_gen  # noqa: E402

QUESTIONS = 20
SEQUENTIAL = 100  # submissions per side, one writer
WARMUP = 10
WRITERS = 10
PER_WRITER = 5  # per writer per batch; two batches per side
TARGET = 1.5

# ---------------------------------------------------------------------------------------------
# The hand-written transaction: sqlite3 only. Strings and formats are written out here, not
# imported, so that a change in the app shows up in the check rather than being copied.

XAPI_BASE = "https://fipp-academy.invalid"
XAPI_NS = uuid.UUID("6f1e2f6e-4c2b-5d1a-9a57-0f1f9e3c2a10")
VERB_IRI = "http://adlnet.gov/expapi/verbs/"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class Content:
    """What the hand version needs from the catalog: titles, module hashes, graders."""

    quiz_titles: dict[str, str]
    module_titles: dict[str, str]
    module_hashes: dict[str, str]
    grade: Callable[[sqlite3.Connection, str, list[str]], float]  # (conn, question_hash, chosen) -> credit
    quiz_score: Callable[[list[float], int], tuple[float, bool]]
    sign: Callable[[str, str], tuple[str, str]]  # (kind, digest) -> (key id, base64 Ed25519 seal)
    module_snapshots: dict[str, str]  # module id -> what its version taught, as JSON (stored at first completion)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")  # how SQLAlchemy stores a DateTime in SQLite


def _digest(body: object) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                                     default=str).encode()).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _statement(verb: str, attempt_id: int, body: dict[str, Any]) -> tuple[str, str]:
    sid = str(uuid.uuid5(XAPI_NS, f"{XAPI_BASE}|{verb}|attempt:{attempt_id}"))
    doc = {"id": sid, "verb": {"id": VERB_IRI + verb, "display": {"en-US": verb}}, "version": "1.0.3", **body}
    return sid, json.dumps(doc, sort_keys=True, ensure_ascii=False)


def hand_submit(conn: sqlite3.Connection, content: Content, officer_id: int, attempt_id: int) -> bool:
    """Grade and record one submission in one transaction; returns whether it passed."""
    now = datetime.now(UTC)
    conn.execute("BEGIN IMMEDIATE")
    try:
        row = conn.execute("SELECT officer_id, department_id, quiz_id, module_id, quiz_hash, attempt_number, status, "
                           "pass_mark, cycle, started_at FROM attempt WHERE id = ?", (attempt_id,)).fetchone()
        if row is None or row[0] != officer_id or row[6] != "open":
            raise LookupError("no open attempt of this officer")
        _, dept, quiz_id, module_id, quiz_hash, number, _, pass_mark, cycle, started = row
        attempt_cycle = cycle
        answers, credits = [], []
        for position, qid, qhash, order, draft in conn.execute(
                "SELECT q.position, q.question_id, q.question_hash, q.option_order, d.chosen FROM attempt_question q "
                "LEFT JOIN draft_answer d ON d.attempt_id = q.attempt_id AND d.position = q.position "
                "WHERE q.attempt_id = ? ORDER BY q.position", (attempt_id,)).fetchall():
            chosen = draft if draft is not None else "[]"
            credit = content.grade(conn, qhash, json.loads(chosen))
            credits.append(credit)
            answers.append((attempt_id, position, qid, qhash, order, chosen, credit, credit == 1.0))
        score, passed = content.quiz_score(credits, pass_mark)
        # The attempt's seal: an Ed25519 signature over a digest of the attempt and its answers.
        key_id, seal = content.sign("attempt", _digest({
            "id": attempt_id, "officer_id": officer_id, "department_id": dept, "quiz_id": quiz_id,
            "module_id": module_id, "quiz_hash": quiz_hash, "attempt_number": number, "pass_mark": pass_mark,
            "cycle": attempt_cycle, "started_at": started.replace(" ", "T"),
            "submitted_at": now.strftime("%Y-%m-%dT%H:%M:%S.%f"), "score": f"{score:.1f}", "passed": bool(passed),
            "answers": [[a[1], a[2], a[3], a[4], a[5], f"{a[6]:.6f}", bool(a[7])] for a in answers]}))
        claimed = conn.execute("UPDATE attempt SET status = 'submitted', submitted_at = ?, score = ?, passed = ?, "
                               "key_id = ?, seal = ? WHERE id = ? AND status = 'open'",
                               (_stamp(now), score, passed, key_id, seal, attempt_id))
        if claimed.rowcount != 1:
            raise LookupError("submitted meanwhile")
        conn.executemany("INSERT INTO answer (attempt_id, position, question_id, question_hash, option_order, chosen, "
                         "credit, correct) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", answers)
        # The audit event, continuing the audit chain and sealed.
        last = conn.execute("SELECT row_hash FROM audit_event WHERE row_hash IS NOT NULL "
                            "ORDER BY id DESC LIMIT 1").fetchone()
        prev = last[0] if last else "0" * 64
        at = datetime.now(UTC)
        detail = json.dumps({"passed": passed, "quiz_id": quiz_id, "score": score}, sort_keys=True)
        row_hash = _digest([prev, at.strftime("%Y-%m-%dT%H:%M:%S.%f"), officer_id, "quiz.submit", "attempt",
                            str(attempt_id), dept, detail])
        key_id, seal = content.sign("audit_event", row_hash)
        conn.execute("INSERT INTO audit_event (at, actor_id, action, target_type, target_id, department_id, detail, "
                     "prev_hash, row_hash, key_id, seal) VALUES (?, ?, 'quiz.submit', 'attempt', ?, ?, ?, ?, ?, ?, ?)",
                     (_stamp(at), officer_id, str(attempt_id), dept, detail, prev, row_hash, key_id, seal))
        quiz = {"objectType": "Activity", "id": f"{XAPI_BASE}/xapi/activities/quiz/{quiz_id}",
                "definition": {"type": "http://adlnet.gov/expapi/activities/assessment",
                               "name": {"en-US": content.quiz_titles.get(quiz_id, quiz_id)},
                               "extensions": {f"{XAPI_BASE}/xapi/extensions/quiz-version": quiz_hash}}}
        actor = {"objectType": "Agent", "account": {"homePage": XAPI_BASE, "name": f"officer-{officer_id}"}}
        context: dict[str, Any] = {"platform": "FIPP Academy", "language": "en-US",
                                   "extensions": {f"{XAPI_BASE}/xapi/extensions/attempt-number": number}}
        if module_id:
            context["contextActivities"] = {"parent": [{"objectType": "Activity",
                                                        "id": f"{XAPI_BASE}/xapi/activities/module/{module_id}"}]}
        verb = "passed" if passed else "failed"
        statements = [(verb, _statement(verb, attempt_id, {
            "actor": actor, "object": quiz, "context": context, "timestamp": _iso(now),
            "result": {"score": {"scaled": round(score / 100, 4), "raw": score, "min": 0, "max": 100},
                       "success": passed, "completion": True}}))]
        if passed and module_id in content.module_hashes:
            mhash = content.module_hashes[module_id]
            if conn.execute("SELECT 1 FROM module_version WHERE version_hash = ?", (mhash,)).fetchone() is None:
                conn.execute("INSERT INTO module_version (version_hash, module_id, content, first_seen_at) "
                             "VALUES (?, ?, ?, ?)", (mhash, module_id, content.module_snapshots[module_id],
                                                     _stamp(datetime.now(UTC))))
            last = conn.execute("SELECT row_hash FROM completion ORDER BY id DESC LIMIT 1").fetchone()
            prev = last[0] if last else "0" * 64
            if cycle is None:
                found = conn.execute(
                    "SELECT cycle FROM assignment WHERE module_id = ? AND active = 1 AND "
                    "(officer_id = ? OR department_id = ?) ORDER BY due_date DESC LIMIT 1",
                    (module_id, officer_id, dept)).fetchone()
                cycle = found[0] if found else str(now.year)
            raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
            code = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
            mhash = content.module_hashes[module_id]
            payload = "|".join([prev, str(officer_id), module_id, mhash, quiz_id, str(attempt_id), f"{score:.1f}",
                                now.strftime("%Y-%m-%dT%H:%M:%S.%f"), cycle, code])
            row_hash = hashlib.sha256(payload.encode()).hexdigest()
            key_id, seal = content.sign("completion", row_hash)
            conn.execute("INSERT INTO completion (officer_id, department_id, module_id, module_version_hash, quiz_id, "
                         "attempt_id, score, completed_at, cycle, verification_code, prev_hash, row_hash, key_id, "
                         "seal) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (officer_id, dept, module_id, mhash, quiz_id, attempt_id, score, _stamp(now), cycle, code,
                          prev, row_hash, key_id, seal))
            statements.append(("completed", _statement("completed", attempt_id, {
                "actor": actor, "timestamp": _iso(now),
                "object": {"objectType": "Activity", "id": f"{XAPI_BASE}/xapi/activities/module/{module_id}",
                           "definition": {"type": "http://adlnet.gov/expapi/activities/module",
                                          "name": {"en-US": content.module_titles[module_id]},
                                          "extensions": {f"{XAPI_BASE}/xapi/extensions/module-version": mhash}}},
                "context": {"platform": "FIPP Academy", "language": "en-US",
                            "extensions": {f"{XAPI_BASE}/xapi/extensions/cycle": cycle,
                                           f"{XAPI_BASE}/xapi/extensions/verification-code": code}},
                "result": {"score": {"scaled": round(score / 100, 4)}, "success": True, "completion": True}})))
        created = _stamp(datetime.now(UTC))
        conn.executemany("INSERT INTO xapi_statement (id, verb, officer_id, attempt_id, statement, created_at, tries) "
                         "VALUES (?, ?, ?, ?, ?, ?, 0)",
                         [(sid, verb, officer_id, attempt_id, doc, created) for verb, (sid, doc) in statements])
        conn.execute("COMMIT")
        return bool(passed)
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def hand_connection(path: Path) -> sqlite3.Connection:
    """Tuned as db.engine tunes the app's connections."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


# ---------------------------------------------------------------------------------------------
# Setting up: one migrated database with an open, fully answered attempt per trainee.

@dataclass
class Job:
    who: Any  # training.identity.principal.Principal
    attempt_id: int


def prepare(work: Path, count: int) -> tuple[Any, list[Job]]:
    from db.engine import make_engine, write_session
    from db.migrate import upgrade
    from training import quizzes
    from training.administration.departments import create_department
    from training.administration.officers import create_officer
    from training.content import load_catalog
    from training.identity.principal import principal_of
    from training.identity.setup import create_first_admin
    from training.settings import Settings

    catalog = load_catalog(content_gen.write_content(work / "content", questions=QUESTIONS, draw=QUESTIONS))
    assert catalog.ok, catalog.problems
    engine = make_engine(f"sqlite:///{work / 'ours.db'}")
    upgrade(engine)
    with write_session(engine) as s:
        admin = create_first_admin(session=s, name="Bench Admin", email="bench@example.org", badge_number="B0",
                                   password="benchmark administrator phrase", settings=Settings())
        dept = create_department(session=s, actor=admin, name="Bench Police", code="BP")
        officers = [principal_of(create_officer(session=s, actor=admin, name=f"Officer {i}", email=f"o{i}@example.org",
                                                badge_number=f"B-{i}", department_id=dept.id, role="trainee",
                                                settings=Settings())) for i in range(count)]
    jobs = []
    for chunk in range(0, count, 50):  # 50 trainees a transaction: setup is not what is measured
        with write_session(engine) as s:
            for who in officers[chunk:chunk + 50]:
                attempt = quizzes.start_or_resume_attempt(session=s, actor=who, catalog=catalog, quiz_id="gen-quiz",
                                                          rng=random.Random(who.officer_id))
                for q in attempt.questions:
                    right = [o.id for o in catalog.questions[q.question_id].options if o.correct]
                    quizzes.save_answer(session=s, actor=who, attempt_id=attempt.attempt_id, position=q.position,
                                        chosen=right)
                jobs.append(Job(who, attempt.attempt_id))
    engine.dispose()
    return catalog, jobs


def hand_content(catalog: Any, key_text: str) -> Content:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from training.schema import Question
    from training.scoring import score_question, score_quiz

    # The evidence key, read once as the app's keyring caches it: "ed25519-private <base64 seed>".
    seed = base64.b64decode(key_text.split()[-1])
    private = Ed25519PrivateKey.from_private_bytes(seed)
    raw_public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_id = "ed25519:" + hashlib.sha256(raw_public).hexdigest()[:16]

    def sign(kind: str, digest: str) -> tuple[str, str]:
        signature = private.sign(b"fipp-evidence-v1|" + kind.encode() + b"|" + digest.encode())
        return key_id, base64.b64encode(signature).decode()

    parsed: dict[str, Any] = {}
    lock = threading.Lock()

    def grade(conn: sqlite3.Connection, qhash: str, chosen: list[str]) -> float:
        q = parsed.get(qhash)
        if q is None:
            (text,) = conn.execute("SELECT content FROM question_version WHERE question_hash = ?", (qhash,)).fetchone()
            q = Question.model_validate(json.loads(text)["question"], strict=False)
            with lock:
                parsed[qhash] = q
        return score_question(q, chosen)

    def quiz_score(credits: list[float], pass_mark: int) -> tuple[float, bool]:
        s = score_quiz(credits, pass_mark)
        return s.percent, s.passed

    def snapshot(module: Any) -> str:
        points = sorted({p for lesson in module.lessons for p in lesson.policy_points})
        return json.dumps({
            "module_id": module.id, "title": module.title, "version_hash": module.version_hash,
            "lessons": [{"id": lesson.id, "title": lesson.title, "policy_points": list(lesson.policy_points)}
                        for lesson in module.lessons],
            "policy_points": [{"id": p, "title": catalog.policy_points[p].title,
                               "statement": catalog.policy_points[p].statement,
                               "source": catalog.policy_points[p].source}
                              for p in points if p in catalog.policy_points]}, sort_keys=True, ensure_ascii=False)

    return Content({q.id: q.title for q in catalog.quizzes.values()},
                   {m.id: m.title for m in catalog.modules.values()},
                   {m.id: m.version_hash for m in catalog.modules.values()}, grade, quiz_score, sign,
                   {m.id: snapshot(m) for m in catalog.modules.values()})


# ---------------------------------------------------------------------------------------------
# The check: same writes, same rows.

_WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\s+(?:OR \w+\s+)?(?:INTO\s+)?(\w+)", re.I)


def _writes(statements: list[str]) -> list[tuple[str, str]]:
    out = []
    for sql in statements:
        m = _WRITE.match(sql)
        if m:
            out.append((m.group(1).upper(), m.group(2).lower()))
    # executemany shows once per row in sqlite3's trace
    return [w for i, w in enumerate(out) if i == 0 or w != out[i - 1]]


def _rows(path: Path, attempt_ids: list[int]) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    marks = ",".join("?" * len(attempt_ids))
    queries = {
        "attempt": f"SELECT id, status, score, passed, submitted_at IS NOT NULL, key_id, seal IS NOT NULL "
                   f"FROM attempt WHERE id IN ({marks}) ORDER BY id",
        "answer": "SELECT attempt_id, position, question_id, question_hash, option_order, chosen, credit, correct "
                  f"FROM answer WHERE attempt_id IN ({marks}) ORDER BY attempt_id, position",
        "audit_event": "SELECT actor_id, action, target_type, target_id, department_id, detail, key_id, "
                       "prev_hash IS NOT NULL, row_hash IS NOT NULL, seal IS NOT NULL FROM audit_event "
                       f"WHERE action = 'quiz.submit' AND CAST(target_id AS INTEGER) IN ({marks}) ORDER BY target_id",
        "completion": "SELECT officer_id, department_id, module_id, module_version_hash, quiz_id, attempt_id, score, "
                      f"cycle, key_id, seal IS NOT NULL FROM completion WHERE attempt_id IN ({marks}) "
                      "ORDER BY attempt_id",
        "xapi_statement": "SELECT id, verb, officer_id, attempt_id, statement, tries FROM xapi_statement "
                          f"WHERE attempt_id IN ({marks}) AND verb != 'attempted' ORDER BY attempt_id, verb",
    }
    out = {name: conn.execute(q, attempt_ids).fetchall() for name, q in queries.items()}
    out["module_version"] = conn.execute("SELECT version_hash, module_id, content FROM module_version "
                                         "ORDER BY version_hash").fetchall()
    conn.close()

    def stable(doc: str) -> str:  # times and the random verification code differ by design
        data = json.loads(doc)
        data.pop("timestamp", None)
        data.get("context", {}).get("extensions", {}).pop(f"{XAPI_BASE}/xapi/extensions/verification-code", None)
        return json.dumps(data, sort_keys=True)

    out["xapi_statement"] = [r[:4] + (stable(r[4]),) + r[5:] for r in out["xapi_statement"]]
    return out


def check_same_rows(ours_db: Path, hand_db: Path, attempt_ids: list[int]) -> None:
    from db.engine import make_engine, read_session
    from training.evidence.integrity import verify_records

    ours, hand = _rows(ours_db, attempt_ids), _rows(hand_db, attempt_ids)
    for table in ours:
        assert ours[table], f"the app wrote no {table} rows: the check would prove nothing"
        assert ours[table] == hand[table], f"{table}: the hand version wrote other rows than the app\n" \
                                           f"  app:  {ours[table][:2]}\n  hand: {hand[table][:2]}"
    for path in (ours_db, hand_db):
        engine = make_engine(f"sqlite:///{path}")
        with read_session(engine) as s:  # chains, seals, re-grading: the app's own verify-records
            report = verify_records(session=s)
        engine.dispose()
        assert report.ok and report.completions >= len(attempt_ids), f"{path.name}: {report.findings[:3]}"


# ---------------------------------------------------------------------------------------------

def _ten_writers(jobs: list[Job], submit_one: Callable[[Job], None]) -> float:
    """Seconds for WRITERS threads to submit their share of jobs, all starting together."""
    shares = [jobs[i::WRITERS] for i in range(WRITERS)]
    gate = threading.Barrier(WRITERS + 1)
    failures: list[BaseException] = []

    def writer(share: list[Job]) -> None:
        gate.wait()
        try:
            for job in share:
                submit_one(job)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(share,)) for share in shares]
    for t in threads:
        t.start()
    gate.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    if failures:
        raise failures[0]
    return elapsed


def main() -> int:
    # A fresh evidence key for this run, given to the app the way an operator may give it (before
    # anything of the app is imported: its settings are read once per process).
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    seed = Ed25519PrivateKey.generate().private_bytes_raw()
    key_text = os.environ["FIPP_EVIDENCE_KEY"] = f"ed25519-private {base64.b64encode(seed).decode()}"

    from db.engine import make_engine, write_session
    from training import quizzes

    batch = WRITERS * PER_WRITER
    with tempfile.TemporaryDirectory(prefix="fipp-bench-submit-") as tmp:
        work = Path(tmp)
        t_prep = time.perf_counter()
        catalog, jobs = prepare(work, SEQUENTIAL + 2 * batch)
        shutil.copyfile(work / "ours.db", work / "hand.db")  # the engine was disposed: the WAL is checkpointed
        prep_s = time.perf_counter() - t_prep
        engine = make_engine(f"sqlite:///{work / 'ours.db'}")
        content = hand_content(catalog, key_text)
        hand = hand_connection(work / "hand.db")

        def ours_one(job: Job) -> None:
            with write_session(engine) as s:
                result = quizzes.submit_attempt(session=s, actor=job.who, catalog=catalog, attempt_id=job.attempt_id)
            assert result.passed

        local = threading.local()

        def hand_one(job: Job) -> None:
            conn = getattr(local, "conn", None)
            if conn is None:
                conn = local.conn = hand_connection(work / "hand.db")
            assert hand_submit(conn, content, job.who.officer_id, job.attempt_id)

        # The check, on the first submission of each side: the same writes in the same order, as
        # each side's sqlite3 connection reports them (its trace sees every statement the driver
        # runs, whether it came through SQLAlchemy or straight to the driver).
        seen_ours: list[str] = []
        seen_hand: list[str] = []

        with write_session(engine) as s:
            driver = s.connection().connection.driver_connection
            driver.set_trace_callback(seen_ours.append)
            try:
                checked = quizzes.submit_attempt(session=s, actor=jobs[0].who, catalog=catalog,
                                                 attempt_id=jobs[0].attempt_id)
            finally:
                driver.set_trace_callback(None)
        assert checked.passed
        hand.set_trace_callback(seen_hand.append)
        assert hand_submit(hand, content, jobs[0].who.officer_id, jobs[0].attempt_id)
        hand.set_trace_callback(None)
        assert _writes(seen_ours) == _writes(seen_hand), \
            f"different writes:\n  app:  {_writes(seen_ours)}\n  hand: {_writes(seen_hand)}"
        writes = _writes(seen_ours)

        ours_t, hand_t = [], []
        ours_cpu, hand_cpu = [], []  # this process's CPU time per submission (one thread runs here)
        for n, job in enumerate(jobs[1:SEQUENTIAL]):
            order = ((ours_one, ours_t, ours_cpu),
                     (lambda j: hand_submit(hand, content, j.who.officer_id, j.attempt_id), hand_t, hand_cpu))
            for fn, times, cpu in (order if n % 2 else order[::-1]):
                c0, t0 = time.process_time(), time.perf_counter()
                fn(job)
                if n >= WARMUP:
                    times.append(time.perf_counter() - t0)
                    cpu.append(time.process_time() - c0)

        first, second = jobs[SEQUENTIAL:SEQUENTIAL + batch], jobs[SEQUENTIAL + batch:]
        ours_10 = _ten_writers(first, ours_one)
        hand_10 = _ten_writers(first, hand_one)
        hand_10 += _ten_writers(second, hand_one)
        ours_10 += _ten_writers(second, ours_one)
        hand.close()
        engine.dispose()
        check_same_rows(work / "ours.db", work / "hand.db", [j.attempt_id for j in jobs])

    ours_med, hand_med = statistics.median(ours_t), statistics.median(hand_t)
    figures = {
        "questions_per_submission": QUESTIONS,
        "writes_per_submission": " ".join(f"{verb}:{table}" for verb, table in writes),
        "same_rows_checked_submissions": len(jobs),
        "setup_s": f"{prep_s:.1f}",
        "one_writer_submissions": len(ours_t),
        "ours_median_ms": f"{1000 * ours_med:.2f}",
        "ours_p95_ms": f"{1000 * sorted(ours_t)[int(0.95 * len(ours_t))]:.2f}",
        "hand_sqlite3_median_ms": f"{1000 * hand_med:.2f}",
        "hand_sqlite3_p95_ms": f"{1000 * sorted(hand_t)[int(0.95 * len(hand_t))]:.2f}",
        "ours_cpu_median_ms": f"{1000 * statistics.median(ours_cpu):.2f}",
        "hand_sqlite3_cpu_median_ms": f"{1000 * statistics.median(hand_cpu):.2f}",
        "cpu_ratio_median": f"{statistics.median(ours_cpu) / statistics.median(hand_cpu):.2f}",
        "ours_1_writer_per_s": f"{len(ours_t) / sum(ours_t):.1f}",
        "hand_1_writer_per_s": f"{len(hand_t) / sum(hand_t):.1f}",
        "ours_10_writers_per_s": f"{2 * batch / ours_10:.1f}",
        "hand_10_writers_per_s": f"{2 * batch / hand_10:.1f}",
        "ratio_10_writers": f"{(2 * batch / hand_10) / (2 * batch / ours_10):.2f}",
        "target_ratio": f"{TARGET}",
        "ratio_median": f"{ours_med / hand_med:.2f}",
    }
    for name, value in figures.items():
        print(f"{name}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
