"""The client's resources as the merged spec describes them: what the renderer writes out.

For each operation: its resource and method name (`naming`), its arguments with their Python
types and checks, its body, what it returns, and whether it is a list. All of it is read from
the spec, by these rules:

- **Arguments**: path parameters are positional (in path order), then `data` (the whole body:
  a dict or the generated model), then keyword-only query parameters and the body's fields
  (``from_`` for ``from``: a keyword, or a name the method needs itself, gains a ``_``).
- **A parameter's check and type**, from its schema: ``format: date-time`` ->
  ``check.date_time``, a datetime, date or string; an enum -> ``check.choice(...)`` (any case),
  a str; an integer -> ``check.integer(minimum, maximum)``; a string of digits (``pattern:
  ^[0-9]+$``) -> ``check.digits``, an int or a str; another string in a path, or with a
  ``minLength`` -> ``check.text`` (not empty), else ``check.string``; a number, a boolean ->
  ``check.number``, ``check.boolean``; anything else is sent as given.
- **A body field's type**: a named object -> its model or a dict; an enum -> a str (checked by
  ``check.choice`` when the body has one model); an array -> a sequence of its items' type; an
  inline object -> its generated model (or a dict); an id-like string (``from``, ``to``,
  ``*_id``) -> `Id`, so that a model's id field goes straight back in.
- **Lists**: a GET whose success body is a page (items in ``_embedded.<items>``, or v0.2's
  ``_embedded.data.<items>``) with a ``cursor`` or a ``record_index`` parameter returns a
  paginator of the items' model (``cursor=`` or ``record_index=`` to resume, ``limit=``).
- **Results**: the success body's model; None for a DELETE or a success without a body.

Why over 400 lines: each rule above is a few lines reading one part of an operation, and
they are kept together so that the module is the one place that says how an operation
becomes a method (its docstring's rules included).
"""

from __future__ import annotations

import keyword
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openapi_python_client.utils import ClassName, PythonIdentifier
from vonage_conversation_spec import ref_name, resolve

from .naming import (
    RESOURCE_HELPERS,
    check_unique,
    method_name,
    resource_name,
)
from .oas import JSON, Node, operations
from .words import pascal, words

FIELD_PREFIX = "field_"  # openapi-python-client's default, which generator-config.yaml keeps
METHOD_OWN_NAMES = frozenset({"self", "data", "timeout", "extra_headers", "limit"})
DIGITS = "^[0-9]+$"


class ClientModelError(ValueError):
    """The spec holds something the renderer has no rule for; the message says what."""


@dataclass(frozen=True)
class Argument:
    """One argument of a method: its keyword, the name the request uses, its type and check."""

    name: str  # the keyword in the method
    key: str  # the parameter of the generated module, or the body's field name
    annotation: str  # its type, as Python source
    check: str | None  # its check, as Python source (None: checked by the body's model)
    doc: str
    required: bool = False


@dataclass(frozen=True)
class BodySpec:
    """A request body: its model(s) (the kinds of an anyOf body) and its fields."""

    models: tuple[str, ...]
    fields: tuple[Argument, ...]
    doc: str


@dataclass(frozen=True)
class ItemsSpec:
    """Where a page keeps its items, their model, and how pages follow one another."""

    key: str
    model: str
    paging: str  # "cursor" or "record_index"


@dataclass
class Method:
    """One operation as a method of its resource."""

    name: str
    operation_id: str
    http_method: str
    path: str
    module: str  # the generated module: "<tag package>.<module>" below vonage_conversation_api.api
    summary: str
    description: str
    path_args: list[Argument]
    query_args: list[Argument]
    body: BodySpec | None
    result: str | None  # the success model, None when there is nothing to return
    response_schema: str | None  # the success body's schema (a page's, for a list)
    items: ItemsSpec | None
    docstring: list[str] = field(default_factory=list)  # filled in by `document`

    @property
    def constant(self) -> str:
        """The name of its description in the generated `operations` module."""
        return "_".join(words(self.operation_id)).upper()

    @property
    def keywords(self) -> list[Argument]:
        return self.query_args + list(self.body.fields if self.body else ())


@dataclass
class Resource:
    """One tag of the spec as a client attribute (``client.conversations``)."""

    attribute: str
    description: str
    methods: list[Method] = field(default_factory=list)

    @property
    def class_name(self) -> str:
        return pascal(self.attribute)

    @property
    def helpers(self) -> str | None:
        """The hand-written mixin of the resource, if it has one."""
        mixin = RESOURCE_HELPERS.get(self.attribute)
        return mixin[0] if mixin else None


