"""Fixes at the parsing edge: a server's JSON, put in the shape the generated models read.

`openapi/conversation.yaml` settles every disagreement between the two source documents, but a
server may still send the forms the sources showed. Each fix below undoes one of them and names
its rule in `openapi/NORMALISATION.md`; `normalise` applies them all, to every successful
response body, before a generated model's ``from_dict`` sees it.

The fixes look at field names, not at which operation answered, so one walk serves every
operation. Data that belongs to the user (a custom event's body, a conversation's
``custom_data``, a leg's free-form ``from``/``to``) is never rewritten.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from datetime import date, datetime, timezone
from typing import Any

from dateutil import parser as dateutil_parser

__all__ = ["normalise", "parse_timestamp"]

JSONDict = dict[str, Any]

# Keys whose value is the user's own data, not the API's: left exactly as the server sent them.
_OPAQUE_KEYS = frozenset({"custom_data", "body", "from", "to", "params"})
# ...except the body of a member event, which is a Member and gets every Member fix.
_MEMBER_EVENT_PREFIX = "member:"

_TIMESTAMP_KEYS = frozenset(
    {"timestamp", "created", "invited", "joined", "left", "start_time", "end_time"}
)
_INTEGER_KEYS = frozenset({"count", "page_size", "record_index", "sequence_number"})
_NUMBER_KEYS = frozenset({"ttl"})
_PAGE_LINK_KEYS = ("first", "self", "next", "prev")
_INTEGER_TEXT = re.compile(r"^\s*[+-]?\d+\s*$")


def parse_timestamp(value: str | datetime | date) -> datetime:
    """Read every timestamp form the sources show, as an aware `datetime` (UTC if no zone).

    ``2019-09-03T18:40:24.324Z``, ``2020-01-01T14:00:00.00Z`` (two fraction digits),
    ``2018-01-01 10:00:00`` (a space, no zone) and the RFC 3339 forms all parse. The API
    speaks UTC, so a time without a zone is taken as UTC rather than as the machine's time.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = dateutil_parser.isoparse(value.strip())
        except (ValueError, OverflowError):
            try:
                parsed = dateutil_parser.parse(value)
            except (ValueError, OverflowError):
                raise ValueError(f"not a date-time: {value!r}") from None
    else:
        raise TypeError(f"expected a datetime or a date-time string, not {type(value).__name__}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


# Each fix takes one JSON object (a dict) and repairs it in place.


def fix_member_links_self(obj: JSONDict) -> None:
    """`member-links-self`: ``_links: {href}`` (v0.3 members) becomes ``_links: {self: {href}}``."""
    links = obj.get("_links")
    if isinstance(links, dict) and isinstance(links.get("href"), str) and "self" not in links:
        rest = {k: v for k, v in links.items() if k != "href"}
        obj["_links"] = {"self": {"href": links["href"]}, **rest}


def fix_page_links_flat(obj: JSONDict) -> None:
    """`page-links-flat`: page links nested in ``_links.self`` are lifted to ``_links``.

    The v0.3 user conversations and sessions lists wrote ``_links: {self: {first, self, next,
    prev}}``; the paginator reads ``_links.next.href``.
    """
    links = obj.get("_links")
    nested = links.get("self") if isinstance(links, dict) else None
    if not isinstance(links, dict) or not isinstance(nested, dict):
        return
    if not any(isinstance(nested.get(key), dict) for key in _PAGE_LINK_KEYS):
        return
    flat = {k: v for k, v in links.items() if k != "self"}
    for key in _PAGE_LINK_KEYS:
        if isinstance(nested.get(key), dict):
            flat.setdefault(key, nested[key])
    if "self" not in flat and isinstance(nested.get("href"), str):
        flat["self"] = {"href": nested["href"]}
    obj["_links"] = flat


def fix_is_system_spelling(obj: JSONDict) -> None:
    """`is-system-spelling`: v0.2's ``is_system`` is read as ``isSystem``."""
    if "is_system" in obj and "isSystem" not in obj:
        obj["isSystem"] = obj.pop("is_system")


def fix_legs_end_time(obj: JSONDict) -> None:
    """`legs-end-time`: the v0.3 docs' ``start_end`` (a leg's end) is read as ``end_time``."""
    if "start_end" in obj and "end_time" not in obj:
        obj["end_time"] = obj.pop("start_end")


def fix_event_id_string(obj: JSONDict) -> None:
    """`event-id-string`: an integer ``id`` (v0.2 events) is read as its decimal string."""
    value = obj.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        obj["id"] = str(value)


def fix_numbers_as_strings(obj: JSONDict) -> None:
    """`legs-count-integer`: numbers sent as strings (``"count": "100"``) are read as numbers."""
    for key in _INTEGER_KEYS & obj.keys():
        value = obj[key]
        text = isinstance(value, str) and _INTEGER_TEXT.match(value)
        if text or (isinstance(value, float) and value.is_integer()):
            obj[key] = int(value)
    for key in _NUMBER_KEYS & obj.keys():
        value = obj[key]
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                obj[key] = float(value)


def fix_timestamps(obj: JSONDict) -> None:
    """`timestamps-date-time`: every timestamp form of the sources is rewritten as RFC 3339.

    The generated models read timestamps with dateutil's `isoparse`, which refuses the
    space-separated form of the v0.3 docs and reads a time without a zone as local time.
    An unreadable timestamp raises here, naming the field and the value.
    """
    for key in _TIMESTAMP_KEYS & obj.keys():
        value = obj[key]
        if isinstance(value, str):
            try:
                obj[key] = parse_timestamp(value).isoformat()
            except ValueError as error:
                raise ValueError(f"{key}: {error}") from None


def fix_numbers_by_type(obj: JSONDict) -> None:
    """`conversation-numbers-by-type`: ``numbers`` sent back as an array is keyed by type."""
    numbers = obj.get("numbers")
    if isinstance(numbers, list) and all(
        isinstance(n, dict) and isinstance(n.get("type"), str) for n in numbers
    ):
        obj["numbers"] = {n["type"]: n for n in numbers}


_FIXES: tuple[Callable[[JSONDict], None], ...] = (
    fix_member_links_self,
    fix_page_links_flat,
    fix_is_system_spelling,
    fix_legs_end_time,
    fix_event_id_string,
    fix_numbers_as_strings,
    fix_timestamps,
    fix_numbers_by_type,
)


def _walk(node: Any) -> Any:
    if isinstance(node, list):
        return [_walk(item) for item in node]
    if not isinstance(node, dict):
        return node
    obj = dict(node)
    for fix in _FIXES:
        fix(obj)
    member_event = isinstance(obj.get("type"), str) and obj["type"].startswith(_MEMBER_EVENT_PREFIX)
    for key, value in obj.items():
        if key in _OPAQUE_KEYS and not (key == "body" and member_event):
            continue
        obj[key] = _walk(value)
    return obj


def normalise(data: Any) -> Any:
    """A copy of a response body with every fix applied (the input is not changed)."""
    return _walk(data)
