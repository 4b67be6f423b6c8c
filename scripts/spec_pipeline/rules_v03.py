"""Rules for faults of the v0.3 reference page (openapi/sources/conversation.v0.3.yaml)."""

from __future__ import annotations

import copy
from typing import Any

from .oas import (
    Node,
    NormalisationError,
    TargetGoneError,
    json_media,
    operation_at,
    parameters,
    ref_to,
    request_schema,
    response,
    response_schema,
    schemas,
    transform_examples,
)
from .registry import Specs, rule
from .schema_ops import components

CHANNEL_TYPES = ["app", "phone", "sip", "websocket", "vbc"]


@rule(
    "url-format-is-uri",
    source="v0.3",
    fault="Member and event links are `string(url)`: `url` is no format JSON Schema or "
    "OpenAPI knows, so no validator checks them.",
)
def url_format_is_uri(specs: Specs) -> None:
    """Replace `format: url` by the standard `format: uri`."""
    for _, schema in schemas(specs.v03):
        if schema.get("format") == "url":
            schema["format"] = "uri"


@rule(
    "array-example-on-scalar",
    source="v0.3",
    fault='The member `state` examples are arrays (`["LEFT", "INVITED"]`) on a string '
    "field with an enum.",
)
def array_example_on_scalar(specs: Specs) -> None:
    """Replace a list example on a non-array schema by its last item (what the page's own
    response example shows)."""
    for _, schema in schemas(specs.v03):
        example = schema.get("example")
        if isinstance(example, list) and schema.get("type") not in (None, "array"):
            schema["example"] = example[-1]


def _is_bare_href_links(node: Any) -> bool:
    props = node.get("properties", {}) if isinstance(node, dict) else {}
    return set(props) == {"href"}


@rule(
    "member-links-self",
    source="v0.3",
    fault="Member objects carry `_links.href`, where every other object (and the v0.2 "
    "members) carry the HAL form `_links.self.href`.",
)
def member_links_self(specs: Specs) -> None:
    """Move a bare `_links.href` under `_links.self`, in schemas and in examples."""
    for _, schema in schemas(specs.v03):
        links = schema.get("properties", {}).get("_links")
        if _is_bare_href_links(links):
            href = links["properties"].pop("href")
            links["properties"]["self"] = {"type": "object", "properties": {"href": href}}

    def wrap(node: Any) -> Any:
        if isinstance(node, dict):
            node = {key: wrap(value) for key, value in node.items()}
            links = node.get("_links")
            if isinstance(links, dict) and set(links) == {"href"}:
                node["_links"] = {"self": links}
        elif isinstance(node, list):
            node = [wrap(item) for item in node]
        return node

    transform_examples(specs.v03, wrap)


PAGE_LINKS = ("first", "self", "next", "prev")


@rule(
    "page-links-flat",
    source="v0.3",
    fault="The user conversations and user sessions lists nest `first`/`self`/`next`/`prev` "
    "inside `_links.self`, where every other list has them directly under `_links` (and the "
    "page says to follow `_links.next.href`).",
)
def page_links_flat(specs: Specs) -> None:
    """Lift the page links out of `_links.self` to `_links`, in schemas and examples."""
    for path in ("/users/{user_id}/conversations", "/users/{user_id}/sessions"):
        try:
            op = operation_at(specs.v03, "get", path)
        except TargetGoneError as error:
            specs.skip(f"GET {path}", error)
            continue
        links = response_schema(op, "200")["properties"]["_links"]
        nested = links["properties"]["self"]["properties"]
        if set(nested) != set(PAGE_LINKS):
            raise NormalisationError(f"{path}: _links.self is not the nested page links")
        links["properties"] = nested
        media = json_media(response(op, "200"))
        media["example"]["_links"] = media["example"]["_links"]["self"]


