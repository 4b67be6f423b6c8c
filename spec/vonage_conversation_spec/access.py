"""Resolve, walk and list an OpenAPI 3.0 document held as dicts and lists.

Locations are tuples of keys and indexes (``("paths", "/v0.3/legs", "get")``); a `$ref` is a
local JSON pointer (``#/components/schemas/Leg``). Nothing here changes a document, and
`resolve` returns the very object a `$ref` names, so that a caller's edits land there.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

#: A JSON object of the document.
Node = dict[str, Any]
#: Where a node is: the keys and indexes from the document's root.
Location = tuple[str | int, ...]

#: The methods an OpenAPI path item may hold, in the order operations are listed.
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON = "application/json"


class SpecLookupError(LookupError):
    """The document has nothing where a location, a `$ref` or an operation points."""


class Readable(Protocol):
    """A file to read: a `pathlib.Path`, or a package resource (`importlib.resources.files`)."""

    def read_text(self, encoding: str | None = None) -> str: ...


def load_json(source: Readable) -> Node:
    """The JSON document in source (a spec shipped as JSON, such as
    ``files("vonage_conversation_api") / "openapi.json"``), as dicts and lists."""
    document: Node = json.loads(source.read_text(encoding="utf-8"))
    return document


def format_location(location: Location) -> str:
    """A location as a JSON pointer: ``("paths", "/legs")`` -> ``/paths/~1legs``."""
    return "/" + "/".join(str(step).replace("~", "~0").replace("/", "~1") for step in location)


def get_in(document: Any, location: Location) -> Any:
    """The node at location; SpecLookupError naming the location if there is none."""
    node = document
    for step in location:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError) as error:
            raise SpecLookupError(f"nothing at {format_location(location)}") from error
    return node


def ref_location(ref: str) -> Location:
    """The location a local `$ref` points at: ``#/components/schemas/Leg`` ->
    ``("components", "schemas", "Leg")``."""
    if not ref.startswith("#/"):
        raise SpecLookupError(f"$ref {ref!r} is not local to the document")
    return tuple(
        step.replace("~1", "/").replace("~0", "~") for step in ref.removeprefix("#/").split("/")
    )


def ref_name(node: Any) -> str | None:
    """The component name a `$ref` points at (its last step), or None if node is no `$ref`."""
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return None


def ref_to(name: str, kind: str = "schemas") -> Node:
    """A `$ref` to the component name of kind (``schemas``, ``parameters``, ``responses``)."""
    return {"$ref": f"#/components/{kind}/{name}"}


def resolve(document: Any, node: Any) -> Any:
    """Follow `$ref`s from node until a node that is none; a node without `$ref` is returned as
    it is. SpecLookupError names a `$ref` to nothing, or a cycle of `$ref`s."""
    seen: set[str] = set()
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = str(node["$ref"])
        if ref in seen:
            raise SpecLookupError(f"$ref cycle through {ref!r}")
        seen.add(ref)
        location = ref_location(ref)
        try:
            node = get_in(document, location)
        except SpecLookupError as error:
            raise SpecLookupError(f"$ref {ref!r} points at nothing") from error
    return node


def mappings(node: Any) -> Iterator[Node]:
    """Every mapping in a document (the document itself included), parents before children."""
    if isinstance(node, dict):
        yield node
        for value in list(node.values()):
            yield from mappings(value)
    elif isinstance(node, list):
        for item in node:
            yield from mappings(item)


def operation_items(document: Node) -> Iterator[tuple[str, str, Node]]:
    """Every (path, method, operation object), in document order (methods in HTTP_METHODS
    order within a path)."""
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


@dataclass(frozen=True)
class Operation:
    """One operation of a document: where it is, and the object that describes it."""

    path: str
    method: str  # lower case, as the document spells it
    node: Node = field(repr=False)
    document: Node = field(repr=False, compare=False)

    @property
    def operation_id(self) -> str | None:
        """Its operationId, if it has one."""
        found = self.node.get("operationId")
        return str(found) if found is not None else None

    @property
    def tag(self) -> str | None:
        """Its first tag (the resource it belongs to), if it has one."""
        tags = self.node.get("tags") or []
        return str(tags[0]) if tags else None

    @property
    def label(self) -> str:
        """``GET /v0.3/legs``: how messages name it."""
        return f"{self.method.upper()} {self.path}"

    @property
    def parameters(self) -> list[Node]:
        """Its parameters, `$ref`s resolved: the path item's, overridden by the operation's own
        of the same location and name, path item's first."""
        item = self.document.get("paths", {}).get(self.path, {})
        found: dict[tuple[str, str], Node] = {}
        for reference in (*item.get("parameters", []), *self.node.get("parameters", [])):
            parameter = resolve(self.document, reference)
            found[(str(parameter.get("in")), str(parameter.get("name")))] = parameter
        return list(found.values())

    def success_response(self) -> tuple[str, Node | None]:
        """See `success_response`."""
        return success_response(self.document, self.node)


