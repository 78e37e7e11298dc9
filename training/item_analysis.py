"""Item analysis: which questions, and which policy points, officers get wrong on first sight.

Rules a supervisor may ask about:
- Only first attempts count. A retake is taken by someone who has already seen the
  questions and the feedback, so it says less about what is understood.
- Facility index: the share of responses that were fully correct (0 to 1). Low means the
  question is hard or the protection it tests is misunderstood; very high means almost
  everyone gets it right.
- Discrimination index (Kelley's upper-lower method): first attempts at a quiz are ranked
  by total score; the top 27% form the upper group and the bottom 27% the lower group. The
  index is the share correct in the upper group minus the share correct in the lower group
  (-1 to 1). A good question is answered correctly more often by officers who did well
  overall; near zero or negative means the question does not separate understanding from
  luck, and its wording or its answer key deserves a second look.
- A question is flagged for review when it has at least MIN_RESPONSES responses and its
  facility is below 0.30 or above 0.95, or when its discrimination is below 0.20 with at
  least MIN_GROUP responses in each group. Fewer responses than that are shown but not
  flagged: small numbers swing too much to judge.
- A policy point's figures pool the responses of every question citing that point.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from db.queries.items import ItemCounts

MIN_RESPONSES = 30
MIN_GROUP = 5
HARD_BELOW = 0.30
EASY_ABOVE = 0.95
DISCRIMINATION_BELOW = 0.20


@dataclass(frozen=True)
class ItemStats:
    key: str  # question id, or policy point id
    question_hash: str | None
    responses: int
    facility: float | None
    discrimination: float | None
    flags: tuple[str, ...]


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def review_flags(c: ItemCounts) -> tuple[str, ...]:
    """Why a question needs review, following the rules in this module's docstring."""
    flags = []
    facility = _ratio(c.correct, c.responses)
    if facility is not None and c.responses >= MIN_RESPONSES:
        if facility < HARD_BELOW:
            flags.append("hard or misunderstood")
        elif facility > EASY_ABOVE:
            flags.append("almost everyone right")
    d = discrimination(c)
    if d is not None and c.upper >= MIN_GROUP and c.lower >= MIN_GROUP and c.responses >= MIN_RESPONSES \
            and d < DISCRIMINATION_BELOW:
        flags.append("low discrimination")
    return tuple(flags)


def discrimination(c: ItemCounts) -> float | None:
    upper, lower = _ratio(c.upper_correct, c.upper), _ratio(c.lower_correct, c.lower)
    return None if upper is None or lower is None else upper - lower


def stats_of(c: ItemCounts, key: str | None = None) -> ItemStats:
    return ItemStats(key or c.question_id, c.question_hash, c.responses, _ratio(c.correct, c.responses),
                     discrimination(c), review_flags(c))


def pooled(key: str, counts: Iterable[ItemCounts]) -> ItemCounts:
    parts = list(counts)
    return ItemCounts(key, None, *(sum(getattr(c, f) for c in parts) for f in
                                   ("responses", "correct", "upper", "upper_correct", "lower", "lower_correct")))


def by_policy_point(counts: Iterable[ItemCounts], points_of: Mapping[str, Iterable[str]]) -> list[ItemStats]:
    """Per policy point, pooling the per-question counts of every question that cites it."""
    groups: dict[str, list[ItemCounts]] = {}
    for c in counts:
        for point in points_of.get(c.question_id, ()):
            groups.setdefault(point, []).append(c)
    return [stats_of(pooled(point, group)) for point, group in sorted(groups.items())]