@rule(
    "event-list-links-v03",
    source="v0.3",
    fault="The v0.3 events list documents `_links` whose examples point at v0.2 URLs "
    "(`https://api.nexmo.com/v0.2/conversations/...`).",
)
def event_list_links_v03(specs: Specs) -> None:
    """Point the events list's link examples at the v0.3 path."""
    op = operation_at(specs.v03, "get", "/conversations/{conversation_id}/events")

    def to_v03(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("https://api.nexmo.com/v0.2/", "https://api.nexmo.com/v0.3/")
        if isinstance(value, dict):
            return {key: to_v03(item) for key, item in value.items()}
        if isinstance(value, list):
            return [to_v03(item) for item in value]
        return value

    transform_examples(response(op, "200"), to_v03)


def _legs_page(specs: Specs) -> Node:
    return response_schema(operation_at(specs.v03, "get", "/legs"), "200")


@rule(
    "legs-count-integer",
    source="v0.3",
    fault='The legs list\'s `count` is typed `number` but its example is the string `"100"`; '
    "`count` and `record_index` can only be whole numbers.",
)
def legs_count_integer(specs: Specs) -> None:
    """Type `count` and `record_index` as integers and make the example's count a number."""
    props = _legs_page(specs)["properties"]
    props["count"]["type"] = "integer"
    props["record_index"]["type"] = "integer"
    example = json_media(response(operation_at(specs.v03, "get", "/legs"), "200"))["example"]
    example["count"] = int(example["count"])


@rule(
    "legs-end-time",
    source="v0.3",
    fault='A leg\'s end time is called `start_end` ("Time of leg end"), beside `start_time`.',
)
def legs_end_time(specs: Specs) -> None:
    """Rename the leg field `start_end` to `end_time`, in the schema and the example."""
    leg = _legs_page(specs)["properties"]["_embedded"]["properties"]["legs"]["items"]
    leg["properties"] = {
        ("end_time" if name == "start_end" else name): value
        for name, value in leg["properties"].items()
    }
    example = json_media(response(operation_at(specs.v03, "get", "/legs"), "200"))["example"]
    for item in example["_embedded"]["legs"]:
        item["end_time"] = item.pop("start_end")


@rule(
    "legs-paging-parameters",
    source="v0.3",
    fault="List legs documents no query parameter at all, while its response pages by "
    '`page_size` and `record_index` ("set record_index to 5 ... to return 50 to 59").',
)
def legs_paging_parameters(specs: Specs) -> None:
    """Give list legs the `page_size` and `record_index` query parameters its response names:
    `record_index` is the zero-based page number, as the page's worked example shows."""
    op = operation_at(specs.v03, "get", "/legs")
    page_size = next(p for p in parameters(specs.v03) if p["name"] == "page_size")
    record_index = _legs_page(specs)["properties"]["record_index"]
    op["parameters"] = [
        copy.deepcopy(page_size),
        {
            "name": "record_index",
            "in": "query",
            "schema": {"type": "integer", "minimum": 0, "default": 0, "example": 0},
            "description": record_index["description"],
        },
    ]


CHANNEL_ENDPOINT: Node = {
    "type": "object",
    "description": "One end of a channel, or a number of a conversation. `type` says which "
    "other fields apply: `app` (`user`), `phone` (`number`), `sip` (`uri`, `username`, "
    "`password`), `websocket` (`uri`, `content_type`), `vbc` (`extension`).",
    "required": ["type"],
    "properties": {
        "type": {
            "type": "string",
            "enum": CHANNEL_TYPES,
            "example": "app",
            "description": "The type of connection",
        },
        "user": {"type": "string", "example": "jamie", "description": "The username to connect to"},
        "number": {"type": "string", "example": "447700900000", "description": "A phone number"},
        "uri": {
            "type": "string",
            "example": "sip:alice@example.com",
            "description": "A SIP or WebSocket URI",
        },
        "username": {"type": "string", "description": "SIP user name"},
        "password": {"type": "string", "description": "SIP password"},
        "content_type": {
            "type": "string",
            "example": "audio/l16;rate=16000",
            "description": "WebSocket media content type",
        },
        "extension": {"type": "string", "example": "447700900000", "description": "VBC extension"},
    },
}


@rule(
    "channel-endpoint-kinds",
    source="v0.3",
    fault="A channel's `from`/`to` is a `oneOf` showing only its `app` variant, and the "
    "conversation `numbers` array has no item schema at all: the kinds (app, phone, sip, "
    "websocket, vbc) appear only in the `numbers` example.",
)
def channel_endpoint_kinds(specs: Specs) -> None:
    """Type `from`, `to` and the `numbers` items as one `ChannelEndpoint`, whose fields are
    those the `numbers` example shows for each kind."""
    components(specs.v03)["ChannelEndpoint"] = copy.deepcopy(CHANNEL_ENDPOINT)
    for _, schema in schemas(specs.v03):
        props = schema.get("properties", {})
        for end in ("from", "to"):
            if "oneOf" in props.get(end, {}):
                props[end] = ref_to("ChannelEndpoint")
        numbers = props.get("numbers")
        if numbers and numbers.get("type") == "array" and "items" not in numbers:
            numbers["items"] = ref_to("ChannelEndpoint")


@rule(
    "conversation-numbers-by-type",
    source="v0.3",
    fault="A conversation is created with `numbers` as an array but returned with `numbers` as "
    "an untyped object (`{}` in every example).",
)
def conversation_numbers_by_type(specs: Specs) -> None:
    """Type the returned `numbers` as an object of `ChannelEndpoint` keyed by channel type
    (the request sends at most one number per channel)."""
    for _, schema in schemas(specs.v03):
        numbers = schema.get("properties", {}).get("numbers")
        if numbers == {"type": "object"}:
            numbers["description"] = (
                "The conversation's numbers, keyed by channel type (`phone`, `sip`, ...)."
            )
            numbers["additionalProperties"] = ref_to("ChannelEndpoint")


def _create_member_body(specs: Specs) -> Node:
    return request_schema(
        operation_at(specs.v03, "post", "/conversations/{conversation_id}/members")
    )


@rule(
    "create-member-user-required",
    source="v0.3",
    fault='Create member says "Either the user id or name is required." only in prose: '
    "nothing is required, so a body without a user (or with an empty id or name) is valid.",
)
def create_member_user_required(specs: Specs) -> None:
    """Require `user`, and require it to carry an `id` or a `name` (`minProperties: 1` over
    those two properties only), neither of them empty."""
    body = _create_member_body(specs)
    body["required"] = ["user"]
    user = body["properties"]["user"]
    user["minProperties"] = 1
    user["additionalProperties"] = False
    for field in ("id", "name"):
        user["properties"][field]["minLength"] = 1


@rule(
    "create-member-state-default",
    source="v0.3",
    fault="Create member's `state` (`invited` or `joined`) is optional without a default, so "
    "what a body without it does is undocumented.",
)
def create_member_state_default(specs: Specs) -> None:
    """Default `state` to `invited` (the v0.2-era API created members in invite state)."""
    _create_member_body(specs)["properties"]["state"]["default"] = "invited"


@rule(
    "create-returns-201",
    source="v0.3",
    fault='The page shows no status codes; only create conversation says "Created". Create '
    "member and create event create resources too but read as plain successes.",
)
def create_returns_201(specs: Specs) -> None:
    """Answer create member and create event with 201 Created, like create conversation."""
    for path in (
        "/conversations/{conversation_id}/members",
        "/conversations/{conversation_id}/events",
    ):
        try:
            responses = operation_at(specs.v03, "post", path)["responses"]
        except TargetGoneError as error:
            specs.skip(f"POST {path}", error)
            continue
        responses["201"] = responses.pop("200")


EMPTY: Node = {"type": "object", "description": "An empty JSON object.", "maxProperties": 0}


@rule(
    "empty-json-body-schema",
    source="v0.3",
    fault='Delete event and delete leg answer "Success response with empty JSON" (`{}`) '
    "with no schema.",
)
def empty_json_body_schema(specs: Specs) -> None:
    """Give those responses the schema of an empty JSON object, `Empty`."""
    for path in ("/conversations/{conversation_id}/events/{event_id}", "/legs/{leg_id}"):
        try:
            op = operation_at(specs.v03, "delete", path)
        except TargetGoneError as error:
            specs.skip(f"DELETE {path}", error)
            continue
        json_media(response(op, "200"))["schema"] = ref_to("Empty")
        components(specs.v03)["Empty"] = copy.deepcopy(EMPTY)


@rule(
    "event-id-digits",
    source="both",
    fault='Event ids are "a progressive integer" sent as strings (v0.3), yet `event_id`, '
    "`start_id` and `end_id` accept any text.",
)
def event_id_digits(specs: Specs) -> None:
    """Constrain event ids, in paths, filters and bodies, to decimal digits."""
    digits = "^[0-9]+$"
    for document in (specs.v03, specs.v02):
        for param in parameters(document):
            if param["name"] in ("event_id", "start_id", "end_id"):
                param["schema"]["pattern"] = digits
        for _, schema in schemas(document):
            event_id = schema.get("properties", {}).get("id", {})
            if event_id.get("description") in EVENT_ID_DESCRIPTIONS:
                event_id["pattern"] = digits


# How each source describes an event's own id (and nothing else).
EVENT_ID_DESCRIPTIONS = ("Event id. This is a progressive integer", "The ID of the event")
