"""Seals: what exactly is signed for each kind of evidence, in one place for writer and verifier.

Rules an auditor may ask about:
- A submitted attempt's seal covers the attempt (officer, quiz, quiz version, pass mark,
  times, score, pass) and every answer (question version, option order shown, choices,
  credit). Re-grading is still done by verify-records; the seal says the rows are the ones
  the application wrote.
- Completions and audit events are each a hash chain (every row carries the hash of the one
  before it) and every row's hash is sealed, so a row inserted, edited or deleted in the
  middle is named, and a recomputed chain has no valid seals.
- Only one writer extends the chains at a time (a PostgreSQL advisory lock; SQLite write
  transactions already queue).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from db.raw import Raw, Sql
from training.evidence.keys import Keyring, KeyUnavailable, load_keyring

GENESIS = "0" * 64
PREFIX = b"fipp-evidence-v1|"
CHAIN_LOCK = 7461  # the same advisory lock the completion chain has always taken


def stamp(dt: datetime | str | None) -> str:
    """Naive UTC text: the same on SQLite and PostgreSQL (raw SQLite reads give text)."""
    if dt is None:
        return ""
    if isinstance(dt, str):
        dt = datetime.fromisoformat(dt)
    if dt.tzinfo is not None:
        dt = dt.astimezone(timezone.utc).replace(tzinfo=None)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%f")


def _digest(body: object) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                                     default=str).encode("utf-8")).hexdigest()


def message(kind: str, digest: str) -> bytes:
    return PREFIX + kind.encode("ascii") + b"|" + digest.encode("ascii")


def lock_chains(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})"))


_LOCK_CHAINS = Sql(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})")


def lock_chains_raw(raw: Raw) -> None:
    """lock_chains, for a writer on the driver connection (db/raw.py)."""
    if raw.postgresql:
        raw.run(_LOCK_CHAINS)


def attempt_digest(attempt: Mapping[str, Any], answers: Sequence[Mapping[str, Any]]) -> str:
    """Digest of a submitted attempt and its answers (in position order)."""
    score = attempt["score"]
    body = {
        "id": attempt["id"], "officer_id": attempt["officer_id"], "department_id": attempt["department_id"],
        "quiz_id": attempt["quiz_id"], "module_id": attempt["module_id"], "quiz_hash": attempt["quiz_hash"],
        "attempt_number": attempt["attempt_number"], "pass_mark": attempt["pass_mark"], "cycle": attempt.get("cycle"),
        "started_at": stamp(attempt["started_at"]), "submitted_at": stamp(attempt["submitted_at"]),
        "score": None if score is None else f"{float(score):.1f}",
        "passed": None if attempt["passed"] is None else bool(attempt["passed"]),
        "answers": [[a["position"], a["question_id"], a["question_hash"], a["option_order"], a["chosen"],
                     f"{float(a['credit']):.6f}", bool(a["correct"])]
                    for a in sorted(answers, key=lambda a: int(a["position"]))],
    }
    return _digest(body)


def seal_attempt(attempt: Mapping[str, Any], answers: Sequence[Mapping[str, Any]],
                 keyring: Keyring | None = None) -> dict[str, str]:
    """{"key_id", "seal"} to store with a submitted attempt."""
    key_id, sig = (keyring or load_keyring()).sign(message("attempt", attempt_digest(attempt, answers)))
    return {"key_id": key_id, "seal": sig}


def audit_hash(prev_hash: str, event: Mapping[str, Any]) -> str:
    body = [prev_hash, stamp(event["at"]), event.get("actor_id"), event["action"], event.get("target_type"),
            event.get("target_id"), event.get("department_id"), event.get("detail") or "{}"]
    return _digest(body)


def seal_row_hash(kind: str, row_hash: str, keyring: Keyring | None = None) -> dict[str, str]:
    key_id, sig = (keyring or load_keyring()).sign(message(kind, row_hash))
    return {"key_id": key_id, "seal": sig}


_LAST_AUDIT_SQL = "SELECT row_hash FROM audit_event WHERE row_hash IS NOT NULL ORDER BY id DESC LIMIT 1"
_LAST_AUDIT_HASH = text(_LAST_AUDIT_SQL)
_LAST_AUDIT_RAW = Sql(_LAST_AUDIT_SQL)


def chain_audit_events(session: Session, events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events with prev_hash, row_hash, key_id and seal filled in, continuing the audit chain.

    Call inside the writing transaction; it takes the chain lock first."""
    lock_chains(session)
    prev = session.execute(_LAST_AUDIT_HASH).scalar()
    prev = prev or GENESIS
    keyring = load_keyring()
    out = []
    for event in events:
        row_hash = audit_hash(prev, event)
        out.append({**event, "prev_hash": prev, "row_hash": row_hash, **seal_row_hash("audit_event", row_hash,
                                                                                        keyring)})
        prev = row_hash
    return out


def chain_audit_event_raw(raw: Raw, event: dict[str, Any]) -> dict[str, Any]:
    """chain_audit_events for one event, for a writer on the driver connection (db/raw.py)."""
    lock_chains_raw(raw)
    last = raw.one(_LAST_AUDIT_RAW)
    prev = (last[0] if last else None) or GENESIS
    row_hash = audit_hash(prev, event)
    return {**event, "prev_hash": prev, "row_hash": row_hash, **seal_row_hash("audit_event", row_hash)}


def baseline_message(attempt_max_id: int, completion_max_id: int, audit_max_id: int,
                     created_at: datetime | str) -> bytes:
    return message("baseline", _digest([attempt_max_id, completion_max_id, audit_max_id, stamp(created_at)]))


def ensure_evidence_key(session: Session) -> Keyring:
    """At start: the keyring, made (mode 0600) if this is a first start. If the database already
    holds seals, a missing key is an error to fix by restoring the key's backup, never a reason
    to make a new key (whose seals would not match the old ones)."""
    try:
        return load_keyring()
    except KeyUnavailable as exc:
        sealed = session.execute(text("SELECT 1 FROM audit_event WHERE seal IS NOT NULL LIMIT 1")).first()
        if sealed is not None:
            raise KeyUnavailable(f"{exc}. This database already holds sealed evidence: restore the evidence key "
                                 "from its backup instead of starting without it") from None
        return load_keyring(create=True)
