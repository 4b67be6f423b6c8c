"""One test per rule that merges the sources and finishes the merged spec (rules_merge,
rules_naming, rules_finish): the fault is in the sources, and gone from the merged spec.

Each test is named after its rule (`test_<rule_id>`); openapi/NORMALISATION.md points here.

Why over 400 lines: one test per rule of the merged spec (28 rules), each showing its fault in
the sources and its fix in the merged spec; a file per rule would scatter what reads as a list.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from openapi_schema_validator import OAS30Validator
from rules_support import (
    JSON,
    MERGED,
    PARAMETERS,
    SCHEMAS,
    V02,
    V03,
    body_schema,
    op,
    ref,
    v03_op,
    v03_response,
    validator,
)
from spec_pipeline.build import RULES
from spec_pipeline.oas import NormalisationError, operations, ref_name
from spec_pipeline.registry import Specs
from spec_pipeline.rules_merge import one_document_info
from spec_pipeline.rules_naming import bodies_named, operation_ids, shared_parameters
from vonage_conversation_spec import find_operation


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
    names = [ref_name(each) for each in refs]
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
