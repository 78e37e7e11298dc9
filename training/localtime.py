"""Times in the agency's time zone. Stored times stay UTC; people read local time.

The zone comes from FIPP_TIMEZONE (an IANA name such as America/New_York, the default:
Vermont). A bad name is an error at start, not a silent fallback to UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from training.settings import get_settings


class BadTimeZone(ValueError):
    pass


@lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BadTimeZone(f"FIPP_TIMEZONE='{name}' is not a time zone name such as America/New_York.") from exc


def agency_zone() -> ZoneInfo:
    return _zone(get_settings().timezone)


def to_local(moment: datetime) -> datetime:
    """A stored time (naive values are UTC, as the database keeps them) in the agency's zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(agency_zone())


def local_today(now: datetime | None = None) -> date:
    """Today's date where the agency is (an evening in Vermont is still today, not UTC's tomorrow)."""
    return to_local(now or datetime.now(UTC)).date()


def format_local(moment: datetime | None, *, with_zone: bool = True) -> str:
    """'2027-03-04 18:05 EST' style, for screens, certificates and reports."""
    if moment is None:
        return ""
    local = to_local(moment)
    text = local.strftime("%Y-%m-%d %H:%M")
    return f"{text} {local.tzname()}" if with_zone else text


def format_local_date(moment: datetime | None, pattern: str = "%B %d, %Y") -> str:
    """The agency-local calendar date of a stored time: 'March 01, 2027' for 04:30 UTC on March 2 in Vermont."""
    return "" if moment is None else to_local(moment).strftime(pattern)
