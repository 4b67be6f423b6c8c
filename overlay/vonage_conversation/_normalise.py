"""Fixes at the parsing edge: a server's JSON, put in the shape the generated models read.

`openapi/conversation.yaml` settles every disagreement between the two source documents, but a
server may still send the forms the sources showed. Each fix below undoes one of them, names
its rule in `openapi/NORMALISATION.md`, and applies only where that rule says: at the schema the
rule is about (an `Initiator`, a `Leg`, a `Member`...), found by walking the response alongside
the spec, and only to the source's form of the value. A field the spec does not describe, or
leaves free (a custom event's body, a conversation's ``custom_data``, a leg's ``from``/``to``),
is never touched, whatever its name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime, timezone
from functools import cache
from importlib import resources
from typing import Any

from dateutil.parser import isoparse

__all__ = ["normalise", "parse_timestamp", "response_schema"]

JSONDict = dict[str, Any]
Schema = Mapping[str, Any]
_REF = "#/components/schemas/"
_PAGE_LINKS = ("first", "self", "next", "prev")
_INTEGER = re.compile(r"^\s*[+-]?[0-9]+\s*$")
_DECIMAL = re.compile(r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$")


@cache
def _spec() -> Mapping[str, Any]:
    """The spec the generated package was built from (shipped in it as JSON)."""
    text = (resources.files("vonage_conversation_api") / "openapi.json").read_text("utf-8")
    spec: Mapping[str, Any] = json.loads(text)
    return spec


def _schemas() -> Mapping[str, Schema]:
    schemas: Mapping[str, Schema] = _spec()["components"]["schemas"]
    return schemas


@cache
def response_schema(operation_id: str) -> str | None:
    """The name of the schema an operation's success response carries (None: no body)."""
    for item in _spec()["paths"].values():
        for operation in item.values():
            if isinstance(operation, Mapping) and operation.get("operationId") == operation_id:
                for status, answer in operation["responses"].items():
                    ref = answer.get("content", {}).get("application/json", {}).get("schema")
                    if status.startswith("2") and ref is not None:
                        return str(ref["$ref"]).removeprefix(_REF)
                return None
    raise KeyError(f"no operation {operation_id!r} in the spec")


def parse_timestamp(value: str | datetime | date) -> datetime:
    """Read every timestamp form the sources show, as an aware `datetime` (UTC if no zone).

    ``2019-09-03T18:40:24.324Z``, ``2020-01-01T14:00:00.00Z`` (two fraction digits),
    ``2018-01-01 10:00:00`` (a space, no zone) and the RFC 3339 forms all parse. The API
    speaks UTC, so a time without a zone is taken as UTC rather than as the machine's time.
    Anything else is a ValueError: a timestamp is never guessed.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        try:
            parsed = isoparse(value.strip())
        except (ValueError, OverflowError):
            raise ValueError(f"not a date-time: {value!r}") from None
    else:
        raise TypeError(f"expected a datetime or a date-time string, not {type(value).__name__}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


# Each fix takes one JSON object of the schema it is registered for, and repairs it in place.


def fix_is_system_spelling(obj: JSONDict) -> None:
    """`is-system-spelling`: an initiator's v0.2 ``is_system`` is read as ``isSystem``."""
    if isinstance(obj.get("is_system"), bool) and "isSystem" not in obj:
        obj["isSystem"] = obj.pop("is_system")


def fix_legs_end_time(obj: JSONDict) -> None:
    """`legs-end-time`: a leg's ``start_end`` (the v0.3 docs' name of its end) is ``end_time``."""
    if isinstance(obj.get("start_end"), str) and "end_time" not in obj:
        obj["end_time"] = obj.pop("start_end")


def fix_member_links_self(obj: JSONDict) -> None:
    """`member-links-self`: a member's ``_links: {href}`` is read as ``_links: {self: {href}}``."""
    links = obj.get("_links")
    if isinstance(links, dict) and isinstance(links.get("href"), str) and "self" not in links:
        rest = {key: value for key, value in links.items() if key != "href"}
        obj["_links"] = {"self": {"href": links["href"]}, **rest}


def fix_page_links_flat(obj: JSONDict) -> None:
    """`page-links-flat`: the user conversations and sessions pages' ``_links.self`` holding the
    page links (its own ``self`` among them, each an object) is read as those links."""
    links = obj.get("_links")
    nested = links.get("self") if isinstance(links, dict) else None
    if (
        isinstance(links, dict)
        and isinstance(nested, dict)
        and isinstance(nested.get("self"), dict)
        and set(nested) <= set(_PAGE_LINKS)
        and all(isinstance(value, dict) for value in nested.values())
    ):
        obj["_links"] = {**nested, **{k: v for k, v in links.items() if k != "self"}}


