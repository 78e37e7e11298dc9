"""Quiz attempts: start or resume, save answers as the trainee goes, submit once, see results.

Rules a supervisor may ask about:
- One open attempt per trainee per quiz (the database enforces it). Signing in again, a
  page reload or a lost connection resumes the same attempt with the answers saved so far.
- The questions drawn and the order their options were shown in are fixed when the attempt
  starts, and each is pinned to the exact version (content hash) that was shown.
- Retakes: a quiz's `attempt_limit` caps submitted attempts; `retake_wait_minutes` must pass
  after a failed attempt before the next one starts. Once passed, a quiz is closed. Both
  count within the current training cycle: opening a new cycle gives fresh attempts
  (training/administration/cycles.py).
- Retakes test anew: a new attempt draws questions the trainee has not seen in earlier
  attempts of the quiz wherever the pool allows, then the least recently seen
  (training/drawing.py).
- Submitting twice records one submission; the second call returns the first result.
- Nothing a page receives before submission says which options are correct.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, bindparam, func, insert
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from db.models import Answer, Attempt, AttemptQuestion, DraftAnswer, Officer, QuestionVersion, utcnow
from db.raw import Raw, Sql
from training import xapi
from training.administration.cycles import current_cycle_label
from training.audit import record_event, record_event_raw
from training.content import Catalog
from training.drawing import draw_questions
from training.errors import AttemptClosed, InvalidInput, NotAllowed, NotFound, QuizUnavailable, RetakeNotAllowed
from training.evidence.seals import seal_attempt
from training.evidence.versions import store_module_version_raw
from training.identity.principal import Principal
from training.records import record_completion_raw
from training.schema import Question, Quiz
from training.scoring import score_question, score_quiz

DELTA_PREFIX = "recertify:"  # quiz id of a re-certification quiz built on the fly: "recertify:<module id>"


def is_delta_quiz(quiz_id: str) -> bool:
    return quiz_id.startswith(DELTA_PREFIX)


@dataclass(frozen=True)
class ShownOption:
    id: str
    text: str


@dataclass(frozen=True)
class ShownQuestion:
    """What the trainee's browser may see of a question before submission: no answers."""

    position: int
    question_id: str
    type: str
    scenario: str | None
    stem: str
    options: tuple[ShownOption, ...]


@dataclass(frozen=True)
class OpenAttempt:
    attempt_id: int
    quiz_id: str
    quiz_title: str
    attempt_number: int
    questions: tuple[ShownQuestion, ...]
    chosen: dict[int, tuple[str, ...]]


@dataclass(frozen=True)
class QuestionResult:
    position: int
    question: Question
    scenario: str | None
    option_order: tuple[str, ...]
    chosen: tuple[str, ...]
    credit: float
    correct: bool


@dataclass(frozen=True)
class AttemptResult:
    attempt_id: int
    quiz_id: str
    officer_id: int
    score: float
    passed: bool
    pass_mark: int
    submitted_at: datetime
    questions: tuple[QuestionResult, ...]
    completion_id: int | None


# Parsed question versions, per database. A question_version row is append-only evidence keyed
# by its content hash (triggers refuse changes), so a parsed copy can never go stale; caching
# it saves a query and a pydantic validation per question on every start, grade and result.
_VERSIONS: dict[tuple[str, str], tuple[Question, str | None]] = {}
_VERSIONS_MAX = 20_000


def _version(session: Session, question_hash: str) -> tuple[Question, str | None]:
    return _versions_of(session)(question_hash)


def _versions_of(session: Session) -> Callable[[str], tuple[Question, str | None]]:
    """question hash -> parsed version, for this session's database (its URL worked out once)."""
    url = str(session.get_bind().engine.url)
    return lambda question_hash: _cached_version(session, url, question_hash)


def _cached_version(session: Session, url: str, question_hash: str) -> tuple[Question, str | None]:
    key = (url, question_hash)
    cached = _VERSIONS.get(key)
    if cached is not None:
        return cached
    row = session.get(QuestionVersion, question_hash)
    if row is None:
        raise NotFound(f"question version {question_hash[:12]} is missing")
    data = json.loads(row.content)
    parsed = Question.model_validate(data["question"], strict=False), data.get("scenario")
    if len(_VERSIONS) < _VERSIONS_MAX:
        _VERSIONS[key] = parsed
    return parsed


