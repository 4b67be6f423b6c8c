"""The fixes at the parsing edge: forms the sources showed that the merged spec normalised away.

`openapi/conversation.yaml` settles every disagreement between the two source documents, but a
server may still send what a source showed. Each fix here undoes one such form and names its
rule in `openapi/NORMALISATION.md`. There are two kinds:

- an **object fix** repairs one JSON object of the schema it is registered for, in place, and
  runs only when the object holds its trigger key (``is_system`` in an `Initiator`): the
  rendered reader of that schema (``_generated/readers.py``) tests for the key and calls
  nothing otherwise;
- a **value coercion** reads a declared field whose value has the wrong JSON type, where a rule
  says that form is the source's (``"count": "100"`` for an integer): the reader calls it only
  after the field's type check failed, and anything it cannot read is a `SchemaMismatchError`.

A fix applies only at the schema its rule is about, and only to the source's form of the value
(a leg's ``start_end`` that reads as a date-time, an initiator's boolean ``is_system``); any
other value of those names is an undeclared field like any other, kept as sent.

The readers are rendered from this table at build time (``scripts/spec_pipeline/reader_plan.py``
reads `OBJECT_FIXES` and `VALUE_COERCIONS` from this file's source): keep their entries
literal, ``ObjectFix("rule", "trigger", function)`` and ``ValueCoercion("rule", function)``, and
run ``scripts/regenerate.py`` after changing them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._timestamps import read_timestamp

__all__ = [
    "OBJECT_FIXES",
    "VALUE_COERCIONS",
    "ObjectFix",
    "SchemaMismatchError",
    "ValueCoercion",
    "coerce_event_id",
    "coerce_integer",
    "coerce_number",
    "describe",
    "fix_is_system_spelling",
    "fix_legs_end_time",
    "fix_member_links_self",
    "fix_numbers_by_type",
    "fix_page_links_flat",
]

JSONDict = dict[str, Any]
_PAGE_LINKS = ("first", "self", "next", "prev")
_INTEGER = re.compile(r"^\s*[+-]?[0-9]+\s*$")
_DECIMAL = re.compile(r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$")


class SchemaMismatchError(ValueError):
    """A response is not what the spec says, at `path` (``_embedded.events[3].id``).

    Raised from deep inside a reader with the field's own name; each enclosing reader adds its
    step on the way out (`within`), so the path costs nothing unless something is wrong.
    """

    def __init__(self, problem: str, *steps: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.steps: list[str] = list(steps)

    def within(self, step: str) -> SchemaMismatchError:
        """This error, one level up: `step` is a property name or an ``[index]``."""
        self.steps.insert(0, step)
        return self

    @property
    def path(self) -> str:
        """The field's path, as ``_embedded.events[3].id`` (empty for the whole body)."""
        text = ""
        for step in self.steps:
            text += step if step.startswith("[") or not text else "." + step
        return text

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}" if self.steps else self.problem


def describe(value: object) -> str:
    """A JSON value, named for a message: its JSON type and a short rendering of it."""
    kinds = {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}
    kind = kinds.get(type(value))
    if kind is None:
        kind = {dict: "an object", list: "an array", type(None): "null"}.get(
            type(value), type(value).__name__
        )
        return kind
    shown = repr(value)
    return f"{kind} ({shown[:40]}...)" if len(shown) > 43 else f"{kind} ({shown})"


# Object fixes: each takes one JSON object of its schema and repairs it in place.


def fix_is_system_spelling(obj: JSONDict) -> None:
    """`is-system-spelling`: an initiator's v0.2 boolean ``is_system`` is read as ``isSystem``."""
    if isinstance(obj.get("is_system"), bool) and "isSystem" not in obj:
        obj["isSystem"] = obj.pop("is_system")


def fix_legs_end_time(obj: JSONDict) -> None:
    """`legs-end-time`: a leg's ``start_end`` (the v0.3 docs' name of its end) is read as
    ``end_time`` when it is a date-time and there is no ``end_time``; any other ``start_end``
    is an undeclared field, kept as sent (a leg is an open object)."""
    value = obj.get("start_end")
    if "end_time" in obj or not isinstance(value, str):
        return
    try:
        read_timestamp(value)
    except ValueError:
        return
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


def fix_numbers_by_type(obj: JSONDict) -> None:
    """`conversation-numbers-by-type`: a conversation's ``numbers`` sent back as an array (as it
    is sent) is keyed by channel type, when no two numbers share a type."""
    numbers = obj.get("numbers")
    if not isinstance(numbers, list):
        return
    types = [n.get("type") if isinstance(n, dict) else None for n in numbers]
    if all(isinstance(kind, str) for kind in types) and len(set(types)) == len(types):
        obj["numbers"] = dict(zip(types, numbers, strict=True))


@dataclass(frozen=True)
class ObjectFix:
    """A fix of one object of a schema: its rule, the key whose presence calls it, the fix."""

    rule: str
    trigger: str
    apply: Callable[[JSONDict], None]


#: schema -> the fixes its objects get, in order.
OBJECT_FIXES: Mapping[str, tuple[ObjectFix, ...]] = {
    "Initiator": (ObjectFix("is-system-spelling", "is_system", fix_is_system_spelling),),
    "Leg": (ObjectFix("legs-end-time", "start_end", fix_legs_end_time),),
    "Member": (ObjectFix("member-links-self", "_links", fix_member_links_self),),
    "ConversationPage": (ObjectFix("page-links-flat", "_links", fix_page_links_flat),),
    "SessionPage": (ObjectFix("page-links-flat", "_links", fix_page_links_flat),),
    "Conversation": (ObjectFix("conversation-numbers-by-type", "numbers", fix_numbers_by_type),),
}


# Value coercions: each reads a value whose JSON type is not the declared one, or raises.


def coerce_integer(value: object) -> int:
    """`legs-count-integer`: an integer sent as a string of digits (``"100"``) is the number;
    a whole number written with a fraction (``100.0``: JSON has one number type) is the int."""
    if isinstance(value, str) and _INTEGER.match(value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise SchemaMismatchError(f"expected an integer, got {describe(value)}")


def coerce_number(value: object) -> int | float:
    """`legs-count-integer`: a number sent as a numeric string (``"1.5e1"``) is the number."""
    if isinstance(value, str):
        if _INTEGER.match(value):
            return int(value)
        if _DECIMAL.match(value):
            return float(value)
    raise SchemaMismatchError(f"expected a number, got {describe(value)}")


def coerce_event_id(value: object) -> str:
    """`event-id-string`: an event's integer ``id`` (v0.2) is read as its decimal string."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise SchemaMismatchError(f"expected a string, got {describe(value)}")


@dataclass(frozen=True)
class ValueCoercion:
    """What a declared field of the wrong JSON type may still be read as, and by which rule."""

    rule: str
    read: Callable[[object], Any]


#: (schema, property) -> the coercion of that field's wrong-typed value, beyond the declared
#: numbers (every integer and number field reads a numeric string: `legs-count-integer`).
VALUE_COERCIONS: Mapping[tuple[str, str], ValueCoercion] = {
    ("Event", "id"): ValueCoercion("event-id-string", coerce_event_id),
    ("CreatedEvent", "id"): ValueCoercion("event-id-string", coerce_event_id),
}
