"""Every semantic check can fail: a server wrong in exactly its way (every answer still of the
schema's shape) fails the run with the check and its operation named; the unbroken emulator
passes the same run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mutant_servers as servers
import pytest
from mutant_servers import App
from test_token_mutants import MUTANTS as TOKEN_MUTANTS
from vonage_conversation import ConversationClient
from vonage_conversation_conformance.cli import main
from vonage_conversation_conformance.semantic import SEMANTIC_CHECKS

CONVERSATIONS = "/v0.3/conversations"
CONVERSATION = f"{CONVERSATIONS}/{{conversation_id}}"
EVENTS = f"{CONVERSATION}/events"
MEMBERS = f"{CONVERSATION}/members"
USER_CONVERSATIONS = "/v0.3/users/{user_id}/conversations"
Query = dict[str, str]


def _without(*names: str) -> Callable[[Query], Query]:
    return lambda query: {key: value for key, value in query.items() if key not in names}


def _items(page: Any, key: str) -> list[Any]:
    embedded = page["_embedded"]
    return embedded[key] if key in embedded else embedded["data"][key]


def _repeat_an_item(page: Any, query: Query) -> Any:
    members = _items(page, "members")
    if len(members) > 1:
        members[-1] = members[0]
    return page


def _links(rewrite: Callable[[dict[str, Any]], None]) -> Callable[[Any, Query], Any]:
    def change(page: Any, query: Query) -> Any:
        rewrite(page["_links"])
        return page

    return change


def _prev_is_self(links: dict[str, Any]) -> None:
    if "prev" in links:
        links["prev"] = dict(links["self"])


def _self_is_first(links: dict[str, Any]) -> None:
    links["self"] = dict(links["first"])


def _relative(links: dict[str, Any]) -> None:
    for link in links.values():
        link["href"] = "/" + link["href"].split("/", 3)[3]


def _count_plus_one(page: Any, query: Query) -> Any:
    page["count"] += 1
    return page


def _ids_shrink(event: Any, query: Query) -> Any:
    event["id"] = str(1000 - int(event["id"]))
    return event


def _sequence_zero(conversation: Any, query: Query) -> Any:
    conversation["sequence_number"] = 0
    return conversation


def _changed_text(event: Any, query: Query) -> Any:
    if event["type"] == "text":
        event["body"] = {"text": "not what was sent"}
    return event


def _drop_last_member(page: Any, query: Query) -> Any:
    _items(page, "members").pop()
    return page


def _another_member(member: Any, query: Query) -> Any:
    member["id"] = "MEM-00000000-0000-0000-0000-000000000000"
    return member


def _drop_events_of(kind: str) -> Callable[[Any, Query], Any]:
    def drop(page: Any, query: Query) -> Any:
        events = page["_embedded"]["events"]
        events[:] = [event for event in events if event["type"] != kind]
        return page

    return drop


def _drop_first_conversation(page: Any, query: Query) -> Any:
    conversations = page["_embedded"]["conversations"]
    if conversations:
        conversations.pop(0)
    return page


def _set(
    path: str, value: Any, when: Callable[[Any], bool] = lambda body: True
) -> Callable[[Any], Any]:
    """Set the field at the dotted `path` of a JSON body to `value` (where `when` holds)."""

    def change(body: Any, query: Query | None = None) -> Any:
        if not isinstance(body, dict) or not when(body):
            return body
        *parents, last = path.split(".")
        target = body
        for name in parents:
            target = target.setdefault(name, {})
        target[last] = value
        return body

    return change


def _every_item(key: str, change: Callable[[Any], Any]) -> Callable[[Any, Query], Any]:
    def each(page: Any, query: Query) -> Any:
        for item in _items(page, key):
            change(item)
        return page

    return each


def _full(body: Any) -> bool:
    """The conversation_create_read_back check's create: the one that sends properties."""
    return "properties" in body and "callback" in body


@dataclass(frozen=True)
class Mutant:
    """A server wrong in one way, and the check and operation that must name it."""

    name: str
    wrap: Callable[[App], App]
    check: str
    operation: str
    field: str | None = None  # the field the failure must name, where it is one field's


