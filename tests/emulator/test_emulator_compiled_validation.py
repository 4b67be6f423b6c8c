"""The compiled request checks are exactly as strict as openapi-core, the reference.

A corpus of requests made from the spec itself (every operation's examples; then wrong types,
missing required fields, unknown enum values, values out of range or off their pattern or
format, unexpected fields where the spec closes an object, bad path and query parameters,
bodies that are not JSON, a wrong Content-Type, no bearer header) goes through the emulator's
validation (compiled checks first) and through openapi-core alone. Both must accept the same
requests with the same values, and refuse the same ones with the same error: status, code,
title and the detail naming the field. A weakened compiled check must be caught by it.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import jsonschema_rs
import pytest
from openapi_core.templating.paths.iterators import TemplatePathsIterator
from starlette.datastructures import Headers, QueryParams
from vonage_conversation_emulator.compiled import CompiledOperation, resolve
from vonage_conversation_emulator.errors import ApiError
from vonage_conversation_emulator.spec import ServedSpec, served_spec
from vonage_conversation_emulator.validation import (
    Incoming,
    reference_validate,
    validate_request,
)

BEARER = "Bearer header.payload.signature"
JSON = "application/json"


@dataclasses.dataclass(frozen=True)
class Probe:
    """One request to validate."""

    method: str
    path: str
    query: str = ""
    body: bytes | None = None
    content_type: str | None = JSON
    authorization: str | None = BEARER
    plain: bool = False
    """Made of the spec's own examples only."""

    def headers(self) -> Headers:
        raw = {"content-type": self.content_type, "authorization": self.authorization}
        return Headers({name: value for name, value in raw.items() if value is not None})


# The corpus


def _wrong_values(document: Mapping[str, Any], schema: Any) -> list[Any]:
    """Values ``schema`` should refuse, or that sit on its edges."""
    schema = resolve(document, schema)
    kind = schema.get("type")
    values: list[Any] = [None]
    if kind == "string":
        values += [123, True, [], {}, "", "x" * (schema.get("maxLength", 1000) + 1)]
        values += ["not-a-member"] if "enum" in schema else []
        values += ["abc", "12\n", "custom:"] if "pattern" in schema else []
        values += ["not a uri", "yesterday", "//x"] if "format" in schema else []
    elif kind in ("integer", "number"):
        values += ["1", True, 1.5, 1.0, -1, 0, 10**6, 10**30]
    elif kind == "boolean":
        values += ["true", 0, 1]
    elif kind == "object":
        values += ["x", [], 0, {}]
    elif kind == "array":
        values += ["x", {}, [None], [1], [{}]]
    else:
        values += ["x", 0, [], {}]
    return values


def _branches(document: Mapping[str, Any], schema: Any) -> list[Mapping[str, Any]]:
    schema = resolve(document, schema)
    found = [schema]
    for keyword in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(keyword, []):
            found += _branches(document, branch)
    return found


def _mutations(
    document: Mapping[str, Any], schema: Any, value: Any, depth: int = 0
) -> Iterator[Any]:
    """Versions of a valid ``value`` broken in one place each (or edged), per ``schema``."""
    if not isinstance(value, dict) or depth > 3:
        return
    yield {**value, "zz_unexpected": 1}
    for name in value:  # required ones refused, optional ones defaulted
        yield {key: item for key, item in value.items() if key != name}
    for branch in _branches(document, schema):
        for name, property_schema in branch.get("properties", {}).items():
            for wrong in _wrong_values(document, property_schema):
                yield {**value, name: wrong}
            if isinstance(value.get(name), dict):
                for inner in _mutations(document, property_schema, value[name], depth + 1):
                    yield {**value, name: inner}
            elif name not in value and resolve(document, property_schema).get("type") == "object":
                yield {**value, name: {"zz_unexpected": 1}}
            for example in _examples(resolve(document, property_schema)):
                yield {**value, name: example}


def _examples(node: Mapping[str, Any]) -> list[Any]:
    found = [node["example"]] if "example" in node else []
    found += [item.get("value") for item in node.get("examples", {}).values()]
    return found


def _path_value(document: Mapping[str, Any], parameter: Mapping[str, Any]) -> str:
    schema = resolve(document, parameter.get("schema", {}))
    examples = _examples(parameter) + _examples(schema)
    return str(examples[0]) if examples else ("1" if "pattern" in schema else "X-1")


