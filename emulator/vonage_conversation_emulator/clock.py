"""Time as the API writes it: RFC 3339, UTC, milliseconds, ``Z``.

Stored timestamps use the same fixed-width text, so comparing two of them as strings orders
them in time: the date filters and the indexes rely on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

__all__ = ["Clock", "format_timestamp", "system_clock"]

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware. Injectable so tests can set the time."""


def system_clock() -> datetime:
    """The machine's clock, in UTC."""
    return datetime.now(timezone.utc)


def format_timestamp(moment: datetime) -> str:
    """``2020-01-01T14:00:00.000Z`` for ``moment`` (a naive datetime is taken as UTC)."""
    offset = moment.utcoffset()
    utc = moment.replace(tzinfo=None)
    if offset:
        try:
            utc -= offset
        except OverflowError:
            # A filter such as 0001-01-01T00:00:00+01:00 lies before datetime.min in UTC:
            # clamp it, since it still has to order before (or after) every stored time.
            utc = datetime.min if offset > timedelta(0) else datetime.max
    return (
        f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T"
        f"{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}.{utc.microsecond // 1000:03d}Z"
    )
