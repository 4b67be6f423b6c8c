"""Pagination as the spec says: page sizes, order, opaque cursors, absolute links, filters."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from emulator_support import SpecChecker, assert_error, json_of, make_token
from vonage_conversation_api import AuthenticatedClient
from vonage_conversation_api.api.conversation import (
    create_conversation,
    list_conversations,
    list_conversations_v02,
)
from vonage_conversation_api.api.member import create_member, list_members
from vonage_conversation_api.api.user import list_users
from vonage_conversation_api.models import ConversationRequest, CreateMemberRequest
from vonage_conversation_emulator.embedded import EmulatorInstance, run_emulator


class FakeClock:
    """The emulator's clock, set by the test."""

    def __init__(self) -> None:
        self.now = datetime(2020, 1, 1, 10, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _names(page: dict[str, Any], items: str = "conversations") -> list[str]:
    embedded = page["_embedded"]
    found = embedded[items] if items in embedded else embedded["data"][items]
    return [item["name"] for item in found]


def _cursor(href: str) -> str:
    return parse_qs(urlsplit(href).query)["cursor"][0]


def _create(client: AuthenticatedClient, *names: str) -> None:
    for name in names:
        response = create_conversation.sync_detailed(
            client=client, body=ConversationRequest.from_dict({"name": name})
        )
        assert response.status_code == 201


@pytest.mark.parametrize("size", [0, 101, -1])
def test_page_size_outside_1_to_100_is_a_400(client: AuthenticatedClient, size: int) -> None:
    body = assert_error(
        list_conversations.sync_detailed(client=client, page_size=size),
        400,
        "http:error:validation-fail",
    )
    assert "page_size" in body["detail"]


def test_page_size_defaults_to_10_and_order_to_asc(client: AuthenticatedClient) -> None:
    names = [f"c{i:02d}" for i in range(12)]
    _create(client, *names)
    response = client.get_httpx_client().get("/v0.3/conversations")
    page = json_of(response)
    assert page["page_size"] == 10
    assert _names(page) == names[:10]


def test_order_is_accepted_in_either_case(client: AuthenticatedClient) -> None:
    _create(client, "a", "b", "c")
    for order in ("desc", "DESC"):
        page = json_of(list_conversations.sync_detailed(client=client, order=order))
        assert _names(page) == ["c", "b", "a"]
    bad = client.get_httpx_client().get("/v0.3/conversations", params={"order": "sideways"})
    assert "order" in assert_error(bad, 400, "http:error:validation-fail")["detail"]


def test_links_are_absolute_on_the_requests_own_host(
    client: AuthenticatedClient, emulator: EmulatorInstance
) -> None:
    _create(client, "a", "b", "c")
    other_host = emulator.base_url.replace("127.0.0.1", "localhost")
    with httpx.Client(
        base_url=other_host, headers={"Authorization": f"Bearer {make_token(emulator)}"}
    ) as http:
        first = http.get("/v0.3/conversations", params={"page_size": 1, "order": "desc"}).json()
        second = http.get(first["_links"]["next"]["href"]).json()
    links = second["_links"]
    assert set(links) == {"first", "self", "next", "prev"}
    for link in links.values():
        assert link["href"].startswith(f"{other_host}/v0.3/conversations?")
        assert parse_qs(urlsplit(link["href"]).query)["order"] == ["desc"]
    assert "cursor" not in links["first"]["href"]
    assert _names(second) == ["b"]


def test_first_page_has_no_prev_and_last_page_no_next(client: AuthenticatedClient) -> None:
    _create(client, "a", "b")
    page = json_of(list_conversations.sync_detailed(client=client, page_size=2))
    assert set(page["_links"]) == {"first", "self"}


def test_cursors_are_opaque_and_tamper_proof(
    client: AuthenticatedClient, create_user: Callable[..., dict[str, Any]]
) -> None:
    _create(client, "a", "b", "c")
    create_user("u1")
    create_user("u2")
    page = json_of(list_conversations.sync_detailed(client=client, page_size=1))
    cursor = _cursor(page["_links"]["next"]["href"])
    mac = cursor.split(".")[1]
    forged_payload = base64.urlsafe_b64encode(b'{"b":false,"k":["0",0]}').decode().rstrip("=")
    for bad in ("garbage", f"{forged_payload}.{mac}", cursor[:-2], cursor + "x", "é.é"):
        response = list_conversations.sync_detailed(client=client, page_size=1, cursor=bad)
        assert "cursor" in assert_error(response, 400, "http:error:validation-fail")["detail"]
    # A good cursor replayed in the other order, or on another list, is refused too.
    reordered = list_conversations.sync_detailed(client=client, order="desc", cursor=cursor)
    assert_error(reordered, 400, "http:error:validation-fail")
    users = list_users.sync_detailed(client=client, cursor=cursor)
    assert_error(users, 400, "http:error:validation-fail")
    assert json_of(list_conversations.sync_detailed(client=client, cursor=cursor))


def test_pages_stay_exact_while_records_are_added(client: AuthenticatedClient) -> None:
    _create(client, "a", "b", "c")
    first = json_of(list_conversations.sync_detailed(client=client, page_size=2))
    _create(client, "d")  # lands after the cursor: shown once, on a later page
    second = json_of(
        list_conversations.sync_detailed(
            client=client, page_size=2, cursor=_cursor(first["_links"]["next"]["href"])
        )
    )
    assert _names(first) + _names(second) == ["a", "b", "c", "d"]


def test_v02_conversations_page_carries_its_cursor(client: AuthenticatedClient) -> None:
    _create(client, "a", "b", "c")
    first = json_of(list_conversations_v02.sync_detailed(client=client, page_size=2))
    assert "cursor" not in first
    assert _names(first) == ["a", "b"]
    cursor = _cursor(first["_links"]["next"]["href"])
    second = json_of(list_conversations_v02.sync_detailed(client=client, cursor=cursor))
    assert second["cursor"] == cursor
    assert _names(second) == ["c"]


def test_users_are_listed_v02_with_cursor(
    client: AuthenticatedClient, create_user: Callable[..., dict[str, Any]]
) -> None:
    for name in ("u1", "u2", "u3"):
        create_user(name)
    first = json_of(list_users.sync_detailed(client=client, page_size=2, order="desc"))
    cursor = _cursor(first["_links"]["next"]["href"])
    second = json_of(
        list_users.sync_detailed(client=client, page_size=2, order="desc", cursor=cursor)
    )
    assert _names(first, "users") + _names(second, "users") == ["u3", "u2", "u1"]
    assert second["cursor"] == cursor


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def clocked(clock: FakeClock, spec_checker: SpecChecker) -> Iterator[AuthenticatedClient]:
    """A generated client on an emulator whose clock the test sets."""
    with run_emulator(clock=clock) as instance:
        # Tokens are checked on the application's clock: this one is issued at its time.
        issued = int(clock.now.timestamp())
        client = AuthenticatedClient(
            base_url=instance.base_url,
            token=make_token(instance, iat=issued, nbf=issued, exp=issued + 86_400),
            httpx_args={"event_hooks": {"response": [spec_checker.check]}},
        )
        with client:
            yield client


def test_date_start_and_date_end_filter_by_creation_time(
    clocked: AuthenticatedClient, clock: FakeClock
) -> None:
    for name in ("nine", "ten", "eleven"):
        _create(clocked, name)
        clock.advance(hours=1)
    # created at 10:00, 11:00, 12:00
    start = datetime(2020, 1, 1, 11, 0, tzinfo=timezone.utc)
    end = datetime(2020, 1, 1, 12, 0, tzinfo=timezone.utc)
    after = list_conversations.sync_detailed(client=clocked, date_start=start)
    assert _names(json_of(after)) == ["ten", "eleven"]
    before = list_conversations.sync_detailed(client=clocked, date_end=end)
    assert _names(json_of(before)) == ["nine", "ten"]
    between = list_conversations_v02.sync_detailed(client=clocked, date_start=start, date_end=end)
    assert _names(json_of(between)) == ["ten"]
    # Another offset is the same instant.
    shifted = clocked.get_httpx_client().get(
        "/v0.3/conversations", params={"date_start": "2020-01-01T12:00:00+01:00"}
    )
    assert _names(json_of(shifted)) == ["ten", "eleven"]


def test_a_date_without_offset_is_a_400(client: AuthenticatedClient) -> None:
    response = client.get_httpx_client().get(
        "/v0.3/conversations", params={"date_start": "2018-01-01 10:00:00"}
    )
    assert "date_start" in assert_error(response, 400, "http:error:validation-fail")["detail"]


def test_members_list_pages_in_order(
    client: AuthenticatedClient, create_user: Callable[..., dict[str, Any]]
) -> None:
    _create(client, "room")
    conversation_id = json_of(list_conversations.sync_detailed(client=client))["_embedded"][
        "conversations"
    ][0]["id"]
    for name in ("a", "b", "c"):
        create_user(name)
        create_member.sync_detailed(
            conversation_id,
            client=client,
            body=CreateMemberRequest.from_dict({"user": {"name": name}}),
        )
    first = json_of(list_members.sync_detailed(conversation_id, client=client, page_size=2))
    rest = json_of(
        list_members.sync_detailed(
            conversation_id,
            client=client,
            page_size=2,
            cursor=_cursor(first["_links"]["next"]["href"]),
        )
    )
    members = [m for p in (first, rest) for m in p["_embedded"]["members"]]
    names = [m["_embedded"]["user"]["name"] for m in members]
    assert names == ["a", "b", "c"]
