"""Audit events: written in the same transaction as the change they describe."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from db.models import AuditEvent, utcnow


def record_event(*, session: Session, action: str, actor_id: int | None = None, target_type: str | None = None,
                 target_id: object = None, department_id: int | None = None, **detail: Any) -> None:
    # A plain INSERT (not an ORM object): audit rows are write-once, and this sits on every
    # write path. The session flushes pending objects first, so events keep their order.
    session.execute(insert(AuditEvent).values(
        at=utcnow(), actor_id=actor_id, action=action, target_type=target_type,
        target_id=None if target_id is None else str(target_id), department_id=department_id,
        detail=json.dumps(detail, default=str, sort_keys=True, ensure_ascii=False),
    ))
