"""Every operation of the spec, sync and async: the request it sends and what it returns.

Why over 400 lines: one short test per operation (and per rule an operation's arguments
follow), which reads best as one list.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from overlay_helpers import (
    CONVERSATION,
    CREATED_EVENT,
    LEG,
    MEMBER,
    SESSION,
    USER,
    Api,
    FakeAPI,
    body_of,
    event,
    leg_page,
    ok,
    page,
)
from vonage_conversation_api.models import (
    Conversation,
    ConversationProperties,
    ConversationRequest,
    ConversationSummary,
    CreatedEvent,
    CreateMemberRequest,
    Event,
    Leg,
    Member,
    Session,
    User,
)
from vonage_conversation_api.types import UNSET


def query(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params)


# Conversations


def test_conversations_create_sends_keywords_as_the_body(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", "/v0.3/conversations", ok(CONVERSATION, 201))
    result = api.call(
        lambda c: c.conversations.create(
            name="customer_chat",
            display_name="Customer Chat",
            properties={"ttl": 60},
            numbers=[{"type": "phone", "number": "447700900000"}],
        )
    )
    assert isinstance(result, Conversation)
    assert result.id == CONVERSATION["id"]
    assert result.timestamp.created == datetime(2019, 9, 3, 18, 40, 24, 324000, timezone.utc)
    request = fake.last
    assert request.method == "POST"
    assert request.url == "https://api.nexmo.com/v0.3/conversations"
    assert request.headers["content-type"] == "application/json"
    assert body_of(request) == {
        "name": "customer_chat",
        "display_name": "Customer Chat",
        "properties": {"ttl": 60},
        "numbers": [{"type": "phone", "number": "447700900000"}],
    }


@pytest.mark.parametrize(
    "data",
    [
        {"name": "support", "display_name": "Support"},
        ConversationRequest(name="support", display_name="Support"),
    ],
    ids=["dict", "model"],
)
def test_conversations_create_takes_a_dict_or_model(api: Api, fake: FakeAPI, data: Any) -> None:
    fake.add("POST", "/v0.3/conversations", ok(CONVERSATION, 201))
    api.call(lambda c: c.conversations.create(data))
    assert body_of(fake.last) == {"name": "support", "display_name": "Support"}


def test_keywords_override_the_data_dict_and_accept_models(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", "/v0.3/conversations", ok(CONVERSATION, 201))
    api.call(
        lambda c: c.conversations.create(
            {"name": "old", "image_url": "https://example.com/a.png"},
            name="new",
            properties=ConversationProperties(ttl=30),
        )
    )
    assert body_of(fake.last) == {
        "name": "new",
        "image_url": "https://example.com/a.png",
        "properties": {"ttl": 30},
    }


def test_conversations_create_with_nothing_sends_an_empty_object(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", "/v0.3/conversations", ok(CONVERSATION, 201))
    api.call(lambda c: c.conversations.create())
    assert body_of(fake.last) == {}


def test_conversations_get(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1", ok(CONVERSATION))
    result = api.call(lambda c: c.conversations.get("CON-1"))
    assert isinstance(result, Conversation)
    assert result.name == "customer_chat"
    assert result.properties.ttl == 60
    assert fake.last.method == "GET"
    assert fake.last.content == b""


def test_path_ids_are_quoted(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/a/b", ok(CONVERSATION))
    api.call(lambda c: c.conversations.get("a/b"))
    assert fake.last.url.raw_path == b"/v0.3/conversations/a%2Fb"


def test_conversations_update_puts(api: Api, fake: FakeAPI) -> None:
    fake.add("PUT", "/v0.3/conversations/CON-1", ok(CONVERSATION))
    result = api.call(lambda c: c.conversations.update("CON-1", display_name="New name"))
    assert isinstance(result, Conversation)
    assert fake.last.method == "PUT"
    assert body_of(fake.last) == {"display_name": "New name"}


def test_conversations_delete(api: Api, fake: FakeAPI) -> None:
    fake.add("DELETE", "/v0.3/conversations/CON-1", httpx.Response(204))
    assert api.call(lambda c: c.conversations.delete("CON-1")) is None
    assert fake.last.method == "DELETE"


def test_conversations_list_sends_filters(api: Api, fake: FakeAPI) -> None:
    summary = {k: CONVERSATION[k] for k in ("id", "name", "display_name", "timestamp")}
    fake.add("GET", "/v0.3/conversations", ok(page("conversations", [summary])))
    items = api.items(
        api.client.conversations.list(
            date_start=datetime(2018, 1, 1, 10, tzinfo=timezone.utc),
            date_end=datetime(2018, 1, 1, 12, tzinfo=timezone(timedelta(hours=1))),
            page_size=50,
            order="desc",
        )
    )
    assert [type(i) for i in items] == [ConversationSummary]
    assert items[0].id == CONVERSATION["id"]
    assert query(fake.last) == {
        "date_start": "2018-01-01T10:00:00+00:00",
        "date_end": "2018-01-01T12:00:00+01:00",
        "page_size": "50",
        "order": "desc",
    }


def test_rule_date_filters_rfc3339_space_form_and_dates_are_sent_as_rfc3339(
    api: Api, fake: FakeAPI
) -> None:
    """`date-filters-rfc3339`: the v0.3 docs' `2018-01-01 10:00:00` and bare dates still work."""
    fake.add("GET", "/v0.3/conversations", ok(page("conversations", [])))
    api.items(
        api.client.conversations.list(date_start="2018-01-01 10:00:00", date_end=date(2018, 1, 2))
    )
    assert query(fake.last)["date_start"] == "2018-01-01T10:00:00+00:00"
    assert query(fake.last)["date_end"] == "2018-01-02T00:00:00+00:00"


