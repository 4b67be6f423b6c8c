"""The generic mechanisms the rules are built from: naming shared schemas and uniting versions.

Two ways to share a schema:
- extract: an inline schema becomes a named component, and every structurally equal copy in the
  document (equal once descriptions and examples are set aside) becomes a $ref to it;
- absorb: a schema that is *compatible* but not equal (the v0.2 twin of a v0.3 schema, a subset
  of it) is folded into a component, which gains the properties it lacked; types must agree.
"""

from __future__ import annotations

import copy
from typing import Any

from vonage_conversation_spec import SpecLookupError
from vonage_conversation_spec import resolve as _resolve

from .oas import (
    ANNOTATIONS,
    Location,
    Node,
    NormalisationError,
    format_location,
    get_in,
    ref_name,
    ref_to,
    set_in,
)


def structure(schema: Any) -> Any:
    """A schema with its annotations removed, recursively, for comparing what schemas accept."""
    if not isinstance(schema, dict):
        return schema
    stripped: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ANNOTATIONS or key.startswith("x-"):
            continue
        if key == "properties":
            stripped[key] = {name: structure(sub) for name, sub in value.items()}
        elif key in ("items", "not", "additionalProperties"):
            stripped[key] = structure(value)
        elif key in ("allOf", "anyOf", "oneOf"):
            stripped[key] = [structure(sub) for sub in value]
        else:
            stripped[key] = value
    return stripped


def structurally_equal(left: Any, right: Any) -> bool:
    return bool(structure(left) == structure(right))


def components(document: Node) -> Node:
    schemas: Node = document.setdefault("components", {}).setdefault("schemas", {})
    return schemas


def resolve(document: Node, schema: Node) -> Node:
    """Follow a local $ref to the component it names (the same object, so edits land there)."""
    try:
        target: Node = _resolve(document, schema)
    except SpecLookupError as error:
        raise NormalisationError(str(error)) from error
    return target


def extract(document: Node, name: str, location: Location) -> int:
    """Name the schema at location, and replace it and every structurally equal copy by a $ref.

    Returns how many places now point at the component (at least the one at location).
    """
    registry = components(document)
    if name in registry:
        raise NormalisationError(f"schema {name!r} is named twice")
    schema = get_in(document, location)
    if ref_name(schema) is not None:
        raise NormalisationError(f"{format_location(location)} is already a $ref")
    registry[name] = schema
    set_in(document, location, ref_to(name))
    return 1 + _replace_equal(document, structure(schema), name, protect=schema)


def _replace_equal(node: Any, shape: Any, name: str, protect: Node) -> int:
    """Replace, below node, every schema whose structure equals shape by a $ref to name."""
    count = 0
    if isinstance(node, dict):
        for key, value in list(node.items()):
            if key in ("example", "examples"):
                continue
            if isinstance(value, dict) and value is not protect and structure(value) == shape:
                node[key] = ref_to(name)
                count += 1
            else:
                count += _replace_equal(value, shape, name, protect)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, dict) and value is not protect and structure(value) == shape:
                node[index] = ref_to(name)
                count += 1
            else:
                count += _replace_equal(value, shape, name, protect)
    return count


def absorb(document: Node, target: Node, extra: Node, where: str) -> None:
    """Fold schema extra into target (in place): target keeps its wording and constraints.

    Properties target lacks are added; shared properties are folded recursively; an enum gains
    the values it lacked. Different types, or different compositions, are an error: those
    schemas do not agree, and a rule must settle them before they can be shared.
    """
    target = resolve(document, target)
    extra = resolve(document, extra)
    if target is extra:
        return
    _check_agree(target, extra, where)
    if "enum" in extra and "enum" in target:
        target["enum"] += [value for value in extra["enum"] if value not in target["enum"]]
    for prop, sub in extra.get("properties", {}).items():
        props = target.setdefault("properties", {})
        if prop in props:
            absorb(document, props[prop], sub, f"{where}.{prop}")
        else:
            props[prop] = copy.deepcopy(sub)
    if isinstance(extra.get("items"), dict):
        if not isinstance(target.get("items"), dict):
            target["items"] = copy.deepcopy(extra["items"])
        else:
            absorb(document, target["items"], extra["items"], f"{where}[]")
    for key in ANNOTATIONS:
        if key in extra and key not in target:
            target[key] = copy.deepcopy(extra[key])


def _check_agree(target: Node, extra: Node, where: str) -> None:
    """Raise unless the two schemas have the same type and the same compositions."""
    target_type, extra_type = target.get("type"), extra.get("type")
    if target_type and extra_type and target_type != extra_type:
        raise NormalisationError(f"{where}: type {target_type!r} against {extra_type!r}")
    for key in ("allOf", "anyOf", "oneOf"):
        if key in extra and structure(extra[key]) != structure(target.get(key)):
            raise NormalisationError(f"{where}: {key} differs")


def absorb_into_component(document: Node, name: str, location: Location) -> None:
    """Fold the schema at location into component name, then point location at it."""
    absorb(document, components(document)[name], get_in(document, location), name)
    set_in(document, location, ref_to(name))


def flatten_all_of(document: Node, schema: Node, where: str) -> Node:
    """One plain object schema equal to an allOf of object schemas (earlier parts win wording)."""
    flat: Node = {"type": "object"}
    for key, value in schema.items():
        if key != "allOf":
            flat[key] = value
    for index, part in enumerate(schema["allOf"]):
        absorb(document, flat, part, f"{where}.allOf[{index}]")
    return flat


def deduplicate(document: Node) -> int:
    """Replace every inline schema equal to a named one by a $ref to it; returns how many."""
    registry = components(document)
    count = 0
    for name, schema in list(registry.items()):
        shape = structure(schema)
        for other_name, other in registry.items():
            if other_name != name:
                count += _replace_equal(other, shape, name, protect=schema)
        for key, value in document.items():
            if key != "components":
                count += _replace_equal(value, shape, name, protect=schema)
        for key, value in document.get("components", {}).items():
            if key != "schemas":
                count += _replace_equal(value, shape, name, protect=schema)
    return count
