"""The request edge: what users pass, checked and put in the form the generated code sends.

Two kinds of check. The checks of one argument (`text`, `digits`, `integer`, `choice`,
`date_time`...) are picked for each parameter and body field from its schema when the resources
are generated (``_generated/operations.py`` names them). The checks the spec
cannot express are kept here by operationId: a body's own rule (`BODY_CHECKS`), the kind of an
``anyOf`` body (`BODY_KINDS`) and an operation that needs a user JWT (`check_auth`).

Bad input raises a `ValueError` or `TypeError` naming the argument, before anything is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from vonage_conversation_api.models import CreateCustomEventRequest, CreateTextEventRequest
from vonage_conversation_api.types import Unset

from ._auth import JWTAuth
from ._timestamps import parse_timestamp

__all__ = [
    "BODY_CHECKS",
    "BODY_KINDS",
    "Checker",
    "DateLike",
    "Id",
    "JSONObject",
    "boolean",
    "check_auth",
    "choice",
    "date_time",
    "digits",
    "integer",
    "number",
    "plain",
    "string",
    "text",
    "unchecked",
]

#: A check of one argument: (its name, the value given) -> the value to send, or an error.
Checker = Callable[[str, Any], Any]

#: An id argument: a str, or a generated model's id field as it is typed (``str | Unset``),
#: so that ``client.members.create(conversation.id, ...)`` type-checks. An id that really is
#: UNSET (the response had none) raises a ValueError before anything is sent.
Id = str | Unset
#: A JSON object given for a body field the spec types as an object.
JSONObject = Mapping[str, Any]
#: A date-time argument: a datetime, a date, or a string such as ``2018-01-01T10:00:00Z``.
DateLike = datetime | date | str


def _unset(name: str) -> ValueError:
    return ValueError(f"{name} is UNSET: the object it was read from has no id")


def text(name: str, value: object) -> str:
    """A non-empty string: a path id (the generated code quotes it into the path), a cursor."""
    if isinstance(value, Unset):
        raise _unset(name)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


def string(name: str, value: object) -> str:
    """Any string."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")
    return value


def digits(name: str, value: object) -> str:
    """A whole number written in digits, given as a str or an int (event ids: v0.2's were ints,
    `event-id-string`)."""
    if isinstance(value, Unset):
        raise _unset(name)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"{name} must be an int or a str of digits, not {type(value).__name__}")
    as_text = str(value).strip()
    if not as_text.isdigit() or not as_text.isascii():
        raise ValueError(f"{name} must be a whole number of 0 or more (it is sent as digits)")
    return as_text


def integer(minimum: int | None = None, maximum: int | None = None) -> Checker:
    """An int within the spec's bounds (``page_size``: 1 to 100)."""

    def check(name: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, not {type(value).__name__}")
        low = minimum if minimum is not None else value
        high = maximum if maximum is not None else value
        if not low <= value <= high:
            if minimum is not None and maximum is not None:
                raise ValueError(f"{name} must be between {minimum} and {maximum}")
            bound = f"{minimum} or more" if minimum is not None else f"{maximum} or less"
            raise ValueError(f"{name} must be {bound}")
        return value

    return check


def number(name: str, value: object) -> float:
    """An int or a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    return value


def boolean(name: str, value: object) -> bool:
    """True or False."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {type(value).__name__}")
    return value


def unchecked(name: str, value: object) -> object:
    """A value the spec types loosely (an array, an object): sent as given."""
    return value


def _listed(choices: list[str]) -> str:
    quoted = [repr(each) for each in choices]
    if len(quoted) == 2:
        return f"{quoted[0]} or {quoted[1]}"
    return "one of " + ", ".join(quoted)


def choice(*values: str) -> Checker:
    """One of the spec's enum values, in any case: sent as given when the spec spells it so
    (``order``: ``asc`` and ``ASC`` are both allowed), else as the spec spells it (requests
    spell member states ``joined``, responses ``JOINED``: either is accepted)."""
    by_case = {value.lower(): value for value in reversed(values)}
    shown = sorted(by_case.values(), key=values.index)

    def check(name: str, value: object) -> str:
        if isinstance(value, str) and value in values:
            return value
        if isinstance(value, str) and value.lower() in by_case:
            return by_case[value.lower()]
        raise ValueError(f"{name} must be {_listed(shown)}, not {value!r}")

    return check


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


# What the spec cannot say, by operationId.


def _member_user(body: Mapping[str, Any]) -> None:
    """`create-member-user-required`: the API needs the user's id or name."""
    user = body.get("user")
    if not isinstance(user, Mapping) or not (user.get("id") or user.get("name")):
        raise ValueError(
            "creating a member needs the user: user={'name': 'alice'} or user={'id': 'USR-...'}"
        )


#: A body's own rules, checked once the body is put together (keywords over `data`).
BODY_CHECKS: Mapping[str, Callable[[Mapping[str, Any]], None]] = {
    "createMember": _member_user,
}


def _event_kind(body: Mapping[str, Any]) -> type[Any]:
    """The request model of an event's ``type`` (spec rule `create-event-kinds`)."""
    event_type = body.get("type")
    if event_type is None:
        raise ValueError("an event needs the field 'type' (`text` or `custom:<name>`)")
    if event_type == "text":
        return CreateTextEventRequest
    if isinstance(event_type, str) and event_type.startswith("custom:") and event_type[7:]:
        return CreateCustomEventRequest
    raise ValueError(
        f"cannot send an event of type {event_type!r}: members send `text` or "
        "`custom:<name>` events (member events are the API's own)"
    )


#: Which model of an ``anyOf`` body a body is (without an entry: the first kind it parses as).
BODY_KINDS: Mapping[str, Callable[[Mapping[str, Any]], type[Any]]] = {
    "createEvent": _event_kind,
}

#: Operations that answer for the user the JWT names (its ``sub``), and their method.
USER_JWT_OPERATIONS: Mapping[str, str] = {"getMyMember": "members.me"}


def check_auth(operation_id: str, auth: object) -> None:
    """Refuse an operation that needs a user JWT when the client mints application JWTs: the
    server would find no "me", and its answer would say less than this does."""
    if operation_id in USER_JWT_OPERATIONS and isinstance(auth, JWTAuth) and auth.sub is None:
        raise ValueError(
            f"{USER_JWT_OPERATIONS[operation_id]} needs a user JWT: build the client with "
            "sub='<user name>' "
            "(the JWT's `sub` names the user whose membership this is)"
        )
