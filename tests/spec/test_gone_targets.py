"""Sources change both ways: a rule or a data entry whose target is gone warns and is skipped,
and everything else is built as before."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from spec_pipeline import build
from spec_pipeline.build import MERGED_SPEC, V02_SOURCE, V03_SOURCE, build_spec
from spec_pipeline.oas import operations
from spec_pipeline.registry import Specs
from spec_pipeline.rules_finish import (
    resource_ids_required,
    stateful_links,
    v02_lists_deprecated,
)
from spec_pipeline.rules_v03 import create_returns_201, empty_json_body_schema
from spec_pipeline.yamlio import load_yaml

V03 = load_yaml(V03_SOURCE)
V02 = load_yaml(V02_SOURCE)
MERGED = load_yaml(MERGED_SPEC)
GONE = "skipped (its target is gone from the sources)"


def sources(v03: dict[str, Any] | None = None) -> Specs:
    return Specs(v03=copy.deepcopy(v03 or V03), v02=copy.deepcopy(V02))


def without_links() -> dict[str, Any]:
    """The merged spec as `stateful-links` meets it."""
    merged = copy.deepcopy(MERGED)
    for _, _, operation in operations(merged):
        for answer in operation["responses"].values():
            answer.pop("links", None)
    return merged


def test_empty_json_body_schema_skips_a_gone_operation_and_fixes_the_other() -> None:
    specs = sources()
    del specs.v03["paths"]["/legs/{leg_id}"]
    empty_json_body_schema(specs)
    assert specs.warnings == [
        f"DELETE /legs/{{leg_id}}: no operation DELETE /legs/{{leg_id}}: {GONE}"
    ]
    event = specs.v03["paths"]["/conversations/{conversation_id}/events/{event_id}"]["delete"]
    media = event["responses"]["200"]["content"]["application/json"]
    assert media["schema"] == {"$ref": "#/components/schemas/Empty"}
    assert "Empty" in specs.v03["components"]["schemas"]


def test_empty_json_body_schema_adds_no_schema_when_both_targets_are_gone() -> None:
    specs = sources()
    del specs.v03["paths"]["/legs/{leg_id}"]
    del specs.v03["paths"]["/conversations/{conversation_id}/events/{event_id}"]["delete"]
    empty_json_body_schema(specs)
    assert len(specs.warnings) == 2
    assert "Empty" not in specs.v03.get("components", {}).get("schemas", {})


def test_create_returns_201_skips_a_gone_operation() -> None:
    specs = sources()
    del specs.v03["paths"]["/conversations/{conversation_id}/members"]["post"]
    create_returns_201(specs)
    assert specs.warnings == [
        "POST /conversations/{conversation_id}/members: no operation POST "
        f"/conversations/{{conversation_id}}/members: {GONE}"
    ]
    events = specs.v03["paths"]["/conversations/{conversation_id}/events"]["post"]
    assert "201" in events["responses"]


def test_stateful_links_drops_a_link_to_a_gone_operation() -> None:
    merged = without_links()
    del merged["paths"]["/v0.3/legs/{leg_id}"]
    specs = Specs(v03={}, v02={}, merged=merged)
    stateful_links(specs)
    assert specs.warnings == [
        f"link DeleteFirstLeg of GET /v0.3/legs 200: no operation 'deleteLeg': {GONE}"
    ]
    assert "links" not in merged["paths"]["/v0.3/legs"]["get"]["responses"]["200"]
    created = merged["paths"]["/v0.3/conversations"]["post"]["responses"]["201"]["links"]
    assert created == MERGED["paths"]["/v0.3/conversations"]["post"]["responses"]["201"]["links"]


def test_stateful_links_skips_an_action_whose_operation_is_gone() -> None:
    merged = without_links()
    del merged["paths"]["/v0.3/legs"]
    specs = Specs(v03={}, v02={}, merged=merged)
    stateful_links(specs)
    assert specs.warnings == [
        "overlay actions[8] ($.paths.*[?@.operationId == 'listLegs'].responses['200']): its "
        f"target selects nothing: {GONE}"
    ]


def test_v02_lists_deprecated_skips_a_gone_list() -> None:
    merged = copy.deepcopy(MERGED)
    del merged["paths"]["/v0.2/conversations"]
    specs = Specs(v03={}, v02={}, merged=merged)
    v02_lists_deprecated(specs)
    assert specs.warnings == [
        f"v02-twins 'listConversationsV02': no operation 'listConversationsV02': {GONE}"
    ]


def test_resource_ids_required_skips_a_gone_schema() -> None:
    merged = copy.deepcopy(MERGED)
    del merged["components"]["schemas"]["CreatedEvent"]
    specs = Specs(v03={}, v02={}, merged=merged)
    resource_ids_required(specs)
    assert specs.warnings == [f"resource-ids 'CreatedEvent': no schema 'CreatedEvent': {GONE}"]
    assert merged["components"]["schemas"]["Member"]["required"][0] == "id"


def test_the_build_skips_a_rule_whose_one_target_is_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`legs-count-integer` has one target, the legs list: without it, the rule is skipped."""
    v03 = copy.deepcopy(V03)
    del v03["paths"]["/legs"]
    monkeypatch.setattr(build, "load_sources", lambda: sources(v03))
    warnings: list[str] = []
    merged = build_spec(warnings=warnings)
    assert f"rule legs-count-integer: the whole rule: no operation GET /legs: {GONE}" in warnings
    assert "/v0.3/legs" not in merged["paths"]
    assert "/v0.3/legs/{leg_id}" in merged["paths"]
    assert all(GONE in warning for warning in warnings), warnings
