"""Audit events: written in the same transaction as the change they describe, hash-chained and
sealed with the evidence key (training/evidence/seals.py) so a deleted or edited event is named."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from db.models import AuditEvent, utcnow
from db.raw import Raw, Sql
from training.evidence.seals import chain_audit_event_raw, chain_audit_events


def record_event(*, session: Session, action: str, actor_id: int | None = None, target_type: str | None = None,
                 target_id: object = None, department_id: int | None = None, **detail: Any) -> None:
    # A plain INSERT (not an ORM object): audit rows are write-once, and this sits on every
    # write path. Pending objects are flushed first, so events keep their order.
    record_events(session=session, events=[{
        "at": utcnow(), "actor_id": actor_id, "action": action, "target_type": target_type,
        "target_id": None if target_id is None else str(target_id), "department_id": department_id,
        "detail": json.dumps(detail, default=str, sort_keys=True, ensure_ascii=False),
    }])


_AUDIT = AuditEvent.metadata.tables["audit_event"]
_INSERT = insert(_AUDIT)  # built once: a Core INSERT on the table skips the ORM's bulk-insert bookkeeping


def record_events(*, session: Session, events: Sequence[dict[str, Any]]) -> None:
    """Several events at once (a roster import), each chained and sealed in order."""
    if events:
        session.flush()  # objects the caller added are written first, so the events keep their order
        session.execute(_INSERT, chain_audit_events(session, events))


_COLUMNS = ("at", "actor_id", "action", "target_type", "target_id", "department_id", "detail", "prev_hash", "row_hash",
            "key_id", "seal")
_INSERT_RAW = Sql(f"INSERT INTO audit_event ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})")


def record_event_raw(raw: Raw, *, action: str, actor_id: int | None = None, target_type: str | None = None,
                     target_id: object = None, department_id: int | None = None, **detail: Any) -> None:
    """record_event for a writer already on the driver connection (db/raw.py; a submission): the
    same row, chained and sealed the same way, without SQLAlchemy's per-statement cost."""
    event = chain_audit_event_raw(raw, {
        "at": utcnow(), "actor_id": actor_id, "action": action, "target_type": target_type,
        "target_id": None if target_id is None else str(target_id), "department_id": department_id,
        "detail": json.dumps(detail, default=str, sort_keys=True, ensure_ascii=False)})
    event["at"] = raw.when(event["at"])
    raw.run(_INSERT_RAW, [event[c] for c in _COLUMNS])


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The fields that differ, as {field: {"before": ..., "after": ...}}: the detail of an update event."""
    return {k: {"before": before[k], "after": after[k]} for k in before if before[k] != after[k]}
