"""Every example payload of both seed documents parses with the generated models, and
`to_dict()` gives back equivalent JSON (timestamps compare as instants).

v0.3 examples are the page's request and response payloads; v0.2 has field examples only, so
its payloads are assembled from them, schema by schema.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from dateutil.parser import isoparse
from seed_documents import v03_page_operations
from spec_pipeline.build import MERGED_SPEC, V02_SOURCE
from vonage_conversation_api import models
from vonage_conversation_spec import ref_name

SPEC = yaml.safe_load(MERGED_SPEC.read_text(encoding="utf-8"))
V02 = yaml.safe_load(V02_SOURCE.read_text(encoding="utf-8"))


def equivalent(left: Any, right: Any) -> bool:
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(equivalent(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(equivalent, left, right))
    if isinstance(left, str) and isinstance(right, str) and left != right:
        try:
            return isoparse(left) == isoparse(right)
        except ValueError:
            return False
    return bool(left == right) and type(left) is type(right)


def model_of(schema: dict[str, Any], payload: Any) -> Any:
    """The model of a schema; for a union of kinds, the kind whose `type` the payload has."""
    name = ref_name(schema)
    kinds = SPEC["components"]["schemas"][name].get("anyOf")
    if kinds is None:
        return getattr(models, name)
    for kind in kinds:
        kind_name = ref_name(kind)
        type_schema = SPEC["components"]["schemas"][kind_name]["properties"]["type"]
        if payload["type"] in type_schema.get("enum", [payload["type"]]):
            return getattr(models, kind_name)
    raise AssertionError(f"no kind of {name} takes {payload['type']!r}")


def _merged_operation(method: str, path: str) -> dict[str, Any]:
    return dict(SPEC["paths"][f"/v0.3{path}"][method])


def _success_schema(operation: dict[str, Any]) -> dict[str, Any]:
    for status, response in operation["responses"].items():
        if status.startswith("2") and "content" in response:
            return dict(response["content"]["application/json"]["schema"])
    raise AssertionError("no success body")


def _v03_payloads() -> list[Any]:
    cases = []
    for page_op in v03_page_operations():
        operation = _merged_operation(page_op.method, page_op.path)
        label = f"{page_op.method} {page_op.path}"
        if page_op.request_example is not None:
            schema = operation["requestBody"]["content"]["application/json"]["schema"]
            example = page_op.request_example
            cases.append(pytest.param(model_of(schema, example), example, id=f"{label} request"))
        if page_op.response_example is not None:
            model = model_of(_success_schema(operation), page_op.response_example)
            cases.append(pytest.param(model, page_op.response_example, id=f"{label} response"))
    return cases


def assemble(schema: dict[str, Any]) -> Any:
    """The payload a v0.2 schema's field examples describe."""
    if "$ref" in schema:
        return assemble(V02["components"]["schemas"][ref_name(schema)])
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(assemble(part))
        return merged
    if "properties" in schema:
        return {name: assemble(prop) for name, prop in schema["properties"].items()}
    if schema.get("type") == "array":
        items = schema["items"]
        if "$ref" in items:
            items = V02["components"]["schemas"][ref_name(items)]
        # A list of anyOf kinds (the v0.2 events) holds one item of each kind.
        return [assemble(option) for option in items.get("anyOf", [items])]
    example = schema.get("example")
    if isinstance(example, dt.datetime):  # the unquoted v0.2 timestamp loads as a datetime
        return example.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return example


# v0.2 schema -> the merged schema that parses it
V02_SCHEMAS = {
    "text_event": "TextEvent",
    "custom_event": "CustomEvent",
    "member_invited_event": "MemberInvitedEvent",
    "member_left_event": "MemberLeftEvent",
    "member": "Member",
    "member_list": "Member",
    "conversation_list": "ConversationSummary",
    "user_list": "User",
}
V02_LISTS = {
    "/conversations": "ConversationPageV02",
    "/users": "UserPage",
    "/conversations/{conversation_id}/members": "MemberPageV02",
    "/conversations/{conversation_id}/events": "EventPageV02",
}


def _v02_payloads() -> list[Any]:
    cases = [
        pytest.param(getattr(models, merged), assemble(V02["components"]["schemas"][name]), id=name)
        for name, merged in V02_SCHEMAS.items()
    ]
    for path, merged in V02_LISTS.items():
        schema = V02["paths"][path]["get"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]
        cases.append(pytest.param(getattr(models, merged), assemble(schema), id=f"GET {path}"))
    return cases


@pytest.mark.parametrize(("model", "payload"), _v03_payloads())
def test_v03_example_round_trips(model: Any, payload: Any) -> None:
    assert equivalent(model.from_dict(payload).to_dict(), payload)


@pytest.mark.parametrize(("model", "payload"), _v02_payloads())
def test_v02_example_round_trips(model: Any, payload: Any) -> None:
    assert payload, "the assembled payload is empty"
    assert equivalent(model.from_dict(payload).to_dict(), payload)


def test_timestamps_parse_into_datetimes() -> None:
    member = models.Member.from_dict(
        {"id": "MEM-1", "timestamp": {"joined": "2020-01-01T14:00:00.00Z"}}
    )
    assert member.timestamp.joined == dt.datetime(2020, 1, 1, 14, tzinfo=dt.timezone.utc)
