"""Time as the API writes it (RFC 3339, UTC, milliseconds, ``Z``), and each application's clock.

Stored timestamps use the same fixed-width text, so comparing two of them as strings orders
them in time: the date filters and the indexes rely on it.

`ApplicationClocks` gives every application its own time: the base clock shifted by what
``POST /_emulator/clock`` set for that application. Timestamps written for an application,
the checks of its JWTs (``exp``, ``nbf``, ``iat``) and its conversations' ``ttl`` follow its
clock, so one test moving time never moves another's. The delivery schedule keeps to the
base clock: retries are about the receiver's real time, not the application's.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

__all__ = ["ApplicationClocks", "Clock", "format_timestamp", "system_clock"]

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


class ApplicationClocks:
    """Every application's time: ``base`` plus the offset set for it (none until one is set).

    An offset, not a frozen time: an application's clock keeps running after ``advance`` or
    ``set``, as the real service's would, so code that waits a little still sees time pass.
    """

    def __init__(self, base: Clock = system_clock) -> None:
        self.base = base
        self._offsets: dict[str, timedelta] = {}
        self._lock = threading.Lock()

    def now(self, application_id: str) -> datetime:
        """The application's current time."""
        offset = self._offsets.get(application_id)
        moment = self.base()
        return moment if offset is None else moment + offset

    def timestamp(self, application_id: str) -> float:
        """The application's current time in seconds since the epoch (what JWT claims hold)."""
        return self.now(application_id).timestamp()

    def of(self, application_id: str) -> Clock:
        """The application's clock as a `Clock`."""
        return lambda: self.now(application_id)

    def offset(self, application_id: str) -> timedelta:
        """How far the application's clock is from the base clock."""
        return self._offsets.get(application_id, timedelta(0))

    def advance(self, application_id: str, seconds: float) -> datetime:
        """Move the application's clock ``seconds`` forward; its new time. ValueError for a
        negative or non-finite amount (``set`` moves it anywhere)."""
        if isinstance(seconds, bool) or not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"advance: {seconds!r} is not a number of seconds of 0 or more")
        with self._lock:
            offset = self.offset(application_id) + timedelta(seconds=seconds)
            self._offsets[application_id] = offset
        return self.now(application_id)

    def set(self, application_id: str, moment: datetime) -> datetime:
        """Set the application's clock to ``moment`` (timezone-aware); its new time."""
        if moment.tzinfo is None:
            raise ValueError("set: the time needs a timezone (2030-01-01T00:00:00Z)")
        with self._lock:
            self._offsets[application_id] = moment - self.base()
        return self.now(application_id)

    def reset(self, application_id: str) -> None:
        """Put the application's clock back on the base clock."""
        with self._lock:
            self._offsets.pop(application_id, None)
