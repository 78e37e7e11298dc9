"""Module releases: a snapshot of each module's content every time it changes, to diff later.

A module's content here is what a trainee reads: its lesson titles and text, and the title
and statement of every policy point its lessons cite. Its hash changes when any of these
change, including a policy point's wording (which the module's version hash alone misses).
The app stores a release when it starts with content it has not served before.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from db.models import ModuleRelease, utcnow
from training.audit import record_event
from training.content import POINT_MARKER, Catalog, Module


def utc_naive(moment: datetime) -> datetime:
    """Stored times compare as naive UTC (SQLite hands them back without a zone)."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def module_points(module: Module) -> list[str]:
    """Policy points a module cites, in lesson order (listed or by {pp:id} marker)."""
    seen: dict[str, None] = {}
    for lesson in module.lessons:
        for pid in (*lesson.policy_points, *POINT_MARKER.findall(lesson.body)):
            seen.setdefault(pid, None)
    return list(seen)


def module_content(module: Module, catalog: Catalog) -> dict[str, Any]:
    points = {pid: {"title": catalog.policy_points[pid].title, "statement": catalog.policy_points[pid].statement}
              for pid in module_points(module) if pid in catalog.policy_points}
    return {"module_id": module.id, "title": module.title,
            "lessons": [{"id": le.id, "title": le.title, "body": le.body} for le in module.lessons],
            "points": points}


def content_hash(content: dict[str, Any]) -> str:
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Release:
    module_id: str
    content_hash: str
    module_version_hash: str
    released_at: datetime
    content: dict[str, Any]


def _release(row: ModuleRelease) -> Release:
    return Release(row.module_id, row.content_hash, row.module_version_hash, utc_naive(row.released_at),
                   json.loads(row.content))


def sync_releases(*, session: Session, catalog: Catalog, now: datetime | None = None) -> list[str]:
    """Store a release for each module whose content differs from its last release; the ids that changed."""
    latest: dict[str, str] = {}
    for module_id, chash in session.exec(select(ModuleRelease.module_id, ModuleRelease.content_hash)
                                         .order_by(col(ModuleRelease.id))):
        latest[module_id] = chash
    changed = []
    for module in catalog.modules_in_order():
        content = module_content(module, catalog)
        chash = content_hash(content)
        if latest.get(module.id) == chash:
            continue
        session.add(ModuleRelease(module_id=module.id, content_hash=chash, module_version_hash=module.version_hash,
                                  content=json.dumps(content, ensure_ascii=False), released_at=now or utcnow()))
        if module.id in latest:
            changed.append(module.id)
            record_event(session=session, action="content.change", target_type="module", target_id=module.id,
                         content_hash=chash, module_version_hash=module.version_hash)
    session.flush()
    return changed


def releases_of(session: Session, module_id: str) -> list[Release]:
    """Every release of a module, oldest first."""
    return [_release(r) for r in session.exec(select(ModuleRelease).where(ModuleRelease.module_id == module_id)
                                              .order_by(col(ModuleRelease.id)))]


def change_times(session: Session, catalog: Catalog) -> dict[str, datetime]:
    """module id -> when its current content went live, for modules whose content has changed."""
    rows: dict[str, list[tuple[str, datetime]]] = {}
    for module_id, chash, at in session.exec(select(ModuleRelease.module_id, ModuleRelease.content_hash,
                                                    ModuleRelease.released_at).order_by(col(ModuleRelease.id))):
        rows.setdefault(module_id, []).append((chash, utc_naive(at)))
    out = {}
    for module in catalog.modules_in_order():
        history = rows.get(module.id, [])
        current = content_hash(module_content(module, catalog))
        if not history or history[-1][0] != current:
            continue  # not released yet in this database: nothing to compare with
        i = len(history) - 1
        while i > 0 and history[i - 1][0] == current:
            i -= 1
        if i > 0:  # an earlier, different release exists: the content changed at history[i]
            out[module.id] = history[i][1]
    return out


def release_at(session: Session, module_id: str, moment: datetime, version_hash: str) -> Release | None:
    """The release that was live at a moment (else the last one of that module version), if stored."""
    history = releases_of(session, module_id)
    live = [r for r in history if r.released_at <= utc_naive(moment)]
    if live and live[-1].module_version_hash == version_hash:
        return live[-1]
    same = [r for r in history if r.module_version_hash == version_hash]
    return same[-1] if same else (live[-1] if live else None)