# The start's statements, built once on the tables (Core, not ORM entities or per-call selects):
# the quiz start is the page run 100 trainees make at the same instant (benchmarks/load_app.py).
_ATTEMPTS = Attempt.metadata.tables["attempt"]
_VERSION_ROWS = QuestionVersion.metadata.tables["question_version"]
_SHOWN = AttemptQuestion.metadata.tables["attempt_question"]
# Every attempt of one quiz by one officer, oldest first: the open one, the retake rule and the
# next attempt number all come from these rows (one query, not four).
_TRIED = (core_select(_ATTEMPTS.c.id, _ATTEMPTS.c.status, _ATTEMPTS.c.passed, _ATTEMPTS.c.submitted_at,
                      _ATTEMPTS.c.cycle)
          .where(_ATTEMPTS.c.officer_id == bindparam("officer"), _ATTEMPTS.c.quiz_id == bindparam("quiz"))
          .order_by(_ATTEMPTS.c.id))
# question id -> the latest earlier attempt (by id) of the quiz that showed it to the officer.
_LAST_SEEN = (core_select(_SHOWN.c.question_id, func.max(_ATTEMPTS.c.id))
              .select_from(_SHOWN.join(_ATTEMPTS, _ATTEMPTS.c.id == _SHOWN.c.attempt_id))
              .where(_ATTEMPTS.c.officer_id == bindparam("officer"), _ATTEMPTS.c.quiz_id == bindparam("quiz"))
              .group_by(_SHOWN.c.question_id))
_KNOWN_VERSIONS = core_select(_VERSION_ROWS.c.question_hash).where(
    _VERSION_ROWS.c.question_hash.in_(bindparam("hashes", expanding=True)))
_INSERT_VERSION = insert(_VERSION_ROWS)
_INSERT_ATTEMPT = insert(_ATTEMPTS)
_INSERT_SHOWN = insert(_SHOWN)


def _missing_versions(session: Session, catalog: Catalog, question_ids: list[str]) -> tuple[dict[str, str], ...]:
    """question_version rows for the questions whose exact version is not stored yet, in hash order."""
    hashes = {catalog.question_hashes[q]: q for q in question_ids}
    known = set(session.execute(_KNOWN_VERSIONS, {"hashes": list(hashes)}).scalars())
    rows = []
    # In hash order: two transactions storing overlapping sets then wait on each other in one
    # order and never deadlock (PostgreSQL did, inserting the same keys in opposite orders).
    for qhash, qid in sorted(hashes.items()):
        if qhash in known:
            continue
        q = catalog.questions[qid]
        scenario = catalog.scenarios[q.scenario].text if q.scenario else None
        content = json.dumps({"question": q.model_dump(mode="json"), "scenario": scenario}, ensure_ascii=False,
                             sort_keys=True)
        rows.append({"question_hash": qhash, "question_id": qid, "content": content})
    return tuple(rows)


def _insert_versions(session: Session, rows: tuple[dict[str, str], ...]) -> None:
    for row in rows:
        try:
            with session.begin_nested():
                session.execute(_INSERT_VERSION, {**row, "first_seen_at": utcnow()})
        except IntegrityError:
            pass  # another process stored the same version a moment ago: it is stored, as wanted


def _store_versions(session: Session, catalog: Catalog, question_ids: list[str]) -> None:
    _insert_versions(session, _missing_versions(session, catalog, question_ids))


def find_open_attempt(*, session: Session, officer_id: int, quiz_id: str) -> int | None:
    """The id of the trainee's open attempt at this quiz, if any (read only)."""
    attempt = _open_attempt(session, officer_id, quiz_id)
    return attempt.id if attempt is not None else None


def _open_attempt(session: Session, officer_id: int, quiz_id: str) -> Attempt | None:
    return session.exec(select(Attempt).where(Attempt.officer_id == officer_id, Attempt.quiz_id == quiz_id,
                                              Attempt.status == "open")).first()


