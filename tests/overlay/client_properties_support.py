"""Support for `test_client_properties.py`: the shipped spec read as JSON Schema for
hypothesis-jsonschema, which schemas a response can carry, and JSON equivalence (the request
adapter for openapi-core is `client_requests_support`).

(A module of its own, not a conftest.py, with a name no other test folder uses.)

Why over 400 lines: the translation of OpenAPI 3.0 to JSON Schema and the JSON equivalence
the properties allow are each a step-by-step walk of a schema, and they depend on each other.
"""

from __future__ import annotations

import copy
import functools
import importlib
import importlib.resources
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import hypothesis_jsonschema._from_schema as hypothesis_jsonschema_internals
import vonage_conversation_spec as spec_access
import yaml
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from hypothesis_jsonschema._encode import encode_canonical_json
from openapi_schema_validator import OAS30Validator, oas30_format_checker

JSON = Any
Schema = dict[str, Any]

SCHEMA_REF = "#/components/schemas/"


# hypothesis-jsonschema builds the strategy for an object's properties while drawing it: for
# every property of every object drawn it resolves, canonicalises and builds the property's
# strategy again (regex strategies included), so that building, not drawing, took most of the
# time (about 280 s for 200 payloads of each response schema). A strategy depends only on its
# schema and alphabet, so each is built once here and reused; what is drawn does not change.
_build_strategy = getattr(hypothesis_jsonschema_internals, "__from_schema")
_strategies: dict[tuple[str, bool, str | None], st.SearchStrategy[JSON]] = {}


def _cached_strategy(schema: Any, *, alphabet: Any, custom_formats: Any) -> Any:
    if custom_formats:  # strategies given by the caller: not comparable by value
        return _build_strategy(schema, alphabet=alphabet, custom_formats=custom_formats)
    key = (encode_canonical_json(schema), alphabet.allow_x00, alphabet.codec)
    strategy = _strategies.get(key)
    if strategy is None:
        strategy = _strategies[key] = _build_strategy(
            schema, alphabet=alphabet, custom_formats=custom_formats
        )
    return strategy


setattr(hypothesis_jsonschema_internals, "__from_schema", _cached_strategy)


# The spec


@functools.cache
def load_spec() -> dict[str, Any]:
    """The spec as shipped in ``vonage_conversation_api``: what the client is built from."""
    text = (importlib.resources.files("vonage_conversation_api") / "openapi.yaml").read_text(
        encoding="utf-8"
    )
    document: dict[str, Any] = yaml.safe_load(text)
    return document


def component_schemas() -> dict[str, Schema]:
    schemas: dict[str, Schema] = load_spec()["components"]["schemas"]
    return schemas


def resolve(node: Any) -> Any:
    """`node` with any ``$ref`` followed (to a component of the spec)."""
    return spec_access.resolve(load_spec(), node)


def operations() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path template, operation) for every operation of the spec."""
    for template, method, operation in spec_access.operation_items(load_spec()):
        yield method, template, operation


def _schema_refs(node: Any) -> Iterator[str]:
    """The component schema names `node` refers to, directly (not through other components)."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(SCHEMA_REF):
            yield ref[len(SCHEMA_REF) :]
        for value in node.values():
            yield from _schema_refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schema_refs(value)


def reachable(roots: set[str]) -> set[str]:
    """`roots` and every component schema they reach through ``$ref``, transitively."""
    found: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo.extend(_schema_refs(component_schemas()[name]))
    return found


def success_response_roots() -> set[str]:
    """The component schemas named by the body of a 2xx response of any operation."""
    roots: set[str] = set()
    for _, _, operation in operations():
        for status, response in operation["responses"].items():
            if str(status).startswith("2"):
                roots.update(_schema_refs(resolve(response).get("content", {})))
    return roots


def event_kinds() -> set[str]:
    """The typed event kinds: schemas with every field `Event` requires and a constrained
    ``type`` (an enum or a pattern), which is what makes them a kind of event."""
    schemas = component_schemas()
    event_required = set(schemas["Event"]["required"])
    kinds = set()
    for name, schema in schemas.items():
        kind = schema.get("properties", {}).get("type", {})
        if (
            name != "Event"
            and event_required <= set(schema.get("required", ()))
            and ("enum" in kind or "pattern" in kind)
        ):
            kinds.add(name)
    return kinds


