"""The response plan: what reading a response of each schema must visit, decided at build time.

The merged spec is turned into one `ObjectPlan` per object schema (named or inline): for each
declared property, the check its value gets (`Scalar`: a JSON type, a date-time, a closed enum;
`Nested`: another object's plan; `Items`, `Values`: an array's items, an object's additional
properties), the NORMALISATION fixes of its schema, and the generated model it becomes (from
`model_shapes`). What the spec leaves free (an event's or a custom event's body,
``custom_data``, a leg's ``from``/``to``) is `Free`: its type is checked (an object) and nothing
in it is ever visited; undeclared fields are never visited either.

The fixes are the client's one hand-written table, ``overlay/vonage_conversation/_fixes.py``
(`OBJECT_FIXES`, `VALUE_COERCIONS`): this module reads the table's literal entries (the rule,
the trigger key, the function's name) without importing the client. `render_readers` writes
these plans out as code; this module decides *what* is visited, that one *how*.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from .build import ROOT
from .model_shapes import ModelShape, model_shapes
from .oas import Node as Document

Schema = Mapping[str, Any]

FIXES_MODULE = ROOT / "overlay" / "vonage_conversation" / "_fixes.py"
_REF = "#/components/schemas/"
_ITEMS = "[]"
_VALUES = "{}"

ScalarKind = Literal["string", "integer", "number", "boolean", "date-time"]


class PlanError(RuntimeError):
    """The spec holds a schema the plan has no rule for, or the fixes table is not literal."""


@dataclass(frozen=True)
class ObjectFix:
    """An entry of `OBJECT_FIXES`: its rule, the key whose presence calls it, its function."""

    rule: str
    trigger: str
    function: str


@dataclass(frozen=True)
class Coercion:
    """An entry of `VALUE_COERCIONS`: its rule and the function reading a wrong-typed value."""

    rule: str
    function: str


@dataclass(frozen=True)
class Fixes:
    """The client's fixes table, as names: schema -> object fixes, (schema, key) -> coercion."""

    objects: Mapping[str, tuple[ObjectFix, ...]]
    coercions: Mapping[tuple[str, str], Coercion]


@dataclass(frozen=True)
class Scalar:
    """A declared scalar: its JSON type (or ``date-time``), the values of a closed enum, and the
    rule's coercion of a value of another type (None: the numbers' own, or refused)."""

    kind: ScalarKind
    coercion: Coercion | None = None
    enum: frozenset[str] | None = None


@dataclass(frozen=True)
class Anything:
    """A value the spec puts no type on (``{}``): kept as sent, unchecked."""


@dataclass(frozen=True)
class Free:
    """An object the spec leaves free (no properties): checked to be an object, never entered;
    as a model, `class_name` holding the whole object as its additional properties."""

    class_name: str


@dataclass(frozen=True)
class Nested:
    """An object with a plan of its own (`ObjectPlan` at `location`)."""

    location: str


@dataclass(frozen=True)
class Items:
    """An array; `items` None when the spec does not say what its items are (kept as sent)."""

    items: Node | None


@dataclass(frozen=True)
class KindBody:
    """An event's body, read as its kind's body where that kind has fixes that apply in it
    (a member event's body is a `Member`), and as the free `default` otherwise. `by_type`
    maps an event type to the body plan (in JSON form: the event model's body is free)."""

    default: Free
    by_type: tuple[tuple[str, Node], ...]


Node = Scalar | Anything | Free | Nested | Items | KindBody


@dataclass(frozen=True)
class Values:
    """The additional properties of an object, when the spec says what they are."""

    values: Node


@dataclass(frozen=True)
class Field:
    """A declared property: its JSON name, the model's attribute, its check, whether required."""

    key: str
    attribute: str
    node: Node
    required: bool


@dataclass(frozen=True)
class ObjectPlan:
    """How one object schema is read: its fields, typed extra values, fixes and model.

    `closed`: the spec allows no undeclared field (``additionalProperties: false``), and the
    model has no ``additional_properties``. `can_change` says whether reading it may change
    the JSON (a fix, a coercion or a time without a zone, here or below): a plan that cannot
    is only checked, never copied.
    """

    location: str
    class_name: str
    fields: tuple[Field, ...]
    values: Values | None
    fixes: tuple[ObjectFix, ...]
    closed: bool = False
    can_change: bool = field(default=False, compare=False)


# The fixes table, read from its source


def _literal_table(tree: ast.Module, name: str) -> ast.Dict:
    for node in tree.body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == name
            and isinstance(node.value, ast.Dict)
        ):
            return node.value
    raise PlanError(f"{FIXES_MODULE.name}: no literal table {name} = {{...}}")


