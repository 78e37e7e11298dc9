"""Builders for read-side tests: officers, attempts with answers, completions and assignments,
written straight to the tables (the write side has its own tests)."""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Engine
from sqlmodel import Session

from db.engine import write_session
from db.models import Answer, Assignment, Attempt, LessonProgress, Officer
from training.identity.principal import Principal, principal_of
from training.records import record_completion

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)  # a Monday
TODAY = date(2026, 6, 1)
_badges = itertools.count(1)


def add_officer(s: Session, department_id: int | None, name: str, role: str = "trainee") -> Principal:
    n = next(_badges)
    o = Officer(name=name, email=f"o{n}-{name.replace(' ', '.').lower()}@example.org", badge_number=f"B{n:05d}",
                department_id=department_id, role=role)
    s.add(o)
    s.flush()
    return principal_of(o)


def add_attempt(s: Session, who: Principal, *, module_id: str = "sample-module", number: int = 1,
                results: tuple[bool, ...] = (True, True, True, True), question_ids: tuple[str, ...] | None = None,
                at: datetime = T0, complete: bool | None = None, question_hash: str = "h1") -> int:
    """A submitted attempt whose answers are right or wrong as given; a pass records a completion."""
    score = 100.0 * sum(results) / len(results)
    passed = score >= 80 if complete is None else complete
    a = Attempt(officer_id=who.officer_id, department_id=who.department_id, quiz_id=f"{module_id}-quiz",
                module_id=module_id, quiz_hash="q", attempt_number=number, status="submitted", started_at=at,
                submitted_at=at + timedelta(minutes=10), score=score, passed=passed, pass_mark=80)
    s.add(a)
    s.flush()
    assert a.id is not None
    qids = question_ids or tuple(f"q{i}" for i in range(1, len(results) + 1))
    for pos, (qid, ok) in enumerate(zip(qids, results, strict=True), start=1):
        s.add(Answer(attempt_id=a.id, position=pos, question_id=qid, question_hash=question_hash,
                     option_order=json.dumps(["a", "b"]), chosen=json.dumps(["a" if ok else "b"]),
                     credit=1.0 if ok else 0.0, correct=ok))
    if passed:
        s.flush()
        record_completion(session=s, officer_id=who.officer_id, department_id=who.department_id,
                          module_id=module_id, module_version_hash="v", quiz_id=a.quiz_id, attempt_id=a.id,
                          score=score, now=at + timedelta(minutes=10))
    return a.id


def assign(s: Session, module_id: str, due: date, *, department_id: int | None = None,
           officer_id: int | None = None, cycle: str = "2027") -> None:
    s.add(Assignment(module_id=module_id, department_id=department_id, officer_id=officer_id, due_date=due,
                     cycle=cycle))


def read_lesson(s: Session, who: Principal, module_id: str = "sample-module") -> None:
    s.add(LessonProgress(officer_id=who.officer_id, module_id=module_id, lesson_id="first-lesson",
                         module_version_hash="v"))


def department_with_every_status(engine: Engine, people: dict[str, Principal]) -> dict[str, Principal]:
    """North, on sample-module: one officer passed, one overdue (own assignment due 2026-05-01), one in
    progress, one not started (the department's assignment is due 2026-09-01). Everyone in north is
    overdue on other-module (department assignment due 2026-04-01). South has one passed officer."""
    north = people["north_trainee"].department_id
    with write_session(engine) as s:
        out = {"passed": people["north_trainee"], "overdue": people["north_supervisor"],
               "in progress": add_officer(s, north, "Ivy Inprogress"),
               "not started": add_officer(s, north, "Nell Notstarted")}
        add_attempt(s, out["passed"])
        add_attempt(s, people["south_trainee"])
        read_lesson(s, out["in progress"])
        assign(s, "sample-module", date(2026, 9, 1), department_id=north)
        assign(s, "sample-module", date(2026, 5, 1), officer_id=out["overdue"].officer_id, cycle="2026")
        assign(s, "other-module", date(2026, 4, 1), department_id=north)
    return out