def response_schema_names() -> list[str]:
    """Every schema a successful response can carry: reachable from a 2xx body, plus the
    event kinds (which type an `Event` by its ``type``) and what they reach."""
    return sorted(reachable(success_response_roots() | event_kinds()))


def request_body_schema(operation_id: str) -> str:
    """The component schema name of an operation's JSON request body."""
    for _, _, operation in operations():
        if operation["operationId"] == operation_id:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            return str(schema["$ref"])[len(SCHEMA_REF) :]
    raise KeyError(operation_id)


def operation_path(operation_id: str) -> tuple[str, str]:
    """(METHOD, path template) of an operation."""
    for method, template, operation in operations():
        if operation["operationId"] == operation_id:
            return method.upper(), template
    raise KeyError(operation_id)


# OpenAPI 3.0 schemas as JSON Schema (draft 4/7) for hypothesis-jsonschema

# Annotations OpenAPI adds to JSON Schema: they say nothing about what is valid.
_OPENAPI_ANNOTATIONS = frozenset({"example", "externalDocs", "xml", "deprecated"})
# OpenAPI keywords that do change what is valid: none is in the spec today, and a translation
# that ignored one would generate invalid documents, so meeting one fails loudly.
_OPENAPI_SEMANTIC = frozenset({"nullable", "discriminator", "readOnly", "writeOnly"})
# The formats hypothesis-jsonschema generates (and jsonschema checks); any other (the spec's
# `float`, on a number) is only a hint to code generators and is dropped.
GENERATED_FORMATS = frozenset({"date-time", "date", "time", "uri", "email", "ipv4", "ipv6"})
_SUBSCHEMA = ("items", "additionalProperties", "not")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SUBSCHEMA_MAPS = ("properties", "patternProperties")


def to_json_schema(schema: Any, bias: Callable[[Schema], Schema] | None = None) -> Any:
    """One OpenAPI schema as JSON Schema: annotations and unknown formats dropped.

    Only keyword positions are translated (a property *named* ``example`` stays). `bias`, if
    given, is applied to every (sub)schema after translation; see `bias_additional_names`.
    """
    if not isinstance(schema, Mapping):
        return schema
    out: Schema = {}
    for key, value in schema.items():
        if key in _OPENAPI_SEMANTIC:
            raise NotImplementedError(f"translate the OpenAPI keyword {key!r} before testing")
        if key in _OPENAPI_ANNOTATIONS or (key == "format" and value not in GENERATED_FORMATS):
            continue
        if key in _SUBSCHEMA:
            out[key] = to_json_schema(value, bias)
        elif key in _SUBSCHEMA_LISTS:
            out[key] = [to_json_schema(item, bias) for item in value]
        elif key in _SUBSCHEMA_MAPS:
            out[key] = {name: to_json_schema(item, bias) for name, item in value.items()}
        else:
            out[key] = copy.deepcopy(value)
    return bias(out) if bias is not None else out


def _declared_property_names() -> frozenset[str]:
    names: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, Mapping):
            names.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(component_schemas())
    return frozenset(names)


# Spellings the sources used that the merged spec normalised away (openapi/NORMALISATION.md,
# "Where a server may still disagree"): a server may still send them, as extra fields.
SOURCE_SPELLINGS = frozenset({"is_system", "start_end"})


@functools.cache
def likely_extra_names() -> frozenset[str]:
    """Names an extra (undeclared) field of a response is likely to have: the API's own field
    names, and the source spellings. The overlay's fixes find their work by field name, so these
    are the names that tell a fix which applies only where it should from one that applies
    anywhere."""
    return _declared_property_names() | SOURCE_SPELLINGS