# Reading the spec


class SpecReader:
    """The merged spec, with `$ref` resolution."""

    def __init__(self, document: Node) -> None:
        self.document = document
        self.schemas: dict[str, Node] = document.get("components", {}).get("schemas", {})

    def resolve(self, node: Any) -> Node:
        found = resolve(self.document, node)
        return found if isinstance(found, dict) else {}

    def parameter(self, node: Node) -> Node:
        found: Node = resolve(self.document, node)
        return found


def model_class(schema_name: str) -> str:
    """The class openapi-python-client generates for a named schema."""
    return str(ClassName(schema_name, FIELD_PREFIX))


def python_identifier(name: str) -> str:
    """The name openapi-python-client gives a parameter in the functions it generates."""
    return str(PythonIdentifier(name, FIELD_PREFIX))


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


# Parameters


# Other parameter types: (check, annotation).
PLAIN_PARAMETERS = {"number": ("check.number", "float"), "boolean": ("check.boolean", "bool")}


def _string_check(schema: Node, in_path: bool) -> tuple[str, str]:
    if schema.get("pattern") == DIGITS:
        return "check.digits", "int | Id" if in_path else "int | str"
    if in_path:
        return "check.text", "Id"
    return ("check.text" if schema.get("minLength") else "check.string"), "str"


def parameter_check(schema: Node, spec: SpecReader, in_path: bool) -> tuple[str, str]:
    """(check, annotation) of a path or query parameter, by the rules in the module docstring."""
    resolved = spec.resolve(schema)
    kind = resolved.get("type")
    if resolved.get("format") == "date-time":
        found = ("check.date_time", "DateLike")
    elif "enum" in resolved:
        found = (_choice(resolved["enum"]), "str")
    elif kind == "integer":
        bounds = (resolved.get("minimum"), resolved.get("maximum"))
        found = (f"check.integer({bounds[0]!r}, {bounds[1]!r})", "int")
    elif kind == "string":
        found = _string_check(resolved, in_path)
    else:
        found = PLAIN_PARAMETERS.get(str(kind), ("check.unchecked", "Any"))
    return found


def _choice(values: list[Any]) -> str:
    return "check.choice(" + ", ".join(repr(str(value)) for value in values) + ")"


def _path_order(path: str, name: str) -> int:
    return path.find("{" + name + "}")


def _arguments(op: Node, path: str, spec: SpecReader, paging: str | None) -> Iterator[Argument]:
    for node in op.get("parameters", []):
        param = spec.parameter(node)
        location, name = param["in"], param["name"]
        if location not in ("path", "query"):
            continue  # headers and cookies: the client sets its own
        if location == "query" and name == paging:
            continue  # the paginator's: `cursor=` or `record_index=` resume a list
        check, annotation = parameter_check(param.get("schema", {}), spec, location == "path")
        yield Argument(
            name=python_identifier(name),
            key=python_identifier(name),
            annotation=annotation,
            check=check,
            doc=_one_line(param.get("description", "")),
            required=location == "path",
        )


# Bodies


def _is_id(name: str) -> bool:
    return name in ("from", "to", "id") or name.endswith("_id")


PLAIN_FIELDS = {"integer": "int", "number": "float", "boolean": "bool"}


def field_annotation(schema: Node, owner: str, prop: str, spec: SpecReader) -> str:
    """The type of a body field (`owner` is the model the field belongs to)."""
    name = ref_name(schema)
    kind = schema.get("type")
    if name is not None:
        target = spec.schemas[name]
        scalar = "enum" in target or target.get("type") in ("string", *PLAIN_FIELDS)
        found = (
            field_annotation(target, owner, prop, spec)
            if scalar
            else f"{model_class(name)} | JSONObject"
        )
    elif "anyOf" in schema or "oneOf" in schema:
        variants: list[Node] = schema.get("anyOf") or schema.get("oneOf") or []
        kinds = [spec.resolve(each) for each in variants]
        strings = all("enum" in each or each.get("type") == "string" for each in kinds)
        found = "str" if strings else "Any"
    elif kind == "array":
        items = field_annotation(schema.get("items", {}), owner + pascal(prop), "item", spec)
        found = f"Sequence[{items}]"
    elif kind == "object":
        nested = f"{model_class(owner + pascal(prop))} | JSONObject"
        found = nested if schema.get("properties") else "JSONObject"
    elif kind == "string":
        found = "Id" if _is_id(prop) else "str"
    else:
        found = PLAIN_FIELDS.get(str(kind), "Any")
    return found


