"""Events: kinds, senders, get/delete, filters, and paging through 250 of them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from emulator_support import assert_error, event_request, json_of
from vonage_conversation_api import AuthenticatedClient
from vonage_conversation_api.api.conversation import create_conversation
from vonage_conversation_api.api.event import (
    create_event,
    delete_event,
    get_event,
    list_events,
    list_events_v02,
)
from vonage_conversation_api.api.member import create_member
from vonage_conversation_api.models import (
    ConversationRequest,
    CreateMemberRequest,
)
from vonage_conversation_emulator.embedded import EmulatorInstance


@pytest.fixture
def room(client: AuthenticatedClient, create_user: Callable[..., dict[str, Any]]) -> dict[str, str]:
    """A conversation with alice JOINED (event 1) and bob INVITED (event 2)."""
    create_user("alice")
    create_user("bob")
    conversation_id = create_conversation.sync_detailed(
        client=client, body=ConversationRequest.from_dict({})
    ).parsed.id
    members = {}
    for name, state in (("alice", "joined"), ("bob", "invited")):
        members[name] = create_member.sync_detailed(
            conversation_id,
            client=client,
            body=CreateMemberRequest.from_dict({"user": {"name": name}, "state": state}),
        ).parsed.id
    return {"conversation": conversation_id, **members}


def _send(client: AuthenticatedClient, conversation_id: str, **body: Any) -> Any:
    return create_event.sync_detailed(conversation_id, client=client, body=event_request(body))


def test_text_event_created_read_and_deleted(
    client: AuthenticatedClient, room: dict[str, str], emulator: EmulatorInstance
) -> None:
    conversation_id = room["conversation"]
    sent = _send(
        client,
        conversation_id,
        type="text",
        to=room["bob"],
        body={"text": "hello"},
        **{"from": room["alice"]},
    )
    assert sent.status_code == 201
    created = json_of(sent)
    href = f"{emulator.base_url}/v0.3/conversations/{conversation_id}/events/3"
    assert created["id"] == "3"
    assert created["href"] == href
    event = json_of(get_event.sync_detailed(conversation_id, "3", client=client))
    assert event == {
        "id": "3",
        "type": "text",
        "from": room["alice"],
        "to": room["bob"],
        "body": {"text": "hello"},
        "timestamp": created["timestamp"],
        "href": href,
        "_links": {"self": {"href": href}},
    }
    deleted = delete_event.sync_detailed(conversation_id, "3", client=client)
    assert deleted.status_code == 200
    assert json_of(deleted) == {}
    assert_error(
        get_event.sync_detailed(conversation_id, "3", client=client), 404, "event:error:not-found"
    )
    assert_error(
        delete_event.sync_detailed(conversation_id, "3", client=client),
        404,
        "event:error:not-found",
    )
    # A deleted id is never handed out again.
    again = _send(client, conversation_id, type="custom:x", **{"from": room["alice"]})
    assert json_of(again)["id"] == "4"


def test_custom_event_keeps_any_body(client: AuthenticatedClient, room: dict[str, str]) -> None:
    body = {"nested": {"list": [1, 2.5, None, True]}, "unicode": "héllo ✓"}
    sent = _send(
        client, room["conversation"], type="custom:my_event", body=body, **{"from": room["alice"]}
    )
    event = json_of(
        get_event.sync_detailed(room["conversation"], json_of(sent)["id"], client=client)
    )
    assert event["type"] == "custom:my_event"
    assert event["body"] == body


@pytest.mark.parametrize(
    ("event", "detail"),
    [
        ({"type": "text", "body": {}}, "body: 'text' is a required property"),
        ({"type": "text"}, "'body' is a required property"),
        ({"type": "text", "body": {"text": 5}}, "body.text: 5 is not of type 'string'"),
        ({"type": "custom:x", "body": []}, "body: [] is not of type 'object'"),
        (
            {"type": "member:joined", "body": {}},
            "type: 'member:joined' is not one of ['text']; "
            "type: 'member:joined' does not match '^custom:.+'",
        ),
        (
            {"type": "custom:", "body": {}},
            "type: 'custom:' is not one of ['text']; type: 'custom:' does not match '^custom:.+'",
        ),
    ],
)
def test_events_the_spec_refuses_are_a_400_naming_the_field(
    raw: httpx.Client, room: dict[str, str], event: dict[str, Any], detail: str
) -> None:
    # The spec's anyOf (text or custom) decides; the detail speaks of the kind the body is of.
    response = raw.post(
        f"/v0.3/conversations/{room['conversation']}/events",
        json={**event, "from": room["alice"]},
    )
    assert assert_error(response, 400, "http:error:validation-fail")["detail"] == detail


def test_the_sender_must_be_a_joined_member(
    client: AuthenticatedClient, room: dict[str, str]
) -> None:
    conversation_id = room["conversation"]
    stranger = _send(client, conversation_id, type="text", body={"text": "x"}, **{"from": "MEM-x"})
    assert "from" in assert_error(stranger, 404, "member:error:not-found")["detail"]
    invited = _send(
        client, conversation_id, type="text", body={"text": "x"}, **{"from": room["bob"]}
    )
    assert_error(invited, 409, "member:error:invalid-state")
    nobody = _send(
        client,
        conversation_id,
        type="text",
        body={"text": "x"},
        to="MEM-x",
        **{"from": room["alice"]},
    )
    assert "to" in assert_error(nobody, 404, "member:error:not-found")["detail"]


def test_event_ids_beyond_any_stored_are_404_not_errors(
    client: AuthenticatedClient, room: dict[str, str]
) -> None:
    huge = "9" * 40
    assert_error(
        get_event.sync_detailed(room["conversation"], huge, client=client),
        404,
        "event:error:not-found",
    )
    page = json_of(list_events.sync_detailed(room["conversation"], client=client, start_id=huge))
    assert page["_embedded"]["events"] == []


def test_filters_by_type_and_id_range(client: AuthenticatedClient, room: dict[str, str]) -> None:
    conversation_id = room["conversation"]
    for index in range(6):
        kind = "text" if index % 2 else "custom:tick"
        _send(client, conversation_id, type=kind, body={"text": "t"}, **{"from": room["alice"]})
    # ids: 1 member:joined, 2 member:invited, 3..8 alternating custom:tick/text
    texts = json_of(list_events.sync_detailed(conversation_id, client=client, event_type="text"))
    assert [e["id"] for e in texts["_embedded"]["events"]] == ["4", "6", "8"]
    ranged = json_of(
        list_events.sync_detailed(conversation_id, client=client, start_id="3", end_id="5")
    )
    assert [e["id"] for e in ranged["_embedded"]["events"]] == ["3", "4", "5"]
    both = json_of(
        list_events_v02.sync_detailed(
            conversation_id, client=client, event_type="custom:tick", start_id="4", order="DESC"
        )
    )
    assert [e["id"] for e in both["_embedded"]["data"]["events"]] == ["7", "5"]


def _cursor_of(href: str) -> str:
    return parse_qs(urlsplit(href).query)["cursor"][0]


@pytest.mark.parametrize("order", ["asc", "DESC"])
def test_250_events_paged_by_100_both_ways(
    client: AuthenticatedClient, room: dict[str, str], order: str, emulator: EmulatorInstance
) -> None:
    conversation_id = room["conversation"]
    for _ in range(248):  # with the two member events: ids 1..250
        _send(client, conversation_id, type="custom:n", **{"from": room["alice"]})
    expected = [str(i) for i in range(1, 251)]
    if order.lower() == "desc":
        expected.reverse()

    pages: list[list[str]] = []
    response = list_events.sync_detailed(conversation_id, client=client, page_size=100, order=order)
    while True:
        page = json_of(response)
        assert page["page_size"] == 100
        links = page["_links"]
        assert all(link["href"].startswith(emulator.base_url + "/v0.3/") for link in links.values())
        pages.append([e["id"] for e in page["_embedded"]["events"]])
        if "next" not in links:
            break
        response = list_events.sync_detailed(
            conversation_id,
            client=client,
            page_size=100,
            order=order,
            cursor=_cursor_of(links["next"]["href"]),
        )
    assert [len(p) for p in pages] == [100, 100, 50]
    assert [i for p in pages for i in p] == expected
    assert "prev" in links

    # ... and back again with prev, page by page, to the first page.
    backwards: list[list[str]] = [pages[-1]]
    while "prev" in links:
        response = list_events.sync_detailed(
            conversation_id,
            client=client,
            page_size=100,
            order=order,
            cursor=_cursor_of(links["prev"]["href"]),
        )
        page = json_of(response)
        links = page["_links"]
        backwards.append([e["id"] for e in page["_embedded"]["events"]])
    assert backwards[::-1] == pages
    assert "next" in links