def _operation_probes(
    document: Mapping[str, Any], template: str, method: str, operation: Mapping[str, Any]
) -> Iterator[Probe]:
    item = document["paths"][template]
    parameters = [resolve(document, p) for p in item.get("parameters", [])]
    parameters += [resolve(document, p) for p in operation.get("parameters", [])]
    path_params = {p["name"]: _path_value(document, p) for p in parameters if p["in"] == "path"}
    path = template.format(**path_params)
    verb = method.upper()
    bodies: list[Any] = [None]
    if "requestBody" in operation:
        media = resolve(document, operation["requestBody"])["content"][JSON]
        schema = media.get("schema", {})
        bodies = _examples(media) + [
            example for branch in _branches(document, schema) for example in _examples(branch)
        ] or [{}]
        for body in bodies:
            for broken in _mutations(document, schema, body):
                yield Probe(verb, path, body=json.dumps(broken).encode())
    for body in bodies:
        encoded = None if body is None else json.dumps(body).encode()
        yield Probe(verb, path, body=encoded, plain=True)
    # Path parameters: each one edged (empty, off its pattern, odd characters).
    for name in path_params:
        for odd in ("", "abc", "12\n", "1 2", "%2F", "{x}", "0" * 300):
            yield Probe(verb, template.format(**{**path_params, name: odd}), body=encoded)
    query_params = [p for p in parameters if p["in"] == "query"]
    yield from _query_probes(document, Probe(verb, path, body=encoded), query_params)
    yield from _edge_probes(Probe(verb, path, body=encoded), "requestBody" in operation)


def _query_probes(
    document: Mapping[str, Any], base: Probe, query_params: list[Mapping[str, Any]]
) -> Iterator[Probe]:
    """Each query parameter's example, then broken ones, alone and all together."""
    verb, path, encoded = base.method, base.path, base.body
    together = []
    for parameter in query_params:
        schema = resolve(document, parameter.get("schema", {}))
        name = parameter["name"]
        for example in _examples(parameter) + _examples(schema):
            together.append(f"{name}={example}")
            yield Probe(verb, path, f"{name}={example}", body=encoded, plain=True)
        odd = ["", "abc", "+5", "5_0", " 5", "5.0", "-1", "0", "101", "1e2", "sideways"]
        odd += ["yesterday", "2020-01-01", "2020-01-01T00:00:00", "12\n", "ASC", "desc"]
        for value in odd:
            yield Probe(verb, path, f"{name}={value}", body=encoded)
        yield Probe(verb, path, f"{name}=5&{name}=7", body=encoded)
        yield Probe(verb, path, name, body=encoded)
    if together:
        yield Probe(verb, path, "&".join(together), body=encoded, plain=True)
        yield Probe(verb, path, "&".join(together) + "&unknown=1", body=encoded)


def _edge_probes(base: Probe, takes_body: bool) -> Iterator[Probe]:
    """Headers and bodies that are not what the spec takes."""
    verb, path, encoded = base.method, base.path, base.body
    yield Probe(verb, path, body=encoded, authorization=None)
    yield Probe(verb, path, body=encoded, authorization="Basic abc")
    yield Probe(verb, path, body=encoded, authorization=" Bearer abc")
    yield Probe(verb, path, body=encoded, authorization="bearer abc")
    if takes_body:
        for raw in (b"", b"{", b"nan", b"[]", b"null", b"1", b'"x"', b"{}", b"\xff"):
            yield Probe(verb, path, body=raw)
        for raw in (b'{"a": NaN}', b'{"a": 1e400}', b'{"a": "\\ud800"}', b"[" * 40 + b"]" * 40):
            yield Probe(verb, path, body=raw)
        yield Probe(verb, path, body=encoded, content_type="text/plain")
        yield Probe(verb, path, body=encoded, content_type="application/json; charset=utf-8")
        yield Probe(verb, path, body=encoded, content_type=None)


def corpus(spec: ServedSpec) -> list[Probe]:
    """Every operation's probes, without repeats."""
    document = spec.document
    probes = [
        probe
        for template, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", "put", "post", "delete", "patch")
        for probe in _operation_probes(document, template, method, operation)
    ]
    return list(dict.fromkeys(probes))


# Outcomes


def _canonical(value: Any) -> str:
    """A value's text with its types (1 and 1.0, a str and a datetime, tell apart)."""

    def typed(item: Any) -> Any:
        if isinstance(item, datetime):
            return f"datetime {item.isoformat()}"
        raise TypeError(type(item))

    return json.dumps(value, sort_keys=True, default=typed)


def outcome(spec: ServedSpec, probe: Probe, *, reference: bool) -> tuple[Any, ...]:
    """What validation made of ``probe``: the values, or the error."""
    route, variables = spec.match(probe.method, probe.path)
    incoming = Incoming(probe.path, QueryParams(probe.query), probe.headers(), probe.body)
    try:
        if reference:
            valid = reference_validate(spec, route, incoming)
        else:
            valid = validate_request(spec, route, incoming, variables=variables)
    except ApiError as error:
        kind = error.kind
        return ("refused", kind.status, kind.code, kind.title, error.detail)
    except Exception as error:  # a mutant's crash is a disagreement too
        return ("crashed", repr(error))
    return ("accepted", _canonical(valid.path), _canonical(valid.query), _canonical(valid.body))


@pytest.fixture(scope="module")
def spec() -> ServedSpec:
    return served_spec()


