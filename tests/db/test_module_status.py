"""module_status, the dashboards' derived cache, equals a from-scratch recomputation from the
records after any mix of writes, and a failed write leaves it as it was (same transaction)."""

import importlib.util
import random
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import Engine, text

from db.engine import read_session, write_session
from db.migrate import MIGRATIONS
from tests.db.oversight_seed import add_attempt, read_lesson
from training import quizzes
from training.administration.assignments import assign_module
from training.administration.cycles import open_cycle
from training.administration.waivers import grant_waiver, revoke_waiver
from training.content import Catalog
from training.identity.principal import Principal
from training.progress import mark_lesson_read, module_statuses
from training.status import department_overview

_spec = importlib.util.spec_from_file_location("m0015", MIGRATIONS / "versions" / "0015_module_status.py")
assert _spec is not None and _spec.loader is not None
_migration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_migration)

COLUMNS = "officer_id, module_id, cycle, lessons_read, attempts, best_score, completions, passed_at, completed_at, version_hash"
TODAY = date(2026, 6, 1)
T0 = datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)


def cached(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as c:  # a row whose counts all went back to 0 (a deleted open attempt) says nothing
        return [tuple(r) for r in c.execute(text(
            f"SELECT {COLUMNS} FROM module_status WHERE lessons_read + attempts + completions > 0 ORDER BY 1, 2, 3"))]


def recomputed(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(text(f"SELECT * FROM ({_migration.RECOMPUTE}) x ORDER BY 1, 2, 3"))]


def check(engine: Engine, people: dict[str, Principal], catalog: Catalog, cycles: tuple[str | None, ...]) -> None:
    """The cache equals the recomputation; the dashboards read from it agree with the same dashboards
    worked out from the records; each trainee's own page agrees with their dashboard cells."""
    assert cached(engine) == recomputed(engine)
    with read_session(engine) as s:
        for dept in {p.department_id for p in people.values() if p.department_id is not None}:
            for cycle in cycles:
                fast = department_overview(session=s, department_id=dept, module_ids=["sample-module", "other-module"],
                                           today=TODAY, cycle=cycle)
                slow = department_overview(session=s, department_id=dept, module_ids=["sample-module", "other-module"],
                                           today=TODAY, cycle=cycle, from_records=True)
                assert fast == slow
        for who in (people["north_trainee"], people["north_supervisor"], people["south_trainee"]):
            mine = module_statuses(session=s, actor=who, catalog=catalog, today=TODAY)[0]
            cell = next(c for c in department_overview(
                session=s, department_id=who.department_id or 0, module_ids=["sample-module"], today=TODAY,
                cycle=cycles[-1]).matrix if c.officer_id == who.officer_id)
            assert (mine.status.replace("re-certify", "passed"), mine.attempts, mine.best_score, mine.due_date) == (
                cell.status, cell.attempts, cell.best_score, cell.due_date)


def take_quiz(engine: Engine, who: Principal, catalog: Catalog, *, right: bool, now: datetime) -> int:
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=who, catalog=catalog, quiz_id="sample-quiz",
                                                  rng=random.Random(3), now=now)
        for q in attempt.questions:
            options = catalog.questions[q.question_id].options
            chosen = [o.id for o in options if o.correct == right]
            quizzes.save_answer(session=s, actor=who, attempt_id=attempt.attempt_id, position=q.position,
                                chosen=chosen)
    with write_session(engine) as s:
        quizzes.submit_attempt(session=s, actor=who, catalog=catalog, attempt_id=attempt.attempt_id, now=now)
    return attempt.attempt_id