def fix_event_id_string(obj: JSONDict) -> None:
    """`event-id-string`: an event's integer ``id`` (v0.2) is read as its decimal string."""
    value = obj.get("id")
    if isinstance(value, int) and not isinstance(value, bool):
        obj["id"] = str(value)


def fix_numbers_by_type(obj: JSONDict) -> None:
    """`conversation-numbers-by-type`: a conversation's ``numbers`` sent back as an array (as it
    is sent) is keyed by channel type, when no two numbers share a type."""
    numbers = obj.get("numbers")
    if not isinstance(numbers, list):
        return
    types = [n.get("type") if isinstance(n, dict) else None for n in numbers]
    if all(isinstance(kind, str) for kind in types) and len(set(types)) == len(types):
        obj["numbers"] = dict(zip(types, numbers, strict=True))


_FIXES: Mapping[str, tuple[Callable[[JSONDict], None], ...]] = {
    "Initiator": (fix_is_system_spelling,),
    "Leg": (fix_legs_end_time,),
    "Member": (fix_member_links_self,),
    "ConversationPage": (fix_page_links_flat,),
    "SessionPage": (fix_page_links_flat,),
    "Event": (fix_event_id_string,),
    "CreatedEvent": (fix_event_id_string,),
    "Conversation": (fix_numbers_by_type,),
}


def _fix_number(obj: JSONDict, key: str, kind: str) -> None:
    """`legs-count-integer`: a number the spec declares, sent as a string (the legs list's
    ``"count": "100"``), is read as the number; other strings are left for the model to refuse."""
    value = obj[key]
    if not isinstance(value, str):
        return
    if _INTEGER.match(value):
        obj[key] = int(value)
    elif kind == "number" and _DECIMAL.match(value):
        obj[key] = float(value)


def _fix_timestamp(obj: JSONDict, key: str) -> None:
    """`timestamps-date-time`: a date-time field without a zone is given UTC (the API's zone);
    an unreadable one raises, naming the field."""
    value = obj[key]
    if not isinstance(value, str):
        return
    try:
        parsed = isoparse(value.strip())
    except (ValueError, OverflowError):
        raise ValueError(f"{key}: not a date-time: {value!r}") from None
    if parsed.tzinfo is None:
        obj[key] = parsed.replace(tzinfo=timezone.utc).isoformat()


def _kind_of(event: JSONDict) -> str | None:
    """The event kind schema (`TextEvent`, `MemberLeftEvent`...) whose `type` the event has."""
    event_type = event.get("type")
    if not isinstance(event_type, str):
        return None
    for name, schema in _schemas().items():
        kind_type = schema.get("properties", {}).get("type", {}) if name.endswith("Event") else {}
        if event_type in kind_type.get("enum", ()) or (
            "pattern" in kind_type and re.match(kind_type["pattern"], event_type)
        ):
            return name
    return None


def _walk(node: Any, schema: Schema) -> Any:
    name: str | None = None
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.removeprefix(_REF)
        schema = _schemas()[name]
    if isinstance(node, list):
        items = schema.get("items")
        return [_walk(item, items) for item in node] if isinstance(items, Mapping) else node
    if not isinstance(node, dict):
        return node
    names = [name] if name else []
    if name == "Event" and (kind := _kind_of(node)) is not None:
        names.append(kind)  # read as its kind: a member event's body is a Member, and so on
        schema = _schemas()[kind]
    obj = dict(node)
    for each in names:
        for fix in _FIXES.get(each, ()):
            fix(obj)
    return _walk_properties(obj, schema)


def _walk_properties(obj: JSONDict, schema: Schema) -> JSONDict:
    """Fix and walk an object's properties as its schema describes them."""
    properties: Mapping[str, Schema] = schema.get("properties", {})
    for key, sub in properties.items():
        if key not in obj:
            continue
        if sub.get("format") == "date-time":
            _fix_timestamp(obj, key)
        elif sub.get("type") in ("integer", "number"):
            _fix_number(obj, key, sub["type"])
        else:
            obj[key] = _walk(obj[key], sub)
    extra = schema.get("additionalProperties")
    if isinstance(extra, Mapping):
        for key in obj.keys() - properties.keys():
            obj[key] = _walk(obj[key], extra)
    return obj


def normalise(data: Any, schema: str) -> Any:
    """A copy of a response body of the named schema, with every fix applied where its rule
    says (the input is not changed)."""
    if schema not in _schemas():
        raise KeyError(f"no schema {schema!r} in the spec")
    return _walk(data, {"$ref": _REF + schema})