def operations(document: Node) -> list[Operation]:
    """Every operation of the document, in document order."""
    return [
        Operation(path, method, node, document) for path, method, node in operation_items(document)
    ]


def operation_at(document: Node, method: str, path: str) -> Operation:
    """The operation ``method path``; SpecLookupError if the document has none."""
    node = document.get("paths", {}).get(path, {}).get(method.lower())
    if not isinstance(node, dict):
        raise SpecLookupError(f"no operation {method.upper()} {path}")
    return Operation(path, method.lower(), node, document)


def find_operation(document: Node, operation_id: str) -> Operation:
    """The operation whose operationId is operation_id; SpecLookupError if none is."""
    for each in operations(document):
        if each.operation_id == operation_id:
            return each
    raise SpecLookupError(f"no operation {operation_id!r}")


def success_response(document: Node, operation: Node) -> tuple[str, Node | None]:
    """The first 2XX status of an operation and the schema of its JSON body (as written: a
    `$ref` stays one; None when it answers without a JSON body); ``("", None)`` when it
    documents no success."""
    for status, answer in operation.get("responses", {}).items():
        if str(status).startswith("2"):
            schema = resolve(document, answer).get("content", {}).get(JSON, {}).get("schema")
            return str(status), schema
    return "", None


def parameter_objects(document: Node) -> Iterator[Node]:
    """Every parameter object written out (not a `$ref`): on path items, on operations, and in
    components."""
    for item in document.get("paths", {}).values():
        yield from (p for p in item.get("parameters", []) if "$ref" not in p)
        for method in HTTP_METHODS:
            if method in item:
                yield from (p for p in item[method].get("parameters", []) if "$ref" not in p)
    yield from document.get("components", {}).get("parameters", {}).values()


def schema_children(schema: Node) -> Iterator[Location]:
    """The locations, relative to a schema, of its subschemas."""
    for name in schema.get("properties", {}):
        yield ("properties", name)
    for key in ("items", "not"):
        if isinstance(schema.get(key), dict):
            yield (key,)
    if isinstance(schema.get("additionalProperties"), dict):
        yield ("additionalProperties",)
    for key in ("allOf", "anyOf", "oneOf"):
        for index in range(len(schema.get(key, []))):
            yield (key, index)


def _schema_roots(document: Node) -> Iterator[Location]:
    components = document.get("components", {})
    for name in components.get("schemas", {}):
        yield ("components", "schemas", name)
    for name, param in components.get("parameters", {}).items():
        if "schema" in param:
            yield ("components", "parameters", name, "schema")
    for name, answer in components.get("responses", {}).items():
        yield from _content_schemas(answer, ("components", "responses", name))
    for path, item in document.get("paths", {}).items():
        yield from _parameter_schemas(item, ("paths", path))
        for method in HTTP_METHODS:
            if method in item:
                yield from _operation_schemas(item[method], ("paths", path, method))


def _parameter_schemas(holder: Node, base: Location) -> Iterator[Location]:
    for index, param in enumerate(holder.get("parameters", [])):
        if "schema" in param:
            yield (*base, "parameters", index, "schema")


def _operation_schemas(op: Node, base: Location) -> Iterator[Location]:
    yield from _parameter_schemas(op, base)
    if "requestBody" in op:
        yield from _content_schemas(op["requestBody"], (*base, "requestBody"))
    for status, answer in op.get("responses", {}).items():
        yield from _content_schemas(answer, (*base, "responses", status))


def _content_schemas(container: Node, base: Location) -> Iterator[Location]:
    for media_type, media in container.get("content", {}).items():
        if "schema" in media:
            yield (*base, "content", media_type, "schema")
    for name, header in container.get("headers", {}).items():
        if "schema" in header:
            yield (*base, "headers", name, "schema")


def schemas(document: Node) -> list[tuple[Location, Node]]:
    """Every schema written in the document (components, parameters, bodies, headers) with its
    location, parents before children; a `$ref` is listed, not followed.

    A list, not a generator, so that a caller may edit schemas while going through them.
    """
    found: list[tuple[Location, Node]] = []

    def visit(location: Location) -> None:
        schema = get_in(document, location)
        if not isinstance(schema, dict):
            return
        found.append((location, schema))
        for child in schema_children(schema):
            visit((*location, *child))

    for root in _schema_roots(document):
        visit(root)
    return found