MUTANTS = [
    Mutant(
        "a cursor ignored",
        servers.rewrite_query("GET", "/v0.3/conversations", _without("cursor")),
        "paging_covers_every_item_once",
        "GET /v0.3/conversations",
    ),
    Mutant(
        "a page that repeats an item",
        servers.rewrite_json("GET", MEMBERS, _repeat_an_item),
        "paging_covers_every_item_once",
        f"GET {MEMBERS}",
    ),
    Mutant(
        "page_size ignored",
        servers.rewrite_query("GET", EVENTS, _without("page_size")),
        "paging_respects_page_size",
        f"GET {EVENTS}",
    ),
    Mutant(
        "events in reverse order",
        servers.rewrite_query("GET", EVENTS, lambda query: {**query, "order": "desc"}),
        "paging_follows_order",
        f"GET {EVENTS}",
    ),
    Mutant(
        "_links.prev pointing at the page itself",
        servers.rewrite_json("GET", "/v0.3/conversations", _links(_prev_is_self)),
        "paging_prev_returns_previous",
        "GET /v0.3/conversations",
    ),
    Mutant(
        "_links.self pointing at the first page",
        servers.rewrite_json("GET", USER_CONVERSATIONS, _links(_self_is_first)),
        "paging_self_returns_same_page",
        f"GET {USER_CONVERSATIONS}",
    ),
    Mutant(
        "relative links",
        servers.rewrite_json(
            "GET", "/v0.2/conversations/{conversation_id}/members", _links(_relative)
        ),
        "paging_links_absolute_on_host",
        "GET /v0.2/conversations/{conversation_id}/members",
    ),
    Mutant(
        "record_index ignored",
        servers.rewrite_query("GET", "/v0.3/legs", _without("record_index")),
        "paging_covers_every_item_once",
        "GET /v0.3/legs",
    ),
    Mutant(
        "a legs count that is not the total",
        servers.rewrite_json("GET", "/v0.3/legs", _count_plus_one),
        "legs_count_is_total",
        "GET /v0.3/legs",
    ),
    Mutant(
        "event ids that shrink",
        servers.rewrite_json("POST", EVENTS, _ids_shrink),
        "event_ids_progressive",
        f"POST {EVENTS}",
    ),
    Mutant(
        "sequence_number stuck at 0",
        servers.rewrite_json("GET", CONVERSATION, _sequence_zero),
        "sequence_number_is_last_event",
        f"GET {CONVERSATION}",
    ),
    Mutant(
        "an event read back changed",
        servers.rewrite_json("GET", f"{EVENTS}/{{event_id}}", _changed_text),
        "event_read_back",
        f"GET {EVENTS}/{{event_id}}",
    ),
    Mutant(
        "event_type ignored",
        servers.rewrite_query("GET", EVENTS, _without("event_type")),
        "event_filters_exact",
        f"GET {EVENTS}",
    ),
    Mutant(
        "a duplicate name answered 201",
        servers.answer_with_a_fresh_name("/v0.3/conversations"),
        "conversation_name_unique",
        "POST /v0.3/conversations",
    ),
    Mutant(
        "a create storing another display_name",
        servers.rewrite_request_json(
            "POST", "/v0.3/conversations", _set("display_name", "x", _full)
        ),
        "conversation_create_read_back",
        "POST /v0.3/conversations",
        "display_name",
    ),
    Mutant(
        "a create storing other custom_data",
        servers.rewrite_request_json(
            "POST", "/v0.3/conversations", _set("properties.custom_data", {"made_by": "x"}, _full)
        ),
        "conversation_create_read_back",
        "POST /v0.3/conversations",
        "properties.custom_data.made_by",
    ),
    Mutant(
        "a create storing another number",
        servers.rewrite_request_json(
            "POST",
            "/v0.3/conversations",
            _set("numbers", [{"type": "phone", "number": "1"}], _full),
        ),
        "conversation_create_read_back",
        "POST /v0.3/conversations",
        "numbers.phone.number",
    ),
    Mutant(
        "a conversations list showing another display_name",
        servers.rewrite_json(
            "GET", "/v0.3/conversations", _every_item("conversations", _set("display_name", "x"))
        ),
        "conversation_create_read_back",
        "POST /v0.3/conversations",
        "display_name",
    ),
    Mutant(
        "an update storing another image_url",
        servers.rewrite_request_json("PUT", CONVERSATION, _set("image_url", "https://x.test/")),
        "conversation_update_read_back",
        f"PUT {CONVERSATION}",
        "image_url",
    ),
    Mutant(
        "an update storing other properties",
        servers.rewrite_request_json("PUT", CONVERSATION, _set("properties.ttl", 1)),
        "conversation_update_read_back",
        f"PUT {CONVERSATION}",
        "properties.ttl",
    ),
    Mutant(
        "a member read back with another channel",
        servers.rewrite_json("GET", f"{MEMBERS}/{{member_id}}", _set("channel", {"type": "phone"})),
        "member_create_read_back",
        f"POST {MEMBERS}",
        "channel.type",
    ),
    Mutant(
        "a members list showing another state",
        servers.rewrite_json("GET", MEMBERS, _every_item("members", _set("state", "LEFT"))),
        "member_create_read_back",
        f"POST {MEMBERS}",
        "state",
    ),
    Mutant(
        "an events list showing other bodies",
        servers.rewrite_json("GET", EVENTS, _every_item("events", _set("body", {"text": "x"}))),
        "event_read_back",
        f"GET {EVENTS}/{{event_id}}",
        "body.text",
    ),
    Mutant(
        "a deleted conversation still answering",
        servers.acknowledge_without_doing("DELETE", CONVERSATION),
        "deleted_conversation_gone",
        f"DELETE {CONVERSATION}",
    ),
    Mutant(
        "a deleted conversation's members still answering",
        servers.answer_empty_where_missing(MEMBERS, "members"),
        "deleted_conversation_gone",
        f"DELETE {CONVERSATION}",
    ),
    Mutant(
        "a deleted conversation still in its user's conversations",
        servers.list_the_deleted(CONVERSATION, USER_CONVERSATIONS, "conversations"),
        "deleted_conversation_gone",
        f"DELETE {CONVERSATION}",
    ),
    Mutant(
        "a deleted event still answering",
        servers.acknowledge_without_doing("DELETE", f"{EVENTS}/{{event_id}}", status=200),
        "deleted_event_gone",
        f"DELETE {EVENTS}/{{event_id}}",
    ),
    Mutant(
        "a deleted event still listed",
        servers.list_the_deleted(f"{EVENTS}/{{event_id}}", EVENTS, "events"),
        "deleted_event_gone",
        f"DELETE {EVENTS}/{{event_id}}",
    ),
    Mutant(
        "every events list the first one asked",
        servers.pin_path("GET", EVENTS),
        "items_stay_under_their_parent",
        f"GET {EVENTS}",
    ),
    Mutant(
        "every v0.2 members list the first one asked",
        servers.pin_path("GET", "/v0.2/conversations/{conversation_id}/members"),
        "items_stay_under_their_parent",
        "GET /v0.2/conversations/{conversation_id}/members",
    ),
    Mutant(
        "date_start ignored",
        servers.rewrite_query("GET", USER_CONVERSATIONS, _without("date_start")),
        "date_filters_exact",
        f"GET {USER_CONVERSATIONS}",
    ),
    Mutant(
        "date_end ignored (v0.2)",
        servers.rewrite_query("GET", "/v0.2/conversations", _without("date_end")),
        "date_filters_exact",
        "GET /v0.2/conversations",
    ),
    Mutant(
        "event_type ignored (v0.2)",
        servers.rewrite_query(
            "GET", "/v0.2/conversations/{conversation_id}/events", _without("event_type")
        ),
        "event_filters_exact",
        "GET /v0.2/conversations/{conversation_id}/events",
    ),
    Mutant(
        "an update acknowledged but not applied",
        servers.acknowledge_without_doing("PUT", CONVERSATION, status=None),
        "conversation_update_read_back",
        f"PUT {CONVERSATION}",
    ),
    Mutant(
        "a member missing from the members list",
        servers.rewrite_json("GET", MEMBERS, _drop_last_member),
        "member_listed",
        f"GET {MEMBERS}",
    ),
    Mutant(
        "members/me giving another member",
        servers.rewrite_json("GET", f"{MEMBERS}/me", _another_member),
        "member_me_read_back",
        f"GET {MEMBERS}/me",
    ),
    Mutant(
        "leaving acknowledged but not done",
        servers.acknowledge_without_doing("PATCH", f"{MEMBERS}/{{member_id}}", status=None),
        "member_leaving",
        f"PATCH {MEMBERS}/{{member_id}}",
    ),
    Mutant(
        "no member:left event",
        servers.rewrite_json("GET", EVENTS, _drop_events_of("member:left")),
        "member_leaving",
        f"PATCH {MEMBERS}/{{member_id}}",
    ),
    Mutant(
        "no member:invited event",
        servers.rewrite_json("GET", EVENTS, _drop_events_of("member:invited")),
        "member_invited_event",
        f"POST {MEMBERS}",
    ),
    Mutant(
        "a user's conversation missing from their list",
        servers.rewrite_json("GET", USER_CONVERSATIONS, _drop_first_conversation),
        "user_conversations_list_memberships",
        f"GET {USER_CONVERSATIONS}",
    ),
]


