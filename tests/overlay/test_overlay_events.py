"""Events by kind, and the helpers that send texts and custom events."""

from __future__ import annotations

import pytest
from overlay_helpers import CREATED_EVENT, MEMBER, Api, FakeAPI, body_of, event, ok, page
from vonage_conversation import (
    CustomEvent,
    Event,
    MemberInvitedEvent,
    MemberJoinedEvent,
    MemberLeftEvent,
    TextEvent,
    as_typed,
    custom_event_name,
)
from vonage_conversation_api.models import CreatedEvent

EVENTS = "/v0.3/conversations/CON-1/events"


def test_send_text(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", EVENTS, ok(CREATED_EVENT, 201))
    created = api.call(lambda c: c.events.send_text("CON-1", from_="MEM-1", text="Hello"))
    assert isinstance(created, CreatedEvent)
    assert body_of(fake.last) == {"type": "text", "from": "MEM-1", "body": {"text": "Hello"}}


def test_send_text_to_one_member(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", EVENTS, ok(CREATED_EVENT, 201))
    api.call(lambda c: c.events.send_text("CON-1", from_="MEM-1", text="psst", to="MEM-2"))
    assert body_of(fake.last)["to"] == "MEM-2"


@pytest.mark.parametrize("name", ["order_paid", "custom:order_paid"])
def test_send_custom(api: Api, fake: FakeAPI, name: str) -> None:
    fake.add("POST", EVENTS, ok(CREATED_EVENT, 201))
    api.call(
        lambda c: c.events.send_custom("CON-1", name, from_="MEM-1", body={"amount": 12, "id": 3})
    )
    assert body_of(fake.last) == {
        "type": "custom:order_paid",
        "from": "MEM-1",
        "body": {"amount": 12, "id": 3},
    }


def test_send_custom_without_a_body_sends_an_empty_one(api: Api, fake: FakeAPI) -> None:
    fake.add("POST", EVENTS, ok(CREATED_EVENT, 201))
    api.call(lambda c: c.events.send_custom("CON-1", "ping", from_="MEM-1"))
    assert body_of(fake.last)["body"] == {}


def _generic(body: dict) -> Event:
    return Event.from_dict(body)


def test_as_typed_text() -> None:
    typed = as_typed(_generic(event("1", conversation_id="CON-1")))
    assert isinstance(typed, TextEvent)
    assert typed.body.text == "My Text"
    assert typed.conversation_id == "CON-1"


def test_as_typed_custom_and_its_name() -> None:
    typed = as_typed(_generic(event("1", type="custom:order_paid", body={"amount": 12})))
    assert isinstance(typed, CustomEvent)
    assert typed.body["amount"] == 12
    assert custom_event_name(typed) == "order_paid"
    assert custom_event_name(_generic(event("1"))) is None


@pytest.mark.parametrize(
    ("kind", "cls"),
    [
        ("member:invited", MemberInvitedEvent),
        ("member:joined", MemberJoinedEvent),
        ("member:left", MemberLeftEvent),
    ],
)
def test_as_typed_member_events_have_a_member_body(kind: str, cls: type) -> None:
    typed = as_typed(_generic(event("1", type=kind, body=MEMBER)))
    assert isinstance(typed, cls)
    assert typed.body.id == "MEM-63f61863"
    assert typed.body.field_embedded.user.name == "my_user_name"


def test_as_typed_keeps_any_other_type_generic() -> None:
    generic = _generic(event("1", type="audio:play", body={"stream_url": ["x"]}))
    assert as_typed(generic) is generic


def test_as_typed_keeps_an_event_whose_body_does_not_fit_its_kind() -> None:
    generic = _generic(event("1", type="member:joined", body={"state": 5, "timestamp": 3}))
    assert as_typed(generic) is generic


def test_as_typed_refuses_what_is_not_an_event() -> None:
    with pytest.raises(TypeError, match="takes an Event"):
        as_typed({"type": "text"})  # type: ignore[arg-type]


def test_listed_events_read_by_kind_with_match(api: Api, fake: FakeAPI) -> None:
    fake.add(
        "GET",
        EVENTS,
        ok(
            page(
                "events",
                [
                    event("1"),
                    event("2", type="custom:ping", body={"n": 1}),
                    event("3", type="member:left", body=MEMBER),
                    event("4", type="rtc:answered", body={}),
                ],
            )
        ),
    )
    seen = []
    for item in api.items(api.client.events.list("CON-1")):
        match as_typed(item):
            case TextEvent(body=body):
                seen.append(("text", body.text))
            case CustomEvent() as custom:
                seen.append(("custom", custom_event_name(custom)))
            case MemberLeftEvent(body=member):
                seen.append(("left", member.id))
            case Event(type_=other):
                seen.append(("other", other))
    assert seen == [
        ("text", "My Text"),
        ("custom", "ping"),
        ("left", "MEM-63f61863"),
        ("other", "rtc:answered"),
    ]
