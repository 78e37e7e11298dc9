"""Re-certification: who must retake part of a module because its content changed after they passed.

Rules a supervisor may ask about:
- An officer must re-certify a module when their latest completion of it in the current
  cycle predates a change: the module's content (lesson text, or the wording of a policy
  point it cites) changed after they completed it, or their department entered or changed
  its adopted wording for one of those points after they completed it (that department only).
- They see what changed (the lesson lines and the point wording, before and after) and take
  a short re-certification quiz: up to five questions that cite the changed points, with the
  module quiz's pass mark. It is recorded like any attempt, pinned to the question versions
  shown, and passing it records a new completion of the current version, which ends the
  re-certification. Starting and submitting are audited like any quiz.
- A re-certification does not undo the pass: the module still counts as passed in the cycle,
  and supervisors see the officer on the re-certify list until it is done.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert
from sqlmodel import Session, col, select

from db.models import Attempt, AttemptQuestion, Completion, Officer, utcnow
from training.administration.cycles import current_cycle_label
from training.administration.releases import change_times, module_content, module_points, release_at, utc_naive
from training.administration.wording import wording_as_of, wording_in_force
from training.audit import record_event
from training.content import Catalog
from training.errors import NotAllowed, NotFound
from training.identity.principal import Principal
from training.oversight import department_in_scope
from training.quizzes import (
    DELTA_PREFIX,
    OpenAttempt,
    ShownOption,
    ShownQuestion,
    _open_attempt,
    _store_versions,
    load_open_attempt,
)

DELTA_QUESTIONS = 5
CONTENT = "the module's content changed"
WORDING = "your department's adopted wording changed"


@dataclass(frozen=True)
class Recertification:
    officer_id: int
    module_id: str
    cycle: str
    completed_at: datetime
    version_hash: str
    reasons: tuple[str, ...]


def _latest_completions(session: Session, officer_ids: list[int], cycle: str | None) -> list[Completion]:
    q = select(Completion).where(col(Completion.officer_id).in_(officer_ids))
    if cycle is not None:
        q = q.where(Completion.cycle == cycle)
    latest: dict[tuple[int, str], Completion] = {}
    for c in session.exec(q.order_by(col(Completion.id))):
        latest[(c.officer_id, c.module_id)] = c
    return list(latest.values())


def _needs(session: Session, catalog: Catalog, department_id: int | None,
           completions: list[Completion]) -> list[Recertification]:
    changed_at = change_times(session, catalog)
    wording = wording_in_force(session=session, department_id=department_id)
    out = []
    for c in completions:
        module = catalog.modules.get(c.module_id)
        if module is None:
            continue
        done = utc_naive(c.completed_at)
        reasons = []
        if c.module_version_hash != module.version_hash or (c.module_id in changed_at and done < changed_at[c.module_id]):
            reasons.append(CONTENT)
        if any(w.entered_at > done for p, w in wording.items() if p in module_points(module)):
            reasons.append(WORDING)
        if reasons:
            out.append(Recertification(c.officer_id, c.module_id, c.cycle, done, c.module_version_hash, tuple(reasons)))
    return out


def recertifications_for_officer(*, session: Session, catalog: Catalog, officer_id: int,
                                 department_id: int | None) -> dict[str, Recertification]:
    """Module id -> the officer's outstanding re-certification in the current cycle."""
    found = _needs(session, catalog, department_id,
                   _latest_completions(session, [officer_id], current_cycle_label(session)))
    return {r.module_id: r for r in found}


@dataclass(frozen=True)
class RecertRow:
    officer_id: int
    officer_name: str
    badge_number: str
    module_id: str
    completed_at: datetime
    reasons: tuple[str, ...]


def department_recertifications(*, session: Session, actor: Principal, catalog: Catalog,
                                department_id: int | None, cycle: str | None = None) -> list[RecertRow]:
    """Who in the department must re-certify which module (supervisors: their own department)."""
    dept = department_in_scope(session=session, actor=actor, department_id=department_id)
    roster = {o.id: o for o in session.exec(select(Officer).where(
        Officer.department_id == dept.id, Officer.active == True, Officer.role != "admin"))}  # noqa: E712
    cycle = cycle if cycle is not None else current_cycle_label(session)
    found = _needs(session, catalog, dept.id, _latest_completions(session, [i for i in roster if i], cycle))
    order = {m.id: i for i, m in enumerate(catalog.modules_in_order())}
    rows = [RecertRow(r.officer_id, roster[r.officer_id].name, roster[r.officer_id].badge_number, r.module_id,
                      r.completed_at, r.reasons) for r in found]
    return sorted(rows, key=lambda r: (r.officer_name, r.officer_id, order.get(r.module_id, 99)))


@dataclass(frozen=True)
class PointChange:
    policy_point_id: str
    title: str
    before: str
    after: str
    kind: str  # "model wording" | "department wording"


@dataclass(frozen=True)
class Delta:
    module_id: str
    completed_at: datetime
    lesson_diffs: tuple[tuple[str, str], ...]  # (lesson title, readable diff)
    points: tuple[PointChange, ...]
    question_ids: tuple[str, ...]


def _diff(before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=1)
    return "\n".join(line for line in list(lines)[2:])


