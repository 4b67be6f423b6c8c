"""Small OpenAPI 3.0 helpers: where the operations, parameters, schemas and examples are."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

Node = dict[str, Any]
Location = tuple[str | int, ...]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
JSON = "application/json"

# Keywords that say something about a schema without changing what it accepts.
ANNOTATIONS = frozenset({"description", "example", "title"})


class NormalisationError(RuntimeError):
    """A rule met a source that is not shaped as the rule expects: the source changed."""


def get_in(document: Any, location: Location) -> Any:
    node = document
    for step in location:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError) as error:
            raise NormalisationError(f"nothing at {format_location(location)}") from error
    return node


def set_in(document: Any, location: Location, value: Any) -> None:
    get_in(document, location[:-1])[location[-1]] = value


def format_location(location: Location) -> str:
    return "/" + "/".join(str(step).replace("~", "~0").replace("/", "~1") for step in location)


def operations(document: Node) -> Iterator[tuple[str, str, Node]]:
    """Every (path, method, operation) in document order."""
    for path, item in document.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def operation(document: Node, operation_id: str) -> Node:
    for _, _, candidate in operations(document):
        if candidate.get("operationId") == operation_id:
            return candidate
    raise NormalisationError(f"no operation {operation_id!r}")


def operation_at(document: Node, method: str, path: str) -> Node:
    try:
        found: Node = document["paths"][path][method]
    except KeyError as error:
        raise NormalisationError(f"no operation {method.upper()} {path}") from error
    return found


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


def parameters(document: Node) -> Iterator[Node]:
    """Every inline parameter object: on operations, on path items, and in components."""
    for item in document.get("paths", {}).values():
        yield from (p for p in item.get("parameters", []) if "$ref" not in p)
        for method in HTTP_METHODS:
            if method in item:
                yield from (p for p in item[method].get("parameters", []) if "$ref" not in p)
    yield from document.get("components", {}).get("parameters", {}).values()


def schema_children(schema: Node) -> Iterator[tuple[str | int, ...]]:
    """Relative locations of the subschemas of one schema."""
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
    for name, resp in components.get("responses", {}).items():
        yield from _content_schemas(resp, ("components", "responses", name))
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
    for status, resp in op.get("responses", {}).items():
        yield from _content_schemas(resp, (*base, "responses", status))


def _content_schemas(container: Node, base: Location) -> Iterator[Location]:
    for media_type, media in container.get("content", {}).items():
        if "schema" in media:
            yield (*base, "content", media_type, "schema")
    for name, header in container.get("headers", {}).items():
        if "schema" in header:
            yield (*base, "headers", name, "schema")


def schemas(document: Node) -> list[tuple[Location, Node]]:
    """Every schema in the document with its location, parents before children.

    A list, not a generator, so that rules can edit schemas while going through them.
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


def mappings(node: Any) -> Iterator[Node]:
    """Every mapping in a document (the document itself included), parents before children."""
    if isinstance(node, dict):
        yield node
        for value in list(node.values()):
            yield from mappings(value)
    elif isinstance(node, list):
        for item in node:
            yield from mappings(item)


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


def ref_to(name: str) -> Node:
    return {"$ref": f"#/components/schemas/{name}"}


def ref_name(node: Any) -> str | None:
    """The component name a schema $ref points at, or None for an inline schema."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        return str(node["$ref"]).rsplit("/", 1)[-1]
    return None
