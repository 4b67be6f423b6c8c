"""Rules that finish the merged spec for its users: required fields, request body kinds, errors,
security, open enums, links.

What they add is data: the error schema, the shared error responses and the links are actions
of the overlay openapi/overlay.yaml (applied by the rule each action names); the tables they
read are in openapi/tables.yaml. An entry whose target is gone from the sources is skipped with
a warning.
"""

from __future__ import annotations

import copy
from typing import Any

from .oas import (
    JSON,
    Node,
    NormalisationError,
    TargetGoneError,
    operation,
    operations,
    ref_name,
    ref_to,
    schemas,
)
from .overlay_actions import apply
from .registry import Specs, rule
from .schema_ops import components, extract, resolve
from .spec_data import overlay_actions, tables
from .words import pascal


def apply_overlay(specs: Specs, rule_id: str) -> None:
    """Apply the overlay's actions for rule_id to the merged spec; one whose target selects
    nothing is skipped with a warning."""
    for action in overlay_actions(rule_id):
        if apply(specs.merged, action) == 0:
            specs.skip(action.label, "its target selects nothing")


@rule(
    "v02-lists-deprecated",
    source="merged",
    fault="The v0.2 conversations, members and events lists are superseded by their v0.3 "
    "twins, but nothing says so.",
    data=("v02-twins",),
)
def v02_lists_deprecated(specs: Specs) -> None:
    """Mark the three v0.2 lists deprecated, naming the v0.3 operation to use instead."""
    for old, new in tables().v02_twins.items():
        try:
            op = operation(specs.merged, old)
        except TargetGoneError as error:
            specs.skip(f"v02-twins {old!r}", error)
            continue
        op["deprecated"] = True
        note = f"Deprecated: use `{new}` (v0.3)."
        op["description"] = f"{note}\n\n{op['description']}" if "description" in op else note


@rule(
    "resource-ids-required",
    source="both",
    fault="No conversation, member or created-event field is marked required, not even the id "
    "the API creates; only the sessions list requires a user's `id` and `name`. Generated "
    "models then type every id as optional.",
    data=("resource-ids",),
)
def resource_ids_required(specs: Specs) -> None:
    """Require the id of every conversation, conversation summary, member and created event,
    and a user's `id` and `name` (as the sessions list does for its users)."""
    registry = components(specs.merged)
    for name, fields in tables().resource_ids.items():
        if name not in registry:
            specs.skip(f"resource-ids {name!r}", f"no schema {name!r}")
            continue
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


@rule(
    "create-event-kinds",
    source="both",
    fault="Create event takes any `type` with any `body`, though the sources document only "
    "two kinds of event a member sends (`text`, whose body carries its `text`, and "
    "`custom:<name>`); member events are the API's own, sent when memberships change.",
    data=("create-event-kinds",),
)
def create_event_kinds(specs: Specs) -> None:
    """Make the create event body one of `CreateTextEventRequest` (type `text`, body with a
    string `text`) and `CreateCustomEventRequest` (type `custom:<name>`, any object body), each
    with the `from` and `to` of the v0.3 request."""
    registry = components(specs.merged)
    shared = registry.pop("CreateEventRequest")
    for name, kind in tables().create_event_kinds.items():
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
    data=("overlay", "error-responses"),
)
def error_responses(specs: Specs) -> None:
    """Add the `Error` schema and one shared response per error status (400, 401, 403, 404,
    409, 429, 5XX, and 413 where there is a body) to every operation; 429 documents
    `Retry-After`."""
    merged = specs.merged
    apply_overlay(specs, "error-responses")
    merged["components"]["schemas"] = dict(sorted(components(merged).items()))
    statuses = tables().error_responses
    shared = merged["components"].get("responses", {})
    if missing := sorted({each.response for each in statuses.values()} - set(shared)):
        raise NormalisationError(
            f"openapi/tables.yaml: error-responses names responses {missing} that "
            "openapi/overlay.yaml does not add to components/responses"
        )
    for _, _, op in operations(merged):
        for status, each in statuses.items():
            name = each.response
            if each.only_with_request_body and "requestBody" not in op:
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
                "which is taken: name it by adding it to parts in "
                "openapi/tables.yaml"
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


@rule(
    "stateful-links",
    source="merged",
    fault="Nothing tells a tool that the id a create or a list returns is what get, update and "
    "delete take, so stateful (multi-step) testing cannot chain calls.",
    data=("overlay",),
)
def stateful_links(specs: Specs) -> None:
    """Add OpenAPI `links` from each create to the operations that take the id it returns
    (a created member is also the sender of a new event, and `me` in its conversation), and
    from each list to the operations that take its first item's id. A link to an operation
    gone from the sources is dropped, with a warning."""
    apply_overlay(specs, "stateful-links")
    ids = {op.get("operationId") for _, _, op in operations(specs.merged)}
    for path, method, op in operations(specs.merged):
        for status, answer in op.get("responses", {}).items():
            links = answer.get("links", {})
            for name, link in list(links.items()):
                if link.get("operationId") not in ids:
                    del links[name]
                    where = f"link {name} of {method.upper()} {path} {status}"
                    specs.skip(where, f"no operation {link.get('operationId')!r}")
            if "links" in answer and not links:
                del answer["links"]