def retake_block(*, session: Session, officer_id: int, catalog: Catalog, quiz_id: str,
                 now: datetime | None = None) -> str | None:
    """Why a new attempt may not start now, or None."""
    tried = session.execute(_TRIED, {"officer": officer_id, "quiz": quiz_id}).all()
    return _retake_reason(catalog.quizzes[quiz_id], tried, current_cycle_label(session), now or utcnow())


def _retake_reason(quiz: Quiz, tried: Sequence[Row[Any]], cycle: str | None, now: datetime) -> str | None:
    """The retake rule over the officer's attempts at the quiz (_TRIED rows, oldest first)."""
    # Attempt limits and waits count per cycle; before any cycle was opened, every attempt counts.
    done = [a for a in tried if a.status == "submitted" and (cycle is None or a.cycle == cycle)]
    if any(a.passed for a in done):
        return "You have already passed this quiz."
    if quiz.attempt_limit is not None and len(done) >= quiz.attempt_limit:
        return f"You have used all {quiz.attempt_limit} attempts. Ask your supervisor or administrator."
    if done and quiz.retake_wait_minutes:
        last = done[-1].submitted_at
        assert last is not None
        ready = last + timedelta(minutes=quiz.retake_wait_minutes)
        if ready > now:
            minutes = int((ready - now).total_seconds() // 60) + 1
            return f"You can retake this quiz in {minutes} minute{'s' if minutes != 1 else ''}."
    return None


@dataclass(frozen=True)
class PreparedStart:
    """A new attempt's draw, made before the write transaction that starts it.

    start_or_resume_attempt uses it only if nothing it depends on changed meanwhile: the same
    officer, quiz and quiz version, and no attempt of the quiz started since (`seen`). Question
    versions found stored stay stored (the table is append-only); the rows still missing are
    inserted in the transaction, which tolerates another process storing them first."""

    officer_id: int
    quiz_id: str
    quiz_hash: str
    seen: tuple[int, int]  # (attempts of the quiz so far, the latest one's id): any new attempt changes it
    drawn: tuple[tuple[Question, tuple[str, ...]], ...]
    new_versions: tuple[dict[str, str], ...]


@dataclass(frozen=True)
class QuizState:
    """What the quiz page needs before anything is written."""

    attempt: OpenAttempt | None  # the open attempt, resumed
    blocked: str | None  # why a new attempt may not start now
    prepared: PreparedStart | None  # with starting=True and nothing in the way: the new attempt's draw


def quiz_state(*, session: Session, actor: Principal, catalog: Catalog, quiz_id: str, starting: bool = False,
               rng: random.Random | None = None, now: datetime | None = None) -> QuizState:
    """The actor's open attempt, or why a new one may not start; with starting, the draw for one.

    Read only: the page calls it in a read session, so the draw and the question-version lookups
    happen before the write lock is taken (start_or_resume_attempt re-checks what matters)."""
    quiz = catalog.quizzes.get(quiz_id)
    if quiz is None:
        raise NotFound("No such quiz.")
    tried = session.execute(_TRIED, {"officer": actor.officer_id, "quiz": quiz_id}).all()
    open_id = next((a.id for a in tried if a.status == "open"), None)
    if open_id is not None:
        return QuizState(load_open_attempt(session=session, actor=actor, catalog=catalog, attempt_id=open_id),
                         None, None)
    blocked = _retake_reason(quiz, tried, current_cycle_label(session), now or utcnow())
    if blocked or not starting or not catalog.quiz_available(quiz_id):
        return QuizState(None, blocked, None)
    return QuizState(None, None, _prepare_start(session, actor.officer_id, catalog, quiz, tried, rng))


def _prepare_start(session: Session, officer_id: int, catalog: Catalog, quiz: Quiz, tried: Sequence[Row[Any]],
                   rng: random.Random | None) -> PreparedStart:
    # Only a retake needs the questions seen before (a first attempt has none to look up).
    last_seen = ({qid: int(last) for qid, last in session.execute(_LAST_SEEN, {"officer": officer_id, "quiz": quiz.id})}
                 if tried else {})
    drawn = draw_questions(catalog, quiz, rng or random.SystemRandom(), last_seen)
    return PreparedStart(officer_id, quiz.id, catalog.quiz_hashes[quiz.id], _seen(tried), tuple(drawn),
                         _missing_versions(session, catalog, [q.id for q, _ in drawn]))


def _seen(tried: Sequence[Row[Any]]) -> tuple[int, int]:
    return len(tried), (tried[-1].id if tried else 0)


@dataclass(frozen=True)
class _Started:
    """The new attempt's values, as written (what the xAPI statement describes)."""

    id: int
    officer_id: int
    quiz_id: str
    quiz_hash: str
    attempt_number: int
    module_id: str | None
    started_at: datetime


def _insert_attempt(session: Session, values: dict[str, Any]) -> int:
    if session.get_bind().dialect.name == "sqlite":
        # Under BEGIN IMMEDIATE no other writer ran since the open-attempt check: no race to catch.
        result: Any = session.execute(_INSERT_ATTEMPT, values)
    else:
        with session.begin_nested():  # a unique-index failure rolls back to here, not the whole transaction
            result = session.execute(_INSERT_ATTEMPT, values)
    return int(result.inserted_primary_key[0])


def start_or_resume_attempt(*, session: Session, actor: Principal, catalog: Catalog, quiz_id: str,
                            rng: random.Random | None = None, now: datetime | None = None,
                            prepared: PreparedStart | None = None) -> OpenAttempt:
    """Resume the actor's open attempt, or start a new one if the retake rule allows.

    Call in a write transaction. The open attempt and the retake rule are checked here, in that
    transaction, whatever the page saw; a `prepared` draw (quiz_state) is used only if it still
    holds, otherwise the questions are drawn here."""
    if not catalog.quiz_available(quiz_id):
        raise QuizUnavailable("This quiz is not available right now; the training office has been told.")
    quiz = catalog.quizzes[quiz_id]
    tried = session.execute(_TRIED, {"officer": actor.officer_id, "quiz": quiz_id}).all()
    open_id = next((a.id for a in tried if a.status == "open"), None)
    if open_id is not None:
        return load_open_attempt(session=session, actor=actor, catalog=catalog, attempt_id=open_id)
    cycle = current_cycle_label(session)
    reason = _retake_reason(quiz, tried, cycle, now or utcnow())
    if reason:
        raise RetakeNotAllowed(reason)
    if prepared is None or (prepared.officer_id, prepared.quiz_id, prepared.quiz_hash, prepared.seen) != (
            actor.officer_id, quiz_id, catalog.quiz_hashes[quiz_id], _seen(tried)):
        prepared = _prepare_start(session, actor.officer_id, catalog, quiz, tried, rng)
    _insert_versions(session, prepared.new_versions)
    number, started_at, quiz_hash = len(tried) + 1, now or utcnow(), catalog.quiz_hashes[quiz_id]
    values = {"officer_id": actor.officer_id, "department_id": actor.department_id, "quiz_id": quiz_id,
              "module_id": quiz.module, "quiz_hash": quiz_hash, "attempt_number": number, "status": "open",
              "pass_mark": quiz.pass_mark, "started_at": started_at, "cycle": cycle}
    try:
        attempt_id = _insert_attempt(session, values)
    except IntegrityError:  # a second tab started the same quiz a moment ago: resume that one
        other = _open_attempt(session, actor.officer_id, quiz_id)
        if other is None:
            raise
        return load_open_attempt(session=session, actor=actor, catalog=catalog, attempt_id=other.id or 0)
    started = _Started(attempt_id, actor.officer_id, quiz_id, quiz_hash, number, quiz.module, started_at)
    rows, shown = [], []
    for pos, (q, ids) in enumerate(prepared.drawn, start=1):
        rows.append({"attempt_id": attempt_id, "position": pos, "question_id": q.id,
                     "question_hash": catalog.question_hashes[q.id], "option_order": json.dumps(ids)})
        by_id = {o.id: o for o in q.options}
        shown.append(ShownQuestion(pos, q.id, q.type, catalog.scenarios[q.scenario].text if q.scenario else None,
                                   q.stem, tuple(ShownOption(oid, by_id[oid].text) for oid in ids)))
    session.execute(_INSERT_SHOWN, rows)
    record_event(session=session, action="quiz.start", actor_id=actor.officer_id, target_type="attempt",
                 target_id=attempt_id, department_id=actor.department_id, quiz_id=quiz_id)
    xapi.record_attempted(session=session, attempt=started, quiz_title=quiz.title)
    # Built from what was just written (the versions stored above are these same questions).
    return OpenAttempt(attempt_id, quiz_id, quiz.title, number, tuple(shown), {})


def _owned_attempt(session: Session, actor: Principal, attempt_id: int, *, lock: bool = False) -> Attempt:
    # lock: on PostgreSQL, changes to one attempt from two tabs or processes take turns (SQLite's
    # BEGIN IMMEDIATE already serialises every write); without it two first saves of the same
    # answer both insert and one fails on the unique key.
    attempt = session.get(Attempt, attempt_id, with_for_update=lock)
    if attempt is None or attempt.officer_id != actor.officer_id:
        raise NotFound("No such attempt.")
    return attempt


def load_open_attempt(*, session: Session, actor: Principal, catalog: Catalog, attempt_id: int) -> OpenAttempt:
    attempt = _owned_attempt(session, actor, attempt_id)
    if attempt.status != "open":
        raise AttemptClosed("This attempt has been submitted.")
    shown = []
    for aq in session.exec(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id)
                           .order_by(AttemptQuestion.position)):  # type: ignore[arg-type]
        q, scenario = _version(session, aq.question_hash)
        by_id = {o.id: o for o in q.options}
        options = tuple(ShownOption(oid, by_id[oid].text) for oid in json.loads(aq.option_order))
        shown.append(ShownQuestion(aq.position, q.id, q.type, scenario, q.stem, options))
    chosen = {d.position: tuple(json.loads(d.chosen))
              for d in session.exec(select(DraftAnswer).where(DraftAnswer.attempt_id == attempt_id))}
    quiz = catalog.quizzes.get(attempt.quiz_id)
    return OpenAttempt(attempt_id, attempt.quiz_id, quiz.title if quiz else attempt.quiz_id, attempt.attempt_number,
                       tuple(shown), chosen)