def _call(node: ast.expr | None, kind: str, strings: int) -> tuple[list[str], str]:
    """The string arguments and the function name of ``kind("...", ..., function)``."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == kind
        and len(node.args) == strings + 1
        and not node.keywords
        and all(isinstance(arg, ast.Constant) for arg in node.args[:strings])
        and isinstance(node.args[-1], ast.Name)
    ):
        texts = [str(arg.value) for arg in node.args[:strings] if isinstance(arg, ast.Constant)]
        return texts, node.args[-1].id
    shown = ast.unparse(node) if node is not None else "nothing"
    raise PlanError(f"{FIXES_MODULE.name}: expected {kind}(...) with literal names, got {shown}")


def read_fixes(source: Path = FIXES_MODULE) -> Fixes:
    """The fixes table of the client's `_fixes` module, read from its literal source."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    objects: dict[str, tuple[ObjectFix, ...]] = {}
    table = _literal_table(tree, "OBJECT_FIXES")
    for key, value in zip(table.keys, table.values, strict=True):
        if not isinstance(key, ast.Constant) or not isinstance(value, ast.Tuple):
            raise PlanError(f"{source.name}: OBJECT_FIXES maps a schema to a tuple of fixes")
        fixes = []
        for item in value.elts:
            (rule, trigger), function = _call(item, "ObjectFix", 2)
            fixes.append(ObjectFix(rule, trigger, function))
        objects[str(key.value)] = tuple(fixes)
    coercions: dict[tuple[str, str], Coercion] = {}
    table = _literal_table(tree, "VALUE_COERCIONS")
    for key, value in zip(table.keys, table.values, strict=True):
        names = key.elts if isinstance(key, ast.Tuple) else []
        if len(names) != 2 or not all(isinstance(name, ast.Constant) for name in names):
            raise PlanError(f"{source.name}: VALUE_COERCIONS is keyed by (schema, property)")
        (rule,), function = _call(value, "ValueCoercion", 1)
        owner, prop = (str(name.value) for name in names if isinstance(name, ast.Constant))
        coercions[(owner, prop)] = Coercion(rule, function)
    return Fixes(objects, coercions)


# The plans


def _is_object(schema: Schema) -> bool:
    return schema.get("type") == "object" or "properties" in schema


