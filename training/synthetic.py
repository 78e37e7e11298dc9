"""A synthetic state for load tests: departments, officers, assignments, attempts, answers, completions.

Deterministic for a seed. Officers have an ability and departments an engagement level, so
completion rates, overdue counts and item statistics spread the way real ones would: a few
large agencies and many small ones, some keeping up and some far behind, most questions
discriminating well and a few (deliberately) not. Rows come out in batches as plain tuples
in the column order of COLUMNS, ready for executemany or COPY; nothing here touches a database.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from training.content import Catalog
from training.evidence.keys import Keyring, load_keyring
from training.evidence.seals import seal_attempt, seal_row_hash
from training.evidence.versions import module_snapshot
from training.records import GENESIS, completion_hash

Row = tuple[object, ...]
Done = tuple[int, int, str, str, str, int, float, datetime, str]  # a passing attempt, before chaining

COLUMNS: dict[str, tuple[str, ...]] = {
    "department": ("id", "name", "code", "active", "created_at"),
    "officer": ("id", "name", "badge_number", "email", "department_id", "role", "password_hash", "active",
                "failed_sign_ins", "created_at"),
    "assignment": ("id", "module_id", "department_id", "officer_id", "due_date", "cycle", "active", "created_at"),
    "lesson_progress": ("id", "officer_id", "module_id", "lesson_id", "module_version_hash", "read_at"),
    "attempt": ("id", "officer_id", "department_id", "quiz_id", "module_id", "quiz_hash", "attempt_number",
                "status", "started_at", "submitted_at", "score", "passed", "pass_mark", "key_id", "seal"),
    "attempt_question": ("id", "attempt_id", "position", "question_id", "question_hash", "option_order"),
    "answer": ("id", "attempt_id", "position", "question_id", "question_hash", "option_order", "chosen", "credit",
               "correct"),
    "completion": ("id", "officer_id", "department_id", "module_id", "module_version_hash", "quiz_id", "attempt_id",
                   "score", "completed_at", "cycle", "verification_code", "prev_hash", "row_hash", "key_id", "seal"),
    "module_version": ("version_hash", "module_id", "content", "first_seen_at"),
}


@dataclass(frozen=True)
class Plan:
    departments: int = 80
    officers: int = 50_000
    start_share: float = 0.28  # share of officer x module pairs begun; tuned for ~2,000,000 answers
    seed: int = 2027
    today: date = field(default_factory=lambda: datetime.now(timezone.utc).date())


@dataclass(frozen=True)
class _Item:
    id: str
    hash: str
    difficulty: float
    orders: tuple[str, ...]  # a few shuffled option orders, JSON
    right: str  # JSON of the correct choice
    wrong: tuple[str, ...]


def _items(catalog: Catalog, rng: random.Random) -> dict[str, list[_Item]]:
    level = {"easy": -1.6, "medium": -0.9, "hard": -0.2}
    pools: dict[str, list[_Item]] = {}
    for i, q in enumerate(sorted(catalog.questions.values(), key=lambda q: q.id)):
        ids = [o.id for o in q.options]
        orders = tuple(json.dumps(rng.sample(ids, len(ids))) for _ in range(4))
        right = sorted(o.id for o in q.options if o.correct)
        wrong = tuple(json.dumps([o.id]) for o in q.options if not o.correct) or (json.dumps([]),)
        # Every 23rd question is a poor one: hard for everyone, or a coin toss whatever the ability.
        difficulty = 2.6 if i % 23 == 5 else (math.nan if i % 23 == 11 else level[q.difficulty])
        pools.setdefault(q.pool, []).append(_Item(q.id, catalog.question_hashes[q.id], difficulty, orders,
                                                  json.dumps(right), wrong))
    return pools


def _stamp(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(7), tzinfo=timezone.utc) + timedelta(seconds=rng.randrange(12 * 3600))


def _code(n: int) -> str:
    raw = hashlib.sha256(f"code{n}".encode()).hexdigest()[:12].upper()
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def generate(catalog: Catalog, plan: Plan, keyring: Keyring | None = None) -> Iterator[tuple[str, list[Row]]]:
    """(table, rows) batches; completions come last, hash-chained in id order. Attempts and
    completions are sealed with the evidence key, as the application seals them."""
    keyring = keyring or load_keyring()
    rng = random.Random(plan.seed)
    modules = catalog.modules_in_order()
    quizzes = {m.id: catalog.quizzes[m.quiz_id] for m in modules if m.quiz_id}
    pools = _items(catalog, rng)
    epoch, today = datetime(2025, 1, 2, tzinfo=timezone.utc), plan.today
    span = (today - epoch.date()).days
    weights = [1 / (i + 1) ** 0.5 for i in range(plan.departments)]  # a few large agencies, many small
    sizes = [max(5, round(plan.officers * w / sum(weights))) for w in weights]
    sizes[0] += plan.officers - sum(sizes)
    yield "module_version", [(m.version_hash, m.id, json.dumps(module_snapshot(catalog, m.id), sort_keys=True,
                                                               ensure_ascii=False), epoch) for m in modules]
    yield "department", [(d + 1, f"Synthetic Police Department {d + 1:02d}", f"SYN{d + 1:02d}", True, epoch)
                         for d in range(plan.departments)]
    engagement = [rng.uniform(0.25, 1.75) for _ in sizes]
    assignments: list[Row] = []
    for d in range(plan.departments):
        behind = rng.randrange(len(modules) + 1)  # modules whose 2025 deadline has passed
        for k, m in enumerate(modules):
            due, cycle = (date(2025, 12, 31), "2025") if k < behind else (date(2027, 6, 30), "2027")
            assignments.append((len(assignments) + 1, m.id, d + 1, None, due, cycle, True, epoch))
    officer_ids = itertools.count(1)
    attempt_ids, answer_ids, lesson_ids = itertools.count(1), itertools.count(1), itertools.count(1)
    done: list[Done] = []
    for d, size in enumerate(sizes):
        officers: list[Row] = []
        lessons: list[Row] = []
        attempts: list[Row] = []
        answers: list[Row] = []
        shown: list[Row] = []
        for _ in range(size):
            oid = next(officer_ids)
            role = "supervisor" if rng.random() < 0.07 else "trainee"
            officers.append((oid, f"Officer {oid:05d}", f"SYN-{oid:06d}", f"officer{oid}@synthetic.example.org",
                             d + 1, role, "", rng.random() > 0.02, 0, epoch))
            if rng.random() < 0.04:  # a new hire with their own deadline
                m = rng.choice(modules)
                assignments.append((len(assignments) + 1, m.id, None, oid, today + timedelta(days=rng.randint(-60, 60)),
                                    "2027", True, epoch))
            ability = rng.gauss(0, 1)
            for m in modules:
                p = plan.start_share * engagement[d]
                if rng.random() >= p:
                    if rng.random() < 0.03:
                        lessons.append((next(lesson_ids), oid, m.id, m.lessons[0].id, m.version_hash,
                                        _stamp(epoch.date() + timedelta(days=rng.randrange(span)), rng)))
                    continue
                day = epoch.date() + timedelta(days=int(span * rng.random() ** 0.7))
                for lesson in m.lessons:
                    lessons.append((next(lesson_ids), oid, m.id, lesson.id, m.version_hash, _stamp(day, rng)))
                quiz = quizzes[m.id]
                pool = pools[quiz.draw[0].pool]
                for number in range(1, (quiz.attempt_limit or 3) + 1):
                    aid, started = next(attempt_ids), _stamp(day, rng)
                    drawn = rng.sample(pool, quiz.draw[0].count)
                    right, mine = 0, []
                    for pos, item in enumerate(drawn, start=1):
                        theta = ability + 0.35 * (number - 1)
                        chance = 0.5 if math.isnan(item.difficulty) else 1 / (1 + math.exp(-1.7 * (theta - item.difficulty)))
                        ok = rng.random() < chance
                        right += ok
                        n, order = next(answer_ids), rng.choice(item.orders)
                        shown.append((n, aid, pos, item.id, item.hash, order))
                        mine.append((n, aid, pos, item.id, item.hash, order,
                                     item.right if ok else rng.choice(item.wrong), 1.0 if ok else 0.0, ok))
                    answers.extend(mine)
                    score = round(100.0 * right / len(drawn), 1)
                    passed = score >= quiz.pass_mark
                    submitted = started + timedelta(minutes=rng.randint(6, 25))
                    row = (aid, oid, d + 1, quiz.id, m.id, catalog.quiz_hashes[quiz.id], number,
                           "submitted", started, submitted, score, passed, quiz.pass_mark)
                    sealed = seal_attempt(dict(zip(COLUMNS["attempt"], row, strict=False)),
                                          [dict(zip(COLUMNS["answer"], a, strict=True)) for a in mine], keyring)
                    attempts.append((*row, sealed["key_id"], sealed["seal"]))
                    if passed:
                        cycle = "2025" if submitted.date() <= date(2025, 12, 31) else "2027"
                        done.append((oid, d + 1, m.id, m.version_hash, quiz.id, aid, score, submitted, cycle))
                        break
                    day += timedelta(days=rng.randint(1, 9))
                    if day >= today or rng.random() < 0.25:
                        break
        yield "officer", officers
        yield "lesson_progress", lessons
        yield "attempt", attempts
        yield "attempt_question", shown
        yield "answer", answers
    yield "assignment", assignments
    yield "completion", list(_chain(sorted(done, key=lambda r: (r[7], r[5])), keyring))


def _chain(done: list[Done], keyring: Keyring) -> Iterator[Row]:
    prev = GENESIS
    for n, (oid, dept, mid, mhash, quiz_id, aid, score, at, cycle) in enumerate(done, start=1):
        code = _code(n)
        row_hash = completion_hash(prev, officer_id=oid, module_id=mid, module_version_hash=mhash, quiz_id=quiz_id,
                                   attempt_id=aid, score=score, completed_at=at, cycle=cycle, verification_code=code)
        sealed = seal_row_hash("completion", row_hash, keyring)
        yield (n, oid, dept, mid, mhash, quiz_id, aid, score, at, cycle, code, prev, row_hash, sealed["key_id"],
               sealed["seal"])
        prev = row_hash