def unanswered(*, session: Session, actor: Principal, attempt_id: int) -> int:
    """How many questions of the actor's open attempt have no saved choice yet."""
    attempt = _owned_attempt(session, actor, attempt_id)
    if attempt.status != "open":
        raise AttemptClosed("This attempt has already been submitted.")
    drawn = session.exec(select(func.count()).select_from(AttemptQuestion)
                         .where(AttemptQuestion.attempt_id == attempt_id)).one()
    answered = session.exec(select(func.count()).select_from(DraftAnswer)
                            .where(DraftAnswer.attempt_id == attempt_id, DraftAnswer.chosen != "[]")).one()
    return int(drawn) - int(answered)


def save_answer(*, session: Session, actor: Principal, attempt_id: int, position: int,
                chosen: list[str] | tuple[str, ...]) -> None:
    """Save (or replace) the trainee's current choice for one question of an open attempt."""
    attempt = _owned_attempt(session, actor, attempt_id, lock=True)
    if attempt.status != "open":
        raise AttemptClosed("This attempt has already been submitted.")
    aq = session.exec(select(AttemptQuestion).where(AttemptQuestion.attempt_id == attempt_id,
                                                    AttemptQuestion.position == position)).first()
    if aq is None:
        raise InvalidInput("No such question in this attempt.")
    allowed = set(json.loads(aq.option_order))
    picked = sorted(set(chosen))
    if not set(picked) <= allowed:
        raise InvalidInput("That option is not part of this question.")
    draft = session.exec(select(DraftAnswer).where(DraftAnswer.attempt_id == attempt_id,
                                                   DraftAnswer.position == position)).first()
    if draft is None:
        draft = DraftAnswer(attempt_id=attempt_id, position=position, chosen="[]")
    draft.chosen, draft.saved_at = json.dumps(picked), utcnow()
    session.add(draft)