def bias_additional_names(schema: Schema) -> Schema:
    """Where `schema` allows fields it does not declare, make hypothesis-jsonschema draw their
    names half the time from `likely_extra_names` (it draws arbitrary text otherwise).

    This adds ``propertyNames: {anyOf: [{enum: <likely names>}, {type: string}]}``, which
    every name satisfies (a JSON object's names are strings), so exactly the same documents
    are valid; hypothesis-jsonschema draws undeclared names from it. (With ``{}`` for the
    second branch, hypothesis-jsonschema simplifies the whole keyword away before drawing.)

    The bias makes documents bigger (about a sixth more time), and finds what it is for: with
    it, 33 of the 37 response schemas catch a fix applied outside its place; without, 6.
    """
    if schema.get("additionalProperties") is False or schema.get("maxProperties") == 0:
        return schema
    if schema.get("type") != "object" and "properties" not in schema:
        return schema
    if "propertyNames" in schema:
        raise NotImplementedError("combine the bias with the schema's own propertyNames")
    names = {"anyOf": [{"enum": sorted(likely_extra_names())}, {"type": "string"}]}
    return {**schema, "propertyNames": names}


@functools.cache
def json_schema_components(biased: bool) -> dict[str, Schema]:
    bias = bias_additional_names if biased else None
    return {name: to_json_schema(schema, bias) for name, schema in component_schemas().items()}


def json_schema_document(name: str, *, biased: bool = True) -> Schema:
    """Component `name` as a root JSON Schema, with every component alongside it so that
    ``#/components/schemas/...`` references resolve within the document."""
    components = json_schema_components(biased)
    # A copy: hypothesis-jsonschema resolves references in place, in the schema it is given.
    return copy.deepcopy({**components[name], "components": {"schemas": components}})


@functools.cache
def payloads(name: str) -> st.SearchStrategy[JSON]:
    """Documents valid against component `name`, generated by hypothesis-jsonschema."""
    return from_schema(json_schema_document(name))


@functools.cache
def spec_validator(name: str) -> OAS30Validator:
    """A validator for component `name` exactly as the spec writes it (OpenAPI 3.0 dialect),
    to prove that what was generated (after translation and bias) is valid against the spec."""
    spec = load_spec()
    document = {**spec["components"]["schemas"][name], "components": spec["components"]}
    return OAS30Validator(document, format_checker=oas30_format_checker)


def finite_documents(name: str) -> list[JSON] | None:
    """Every document valid against component `name` when there are only a few (a string
    enum, an object that must be empty); None when there are more than a test could try."""
    schema = component_schemas()[name]
    if "enum" in schema:
        return list(schema["enum"])
    if schema.get("type") == "object" and schema.get("maxProperties") == 0:
        return [{}]
    return None


def canonical(value: JSON) -> str:
    """One text per JSON value, whatever the key order: for counting distinct documents."""
    return json.dumps(value, sort_keys=True)


# The generated models


def snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class Parser:
    """How the generated package reads one schema: a model's ``from_dict``/``to_dict``, or,
    for a string enum (a `Literal` type), its ``check_<name>`` function and the string itself."""

    name: str
    from_json: Callable[[JSON], Any]
    to_json: Callable[[Any], JSON]


def generated_parser(name: str) -> Parser:
    schema = component_schemas()[name]
    module = importlib.import_module(f"vonage_conversation_api.models.{snake_case(name)}")
    if schema.get("type") == "string" and "enum" in schema:
        check: Callable[[JSON], Any] = getattr(module, f"check_{snake_case(name)}")
        return Parser(name, check, lambda value: value)
    model = getattr(module, name)
    return Parser(name, model.from_dict, lambda parsed: parsed.to_dict())


# JSON equivalence

# RFC 3339, plus the two variations of it the sources show (NORMALISATION.md,
# `timestamps-date-time`, `date-filters-rfc3339`): a space for the ``T``, and no zone (UTC).
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):(\d{2}))?"
)


def instant(text: str) -> datetime:
    """A date-time string as an aware datetime, read without dateutil (which the code under
    test uses). Digits past the microsecond are dropped: a `datetime` holds no finer time."""
    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        raise ValueError(f"not a date-time: {text!r}")
    year, month, day, hour, minute, second, fraction, _, sign, off_h, off_m = match.groups()
    offset = timedelta(0)
    if sign:
        offset = timedelta(hours=int(off_h), minutes=int(off_m)) * (-1 if sign == "-" else 1)
    return datetime(
        int(year),
        int(month),
        int(day),
        int(hour),
        int(minute),
        int(second),
        int((fraction or "0")[:6].ljust(6, "0")),
        tzinfo=timezone(offset),
    )


