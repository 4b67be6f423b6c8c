"""Rules that merge the two normalised sources into one spec, and finish it for its users."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .oas import (
    JSON,
    Location,
    Node,
    NormalisationError,
    get_in,
    mappings,
    operation,
    operation_at,
    operations,
    ref_name,
    ref_to,
    schemas,
)
from .registry import Specs, rule
from .schema_ops import (
    absorb,
    absorb_into_component,
    components,
    deduplicate,
    extract,
    flatten_all_of,
    resolve,
)
from .words import pascal, singular

SERVER = "https://api.nexmo.com"
RESPONSE_200: Location = ("responses", "200", "content", JSON, "schema")
RESPONSE_201: Location = ("responses", "201", "content", JSON, "schema")
REQUEST_BODY: Location = ("requestBody", "content", JSON, "schema")


def _version_prefix(source: Node) -> str:
    (server,) = source["servers"]
    prefix = str(urlsplit(server["url"]).path).rstrip("/")
    if not prefix.startswith("/v0."):
        raise NormalisationError(f"server {server['url']!r} names no version")
    return prefix


def _inline_parameter_refs(source: Node) -> None:
    shared = source.get("components", {}).get("parameters", {})
    for _, _, op in operations(source):
        op["parameters"] = [
            copy.deepcopy(shared[param["$ref"].rsplit("/", 1)[-1]]) if "$ref" in param else param
            for param in op.get("parameters", [])
        ]


@rule(
    "versioned-paths",
    source="merged",
    fault="Each source has its own server (`https://api.nexmo.com/v0.3`, `.../v0.2`) and "
    "unversioned paths: one client cannot reach both, and both define `/conversations`.",
)
def versioned_paths(specs: Specs) -> None:
    """Start the merged spec: one server, `https://api.nexmo.com`, and every path prefixed
    with its source's version (`/v0.3/conversations`, `/v0.2/users`). v0.2's shared
    parameters are written out in place, to be shared again by `shared-parameters`."""
    merged: Node = {
        "openapi": "3.0.3",
        "info": {},
        "servers": [{"url": SERVER}],
        "tags": [],
        "paths": {},
        "components": {"securitySchemes": {}, "schemas": {}},
    }
    for source in (specs.v03, specs.v02):
        prefix = _version_prefix(source)
        _inline_parameter_refs(source)
        for path, item in source["paths"].items():
            merged["paths"][prefix + path] = item
        source_components = source.get("components", {})
        merged["components"]["securitySchemes"].update(source_components.get("securitySchemes", {}))
        for name, schema in source_components.get("schemas", {}).items():
            if name in merged["components"]["schemas"]:
                raise NormalisationError(f"both sources define schema {name!r}")
            merged["components"]["schemas"][name] = schema
    specs.merged = merged


@rule(
    "one-document-info",
    source="merged",
    fault="Two `info` blocks (v0.2 has the contact, v0.3 the current description) and two tag "
    "lists (v0.2 lacks `user` and `leg`).",
)
def one_document_info(specs: Specs) -> None:
    """Describe the merged document once; keep v0.3's tags, which include all of v0.2's (a
    v0.2 tag v0.3 lacks is kept after them, with a warning)."""
    info = specs.v03["info"]
    specs.merged["info"] = {
        "title": "Vonage Conversation API",
        "version": "0.3.0",
        "description": info["description"]
        + "\n\nThis document merges the v0.3 reference and the v0.2 specification: every path "
        "carries its version, so one client reaches both. See NORMALISATION.md for what was "
        "changed from the sources and why.",
        "contact": specs.v02["info"]["contact"],
    }
    tags = {tag["name"]: tag for tag in specs.v03["tags"]}
    for tag in specs.v02["tags"]:
        if tag["name"] not in tags:
            tags[tag["name"]] = tag
            specs.warnings.append(
                f"the v0.2 tag {tag['name']!r} is not among v0.3's: kept after them (its "
                "operations become a resource of their own)"
            )
    specs.merged["tags"] = list(tags.values())


OPERATION_IDS: dict[tuple[str, str], str] = {
    ("get", "/v0.3/conversations"): "listConversations",
    ("post", "/v0.3/conversations"): "createConversation",
    ("get", "/v0.3/conversations/{conversation_id}"): "getConversation",
    ("put", "/v0.3/conversations/{conversation_id}"): "updateConversation",
    ("delete", "/v0.3/conversations/{conversation_id}"): "deleteConversation",
    ("get", "/v0.3/users/{user_id}/conversations"): "listUserConversations",
    ("get", "/v0.3/users/{user_id}/sessions"): "listUserSessions",
    ("get", "/v0.3/conversations/{conversation_id}/members"): "listMembers",
    ("post", "/v0.3/conversations/{conversation_id}/members"): "createMember",
    ("get", "/v0.3/conversations/{conversation_id}/members/me"): "getMyMember",
    ("get", "/v0.3/conversations/{conversation_id}/members/{member_id}"): "getMember",
    ("patch", "/v0.3/conversations/{conversation_id}/members/{member_id}"): "updateMember",
    ("get", "/v0.3/conversations/{conversation_id}/events"): "listEvents",
    ("post", "/v0.3/conversations/{conversation_id}/events"): "createEvent",
    ("get", "/v0.3/conversations/{conversation_id}/events/{event_id}"): "getEvent",
    ("delete", "/v0.3/conversations/{conversation_id}/events/{event_id}"): "deleteEvent",
    ("get", "/v0.3/legs"): "listLegs",
    ("delete", "/v0.3/legs/{leg_id}"): "deleteLeg",
    ("get", "/v0.2/users"): "listUsers",
    ("get", "/v0.2/conversations"): "listConversationsV02",
    ("get", "/v0.2/conversations/{conversation_id}/members"): "listMembersV02",
    ("get", "/v0.2/conversations/{conversation_id}/events"): "listEventsV02",
}


DERIVED_VERBS = {"post": "create", "put": "update", "patch": "update", "delete": "delete"}


def _is_page(document: Node, op: Node) -> bool:
    """Whether an operation answers with a page: a success body holding `_embedded` items."""
    for status, answer in op.get("responses", {}).items():
        schema = answer.get("content", {}).get(JSON, {}).get("schema")
        if not str(status).startswith("2") or not isinstance(schema, dict):
            continue
        if "_embedded" in resolve(document, schema).get("properties", {}):
            return True
    return False


def derived_operation_id(document: Node, method: str, path: str) -> str:
    """The operationId of an operation that has none: a verb, then the literal segments of its
    path after the version, each in PascalCase and singular where an id follows it (or where it
    is what a POST creates). The verb is `list` for a GET that answers with a page, `get` for
    any other GET, `create` for POST, `update` for PUT and PATCH, `delete` for DELETE.
    ``GET /v0.3/users/{user_id}`` -> ``getUser``; ``GET /v0.3/users/{user_id}/sessions`` ->
    ``listUserSessions``; ``POST /v0.3/conversations`` -> ``createConversation``."""
    segments = path.strip("/").split("/")[1:]  # the first names the version
    literals = [index for index, part in enumerate(segments) if not part.startswith("{")]
    nouns = []
    for index in literals:
        follows_id = index + 1 < len(segments) and segments[index + 1].startswith("{")
        created = method == "post" and index == literals[-1]
        nouns.append(
            pascal(singular(segments[index]) if follows_id or created else segments[index])
        )
    if method == "get":
        verb = "list" if _is_page(document, operation_at(document, method, path)) else "get"
    else:
        verb = DERIVED_VERBS.get(method, method)
    return verb + "".join(nouns)


@rule(
    "operation-ids",
    source="merged",
    fault="v0.3 operations have no operationId; v0.2's are kebab-case (`get-conversations`) and "
    "would clash with their v0.3 twins.",
)
def operation_ids(specs: Specs) -> None:
    """Give every operation an operationId: the one `OPERATION_IDS` names for it (clear
    camelCase ids; the v0.2 lists with v0.3 twins end in V02), else the one its source gives,
    else one derived from its method and path (see `derived_operation_id`; when that is taken,
    the path's version is added: `...V02`), with a warning naming it."""
    merged = specs.merged
    found = list(operations(merged))
    for path, method, op in found:
        if (method, path) in OPERATION_IDS:
            op["operationId"] = OPERATION_IDS[(method, path)]
    taken = {op["operationId"] for _, _, op in found if "operationId" in op}
    for path, method, op in found:
        if "operationId" in op:
            continue
        derived = derived_operation_id(merged, method, path)
        if derived in taken:
            derived += pascal(path.strip("/").split("/")[0])
        if derived in taken:
            raise NormalisationError(
                f"{method.upper()} {path} has no operationId and the one derived for it, "
                f"{derived!r}, is taken: add ({method!r}, {path!r}): '<operationId>' to "
                "OPERATION_IDS in scripts/spec_pipeline/rules_merged.py"
            )
        op["operationId"] = derived
        taken.add(derived)
        specs.warnings.append(
            f"{method.upper()} {path} has no operationId: derived {derived!r} (to choose "
            "another, write one in the source or add it to OPERATION_IDS in "
            "scripts/spec_pipeline/rules_merged.py)"
        )
    if unknown := set(OPERATION_IDS) - {(method, path) for path, method, _ in found}:
        gone = ", ".join(f"{method.upper()} {path}" for method, path in sorted(unknown))
        raise NormalisationError(
            f"operations gone from the sources: {gone}: remove them from OPERATION_IDS in "
            "scripts/spec_pipeline/rules_merged.py"
        )
    # Bring each operation's id to the front, where a reader looks for it.
    for path, method, op in found:
        merged["paths"][path][method] = {"operationId": op.pop("operationId"), **op}


V02_TWINS = {
    "listConversationsV02": "listConversations",
    "listMembersV02": "listMembers",
    "listEventsV02": "listEvents",
}


@rule(
    "v02-lists-deprecated",
    source="merged",
    fault="The v0.2 conversations, members and events lists are superseded by their v0.3 "
    "twins, but nothing says so.",
)
def v02_lists_deprecated(specs: Specs) -> None:
    """Mark the three v0.2 lists deprecated, naming the v0.3 operation to use instead."""
    for old, new in V02_TWINS.items():
        op = operation(specs.merged, old)
        op["deprecated"] = True
        note = f"Deprecated: use `{new}` (v0.3)."
        op["description"] = f"{note}\n\n{op['description']}" if "description" in op else note


def _op_location(document: Node, operation_id: str, *rest: str | int) -> Location:
    for path, method, op in operations(document):
        if op.get("operationId") == operation_id:
            return ("paths", path, method, *rest)
    raise NormalisationError(f"no operation {operation_id!r}")


def _component_location(name: str, *rest: str | int) -> Location:
    return ("components", "schemas", name, *rest)


def _embedded_items(page: str, collection: str, *, v02: bool = False) -> Location:
    embedded: tuple[str, ...] = ("properties", "_embedded", "properties")
    if v02:
        embedded = (*embedded, "data", "properties")
    return _component_location(page, *embedded, collection, "items")


# Whole request and response bodies, named after what they carry (v0.3 operations first).
BODIES: tuple[tuple[str, str, Location], ...] = (
    ("Conversation", "getConversation", RESPONSE_200),
    ("ConversationRequest", "createConversation", REQUEST_BODY),
    ("ConversationPage", "listConversations", RESPONSE_200),
    ("SessionPage", "listUserSessions", RESPONSE_200),
    ("MemberPage", "listMembers", RESPONSE_200),
    ("Member", "getMember", RESPONSE_200),
    ("CreateMemberRequest", "createMember", REQUEST_BODY),
    ("UpdateMemberRequest", "updateMember", REQUEST_BODY),
    ("EventPage", "listEvents", RESPONSE_200),
    ("Event", "getEvent", RESPONSE_200),
    ("CreateEventRequest", "createEvent", REQUEST_BODY),
    ("CreatedEvent", "createEvent", RESPONSE_201),
    ("LegPage", "listLegs", RESPONSE_200),
    ("ConversationPageV02", "listConversationsV02", RESPONSE_200),
    ("UserPage", "listUsers", RESPONSE_200),
    ("MemberPageV02", "listMembersV02", RESPONSE_200),
    ("EventPageV02", "listEventsV02", RESPONSE_200),
)

# Parts of those bodies, each named where it first appears; equal copies elsewhere follow.
PARTS: tuple[tuple[str, Location], ...] = (
    ("ConversationSummary", _embedded_items("ConversationPage", "conversations")),
    ("Session", _embedded_items("SessionPage", "sessions")),
    ("Leg", _embedded_items("LegPage", "legs")),
    ("Channel", _component_location("Member", "properties", "channel")),
    ("User", _component_location("Member", "properties", "_embedded", "properties", "user")),
    ("MemberTimestamp", _component_location("Member", "properties", "timestamp")),
    ("MemberInitiator", _component_location("Member", "properties", "initiator")),
    ("Initiator", _component_location("MemberInitiator", "properties", "joined")),
    ("Media", _component_location("Member", "properties", "media")),
    ("ConversationTimestamp", _component_location("Conversation", "properties", "timestamp")),
    ("ConversationProperties", _component_location("Conversation", "properties", "properties")),
    ("ConversationCallback", _component_location("ConversationRequest", "properties", "callback")),
    ("PageLinks", _component_location("ConversationPage", "properties", "_links")),
    ("SelfLinks", _component_location("Conversation", "properties", "_links")),
    ("Link", _component_location("PageLinks", "properties", "first")),
    ("ChannelType", _component_location("ChannelEndpoint", "properties", "type")),
    ("MemberState", _component_location("Member", "properties", "state")),
    ("LegState", _component_location("Leg", "properties", "state")),
)

# Schemas that agree with a named one without being equal to it: a v0.3 subset (the members
# list item, the session's user) or a v0.2 twin. Each is folded into the named schema.
ABSORBED: tuple[tuple[str, Location], ...] = (
    ("Member", _embedded_items("MemberPage", "members")),
    ("User", _component_location("Session", "properties", "_embedded", "properties", "user")),
    ("PageLinks", _component_location("MemberPage", "properties", "_links")),
    ("SelfLinks", _component_location("Member", "properties", "_links")),
    ("Media", _component_location("CreateMemberRequest", "properties", "media")),
    ("PageLinks", _component_location("ConversationPageV02", "properties", "_links")),
    ("PageLinks", _component_location("UserPage", "properties", "_links")),
    ("PageLinks", _component_location("MemberPageV02", "properties", "_links")),
    ("PageLinks", _component_location("EventPageV02", "properties", "_links")),
)

# v0.2 schema -> the shared schema it becomes (after being folded into it).
V02_TWIN_SCHEMAS = {
    "conversation_list": "ConversationSummary",
    "user_list": "User",
    "member_list": "Member",
    "member": "Member",
    "event": "Event",
}
EVENT_KIND_NAMES = {
    "text_event": "TextEvent",
    "custom_event": "CustomEvent",
    "member_invited_event": "MemberInvitedEvent",
    "member_left_event": "MemberLeftEvent",
}
# What each kind's `type` must be (the v0.2 descriptions give them in prose).
EVENT_KIND_TYPES = {
    "TextEvent": {"enum": ["text"]},
    "CustomEvent": {"pattern": "^custom:.+"},
    "MemberInvitedEvent": {"enum": ["member:invited"]},
    "MemberLeftEvent": {"enum": ["member:left"]},
}


def _retarget(document: Node, old: str, new: str) -> None:
    """Point every $ref to schema old at schema new."""
    for _, schema in schemas(document):
        for key, value in list(schema.items()):
            if ref_name(value) == old:
                schema[key] = ref_to(new)
        for name, value in list(schema.get("properties", {}).items()):
            if ref_name(value) == old:
                schema["properties"][name] = ref_to(new)
        for key in ("allOf", "anyOf", "oneOf"):
            schema[key] = [ref_to(new) if ref_name(v) == old else v for v in schema.get(key, [])]
            if not schema[key]:
                del schema[key]


def _event_kinds(specs: Specs, v02_event_props: set[str]) -> None:
    """Each kind is the shared Event with the kind's own fields (its `type`, its `body`)."""
    registry = components(specs.merged)
    event = registry["Event"]
    for old, new in EVENT_KIND_NAMES.items():
        v02_kind = registry.pop(old)
        kind = copy.deepcopy(event)
        kind["description"] = v02_kind["description"]
        for prop, schema in v02_kind["properties"].items():
            if prop not in v02_event_props:
                kind["properties"][prop] = schema
        kind["properties"]["type"].update(EVENT_KIND_TYPES[new])
        registry[new] = kind


@rule(
    "shared-schemas",
    source="merged",
    fault="v0.3 documents every request and response inline (the member four times, the "
    "conversation three times), so generators make one anonymous model per response; v0.2 "
    "names its schemas in snake_case, and its twins of v0.3 objects disagree in small ways.",
)
def shared_schemas(specs: Specs) -> None:
    """Name every shared schema (Conversation, ConversationSummary, Member, User, Event and
    its kinds, Leg, Session, Channel, ChannelEndpoint, Links, one page schema per list...):
    an inline schema becomes a component and its structurally equal copies become $refs; a
    compatible v0.2 twin or v0.3 subset is folded into the named schema, which gains the
    fields it lacked (`Member` gains v0.2's `name`, `display_name`, `user_id`; `Media` gains
    v0.2's `audio_settings`; `MemberInitiator` gains v0.2's `invited`; `Event` gains `_links`
    and no longer requires `href`, which v0.2 events do not carry). The v0.2 event kinds
    become `TextEvent`, `CustomEvent`, `MemberInvitedEvent`, `MemberLeftEvent`: the shared
    `Event` with their own `type` and `body`. Any other v0.2 schema still in use is named in
    PascalCase (`device_list` -> `DeviceList`), with a warning."""
    merged = specs.merged
    registry = components(merged)
    v02_event_props = set(registry["event"]["properties"])
    registry["member"] = flatten_all_of(merged, registry["member"], "member")
    for name, operation_id, where in BODIES:
        extract(merged, name, _op_location(merged, operation_id, *where))
    # Fold v0.2 twins in before naming the parts, so the parts are named with v0.2's fields...
    for old in ("member_list", "member", "event"):
        absorb(merged, registry[V02_TWIN_SCHEMAS[old]], registry[old], old)
    for name, where in PARTS:
        extract(merged, name, where)
    # ...except those whose shared name is a part.
    for old in ("conversation_list", "user_list"):
        absorb(merged, registry[V02_TWIN_SCHEMAS[old]], registry[old], old)
    for name, where in ABSORBED:
        absorb_into_component(merged, name, where)
    registry["MemberInitiator"]["properties"]["invited"] = ref_to("Initiator")
    # v0.2 events link themselves with `_links.self.href` and carry no `href`: the shared
    # Event requires only what both versions send.
    registry["Event"]["required"].remove("href")
    for old, new in V02_TWIN_SCHEMAS.items():
        _retarget(merged, old, new)
        del registry[old]
    _event_kinds(specs, v02_event_props)
    leftovers = [name for name in registry if not name[0].isupper()]
    for name in leftovers:
        if _references(merged, name):
            _name_v02_schema(specs, name)
        del registry[name]
    deduplicate(merged)
    merged["components"]["schemas"] = dict(sorted(registry.items()))


def _success_bodies(op: Node) -> list[tuple[str, Location]]:
    """Where an operation's request body and success response bodies are: (status, location
    below the operation); the request body's status is ``""``."""
    found: list[tuple[str, Location]] = []
    if JSON in op.get("requestBody", {}).get("content", {}):
        found.append(("", REQUEST_BODY))
    for status, answer in op.get("responses", {}).items():
        if str(status).startswith("2") and JSON in answer.get("content", {}):
            found.append((str(status), ("responses", status, "content", JSON, "schema")))
    return found


def _inline_page_items(document: Node, page: Node) -> list[Location]:
    """Locations (below the page schema) of a page's item schemas that are still inline."""
    embedded = resolve(document, page).get("properties", {}).get("_embedded")
    if not isinstance(embedded, dict) or ref_name(embedded) is not None:
        return []
    base: Location = ("properties", "_embedded", "properties")
    lists = embedded.get("properties", {})
    if set(lists) == {"data"} and ref_name(lists["data"]) is None:
        base, lists = (*base, "data", "properties"), lists["data"].get("properties", {})
    return [
        (*base, key, "items")
        for key, sub in lists.items()
        if isinstance(sub, dict)
        and isinstance(sub.get("items"), dict)
        and ref_name(sub["items"]) is None
        and sub["items"].get("type") == "object"
    ]


def _name_inline(specs: Specs, name: str, where: Location, what: str) -> str:
    if name in components(specs.merged):
        raise NormalisationError(
            f"{what}, and its derived name {name!r} is taken: name it by adding "
            "it to BODIES (or PARTS) in scripts/spec_pipeline/rules_merged.py"
        )
    extract(specs.merged, name, where)
    specs.warnings.append(f"{what}: named it {name!r}")
    return name


@rule(
    "bodies-named",
    source="merged",
    fault="A request or response body written inline, that `shared-schemas` does not name (one "
    "of an operation added to a source), would be generated as an anonymous model "
    "(`GetUserResponse200`) that the client cannot look up by schema name.",
)
def bodies_named(specs: Specs) -> None:
    """Name every request body and success response body still inline: `<OperationId>Request`
    and `<OperationId>Response` (`getUser` answers a `GetUserResponse`; a second success status
    adds its number), and the inline items of a page `<Page>Item`, each with a warning naming
    it. Structurally equal copies elsewhere become $refs to the new schema."""
    merged = specs.merged
    for path, method, op in list(operations(merged)):
        base = pascal(op["operationId"])
        what = f"{method.upper()} {path}"
        for status, below in _success_bodies(op):
            where: Location = ("paths", path, method, *below)
            schema = get_in(merged, where)
            if ref_name(schema) is None:
                name = base + ("Request" if not status else "Response")
                if status and name in components(merged):
                    name += status
                kind = "request body" if not status else f"{status} response"
                _name_inline(specs, name, where, f"{what}: the {kind} was inline")
            if status:
                page = ref_name(get_in(merged, where))
                for items in _inline_page_items(merged, get_in(merged, where)):
                    item_name = f"{page}Item"
                    _name_inline(
                        specs,
                        item_name,
                        _component_location(str(page), *items),
                        f"{what}: the items of {page} were inline",
                    )
    merged["components"]["schemas"] = dict(sorted(components(merged).items()))


def _name_v02_schema(specs: Specs, name: str) -> None:
    """A v0.2 schema no rule names (one added to the source) is shared in PascalCase."""
    registry = components(specs.merged)
    shared = pascal(name)
    if shared in registry:
        raise NormalisationError(
            f"the v0.2 schema {name!r} would be named {shared!r}, which is taken: add "
            f"{name!r}: '<Name>' to V02_TWIN_SCHEMAS in scripts/spec_pipeline/rules_merged.py"
        )
    registry[shared] = registry[name]
    old, new = ref_to(name), ref_to(shared)
    for node in mappings(specs.merged):
        if node.get("$ref") == old["$ref"]:
            node["$ref"] = new["$ref"]
    specs.warnings.append(f"the v0.2 schema {name!r} is shared as {shared!r}")


def _references(document: Node, name: str) -> bool:
    target = ref_to(name)["$ref"]
    return any(node.get("$ref") == target for node in mappings(document))


# Schemas of resources the API creates -> the fields every one of them has.
RESOURCE_IDS = {
    "Conversation": ["id"],
    "ConversationSummary": ["id"],
    "Member": ["id"],
    "CreatedEvent": ["id"],
    "User": ["id", "name"],
}


@rule(
    "resource-ids-required",
    source="both",
    fault="No conversation, member or created-event field is marked required, not even the id "
    "the API creates; only the sessions list requires a user's `id` and `name`. Generated "
    "models then type every id as optional.",
)
def resource_ids_required(specs: Specs) -> None:
    """Require the id of every conversation, conversation summary, member and created event,
    and a user's `id` and `name` (as the sessions list does for its users)."""
    registry = components(specs.merged)
    for name, fields in RESOURCE_IDS.items():
        schema = registry[name]
        missing = [field for field in fields if field not in schema["properties"]]
        if missing:
            raise NormalisationError(f"{name} has no {missing}")
        schema["required"] = fields + [f for f in schema.get("required", []) if f not in fields]


@rule(
    "member-joined-event",
    source="merged",
    fault="v0.2 types `member:invited` and `member:left` events but not `member:joined`, which "
    "the API sends when a member joins (the v0.3 page lists JOINED among member states).",
)
def member_joined_event(specs: Specs) -> None:
    """Add `MemberJoinedEvent`, shaped like its invited and left siblings."""
    registry = components(specs.merged)
    joined = copy.deepcopy(registry["MemberInvitedEvent"])
    joined["description"] = "Member Joined"
    joined["properties"]["type"]["enum"] = ["member:joined"]
    joined["properties"]["type"]["example"] = "member:joined"
    joined["properties"]["type"]["description"] = "The event type (`member:joined`)"
    registry["MemberJoinedEvent"] = joined
    specs.merged["components"]["schemas"] = dict(sorted(registry.items()))


PARAMETERS: dict[tuple[str, str], str] = {
    ("path", "conversation_id"): "ConversationId",
    ("path", "member_id"): "MemberId",
    ("path", "event_id"): "EventId",
    ("path", "user_id"): "UserId",
    ("path", "leg_id"): "LegId",
    ("query", "page_size"): "PageSize",
    ("query", "order"): "Order",
    ("query", "cursor"): "Cursor",
    ("query", "date_start"): "DateStart",
    ("query", "date_end"): "DateEnd",
    ("query", "start_id"): "StartId",
    ("query", "end_id"): "EndId",
    ("query", "event_type"): "EventType",
    ("query", "record_index"): "RecordIndex",
    ("query", "state"): "MembershipState",
}


def _parameter_name(key: tuple[str, str], taken: set[str]) -> str:
    location, name = key
    for candidate in (pascal(name), pascal(name) + pascal(location)):
        if candidate not in taken:
            return candidate
    raise NormalisationError(
        f"the {location} parameter {name!r} needs a name: add {key!r}: '<Name>' to PARAMETERS "
        "in scripts/spec_pipeline/rules_merged.py"
    )


@rule(
    "shared-parameters",
    source="merged",
    fault="Every operation spells out its own copy of the same parameters (v0.3), and v0.2's "
    "copies disagree with v0.3's (`order` lowercase only, `page_size` without a minimum).",
)
def shared_parameters(specs: Specs) -> None:
    """Define each parameter once in `components/parameters`, from its first v0.3 use; v0.2
    uses are folded into it (the v0.3 constraints win: `page_size` 1..100, `order` in either
    case). The `order` values become the named schema `SortOrder`. A parameter `PARAMETERS`
    does not name is shared under its name in PascalCase (`user_id` -> `UserId`; with its
    location added, `UserIdQuery`, if that is taken), with a warning naming it."""
    merged = specs.merged
    shared: Node = {}
    names = dict(PARAMETERS)
    for path, method, op in operations(merged):
        refs = []
        for param in op.get("parameters", []):
            key = (param["in"], param["name"])
            if key not in names:
                names[key] = _parameter_name(key, set(names.values()))
                specs.warnings.append(
                    f"{method.upper()} {path}: the {key[0]} parameter {key[1]!r} is shared as "
                    f"{names[key]!r} (to name it otherwise, add {key!r}: '<Name>' to PARAMETERS "
                    "in scripts/spec_pipeline/rules_merged.py)"
                )
            name = names[key]
            if name in shared:
                absorb(merged, shared[name]["schema"], param["schema"], f"parameter {name}")
                if "example" in param:
                    shared[name].setdefault("example", param["example"])
            else:
                shared[name] = param
            refs.append({"$ref": f"#/components/parameters/{name}"})
        if refs:
            op["parameters"] = refs
    components(merged)["SortOrder"] = shared["Order"]["schema"]
    shared["Order"]["schema"] = ref_to("SortOrder")
    merged["components"]["parameters"] = dict(sorted(shared.items()))
    merged["components"]["schemas"] = dict(sorted(components(merged).items()))


ERROR_SCHEMA: Node = {
    "type": "object",
    "description": "What went wrong (problem details in the style of RFC 7807). Every error "
    "response of every operation carries one.",
    "required": ["title"],
    "properties": {
        "type": {
            "type": "string",
            "description": "A URL naming the kind of error",
            "example": "https://developer.vonage.com/api-errors/conversation#not-found",
        },
        "title": {"type": "string", "description": "A short summary", "example": "Not found."},
        "detail": {
            "type": "string",
            "description": "What is wrong with this request, naming the field at fault",
            "example": "Conversation with id CON-d66d47de-5bcb-4300-94f0-0c9d4b948e9a not found",
        },
        "instance": {
            "type": "string",
            "description": "An id for this occurrence, to quote to support",
            "example": "bf0ca0bf927b3b52e3cb03217e1a1ddf",
        },
        "code": {
            "type": "string",
            "description": "A machine-readable error code",
            "example": "conversation:error:not-found",
        },
    },
}

# status -> (response name, description, only for operations with a request body)
ERROR_RESPONSES: dict[str, tuple[str, str, bool]] = {
    "400": ("BadRequest", "The request is invalid: `detail` names the parameter or field.", False),
    "401": ("Unauthorized", "The JWT is missing, malformed, expired or badly signed.", False),
    "403": ("Forbidden", "The JWT does not allow this call (its `acl` excludes it).", False),
    "404": ("NotFound", "No such resource.", False),
    "409": ("Conflict", "The request conflicts with the state of a resource.", False),
    "413": ("PayloadTooLarge", "The request body is larger than the server accepts.", True),
    "429": ("TooManyRequests", "Too many requests: wait `Retry-After` seconds.", False),
    "5XX": ("ServerError", "The server failed; the request may be retried.", False),
}


@rule(
    "non-empty-query-strings",
    source="both",
    fault="`cursor` and `event_type` accept the empty string, which names no cursor and no "
    "event type (OpenAPI 3.0 refuses an empty query value unless `allowEmptyValue` says "
    "otherwise, and neither source says so).",
)
def non_empty_query_strings(specs: Specs) -> None:
    """Give the free-text query parameters `cursor` and `event_type` a `minLength` of 1."""
    shared = specs.merged["components"]["parameters"]
    for name in ("Cursor", "EventType"):
        shared[name]["schema"]["minLength"] = 1


TEXT_EVENT_REQUEST: Node = {
    "type": "object",
    "description": "A text message from a member.",
    "required": ["type", "from", "body"],
    "properties": {
        "type": {"type": "string", "enum": ["text"], "example": "text"},
        "body": {
            "type": "object",
            "required": ["text"],
            "properties": {"text": {"type": "string", "example": "Hello World"}},
        },
    },
}
CUSTOM_EVENT_REQUEST: Node = {
    "type": "object",
    "description": "An event of your own, `custom:<name>`, with any JSON object as its body.",
    "required": ["type", "from"],
    "properties": {
        "type": {"type": "string", "pattern": "^custom:.+", "example": "custom:my_event"},
        "body": {"type": "object", "example": {"my": "Custom Data"}},
    },
}


@rule(
    "create-event-kinds",
    source="both",
    fault="Create event takes any `type` with any `body`, though the sources document only "
    "two kinds of event a member sends (`text`, whose body carries its `text`, and "
    "`custom:<name>`); member events are the API's own, sent when memberships change.",
)
def create_event_kinds(specs: Specs) -> None:
    """Make the create event body one of `CreateTextEventRequest` (type `text`, body with a
    string `text`) and `CreateCustomEventRequest` (type `custom:<name>`, any object body), each
    with the `from` and `to` of the v0.3 request."""
    registry = components(specs.merged)
    shared = registry.pop("CreateEventRequest")
    for name, kind in (
        ("CreateTextEventRequest", TEXT_EVENT_REQUEST),
        ("CreateCustomEventRequest", CUSTOM_EVENT_REQUEST),
    ):
        schema = copy.deepcopy(kind)
        schema["properties"] = {
            "type": schema["properties"]["type"],
            "from": copy.deepcopy(shared["properties"]["from"]),
            "to": copy.deepcopy(shared["properties"]["to"]),
            "body": schema["properties"]["body"],
        }
        registry[name] = schema
    registry["CreateEventRequest"] = {
        "description": "The event to send: a text message or a custom event.",
        # The kinds exclude each other by `type`; anyOf says so without a discriminator,
        # which cannot map the `custom:<name>` pattern.
        "anyOf": [ref_to("CreateTextEventRequest"), ref_to("CreateCustomEventRequest")],
    }
    specs.merged["components"]["schemas"] = dict(sorted(registry.items()))


@rule(
    "required-request-bodies",
    source="merged",
    fault="No request body is marked required, not even those whose schema requires fields "
    "(create member needs `user`, create event needs `type` and `from`).",
)
def required_request_bodies(specs: Specs) -> None:
    """Mark a request body required when its schema (each of its kinds) requires a field."""
    merged = specs.merged
    for _, _, op in operations(merged):
        if "requestBody" not in op:
            continue
        schema = resolve(merged, op["requestBody"]["content"][JSON]["schema"])
        kinds = [resolve(merged, kind) for kind in schema.get("anyOf", [schema])]
        if all(kind.get("required") for kind in kinds):
            op["requestBody"]["required"] = True


@rule(
    "error-responses",
    source="merged",
    fault="Neither source documents a single error response, so clients cannot parse errors "
    "and a conformance check cannot tell a documented error from an accident.",
)
def error_responses(specs: Specs) -> None:
    """Add the `Error` schema and one shared response per error status (400, 401, 403, 404,
    409, 429, 5XX, and 413 where there is a body) to every operation; 429 documents
    `Retry-After`."""
    merged = specs.merged
    components(merged)["Error"] = copy.deepcopy(ERROR_SCHEMA)
    merged["components"]["schemas"] = dict(sorted(components(merged).items()))
    shared: Node = {}
    for name, description, _ in ERROR_RESPONSES.values():
        shared[name] = {
            "description": description,
            "content": {JSON: {"schema": ref_to("Error")}},
        }
    shared["TooManyRequests"]["headers"] = {
        "Retry-After": {
            "description": "Seconds to wait, or an HTTP date, before trying again",
            "schema": {"type": "string"},
        }
    }
    merged["components"]["responses"] = shared
    for _, _, op in operations(merged):
        for status, (name, _, needs_body) in ERROR_RESPONSES.items():
            if needs_body and "requestBody" not in op:
                continue
            op["responses"][status] = {"$ref": f"#/components/responses/{name}"}


@rule(
    "bearer-security",
    source="merged",
    fault='v0.2 declares no security at all; v0.3 shows "Authorization: Bearer <JWT>" on each '
    "operation.",
)
def bearer_security(specs: Specs) -> None:
    """Require the bearer JWT globally and on every operation."""
    merged = specs.merged
    if "bearerAuth" not in merged["components"]["securitySchemes"]:
        raise NormalisationError("no bearerAuth security scheme")
    requirement: list[dict[str, list[str]]] = [{"bearerAuth": []}]
    merged["security"] = copy.deepcopy(requirement)
    for _, _, op in operations(merged):
        op["security"] = copy.deepcopy(requirement)
    # Keep the top-level keys in the order a reader expects.
    order = ("openapi", "info", "servers", "security", "tags", "paths", "components")
    specs.merged = {key: merged[key] for key in order}


def _reachable(document: Node, part: str) -> set[str]:
    """Names of the schemas that a `part` ("responses", "requestBody" or "parameters") of an
    operation can contain, directly or through other schemas."""
    pending: list[Any] = [
        schema
        for location, schema in schemas(document)
        if location[0] == "paths" and part in location
    ]
    reached: set[str] = set()
    while pending:
        node = pending.pop()
        name = ref_name(node)
        if name is not None:
            if name not in reached:
                reached.add(name)
                pending.append(components(document)[name])
        elif isinstance(node, dict):
            pending.extend(v for k, v in node.items() if k not in ("example", "examples"))
        elif isinstance(node, list):
            pending.extend(node)
    return reached


def _name_inline_response_enums(specs: Specs) -> None:
    merged = specs.merged
    registry = components(merged)
    from_responses = _reachable(merged, "responses")
    found = [
        location
        for name in sorted(from_responses)
        if "enum" not in registry[name]
        for location, schema in schemas({"components": {"schemas": {name: registry[name]}}})
        if "enum" in schema
    ]
    for location in found:
        steps = [str(step) for step in location[2:] if step not in ("properties", "items")]
        name = "".join(pascal(step) for step in steps)
        if name in registry:
            raise NormalisationError(
                f"the inline enum at /{'/'.join(map(str, location))} would be named {name!r}, "
                "which is taken: name it by adding it to PARTS in "
                "scripts/spec_pipeline/rules_merged.py"
            )
        extract(merged, name, location)
        specs.warnings.append(f"the inline enum of {'.'.join(steps)} is named {name!r}")
    if found:
        merged["components"]["schemas"] = dict(sorted(registry.items()))


@rule(
    "open-response-enums",
    source="merged",
    fault="Closed enums in responses (member state, channel type, leg state): a value the "
    "server adds later makes a generated client raise instead of parsing the response.",
)
def open_response_enums(specs: Specs) -> None:
    """Where a schema the server sends uses a named enum, accept the enum or any other string
    (`anyOf: [enum, string]`): known values stay typed, new ones come through. Schemas only
    requests use (the `order` parameter, the member states a request may ask for) stay
    closed; a schema both use (`Channel`) is open in both. An enum written inline in a
    response schema (one added to a source) is first named after where it is
    (`<Schema><Property>`), with a warning."""
    merged = specs.merged
    _name_inline_response_enums(specs)
    registry = components(merged)
    enums = {name for name, schema in registry.items() if "enum" in schema}
    from_responses = _reachable(merged, "responses")
    request_only = (_reachable(merged, "requestBody") | _reachable(merged, "parameters")) - (
        from_responses
    )
    for name in sorted(set(registry) - request_only - enums):
        for _, schema in schemas({"components": {"schemas": {name: registry[name]}}}):
            for prop, sub in schema.get("properties", {}).items():
                if ref_name(sub) in enums:
                    schema["properties"][prop] = {"anyOf": [sub, {"type": "string"}]}


@dataclass(frozen=True)
class Link:
    """An OpenAPI link: a value one response gives to a later call."""

    source: str  # operationId
    status: str
    name: str
    target: str  # operationId
    parameters: dict[str, str]  # target parameter -> runtime expression
    body: dict[str, str] | None = None  # request body fields -> runtime expression


CREATED_CONVERSATION = {"conversation_id": "$response.body#/id"}
CREATED_MEMBER = {
    "conversation_id": "$response.body#/conversation_id",
    "member_id": "$response.body#/id",
}
CREATED_EVENT = {
    "conversation_id": "$request.path.conversation_id",
    "event_id": "$response.body#/id",
}
LISTED = "$response.body#/_embedded"
# An event needs a member to send it, so events are linked from a created member, not from
# a created conversation.
LINKS: tuple[Link, ...] = (
    *(
        Link("createConversation", "201", name, target, CREATED_CONVERSATION)
        for name, target in (
            ("GetConversation", "getConversation"),
            ("UpdateConversation", "updateConversation"),
            ("DeleteConversation", "deleteConversation"),
            ("ListMembers", "listMembers"),
            ("CreateMember", "createMember"),
            ("ListEvents", "listEvents"),
        )
    ),
    Link("createMember", "201", "GetMember", "getMember", CREATED_MEMBER),
    Link("createMember", "201", "UpdateMember", "updateMember", CREATED_MEMBER),
    Link(
        "createMember",
        "201",
        "GetMyMember",
        "getMyMember",
        {"conversation_id": "$response.body#/conversation_id"},
    ),
    Link(
        "createMember",
        "201",
        "SendEvent",
        "createEvent",
        {"conversation_id": "$response.body#/conversation_id"},
        body={"from": "$response.body#/id"},
    ),
    Link("createEvent", "201", "GetEvent", "getEvent", CREATED_EVENT),
    Link("createEvent", "201", "DeleteEvent", "deleteEvent", CREATED_EVENT),
    Link(
        "listConversations",
        "200",
        "GetFirstConversation",
        "getConversation",
        {"conversation_id": f"{LISTED}/conversations/0/id"},
    ),
    Link(
        "listMembers",
        "200",
        "GetFirstMember",
        "getMember",
        {
            "conversation_id": "$request.path.conversation_id",
            "member_id": f"{LISTED}/members/0/id",
        },
    ),
    Link(
        "listEvents",
        "200",
        "GetFirstEvent",
        "getEvent",
        {"conversation_id": "$request.path.conversation_id", "event_id": f"{LISTED}/events/0/id"},
    ),
    Link("listLegs", "200", "DeleteFirstLeg", "deleteLeg", {"leg_id": f"{LISTED}/legs/0/uuid"}),
    *(
        Link("listUsers", "200", name, target, {"user_id": f"{LISTED}/data/users/0/id"})
        for name, target in (
            ("ListFirstUserConversations", "listUserConversations"),
            ("ListFirstUserSessions", "listUserSessions"),
        )
    ),
)


@rule(
    "stateful-links",
    source="merged",
    fault="Nothing tells a tool that the id a create or a list returns is what get, update and "
    "delete take, so stateful (multi-step) testing cannot chain calls.",
)
def stateful_links(specs: Specs) -> None:
    """Add OpenAPI `links` from each create to the operations that take the id it returns
    (a created member is also the sender of a new event, and `me` in its conversation), and
    from each list to the operations that take its first item's id."""
    merged = specs.merged
    for link in LINKS:
        operation(merged, link.target)  # fails loudly if a link names no operation
        holder = get_in(merged, _op_location(merged, link.source, "responses", link.status))
        definition: Node = {"operationId": link.target, "parameters": dict(link.parameters)}
        if link.body is not None:
            definition["requestBody"] = dict(link.body)
        holder.setdefault("links", {})[link.name] = definition
