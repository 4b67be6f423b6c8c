"""The data the rules apply, read from openapi/: the tables (openapi/tables.yaml) and the overlay
(openapi/overlay.yaml), each checked on load: an entry of the wrong shape is an error naming the
file and the entry, before any rule runs on it.

The rules are code; what they name, link and add is data, so that a change of names or links is
a change of YAML a reviewer reads without reading Python.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .oas import Location, Node, NormalisationError
from .overlay_actions import Action, parse_actions
from .yamlio import SpecSourceError, load_yaml

OPENAPI = Path(__file__).resolve().parents[2] / "openapi"
TABLES_FILE = OPENAPI / "tables.yaml"
OVERLAY_FILE = OPENAPI / "overlay.yaml"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class SpecDataError(NormalisationError):
    """A data file of openapi/ is not shaped as the rules read it."""


@dataclass(frozen=True)
class Body:
    """A request body (`status` ``""``) or a success response body of an operation, to name."""

    schema: str
    operation: str
    status: str


@dataclass(frozen=True)
class Placed:
    """A schema name, and the location in the merged spec of the schema it names."""

    schema: str
    at: Location


@dataclass(frozen=True)
class EventKind:
    """A v0.2 event kind: its shared name, and the constraint its `type` gets."""

    schema: str
    type: Node


@dataclass(frozen=True)
class ErrorStatus:
    """An error status every operation documents: its shared response's name."""

    response: str
    only_with_request_body: bool


@dataclass(frozen=True)
class Tables:
    """The tables of openapi/tables.yaml, one per key (see the comments there)."""

    operation_ids: dict[tuple[str, str], str]
    v02_twins: dict[str, str]
    bodies: tuple[Body, ...]
    parts: tuple[Placed, ...]
    absorbed: tuple[Placed, ...]
    v02_twin_schemas: dict[str, str]
    event_kinds: dict[str, EventKind]
    resource_ids: dict[str, list[str]]
    parameters: dict[tuple[str, str], str]
    error_responses: dict[str, ErrorStatus]
    create_event_kinds: dict[str, Node]


def _shown(path: Path) -> Path:
    """A data file as messages name it: relative to the repository when it is in it."""
    return path.relative_to(OPENAPI.parent) if path.is_relative_to(OPENAPI.parent) else path


class _Reader:
    """Checks one table's entries, naming the file, the table and the entry in every error."""

    def __init__(self, path: Path, document: Any) -> None:
        self.path = path
        if not isinstance(document, dict):
            self.fail("", "is not a mapping of tables")
        self.document: Node = document

    def fail(self, where: str, problem: str) -> None:
        raise SpecDataError(f"{_shown(self.path)}: {where} {problem}".strip())

    def table(self, key: str, kind: type) -> Any:
        value = self.document.get(key)
        if not isinstance(value, kind):
            self.fail(key, f"must be a {'mapping' if kind is dict else 'list'}")
        return value

    def text(self, where: str, value: Any) -> str:
        if not isinstance(value, str) or not value:
            self.fail(where, f"must be a non-empty string, not {value!r}")
        return str(value)

    def mapping(self, key: str, value: Callable[[str, Any], Any]) -> dict[str, Any]:
        return {
            self.text(key, name): value(f"{key}[{name!r}]", item)
            for name, item in self.table(key, dict).items()
        }

    def record(self, where: str, item: Any, fields: tuple[str, ...]) -> dict[str, str]:
        if not isinstance(item, dict) or set(item) != set(fields):
            self.fail(where, f"must have exactly the fields {', '.join(fields)}")
        return {name: self.text(f"{where}.{name}", item[name]) for name in fields}

    def pair(self, where: str, key: str, first: tuple[str, ...] | None = None) -> tuple[str, str]:
        parts = key.split(" ")
        if len(parts) != 2 or (first is not None and parts[0] not in first):
            allowed = "|".join(first) if first else "<word>"
            self.fail(where, f"key must be `{allowed} <name>`")
        return parts[0], parts[1]

    def pointer(self, where: str, value: Any) -> Location:
        text = self.text(where, value)
        if not text.startswith("#/"):
            self.fail(where, "must be a JSON pointer into the merged spec (`#/...`)")
        return tuple(step.replace("~1", "/").replace("~0", "~") for step in text[2:].split("/"))


