"""Request checks compiled once per operation when the spec is served: validation's fast path.

openapi-core re-reads the spec for every request (10 ms a create, measured). Here each
operation's parameters, security and body schema are compiled at start-up (the schemas by
jsonschema-rs, with the formats judged by openapi-core's own format checker), and a request
they accept gets its values read the way openapi-core reads them: integers cast, formats such
as ``date-time`` unmarshalled, the schema's defaults filled in.

The compiled checks only ever *accept*. A request they do not accept, or that they cannot judge
as surely as openapi-core (a repeated or empty parameter, a Content-Type with parameters, an
empty body, a schema keyword whose unmarshalling they do not copy), is handed to openapi-core,
which refuses it with the error it always gave, naming the field, or accepts it. So refusals are
openapi-core's by construction, and what must hold is that everything accepted here is accepted
by openapi-core with the same values: tests/emulator/test_emulator_compiled_validation.py runs
a corpus of valid and invalid requests through both.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jsonschema_rs
from openapi_core.unmarshalling.schemas import oas30_format_unmarshallers
from openapi_schema_validator import OAS30WriteValidator
from starlette.datastructures import Headers, QueryParams
from vonage_conversation_spec import operation_items, resolve

from .json_body import strict_json_loads

__all__ = ["Accepted", "CompiledOperation", "compile_operations"]

_FORMATS = OAS30WriteValidator.FORMAT_CHECKER
_INTEGER = re.compile(r"-?[0-9]+")
_URL_STRIPPED = re.compile(r"[\t\r\n]")
#: Keywords whose value openapi-core may change while unmarshalling through them (it merges the
#: properties of matching branches): a body schema using one around a default or a format is
#: left to openapi-core.
_COMBINATIONS = ("anyOf", "oneOf", "allOf", "not")


class _UnsureError(Exception):
    """The compiled checks cannot judge this: openapi-core will."""


def _format_checks(document: Mapping[str, Any]) -> dict[str, Callable[[str], bool]]:
    """Every format the spec names, judged by openapi-core's checker (jsonschema-rs's own
    formats differ: its ``uri`` is not rfc3986-validator's)."""
    names: set[str] = set()
    pending: list[Any] = [document]
    while pending:
        node = pending.pop()
        if isinstance(node, Mapping):
            if isinstance(node.get("format"), str):
                names.add(node["format"])
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return {name: functools.partial(_conforms, name=name) for name in names}


def _conforms(value: str, *, name: str) -> bool:
    return bool(_FORMATS.conforms(value, name))


def _validator(
    document: Mapping[str, Any], schema: Any, formats: Mapping[str, Callable[[str], bool]]
) -> jsonschema_rs.Validator:
    # The schema's $refs point into the spec's components: the root carries them along.
    root = {"allOf": [schema], "components": document.get("components", {})}
    return jsonschema_rs.Draft4Validator(root, formats=dict(formats), validate_formats=True)


# Reading values the way openapi-core does

Shape = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _shape(document: Mapping[str, Any], node: Any, seen: frozenset[str] = frozenset()) -> Shape:
    """How openapi-core turns a valid value of ``node`` into the value handlers get: defaults
    filled in, formats unmarshalled. Raises _UnsureError for what it does that this does not
    copy."""
    if isinstance(node, Mapping) and "$ref" in node:
        reference = str(node["$ref"])
        if reference in seen:
            raise _UnsureError(f"recursive schema {reference}")
        return _shape(document, resolve(document, node), seen | {reference})
    if not isinstance(node, Mapping):
        return _identity
    kind = node.get("type")
    fmt = node.get("format")
    if fmt is not None and kind != "string":
        # openapi-core checks formats of non-strings too, jsonschema-rs does not.
        raise _UnsureError(f"format {fmt} on a {kind}")
    for keyword in _COMBINATIONS:
        for branch in node.get(keyword, []) if keyword != "not" else [node.get(keyword)]:
            if branch is not None and _shape(document, branch, seen) is not _identity:
                raise _UnsureError(f"{keyword} around a default or a format")
    if kind == "string" and fmt in oas30_format_unmarshallers:
        return oas30_format_unmarshallers[fmt]  # type: ignore[no-any-return]
    if kind == "array" and "items" in node:
        item = _shape(document, node["items"], seen)
        return _identity if item is _identity else lambda value: [item(v) for v in value]
    if kind == "object" or "properties" in node:
        return _object_shape(document, node, seen)
    return _identity


