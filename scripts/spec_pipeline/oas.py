"""Small OpenAPI 3.0 helpers for the rules: where the operations, parameters, schemas and
examples are.

Resolving, walking and listing a spec is `vonage_conversation_spec`'s job; the names here that
do the same are that module's, re-exported so that the rules (and the client's renderer) keep
one import, with lookups that fail raising `TargetGoneError`, a `NormalisationError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from vonage_conversation_spec import (
    HTTP_METHODS,
    JSON,
    Location,
    Node,
    SpecLookupError,
    format_location,
    mappings,
    operation_items,
    ref_name,
    ref_to,
    schema_children,
    schemas,
)
from vonage_conversation_spec import get_in as _get_in
from vonage_conversation_spec import operation_at as _operation_at
from vonage_conversation_spec import parameter_objects as parameters

__all__ = [
    "ANNOTATIONS",
    "HTTP_METHODS",
    "JSON",
    "Location",
    "Node",
    "NormalisationError",
    "TargetGoneError",
    "format_location",
    "get_in",
    "json_media",
    "mappings",
    "operation",
    "operation_at",
    "operations",
    "parameters",
    "ref_name",
    "ref_to",
    "request_schema",
    "response",
    "response_schema",
    "schema_children",
    "schemas",
    "set_in",
    "transform_examples",
]

# Keywords that say something about a schema without changing what it accepts.
ANNOTATIONS = frozenset({"description", "example", "title"})


class NormalisationError(RuntimeError):
    """A rule met a source that is not shaped as the rule expects: the source changed."""


class TargetGoneError(NormalisationError):
    """What a rule or a data entry is about (an operation, a schema, a location) is not in the
    document: the sources no longer have it. The rule warns and skips it (see
    `registry.Specs.skip`); only a rule that cannot do without it lets it stop the build."""


def get_in(document: Any, location: Location) -> Any:
    """The node at location; TargetGoneError naming the location if there is none."""
    try:
        return _get_in(document, location)
    except SpecLookupError as error:
        raise TargetGoneError(str(error)) from error


def set_in(document: Any, location: Location, value: Any) -> None:
    get_in(document, location[:-1])[location[-1]] = value


def operations(document: Node) -> Iterator[tuple[str, str, Node]]:
    """Every (path, method, operation) in document order."""
    return operation_items(document)


def operation(document: Node, operation_id: str) -> Node:
    """The operation object whose operationId is operation_id (TargetGoneError if none is)."""
    for _, _, candidate in operation_items(document):
        if candidate.get("operationId") == operation_id:
            return candidate
    raise TargetGoneError(f"no operation {operation_id!r}")


def operation_at(document: Node, method: str, path: str) -> Node:
    """The operation object ``method path`` (TargetGoneError if there is none)."""
    try:
        return _operation_at(document, method, path).node
    except SpecLookupError as error:
        raise TargetGoneError(str(error)) from error


def json_media(container: Node) -> Node:
    """The application/json media type object of a request body or a response."""
    try:
        media: Node = container["content"][JSON]
    except KeyError as error:
        raise NormalisationError("no application/json content") from error
    return media


def response(op: Node, status: str) -> Node:
    try:
        found: Node = op["responses"][status]
    except KeyError as error:
        raise NormalisationError(f"{op.get('summary')!r} has no {status} response") from error
    return found


def response_schema(op: Node, status: str) -> Node:
    schema: Node = json_media(response(op, status))["schema"]
    return schema


def request_schema(op: Node) -> Node:
    schema: Node = json_media(op["requestBody"])["schema"]
    return schema


def transform_examples(document: Node, change: Callable[[Any], Any]) -> None:
    """Replace every example value (on schemas, parameters and media types) by change(value)."""

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "example":
                    node[key] = change(value)
                else:
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(document)