def is_timestamp(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        instant(value)
    except ValueError:
        return False
    return True


# What the overlay's fixes may do to a document the spec allows

# Four parse-edge rules of NORMALISATION.md read a source spelling that an open object of the
# spec also allows as an undeclared field: there the overlay may (and should) change a valid
# document. Each reading below is the rule as documented, at the schema it names, applied
# only when the value has the type the spec's field has. Everywhere else, and for every other
# fix (integer ids, counts as strings, timestamp forms, numbers as an array, which only mend
# what the spec does not allow), a valid document must come through unchanged.


def _read_is_system(obj: dict[str, Any]) -> None:
    """`is-system-spelling`, in a member's initiator: a boolean ``is_system`` is ``isSystem``."""
    if isinstance(obj.get("is_system"), bool) and "isSystem" not in obj:
        obj["isSystem"] = obj.pop("is_system")


def _read_start_end(obj: dict[str, Any]) -> None:
    """`legs-end-time`, in a leg: a timestamp ``start_end`` is ``end_time``."""
    if is_timestamp(obj.get("start_end")) and "end_time" not in obj:
        obj["end_time"] = obj.pop("start_end")


def _read_member_links(obj: dict[str, Any]) -> None:
    """`member-links-self`, in a member: ``_links: {href}`` is ``_links: {self: {href}}``."""
    links = obj.get("_links")
    if isinstance(links, dict) and isinstance(links.get("href"), str) and "self" not in links:
        rest = {k: v for k, v in links.items() if k != "href"}
        obj["_links"] = {"self": {"href": links["href"]}, **rest}


_PAGE_LINKS = ("first", "self", "next", "prev")


def _read_page_links(obj: dict[str, Any]) -> None:
    """`page-links-flat`, in the user conversations and sessions pages: ``_links.self`` holding
    the page links (``self`` among them, each an object) is read as those links."""
    links = obj.get("_links")
    nested = links.get("self") if isinstance(links, dict) else None
    if (
        isinstance(nested, dict)
        and isinstance(nested.get("self"), dict)
        and set(nested) <= set(_PAGE_LINKS)
        and all(isinstance(value, dict) for value in nested.values())
    ):
        assert isinstance(links, dict)
        obj["_links"] = {**nested, **{k: v for k, v in links.items() if k != "self"}}


DOCUMENTED_READINGS: dict[str, Callable[[dict[str, Any]], None]] = {
    "Initiator": _read_is_system,
    "Leg": _read_start_end,
    "Member": _read_member_links,
    "ConversationPage": _read_page_links,
    "SessionPage": _read_page_links,
}


def typed_event(schema: Any, value: JSON) -> Any:
    """`schema`, or, where it is the generic `Event` and `value` is valid as one of the event
    kinds, that kind: "the event kinds type an Event by its ``type``" (NORMALISATION.md), so a
    ``member:joined`` event's body is a `Member` (and the overlay fixes it as one)."""
    if schema == component_ref("Event") and isinstance(value, dict):
        for kind in sorted(event_kinds()):
            if _is_of_kind(kind, value.get("type")) and spec_validator(kind).is_valid(value):
                return component_ref(kind)
    return schema


def _is_of_kind(kind: str, event_type: Any) -> bool:
    """Whether `event_type` is what event kind `kind` allows (checked before the whole event)."""
    allowed = component_schemas()[kind]["properties"]["type"]
    if not isinstance(event_type, str):
        return False
    if "enum" in allowed:
        return event_type in allowed["enum"]
    return re.search(allowed["pattern"], event_type) is not None


def documented_reading(schema: Any, value: JSON) -> JSON:
    """`value` (valid against `schema`) as the overlay's documented readings leave it: a copy,
    walked along the schema's declared properties (undeclared fields are left alone)."""
    schema = typed_event(schema, value)
    name = None
    if isinstance(schema, Mapping) and "$ref" in schema:
        name = str(schema["$ref"])[len(SCHEMA_REF) :]
    schema = resolve(schema) if isinstance(schema, Mapping) else {}
    if isinstance(value, list):
        return [documented_reading(schema.get("items", {}), item) for item in value]
    if not isinstance(value, dict):
        return value
    obj = dict(value)
    if name in DOCUMENTED_READINGS:
        DOCUMENTED_READINGS[name](obj)
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    for key, item in obj.items():
        if key in properties:
            obj[key] = documented_reading(properties[key], item)
        elif isinstance(extra, Mapping):
            obj[key] = documented_reading(extra, item)
    return obj


def next_href(page: Any) -> str:
    """The ``_links.next.href`` of a page document ('' when it has none)."""
    links = page.get("_links") if isinstance(page, dict) else None
    following = links.get("next") if isinstance(links, dict) else None
    href = following.get("href") if isinstance(following, dict) else None
    return href if isinstance(href, str) else ""


def component_ref(name: str) -> Schema:
    return {"$ref": SCHEMA_REF + name}


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def differences(schema: Any, expected: JSON, actual: JSON, where: str = "$") -> list[str]:
    """Where `actual` is not JSON-equivalent to `expected`, a document valid against `schema`.

    Equivalent means equal as JSON (object key order is not part of JSON), except:
    - numbers compare by value: JSON has one number type, so ``1`` and ``1.0`` are the same
      number (but ``true`` is never ``1``);
    - a string the schema types ``format: date-time`` may be written differently if it names
      the same instant to the microsecond (``Z`` for ``+00:00``, fraction digits padded), as
      the generated model keeps a `datetime`, not the text it read;
    - a property missing from `expected` may be present in `actual` with the value of the
      property's ``default``: OpenAPI says a server takes an absent property as its default.
    Nothing else: an extra field, a missing one, a renamed one or a changed value is a difference.
    An `Event` is compared as the kind it is valid as, if any (`typed_event`).
    """
    schema = typed_event(schema, expected)
    schema = resolve(schema) if isinstance(schema, Mapping) else {}
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        found = [differences(branch, expected, actual, where) for branch in branches]
        return [] if any(not each for each in found) else found[0]
    if "allOf" in schema:
        raise NotImplementedError("allOf: compare against each part")
    if isinstance(expected, dict) and isinstance(actual, dict):
        return _object_differences(schema, expected, actual, where)
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(actual)} items, not {len(expected)}"]
        items = schema.get("items", {})
        found_items: list[str] = []
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            found_items += differences(items, left, right, f"{where}[{index}]")
        return found_items
    if _same_value(schema, expected, actual):
        return []
    return [f"{where}: {actual!r} is not {expected!r}"]


