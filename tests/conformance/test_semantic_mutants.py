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

CONVERSATION = "/v0.3/conversations/{conversation_id}"
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


@dataclass(frozen=True)
class Mutant:
    """A server wrong in one way, and the check and operation that must name it."""

    name: str
    wrap: Callable[[App], App]
    check: str
    operation: str


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
