"""Which generated model holds each object of the spec, and what it calls each field.

The client reads a response into the generated attrs models itself (`render_readers` writes a
reader per schema), so the pipeline must know what openapi-python-client named things: the
class made for each object schema, named or inline (``EventPage`` -> ``EventPage``, its inline
``_embedded`` -> ``EventPageEmbedded``, the items of ``leg_ids`` -> ``ChannelLegIdsItem``),
and the attribute made for each property (``from`` -> ``from_``, ``_links`` ->
``field_links``). Those names come from the generator's own naming functions,
here, at generation time; the readers are rendered from them, the client reads the table this
module renders (``vonage_conversation/_generated/model_shapes.py``), and nothing guesses a name.

A location is the schema's name followed by the properties that lead to the object, ``/``
between them, with ``[]`` for an array's items and ``{}`` for an object's additional
properties: ``EventPage/_embedded``, ``Channel/leg_ids/[]``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .client_model import model_class, python_identifier
from .oas import Node
from .words import pascal

ITEMS = "[]"
VALUES = "{}"


class ShapeError(RuntimeError):
    """The table names a class or an attribute the generated package does not have."""


@dataclass(frozen=True)
class ModelShape:
    """One object of the spec as a generated model: where it is, its class, its attributes."""

    location: str
    class_name: str
    attributes: tuple[tuple[str, str], ...]  # (property, attribute), in the spec's order


def _is_object(schema: Node) -> bool:
    return schema.get("type") == "object" or "properties" in schema


def _shapes_below(location: str, class_name: str, schema: Node) -> Iterator[ModelShape]:
    """The shape of the inline object `schema` at `location` and of the inline objects in it."""
    properties: Node = schema.get("properties", {})
    yield ModelShape(
        location,
        class_name,
        tuple((prop, python_identifier(prop)) for prop in properties),
    )
    for prop, sub in properties.items():
        yield from _nested(f"{location}/{prop}", class_name + pascal(prop), sub)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        yield from _nested(f"{location}/{VALUES}", class_name + "AdditionalProperty", extra)


def _nested(location: str, class_name: str, schema: Node) -> Iterator[ModelShape]:
    """Shapes for an inline schema found at `location` (a $ref is shaped where it is named)."""
    if "$ref" in schema:
        return
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        yield from _nested(f"{location}/{ITEMS}", class_name + "Item", schema["items"])
    elif _is_object(schema):
        yield from _shapes_below(location, model_class(class_name), schema)


def model_shapes(document: Node) -> list[ModelShape]:
    """Every object schema of the spec, named or inline, with its generated model's names."""
    shapes: list[ModelShape] = []
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        if _is_object(schema):
            shapes.extend(_shapes_below(name, model_class(name), schema))
    return shapes


def _class_fields(package: Path) -> dict[str, set[str]]:
    """The annotated fields of every class in the generated ``models`` package."""
    found: dict[str, set[str]] = {}
    for source in sorted((package / "models").glob("*.py")):
        for node in ast.parse(source.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                found[node.name] = {
                    item.target.id
                    for item in node.body
                    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name)
                }
    return found


def check_shapes(package: Path, shapes: list[ModelShape]) -> None:
    """Raise unless every class and attribute of `shapes` is in the generated package, and
    every field of each class is one of its attributes (or its ``additional_properties``)."""
    generated = _class_fields(package)
    for shape in shapes:
        fields = generated.get(shape.class_name)
        if fields is None:
            raise ShapeError(f"{shape.location}: no generated class {shape.class_name}")
        named = {attribute for _, attribute in shape.attributes}
        if named ^ (fields - {"additional_properties"}):
            raise ShapeError(
                f"{shape.location}: {shape.class_name} has the fields {sorted(fields)}, "
                f"the spec's properties name {sorted(named)}"
            )
