"""Rules that merge the two normalised sources into one spec, and share its schemas by name.

The names they give come from openapi/tables.yaml (`bodies`, `parts`, `absorbed`,
`v02-twin-schemas`, `event-kinds`); an entry whose target is gone from the sources is skipped
with a warning.
"""

from __future__ import annotations

import copy
from urllib.parse import urlsplit

from vonage_conversation_spec import SpecLookupError, find_operation, resolve

from .oas import (
    JSON,
    Location,
    Node,
    NormalisationError,
    TargetGoneError,
    mappings,
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
)
from .spec_data import Body, tables
from .words import pascal

SERVER = "https://api.nexmo.com"


def _version_prefix(source: Node) -> str:
    (server,) = source["servers"]
    prefix = str(urlsplit(server["url"]).path).rstrip("/")
    if not prefix.startswith("/v0."):
        raise NormalisationError(f"server {server['url']!r} names no version")
    return prefix


def _inline_parameter_refs(source: Node) -> None:
    for _, _, op in operations(source):
        op["parameters"] = [
            copy.deepcopy(resolve(source, param)) if "$ref" in param else param
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
    for old, each in tables().event_kinds.items():
        if old not in registry:
            specs.skip(f"event-kinds {old!r}", f"no v0.2 schema {old!r}")
            continue
        v02_kind, new = registry.pop(old), each.schema
        kind = copy.deepcopy(event)
        kind["description"] = v02_kind["description"]
        for prop, schema in v02_kind["properties"].items():
            if prop not in v02_event_props:
                kind["properties"][prop] = schema
        kind["properties"]["type"].update(copy.deepcopy(each.type))
        registry[new] = kind


@rule(
    "shared-schemas",
    source="merged",
    fault="v0.3 documents every request and response inline (the member four times, the "
    "conversation three times), so generators make one anonymous model per response; v0.2 "
    "names its schemas in snake_case, and its twins of v0.3 objects disagree in small ways.",
    data=("bodies", "parts", "absorbed", "v02-twin-schemas", "event-kinds"),
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
    twins = tables().v02_twin_schemas
    v02_event_props = set(registry["event"]["properties"])
    registry["member"] = flatten_all_of(merged, registry["member"], "member")
    for body in tables().bodies:
        _extract_body(specs, body)
    # Fold v0.2 twins in before naming the parts, so the parts are named with v0.2's fields...
    for old in ("member_list", "member", "event"):
        absorb(merged, registry[twins[old]], registry[old], old)
    for part in tables().parts:
        try:
            extract(merged, part.schema, part.at)
        except TargetGoneError as error:
            specs.skip(f"parts {part.schema!r}", error)
    # ...except those whose shared name is a part.
    for old in ("conversation_list", "user_list"):
        absorb(merged, registry[twins[old]], registry[old], old)
    for part in tables().absorbed:
        if part.schema not in registry:
            specs.skip(f"absorbed {part.schema!r}", f"no schema {part.schema!r}")
            continue
        try:
            absorb_into_component(merged, part.schema, part.at)
        except TargetGoneError as error:
            specs.skip(f"absorbed {part.schema!r}", error)
    registry["MemberInitiator"]["properties"]["invited"] = ref_to("Initiator")
    # v0.2 events link themselves with `_links.self.href` and carry no `href`: the shared
    # Event requires only what both versions send.
    registry["Event"]["required"].remove("href")
    for old, new in twins.items():
        if old not in registry:
            specs.skip(f"v02-twin-schemas {old!r}", f"no v0.2 schema {old!r}")
            continue
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


def _extract_body(specs: Specs, body: Body) -> None:
    """Name one body of the `bodies` table; skipped, with a warning, if it is gone."""
    try:
        found = find_operation(specs.merged, body.operation)
    except SpecLookupError as error:
        specs.skip(f"bodies {body.schema!r}", error)
        return
    below: Location = (
        ("requestBody", "content", JSON, "schema")
        if not body.status
        else ("responses", body.status, "content", JSON, "schema")
    )
    try:
        extract(specs.merged, body.schema, ("paths", found.path, found.method, *below))
    except TargetGoneError as error:
        specs.skip(f"bodies {body.schema!r}", error)


def _name_v02_schema(specs: Specs, name: str) -> None:
    """A v0.2 schema no rule names (one added to the source) is shared in PascalCase."""
    registry = components(specs.merged)
    shared = pascal(name)
    if shared in registry:
        raise NormalisationError(
            f"the v0.2 schema {name!r} would be named {shared!r}, which is taken: add "
            f"{name!r}: <Name> to v02-twin-schemas in openapi/tables.yaml"
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