def set_option(*, session: Session, actor: Principal, attempt_id: int, position: int, option_id: str,
               picked: bool) -> tuple[str, ...]:
    """Tick or untick one option of a question, keeping the other saved choices; returns the new set.

    A multi-select question is one checkbox per option and the page saves one tick at a time.
    Building the whole set from what one Streamlit session remembers would erase a choice that
    session never saw: one saved from another tab, or before the browser reconnected to another
    replica (a new session knows only the boxes it was sent). So the saved set is read and
    changed here, under the attempt's lock."""
    _owned_attempt(session, actor, attempt_id, lock=True)
    draft = session.exec(select(DraftAnswer).where(DraftAnswer.attempt_id == attempt_id,
                                                   DraftAnswer.position == position)).first()
    chosen = set(json.loads(draft.chosen)) if draft is not None else set()
    chosen = chosen | {option_id} if picked else chosen - {option_id}
    save_answer(session=session, actor=actor, attempt_id=attempt_id, position=position, chosen=sorted(chosen))
    return tuple(sorted(chosen))


# The submission's statements: SQL text written once per dialect and run on the session's own
# driver connection (db/raw.py). A submission runs on every quiz page, and SQLAlchemy's own
# cost per executed statement (and building ORM objects before that) was more than SQLite's
# work (benchmarks/bench_submission.py).
_SEALED_COLUMNS = ("id", "officer_id", "department_id", "quiz_id", "module_id", "quiz_hash", "attempt_number",
                   "status", "started_at", "pass_mark", "cycle")
