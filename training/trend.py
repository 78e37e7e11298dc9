"""Completions over time as a supervisor should read them: every period shown, the current one marked.

Rules a supervisor may ask about:
- Each week (Monday to Sunday) or month from the first completion to today is shown, with
  zero for a period without completions, so one month of data still draws.
- The current week or month is not over: its count is shown as "so far" and kept apart from
  the finished periods, so a half-finished month never looks like a drop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Period = Literal["week", "month"]


@dataclass(frozen=True)
class TrendBar:
    start: date  # the week's Monday or the month's first day
    label: str  # "Mar 2027" or "week of Mar 01, 2027"
    completions: int
    cumulative: int
    so_far: bool  # the current period: not over yet


def period_of(day: date, period: Period) -> date:
    return day - timedelta(days=day.weekday()) if period == "week" else day.replace(day=1)


def _next(start: date, period: Period) -> date:
    if period == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def _label(start: date, period: Period) -> str:
    return f"week of {start:%b %d, %Y}" if period == "week" else f"{start:%b %Y}"


def trend_bars(points: Sequence[tuple[str, int]], *, today: date, period: Period) -> list[TrendBar]:
    """(period start as ISO date, completions) per period with any, -> one bar per period up to today's."""
    counts: dict[date, int] = {}
    for iso, n in points:
        key = period_of(date.fromisoformat(str(iso)[:10]), period)
        counts[key] = counts.get(key, 0) + int(n)
    if not counts:
        return []
    current = period_of(today, period)
    bars, total, start = [], 0, min(counts)
    while start <= max(current, max(counts)):
        total += counts.get(start, 0)
        bars.append(TrendBar(start, _label(start, period), counts.get(start, 0), total, start >= current))
        start = _next(start, period)
    return bars