def test_the_cache_equals_a_recomputation_after_mixed_writes(engine, people, catalog):
    admin, trainee, sup, south = people["admin"], people["north_trainee"], people["north_supervisor"], people["south_trainee"]
    check(engine, people, catalog, (None,))
    with write_session(engine) as s:
        assign_module(session=s, actor=admin, catalog=catalog, module_id="sample-module", due_date=date(2026, 5, 15),
                      cycle="2027", department_id=trainee.department_id, today=date(2026, 1, 1))
    check(engine, people, catalog, (None,))
    for lesson in ("first-lesson", "first-lesson", "second-lesson"):  # reading again changes nothing
        with write_session(engine) as s:
            mark_lesson_read(session=s, actor=trainee, catalog=catalog, module_id="sample-module", lesson_id=lesson)
    check(engine, people, catalog, (None,))
    take_quiz(engine, trainee, catalog, right=False, now=T0)
    check(engine, people, catalog, (None,))
    take_quiz(engine, trainee, catalog, right=True, now=T0 + timedelta(days=1))
    check(engine, people, catalog, (None,))
    with write_session(engine) as s:
        w = grant_waiver(session=s, actor=admin, catalog=catalog, officer_id=sup.officer_id, module_id=None,
                         cycle="2027", reason="leave", note="", starts_on=date(2026, 1, 1))
    check(engine, people, catalog, (None,))
    with write_session(engine) as s:
        revoke_waiver(session=s, actor=admin, waiver_id=w.id or 0, today=date(2026, 5, 20))
    check(engine, people, catalog, (None,))
    with write_session(engine) as s:  # written straight to the tables, as a bulk load or a SQL prompt would
        add_attempt(s, south, module_id="other-module", at=T0)
        read_lesson(s, south, "other-module")
        s.execute(text("INSERT INTO attempt (officer_id, department_id, quiz_id, module_id, quiz_hash, attempt_number, "
                       "status, started_at, pass_mark) VALUES (:o, :d, 'sample-quiz', 'sample-module', 'q', 9, 'open', "
                       ":t, 80)"), {"o": south.officer_id, "d": south.department_id, "t": T0})
    check(engine, people, catalog, (None,))
    with write_session(engine) as s:  # an open attempt may be deleted (only submitted ones are frozen)
        s.execute(text("DELETE FROM attempt WHERE officer_id = :o AND status = 'open'"), {"o": south.officer_id})
    check(engine, people, catalog, (None,))
    with write_session(engine) as s:
        open_cycle(session=s, actor=admin, label="2027", due_date=date(2026, 12, 31), today=date(2026, 5, 1))
    take_quiz(engine, south, catalog, right=True, now=T0 + timedelta(days=2))
    take_quiz(engine, trainee, catalog, right=False, now=T0 + timedelta(days=3))
    with write_session(engine) as s:
        grant_waiver(session=s, actor=admin, catalog=catalog, officer_id=sup.officer_id, module_id="sample-module",
                     cycle="2027", reason="medical", note="", starts_on=date(2026, 5, 1))
    check(engine, people, catalog, (None, "2026", "2027"))
    rows = {(r[0], r[2]): r for r in cached(engine) if r[1] == "sample-module"}
    assert rows[(trainee.officer_id, "")][3:7] == (2, 2, 100.0, 0)  # 2 lessons, 2 attempts before any cycle
    assert rows[(trainee.officer_id, "2027")][4:7:2] == (1, 1)  # 1 attempt in the cycle; the pass counts toward it


@pytest.mark.parametrize("failure", ["after the submission", "in the completion"])
def test_a_failed_write_leaves_the_cache_as_it_was(engine, people, catalog, failure):
    trainee = people["north_trainee"]
    with write_session(engine) as s:
        attempt = quizzes.start_or_resume_attempt(session=s, actor=trainee, catalog=catalog, quiz_id="sample-quiz",
                                                  rng=random.Random(3), now=T0)
        for q in attempt.questions:
            right = [o.id for o in catalog.questions[q.question_id].options if o.correct]
            quizzes.save_answer(session=s, actor=trainee, attempt_id=attempt.attempt_id, position=q.position,
                                chosen=right)
    before = cached(engine)
    assert [r[4] for r in before] == [1]  # the open attempt counts as one
    with pytest.raises(Exception):  # noqa: B017, PT011 - RuntimeError or the database's IntegrityError
        with write_session(engine) as s:
            quizzes.submit_attempt(session=s, actor=trainee, catalog=catalog, attempt_id=attempt.attempt_id, now=T0)
            if failure == "after the submission":
                raise RuntimeError("the request failed after grading")
            s.execute(text("INSERT INTO completion SELECT * FROM completion"))  # a duplicate: the unique keys refuse it
    assert cached(engine) == before
    assert cached(engine) == recomputed(engine)


def test_evidence_reads_the_records_not_the_cache(engine, people, catalog):
    """The evidence pack's department report is computed from the records (from_records=True):
    a tampered cache changes the dashboard, not the evidence."""
    trainee = people["north_trainee"]
    take_quiz(engine, trainee, catalog, right=True, now=T0)

    def board(from_records: bool) -> list[tuple[int, str]]:
        from training.oversight import department_dashboard
        with read_session(engine) as s:
            b = department_dashboard(session=s, actor=people["admin"], catalog=catalog,
                                     department_id=trainee.department_id, today=TODAY, from_records=from_records)
        return [(c.officer_id, c.status) for c in b.matrix]

    before = board(True)
    assert (trainee.officer_id, "passed") in before
    with write_session(engine) as s:
        s.execute(text("UPDATE module_status SET passed_at = NULL, completions = 0"))
    assert board(True) == before
    assert (trainee.officer_id, "passed") not in board(False)