_ATTEMPT_OF = Sql(f"SELECT {', '.join(_SEALED_COLUMNS)} FROM attempt WHERE id = ?",
                  postgresql_tail=" FOR UPDATE")  # see _owned_attempt: on PostgreSQL two submits of one attempt take turns
# What was drawn, with the trainee's saved choice where there is one (one query, not two).
_DRAWN_WITH_DRAFTS = Sql(
    "SELECT q.position, q.question_id, q.question_hash, q.option_order, d.chosen FROM attempt_question q "
    "LEFT JOIN draft_answer d ON d.attempt_id = q.attempt_id AND d.position = q.position "
    "WHERE q.attempt_id = ? ORDER BY q.position")
_CLAIM = Sql("UPDATE attempt SET status = 'submitted', submitted_at = ?, score = ?, passed = ?, key_id = ?, seal = ? "
             "WHERE id = ? AND status = 'open'")
_INSERT_ANSWERS = Sql("INSERT INTO answer (attempt_id, position, question_id, question_hash, option_order, chosen, "
                      "credit, correct) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


# Parsed option orders: the same few orders of each question's options recur across attempts,
# so a parse per answer (20 per submission) is mostly a dictionary hit. Bounded; the text is immutable.
_ORDERS: dict[str, tuple[str, ...]] = {}
_ORDERS_MAX = 50_000


def _shown_order(option_order: str) -> tuple[str, ...]:
    parsed = _ORDERS.get(option_order)
    if parsed is None:
        parsed = tuple(json.loads(option_order))
        if len(_ORDERS) < _ORDERS_MAX:
            _ORDERS[option_order] = parsed
    return parsed


@dataclass(frozen=True)
class _Submitting:
    """The attempt's values a submission reads, seals and describes (one row, no ORM object)."""

    id: int
    officer_id: int
    department_id: int | None
    quiz_id: str
    module_id: str | None
    quiz_hash: str
    attempt_number: int
    status: str
    started_at: datetime
    pass_mark: int
    cycle: str | None


def submit_attempt(*, session: Session, actor: Principal, catalog: Catalog, attempt_id: int,
                   now: datetime | None = None) -> AttemptResult:
    """Grade on the server and record the submission once; a repeat returns the same result."""
    session.flush()  # a draft saved in this same session is read below
    raw = Raw(session)
    found = raw.one(_ATTEMPT_OF, (attempt_id,))
    if found is None or found[1] != actor.officer_id:
        raise NotFound("No such attempt.")
    values = dict(zip(_SEALED_COLUMNS, found, strict=True))
    values["started_at"] = Raw.read_when(values["started_at"])
    attempt = _Submitting(**values)
    if attempt.status == "submitted":
        return attempt_result(session=session, actor=actor, attempt_id=attempt_id)
    now = now or utcnow()
    rows, credits, graded = [], [], []
    versions = _versions_of(session)
    for position, question_id, question_hash, option_order, draft in raw.all(_DRAWN_WITH_DRAFTS, (attempt_id,)):
        q, scenario = versions(question_hash)
        # The saved text is stored as it is: save_answer wrote it with json.dumps of the sorted
        # choices, which is what dumping it again would give (one dump fewer per answer).
        chosen_text = draft if draft is not None else "[]"
        chosen = json.loads(chosen_text)
        credit = score_question(q, chosen)
        credits.append(credit)
        rows.append({"attempt_id": attempt_id, "position": position, "question_id": question_id,
                     "question_hash": question_hash, "option_order": option_order,
                     "chosen": chosen_text, "credit": credit, "correct": credit == 1.0})
        graded.append(QuestionResult(position, q, scenario, _shown_order(option_order), tuple(chosen),
                                     credit, credit == 1.0))
    result = score_quiz(credits, attempt.pass_mark)
    sealed = seal_attempt({**values, "submitted_at": now, "score": result.percent,
                           "passed": result.passed}, rows)  # signed with the evidence key
    claimed = raw.run(_CLAIM, (raw.when(now), result.percent, result.passed, sealed["key_id"], sealed["seal"],
                               attempt_id))
    if claimed.rowcount != 1:  # another request submitted it first
        session.expire_all()
        return attempt_result(session=session, actor=actor, attempt_id=attempt_id)
    raw.many(_INSERT_ANSWERS, [tuple(r.values()) for r in rows])
    record_event_raw(raw, action="quiz.submit", actor_id=actor.officer_id, target_type="attempt",
                     target_id=attempt_id, department_id=attempt.department_id, quiz_id=attempt.quiz_id,
                     score=result.percent, passed=result.passed)
    quiz = catalog.quizzes.get(attempt.quiz_id)
    completion = None
    counts = quiz is not None or is_delta_quiz(attempt.quiz_id)  # a passed re-certification completes too
    if result.passed and attempt.module_id and attempt.module_id in catalog.modules and counts:
        store_module_version_raw(raw, catalog=catalog, module_id=attempt.module_id)
        completion = record_completion_raw(
            raw, officer_id=actor.officer_id, department_id=attempt.department_id,
            module_id=attempt.module_id, module_version_hash=catalog.modules[attempt.module_id].version_hash,
            quiz_id=attempt.quiz_id, attempt_id=attempt_id, score=result.percent, now=now, cycle=attempt.cycle)
    module = catalog.modules.get(attempt.module_id or "")
    xapi.record_graded_raw(raw, session=session, attempt=attempt,
                           quiz_title=quiz.title if quiz else attempt.quiz_id, score=result.percent,
                           passed=result.passed, submitted_at=now, completion=completion,
                           module_title=module.title if module else None)
    completion_id = completion.id if completion is not None else None
    # Built from what was just written, rather than read back: the same values, fewer statements.
    return AttemptResult(attempt_id, attempt.quiz_id, attempt.officer_id, result.percent, result.passed,
                         attempt.pass_mark, now, tuple(graded), completion_id)


def attempt_result(*, session: Session, actor: Principal, attempt_id: int) -> AttemptResult:
    """A submitted attempt with answers and explanations: the trainee's own, or (for
    supervisors) one from their department, or (for administrators) any."""
    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound("No such attempt.")
    if attempt.officer_id != actor.officer_id:
        if actor.role == "supervisor":
            owner = session.get(Officer, attempt.officer_id)
            if owner is None or owner.department_id != actor.department_id:
                raise NotFound("No such attempt.")
        elif actor.role != "admin":
            raise NotFound("No such attempt.")
    if attempt.status != "submitted" or attempt.submitted_at is None:
        raise NotAllowed("Results are shown after the attempt is submitted.")
    from db.models import Completion  # local: only results need it
    completion = session.exec(select(Completion.id).where(Completion.attempt_id == attempt_id)).first()
    results = []
    for ans in session.exec(select(Answer).where(Answer.attempt_id == attempt_id)
                            .order_by(Answer.position)):  # type: ignore[arg-type]
        q, scenario = _version(session, ans.question_hash)
        results.append(QuestionResult(ans.position, q, scenario, tuple(json.loads(ans.option_order)),
                                      tuple(json.loads(ans.chosen)), ans.credit, ans.correct))
    return AttemptResult(attempt_id, attempt.quiz_id, attempt.officer_id, attempt.score or 0.0,
                         bool(attempt.passed), attempt.pass_mark, attempt.submitted_at, tuple(results), completion)
