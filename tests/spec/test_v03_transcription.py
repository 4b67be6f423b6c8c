"""The v0.3 source holds everything the reference page shows, and nothing it does not.

The page lists each operation's fields as a flattened tree (name, type, Requerido, Min/Max,
default, example, description, enum). Flattening the transcribed schemas the same way must give
the same list, field for field, in the same order.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

import pytest
from seed_documents import V03_SEED, PageField, PageOperation, v03_page_operations
from spec_pipeline.build import V03_SOURCE
from spec_pipeline.yamlio import load_yaml

SOURCE = load_yaml(V03_SOURCE)
PAGE = v03_page_operations()


def _type_label(schema: dict[str, Any]) -> str:
    if "oneOf" in schema:
        return "Uno de"
    label = str(schema["type"])
    return f"{label}({schema['format']})" if "format" in schema else label


def _example_label(example: Any) -> str | None:
    if example is None:
        return None
    if isinstance(example, (dict, list)):
        return json.dumps(example, sort_keys=True)
    return str(example)


def _as_page_field(
    name: str, schema: dict[str, Any], required: bool, description: str
) -> PageField:
    bounds = (
        ("minLength", "maxLength") if schema.get("type") == "string" else ("minimum", "maximum")
    )
    low, high = (schema.get(key) for key in bounds)
    return PageField(
        name=name,
        type=_type_label(schema),
        required=required,
        min=None if low is None else str(low),
        max=None if high is None else str(high),
        default=None if "default" not in schema else str(schema["default"]),
        example=_example_label(schema.get("example")),
        enum="".join(schema["enum"]) if "enum" in schema else None,
        description=" ".join(description.split()),
    )


def _flatten(schema: dict[str, Any]) -> list[PageField]:
    """Fields of a schema in the page's order: each property, then what is nested in it."""
    fields: list[PageField] = []
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        fields.append(_as_page_field(name, prop, name in required, prop.get("description", "")))
        if "oneOf" in prop:
            for variant in prop["oneOf"]:
                fields += _flatten(variant)
        elif isinstance(prop.get("items"), dict):
            fields += _flatten(prop["items"])
        else:
            fields += _flatten(prop)
    return fields


def _normalised(fields: list[PageField]) -> list[dict[str, Any]]:
    """Page fields with their JSON examples made comparable with the source's."""
    rows = []
    for each in fields:
        row = asdict(each)
        if each.example is not None and each.example[:1] in "[{":
            row["example"] = json.dumps(json.loads(each.example), sort_keys=True)
        rows.append(row)
    return rows


def _source_operation(page_op: PageOperation) -> dict[str, Any]:
    operation: dict[str, Any] = SOURCE["paths"][page_op.path][page_op.method]
    return operation


def _params(operation: dict[str, Any], where: str) -> list[PageField]:
    return [
        _as_page_field(p["name"], p["schema"], p.get("required", False), p.get("description", ""))
        for p in operation.get("parameters", [])
        if p["in"] == where
    ]


def _only_response(operation: dict[str, Any]) -> dict[str, Any]:
    (found,) = operation["responses"].values()
    return dict(found)


def test_every_page_operation_is_transcribed_and_nothing_else() -> None:
    page = {(op.method, op.path) for op in PAGE}
    source = {(method, path) for path, item in SOURCE["paths"].items() for method in item}
    assert len(PAGE) == 18
    assert source == page


@pytest.mark.parametrize("page_op", PAGE, ids=lambda op: f"{op.method} {op.path}")
class TestOperation:
    def test_title_and_description(self, page_op: PageOperation) -> None:
        operation = _source_operation(page_op)
        expected = [operation["summary"]]
        if "description" in operation:
            expected.append(operation["description"])
        assert page_op.title_lines[-len(expected) :] == expected

    def test_path_parameters(self, page_op: PageOperation) -> None:
        assert _normalised(_params(_source_operation(page_op), "path")) == _normalised(
            page_op.path_params
        )

    def test_query_parameters(self, page_op: PageOperation) -> None:
        assert _normalised(_params(_source_operation(page_op), "query")) == _normalised(
            page_op.query_params
        )

    def test_request_body_fields_and_example(self, page_op: PageOperation) -> None:
        operation = _source_operation(page_op)
        if "requestBody" not in operation:
            assert page_op.request_fields == []
            return
        media = operation["requestBody"]["content"]["application/json"]
        assert _normalised(_flatten(media["schema"])) == _normalised(page_op.request_fields)
        assert media["example"] == page_op.request_example

    def test_response_fields_and_example(self, page_op: PageOperation) -> None:
        found = _only_response(_source_operation(page_op))
        assert found["description"] == page_op.response_description
        media = found.get("content", {}).get("application/json", {})
        assert _normalised(_flatten(media.get("schema", {}))) == _normalised(
            page_op.response_fields
        )
        assert media.get("example") == page_op.response_example


def test_status_codes_follow_the_page_wording() -> None:
    """The page prints no status code: "Created" reads 201, "no content" 204, the rest 200."""
    for page_op in PAGE:
        (status,) = _source_operation(page_op)["responses"]
        wording = page_op.response_description
        expected = "201" if wording == "Created" else "204" if "no content" in wording else "200"
        assert status == expected, f"{page_op.method} {page_op.path}"


def test_every_operation_shows_the_bearer_jwt() -> None:
    page = V03_SEED.read_text(encoding="utf-8")
    assert page.count("Bearer <JWT>") == 18
    for path, item in SOURCE["paths"].items():
        for method, operation in item.items():
            assert operation["security"] == [{"bearerAuth": []}], f"{method} {path}"


def test_tags_carry_the_page_descriptions() -> None:
    page = V03_SEED.read_text(encoding="utf-8").splitlines()
    for tag in SOURCE["tags"]:
        heading = page.index(tag["name"])
        assert page[heading + 2] == tag["description"]
