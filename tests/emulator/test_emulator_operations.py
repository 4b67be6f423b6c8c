"""Every operation of the spec, on its happy path, through the generated client."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from emulator_support import SpecChecker, event_request, load_spec
from openapi_core.exceptions import OpenAPIError
from vonage_conversation_api import AuthenticatedClient
from vonage_conversation_api.api.conversation import (
    create_conversation,
    delete_conversation,
    get_conversation,
    list_conversations,
    list_conversations_v02,
    update_conversation,
)
from vonage_conversation_api.api.event import (
    create_event,
    delete_event,
    get_event,
    list_events,
    list_events_v02,
)
from vonage_conversation_api.api.leg import delete_leg, list_legs
from vonage_conversation_api.api.member import (
    create_member,
    get_member,
    get_my_member,
    list_members,
    list_members_v02,
    update_member,
)
from vonage_conversation_api.api.user import (
    list_user_conversations,
    list_user_sessions,
    list_users,
)
from vonage_conversation_api.models import (
    ConversationRequest,
    CreateMemberRequest,
    UpdateMemberRequest,
)


def test_every_operation_of_the_spec_succeeds_and_matches_its_schema(
    client: AuthenticatedClient,
    make_client: Callable[..., AuthenticatedClient],
    create_user: Callable[..., dict[str, Any]],
    spec_checker: SpecChecker,
) -> None:
    spec_checker.succeeded.clear()
    alice = create_user("alice", "Alice")
    create_user("bob")
    as_alice = make_client(sub="alice")

    created = create_conversation.sync_detailed(
        client=client,
        body=ConversationRequest.from_dict(
            {
                "name": "support",
                "display_name": "Support",
                "image_url": "https://example.com/a.png",
                "properties": {"ttl": 60, "type": "chat", "custom_data": {"k": "v"}},
                "numbers": [
                    {"type": "phone", "number": "447700900000"},
                    {"type": "sip", "uri": "sip:a@example.com", "username": "u", "password": "p"},
                ],
                "callback": {"url": "https://example.com/cb", "method": "POST"},
            }
        ),
    )
    assert created.status_code == 201
    conversation_id = created.parsed.id
    assert get_conversation.sync_detailed(conversation_id, client=client).status_code == 200
    updated = update_conversation.sync_detailed(
        conversation_id,
        client=client,
        body=ConversationRequest.from_dict({"display_name": "Help desk"}),
    )
    assert updated.status_code == 200
    assert list_conversations.sync_detailed(client=client).status_code == 200
    assert list_conversations_v02.sync_detailed(client=client).status_code == 200

    joined = create_member.sync_detailed(
        conversation_id,
        client=client,
        body=CreateMemberRequest.from_dict(
            {
                "user": {"name": "alice"},
                "state": "joined",
                "channel": {"type": "phone", "leg_id": "leg-1"},
            }
        ),
    )
    assert joined.status_code == 201
    member_id = joined.parsed.id
    invited = create_member.sync_detailed(
        conversation_id,
        client=client,
        body=CreateMemberRequest.from_dict({"user": {"name": "bob"}}),
    )
    assert invited.status_code == 201
    assert get_member.sync_detailed(conversation_id, member_id, client=client).status_code == 200
    assert get_my_member.sync_detailed(conversation_id, client=as_alice).status_code == 200
    assert list_members.sync_detailed(conversation_id, client=client).status_code == 200
    assert list_members_v02.sync_detailed(conversation_id, client=client).status_code == 200

    sent = create_event.sync_detailed(
        conversation_id,
        client=client,
        body=event_request({"type": "text", "from": member_id, "body": {"text": "hello"}}),
    )
    assert sent.status_code == 201
    event_id = sent.parsed.id
    assert get_event.sync_detailed(conversation_id, event_id, client=client).status_code == 200
    assert list_events.sync_detailed(conversation_id, client=client).status_code == 200
    assert list_events_v02.sync_detailed(conversation_id, client=client).status_code == 200
    assert delete_event.sync_detailed(conversation_id, event_id, client=client).status_code == 200

    assert list_users.sync_detailed(client=client).status_code == 200
    assert list_user_conversations.sync_detailed(alice["id"], client=client).status_code == 200
    assert list_user_sessions.sync_detailed(alice["id"], client=client).status_code == 200
    assert list_legs.sync_detailed(client=client).status_code == 200
    assert delete_leg.sync_detailed("leg-1", client=client).status_code == 200

    left = update_member.sync_detailed(
        conversation_id,
        member_id,
        client=client,
        body=UpdateMemberRequest.from_dict({"state": "left"}),
    )
    assert left.status_code == 200
    assert delete_conversation.sync_detailed(conversation_id, client=client).status_code == 204

    every_operation = {
        operation["operationId"]
        for item in load_spec()["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert spec_checker.succeeded == every_operation


def test_the_spec_checker_refuses_what_the_spec_does_not_allow(spec_checker: SpecChecker) -> None:
    request = httpx.Request("GET", "http://emulator.test/v0.3/conversations/CON-1")
    without_title = httpx.Response(404, json={"detail": "no title"}, request=request)
    with pytest.raises(OpenAPIError):
        spec_checker.check(without_title)
    undocumented_status = httpx.Response(418, json={"title": "teapot"}, request=request)
    with pytest.raises(OpenAPIError):
        spec_checker.check(undocumented_status)
    extra_property = httpx.Response(200, json={"id": "CON-1", "surprise": 1}, request=request)
    with pytest.raises(AssertionError, match="surprise"):
        spec_checker.check(extra_property)
    nested_extra = httpx.Response(
        200,
        json={"id": "CON-1", "timestamp": {"created": "2020-01-01T00:00:00.000Z", "x": 1}},
        request=request,
    )
    with pytest.raises(AssertionError, match=r"\.timestamp\.x"):
        spec_checker.check(nested_extra)
    deleted = httpx.Request("DELETE", "http://emulator.test/v0.3/conversations/CON-1")
    with pytest.raises(AssertionError, match="body"):
        spec_checker.check(httpx.Response(204, content=b"{}", request=deleted))
