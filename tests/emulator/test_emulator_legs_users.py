"""Legs (recorded on join, paged by record_index), users, their conversations and
sessions, and the emulator-only admin route."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from emulator_support import SpecChecker, assert_error, json_of, make_token
from vonage_conversation_api import AuthenticatedClient
from vonage_conversation_api.api.conversation import create_conversation, delete_conversation
from vonage_conversation_api.api.leg import delete_leg, list_legs
from vonage_conversation_api.api.member import create_member, update_member
from vonage_conversation_api.api.user import list_user_conversations, list_user_sessions
from vonage_conversation_api.models import (
    ConversationRequest,
    CreateMemberRequest,
    UpdateMemberRequest,
)
from vonage_conversation_emulator.embedded import EmulatorInstance, run_emulator

UserFactory = Callable[..., dict[str, Any]]


def _conversation(client: AuthenticatedClient, name: str | None = None) -> str:
    body = {"name": name} if name else {}
    return str(
        create_conversation.sync_detailed(
            client=client, body=ConversationRequest.from_dict(body)
        ).parsed.id
    )


def _join(client: AuthenticatedClient, conversation_id: str, name: str, **extra: Any) -> Any:
    return create_member.sync_detailed(
        conversation_id,
        client=client,
        body=CreateMemberRequest.from_dict({"user": {"name": name}, **extra}),
    )


def test_a_leg_is_recorded_on_join_and_terminated_on_leave(
    client: AuthenticatedClient, create_user: UserFactory
) -> None:
    create_user("alice")
    conversation_id = _conversation(client)
    channel = {
        "type": "phone",
        "leg_id": "leg-1",
        "from": {"type": "phone", "number": "447700900001"},
        "to": {"type": "app", "user": "alice"},
    }
    invited = json_of(_join(client, conversation_id, "alice", channel=channel))
    assert json_of(list_legs.sync_detailed(client=client))["count"] == 0  # invited: no call yet
    update_member.sync_detailed(
        conversation_id,
        invited["id"],
        client=client,
        body=UpdateMemberRequest.from_dict({"state": "joined"}),
    )
    leg = json_of(list_legs.sync_detailed(client=client))["_embedded"]["legs"][0]
    assert leg["uuid"] == "leg-1"
    assert leg["type"] == "phone"
    assert leg["conversation_uuid"] == conversation_id
    assert leg["from"] == channel["from"]
    assert leg["to"] == channel["to"]
    assert "end_time" not in leg
    assert leg["state"] != "terminated"
    update_member.sync_detailed(
        conversation_id,
        invited["id"],
        client=client,
        body=UpdateMemberRequest.from_dict({"state": "left"}),
    )
    ended = json_of(list_legs.sync_detailed(client=client))["_embedded"]["legs"][0]
    assert ended["state"] == "terminated"
    assert ended["end_time"] >= ended["start_time"]


def test_a_deleted_conversation_terminates_its_legs(
    client: AuthenticatedClient, create_user: UserFactory
) -> None:
    create_user("alice")
    conversation_id = _conversation(client)
    _join(client, conversation_id, "alice", state="joined", channel={"type": "app", "leg_id": "L"})
    delete_conversation.sync_detailed(conversation_id, client=client)
    leg = json_of(list_legs.sync_detailed(client=client))["_embedded"]["legs"][0]
    assert leg["state"] == "terminated"


def test_a_leg_id_seen_before_is_a_409(
    client: AuthenticatedClient, create_user: UserFactory
) -> None:
    create_user("alice")
    create_user("bob")
    conversation_id = _conversation(client)
    channel = {"type": "app", "leg_id": "same"}
    assert (
        _join(client, conversation_id, "alice", state="joined", channel=channel).status_code == 201
    )
    response = _join(client, conversation_id, "bob", state="joined", channel=channel)
    assert_error(response, 409, "leg:error:duplicate-id")
    # The whole request was one transaction: bob's membership was not kept either.
    assert _join(client, conversation_id, "bob").status_code == 201


def _join_five_over_legs(client: AuthenticatedClient, create_user: UserFactory) -> None:
    """Users u0..u4 join one conversation over legs leg-0..leg-4, in that order."""
    conversation_id = _conversation(client)
    for index in range(5):
        create_user(f"u{index}")
        channel = {"type": "app", "leg_id": f"leg-{index}"}
        _join(client, conversation_id, f"u{index}", state="joined", channel=channel)


def _leg_pages(client: AuthenticatedClient, count: int) -> list[dict[str, Any]]:
    """The first ``count`` listLegs pages of 2."""
    return [
        json_of(list_legs.sync_detailed(client=client, page_size=2, record_index=index))
        for index in range(count)
    ]


def test_legs_page_by_record_index_with_a_total_count(
    client: AuthenticatedClient, create_user: UserFactory, emulator: EmulatorInstance
) -> None:
    _join_five_over_legs(client, create_user)
    pages = _leg_pages(client, 4)
    assert [[leg["uuid"] for leg in p["_embedded"]["legs"]] for p in pages] == [
        ["leg-0", "leg-1"],
        ["leg-2", "leg-3"],
        ["leg-4"],
        [],
    ]
    assert {p["count"] for p in pages} == {5}
    assert [p["record_index"] for p in pages] == [0, 1, 2, 3]
    assert pages[1]["_links"]["self"]["href"] == (
        f"{emulator.base_url}/v0.3/legs?page_size=2&record_index=1"
    )


def test_record_index_pages_close_up_after_a_leg_is_deleted(
    client: AuthenticatedClient, create_user: UserFactory
) -> None:
    _join_five_over_legs(client, create_user)
    assert delete_leg.sync_detailed("leg-1", client=client).status_code == 200
    pages = _leg_pages(client, 3)
    assert [[leg["uuid"] for leg in p["_embedded"]["legs"]] for p in pages] == [
        ["leg-0", "leg-2"],
        ["leg-3", "leg-4"],
        [],
    ]
    assert {p["count"] for p in pages} == {4}


def test_delete_leg(client: AuthenticatedClient, create_user: UserFactory) -> None:
    create_user("alice")
    _join(client, _conversation(client), "alice", state="joined", channel={"leg_id": "L"})
    deleted = delete_leg.sync_detailed("L", client=client)
    assert deleted.status_code == 200
    assert json_of(deleted) == {}
    assert json_of(list_legs.sync_detailed(client=client))["count"] == 0
    assert_error(delete_leg.sync_detailed("L", client=client), 404, "leg:error:not-found")


def test_admin_route_creates_users_with_unique_names(raw: httpx.Client) -> None:
    created = raw.post("/_emulator/users", json={"name": "alice", "display_name": "Alice"})
    assert created.status_code == 201
    user = created.json()
    assert user["id"].startswith("USR-")
    assert user["name"] == "alice"
    assert user["display_name"] == "Alice"
    again = raw.post("/_emulator/users", json={"name": "alice"})
    assert_error(again, 409, "user:error:duplicate-name")
    assert_error(raw.get("/_emulator/users"), 405, "http:error:method-not-allowed")
    raw.headers.pop("Authorization")
    assert_error(
        raw.post("/_emulator/users", json={"name": "bob"}), 401, "system:error:invalid-token"
    )


def test_user_conversations_filtered_by_membership_state(
    client: AuthenticatedClient, create_user: UserFactory
) -> None:
    alice = create_user("alice")
    rooms = {name: _conversation(client, name) for name in ("invited", "joined", "left")}
    _join(client, rooms["invited"], "alice")
    _join(client, rooms["joined"], "alice", state="joined")
    left = json_of(_join(client, rooms["left"], "alice", state="joined"))
    update_member.sync_detailed(
        rooms["left"],
        left["id"],
        client=client,
        body=UpdateMemberRequest.from_dict({"state": "left"}),
    )

    def names(**filters: Any) -> list[str]:
        page = json_of(list_user_conversations.sync_detailed(alice["id"], client=client, **filters))
        return [c["name"] for c in page["_embedded"]["conversations"]]

    assert names() == ["invited", "joined", "left"]
    assert names(state="JOINED") == ["joined"]
    assert names(state="LEFT", order="desc") == ["left"]
    assert names(order="desc", page_size=2) == ["left", "joined"]
    missing = list_user_conversations.sync_detailed("USR-none", client=client)
    assert_error(missing, 404, "user:error:not-found")


def test_one_session_per_user_jwt_seen(
    client: AuthenticatedClient,
    make_client: Callable[..., AuthenticatedClient],
    create_user: UserFactory,
    emulator: EmulatorInstance,
) -> None:
    alice = create_user("alice")
    create_user("bob")
    token = make_token(emulator, sub="alice", lifetime=600)
    for _ in range(3):  # the same token three times: one session
        list_user_sessions.sync_detailed(alice["id"], client=make_client(token=token))
    make_client(sub="alice").get_httpx_client().get("/v0.3/legs")
    make_client(sub="bob").get_httpx_client().get("/v0.3/legs")
    page = json_of(list_user_sessions.sync_detailed(alice["id"], client=client))
    sessions = page["_embedded"]["sessions"]
    assert len(sessions) == 2
    assert all(s["id"].startswith("SES-") for s in sessions)
    assert all(s["_embedded"]["user"] == {"id": alice["id"], "name": "alice"} for s in sessions)
    assert all(0 < s["properties"]["ttl"] <= 600 for s in sessions)
    assert_error(
        list_user_sessions.sync_detailed("USR-none", client=client), 404, "user:error:not-found"
    )


class _Clock:
    def __init__(self) -> None:
        self.now = datetime.now(timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> _Clock:
    return _Clock()


@pytest.fixture
def clocked(clock: _Clock) -> Iterator[EmulatorInstance]:
    with run_emulator(clock=clock) as instance:
        yield instance


def test_session_ttl_counts_down_and_expired_sessions_are_not_listed(
    clocked: EmulatorInstance, clock: _Clock, spec_checker: SpecChecker
) -> None:
    def client(**claims: Any) -> AuthenticatedClient:
        return AuthenticatedClient(
            base_url=clocked.base_url,
            token=make_token(clocked, **claims),
            httpx_args={"event_hooks": {"response": [spec_checker.check]}},
        )

    # JWTs expire on the application's clock too: the admin's outlives the 601 s moved.
    admin = client(lifetime=3600)
    alice = admin.get_httpx_client().post("/_emulator/users", json={"name": "alice"}).json()
    client(sub="alice", lifetime=600).get_httpx_client().get("/v0.3/legs")

    def ttls() -> list[float]:
        page = json_of(list_user_sessions.sync_detailed(alice["id"], client=admin))
        return [s["properties"]["ttl"] for s in page["_embedded"]["sessions"]]

    first = ttls()
    assert len(first) == 1
    clock.now += timedelta(seconds=300)
    assert ttls()[0] == pytest.approx(first[0] - 300, abs=1)
    clock.now += timedelta(seconds=301)
    assert ttls() == []
