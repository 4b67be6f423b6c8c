"""Request validation against the served spec, and errors that name the field.

No check here is written by hand: parameters and bodies are judged by the spec's schemas. A
request is first offered to its operation's checks compiled at start-up (``compiled``), which
accept what conforms in microseconds; whatever they do not accept goes to openapi-core, the
reference, which refuses it (this module turns its findings into one 400 Error whose
``detail`` says which parameter or body field is wrong and why) or accepts it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from openapi_core.datatypes import RequestParameters
from openapi_core.deserializing.styles.exceptions import EmptyQueryParameterValue
from openapi_core.templating.media_types.exceptions import MediaTypeNotFound
from openapi_core.validation.request.exceptions import (
    MissingRequestBodyError,
    ParameterValidationError,
    RequestBodyValidationError,
)
from openapi_core.validation.schemas.exceptions import InvalidSchemaValue
from starlette.datastructures import Headers, QueryParams

from .errors import ApiError, ErrorKind
from .spec import Route, ServedSpec

__all__ = ["Incoming", "ValidRequest", "reference_validate", "validate_request"]


@dataclass(frozen=True)
class Incoming:
    """The parts of a request that validation judges, as the server received them."""

    path: str
    query: QueryParams
    headers: Headers
    body: bytes | None


@dataclass(frozen=True)
class ValidRequest:
    """A request the spec accepts, with its values read as the spec types them."""

    route: Route
    path: Mapping[str, Any]
    query: Mapping[str, Any]
    body: Any


@dataclass
class _CoreRequest:
    """What openapi-core reads from a request (its ``Request`` protocol)."""

    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    body: bytes | None
    content_type: str


def validate_request(
    spec: ServedSpec,
    route: Route,
    incoming: Incoming,
    *,
    variables: Mapping[str, str] | None = None,
) -> ValidRequest:
    """Check one request against ``route``'s operation; ApiError 400 when it does not conform.

    ``variables`` are the path's, as ``ServedSpec.match`` read them (read again when None).
    """
    compiled = spec.compiled.get((route.template, route.method))
    if compiled is not None:
        if variables is None:
            variables = spec.match(route.method, incoming.path)[1]
        accepted = compiled.accept(variables, incoming.query, incoming.headers, incoming.body)
        if accepted is not None:
            query_values = {**route.query_defaults, **accepted.query}
            return ValidRequest(
                route=route, path=accepted.path, query=query_values, body=accepted.body
            )
    return reference_validate(spec, route, incoming)


def reference_validate(spec: ServedSpec, route: Route, incoming: Incoming) -> ValidRequest:
    """Check one request with openapi-core alone (what ``validate_request`` falls back to)."""
    request = _CoreRequest(
        host_url="http://emulator",
        path=incoming.path,
        method=route.method,
        parameters=RequestParameters(query=incoming.query, header=incoming.headers),
        body=incoming.body or None,
        content_type=incoming.headers.get("content-type", "application/octet-stream"),
    )
    result = spec.openapi.unmarshal_request(request)
    if result.errors:
        raise ApiError(ErrorKind.VALIDATION, "; ".join(_describe(e) for e in result.errors))
    parameters = result.parameters
    # openapi-core leaves absent parameters out; the spec's defaults apply to them.
    query_values = {**route.query_defaults, **dict(parameters.query)}
    return ValidRequest(
        route=route, path=dict(parameters.path), query=query_values, body=result.body
    )


def _describe(error: Exception) -> str:
    if isinstance(error, ParameterValidationError):
        where = f"{error.location} parameter '{error.name}'"
        if isinstance(error.__cause__, EmptyQueryParameterValue):
            # OpenAPI 3.0: a parameter without allowEmptyValue must not be sent empty.
            return f"{where}: must not be empty (send it with a value, or leave it out)"
        return f"{where}: {_schema_reasons(error.__cause__) or error}"
    if isinstance(error, MissingRequestBodyError):
        return "request body: a JSON body is required"
    if isinstance(error, RequestBodyValidationError):
        cause = error.__cause__
        if isinstance(cause, MediaTypeNotFound):
            return f"Content-Type: expected application/json, got {cause.mimetype}"
        # openapi-core raises its error inside the parser's `except`, so the parser's own
        # message (which says where) is the implicit context.
        inner = cause.__cause__ or cause.__context__ if cause is not None else None
        reason = f" ({inner})" if inner is not None else ""
        return _schema_reasons(cause) or f"request body: not valid JSON{reason}"
    return str(error) or type(error).__name__


def _schema_reasons(cause: BaseException | None) -> str:
    if not isinstance(cause, InvalidSchemaValue):
        return ""
    return "; ".join(reason for e in cause.schema_errors for reason in _field_reasons(e))


# A branch of anyOf/oneOf failing one of these on a value is about another kind of value (the
# text event's type is "text", a custom event's matches ^custom:), not a fault of this one.
_KIND_KEYWORDS = frozenset({"enum", "const", "pattern"})


def _field_reasons(error: Any) -> list[str]:
    """``error`` is a jsonschema ValidationError (jsonschema ships no type hints)."""
    if error.validator in ("anyOf", "oneOf") and error.context:
        return _alternative_reasons(error.context)
    # A body field is named by its path from the body's root: numbers[0].type, user.id.
    field = "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path
    ).lstrip(".")
    return [f"{field}: {error.message}" if field else error.message]


def _alternative_reasons(branch_errors: Any) -> list[str]:
    """Why a value matched none of anyOf/oneOf's schemas, said of the schema it came closest to.

    jsonschema reports every branch's errors at once ("is not valid under any of the given
    schemas"); the branch meant is the one whose kind the value has (no enum/pattern miss),
    failing least. When every branch is of another kind, the kind misses are the reason.
    """
    branches: dict[Any, list[Any]] = {}
    for error in branch_errors:
        branches.setdefault(error.relative_schema_path[0], []).append(error)
    of_its_kind = [
        errors
        for errors in branches.values()
        if not any(e.validator in _KIND_KEYWORDS for e in errors)
    ]
    if of_its_kind:
        closest = min(of_its_kind, key=len)
        return [reason for e in closest for reason in _field_reasons(e)]
    misses = [e for errors in branches.values() for e in errors if e.validator in _KIND_KEYWORDS]
    return list(dict.fromkeys(reason for e in misses for reason in _field_reasons(e)))