def _read_tables(path: Path) -> Tables:
    read = _Reader(path, load_yaml(path))

    def placed(key: str) -> tuple[Placed, ...]:
        found = []
        for index, item in enumerate(read.table(key, list)):
            entry = read.record(f"{key}[{index}]", item, ("schema", "at"))
            found.append(Placed(entry["schema"], read.pointer(f"{key}[{index}].at", entry["at"])))
        return tuple(found)

    bodies = []
    for index, item in enumerate(read.table("bodies", list)):
        entry = read.record(f"bodies[{index}]", item, ("schema", "operation", "body"))
        answer = "" if entry["body"] == "request" else entry["body"]
        if answer and not answer.startswith("2"):
            read.fail(f"bodies[{index}].body", "must be `request` or a 2XX status")
        bodies.append(Body(entry["schema"], entry["operation"], answer))

    def kind(where: str, item: Any) -> EventKind:
        if not isinstance(item, dict) or set(item) != {"schema", "type"}:
            read.fail(where, "must have exactly the fields schema, type")
        if not isinstance(item["type"], dict):
            read.fail(f"{where}.type", "must be a mapping of schema keywords")
        return EventKind(read.text(f"{where}.schema", item["schema"]), item["type"])

    def names(where: str, item: Any) -> list[str]:
        if not isinstance(item, list) or not item:
            read.fail(where, "must be a non-empty list of field names")
        return [read.text(where, name) for name in item]

    def status(where: str, item: Any) -> ErrorStatus:
        if not isinstance(item, dict) or not {"response"} <= set(item) <= {
            "response",
            "only-with-request-body",
        }:
            read.fail(where, "must have the field response (and only-with-request-body)")
        only = item.get("only-with-request-body", False)
        if not isinstance(only, bool):
            read.fail(f"{where}.only-with-request-body", "must be true or false")
        return ErrorStatus(read.text(f"{where}.response", item["response"]), only)

    def schema(where: str, item: Any) -> Node:
        if not isinstance(item, dict):
            read.fail(where, "must be a schema (a mapping)")
        return dict(item)

    operation_ids = {}
    for key, value in read.mapping("operation-ids", read.text).items():
        method, target = read.pair(
            f"operation-ids[{key!r}]", key, tuple(m.upper() for m in METHODS)
        )
        operation_ids[(method.lower(), target)] = value
    parameters = {
        read.pair(f"parameters[{key!r}]", key, ("path", "query", "header", "cookie")): value
        for key, value in read.mapping("parameters", read.text).items()
    }
    known = {
        "operation-ids", "v02-twins", "bodies", "parts", "absorbed", "v02-twin-schemas",
        "event-kinds", "resource-ids", "parameters", "error-responses", "create-event-kinds",
    }  # fmt: skip
    if unknown := sorted(set(read.document) - known):
        read.fail(", ".join(unknown), "is no table a rule reads")
    return Tables(
        operation_ids=operation_ids,
        v02_twins=read.mapping("v02-twins", read.text),
        bodies=tuple(bodies),
        parts=placed("parts"),
        absorbed=placed("absorbed"),
        v02_twin_schemas=read.mapping("v02-twin-schemas", read.text),
        event_kinds=read.mapping("event-kinds", kind),
        resource_ids=read.mapping("resource-ids", names),
        parameters=parameters,
        error_responses=read.mapping("error-responses", status),
        create_event_kinds=read.mapping("create-event-kinds", schema),
    )


@cache
def tables() -> Tables:
    """The tables, read and checked once."""
    try:
        return _read_tables(TABLES_FILE)
    except SpecSourceError as error:
        raise SpecDataError(str(error)) from error


@cache
def overlay() -> tuple[Action, ...]:
    """The overlay's actions, read and checked once."""
    try:
        return parse_actions(load_yaml(OVERLAY_FILE), _shown(OVERLAY_FILE))
    except SpecSourceError as error:
        raise SpecDataError(str(error)) from error


def overlay_actions(rule_id: str) -> tuple[Action, ...]:
    """The overlay's actions that the rule rule_id applies, in the overlay's order."""
    return tuple(action for action in overlay() if action.rule == rule_id)
