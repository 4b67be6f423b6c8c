"""The spec's data: openapi/tables.yaml and the overlay openapi/overlay.yaml, checked on load,
and the Overlay 1.0 subset that applies the overlay."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml
from spec_pipeline import spec_data
from spec_pipeline.build import MERGED_SPEC, RULES, build_spec
from spec_pipeline.oas import operations
from spec_pipeline.overlay_actions import OverlayError, apply, parse_actions, parse_target
from spec_pipeline.spec_data import OVERLAY_FILE, TABLES_FILE, SpecDataError, tables
from spec_pipeline.yamlio import load_yaml

MERGED = load_yaml(MERGED_SPEC)
TABLES = load_yaml(TABLES_FILE)
OVERLAY = load_yaml(OVERLAY_FILE)


def test_the_committed_tables_load() -> None:
    loaded = tables()
    assert loaded.operation_ids[("delete", "/v0.3/legs/{leg_id}")] == "deleteLeg"
    assert loaded.parameters[("query", "page_size")] == "PageSize"
    assert loaded.bodies[0] == spec_data.Body("Conversation", "getConversation", "200")
    assert loaded.parts[0].at[:3] == ("components", "schemas", "ConversationPage")
    assert loaded.error_responses["413"].only_with_request_body
    assert not loaded.error_responses["400"].only_with_request_body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.pop("bodies"), r"bodies must be a list"),
        (lambda t: t["bodies"][2].pop("operation"), r"bodies\[2\] must have exactly the fields"),
        (lambda t: t["bodies"][0].update(body="404"), r"bodies\[0\].body must be `request` or"),
        (lambda t: t["parts"][1].update(at="/components"), r"parts\[1\].at must be a JSON pointer"),
        (
            lambda t: t["operation-ids"].update({"FETCH /v0.3/x": "x"}),
            r"operation-ids\['FETCH /v0.3/x'\] key must be `GET\|PUT",
        ),
        (
            lambda t: t["parameters"].update({"body x": "X"}),
            r"parameters\['body x'\] key must be `path\|query",
        ),
        (
            lambda t: t["resource-ids"].update(User=[]),
            r"resource-ids\['User'\] must be a non-empty",
        ),
        (
            lambda t: t["error-responses"]["413"].update({"only-with-request-body": "yes"}),
            r"error-responses\['413'\].only-with-request-body must be true or false",
        ),
        (lambda t: t.update(colours={}), r"colours is no table a rule reads"),
        (lambda t: t["v02-twins"].update(listUsers=""), r"v02-twins\['listUsers'\] must be a non"),
    ],
)
def test_a_badly_shaped_table_is_an_error_naming_the_file_and_the_entry(
    tmp_path: Path, change: Any, message: str
) -> None:
    document = copy.deepcopy(TABLES)
    change(document)
    written = tmp_path / "tables.yaml"
    written.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    with pytest.raises(SpecDataError, match=message) as raised:
        spec_data._read_tables(written)
    assert str(raised.value).startswith(f"{written}: ")


def test_the_overlay_is_overlay_1_0_and_every_action_names_a_rule() -> None:
    assert OVERLAY["overlay"] == "1.0.0"
    named = {action.rule for action in spec_data.overlay()}
    applying = {rule.id for rule in RULES if "overlay" in rule.data}
    assert named == applying == {"error-responses", "stateful-links"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda o: o.update(overlay="2.0.0"), r"is no Overlay 1.x document"),
        (lambda o: o.pop("info"), r"info is missing"),
        (lambda o: o.update(actions=[]), r"actions must be a non-empty list"),
        (lambda o: o["actions"][1].pop("x-rule"), r"actions\[1\] must name the rule"),
        (lambda o: o["actions"][0].update(remove=True), r"actions\[0\] must have either"),
        (lambda o: o["actions"][0].pop("update"), r"actions\[0\] must have either"),
        (
            lambda o: o["actions"][2].update(target="$.paths..links"),
            r"actions\[2\].target cannot read '..links'",
        ),
    ],
)
def test_a_bad_overlay_is_an_error_naming_the_action(change: Any, message: str) -> None:
    document = copy.deepcopy(OVERLAY)
    change(document)
    with pytest.raises(OverlayError, match=message):
        parse_actions(document, Path("openapi/overlay.yaml"))


def test_an_action_for_a_rule_that_applies_none_stops_the_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    actions = spec_data.overlay()
    typo = dataclasses.replace(actions[0], rule="error-response")
    monkeypatch.setattr(spec_data, "overlay", lambda: (typo, *actions[1:]))
    with pytest.raises(SpecDataError, match=r"actions\[0\] names x-rule 'error-response'"):
        build_spec()


@pytest.mark.parametrize(
    ("target", "selected"),
    [
        ("$.info", [("info",)]),
        ("$['info'].title", [("info", "title")]),
        ("$.paths['/v0.3/legs'].get", [("paths", "/v0.3/legs", "get")]),
        ("$.paths.*[?@.operationId == 'listLegs']", [("paths", "/v0.3/legs", "get")]),
        ("$.paths.*[?(@.operationId=='listLegs')]", [("paths", "/v0.3/legs", "get")]),
        ("$.paths.*[?@.operationId == 'nothing']", []),
        ("$.tags[*].name", [("tags", index, "name") for index in range(5)]),
    ],
)
def test_targets_select_what_jsonpath_selects(target: str, selected: list[tuple[Any, ...]]) -> None:
    from spec_pipeline.overlay_actions import select  # noqa: PLC0415 - one test's helper

    found = select(MERGED, parse_target(target))
    assert [parent[key] for parent, key in found] == [
        _at(MERGED, location) for location in selected
    ]


def _at(document: Any, location: tuple[Any, ...]) -> Any:
    for step in location:
        document = document[step]
    return document


def _action(target: str, **fields: Any) -> Any:
    (action,) = parse_actions(
        {"overlay": "1.0.0", "info": {}, "actions": [{"target": target, "x-rule": "r", **fields}]},
        Path("o.yaml"),
    )
    return action


def test_update_merges_objects_key_by_key_and_appends_to_lists() -> None:
    document: dict[str, Any] = {"a": {"keep": 1, "deep": {"x": 1}, "list": [1]}}
    update: dict[str, Any] = {"deep": {"y": 2}, "list": [2], "new": "n", "keep": 0}
    assert apply(document, _action("$.a", update=update)) == 1
    assert document == {"a": {"keep": 0, "deep": {"x": 1, "y": 2}, "list": [1, 2], "new": "n"}}
    assert list(document["a"]) == ["keep", "deep", "list", "new"]
    update["deep"]["y"] = 3  # the document holds a copy
    assert document["a"]["deep"]["y"] == 2


def test_remove_removes_every_selected_node_and_nothing_selected_changes_nothing() -> None:
    document = copy.deepcopy(MERGED)
    removed = apply(document, _action("$.paths.*[?@.tags == 'x']", remove=True))
    assert (removed, document) == (0, MERGED)
    deletes = _action("$.paths.*.delete", remove=True)
    assert apply(document, deletes) == 3  # of a conversation, an event, a leg
    assert [method for _, method, _ in operations(document)].count("delete") == 0
    with pytest.raises(OverlayError, match="cannot update a str"):
        apply(document, _action("$.openapi", update={"a": 1}))


def test_the_build_checks_the_tables_before_any_rule_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = copy.deepcopy(TABLES)
    del broken["bodies"][5]["body"]
    written = tmp_path / "tables.yaml"
    written.write_text(yaml.safe_dump(broken, sort_keys=False), encoding="utf-8")
    monkeypatch.setattr(spec_data, "TABLES_FILE", written)
    spec_data.tables.cache_clear()
    try:
        with pytest.raises(SpecDataError) as raised:
            build_spec()
    finally:
        spec_data.tables.cache_clear()
    assert str(raised.value) == (
        f"{written}: bodies[5] must have exactly the fields schema, operation, body"
    )
