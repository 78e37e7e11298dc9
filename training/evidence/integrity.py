"""Record verification: do the stored records still add up? Read-only; never repairs.

Rules an auditor may ask about, each checked by `python -m training verify-records`:
- The completion hash chain is unbroken: every row's prev_hash is the row_hash before it,
  and every row_hash matches the row's contents (see training.records).
- Every completion points at a submitted, passed attempt, and every passed attempt of a
  module has its completion (so removing the newest completion is caught too, which the
  chain alone cannot see).
- Every submitted attempt has one graded answer for each question it drew (none is
  half-written), and every answer names a question version whose full text is stored.
- The keyed checks of training/evidence/verify.py: every seal, the audit chain, re-grading
  every submitted attempt, each completion against its attempt.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, text
from sqlmodel import Session, select

from db.models import Answer, Attempt, Completion
from training.evidence import verify as keyed
from training.evidence.keys import Keyring, KeyUnavailable, load_keyring
from training.evidence.verify import Finding
from training.records import verify_chain

LIMIT = 20  # findings listed per check; the first one is what matters
__all__ = ["Finding", "RecordsReport", "verify_records"]


@dataclass(frozen=True)
class RecordsReport:
    completions: int
    attempts_submitted: int
    answers: int
    findings: tuple[Finding, ...]
    audit_events: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings


# Each query returns (row id, detail) for rows that break one rule.
_CHECKS: tuple[tuple[str, str, str], ...] = (
    ("completion", "its attempt is not a submitted, passed attempt ({})",
     "SELECT c.id, COALESCE(a.status, 'missing') FROM completion c LEFT JOIN attempt a ON a.id = c.attempt_id "
     "WHERE a.id IS NULL OR a.status <> 'submitted' OR a.passed IS NOT TRUE ORDER BY c.id"),
    ("attempt", "it was passed but has no completion ({})",
     "SELECT a.id, a.quiz_id FROM attempt a LEFT JOIN completion c ON c.attempt_id = a.id "
     "WHERE a.status = 'submitted' AND a.passed IS TRUE AND a.module_id IS NOT NULL AND c.id IS NULL ORDER BY a.id"),
    ("attempt", "it is submitted but half-written: {}",
     "SELECT a.id, CAST(COALESCE(n_ans.n, 0) AS VARCHAR(20)) || ' answers for ' "
     "|| CAST(COALESCE(n_q.n, 0) AS VARCHAR(20)) || ' questions drawn' FROM attempt a "
     "LEFT JOIN (SELECT attempt_id, COUNT(*) AS n FROM answer GROUP BY attempt_id) n_ans ON n_ans.attempt_id = a.id "
     "LEFT JOIN (SELECT attempt_id, COUNT(*) AS n FROM attempt_question GROUP BY attempt_id) n_q "
     "ON n_q.attempt_id = a.id "
     "WHERE a.status = 'submitted' AND (COALESCE(n_ans.n, 0) <> COALESCE(n_q.n, 0) OR a.submitted_at IS NULL "
     "OR a.score IS NULL OR a.passed IS NULL) ORDER BY a.id"),
    ("answer", "its question version {} is not stored",
     "SELECT an.id, an.question_hash FROM answer an LEFT JOIN question_version qv "
     "ON qv.question_hash = an.question_hash WHERE qv.question_hash IS NULL ORDER BY an.id"),
)


def verify_records(*, session: Session, keyring: Keyring | None = None) -> RecordsReport:
    """Run every check; the chain's first broken row comes first in the findings."""
    findings: list[Finding] = []
    chain = verify_chain(session=session)
    if not chain.ok and chain.first_broken_id is not None:
        findings.append(Finding("completion", chain.first_broken_id, f"hash chain broken: {chain.reason}"))
    for table, reason, sql in _CHECKS:
        for row_id, detail in session.execute(text(sql)).fetchmany(LIMIT):
            findings.append(Finding(table, row_id, reason.format(str(detail)[:80])))
    audit_events = 0
    try:
        keyring = keyring or load_keyring()
    except KeyUnavailable as exc:
        findings.append(Finding("evidence key", "-", f"seals cannot be checked: {exc}"))
    else:
        found = keyed.Findings()
        base = keyed.read_baseline(session, keyring, found)
        keyed.check_attempts(session, keyring, base, found)
        keyed.check_completions(session, keyring, base, found)
        audit_events = keyed.check_audit(session, keyring, base, found)
        findings.extend(found.items)
    return RecordsReport(
        completions=session.exec(select(func.count()).select_from(Completion)).one(),
        attempts_submitted=session.exec(select(func.count()).select_from(Attempt)
                                        .where(Attempt.status == "submitted")).one(),
        answers=session.exec(select(func.count()).select_from(Answer)).one(),
        findings=tuple(findings),
        audit_events=audit_events,
    )