class _Planner:
    """Builds the plans of every object schema, resolving `$ref`s to named plans."""

    def __init__(self, document: Document, shapes: list[ModelShape], fixes: Fixes) -> None:
        self.schemas: Mapping[str, Schema] = document.get("components", {}).get("schemas", {})
        self.shapes = {shape.location: shape for shape in shapes}
        self.fixes = fixes
        self.plans: dict[str, ObjectPlan] = {}
        self._planning: set[str] = set()  # named schemas being planned (a $ref cycle stops)

    def named(self, name: str) -> Nested:
        if name not in self.schemas:
            raise PlanError(f"no schema {name!r} in the spec")
        if name not in self.plans and name not in self._planning:
            self._planning.add(name)
            self._object(name, self.schemas[name])
            self._planning.discard(name)
        return Nested(name)

    def node(self, location: str, schema: Schema, owner: str, key: str) -> Node:
        """The check of the value at `location` (property `key` of schema `owner`)."""
        ref = schema.get("$ref")
        if isinstance(ref, str):
            name = ref.removeprefix(_REF)
            target = self.schemas[name]
            if _is_object(target):
                return self.named(name)
            return self.node(location, target, owner, key)
        branches = schema.get("anyOf") or schema.get("oneOf")
        if branches:
            return self._union(location, branches, owner, key)
        if "allOf" in schema:
            raise PlanError(f"{location}: allOf has no plan (the spec pipeline flattens it)")
        if _is_object(schema):
            return self._object_node(location, schema)
        return self._typed(location, schema, owner, key)

    def _typed(self, location: str, schema: Schema, owner: str, key: str) -> Node:
        kind = schema.get("type")
        if kind == "array":
            items = schema.get("items")
            if not isinstance(items, Mapping):
                return Items(None)
            return Items(self.node(f"{location}/{_ITEMS}", items, owner, key))
        if kind in ("string", "integer", "number", "boolean"):
            return self._scalar(schema, owner, key)
        if kind is None:
            return Anything()
        raise PlanError(f"{location}: no plan for type {kind!r}")

    def _scalar(self, schema: Schema, owner: str, key: str) -> Scalar:
        kind = schema["type"]
        if kind == "string" and schema.get("format") == "date-time":
            return Scalar("date-time")
        enum = frozenset(schema["enum"]) if "enum" in schema else None
        coercion = self.fixes.coercions.get((owner, key)) if kind == "string" else None
        return Scalar(kind, coercion, enum)

    def _union(self, location: str, branches: list[Schema], owner: str, key: str) -> Node:
        """`open-response-enums`: ``anyOf: [enum, string]`` is any string (known values are the
        enum's); a union of anything else has no plan."""
        kinds = [self.node(location, branch, owner, key) for branch in branches]
        if all(isinstance(k, Scalar) and k.kind == "string" for k in kinds):
            return Scalar("string")
        raise PlanError(f"{location}: no plan for a union of {kinds}")

    def _object_node(self, location: str, schema: Schema) -> Node:
        if not schema.get("properties") and not isinstance(
            schema.get("additionalProperties"), Mapping
        ):
            return Free(self._shape(location).class_name)
        self._object(location, schema)
        return Nested(location)

    def _shape(self, location: str) -> ModelShape:
        shape = self.shapes.get(location)
        if shape is None:
            raise PlanError(f"{location}: no generated model in the model table")
        return shape

    def _object(self, location: str, schema: Schema) -> None:
        shape = self._shape(location)
        attributes = dict(shape.attributes)
        is_named = "/" not in location
        owner = location if is_named else ""  # value coercions are listed by named schema
        required = set(schema.get("required", ()))
        fields = []
        for key, sub in schema.get("properties", {}).items():
            if key not in attributes:
                raise PlanError(f"{location}: the model table has no attribute for {key!r}")
            node = self.node(f"{location}/{key}", sub, owner, key)
            if owner == "Event" and key == "body":
                node = self._kind_body(node)
            fields.append(Field(key, attributes[key], node, key in required))
        extra = schema.get("additionalProperties")
        values = (
            Values(self.node(f"{location}/{_VALUES}", extra, "", ""))
            if isinstance(extra, Mapping) and extra
            else None
        )
        fixes = self.fixes.objects.get(location, ()) if is_named else ()
        plan = ObjectPlan(location, shape.class_name, tuple(fields), values, fixes, extra is False)
        self.plans[location] = replace(plan, can_change=self._may_change(plan))

    def _event_kinds(self) -> list[tuple[str, Schema]]:
        """The event kinds (`TextEvent`, `MemberJoinedEvent`...): schemas named ``*Event`` whose
        ``type`` is constrained, with that ``type``'s schema."""
        kinds = []
        for name, schema in self.schemas.items():
            kind_type = schema.get("properties", {}).get("type", {})
            if name.endswith("Event") and ("enum" in kind_type or "pattern" in kind_type):
                kinds.append((name, kind_type))
        return kinds

    def _kind_body(self, default: Node) -> KindBody:
        """`Event.body`: a kind's body is read as that kind's where the kind's body can need a
        fix (only member events' bodies, a `Member`, today); other bodies stay free."""
        if not isinstance(default, Free):
            raise PlanError("Event/body: an event's body must be a free object")
        by_type: list[tuple[str, Node]] = []
        for name, kind_type in self._event_kinds():
            body = self.schemas[name].get("properties", {}).get("body", {})
            node = self.node(f"{name}/body", body, name, "body")
            if not self._node_may_change(node):
                continue  # read as the free body: a check of it would change nothing
            if "pattern" in kind_type:
                raise PlanError(f"{name}: a kind typed by a pattern whose body needs a fix")
            by_type.extend((value, node) for value in kind_type["enum"])
        return KindBody(default, tuple(sorted(by_type, key=lambda pair: pair[0])))

    def _may_change(self, plan: ObjectPlan) -> bool:
        if plan.fixes:
            return True
        nodes = [each.node for each in plan.fields]
        if plan.values is not None:
            nodes.append(plan.values.values)
        return any(self._node_may_change(node) for node in nodes)

    def _node_may_change(self, node: Node) -> bool:
        if isinstance(node, Scalar):
            return node.kind in ("date-time", "integer", "number") or node.coercion is not None
        if isinstance(node, Nested):
            # A schema still being planned (reached again through a cycle) adds nothing more.
            known = self.plans.get(node.location)
            return known is not None and known.can_change
        if isinstance(node, Items):
            return node.items is not None and self._node_may_change(node.items)
        if isinstance(node, KindBody):
            return bool(node.by_type)
        return False


def object_plans(document: Document, fixes: Fixes | None = None) -> dict[str, ObjectPlan]:
    """The plan of every object schema of the spec `document` (named ones by name, inline ones
    by their location), with the client's fixes (`read_fixes`) unless `fixes` is given."""
    planner = _Planner(document, model_shapes(document), fixes or read_fixes())
    for name, schema in planner.schemas.items():
        if _is_object(schema):
            planner.named(name)
    return planner.plans


def response_schema_name(operation: Mapping[str, Any]) -> str | None:
    """The name of the schema an operation's success response carries (None: no body)."""
    for status, answer in operation.get("responses", {}).items():
        ref = answer.get("content", {}).get("application/json", {}).get("schema")
        if str(status).startswith("2") and isinstance(ref, Mapping) and "$ref" in ref:
            return str(ref["$ref"]).removeprefix(_REF)
    return None
