"""Timestamps as the API and its sources write them, read into aware `datetime` objects.

`datetime.fromisoformat` (in C) reads what servers send (``2019-09-03T18:40:24.324Z``) and
comes first; on Python 3.10, which reads no ``Z``, it is tried again with ``+00:00`` for it;
``dateutil`` reads only what neither can: on 3.10, a fraction that is not 3 or 6 digits
(``14:00:00.00Z``) or digits past the microsecond; on any version, surrounding spaces.
`timestamps-date-time` and `date-filters-rfc3339` (openapi/NORMALISATION.md): a time without a
zone (the sources' ``2018-01-01 10:00:00``) is UTC, the API's zone.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from dateutil.parser import isoparse

__all__ = ["parse_timestamp", "read_timestamp", "read_timestamp_as_sent"]

_fromisoformat = datetime.fromisoformat
_UTC = timezone.utc


def read_timestamp_as_sent(text: str) -> datetime:
    """`text` as a datetime, with the zone it names (None if none); ValueError if unreadable."""
    try:
        return _fromisoformat(text)
    except ValueError:
        pass
    if text[-1:] in ("Z", "z"):
        try:
            return _fromisoformat(text[:-1] + "+00:00")
        except ValueError:
            pass
    try:
        return isoparse(text.strip())
    except (ValueError, OverflowError):
        raise ValueError(f"not a date-time: {text!r}") from None


def read_timestamp(text: str) -> datetime:
    """`text` as an aware datetime (UTC when it names no zone); ValueError when unreadable."""
    parsed = read_timestamp_as_sent(text)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=_UTC)
    return parsed


def parse_timestamp(value: str | datetime | date) -> datetime:
    """Read every timestamp form the sources show, as an aware `datetime` (UTC if no zone).

    ``2019-09-03T18:40:24.324Z``, ``2020-01-01T14:00:00.00Z`` (two fraction digits),
    ``2018-01-01 10:00:00`` (a space, no zone) and the RFC 3339 forms all parse. The API
    speaks UTC, so a time without a zone is taken as UTC rather than as the machine's time.
    Anything else is a ValueError: a timestamp is never guessed.
    """
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=_UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=_UTC)
    if isinstance(value, str):
        return read_timestamp(value)
    raise TypeError(f"expected a datetime or a date-time string, not {type(value).__name__}")