def what_changed(*, session: Session, actor: Principal, catalog: Catalog, module_id: str) -> Delta:
    """What changed in a module since the actor completed it, and the questions that test it."""
    need = recertifications_for_officer(session=session, catalog=catalog, officer_id=actor.officer_id,
                                        department_id=actor.department_id).get(module_id)
    if need is None:
        raise NotAllowed("No re-certification is due for this module.")
    module = catalog.modules[module_id]
    now = module_content(module, catalog)
    old = release_at(session, module_id, need.completed_at, need.version_hash)
    before = old.content if old else {"lessons": [], "points": {}}
    old_lessons = {le["id"]: le["body"] for le in before.get("lessons", [])}
    lesson_diffs: list[tuple[str, str]] = []
    lesson_points: set[str] = set()
    for le, lesson in zip(now["lessons"], module.lessons, strict=True):
        if old and old_lessons.get(le["id"]) != le["body"]:
            lesson_diffs.append((le["title"], _diff(old_lessons.get(le["id"], ""), le["body"])))
            lesson_points.update(lesson.policy_points)
    changes = []
    for pid, point in now["points"].items():
        was = before.get("points", {}).get(pid, {}).get("statement", "")
        if CONTENT in need.reasons and (old is None or was != point["statement"]):
            changes.append(PointChange(pid, point["title"], was, point["statement"], "model wording"))
    if WORDING in need.reasons and actor.department_id is not None:
        current = wording_in_force(session=session, department_id=actor.department_id)
        for pid in module_points(module):
            w = current.get(pid)
            if w is not None and w.entered_at > need.completed_at:
                was = wording_as_of(session, actor.department_id, pid, need.completed_at)
                changes.append(PointChange(pid, catalog.policy_points[pid].title, was, w.text, "department wording"))
    changed = {c.policy_point_id for c in changes} or lesson_points
    return Delta(module_id, need.completed_at, tuple(lesson_diffs), tuple(changes),
                 tuple(delta_questions(catalog, module_id, changed)))


def delta_questions(catalog: Catalog, module_id: str, changed_points: set[str]) -> list[str]:
    """Questions citing the changed points: from the module's own quiz first, then the whole bank."""
    module = catalog.modules[module_id]
    quiz = catalog.quizzes.get(module.quiz_id or "")
    pools = {d.pool for d in quiz.draw} if quiz else set()
    own = sorted(q.id for q in catalog.questions.values() if q.pool in pools)
    citing = [qid for qid in own if set(catalog.questions[qid].policy_points) & changed_points]
    if not citing:
        citing = sorted(q.id for q in catalog.questions.values() if set(q.policy_points) & changed_points)
    return citing or own


def start_delta_attempt(*, session: Session, actor: Principal, catalog: Catalog, module_id: str,
                        rng: random.Random | None = None) -> OpenAttempt:
    """Start (or resume) the re-certification quiz for a module the actor must re-certify."""
    if module_id not in catalog.modules:
        raise NotFound("No such module.")
    quiz_id = DELTA_PREFIX + module_id
    existing = _open_attempt(session, actor.officer_id, quiz_id)
    if existing is not None:
        return load_open_attempt(session=session, actor=actor, catalog=catalog, attempt_id=existing.id or 0)
    delta = what_changed(session=session, actor=actor, catalog=catalog, module_id=module_id)
    rng = rng or random.SystemRandom()
    ids = list(delta.question_ids)
    drawn = sorted(rng.sample(ids, min(DELTA_QUESTIONS, len(ids))))
    if not drawn:
        raise NotFound("No questions test what changed; ask your training office.")
    rng.shuffle(drawn)
    module_quiz = catalog.quizzes.get(catalog.modules[module_id].quiz_id or "")
    pass_mark = module_quiz.pass_mark if module_quiz else 80
    _store_versions(session, catalog, drawn)
    number = session.exec(select(func.count()).select_from(Attempt).where(
        Attempt.officer_id == actor.officer_id, Attempt.quiz_id == quiz_id)).one() + 1
    hashes = [catalog.question_hashes[q] for q in drawn]
    attempt = Attempt(officer_id=actor.officer_id, department_id=actor.department_id, quiz_id=quiz_id,
                      module_id=module_id, quiz_hash=hashlib.sha256("|".join(hashes).encode()).hexdigest(),
                      attempt_number=number, pass_mark=pass_mark, started_at=utcnow(),
                      cycle=current_cycle_label(session))
    session.add(attempt)
    session.flush()
    rows, shown = [], []
    for pos, qid in enumerate(drawn, start=1):
        q = catalog.questions[qid]
        order = [o.id for o in q.options]
        if q.type != "true_false":
            rng.shuffle(order)
        rows.append({"attempt_id": attempt.id, "position": pos, "question_id": qid,
                     "question_hash": catalog.question_hashes[qid], "option_order": json.dumps(order)})
        by_id = {o.id: o for o in q.options}
        shown.append(ShownQuestion(pos, qid, q.type, catalog.scenarios[q.scenario].text if q.scenario else None,
                                   q.stem, tuple(ShownOption(o, by_id[o].text) for o in order)))
    session.execute(insert(AttemptQuestion), rows)
    record_event(session=session, action="recertify.start", actor_id=actor.officer_id, target_type="attempt",
                 target_id=attempt.id, department_id=actor.department_id, module_id=module_id,
                 changed_points=sorted(p.policy_point_id for p in delta.points), questions=len(drawn))
    return OpenAttempt(attempt.id or 0, quiz_id, f"Re-certification: {catalog.modules[module_id].title}", number,
                       tuple(shown), {})
