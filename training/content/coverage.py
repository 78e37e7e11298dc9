"""Which policy points the question bank tests, per module: the gaps at a glance."""

from __future__ import annotations

from collections import Counter

from training.content import Catalog

TESTED_TIERS = ("policy", "statute", "summary")
MIN_QUESTIONS_PER_POINT = 3


EXAM_POOL_PREFIX = "exam-"  # the exam's own pool for a module: "exam-<module id>"


def pool_modules(catalog: Catalog) -> dict[str, str]:
    """pool id -> module id, from the module quizzes that draw on each pool, and the exam's
    own pools ("exam-<module id>")."""
    out: dict[str, str] = {}
    for quiz in catalog.quizzes.values():
        for d in quiz.draw:
            if quiz.module:
                out.setdefault(d.pool, quiz.module)
            elif d.pool.removeprefix(EXAM_POOL_PREFIX) in catalog.modules:
                out.setdefault(d.pool, d.pool.removeprefix(EXAM_POOL_PREFIX))
    return out


def coverage_matrix(catalog: Catalog) -> dict[str, Counter[str]]:
    """policy point id -> Counter(module id -> number of questions citing it)."""
    owner = pool_modules(catalog)
    matrix: dict[str, Counter[str]] = {pid: Counter() for pid in catalog.policy_points}
    for q in catalog.questions.values():
        for pid in q.policy_points:
            matrix.setdefault(pid, Counter())[owner.get(q.pool, q.pool)] += 1
    return matrix


def coverage_gaps(catalog: Catalog) -> list[tuple[str, int]]:
    """Points of a tested tier cited by fewer than MIN_QUESTIONS_PER_POINT questions."""
    matrix = coverage_matrix(catalog)
    return [(pid, sum(matrix[pid].values())) for pid, point in catalog.policy_points.items()
            if point.source in TESTED_TIERS and sum(matrix[pid].values()) < MIN_QUESTIONS_PER_POINT]
