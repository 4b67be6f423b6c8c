"""Every v0.3 source operation is in the merged spec, with its parameters and constraints."""

from __future__ import annotations

from typing import Any

import pytest
from spec_pipeline.build import MERGED_SPEC, V03_SOURCE
from spec_pipeline.oas import operations
from spec_pipeline.yamlio import load_yaml
from vonage_conversation_spec import resolve as resolve_ref

V03 = load_yaml(V03_SOURCE)
MERGED = load_yaml(MERGED_SPEC)
CONSTRAINTS = ("minimum", "maximum", "minLength", "maxLength", "default", "pattern")
# Type changes a rule makes on purpose: (source type, merged type) -> rule.
RETYPED = {("number", "integer"): "page-size-integer / legs-count-integer"}


def resolve(node: Any) -> Any:
    """Follow $refs (to parameters or schemas) and open-enum wrappers to the schema they name."""
    while isinstance(node, dict):
        if "$ref" in node:
            node = resolve_ref(MERGED, node)
        elif "anyOf" in node and node["anyOf"][-1] == {"type": "string"}:
            node = node["anyOf"][0]
        else:
            return node
    return node


def same_constraints(source: dict[str, Any], merged: dict[str, Any], where: str) -> None:
    merged = resolve(merged)
    for key in CONSTRAINTS:
        if key in source:
            assert merged.get(key) == source[key], f"{where}: {key}"
    if "enum" in source:
        assert set(merged["enum"]) == set(source["enum"]), f"{where}: enum"
    if "type" in source and source["type"] != merged.get("type"):
        assert (source.get("type"), merged.get("type")) in RETYPED, f"{where}: type"


V03_OPERATIONS = [
    pytest.param(method, path, op, id=f"{method} {path}") for path, method, op in operations(V03)
]


@pytest.mark.parametrize(("method", "path", "source"), V03_OPERATIONS)
def test_operation_is_kept_with_its_parameters(
    method: str, path: str, source: dict[str, Any]
) -> None:
    merged_op = MERGED["paths"][f"/v0.3{path}"][method]
    merged_params = {
        (param["in"], param["name"]): param
        for param in map(resolve, merged_op.get("parameters", []))
    }
    source_params = {(param["in"], param["name"]): param for param in source.get("parameters", [])}
    # Only list legs gains parameters (legs-paging-parameters); no parameter is ever dropped.
    assert set(source_params) <= set(merged_params)
    if merged_op["operationId"] != "listLegs":
        assert set(source_params) == set(merged_params)
    for key, param in source_params.items():
        assert merged_params[key].get("required", False) == param.get("required", False)
        same_constraints(param["schema"], merged_params[key]["schema"], f"{method} {path} {key}")


def _properties(schema: dict[str, Any], prefix: str = "") -> dict[str, dict[str, Any]]:
    """Every property of a schema and of what it nests, by its dotted path."""
    found: dict[str, dict[str, Any]] = {}
    schema = resolve(schema)
    for kind in schema.get("anyOf", []):  # a union of kinds (create-event-kinds): each one
        found.update(_properties(kind, prefix))
    for name, prop in schema.get("properties", {}).items():
        found[prefix + name] = prop
        inner = resolve(prop)
        if isinstance(inner.get("items"), dict):
            found.update(_properties(inner["items"], f"{prefix}{name}[]."))
        elif "properties" in inner:
            found.update(_properties(inner, f"{prefix}{name}."))
    return found


WITH_BODY = [case for case in V03_OPERATIONS if "requestBody" in case.values[2]]


@pytest.mark.parametrize(("method", "path", "source"), WITH_BODY)
def test_request_body_fields_keep_their_constraints(
    method: str, path: str, source: dict[str, Any]
) -> None:
    merged_op = MERGED["paths"][f"/v0.3{path}"][method]
    merged = _properties(merged_op["requestBody"]["content"]["application/json"]["schema"])
    wanted = _properties(source["requestBody"]["content"]["application/json"]["schema"])
    # The `from`/`to` oneOf became ChannelEndpoint (channel-endpoint-kinds): its fields differ.
    wanted = {
        name: schema
        for name, schema in wanted.items()
        if ".from." not in name and ".to." not in name
    }
    missing = set(wanted) - set(merged)
    assert missing == set()
    for name, schema in wanted.items():
        same_constraints(schema, merged[name], f"{method} {path} {name}")
