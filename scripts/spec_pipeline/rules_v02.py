"""Rules for faults of the v0.2 YAML (openapi/sources/conversation.v0.2.yaml)."""

from __future__ import annotations

from typing import Any

from .oas import NormalisationError, operation_at, ref_to, schemas, transform_examples
from .registry import Specs, rule
from .schema_ops import components, flatten_all_of

# The event kinds v0.2 documents, by their v0.2 schema name.
EVENT_KINDS = ("text_event", "custom_event", "member_invited_event", "member_left_event")


@rule(
    "event-id-string",
    source="v0.2",
    fault="Event ids are integers in v0.2 (`id: integer`, `event_id` path parameter "
    '`integer`) and strings ("a progressive integer") in v0.3.',
)
def event_id_string(specs: Specs) -> None:
    """Type v0.2 event ids as strings, like v0.3: one Event schema serves both versions."""
    event_id = components(specs.v02)["event"]["properties"]["id"]
    parameter = specs.v02["components"]["parameters"]["event_id_parameter"]
    for holder, schema in ((event_id, event_id), (parameter, parameter["schema"])):
        if schema.get("type") != "integer":
            raise NormalisationError("v0.2 event id is no longer an integer")
        schema["type"] = "string"
        holder["example"] = str(holder["example"])


@rule(
    "v02-member-list-links",
    source="v0.2",
    fault="The v0.2 members list's link examples point at `/v0.2/members?...`, a path that "
    "does not exist (members live under `/conversations/{conversation_id}/members`).",
)
def v02_member_list_links(specs: Specs) -> None:
    """Point those examples at the conversation's members path."""
    conversation_id = specs.v02["components"]["parameters"]["conversation_id_parameter"]["example"]
    wrong = "https://api.nexmo.com/v0.2/members?"
    right = f"https://api.nexmo.com/v0.2/conversations/{conversation_id}/members?"

    def fix(value: Any) -> Any:
        return value.replace(wrong, right) if isinstance(value, str) else value

    op = operation_at(specs.v02, "get", "/conversations/{conversation_id}/members")
    transform_examples(op, fix)


@rule(
    "is-system-spelling",
    source="v0.2",
    fault="The member initiator flag is `is_system` in v0.2 and `isSystem` in v0.3.",
)
def is_system_spelling(specs: Specs) -> None:
    """Spell it `isSystem` (the current API's spelling); the overlay accepts both."""
    for _, schema in schemas(specs.v02):
        props = schema.get("properties", {})
        if "is_system" in props:
            schema["properties"] = {
                ("isSystem" if name == "is_system" else name): value
                for name, value in props.items()
            }


DOC_RENDERER_EXTENSIONS = ("x-nexmo-developer-collection-description-shown", "x-tab-id", "x-label")


@rule(
    "doc-renderer-extensions",
    source="v0.2",
    fault="`x-nexmo-developer-collection-description-shown`, `x-tab-id` and `x-label` steer "
    "Vonage's documentation renderer and mean nothing to a client or a validator.",
)
def doc_renderer_extensions(specs: Specs) -> None:
    """Drop those extensions."""

    def drop(node: Any) -> None:
        if isinstance(node, dict):
            for key in DOC_RENDERER_EXTENSIONS:
                node.pop(key, None)
            for value in node.values():
                drop(value)
        elif isinstance(node, list):
            for item in node:
                drop(item)

    drop(specs.v02)


@rule(
    "users-tag",
    source="v0.2",
    fault="`GET /users` has no tag (the only untagged operation), so generators file it "
    "under `default`.",
)
def users_tag(specs: Specs) -> None:
    """Tag it `user`, the tag v0.3 gives every user operation."""
    operation_at(specs.v02, "get", "/users")["tags"] = ["user"]


@rule(
    "event-kinds-flattened",
    source="v0.2",
    fault="Events are an `anyOf` of four `allOf` kinds with no discriminator: a client cannot "
    "tell which kind it holds (openapi-python-client takes the first that parses, always "
    "`text`), and the generator keeps only the first definition of a property an `allOf` "
    "part redefines.",
)
def event_kinds_flattened(specs: Specs) -> None:
    """List events as the base `event`; keep each kind as one plain object schema."""
    op = operation_at(specs.v02, "get", "/conversations/{conversation_id}/events")
    registry = components(specs.v02)
    for name in EVENT_KINDS:
        registry[name] = flatten_all_of(specs.v02, registry[name], name)
    del registry["all_events"]
    events = op["responses"]["200"]["content"]["application/json"]["schema"]
    events["properties"]["_embedded"]["properties"]["data"]["properties"]["events"]["items"] = (
        ref_to("event")
    )
