"""One test per normalisation rule: the fault is in the source, and gone from the merged spec.

Each test is named after its rule (`test_<rule_id>`); openapi/NORMALISATION.md points here.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS30Validator
from spec_pipeline.build import MERGED_SPEC, RULES, V02_SOURCE, V03_SOURCE
from spec_pipeline.docs import rule_test_name
from spec_pipeline.oas import NormalisationError, operations, parameters, schemas
from spec_pipeline.registry import Specs
from spec_pipeline.rules_merge import one_document_info
from spec_pipeline.rules_naming import bodies_named, operation_ids, shared_parameters
from spec_pipeline.yamlio import load_yaml
from vonage_conversation_spec import find_operation

JSON = "application/json"
V03 = load_yaml(V03_SOURCE)
V02 = load_yaml(V02_SOURCE)
MERGED = load_yaml(MERGED_SPEC)
SCHEMAS = MERGED["components"]["schemas"]
PARAMETERS = MERGED["components"]["parameters"]


def op(operation_id: str) -> dict[str, Any]:
    return find_operation(MERGED, operation_id).node


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def body_schema(operation_id: str, status: str | None = None) -> Any:
    holder = (
        op(operation_id)["requestBody"] if status is None else op(operation_id)["responses"][status]
    )
    return holder["content"]["application/json"]["schema"]


def example(operation_id: str, status: str) -> Any:
    return op(operation_id)["responses"][status]["content"]["application/json"]["example"]


def v03_op(method: str, path: str) -> dict[str, Any]:
    return dict(V03["paths"][path][method])


def v03_response(method: str, path: str) -> dict[str, Any]:
    (found,) = v03_op(method, path)["responses"].values()
    return dict(found["content"]["application/json"])


def values(node: Any) -> list[Any]:
    """Every value anywhere in a document, depth first."""
    if isinstance(node, dict):
        return [node, *(item for value in node.values() for item in values(value))]
    if isinstance(node, list):
        return [node, *(item for value in node for item in values(value))]
    return [node]


def validator(name: str) -> OAS30Validator:
    return OAS30Validator({**SCHEMAS[name], "components": MERGED["components"]})


def test_every_rule_has_its_test() -> None:
    missing = [rule.id for rule in RULES if rule_test_name(rule) not in globals()]
    assert missing == []


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


def test_versioned_paths() -> None:
    assert MERGED["servers"] == [{"url": "https://api.nexmo.com"}]
    prefixes = {path.split("/")[1] for path in MERGED["paths"]}
    assert prefixes == {"v0.2", "v0.3"}
    assert len([path for path in MERGED["paths"] if path.startswith("/v0.3/")]) == len(V03["paths"])


def test_one_document_info() -> None:
    assert MERGED["info"]["title"] == "Vonage Conversation API"
    assert MERGED["info"]["contact"]["email"] == "devrel@vonage.com"
    assert [tag["name"] for tag in MERGED["tags"]] == [
        "conversation",
        "user",
        "member",
        "event",
        "leg",
    ]


def test_one_document_info_keeps_a_tag_only_v02_has() -> None:
    v02 = copy.deepcopy(V02)
    v02["tags"].append({"name": "device", "description": "Devices"})
    specs = Specs(v03=copy.deepcopy(V03), v02=v02, merged={})
    one_document_info(specs)
    assert [tag["name"] for tag in specs.merged["tags"]][-2:] == ["leg", "device"]
    assert specs.warnings == [
        "the v0.2 tag 'device' is not among v0.3's: kept after them (its operations become a "
        "resource of their own)"
    ]


def built(v03: dict[str, Any], v02: dict[str, Any]) -> Specs:
    """Every rule, in order, on (changed) sources."""
    specs = Specs(v03=v03, v02=v02)
    for each in RULES:
        each(specs)
    return specs


def test_operation_ids() -> None:
    ids = [operation["operationId"] for _, _, operation in operations(MERGED)]
    assert sorted(ids) == sorted(
        [
            *("listConversations", "createConversation", "getConversation"),
            *("updateConversation", "deleteConversation", "listUserConversations"),
            *("listUserSessions", "listMembers", "createMember", "getMyMember", "getMember"),
            *("updateMember", "listEvents", "createEvent", "getEvent", "deleteEvent"),
            *("listLegs", "deleteLeg", "listUsers"),
            *("listConversationsV02", "listMembersV02", "listEventsV02"),
        ]
    )
    assert V02["paths"]["/conversations"]["get"]["operationId"] == "get-conversations"
    assert "operationId" not in v03_op("get", "/conversations")


def merged_without_ids(**added: dict[str, Any]) -> Specs:
    """The merged spec as `operation-ids` meets it (no ids yet), with `added` path items."""
    merged = copy.deepcopy(MERGED)
    for _, _, operation in operations(merged):
        del operation["operationId"]
    merged["paths"].update(added)
    return Specs(v03={}, v02={}, merged=merged)


def answer(schema: dict[str, Any]) -> dict[str, Any]:
    return {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}}


def test_operation_ids_derives_a_missing_id_and_warns() -> None:
    user = {"type": "object", "properties": {"id": {"type": "string"}}}
    page = {"type": "object", "properties": {"_embedded": {"type": "object"}}}
    specs = merged_without_ids(
        **{
            "/v0.3/users/{user_id}": {
                "get": {"responses": answer(user)},
                "delete": {"operationId": "removeUser", "responses": {}},
            },
            "/v0.3/users/{user_id}/devices": {
                "get": {"responses": answer(page)},
                "post": {"responses": answer(user)},
            },
            # Derived as `listConversations`, which v0.3 has: the version tells them apart.
            "/v0.2/conversations": {"get": {"responses": answer(page)}},
        }
    )
    del specs.merged["paths"]["/v0.2/conversations"]["get"]["responses"]
    specs.merged["paths"]["/v0.2/conversations"]["get"]["responses"] = answer(page)
    operation_ids(specs)
    paths = specs.merged["paths"]
    assert paths["/v0.3/users/{user_id}"]["get"]["operationId"] == "getUser"
    assert paths["/v0.3/users/{user_id}"]["delete"]["operationId"] == "removeUser"  # kept
    assert paths["/v0.3/users/{user_id}/devices"]["get"]["operationId"] == "listUserDevices"
    assert paths["/v0.3/users/{user_id}/devices"]["post"]["operationId"] == "createUserDevice"
    # The table still names the v0.2 list its `listConversationsV02`.
    assert paths["/v0.2/conversations"]["get"]["operationId"] == "listConversationsV02"
    assert specs.warnings == [
        f"{what} has no operationId: derived {derived!r} (to choose another, write one in the "
        "source or add it to operation-ids in openapi/tables.yaml)"
        for what, derived in (
            ("GET /v0.3/users/{user_id}", "getUser"),
            ("GET /v0.3/users/{user_id}/devices", "listUserDevices"),
            ("POST /v0.3/users/{user_id}/devices", "createUserDevice"),
        )
    ]
    assert next(iter(paths["/v0.3/users/{user_id}"]["get"])) == "operationId"


def test_operation_ids_adds_the_version_to_a_taken_id_and_stops_only_when_that_is_taken() -> None:
    page = {"type": "object", "properties": {"_embedded": {"type": "object"}}}
    specs = merged_without_ids(**{"/v0.2/legs": {"get": {"responses": answer(page)}}})
    operation_ids(specs)
    assert specs.merged["paths"]["/v0.2/legs"]["get"]["operationId"] == "listLegsV02"
    # `GET /v0.2/legs/` is `listLegs` too, and `listLegsV02` is the source's id for another.
    specs = merged_without_ids(
        **{
            "/v0.2/legs": {"get": {"operationId": "listLegsV02", "responses": {}}},
            "/v0.2/legs/": {"get": {"responses": answer(page)}},
        }
    )
    with pytest.raises(
        NormalisationError, match=r"'listLegsV02', is taken: add `GET /v0.2/legs/: "
    ):
        operation_ids(specs)


def test_operation_ids_skips_an_entry_whose_operation_is_gone_and_warns() -> None:
    specs = merged_without_ids()
    del specs.merged["paths"]["/v0.3/legs"]
    operation_ids(specs)
    assert specs.warnings == [
        "operation-ids 'GET /v0.3/legs': no operation GET /v0.3/legs: skipped (its target is "
        "gone from the sources)"
    ]
    ids = [operation["operationId"] for _, _, operation in operations(specs.merged)]
    assert "listLegs" not in ids
    assert "deleteLeg" in ids


def test_v02_lists_deprecated() -> None:
    deprecated = {o["operationId"] for _, _, o in operations(MERGED) if o.get("deprecated")}
    assert deprecated == {"listConversationsV02", "listMembersV02", "listEventsV02"}
    assert op("listEventsV02")["description"].startswith("Deprecated: use `listEvents` (v0.3).")


def test_shared_schemas() -> None:
    for _, _, operation in operations(MERGED):
        bodies = [operation.get("requestBody", {}), *operation["responses"].values()]
        for body in bodies:
            schema = body.get("content", {}).get("application/json", {}).get("schema")
            assert schema is None or set(schema) == {"$ref"}, operation["operationId"]
    for operation_id in ("getMember", "getMyMember", "updateMember"):
        assert body_schema(operation_id, "200") == ref("Member")
    assert body_schema("createMember", "201") == ref("Member")
    assert body_schema("updateConversation", "200") == ref("Conversation")
    member_items = SCHEMAS["MemberPageV02"]["properties"]["_embedded"]["properties"]["data"]
    assert member_items["properties"]["members"]["items"] == ref("Member")
    assert {"name", "display_name", "user_id", "_embedded"} <= set(SCHEMAS["Member"]["properties"])
    assert "audio_settings" in SCHEMAS["Media"]["properties"]
    assert SCHEMAS["Event"]["required"] == ["id", "type", "body", "timestamp"]
    assert "_links" in SCHEMAS["Event"]["properties"]
    assert SCHEMAS["MemberInitiator"]["properties"] == {
        "joined": ref("Initiator"),
        "invited": ref("Initiator"),
    }
    assert all(name[0].isupper() for name in SCHEMAS)


def test_bodies_named() -> None:
    # The merged spec names every body already: the rule has nothing to do there.
    specs = Specs(v03={}, v02={}, merged=copy.deepcopy(MERGED))
    bodies_named(specs)
    assert specs.merged == MERGED
    assert specs.warnings == []
    # An operation added with inline bodies, and a page whose items are inline.
    user = {"type": "object", "properties": {"nickname": {"type": "string"}}}
    page = {
        "type": "object",
        "properties": {
            "_embedded": {
                "type": "object",
                "properties": {
                    "data": {
                        "type": "object",
                        "properties": {"devices": {"type": "array", "items": copy.deepcopy(user)}},
                    }
                },
            }
        },
    }
    request = {"type": "object", "properties": {"nickname": {"type": "string", "maxLength": 9}}}
    specs.merged["paths"]["/v0.3/users/{user_id}"] = {
        "put": {
            "operationId": "updateUser",
            "requestBody": {"content": {"application/json": {"schema": request}}},
            "responses": answer(user),
        },
        "get": {"operationId": "listUserDevices", "responses": answer(page)},
    }
    bodies_named(specs)
    # Operations in method order: the GET first. Its page is named, then its items, and the
    # PUT's answer, of the same shape as the items, is a $ref to them.
    named = specs.merged["components"]["schemas"]
    put = specs.merged["paths"]["/v0.3/users/{user_id}"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == ref("UpdateUserRequest")
    assert named["UpdateUserRequest"] == request
    item = ref("ListUserDevicesResponseItem")
    assert put["responses"]["200"]["content"]["application/json"]["schema"] == item
    data = named["ListUserDevicesResponse"]["properties"]["_embedded"]["properties"]["data"]
    assert data["properties"]["devices"]["items"] == item
    assert named["ListUserDevicesResponseItem"] == user
    assert specs.warnings == [
        "GET /v0.3/users/{user_id}: the 200 response was inline: named it "
        "'ListUserDevicesResponse'",
        "GET /v0.3/users/{user_id}: the items of ListUserDevicesResponse were inline: named it "
        "'ListUserDevicesResponseItem'",
        "PUT /v0.3/users/{user_id}: the request body was inline: named it 'UpdateUserRequest'",
    ]
    assert list(named) == sorted(named)


def test_bodies_named_names_inline_page_items_and_stops_on_a_taken_name() -> None:
    item = {"type": "object", "properties": {"serial": {"type": "integer"}}}
    page = {
        "type": "object",
        "properties": {
            "_embedded": {
                "type": "object",
                "properties": {"devices": {"type": "array", "items": item}},
            }
        },
    }
    merged = copy.deepcopy(MERGED)
    merged["paths"]["/v0.3/devices"] = {
        "get": {"operationId": "listDevices", "responses": answer(page)}
    }
    specs = Specs(v03={}, v02={}, merged=merged)
    bodies_named(specs)
    named = specs.merged["components"]["schemas"]
    embedded = named["ListDevicesResponse"]["properties"]["_embedded"]
    assert embedded["properties"]["devices"]["items"] == ref("ListDevicesResponseItem")
    assert named["ListDevicesResponseItem"] == item
    assert specs.warnings[-1] == (
        "GET /v0.3/devices: the items of ListDevicesResponse were inline: named it "
        "'ListDevicesResponseItem'"
    )
    merged = copy.deepcopy(MERGED)
    merged["paths"]["/v0.3/devices"] = {
        "get": {"operationId": "getConversation", "responses": answer(item)}
    }
    for taken in ("GetConversationResponse", "GetConversationResponse200"):
        merged["components"]["schemas"][taken] = {"type": "string"}
    with pytest.raises(NormalisationError, match="'GetConversationResponse200' is taken: name"):
        bodies_named(Specs(v03={}, v02={}, merged=merged))


def test_shared_schemas_names_a_new_v02_schema() -> None:
    v02 = copy.deepcopy(V02)
    v02["components"]["schemas"]["device_list"] = {
        "type": "object",
        "properties": {"serial": {"type": "string"}},
    }
    schema = {"$ref": "#/components/schemas/device_list"}
    v02["paths"]["/devices"] = {
        "get": {
            "tags": ["user"],
            "summary": "List devices",
            "responses": {"200": {"description": "OK", "content": {JSON: {"schema": schema}}}},
        }
    }
    specs = built(copy.deepcopy(V03), v02)
    devices = specs.merged["paths"]["/v0.2/devices"]["get"]
    assert devices["responses"]["200"]["content"][JSON]["schema"] == ref("DeviceList")
    assert specs.merged["components"]["schemas"]["DeviceList"]["properties"] == {
        "serial": {"type": "string"}
    }
    assert "rule shared-schemas: the v0.2 schema 'device_list' is shared as 'DeviceList'" in [
        f"rule shared-schemas: {w}" for w in specs.warnings
    ]


def test_resource_ids_required() -> None:
    conversation = v03_response("get", "/conversations/{conversation_id}")["schema"]
    assert "required" not in conversation
    for name in ("Conversation", "ConversationSummary", "Member", "CreatedEvent"):
        assert SCHEMAS[name]["required"][0] == "id"
        assert not validator(name).is_valid({})
    assert SCHEMAS["User"]["required"] == ["id", "name"]


def test_member_joined_event() -> None:
    assert "member_joined_event" not in V02["components"]["schemas"]
    joined = SCHEMAS["MemberJoinedEvent"]
    assert joined["properties"]["type"]["enum"] == ["member:joined"]
    assert joined["properties"]["body"] == ref("Member")


def test_shared_parameters() -> None:
    for _, _, operation in operations(MERGED):
        for param in operation.get("parameters", []):
            assert set(param) == {"$ref"}
    assert PARAMETERS["Order"]["schema"] == ref("SortOrder")
    assert SCHEMAS["SortOrder"]["enum"] == ["asc", "desc", "ASC", "DESC"]
    v02_page_size = V02["components"]["parameters"]["page_size"]["schema"]
    assert "minimum" not in v02_page_size
    assert op("listUsers")["parameters"][0] == {"$ref": "#/components/parameters/PageSize"}
    assert PARAMETERS["PageSize"]["schema"]["minimum"] == 1


def test_shared_parameters_names_a_new_parameter_and_warns() -> None:
    def query(name: str) -> dict[str, Any]:
        return {"in": "query", "name": name, "schema": {"type": "string"}}

    order = {"in": "query", "name": "order", "schema": {"type": "string", "enum": ["asc"]}}
    # A path parameter `colour` takes the plain name; the query one then adds its location.
    path = {"in": "path", "name": "colour", "required": True, "schema": {"type": "string"}}
    specs = Specs(
        v03={},
        v02={},
        merged={
            "paths": {
                "/v0.3/paints/{colour}": {
                    "get": {"parameters": [path, query("colour"), query("finish"), order]}
                }
            },
            "components": {"schemas": {}},
        },
    )
    shared_parameters(specs)
    refs = specs.merged["paths"]["/v0.3/paints/{colour}"]["get"]["parameters"]
    names = [each["$ref"].rsplit("/", 1)[-1] for each in refs]
    assert names == ["Colour", "ColourQuery", "Finish", "Order"]
    assert specs.merged["components"]["parameters"]["ColourQuery"] == query("colour")
    derived = [warning for warning in specs.warnings if "skipped" not in warning]
    assert derived[2] == (
        "GET /v0.3/paints/{colour}: the query parameter 'finish' is shared as 'Finish' (to name "
        "it otherwise, add `query finish: <Name>` to parameters in openapi/tables.yaml)"
    )
    assert len(derived) == 3  # `order` is in the table
    # The table's other entries name parameters no operation of this document takes.
    assert (
        "parameters 'path leg_id': no operation takes it: skipped (its target is gone from "
        "the sources)"
    ) in specs.warnings
    assert "parameters 'query order': no operation takes it" not in " ".join(specs.warnings)


def test_required_request_bodies() -> None:
    required = {
        o["operationId"]
        for _, _, o in operations(MERGED)
        if o.get("requestBody", {}).get("required")
    }
    assert required == {"createMember", "createEvent"}


def test_error_responses() -> None:
    assert not [s for _, _, o in operations(V03) for s in o["responses"] if s[0] in "45"]
    for _, _, operation in operations(MERGED):
        expected = {"400", "401", "403", "404", "409", "429", "5XX"}
        if "requestBody" in operation:
            expected.add("413")
        assert expected <= set(operation["responses"]), operation["operationId"]
    error = validator("Error")
    error.validate(
        {"type": "https://x", "title": "Not found.", "detail": "d", "instance": "i", "code": "c"}
    )
    assert "Retry-After" in MERGED["components"]["responses"]["TooManyRequests"]["headers"]


def test_bearer_security() -> None:
    assert "security" not in V02["paths"]["/users"]["get"]
    assert MERGED["security"] == [{"bearerAuth": []}]
    assert all(o["security"] == [{"bearerAuth": []}] for _, _, o in operations(MERGED))
    assert MERGED["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_open_response_enums() -> None:
    state = SCHEMAS["Member"]["properties"]["state"]
    assert state == {"anyOf": [ref("MemberState"), {"type": "string"}]}
    validator("Member").validate({"id": "MEM-1", "state": "SUSPENDED"})
    assert SCHEMAS["Leg"]["properties"]["state"]["anyOf"][0] == ref("LegState")
    # Request-only enums stay closed.
    assert SCHEMAS["CreateMemberRequest"]["properties"]["state"]["enum"] == ["invited", "joined"]
    assert not validator("UpdateMemberRequest").is_valid({"state": "gone"})


def test_open_response_enums_names_an_inline_enum_first() -> None:
    v03 = copy.deepcopy(V03)
    device = {
        "type": "object",
        "properties": {"power": {"type": "string", "enum": ["on", "off"]}},
    }
    v03["paths"]["/devices/{device_id}"] = {
        "get": {
            "tags": ["user"],
            "summary": "Retrieve a device",
            "parameters": [
                {"name": "device_id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "responses": {"200": {"description": "OK", "content": {JSON: {"schema": device}}}},
        }
    }
    specs = built(v03, copy.deepcopy(V02))
    named = specs.merged["components"]["schemas"]
    assert named["GetDeviceResponse"]["properties"]["power"] == {
        "anyOf": [ref("GetDeviceResponsePower"), {"type": "string"}]
    }
    assert named["GetDeviceResponsePower"] == {"type": "string", "enum": ["on", "off"]}
    assert "the inline enum of GetDeviceResponse.power is named 'GetDeviceResponsePower'" in (
        specs.warnings
    )


def test_stateful_links() -> None:
    links = op("createConversation")["responses"]["201"]["links"]
    assert links["GetConversation"] == {
        "operationId": "getConversation",
        "parameters": {"conversation_id": "$response.body#/id"},
    }
    send = op("createMember")["responses"]["201"]["links"]["SendEvent"]
    assert send["requestBody"] == {"from": "$response.body#/id"}
    first = op("listLegs")["responses"]["200"]["links"]["DeleteFirstLeg"]
    assert first["parameters"] == {"leg_id": "$response.body#/_embedded/legs/0/uuid"}
    sources = [
        o for _, _, o in operations(MERGED) if any("links" in r for r in o["responses"].values())
    ]
    assert len(sources) == 8  # the three creates, and five lists
    for source in sources:
        for response in source["responses"].values():
            for link in response.get("links", {}).values():
                target = find_operation(MERGED, link["operationId"])
                path_params = {p["name"] for p in target.parameters if p["in"] == "path"}
                assert set(link["parameters"]) == path_params


def test_non_empty_query_strings() -> None:
    assert "minLength" not in v03_op("get", "/conversations")["parameters"][4]["schema"]
    for name in ("Cursor", "EventType"):
        assert PARAMETERS[name]["schema"]["minLength"] == 1


def test_create_event_kinds() -> None:
    source = v03_op("post", "/conversations/{conversation_id}/events")["requestBody"]
    assert "oneOf" not in source["content"]["application/json"]["schema"]
    request = OAS30Validator({**SCHEMAS["CreateEventRequest"], "components": MERGED["components"]})
    request.validate({"type": "text", "from": "MEM-1", "body": {"text": "hi"}})
    request.validate({"type": "custom:order_paid", "from": "MEM-1", "body": {"amount": 3}})
    assert not request.is_valid({"type": "text", "from": "MEM-1", "body": {}})
    assert not request.is_valid({"type": "member:joined", "from": "MEM-1", "body": {}})
    assert not request.is_valid({"type": "custom:", "from": "MEM-1"})


@pytest.mark.parametrize("name", ["date_start", "page_size", "order", "cursor"])
def test_v03_parameter_names_are_kept(name: str) -> None:
    assert name in {p["name"] for p in parameters(MERGED)}
