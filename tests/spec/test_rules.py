"""One test per normalisation rule of the sources (rules_common, rules_v03, rules_v02): the fault
is in the source, and gone from the merged spec.

Each test is named after its rule (`test_<rule_id>`); openapi/NORMALISATION.md points here. The
merged spec's rules are tested in test_rules_merged.py.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
import yaml
from rules_support import (
    MERGED,
    PARAMETERS,
    SCHEMAS,
    V02,
    V03,
    body_schema,
    example,
    op,
    ref,
    v03_op,
    v03_response,
    validator,
    values,
)
from spec_pipeline.build import MERGED_SPEC, ROOT, RULES, V02_SOURCE
from spec_pipeline.docs import rule_test_file, rule_test_name
from spec_pipeline.oas import parameters, schemas


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}


def test_every_rule_has_its_test() -> None:
    """In the file NORMALISATION.md names for it."""
    missing = [
        rule.id
        for rule in RULES
        if rule_test_name(rule) not in _test_names(ROOT / rule_test_file(rule))
    ]
    assert missing == []
    assert {rule_test_file(rule) for rule in RULES} == {
        "tests/spec/test_rules.py",
        "tests/spec/test_rules_merged.py",
    }


def test_schemas_declare_object_type() -> None:
    conversations = V02["paths"]["/conversations"]["get"]["responses"]["200"]
    assert "type" not in conversations["content"]["application/json"]["schema"]
    untyped = [loc for loc, s in schemas(MERGED) if "properties" in s and "type" not in s]
    assert untyped == []
    assert SCHEMAS["ConversationPageV02"]["type"] == "object"


def test_page_size_integer() -> None:
    assert v03_op("get", "/conversations")["parameters"][2]["schema"]["type"] == "number"
    assert PARAMETERS["PageSize"]["schema"]["type"] == "integer"
    page_sizes = [
        s["properties"]["page_size"]
        for _, s in schemas(MERGED)
        if "page_size" in s.get("properties", {})
    ]
    assert len(page_sizes) == 9  # five v0.3 pages, four v0.2 pages
    assert {size["type"] for size in page_sizes} == {"integer"}


def test_date_filters_rfc3339() -> None:
    source = v03_op("get", "/conversations")["parameters"][0]["schema"]
    assert (source["format"], source["example"]) == ("dateTime", "2018-01-01 10:00:00")
    for name in ("DateStart", "DateEnd"):
        schema = PARAMETERS[name]["schema"]
        assert schema["format"] == "date-time"
        dt.datetime.fromisoformat(schema["example"].replace("Z", "+00:00"))
    assert PARAMETERS["DateStart"]["schema"]["example"] == "2018-01-01T10:00:00Z"


def test_event_id_string() -> None:
    assert V02["components"]["schemas"]["event"]["properties"]["id"]["type"] == "integer"
    assert SCHEMAS["Event"]["properties"]["id"]["type"] == "string"
    assert PARAMETERS["EventId"]["schema"]["type"] == "string"


def test_example_types_match_schema() -> None:
    raw = yaml.safe_load(V02_SOURCE.read_text(encoding="utf-8"))
    assert isinstance(
        raw["components"]["schemas"]["event"]["properties"]["timestamp"]["example"], dt.datetime
    )
    assert raw["components"]["parameters"]["start_id_parameter"]["example"] == 13
    raw_merged = yaml.safe_load(MERGED_SPEC.read_text(encoding="utf-8"))
    assert not [value for value in values(raw_merged) if isinstance(value, (dt.date, dt.datetime))]
    assert PARAMETERS["StartId"]["example"] == "13"


def test_timestamps_date_time() -> None:
    member_timestamp = v03_response("get", "/conversations/{conversation_id}/members/me")["schema"]
    assert "format" not in member_timestamp["properties"]["timestamp"]["properties"]["joined"]
    stamps = [
        SCHEMAS["MemberTimestamp"]["properties"][name] for name in ("invited", "joined", "left")
    ] + [
        SCHEMAS["ConversationTimestamp"]["properties"]["created"],
        SCHEMAS["Event"]["properties"]["timestamp"],
        SCHEMAS["CreatedEvent"]["properties"]["timestamp"],
        SCHEMAS["Leg"]["properties"]["start_time"],
        SCHEMAS["Leg"]["properties"]["end_time"],
    ]
    assert {stamp.get("format") for stamp in stamps} == {"date-time"}


def test_url_format_is_uri() -> None:
    assert any(s.get("format") == "url" for _, s in schemas(V03))
    assert not any(s.get("format") == "url" for _, s in schemas(MERGED))
    assert SCHEMAS["Event"]["properties"]["href"]["format"] == "uri"


def test_array_example_on_scalar() -> None:
    state = v03_response("get", "/conversations/{conversation_id}/members/me")["schema"]
    assert state["properties"]["state"]["example"] == ["LEFT", "JOINED"]
    assert not [
        loc
        for loc, s in schemas(MERGED)
        if isinstance(s.get("example"), list) and s.get("type") != "array"
    ]


def test_member_links_self() -> None:
    member = v03_response("get", "/conversations/{conversation_id}/members/me")
    assert set(member["schema"]["properties"]["_links"]["properties"]) == {"href"}
    assert set(member["example"]["_links"]) == {"href"}
    assert SCHEMAS["Member"]["properties"]["_links"] == ref("SelfLinks")
    assert set(example("getMember", "200")["_links"]) == {"self"}
    members = example("listMembers", "200")["_embedded"]["members"]
    assert [set(member["_links"]) for member in members] == [{"self"}]


def test_page_links_flat() -> None:
    source = v03_response("get", "/users/{user_id}/conversations")
    assert set(source["schema"]["properties"]["_links"]["properties"]) == {"self"}
    assert body_schema("listUserConversations", "200") == ref("ConversationPage")
    assert set(SCHEMAS["PageLinks"]["properties"]) == {"first", "self", "next", "prev"}
    for operation_id in ("listUserConversations", "listUserSessions"):
        assert set(example(operation_id, "200")["_links"]) == {"first", "self", "next", "prev"}


def test_event_list_links_v03() -> None:
    source = v03_response("get", "/conversations/{conversation_id}/events")["example"]
    assert source["_links"]["self"]["href"].startswith("https://api.nexmo.com/v0.2/")
    links = example("listEvents", "200")["_links"].values()
    assert {link["href"][:29] for link in links} == {"https://api.nexmo.com/v0.3/co"}


def test_legs_count_integer() -> None:
    source = v03_response("get", "/legs")
    assert source["schema"]["properties"]["count"]["type"] == "number"
    assert source["example"]["count"] == "100"
    page = SCHEMAS["LegPage"]["properties"]
    assert (page["count"]["type"], page["record_index"]["type"]) == ("integer", "integer")
    assert example("listLegs", "200")["count"] == 100


def test_legs_end_time() -> None:
    assert "start_end" in v03_response("get", "/legs")["example"]["_embedded"]["legs"][0]
    assert "end_time" in SCHEMAS["Leg"]["properties"]
    assert "start_end" not in SCHEMAS["Leg"]["properties"]
    assert "end_time" in example("listLegs", "200")["_embedded"]["legs"][0]


def test_legs_paging_parameters() -> None:
    assert "parameters" not in v03_op("get", "/legs")
    assert op("listLegs")["parameters"] == [
        {"$ref": "#/components/parameters/PageSize"},
        {"$ref": "#/components/parameters/RecordIndex"},
    ]
    assert PARAMETERS["RecordIndex"]["schema"]["minimum"] == 0


def test_channel_endpoint_kinds() -> None:
    channel = v03_op("post", "/conversations/{conversation_id}/members")["requestBody"]
    from_ = channel["content"]["application/json"]["schema"]["properties"]["channel"]["properties"][
        "from"
    ]
    assert len(from_["oneOf"]) == 1
    assert SCHEMAS["Channel"]["properties"]["from"] == ref("ChannelEndpoint")
    assert SCHEMAS["ConversationRequest"]["properties"]["numbers"]["items"] == ref(
        "ChannelEndpoint"
    )
    numbers = v03_op("post", "/conversations")["requestBody"]["content"]["application/json"][
        "example"
    ]["numbers"]
    fields = {key for number in numbers for key in number}
    assert fields <= set(SCHEMAS["ChannelEndpoint"]["properties"])
    for number in numbers:
        validator("ChannelEndpoint").validate(number)


def test_conversation_numbers_by_type() -> None:
    numbers = SCHEMAS["Conversation"]["properties"]["numbers"]
    assert numbers["additionalProperties"] == ref("ChannelEndpoint")
    conversation = validator("Conversation")
    conversation.validate({"id": "CON-1", "numbers": {}})
    phone = {"type": "phone", "number": "447700900000"}
    conversation.validate({"id": "CON-1", "numbers": {"phone": phone}})
    assert not conversation.is_valid({"id": "CON-1", "numbers": {"phone": "447700900000"}})


def test_create_member_user_required() -> None:
    request = validator("CreateMemberRequest")
    assert not request.is_valid({"state": "joined"})
    assert not request.is_valid({"user": {}})
    assert not request.is_valid({"user": {"nickname": "alice"}})
    assert not request.is_valid({"user": {"id": ""}})
    assert not request.is_valid({"user": {"name": ""}})
    request.validate({"user": {"name": "alice"}})
    request.validate({"user": {"id": "USR-1"}})


def test_create_member_state_default() -> None:
    assert SCHEMAS["CreateMemberRequest"]["properties"]["state"]["default"] == "invited"


def test_create_returns_201() -> None:
    assert "200" in v03_op("post", "/conversations/{conversation_id}/members")["responses"]
    for operation_id in ("createConversation", "createMember", "createEvent"):
        successes = [status for status in op(operation_id)["responses"] if status.startswith("2")]
        assert successes == ["201"]


def test_empty_json_body_schema() -> None:
    assert "schema" not in v03_response("delete", "/legs/{leg_id}")
    for operation_id in ("deleteEvent", "deleteLeg"):
        assert body_schema(operation_id, "200") == ref("Empty")
    assert validator("Empty").is_valid({})
    assert not validator("Empty").is_valid({"ok": True})


def test_event_id_digits() -> None:
    for name in ("EventId", "StartId", "EndId"):
        assert PARAMETERS[name]["schema"]["pattern"] == "^[0-9]+$"
    assert SCHEMAS["Event"]["properties"]["id"]["pattern"] == "^[0-9]+$"
    assert SCHEMAS["CreatedEvent"]["properties"]["id"]["pattern"] == "^[0-9]+$"


def test_v02_member_list_links() -> None:
    text = V02_SOURCE.read_text(encoding="utf-8")
    assert "https://api.nexmo.com/v0.2/members?" in text
    assert "https://api.nexmo.com/v0.2/members?" not in MERGED_SPEC.read_text(encoding="utf-8")


def test_is_system_spelling() -> None:
    assert "is_system" in V02_SOURCE.read_text(encoding="utf-8")
    assert "is_system" not in MERGED_SPEC.read_text(encoding="utf-8")
    assert SCHEMAS["Initiator"]["properties"]["isSystem"]["type"] == "boolean"


def test_doc_renderer_extensions() -> None:
    keys = {key for value in values(MERGED) if isinstance(value, dict) for key in value}
    assert not {key for key in keys if key.startswith("x-")}


def test_users_tag() -> None:
    assert "tags" not in V02["paths"]["/users"]["get"]
    assert op("listUsers")["tags"] == ["user"]


def test_event_kinds_flattened() -> None:
    assert "anyOf" in V02["components"]["schemas"]["all_events"]
    event_fields = set(SCHEMAS["Event"]["properties"])
    for kind in (
        "TextEvent",
        "CustomEvent",
        "MemberInvitedEvent",
        "MemberJoinedEvent",
        "MemberLeftEvent",
    ):
        assert "allOf" not in SCHEMAS[kind]
        assert set(SCHEMAS[kind]["properties"]) >= event_fields
    assert SCHEMAS["TextEvent"]["properties"]["body"]["properties"]["text"]["type"] == "string"
    assert SCHEMAS["MemberLeftEvent"]["properties"]["body"] == ref("Member")
    items = SCHEMAS["EventPageV02"]["properties"]["_embedded"]["properties"]["data"]["properties"]
    assert items["events"]["items"] == ref("Event")


@pytest.mark.parametrize("name", ["date_start", "page_size", "order", "cursor"])
def test_v03_parameter_names_are_kept(name: str) -> None:
    assert name in {p["name"] for p in parameters(MERGED)}