def _keyword(name: str, taken: set[str]) -> str:
    """The keyword of a body field: its name, or a Python name for it (``from_``)."""
    chosen = name if name.isidentifier() else python_identifier(name)
    if chosen in taken or chosen in METHOD_OWN_NAMES or keyword.iskeyword(chosen):
        chosen += "_"
    return chosen


def _body(op: Node, spec: SpecReader, taken: set[str]) -> BodySpec | None:
    schema = op.get("requestBody", {}).get("content", {}).get(JSON, {}).get("schema")
    if schema is None:
        return None
    top = ref_name(schema)
    if top is None:
        raise ClientModelError("an inline request body: the rule bodies-named names every one")
    kinds = [ref_name(kind) for kind in spec.schemas[top].get("anyOf", [schema])]
    if None in kinds:
        raise ClientModelError(f"{top}: an anyOf body's kinds must be named schemas")
    names = [str(kind) for kind in kinds]
    fields: dict[str, Argument] = {}
    for kind in names:
        for prop, sub in spec.schemas[kind].get("properties", {}).items():
            annotation = field_annotation(sub, model_class(kind), prop, spec)
            resolved = spec.resolve(sub)
            check = None
            if len(names) == 1 and "enum" in resolved:
                check = _choice(resolved["enum"])
            if prop in fields and fields[prop].annotation != annotation:
                both = "JSONObject" in annotation and "JSONObject" in fields[prop].annotation
                annotation = "JSONObject" if both else "Any"
            doc = fields[prop].doc if prop in fields else ""
            fields[prop] = Argument(
                name=fields[prop].name if prop in fields else _keyword(prop, taken),
                key=prop,
                annotation=annotation,
                check=check,
                doc=doc or _one_line(sub.get("description") or resolved.get("description", "")),
            )
    models = tuple(model_class(kind) for kind in names)
    return BodySpec(models=models, fields=tuple(fields.values()), doc=_data_doc(models))


def _data_doc(models: tuple[str, ...]) -> str:
    kinds = " or a ".join(f"`{model}`" for model in models)
    return f"the whole body, a dict or a {kinds}; the keywords below override its fields."


# Results and pages


def _success(op: Node) -> tuple[str, Node | None]:
    for status, answer in op.get("responses", {}).items():
        if str(status).startswith("2"):
            return str(status), answer.get("content", {}).get(JSON, {}).get("schema")
    return "", None


def _items(op: Node, spec: SpecReader) -> tuple[str, str] | None:
    """(items key, items schema name) when the success body is a page."""
    _, schema = _success(op)
    embedded = spec.resolve(spec.resolve(schema).get("properties", {}).get("_embedded"))
    lists = embedded.get("properties", {})
    if set(lists) == {"data"}:
        lists = spec.resolve(lists["data"]).get("properties", {})
    arrays = [(key, sub) for key, sub in lists.items() if spec.resolve(sub).get("type") == "array"]
    if len(arrays) != 1:
        return None
    key, sub = arrays[0]
    item = ref_name(spec.resolve(sub).get("items"))
    if item is None:
        raise ClientModelError(f"the page's {key} items are inline: bodies-named names them")
    return key, item


def _paging(op: Node, spec: SpecReader) -> str | None:
    """How a list pages: by ``record_index`` (legs) or by ``cursor``, the parameter it takes."""
    names = {spec.parameter(p)["name"] for p in op.get("parameters", [])}
    return next((name for name in ("record_index", "cursor") if name in names), None)


# Putting it together


def _method(path: str, http_method: str, op: Node, spec: SpecReader, resource: str) -> Method:
    operation_id = str(op["operationId"])
    paging = _paging(op, spec) if http_method == "get" else None
    items = _items(op, spec) if paging else None
    if items is None:
        paging = None
    arguments = list(_arguments(op, path, spec, paging))
    path_args = sorted((a for a in arguments if a.required), key=lambda a: _path_order(path, a.key))
    query_args = [a for a in arguments if not a.required]
    taken = {a.name for a in path_args + query_args}
    _, success = _success(op)
    result_name = ref_name(success)
    tag_package = python_identifier_tag((op.get("tags") or ["default"])[0])
    return Method(
        name=method_name(operation_id, resource),
        operation_id=operation_id,
        http_method=http_method,
        path=path,
        module=f"{tag_package}.{python_identifier(operation_id)}",
        summary=_one_line(op.get("summary", "")),
        description=str(op.get("description", "")).strip(),
        path_args=path_args,
        query_args=query_args,
        body=_body(op, spec, taken),
        result=None if http_method == "delete" or result_name is None else model_class(result_name),
        response_schema=result_name,
        items=ItemsSpec(items[0], model_class(items[1]), str(paging)) if items else None,
    )