def test_every_semantic_check_has_a_mutant() -> None:
    token_checks = {mutant.check for mutant in TOKEN_MUTANTS}  # test_token_mutants runs them
    assert {mutant.check for mutant in MUTANTS} | token_checks == set(SEMANTIC_CHECKS)


def _failures(out: str) -> list[str]:
    listed = out.split("\nfailures:\n", 1)[1] if "\nfailures:\n" in out else ""
    return [line.split(". ", 1)[1] for line in listed.splitlines() if line[:1].isdigit()]


@pytest.mark.parametrize("mutant", MUTANTS, ids=[mutant.name for mutant in MUTANTS])
def test_each_semantic_mutant_fails_the_run_naming_its_check_and_operation(
    mutant: Mutant, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with servers.serve(tmp_path, mutant.wrap) as server:
        status = main([*server.args(), "--phases", "semantic"], environ={})
    out = capsys.readouterr().out
    assert status == 1, out
    assert any(
        heading.startswith(f"{mutant.operation}: {mutant.check} (") for heading in _failures(out)
    ), out
    assert "The sources say (" in out
    if mutant.field is not None:
        assert f"at fault: {mutant.field}\n" in out, out


def test_the_unbroken_emulator_keeps_every_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with servers.serve(tmp_path) as server:
        status = main([*server.args(), "--phases", "semantic"], environ={})
        with ConversationClient(
            application_id=servers.APPLICATION_ID, private_key=servers.PEM, base_url=server.url
        ) as client:
            left_behind = list(client.conversations.list())
    out = capsys.readouterr().out
    assert status == 0, out
    assert "no rule broken" in out.splitlines()[1]
    assert "\nfailures:" not in out and "\nerrors:" not in out
    assert left_behind == []  # the checks deleted what they made