@pytest.fixture(scope="module")
def probes(spec: ServedSpec) -> list[Probe]:
    return [probe for probe in corpus(spec) if _routable(spec, probe)]


def _routable(spec: ServedSpec, probe: Probe) -> bool:
    try:
        spec.match(probe.method, probe.path)
    except ApiError:
        return False  # 404/405 come before validation: tested in test_emulator_http.py
    return True


Outcomes = dict[Probe, tuple[Any, ...]]


@pytest.fixture(scope="module")
def reference(spec: ServedSpec, probes: list[Probe]) -> Outcomes:
    """openapi-core's verdict on every probe (it takes a while: computed once)."""
    return {probe: outcome(spec, probe, reference=True) for probe in probes}


def _disagreements(spec: ServedSpec, reference: Outcomes) -> list[tuple[Probe, Any, Any]]:
    found = []
    for probe, theirs in reference.items():
        ours = outcome(spec, probe, reference=False)
        if ours != theirs:
            found.append((probe, ours, theirs))
    return found


def test_the_corpus_is_large_and_mixed(probes: list[Probe], reference: Outcomes) -> None:
    verdicts = [verdict[0] for verdict in reference.values()]
    assert len(probes) > 1500
    assert verdicts.count("accepted") > 300
    assert verdicts.count("refused") > 1000


def test_compiled_checks_accept_and_refuse_exactly_as_openapi_core(
    spec: ServedSpec, reference: Outcomes
) -> None:
    assert _disagreements(spec, reference) == []


def test_compiled_checks_answer_what_the_spec_examples_send(
    spec: ServedSpec, probes: list[Probe], reference: Outcomes
) -> None:
    # The fast path must be taken, not only be right: every request made of the spec's
    # examples that the reference accepts is accepted by the compiled checks themselves.
    plain = [probe for probe in probes if probe.plain]
    assert len(plain) > 40
    for probe in plain:
        if reference[probe][0] != "accepted":
            continue
        route, variables = spec.match(probe.method, probe.path)
        compiled = spec.compiled[route.template, route.method]
        assert compiled is not None, route
        accepted = compiled.accept(variables, QueryParams(probe.query), probe.headers(), probe.body)
        assert accepted is not None, probe


def _weakened(spec: ServedSpec, change: dict[str, Any]) -> ServedSpec:
    """A copy of ``spec`` whose compiled checks have ``change`` applied (a mutant)."""
    weak = object.__new__(ServedSpec)
    weak.__dict__.update(spec.__dict__)
    weak.compiled = {
        key: None if operation is None else _apply(operation, change)
        for key, operation in spec.compiled.items()
    }
    return weak


def _apply(operation: CompiledOperation, change: dict[str, Any]) -> CompiledOperation:
    if "parameters" in change:
        lax = [
            dataclasses.replace(p, validator=change["parameters"])
            for p in operation.query_parameters
        ]
        return dataclasses.replace(operation, query_parameters=lax)
    if operation.body_validator is None:
        return operation
    return dataclasses.replace(operation, **change)


ANYTHING = jsonschema_rs.Draft4Validator({})


@pytest.mark.parametrize(
    "change",
    [
        {"body_validator": ANYTHING},
        {"parameters": ANYTHING},
        {"bearer": False},
        {"body_shape": lambda body: body},
    ],
    ids=["body-schema-ignored", "parameter-schemas-ignored", "security-ignored", "no-defaults"],
)
def test_a_weakened_compiled_check_is_caught(
    spec: ServedSpec, reference: Outcomes, change: dict[str, Any]
) -> None:
    assert _disagreements(_weakened(spec, change), reference) != []


# Routing


def _reference_route(spec: ServedSpec, path: str) -> tuple[str, dict[str, str]] | None:
    """openapi-core's own path matching (what the emulator's router compiles)."""
    for candidate in TemplatePathsIterator("paths")(path, spec.openapi.spec):
        result = candidate.path_result
        if path.rsplit(result.resolved, 1)[0] == "":
            return str(result.pattern), dict(result.variables)
    return None


def test_the_compiled_router_matches_openapi_cores(spec: ServedSpec) -> None:
    paths = {probe.path for probe in corpus(spec)}
    for template in spec.document["paths"]:
        paths |= {
            template,
            template + "/",
            "/x" + template,
            template.replace("{", "").replace("}", ""),
            template.replace("/v0.3", "/v0.3/"),
        }
        for filler in ("", "me", "a/b", "1"):
            paths.add(template.replace("{conversation_id}", filler))
    paths |= {"/", "", "/v0.3", "/v0.3/conversations/me/members/me", "/_emulator/users/x"}
    for path in sorted(paths):
        expected = _reference_route(spec, path)
        template, variables = spec.find_template(path)
        if expected is None:
            assert template is None, path
            continue
        assert template == expected[0], path
        if expected[1]:  # a path equal to a template is matched with no variables read
            assert variables == expected[1], path
