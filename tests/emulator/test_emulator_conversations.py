"""Conversations: state, uniqueness, numbers, partial update, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from emulator_support import assert_error, event_request, json_of
from vonage_conversation_api import AuthenticatedClient
from vonage_conversation_api.api.conversation import (
    create_conversation,
    delete_conversation,
    get_conversation,
    update_conversation,
)
from vonage_conversation_api.api.event import create_event, get_event, list_events
from vonage_conversation_api.api.member import create_member, list_members
from vonage_conversation_api.api.user import list_user_conversations
from vonage_conversation_api.models import (
    ConversationRequest,
    CreateMemberRequest,
)
from vonage_conversation_emulator.embedded import EmulatorInstance


def _create(client: AuthenticatedClient, **fields: Any) -> dict[str, Any]:
    response = create_conversation.sync_detailed(
        client=client, body=ConversationRequest.from_dict(fields)
    )
    assert response.status_code == 201, response.content
    created: dict[str, Any] = json_of(response)
    return created


def test_create_answers_the_stored_conversation(
    client: AuthenticatedClient, emulator: EmulatorInstance
) -> None:
    created = _create(
        client,
        name="support",
        display_name="Support",
        properties={"ttl": 60, "custom_data": {"team": "a"}},
        numbers=[{"type": "phone", "number": "447700900000"}, {"type": "app", "user": "jamie"}],
    )
    assert created["id"].startswith("CON-")
    assert created["state"] == "ACTIVE"
    assert created["sequence_number"] == 0
    assert created["numbers"] == {
        "phone": {"type": "phone", "number": "447700900000"},
        "app": {"type": "app", "user": "jamie"},
    }
    assert created["_links"]["self"]["href"] == (
        f"{emulator.base_url}/v0.3/conversations/{created['id']}"
    )
    assert created["timestamp"]["created"].endswith("Z")
    assert len(created["timestamp"]["created"]) == len("2020-01-01T14:00:00.000Z")
    fetched = json_of(get_conversation.sync_detailed(created["id"], client=client))
    assert fetched == created


def test_create_without_a_name_makes_one(client: AuthenticatedClient) -> None:
    assert _create(client)["name"].startswith("NAM-")


def test_a_taken_name_is_a_409(client: AuthenticatedClient) -> None:
    _create(client, name="support")
    again = create_conversation.sync_detailed(
        client=client, body=ConversationRequest.from_dict({"name": "support"})
    )
    body = assert_error(again, 409, "conversation:error:duplicate-name")
    assert "name" in body["detail"]


def test_two_numbers_of_one_channel_type_are_a_409_naming_the_field(
    client: AuthenticatedClient,
) -> None:
    # The body conforms to the spec (it cannot forbid this), so it is a conflict, not a 400.
    twice = {"numbers": [{"type": "phone", "number": "1"}, {"type": "phone", "number": "2"}]}
    response = create_conversation.sync_detailed(
        client=client, body=ConversationRequest.from_dict(twice)
    )
    body = assert_error(response, 409, "conversation:error:duplicate-number")
    assert body["detail"].startswith("numbers[1].type: a second 'phone' number")
    created = _create(client, numbers=[{"type": "phone", "number": "1"}])
    updated = update_conversation.sync_detailed(
        created["id"], client=client, body=ConversationRequest.from_dict(twice)
    )
    assert_error(updated, 409, "conversation:error:duplicate-number")
    unchanged = json_of(get_conversation.sync_detailed(created["id"], client=client))
    assert unchanged["numbers"] == {"phone": {"type": "phone", "number": "1"}}


def test_update_replaces_only_the_fields_given(client: AuthenticatedClient) -> None:
    created = _create(
        client,
        name="support",
        display_name="Support",
        properties={"ttl": 60},
        numbers=[{"type": "phone", "number": "1"}],
    )
    response = update_conversation.sync_detailed(
        created["id"],
        client=client,
        body=ConversationRequest.from_dict(
            {"display_name": "Help", "numbers": [{"type": "sip", "uri": "sip:a@b.c"}]}
        ),
    )
    assert response.status_code == 200
    updated = json_of(get_conversation.sync_detailed(created["id"], client=client))
    assert updated["display_name"] == "Help"
    assert updated["numbers"] == {"sip": {"type": "sip", "uri": "sip:a@b.c"}}
    assert updated["name"] == "support"
    assert updated["properties"] == {"ttl": 60}
    assert updated == json_of(response)


def test_update_to_a_taken_name_is_a_409_but_keeping_its_own_is_not(
    client: AuthenticatedClient,
) -> None:
    first = _create(client, name="first")
    _create(client, name="second")
    clash = update_conversation.sync_detailed(
        first["id"], client=client, body=ConversationRequest.from_dict({"name": "second"})
    )
    assert_error(clash, 409, "conversation:error:duplicate-name")
    same = update_conversation.sync_detailed(
        first["id"], client=client, body=ConversationRequest.from_dict({"name": "first"})
    )
    assert same.status_code == 200


def test_unknown_conversation_is_a_404_everywhere(client: AuthenticatedClient) -> None:
    missing = "CON-00000000-0000-0000-0000-000000000000"
    for response in (
        get_conversation.sync_detailed(missing, client=client),
        update_conversation.sync_detailed(
            missing, client=client, body=ConversationRequest.from_dict({})
        ),
        delete_conversation.sync_detailed(missing, client=client),
        list_members.sync_detailed(missing, client=client),
        list_events.sync_detailed(missing, client=client),
    ):
        assert_error(response, 404, "conversation:error:not-found")


def test_delete_removes_the_conversation_its_members_and_events(
    client: AuthenticatedClient, create_user: Callable[..., dict[str, Any]]
) -> None:
    alice = create_user("alice")
    conversation = _create(client, name="support")
    member = create_member.sync_detailed(
        conversation["id"],
        client=client,
        body=CreateMemberRequest.from_dict({"user": {"id": alice["id"]}, "state": "joined"}),
    ).parsed
    create_event.sync_detailed(
        conversation["id"],
        client=client,
        body=event_request({"type": "text", "from": member.id, "body": {"text": "x"}}),
    )
    deleted = delete_conversation.sync_detailed(conversation["id"], client=client)
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert_error(
        get_conversation.sync_detailed(conversation["id"], client=client),
        404,
        "conversation:error:not-found",
    )
    assert_error(
        get_event.sync_detailed(conversation["id"], "1", client=client),
        404,
        "conversation:error:not-found",
    )
    memberships = list_user_conversations.sync_detailed(alice["id"], client=client).parsed
    assert memberships.field_embedded.conversations == []
    # The name is free again: nothing of the old conversation is left behind.
    assert _create(client, name="support")["sequence_number"] == 0


def test_sequence_number_is_the_last_event_id(
    client: AuthenticatedClient, create_user: Callable[..., dict[str, Any]]
) -> None:
    create_user("alice")
    conversation = _create(client)
    member = create_member.sync_detailed(
        conversation["id"],
        client=client,
        body=CreateMemberRequest.from_dict({"user": {"name": "alice"}, "state": "joined"}),
    ).parsed
    for _ in range(3):
        sent = create_event.sync_detailed(
            conversation["id"],
            client=client,
            body=event_request({"type": "custom:ping", "from": member.id}),
        )
    fetched = get_conversation.sync_detailed(conversation["id"], client=client).parsed
    assert fetched.sequence_number == 4 == int(sent.parsed.id)
