"""Per-question response counts on FIRST attempts, for item analysis (training/item_analysis.py).

Only attempt_number = 1 counts: retakes are taken by people who already saw the questions.
Each submitted first attempt is ranked within its quiz by score; the top 27% form the upper
group and the bottom 27% the lower group (Kelley's groups, ties broken by attempt id). The
query returns counts only; the indexes are computed from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, null, select
from sqlmodel import Session

from db.queries.tables import answer, attempt, officer, on_roster

GROUP_PERCENT = 27


@dataclass(frozen=True)
class ItemCounts:
    question_id: str
    question_hash: str | None  # None when versions are pooled
    responses: int
    correct: int
    upper: int
    upper_correct: int
    lower: int
    lower_correct: int


def item_counts(*, session: Session, department_id: int | None, by_version: bool = False) -> list[ItemCounts]:
    """Counts per question (or per question version) for one department, or statewide when None."""
    first = (select(attempt.c.id, attempt.c.quiz_id, attempt.c.score)
             .join(officer, officer.c.id == attempt.c.officer_id)
             .where(attempt.c.attempt_number == 1, attempt.c.status == "submitted", on_roster()))
    if department_id is not None:
        first = first.where(officer.c.department_id == department_id)
    f = first.subquery("f")
    rank = func.row_number().over(partition_by=f.c.quiz_id, order_by=(f.c.score.desc(), f.c.id))
    size = func.count().over(partition_by=f.c.quiz_id)
    ranked = select(f.c.id, rank.label("rn"), size.label("n")).subquery("ranked")
    k = (GROUP_PERCENT * ranked.c.n + 99) // 100  # ceil(27% of n) in integer arithmetic, same on both backends
    grouped = select(ranked.c.id, case((ranked.c.rn <= k, 1), (ranked.c.rn > ranked.c.n - k, -1),
                                       else_=0).label("g")).subquery("grouped")
    ok = case((answer.c.correct.is_(True), 1), else_=0)

    def total(expr: ColumnElement[int]) -> ColumnElement[int]:
        return func.coalesce(func.sum(expr), 0)

    version = answer.c.question_hash if by_version else null()
    keys = [answer.c.question_id] + ([answer.c.question_hash] if by_version else [])
    stmt = (select(answer.c.question_id, version, func.count(), total(ok),
                   total(case((grouped.c.g == 1, 1), else_=0)),
                   total(case((grouped.c.g == 1, ok), else_=0)),
                   total(case((grouped.c.g == -1, 1), else_=0)),
                   total(case((grouped.c.g == -1, ok), else_=0)))
            .join(grouped, grouped.c.id == answer.c.attempt_id)
            .group_by(*keys).order_by(*keys))
    return [ItemCounts(r[0], r[1], *(int(x) for x in r[2:])) for r in session.execute(stmt)]
