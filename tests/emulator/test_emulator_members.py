"""Members: invite/join by id or name, INVITED -> JOINED -> LEFT, events, initiators, me."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from emulator_support import assert_error, json_of
from vonage_conversation_api import AuthenticatedClient
from vonage_conversation_api.api.conversation import create_conversation
from vonage_conversation_api.api.event import list_events
from vonage_conversation_api.api.member import (
    create_member,
    get_member,
    get_my_member,
    list_members,
    list_members_v02,
    update_member,
)
from vonage_conversation_api.models import (
    ConversationRequest,
    CreateMemberRequest,
    UpdateMemberRequest,
)

UserFactory = Callable[..., dict[str, Any]]


def _conversation(client: AuthenticatedClient) -> str:
    created = create_conversation.sync_detailed(
        client=client, body=ConversationRequest.from_dict({})
    )
    assert created.status_code == 201
    return str(created.parsed.id)


def _member(client: AuthenticatedClient, conversation_id: str, **body: Any) -> Any:
    return create_member.sync_detailed(
        conversation_id, client=client, body=CreateMemberRequest.from_dict(body)
    )


def _patch(client: AuthenticatedClient, conversation_id: str, member_id: str, **body: Any) -> Any:
    return update_member.sync_detailed(
        conversation_id, member_id, client=client, body=UpdateMemberRequest.from_dict(body)
    )


def _events(client: AuthenticatedClient, conversation_id: str) -> list[dict[str, Any]]:
    page = json_of(list_events.sync_detailed(conversation_id, client=client, page_size=100))
    events: list[dict[str, Any]] = page["_embedded"]["events"]
    return events


@pytest.mark.parametrize("by", ["id", "name"])
def test_invite_by_user_id_or_name(
    client: AuthenticatedClient, create_user: UserFactory, by: str
) -> None:
    alice = create_user("alice", "Alice")
    conversation_id = _conversation(client)
    response = _member(client, conversation_id, user={by: alice[by]})
    assert response.status_code == 201
    member = json_of(response)
    assert member["id"].startswith("MEM-")
    assert member["conversation_id"] == conversation_id
    assert member["state"] == "INVITED"
    assert set(member["timestamp"]) == {"invited"}
    assert member["initiator"] == {"invited": {"isSystem": True}}
    assert member["channel"] == {"type": "app"}
    assert member["_embedded"]["user"]["id"] == alice["id"]
    assert member["_embedded"]["user"]["display_name"] == "Alice"
    assert member["_links"]["self"]["href"].endswith(
        f"/v0.3/conversations/{conversation_id}/members/{member['id']}"
    )
    fetched = get_member.sync_detailed(conversation_id, member["id"], client=client)
    assert json_of(fetched) == member


def test_unknown_user_is_a_404(client: AuthenticatedClient) -> None:
    conversation_id = _conversation(client)
    assert_error(
        _member(client, conversation_id, user={"name": "nobody"}), 404, "user:error:not-found"
    )
    assert_error(
        _member(client, conversation_id, user={"id": "USR-x"}), 404, "user:error:not-found"
    )


def test_id_and_name_of_two_different_users_is_a_400(
    client: AuthenticatedClient, create_user: UserFactory
) -> None:
    alice, bob = create_user("alice"), create_user("bob")
    response = _member(client, _conversation(client), user={"id": alice["id"], "name": bob["name"]})
    assert_error(response, 400, "http:error:validation-fail")


def test_a_second_membership_is_a_409_until_the_first_has_left(
    client: AuthenticatedClient, create_user: UserFactory
) -> None:
    create_user("alice")
    conversation_id = _conversation(client)
    first = json_of(_member(client, conversation_id, user={"name": "alice"}, state="joined"))
    assert_error(
        _member(client, conversation_id, user={"name": "alice"}),
        409,
        "member:error:already-member",
    )
    assert _patch(client, conversation_id, first["id"], state="left").status_code == 200
    again = _member(client, conversation_id, user={"name": "alice"})
    assert again.status_code == 201
    assert json_of(again)["id"] != first["id"]


def test_invited_joined_left_with_timestamps_and_events(
    client: AuthenticatedClient, create_user: UserFactory
) -> None:
    create_user("alice")
    conversation_id = _conversation(client)
    invited = json_of(_member(client, conversation_id, user={"name": "alice"}))
    member_id = invited["id"]
    joined = json_of(_patch(client, conversation_id, member_id, state="joined"))
    assert joined["state"] == "JOINED"
    assert set(joined["timestamp"]) == {"invited", "joined"}
    assert joined["initiator"] == {"invited": {"isSystem": True}, "joined": {"isSystem": True}}
    left = json_of(_patch(client, conversation_id, member_id, state="left"))
    assert left["state"] == "LEFT"
    assert set(left["timestamp"]) == {"invited", "joined", "left"}

    events = _events(client, conversation_id)
    assert [(e["id"], e["type"], e["state"]) for e in events] == [
        ("1", "member:invited", "INVITED"),
        ("2", "member:joined", "JOINED"),
        ("3", "member:left", "LEFT"),
    ]
    assert all(e["from"] == member_id for e in events)
    assert events[1]["body"] == joined
    assert events[2]["body"] == left


def test_joining_directly_emits_member_joined(
    client: AuthenticatedClient, create_user: UserFactory
) -> None:
    create_user("alice")
    conversation_id = _conversation(client)
    member = json_of(_member(client, conversation_id, user={"name": "alice"}, state="joined"))
    assert member["state"] == "JOINED"
    assert set(member["timestamp"]) == {"joined"}
    assert [e["type"] for e in _events(client, conversation_id)] == ["member:joined"]


def test_leaving_is_final_and_a_repeated_state_changes_nothing(
    client: AuthenticatedClient, create_user: UserFactory
) -> None:
    create_user("alice")
    conversation_id = _conversation(client)
    member_id = json_of(_member(client, conversation_id, user={"name": "alice"}, state="joined"))[
        "id"
    ]
    same = _patch(client, conversation_id, member_id, state="joined")
    assert same.status_code == 200
    assert len(_events(client, conversation_id)) == 1
    _patch(client, conversation_id, member_id, state="left")
    assert_error(
        _patch(client, conversation_id, member_id, state="joined"),
        409,
        "member:error:invalid-state",
    )


def test_patch_replaces_the_channel(client: AuthenticatedClient, create_user: UserFactory) -> None:
    create_user("alice")
    conversation_id = _conversation(client)
    member_id = json_of(_member(client, conversation_id, user={"name": "alice"}))["id"]
    channel = {"type": "phone", "from": {"type": "phone", "number": "447700900000"}}
    patched = json_of(_patch(client, conversation_id, member_id, channel=channel))
    assert patched["channel"] == channel
    assert patched["state"] == "INVITED"


def test_user_jwt_initiator_names_the_user_and_their_member(
    client: AuthenticatedClient,
    make_client: Callable[..., AuthenticatedClient],
    create_user: UserFactory,
) -> None:
    alice = create_user("alice")
    create_user("bob")
    conversation_id = _conversation(client)
    as_alice = make_client(sub="alice")
    alice_member = json_of(
        _member(as_alice, conversation_id, user={"name": "alice"}, state="joined")
    )
    assert alice_member["initiator"]["joined"] == {
        "isSystem": False,
        "user_id": alice["id"],
        "member_id": alice_member["id"],
    }
    bob_member = json_of(_member(as_alice, conversation_id, user={"name": "bob"}))
    assert bob_member["initiator"]["invited"] == {
        "isSystem": False,
        "user_id": alice["id"],
        "member_id": alice_member["id"],
    }


def test_member_id_inviting_is_the_initiator_and_must_exist(
    client: AuthenticatedClient, create_user: UserFactory
) -> None:
    alice = create_user("alice")
    create_user("bob")
    create_user("carol")
    conversation_id = _conversation(client)
    host = json_of(_member(client, conversation_id, user={"name": "alice"}, state="joined"))
    guest = json_of(
        _member(client, conversation_id, user={"name": "bob"}, member_id_inviting=host["id"])
    )
    assert guest["initiator"]["invited"] == {
        "isSystem": False,
        "user_id": alice["id"],
        "member_id": host["id"],
    }
    missing = _member(client, conversation_id, user={"name": "carol"}, member_id_inviting="MEM-x")
    body = assert_error(missing, 404, "member:error:not-found")
    assert "member_id_inviting" in body["detail"]


def test_members_me(
    client: AuthenticatedClient,
    make_client: Callable[..., AuthenticatedClient],
    create_user: UserFactory,
) -> None:
    create_user("alice")
    create_user("bob")
    conversation_id = _conversation(client)
    member = json_of(_member(client, conversation_id, user={"name": "alice"}))
    mine = get_my_member.sync_detailed(conversation_id, client=make_client(sub="alice"))
    assert json_of(mine) == member
    assert_error(
        get_my_member.sync_detailed(conversation_id, client=make_client(sub="bob")),
        404,
        "member:error:not-found",
    )
    assert_error(
        get_my_member.sync_detailed(conversation_id, client=client), 403, "system:error:forbidden"
    )


def test_a_member_of_another_conversation_is_a_404(
    client: AuthenticatedClient, create_user: UserFactory
) -> None:
    create_user("alice")
    first, second = _conversation(client), _conversation(client)
    member_id = json_of(_member(client, first, user={"name": "alice"}))["id"]
    assert_error(
        get_member.sync_detailed(second, member_id, client=client), 404, "member:error:not-found"
    )
    assert_error(_patch(client, second, member_id, state="joined"), 404, "member:error:not-found")


def test_list_members_in_both_shapes(client: AuthenticatedClient, create_user: UserFactory) -> None:
    conversation_id = _conversation(client)
    ids = [
        json_of(_member(client, conversation_id, user={"name": create_user(name)["name"]}))["id"]
        for name in ("alice", "bob", "carol")
    ]
    v03 = json_of(list_members.sync_detailed(conversation_id, client=client, page_size=2))
    assert [m["id"] for m in v03["_embedded"]["members"]] == ids[:2]
    assert v03["page_size"] == 2
    v02 = json_of(list_members_v02.sync_detailed(conversation_id, client=client, order="desc"))
    assert [m["id"] for m in v02["_embedded"]["data"]["members"]] == ids[::-1]
    assert "cursor" not in v02