def _object_shape(
    document: Mapping[str, Any], node: Mapping[str, Any], seen: frozenset[str]
) -> Shape:
    properties = {
        name: (resolve(document, schema), _shape(document, schema, seen))
        for name, schema in node.get("properties", {}).items()
    }
    extra = node.get("additionalProperties", True)
    extra_shape = _shape(document, extra, seen) if isinstance(extra, Mapping) else _identity
    defaults = {
        name: schema["default"] for name, (schema, _) in properties.items() if "default" in schema
    }
    shaped = {name: shape for name, (_, shape) in properties.items() if shape is not _identity}
    if not defaults and not shaped and extra_shape is _identity:
        return _identity

    def shape(value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out = {**defaults, **value} if defaults else dict(value)
        for name, prop in shaped.items():
            if name in out:
                out[name] = prop(out[name])
        if extra_shape is not _identity:
            for name in out.keys() - properties.keys():
                out[name] = extra_shape(out[name])
        return out

    return shape


# Parameters


@dataclass(frozen=True)
class _Parameter:
    name: str
    required: bool
    cast: Callable[[str], Any]
    validator: jsonschema_rs.Validator
    shape: Shape

    def read(self, raw: str) -> Any:
        """The value openapi-core would give for ``raw``; _UnsureError if it might not accept it."""
        if raw == "":
            raise _UnsureError("empty")  # openapi-core refuses it with its own message
        value = self.cast(raw)
        if not self.validator.is_valid(value):
            raise _UnsureError("invalid")
        return self.shape(value)


def _cast_integer(raw: str) -> int:
    # int() also takes "+5", " 5" and "5_0", as openapi-core does: only plain digits here.
    if not _INTEGER.fullmatch(raw):
        raise _UnsureError("not plain digits")
    return int(raw)


_CASTS: dict[str, Callable[[str], Any]] = {"string": str, "integer": _cast_integer}


def _parameter(
    document: Mapping[str, Any], reference: Any, formats: Mapping[str, Callable[[str], bool]]
) -> tuple[str, _Parameter]:
    parameter = resolve(document, reference)
    schema = resolve(document, parameter.get("schema", {}))
    kind = schema.get("type")
    plain = parameter.get("style") in (None, "form", "simple") and "content" not in parameter
    if kind not in _CASTS or not plain or parameter["in"] not in ("path", "query"):
        raise _UnsureError(f"parameter {parameter['name']}: {parameter['in']} {kind}")
    return parameter["in"], _Parameter(
        name=parameter["name"],
        required=bool(parameter.get("required", False)),
        cast=_CASTS[kind],
        validator=_validator(document, schema, formats),
        shape=_shape(document, schema),
    )


# Security


def _bearer_only(document: Mapping[str, Any], operation: Mapping[str, Any]) -> bool | None:
    """True when the operation needs an HTTP bearer Authorization header, False when it needs
    nothing; _UnsureError for any other requirement."""
    requirements = operation.get("security", document.get("security", []))
    if not requirements or any(not requirement for requirement in requirements):
        return False
    schemes = document.get("components", {}).get("securitySchemes", {})
    for requirement in requirements:
        for name in requirement:
            scheme = resolve(document, schemes.get(name, {}))
            if scheme.get("type") != "http" or str(scheme.get("scheme", "")).lower() != "bearer":
                raise _UnsureError(f"security scheme {name}")
    return True


def _has_bearer(headers: Headers) -> bool:
    # openapi-core's own test: "<type> <credentials>", the type "bearer" in any case.
    authorization = headers.get("authorization")
    if authorization is None:
        return False
    auth_type, space, _ = authorization.partition(" ")
    return bool(space) and auth_type.lower() == "bearer"


# Operations


@dataclass(frozen=True)
class Accepted:
    """What a compiled check accepted: the request's values as openapi-core reads them."""

    path: dict[str, Any]
    query: dict[str, Any]
    body: Any


@dataclass(frozen=True)
class CompiledOperation:
    """One operation's checks, compiled at start-up."""

    path_parameters: Sequence[_Parameter]
    query_parameters: Sequence[_Parameter]
    bearer: bool
    body_required: bool
    body_validator: jsonschema_rs.Validator | None
    body_shape: Shape

    def accept(
        self,
        path_values: Mapping[str, str],
        query: QueryParams,
        headers: Headers,
        body: bytes | None,
    ) -> Accepted | None:
        """The request's values when these checks accept it; None when openapi-core must judge
        it (to refuse it with its error, or accept it after all)."""
        try:
            return self._accept(path_values, query, headers, body)
        except _UnsureError:
            return None

    def _accept(
        self,
        path_values: Mapping[str, str],
        query: QueryParams,
        headers: Headers,
        body: bytes | None,
    ) -> Accepted:
        if self.bearer and not _has_bearer(headers):
            raise _UnsureError("no bearer header")
        path = {}
        for parameter in self.path_parameters:
            raw = path_values.get(parameter.name)
            if raw is None:
                raise _UnsureError("the path names no value")
            if _URL_STRIPPED.search(raw):
                # openapi-core reads the path through urlsplit, which drops these characters.
                raise _UnsureError("a tab or line break in the path")
            path[parameter.name] = parameter.read(raw)
        values: dict[str, Any] = {}
        for parameter in self.query_parameters:
            sent = query.getlist(parameter.name)
            if not sent:
                if parameter.required:
                    raise _UnsureError("missing")
                continue
            if len(sent) > 1:
                raise _UnsureError("repeated")  # openapi-core takes one of them: its choice
            values[parameter.name] = parameter.read(sent[0])
        return Accepted(path, values, self._body(headers, body))

    def _body(self, headers: Headers, body: bytes | None) -> Any:
        if self.body_validator is None:
            if body:
                raise _UnsureError("a body the operation does not take")
            return None
        if not body or headers.get("content-type") != "application/json":
            raise _UnsureError("no body, or not plainly JSON")
        try:
            document = strict_json_loads(body)
        except ValueError:
            raise _UnsureError("not JSON") from None
        if not self.body_validator.is_valid(document):
            raise _UnsureError("invalid")
        return self.body_shape(document)


def compile_operations(
    document: dict[str, Any],
) -> dict[tuple[str, str], CompiledOperation | None]:
    """Every operation's compiled checks, by (path template, method); None for an operation
    using what they do not cover (openapi-core judges every request to it)."""
    formats = _format_checks(document)
    return {
        (template, method): _compile_operation(
            document, document["paths"][template], operation, formats
        )
        for template, method, operation in operation_items(document)
    }


def _compile_operation(
    document: Mapping[str, Any],
    path_item: Mapping[str, Any],
    operation: Mapping[str, Any],
    formats: Mapping[str, Callable[[str], bool]],
) -> CompiledOperation | None:
    try:
        parameters: dict[str, list[_Parameter]] = {"path": [], "query": []}
        declared = {
            (p["in"], p["name"]): p
            for p in (resolve(document, r) for r in path_item.get("parameters", []))
        }
        for reference in operation.get("parameters", []):
            parameter = resolve(document, reference)
            declared[parameter["in"], parameter["name"]] = parameter
        for parameter in declared.values():
            where, compiled = _parameter(document, parameter, formats)
            parameters[where].append(compiled)
        bearer = _bearer_only(document, operation)
        validator: jsonschema_rs.Validator | None = None
        shape: Shape = _identity
        required = False
        if "requestBody" in operation:
            request_body = resolve(document, operation["requestBody"])
            content = request_body.get("content", {})
            if set(content) != {"application/json"}:
                raise _UnsureError("media types")
            schema = content["application/json"].get("schema", {})
            validator = _validator(document, schema, formats)
            shape = _shape(document, schema)
            required = bool(request_body.get("required", False))
    except _UnsureError:
        return None
    return CompiledOperation(
        path_parameters=parameters["path"],
        query_parameters=parameters["query"],
        bearer=bool(bearer),
        body_required=required,
        body_validator=validator,
        body_shape=shape,
    )