def python_identifier_tag(tag: str) -> str:
    """The package openapi-python-client puts a tag's operations in (``api.<tag>``)."""
    return str(PythonIdentifier(tag, "tag"))


def resources(document: Node) -> list[Resource]:
    """Every resource of the spec with its methods, in the order of the spec's tags and paths."""
    spec = SpecReader(document)
    descriptions = {tag["name"]: tag.get("description", "") for tag in document.get("tags", [])}
    found: dict[str, Resource] = {}
    for tag, description in descriptions.items():
        found[resource_name(tag, "")] = Resource(resource_name(tag, ""), description)
    for path, http_method, op in operations(document):
        tag = (op.get("tags") or [None])[0]
        attribute = resource_name(tag, path)
        resource = found.setdefault(attribute, Resource(attribute, descriptions.get(tag, "")))
        resource.methods.append(_method(path, http_method, op, spec, attribute))
    chosen = [resource for resource in found.values() if resource.methods]
    for resource in chosen:
        check_unique(resource.attribute, {m.operation_id: m.name for m in resource.methods})
    document_methods(chosen)
    return chosen


# Docstrings

WIDTH = 100
METHOD_BODY_INDENT = 8
_OPERATION_REF = re.compile(r"`([A-Za-z0-9_]+)`")

TIMEOUT_DOC = (
    "this call's timeout: seconds, an `httpx.Timeout`, or None for none (not given: the client's)."
)
HEADERS_DOC = "headers added to this call's request (not `Authorization`: the client signs)."
CURSOR_DOC = "resume from a page's `next_cursor` saved earlier."
RECORD_INDEX_DOC = "resume at this page (0-based), a page's `next_record_index` saved earlier."
LIMIT_DOC = "stop after this many items."


def _wrap(text: str, indent: int, hanging: int = 0) -> list[str]:
    width = WIDTH - indent - len('"""')  # room for the quotes that open or close a docstring
    return textwrap.wrap(
        text,
        width=width,
        subsequent_indent=" " * hanging,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _paragraphs(text: str) -> list[str]:
    return [_one_line(part) for part in re.split(r"\n\s*\n", text) if part.strip()]


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def _returns(method: Method) -> str:
    if method.items is not None:
        return f"Every `{method.items.model}`, fetched a page at a time as you iterate."
    if method.result is None:
        return "None."
    return f"The `{method.result}`."


def _document(method: Method, names: dict[str, str]) -> list[str]:
    def linked(text: str) -> str:
        # An operationId quoted in the spec's prose reads as the method a user calls.
        return _OPERATION_REF.sub(lambda m: f"`{names.get(m.group(1), m.group(1))}`", text)

    lines: list[str] = []
    summary = linked(method.summary or f"{method.http_method.upper()} {method.path}")
    lines += _wrap(summary.rstrip(".") + ".", METHOD_BODY_INDENT)
    for paragraph in _paragraphs(linked(method.description)):
        lines += ["", *_wrap(paragraph, METHOD_BODY_INDENT)]
    args: list[tuple[str, str]] = [(a.name, a.doc) for a in method.path_args]
    if method.body is not None:
        args.append(("data", method.body.doc))
    args += [(a.name, a.doc) for a in method.keywords]
    if method.items is not None:
        paging = method.items.paging
        args.append((paging, CURSOR_DOC if paging == "cursor" else RECORD_INDEX_DOC))
        args.append(("limit", LIMIT_DOC))
    args += [("timeout", TIMEOUT_DOC), ("extra_headers", HEADERS_DOC)]
    lines += ["", "Args:"]
    for name, doc in args:
        text = f"{name}: {linked(doc) or '(not described by the spec)'}"
        lines += ["    " + line for line in _wrap(text, METHOD_BODY_INDENT + 4, hanging=4)]
    lines += ["", "Returns:", *("    " + ln for ln in _wrap(_returns(method), 12))]
    return [_escaped(line) for line in lines]


def document_methods(found: list[Resource]) -> None:
    """Write each method's docstring lines."""
    names = {m.operation_id: f"{r.attribute}.{m.name}" for r in found for m in r.methods}
    for resource in found:
        for method in resource.methods:
            method.docstring = _document(method, names)


def class_docstring(resource: Resource, indent: int = 4) -> list[str]:
    """The docstring lines of a resource class: its tag's description."""
    text = _one_line(resource.description) or f"The {resource.attribute} of the API."
    return [_escaped(line) for line in _wrap(text.rstrip(".") + ".", indent)]