def _same_value(schema: Mapping[str, Any], expected: JSON, actual: JSON) -> bool:
    """Whether two JSON scalars (or a scalar and anything) are equivalent."""
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and expected == actual
    if _is_number(expected) and _is_number(actual):
        return bool(expected == actual)
    if schema.get("format") == "date-time" and is_timestamp(expected) and is_timestamp(actual):
        return instant(expected) == instant(actual)
    return type(expected) is type(actual) and bool(expected == actual)


def _object_differences(
    schema: Mapping[str, Any], expected: dict[str, Any], actual: dict[str, Any], where: str
) -> list[str]:
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    found: list[str] = []
    for key in expected.keys() - actual.keys():
        found.append(f"{where}.{key}: missing (was {expected[key]!r})")
    for key in actual.keys() - expected.keys():
        default = resolve(properties.get(key, {})).get("default", _NO_DEFAULT)
        if default is _NO_DEFAULT or differences({}, default, actual[key]):
            found.append(f"{where}.{key}: added ({actual[key]!r})")
    for key in expected.keys() & actual.keys():
        if key in properties:
            sub = properties[key]
        elif isinstance(extra, Mapping):
            sub = extra
        else:
            sub = {}
        found += differences(sub, expected[key], actual[key], f"{where}.{key}")
    return found


_NO_DEFAULT = object()


def wire(value: JSON) -> JSON:
    """`value` as it arrives over HTTP: serialised and read back as JSON."""
    return json.loads(json.dumps(value))
