"""What the rendered response readers (`_generated.readers`) call besides the fixes: the loops
over an array's items and an object's typed values, the date-time readings, and a coercion's
error path. Written by hand, once, for every reader.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import Any, TypeVar

from ._fixes import SchemaMismatchError, describe
from ._timestamps import read_timestamp, read_timestamp_as_sent

__all__ = [
    "MISSING",
    "UTC",
    "coerced",
    "fromiso",
    "read_items",
    "read_values",
    "timestamp_slow",
    "timestamp_text",
]

T = TypeVar("T")

#: What ``dict.get`` gives for a field the object does not hold (None is a value).
MISSING: Any = object()
UTC = timezone.utc
#: The fast reading of a date-time; `timestamp_slow` reads what it cannot.
fromiso: Callable[[str], datetime] = datetime.fromisoformat


def timestamp_slow(value: object, key: str | None) -> datetime:
    """A date-time `fromisoformat` could not read: `dateutil`'s reading, or a mismatch."""
    return _timestamp(value, key, read_timestamp)


def timestamp_text(value: object, key: str | None) -> object:
    """`timestamps-date-time` in JSON: a readable date-time is kept as sent, one without a zone
    is written with UTC's; an unreadable one is a mismatch."""
    parsed = _timestamp(value, key, read_timestamp_as_sent)
    return value if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC).isoformat()


def _timestamp(value: object, key: str | None, read: Callable[[str], datetime]) -> datetime:
    steps = (key,) if key is not None else ()
    if not isinstance(value, str):
        raise SchemaMismatchError(f"expected a date-time string, got {describe(value)}", *steps)
    try:
        return read(value)
    except ValueError:
        raise SchemaMismatchError(f"not a date-time: {value!r}", *steps) from None


def coerced(read: Callable[[object], T], value: object, key: str | None) -> T:
    """`read` (a coercion of `_fixes`) of a wrong-typed value; its mismatch names `key`."""
    try:
        return read(value)
    except SchemaMismatchError as error:
        if key is not None:
            error.within(key)
        raise


def read_items(read: Callable[[Any], T], items: list[Any]) -> list[T]:
    """Each item read by `read`; a mismatch names the item's ``[index]``."""
    out: list[T] = []
    append = out.append
    index = 0
    try:
        for item in items:
            append(read(item))
            index += 1
    except SchemaMismatchError as error:
        error.within(f"[{index}]")
        raise
    return out


def read_values(read: Callable[[Any], T], values: Mapping[str, Any]) -> dict[str, T]:
    """Each value of an object's additional properties read by `read`; a mismatch names its key."""
    out: dict[str, T] = {}
    for key, value in values.items():
        try:
            out[key] = read(value)
        except SchemaMismatchError as error:
            error.within(key)
            raise
    return out
