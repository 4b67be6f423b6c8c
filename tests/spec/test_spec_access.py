"""vonage_conversation_spec: resolving, walking and listing the operations of a spec."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from spec_pipeline.build import MERGED_SPEC
from spec_pipeline.yamlio import load_yaml
from vonage_conversation_spec import (
    SpecLookupError,
    find_operation,
    format_location,
    get_in,
    load_json,
    mappings,
    operation_at,
    operations,
    ref_location,
    ref_name,
    ref_to,
    resolve,
    schemas,
    success_response,
)

MERGED = load_yaml(MERGED_SPEC)

DOCUMENT: dict[str, Any] = {
    "paths": {
        "/a/{id}": {
            "parameters": [
                {"$ref": "#/components/parameters/Id"},
                {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
            ],
            "post": {"operationId": "createA", "responses": {"201": {"description": "made"}}},
            "get": {
                "operationId": "getA",
                "tags": ["a", "b"],
                "parameters": [{"name": "verbose", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                    "404": {"$ref": "#/components/responses/NotFound"},
                    "200": {"$ref": "#/components/responses/A"},
                },
            },
            "summary": "not an operation",
        }
    },
    "components": {
        "parameters": {"Id": {"name": "id", "in": "path", "schema": {"$ref": "#/x~1y"}}},
        "responses": {
            "A": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}},
            "NotFound": {"description": "no"},
        },
        "schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "object"}},
    },
    "x/y": {"type": "string"},
}


def test_operations_are_listed_in_document_and_method_order() -> None:
    found = operations(DOCUMENT)
    assert [(each.method, each.path, each.operation_id) for each in found] == [
        ("get", "/a/{id}", "getA"),
        ("post", "/a/{id}", "createA"),
    ]
    assert [each.tag for each in found] == ["a", None]
    assert found[0].label == "GET /a/{id}"


def test_an_operation_s_parameters_are_resolved_and_its_own_override_the_path_item_s() -> None:
    get, post = operations(DOCUMENT)
    assert [(p["name"], p["schema"]) for p in get.parameters] == [
        ("id", {"$ref": "#/x~1y"}),
        ("verbose", {"type": "string"}),
    ]
    assert [p["schema"]["type"] for p in post.parameters[1:]] == ["boolean"]


def test_resolve_follows_a_chain_of_refs_to_the_same_object() -> None:
    target = resolve(DOCUMENT, {"$ref": "#/components/schemas/A"})
    assert target is DOCUMENT["components"]["schemas"]["B"]
    assert resolve(DOCUMENT, {"$ref": "#/x~1y"}) == {"type": "string"}  # escaped `/`
    plain = {"type": "integer"}
    assert resolve(DOCUMENT, plain) is plain


def test_resolve_names_a_ref_to_nothing_and_a_cycle() -> None:
    with pytest.raises(SpecLookupError, match="'#/components/schemas/C' points at nothing"):
        resolve(DOCUMENT, {"$ref": "#/components/schemas/C"})
    looped = {"components": {"schemas": {"A": {"$ref": "#/components/schemas/A"}}}}
    with pytest.raises(SpecLookupError, match="cycle"):
        resolve(looped, {"$ref": "#/components/schemas/A"})
    with pytest.raises(SpecLookupError, match="not local"):
        resolve(DOCUMENT, {"$ref": "other.yaml#/A"})


def test_success_response_is_the_first_2xx_with_its_json_schema() -> None:
    assert success_response(DOCUMENT, find_operation(DOCUMENT, "getA").node) == (
        "200",
        {"$ref": "#/components/schemas/A"},
    )
    assert operation_at(DOCUMENT, "POST", "/a/{id}").success_response() == ("201", None)
    assert success_response(DOCUMENT, {"responses": {"404": {}}}) == ("", None)


def test_lookups_name_what_is_missing() -> None:
    with pytest.raises(SpecLookupError, match=r"no operation DELETE /a/\{id\}"):
        operation_at(DOCUMENT, "delete", "/a/{id}")
    with pytest.raises(SpecLookupError, match="no operation 'deleteA'"):
        find_operation(DOCUMENT, "deleteA")
    with pytest.raises(SpecLookupError, match="nothing at /paths/~1b"):
        get_in(DOCUMENT, ("paths", "/b"))


def test_locations_and_refs() -> None:
    assert format_location(("paths", "/a/{id}", "get")) == "/paths/~1a~1{id}/get"
    assert ref_location("#/paths/~1a~1{id}/get") == ("paths", "/a/{id}", "get")
    assert ref_name(ref_to("Leg")) == "Leg"
    assert ref_to("Id", "parameters") == {"$ref": "#/components/parameters/Id"}
    assert ref_name({"type": "string"}) is None


def test_walks_reach_every_mapping_and_every_schema_of_the_merged_spec() -> None:
    assert sum(1 for _ in mappings({"a": [{"b": {}}]})) == 3
    found = dict(schemas(MERGED))
    assert ("components", "schemas", "Leg") in found
    assert ("components", "parameters", "PageSize", "schema") in found
    assert found[("components", "schemas", "Error", "properties", "title")]["type"] == "string"


def test_load_json(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    assert load_json(path) == DOCUMENT
    shipped = load_json(files("vonage_conversation_api") / "openapi.json")
    assert [each.operation_id for each in operations(shipped)] == [
        each.operation_id for each in operations(MERGED)
    ]


def test_every_operation_of_the_merged_spec_has_an_id_and_a_tag() -> None:
    found = operations(MERGED)
    assert len(found) == 22
    assert all(each.operation_id and each.tag for each in found)
    legs = find_operation(MERGED, "listLegs")
    assert [p["name"] for p in legs.parameters] == ["page_size", "record_index"]
    assert legs.success_response() == ("200", {"$ref": "#/components/schemas/LegPage"})