def test_lists_send_the_spec_default_page_size(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations", ok(page("conversations", [])))
    api.items(api.client.conversations.list())
    assert query(fake.last) == {"page_size": "10"}


# Users


def test_users_list_is_the_v02_operation_and_reads_its_page_shape(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.2/users", ok(page("users", [USER], v02=True)))
    items = api.items(api.client.users.list(order="asc"))
    assert [u.name for u in items] == ["my_user_name"]
    assert isinstance(items[0], User)
    assert query(fake.last) == {"page_size": "10", "order": "asc"}


def test_users_conversations(api: Api, fake: FakeAPI) -> None:
    path = "/v0.3/users/USR-1/conversations"
    fake.add("GET", path, ok(page("conversations", [{"id": "CON-1", "name": "a"}])))
    items = api.items(
        api.client.users.conversations("USR-1", state="joined", date_start="2020-01-01T00:00:00Z")
    )
    assert [c.id for c in items] == ["CON-1"]
    assert query(fake.last) == {
        "state": "JOINED",
        "date_start": "2020-01-01T00:00:00+00:00",
        "page_size": "10",
    }


def test_users_sessions(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/users/USR-1/sessions", ok(page("sessions", [SESSION])))
    items = api.items(api.client.users.sessions("USR-1", page_size=5))
    assert isinstance(items[0], Session)
    assert items[0].field_embedded.user.name == "my_user_name"
    assert query(fake.last) == {"page_size": "5"}


# Members


def test_members_create(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", "/v0.3/conversations/CON-1/members", ok(MEMBER, 201))
    member = api.call(
        lambda c: c.members.create(
            "CON-1", user={"name": "alice"}, state="joined", channel={"type": "app"}
        )
    )
    assert isinstance(member, Member)
    assert member.state == "JOINED"
    assert member.field_embedded.user.id == "USR-82e028d9"
    assert member.initiator.joined.is_system is True
    assert body_of(fake.last) == {
        "user": {"name": "alice"},
        "state": "joined",
        "channel": {"type": "app"},
    }


def test_members_create_takes_the_response_case_of_a_state(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", "/v0.3/conversations/CON-1/members", ok(MEMBER, 201))
    api.call(lambda c: c.members.create("CON-1", user={"id": "USR-1"}, state="JOINED"))
    assert body_of(fake.last)["state"] == "joined"


def test_members_create_takes_the_model(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", "/v0.3/conversations/CON-1/members", ok(MEMBER, 201))
    data = CreateMemberRequest.from_dict({"user": {"name": "bob"}})
    api.call(lambda c: c.members.create("CON-1", data))
    assert body_of(fake.last) == {"user": {"name": "bob"}}


def test_members_get(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1/members/MEM-1", ok(MEMBER))
    member = api.call(lambda c: c.members.get("CON-1", "MEM-1"))
    assert member.id == "MEM-63f61863"


def test_members_me_with_a_user_jwt(make_api: Any, fake: FakeAPI) -> None:
    api = make_api(sub="alice")
    fake.add("GET", "/v0.3/conversations/CON-1/members/me", ok(MEMBER))
    member = api.call(lambda c: c.members.me("CON-1"))
    assert isinstance(member, Member)
    assert fake.last.url.path == "/v0.3/conversations/CON-1/members/me"


def test_members_update_patches(api: Api, fake: FakeAPI) -> None:
    fake.add("PATCH", "/v0.3/conversations/CON-1/members/MEM-1", ok({**MEMBER, "state": "LEFT"}))
    member = api.call(lambda c: c.members.update("CON-1", "MEM-1", state="LEFT"))
    assert member.state == "LEFT"
    assert fake.last.method == "PATCH"
    assert body_of(fake.last) == {"state": "left"}


def test_members_list(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1/members", ok(page("members", [MEMBER])))
    items = api.items(api.client.members.list("CON-1", order="ASC"))
    assert [m.id for m in items] == ["MEM-63f61863"]
    assert query(fake.last) == {"page_size": "10", "order": "ASC"}


# Events


def test_events_create(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", "/v0.3/conversations/CON-1/events", ok(CREATED_EVENT, 201))
    created = api.call(
        lambda c: c.events.create(
            "CON-1", type="text", from_="MEM-1", to="MEM-2", body={"text": "hi"}
        )
    )
    assert isinstance(created, CreatedEvent)
    assert created.id == "5"
    assert body_of(fake.last) == {
        "type": "text",
        "from": "MEM-1",
        "to": "MEM-2",
        "body": {"text": "hi"},
    }


def test_events_get_takes_an_int_id(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1/events/5", ok(event("5")))
    result = api.call(lambda c: c.events.get("CON-1", 5))
    assert isinstance(result, Event)
    assert result.body["text"] == "My Text"
    assert result.timestamp == datetime(2020, 1, 1, 14, tzinfo=timezone.utc)


def test_events_delete_answers_an_empty_object(api: Api, fake: FakeAPI) -> None:
    fake.add("DELETE", "/v0.3/conversations/CON-1/events/5", ok({}))
    assert api.call(lambda c: c.events.delete("CON-1", "5")) is None
    assert fake.last.method == "DELETE"


def test_events_list_sends_filters(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1/events", ok(page("events", [event("1")])))
    items = api.items(
        api.client.events.list("CON-1", start_id=1, end_id="19", event_type="text", order="asc")
    )
    assert [e.id for e in items] == ["1"]
    assert query(fake.last) == {
        "page_size": "10",
        "order": "asc",
        "start_id": "1",
        "end_id": "19",
        "event_type": "text",
    }


# Legs


def test_legs_list(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/legs", ok(leg_page([LEG], record_index=0, count=1)))
    items = api.items(api.client.legs.list(page_size=2))
    assert isinstance(items[0], Leg)
    assert items[0].state == "terminated"
    assert query(fake.last) == {"page_size": "2", "record_index": "0"}


def test_legs_delete(api: Api, fake: FakeAPI) -> None:
    fake.add("DELETE", "/v0.3/legs/LEG-1", ok({}))
    assert api.call(lambda c: c.legs.delete("LEG-1")) is None
    assert fake.last.method == "DELETE"
    assert fake.last.url.path == "/v0.3/legs/LEG-1"


def test_ids_read_from_returned_models_go_straight_back_in(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", "/v0.3/conversations", ok({"id": "CON-1"}, 201))
    fake.add("POST", "/v0.3/conversations/CON-1/members", ok({**MEMBER, "id": "MEM-1"}, 201))
    fake.add("POST", "/v0.3/conversations/CON-1/events", ok(CREATED_EVENT, 201))
    conversation = api.call(lambda c: c.conversations.create(name="x"))
    member = api.call(lambda c: c.members.create(conversation.id, user={"name": "alice"}))
    api.call(lambda c: c.events.send_text(conversation.id, from_=member.id, text="hi"))
    assert body_of(fake.last)["from"] == "MEM-1"


# Every request


def test_every_request_carries_the_jwt_and_client_headers(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1", ok(CONVERSATION))
    api.call(lambda c: c.conversations.get("CON-1"))
    headers = fake.last.headers
    assert headers["authorization"].startswith("Bearer ey")
    assert headers["accept"] == "application/json"
    assert headers["user-agent"].startswith("vonage-conversation-python/")


def test_base_url_with_a_path_prefix_is_kept(make_api: Any, fake: FakeAPI) -> None:
    api = make_api(base_url="http://127.0.0.1:8080/proxy/")
    fake.add("GET", "/proxy/v0.3/conversations/CON-1", ok(CONVERSATION))
    api.call(lambda c: c.conversations.get("CON-1"))
    assert str(fake.last.url) == "http://127.0.0.1:8080/proxy/v0.3/conversations/CON-1"


# Bad input fails before anything is sent


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda c: c.conversations.get(""), ValueError, "conversation_id"),
        (lambda c: c.conversations.get(5), TypeError, "conversation_id must be a str"),
        (lambda c: c.events.get("CON-1", "abc"), ValueError, "event_id"),
        (lambda c: c.events.get("CON-1", True), TypeError, "event_id"),
        (lambda c: c.members.create("CON-1"), ValueError, "user"),
        (lambda c: c.members.create("CON-1", user={}), ValueError, "user"),
        (
            lambda c: c.members.create("CON-1", user={"name": "a"}, state="left"),
            ValueError,
            "state",
        ),
        (lambda c: c.members.update("CON-1", "MEM-1", state="invited"), ValueError, "state"),
        (lambda c: c.events.create("CON-1", type="text"), ValueError, "from_"),
        (lambda c: c.events.create("CON-1", from_="MEM-1"), ValueError, "'type'"),
        (
            lambda c: c.events.create("CON-1", type="member:joined", from_="MEM-1", body={}),
            ValueError,
            "member events are the API's own",
        ),
        (lambda c: c.events.create("CON-1", type="text", from_="MEM-1"), ValueError, "'body'"),
        (lambda c: c.conversations.create(["name"]), TypeError, "data must be a dict"),
        (lambda c: c.conversations.create(numbers=5), ValueError, "ConversationRequest"),
        (lambda c: c.events.send_custom("CON-1", "", from_="MEM-1"), ValueError, "name"),
        (lambda c: c.conversations.list(page_size=0), ValueError, "between 1 and 100"),
        (lambda c: c.conversations.list(page_size=101), ValueError, "between 1 and 100"),
        (lambda c: c.conversations.list(order="up"), ValueError, "'asc' or 'desc'"),
        (lambda c: c.conversations.list(date_start="soon"), ValueError, "date_start"),
        (lambda c: c.conversations.list(date_start=5), TypeError, "date_start"),
        (lambda c: c.users.conversations("USR-1", state="gone"), ValueError, "INVITED"),
        (lambda c: c.conversations.list(limit=-1), ValueError, "limit"),
        (lambda c: c.conversations.list(cursor=""), ValueError, "cursor"),
        (lambda c: c.legs.list(record_index=-1), ValueError, "record_index"),
        (lambda c: c.members.me("CON-1"), ValueError, "user JWT"),
        (lambda c: c.conversations.get(UNSET), ValueError, "conversation_id is UNSET"),
        (lambda c: c.events.get("CON-1", UNSET), ValueError, "event_id is UNSET"),
        (lambda c: c.events.send_text("CON-1", from_=UNSET, text="x"), ValueError, "from_"),
    ],
)
def test_bad_input_raises_a_clear_error_and_sends_nothing(
    api: Api, fake: FakeAPI, call: Any, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        api.call(call)
    assert fake.requests == []
