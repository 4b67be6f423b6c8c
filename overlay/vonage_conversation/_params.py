"""The request edge: what users pass, checked and put in the form the generated code sends.

Bad input raises a `ValueError` or `TypeError` naming the argument, before anything is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from vonage_conversation_api.types import Unset

from ._normalise import parse_timestamp

__all__ = [
    "Id",
    "check_id",
    "date_time",
    "event_id",
    "member_state",
    "membership_state",
    "order",
    "page_size",
    "plain",
]

_ORDERS = {"asc", "desc"}

#: An id argument: a str, or a generated model's id field as it is typed (``str | Unset``),
#: so that ``client.members.create(conversation.id, ...)`` type-checks. An id that really is
#: UNSET (the response had none) raises a ValueError before anything is sent.
Id = str | Unset


def _unset(name: str) -> ValueError:
    return ValueError(f"{name} is UNSET: the object it was read from has no id")


def check_id(name: str, value: object) -> str:
    """A path id: a non-empty string (the generated code quotes it into the path)."""
    if isinstance(value, Unset):
        raise _unset(name)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def event_id(name: str, value: object) -> str:
    """An event id: digits, given as a str or an int (v0.2 ids were ints: `event-id-string`)."""
    if isinstance(value, Unset):
        raise _unset(name)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"{name} must be an int or a str of digits, not {type(value).__name__}")
    text = str(value).strip()
    if not text.isdigit() or not text.isascii():
        raise ValueError(f"{name} must be a whole number of 0 or more (event ids are digits)")
    return text


def page_size(value: object) -> int:
    """A page size: 1 to 100, as the spec allows."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"page_size must be an int, not {type(value).__name__}")
    if not 1 <= value <= 100:
        raise ValueError("page_size must be between 1 and 100")
    return value


def order(value: object) -> str:
    """A sort order: ``asc`` or ``desc``, in either case (the API takes both)."""
    if not isinstance(value, str) or value.lower() not in _ORDERS:
        raise ValueError(f"order must be 'asc' or 'desc', not {value!r}")
    return value


def _one_of(name: str, value: object, allowed: Iterable[str], convert: Callable[[str], str]) -> str:
    choices = sorted(allowed)
    if not isinstance(value, str) or convert(value) not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, not {value!r}")
    return convert(value)


def member_state(value: object, allowed: Iterable[str]) -> str:
    """A member state for a request body. Requests spell states in lowercase (``joined``),
    responses in uppercase (``JOINED``): either is accepted here and sent as the API wants."""
    return _one_of("state", value, allowed, str.lower)


def membership_state(value: object) -> str:
    """The ``state`` filter of a user's conversations: INVITED, JOINED or LEFT, any case."""
    return _one_of("state", value, ("INVITED", "JOINED", "LEFT"), str.upper)


def date_time(name: str, value: datetime | date | str) -> datetime:
    """A date filter as an aware `datetime`, which the generated code sends as RFC 3339.

    Takes datetimes, dates and strings, including the v0.3 docs' ``2018-01-01 10:00:00``
    (`date-filters-rfc3339`); a time without a zone is UTC, the API's zone.
    """
    try:
        return parse_timestamp(value)
    except ValueError:
        raise ValueError(f"{name} is not a date-time: {value!r}") from None
    except TypeError:
        raise TypeError(
            f"{name} must be a datetime, a date or a date-time string, not {type(value).__name__}"
        ) from None


def plain(value: Any) -> Any:
    """A JSON-ready copy: generated models become dicts, at any depth."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return plain(to_dict())
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value
