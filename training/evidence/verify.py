"""The keyed half of record verification: seals, the audit chain, re-grading, cross-checks.

Rules an auditor may ask about (each run by `python -m training verify-records`):
- Every submitted attempt is re-graded from the stored question versions and the options
  chosen (training/scoring.py): each answer's credit, the score and the pass against the
  attempt's pass mark must come out as stored, and the answers must be for exactly the
  questions drawn, in the option order shown.
- Every submitted attempt, completion and audit event written since keyed evidence began
  must carry a seal that verifies with the evidence keyring. Rows from before (an upgraded
  installation) are listed in a signed baseline and are covered by the older checks only.
- Each completion matches its attempt (officer, department, quiz, module, score) and names
  a stored module version of that module.
- The audit chain is unbroken, and every `quiz.submit` event matches a submitted attempt
  with the same score, and every started attempt that is submitted has its `quiz.submit`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from training.evidence.keys import Keyring
from training.evidence.seals import GENESIS, attempt_digest, audit_hash, baseline_message, message
from training.schema import Question
from training.scoring import score_question, score_quiz

LIMIT = 20  # findings listed per check
BATCH = 500


@dataclass(frozen=True)
class Finding:
    table: str
    row_id: int | str
    reason: str

    def __str__(self) -> str:
        return f"{self.table} row {self.row_id}: {self.reason}"


@dataclass(frozen=True)
class Baseline:
    attempt: int = 0
    completion: int = 0
    audit: int = 0


class Findings:
    def __init__(self) -> None:
        self.items: list[Finding] = []
        self.per_check: dict[str, int] = defaultdict(int)

    def add(self, check: str, table: str, row_id: int | str, reason: str) -> None:
        self.per_check[check] += 1
        if self.per_check[check] <= LIMIT:
            self.items.append(Finding(table, row_id, reason))


def _rows(session: Session, sql: str, **params: Any) -> Iterator[dict[str, Any]]:
    for row in session.execute(text(sql), params).mappings():
        yield dict(row)


def _seal_problem(keyring: Keyring, row: dict[str, Any], kind: str, digest: str) -> str | None:
    if not row.get("seal"):
        return "it has no seal (it was not written by the application)"
    if not any(k.key_id == row.get("key_id") for k in keyring.keys):
        return f"its seal names key {str(row.get('key_id'))[:40]!r}, which is not in the keyring"
    if not keyring.verify(row["key_id"], message(kind, digest), row["seal"]):
        return "its seal does not verify (the row was changed after it was written)"
    return None


def read_baseline(session: Session, keyring: Keyring, found: Findings) -> Baseline:
    rows = list(_rows(session, "SELECT * FROM evidence_baseline ORDER BY id"))
    if len(rows) != 1:
        found.add("baseline", "evidence_baseline", "-", f"expected one signed baseline row, found {len(rows)}")
        return Baseline()
    b = rows[0]
    msg = baseline_message(b["attempt_max_id"], b["completion_max_id"], b["audit_max_id"], b["created_at"])
    if not keyring.verify(b["key_id"], msg, b["seal"]):
        found.add("baseline", "evidence_baseline", b["id"], "its seal does not verify (it was moved)")
        return Baseline()
    return Baseline(b["attempt_max_id"], b["completion_max_id"], b["audit_max_id"])


def check_attempts(session: Session, keyring: Keyring, base: Baseline, found: Findings) -> int:
    """Seal, re-grade and drawn-versus-answered for every submitted attempt; returns how many."""
    versions: dict[str, Question | None] = {}
    ids = [r[0] for r in session.execute(text("SELECT id FROM attempt WHERE status = 'submitted' ORDER BY id"))]
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        lo, hi = chunk[0], chunk[-1]
        answers: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for a in _rows(session, "SELECT * FROM answer WHERE attempt_id BETWEEN :lo AND :hi ORDER BY attempt_id, "
                                "position", lo=lo, hi=hi):
            answers[a["attempt_id"]].append(a)
        drawn: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for q in _rows(session, "SELECT * FROM attempt_question WHERE attempt_id BETWEEN :lo AND :hi "
                                "ORDER BY attempt_id, position", lo=lo, hi=hi):
            drawn[q["attempt_id"]].append(q)
        for att in _rows(session, "SELECT * FROM attempt WHERE status = 'submitted' AND id BETWEEN :lo AND :hi "
                                  "ORDER BY id", lo=lo, hi=hi):
            mine = answers.get(att["id"], [])
            if att["id"] > base.attempt:
                problem = _seal_problem(keyring, att, "attempt", attempt_digest(att, mine))
                if problem:
                    found.add("attempt-seal", "attempt", att["id"], problem)
            _check_drawn(att["id"], drawn.get(att["id"], []), mine, found)
            _regrade(session, att, mine, versions, found)
    return len(ids)


def _check_drawn(attempt_id: int, drawn: list[dict[str, Any]], answers: list[dict[str, Any]],
                 found: Findings) -> None:
    shown = [(q["position"], q["question_id"], q["question_hash"], q["option_order"]) for q in drawn]
    given = [(a["position"], a["question_id"], a["question_hash"], a["option_order"]) for a in answers]
    if shown != given:
        found.add("drawn", "attempt", attempt_id, f"its answers are not for exactly the questions drawn "
                                                  f"({len(given)} answers, {len(shown)} drawn)")


def _question(session: Session, qhash: str, cache: dict[str, Question | None]) -> Question | None:
    if qhash not in cache:
        row = session.execute(text("SELECT content FROM question_version WHERE question_hash = :h"),
                              {"h": qhash}).scalar()
        cache[qhash] = None if row is None else Question.model_validate(json.loads(row)["question"], strict=False)
    return cache[qhash]


def _regrade(session: Session, att: dict[str, Any], answers: list[dict[str, Any]],
             cache: dict[str, Question | None], found: Findings) -> None:
    credits = []
    for a in answers:
        q = _question(session, a["question_hash"], cache)
        if q is None:
            return  # reported by the older check: its question version is not stored
        chosen = json.loads(a["chosen"])
        if not set(chosen) <= set(json.loads(a["option_order"])):
            found.add("regrade", "answer", a["id"], "it chose an option that was not shown")
        credit = score_question(q, chosen)
        credits.append(credit)
        if abs(credit - float(a["credit"])) > 1e-9 or bool(a["correct"]) != (credit == 1.0):
            found.add("regrade", "answer", a["id"], f"re-graded it earns {credit:.3f}, but {float(a['credit']):.3f} "
                                                    "is stored")
    result = score_quiz(credits, int(att["pass_mark"]))
    stored = None if att["score"] is None else round(float(att["score"]), 1)
    if stored != result.percent or bool(att["passed"]) != result.passed:
        found.add("regrade", "attempt", att["id"],
                  f"re-graded from its answers it scores {result.percent:.1f} ({'pass' if result.passed else 'fail'} "
                  f"at {att['pass_mark']}), but {stored} ({'pass' if att['passed'] else 'fail'}) is stored")


def check_completions(session: Session, keyring: Keyring, base: Baseline, found: Findings) -> None:
    sql = ("SELECT c.*, a.officer_id AS a_officer, a.department_id AS a_dept, a.quiz_id AS a_quiz, "
           "a.module_id AS a_module, a.score AS a_score, mv.module_id AS mv_module FROM completion c "
           "LEFT JOIN attempt a ON a.id = c.attempt_id "
           "LEFT JOIN module_version mv ON mv.version_hash = c.module_version_hash ORDER BY c.id")
    for c in _rows(session, sql):
        if c["id"] <= base.completion:
            continue
        problem = _seal_problem(keyring, c, "completion", c["row_hash"])
        if problem:
            found.add("completion-seal", "completion", c["id"], problem)
        mismatch = [name for name, mine, theirs in (
            ("officer", c["officer_id"], c["a_officer"]), ("department", c["department_id"], c["a_dept"]),
            ("quiz", c["quiz_id"], c["a_quiz"]), ("module", c["module_id"], c["a_module"]),
            ("score", round(float(c["score"]), 1), None if c["a_score"] is None else round(float(c["a_score"]), 1)),
        ) if mine != theirs]
        if mismatch:
            found.add("completion-attempt", "completion", c["id"], f"it does not match its attempt "
                                                                   f"({', '.join(mismatch)})")
        if c["mv_module"] != c["module_id"]:
            found.add("completion-version", "completion", c["id"],
                      f"its module version {c['module_version_hash'][:12]} is not a stored version of {c['module_id']}")


def check_audit(session: Session, keyring: Keyring, base: Baseline, found: Findings) -> int:
    """Walk the audit chain after the baseline; returns how many events it covers."""
    prev, n = GENESIS, 0
    for e in _rows(session, "SELECT * FROM audit_event WHERE id > :b ORDER BY id", b=base.audit):
        n += 1
        if e["row_hash"] is None:
            found.add("audit-chain", "audit_event", e["id"], "it is not chained (not written by the application)")
            continue
        if e["prev_hash"] != prev:
            found.add("audit-chain", "audit_event", e["id"], "audit chain broken: its prev_hash does not match the "
                                                             "event before it (an event was deleted or inserted)")
        elif audit_hash(prev, e) != e["row_hash"]:
            found.add("audit-chain", "audit_event", e["id"], "audit chain broken: its contents do not match its hash "
                                                             "(the event was edited)")
        problem = _seal_problem(keyring, e, "audit_event", e["row_hash"])
        if problem:
            found.add("audit-seal", "audit_event", e["id"], problem)
        prev = e["row_hash"]
    _cross_check_submissions(session, found)
    return n


def _cross_check_submissions(session: Session, found: Findings) -> None:
    events: dict[str, dict[str, Any]] = {}
    for e in _rows(session, "SELECT target_id, detail FROM audit_event WHERE action = 'quiz.submit'"):
        events[str(e["target_id"])] = json.loads(e["detail"] or "{}")
    attempts = {str(a["id"]): a for a in _rows(session, "SELECT id, status, score, passed FROM attempt")}
    for target, detail in events.items():
        a = attempts.get(target)
        if a is None or a["status"] != "submitted":
            found.add("audit-attempt", "attempt", target, "the audit log records its submission, but it is "
                                                          "missing or not submitted")
        elif (round(float(a["score"] or 0), 1) != round(float(detail.get("score", -1)), 1)
              or bool(a["passed"]) != bool(detail.get("passed"))):
            found.add("audit-attempt", "attempt", target, f"its score or pass differs from the audit log's "
                                                          f"quiz.submit ({detail.get('score')})")
    for e in _rows(session, "SELECT DISTINCT target_id FROM audit_event WHERE action = 'quiz.start'"):
        a = attempts.get(str(e["target_id"]))
        if a is not None and a["status"] == "submitted" and str(e["target_id"]) not in events:
            found.add("audit-attempt", "attempt", str(e["target_id"]), "it is submitted, but the audit log has no "
                                                                       "quiz.submit for it")
