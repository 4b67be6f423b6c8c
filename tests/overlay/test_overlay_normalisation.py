"""Where a server and the spec disagree: each fix names its rule in openapi/NORMALISATION.md.

Every test sends the form a source document showed (not the spec's) and checks that the call
still parses, sync and async.
"""

from __future__ import annotations

import copy
from datetime import datetime, timezone

import pytest
from overlay_helpers import CONVERSATION, CREATED_EVENT, LEG, MEMBER, Api, FakeAPI, event, ok, page
from vonage_conversation import parse_timestamp
from vonage_conversation._fixes import SchemaMismatchError
from vonage_conversation._normalise import normalise

UTC = timezone.utc


def test_rule_open_response_enums_unknown_values_come_through_as_strings(
    api: Api, fake: FakeAPI
) -> None:
    """`open-response-enums`: a member state, channel type or leg state the spec does not list."""
    member = {**MEMBER, "state": "KNOCKING", "channel": {"type": "whatsapp"}}
    fake.add("GET", "/v0.3/conversations/CON-1/members/MEM-1", ok(member))
    fake.add("GET", "/v0.3/legs", ok({**_legs_body([{**LEG, "state": "ringing"}])}))
    result = api.call(lambda c: c.members.get("CON-1", "MEM-1"))
    assert result.state == "KNOCKING"
    assert result.channel.type_ == "whatsapp"
    assert api.items(api.client.legs.list())[0].state == "ringing"


def _legs_body(legs: list[dict]) -> dict:
    return {
        "count": len(legs),
        "page_size": 10,
        "record_index": 0,
        "_links": {"self": {"href": "x"}},
        "_embedded": {"legs": legs},
    }


def test_rule_legs_count_integer_numbers_sent_as_strings_are_coerced(
    api: Api, fake: FakeAPI
) -> None:
    """`legs-count-integer`: `"count": "100"` (and the other counters) read as numbers."""
    body = {**_legs_body([LEG]), "count": "100", "page_size": "10", "record_index": "0"}
    fake.add("GET", "/v0.3/legs", ok(body))
    fake.add("GET", "/v0.3/conversations/CON-1", ok({**CONVERSATION, "sequence_number": "42"}))
    first = api.run(api.client.legs.list().first_page())
    assert (first.count, first.page_size, first.record_index) == (100, 10, 0)
    conversation = api.call(lambda c: c.conversations.get("CON-1"))
    assert conversation.sequence_number == 42
    assert conversation.properties.ttl == 60


@pytest.mark.parametrize("event_id", [5, "5"], ids=["int", "str"])
def test_rule_event_id_string_an_event_id_may_be_an_int_or_a_str(
    api: Api, fake: FakeAPI, event_id: int | str
) -> None:
    """`event-id-string`: v0.2 sent event ids as integers; they come back as strings."""
    fake.add("GET", "/v0.3/conversations/CON-1/events/5", ok(event(event_id)))
    fake.add("POST", "/v0.3/conversations/CON-1/events", ok({**CREATED_EVENT, "id": event_id}, 201))
    fake.add("GET", "/v0.3/conversations/CON-1/events", ok(page("events", [event(event_id)])))
    assert api.call(lambda c: c.events.get("CON-1", event_id)).id == "5"
    assert api.call(lambda c: c.events.send_text("CON-1", from_="M", text="t")).id == "5"
    assert [e.id for e in api.items(api.client.events.list("CON-1"))] == ["5"]
    assert fake.requests[0].url.path == "/v0.3/conversations/CON-1/events/5"


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ("2019-09-03T18:40:24.324Z", datetime(2019, 9, 3, 18, 40, 24, 324000, UTC)),
        ("2020-01-01T14:00:00.00Z", datetime(2020, 1, 1, 14, tzinfo=UTC)),
        ("2019-09-12T19:49:21.823Z", datetime(2019, 9, 12, 19, 49, 21, 823000, UTC)),
        ("2018-01-01 10:00:00", datetime(2018, 1, 1, 10, tzinfo=UTC)),
        ("2018-01-01T10:00:00", datetime(2018, 1, 1, 10, tzinfo=UTC)),
        ("2020-01-01T14:00:00+01:00", datetime(2020, 1, 1, 13, tzinfo=UTC)),
        ("2020-01-01T14:00:00.1234567Z", datetime(2020, 1, 1, 14, 0, 0, 123456, UTC)),
    ],
)
def test_rule_timestamps_date_time_every_form_in_the_sources_parses(
    api: Api, fake: FakeAPI, sent: str, expected: datetime
) -> None:
    """`timestamps-date-time`: the sources' timestamps (two fraction digits, a space, no zone)."""
    member = {**MEMBER, "timestamp": {"invited": sent, "joined": sent, "left": sent}}
    fake.add(
        "GET", "/v0.3/conversations/CON-1", ok({**CONVERSATION, "timestamp": {"created": sent}})
    )
    fake.add("GET", "/v0.3/conversations/CON-1/events/5", ok(event("5", timestamp=sent)))
    fake.add("GET", "/v0.3/conversations/CON-1/members/MEM-1", ok(member))
    fake.add("GET", "/v0.3/legs", ok(_legs_body([{**LEG, "start_time": sent, "end_time": sent}])))
    assert api.call(lambda c: c.conversations.get("CON-1")).timestamp.created == expected
    assert api.call(lambda c: c.events.get("CON-1", 5)).timestamp == expected
    stamps = api.call(lambda c: c.members.get("CON-1", "MEM-1")).timestamp
    assert (stamps.invited, stamps.joined, stamps.left) == (expected, expected, expected)
    leg = api.items(api.client.legs.list())[0]
    assert (leg.start_time, leg.end_time) == (expected, expected)


def test_rule_timestamps_date_time_parse_timestamp_is_public() -> None:
    """`timestamps-date-time`: the same reader is exported for users' own data."""
    assert parse_timestamp("2020-01-01T14:00:00.00Z") == datetime(2020, 1, 1, 14, tzinfo=UTC)
    with pytest.raises(ValueError, match="not a date-time"):
        parse_timestamp("later")


@pytest.mark.parametrize("spelling", ["isSystem", "is_system"])
def test_rule_is_system_spelling_both_spellings_read(
    api: Api, fake: FakeAPI, spelling: str
) -> None:
    """`is-system-spelling`: v0.2's `is_system` and v0.3's `isSystem`."""
    initiator = {
        "invited": {spelling: True, "user_id": "USR-1"},
        "joined": {spelling: False, "member_id": "MEM-1"},
    }
    fake.add(
        "GET", "/v0.3/conversations/CON-1/members/MEM-1", ok({**MEMBER, "initiator": initiator})
    )
    member = api.call(lambda c: c.members.get("CON-1", "MEM-1"))
    assert member.initiator.invited.is_system is True
    assert member.initiator.joined.is_system is False
    assert "is_system" not in member.initiator.invited.additional_properties


@pytest.mark.parametrize("links", ["bare", "hal"])
def test_rule_member_links_self_both_link_forms_read(api: Api, fake: FakeAPI, links: str) -> None:
    """`member-links-self`: v0.3 members had `_links.href`; others `_links.self.href`."""
    href = "https://api.nexmo.com/v0.3/conversations/CON-1/members/MEM-1"
    body = {"href": href} if links == "bare" else {"self": {"href": href}}
    fake.add(
        "GET",
        "/v0.3/conversations/CON-1/members",
        ok(page("members", [{**MEMBER, "_links": body}])),
    )
    member = api.items(api.client.members.list("CON-1"))[0]
    assert member.field_links.self_.href == href


def test_rule_legs_end_time_start_end_is_read_as_end_time(api: Api, fake: FakeAPI) -> None:
    """`legs-end-time`: the v0.3 docs named a leg's end `start_end`."""
    leg = {k: v for k, v in LEG.items() if k != "end_time"}
    leg["start_end"] = "2020-01-01T15:00:00.00Z"
    fake.add("GET", "/v0.3/legs", ok(_legs_body([leg])))
    result = api.items(api.client.legs.list())[0]
    assert result.end_time == datetime(2020, 1, 1, 15, tzinfo=UTC)
    assert "start_end" not in result.additional_properties


def test_rule_conversation_numbers_by_type_an_array_is_keyed_by_type(
    api: Api, fake: FakeAPI
) -> None:
    """`conversation-numbers-by-type`: `numbers` sent back as the request's array still reads."""
    numbers = [{"type": "phone", "number": "447700900000"}, {"type": "app", "user": "jamie"}]
    fake.add("GET", "/v0.3/conversations/CON-1", ok({**CONVERSATION, "numbers": numbers}))
    result = api.call(lambda c: c.conversations.get("CON-1"))
    assert result.numbers["phone"].number == "447700900000"
    assert result.numbers["app"].user == "jamie"


def test_rule_conversation_numbers_by_type_the_object_form_reads(api: Api, fake: FakeAPI) -> None:
    """`conversation-numbers-by-type`: the spec's own form, an object keyed by channel type."""
    numbers = {"phone": {"type": "phone", "number": "447700900000"}}
    fake.add("GET", "/v0.3/conversations/CON-1", ok({**CONVERSATION, "numbers": numbers}))
    assert api.call(lambda c: c.conversations.get("CON-1")).numbers["phone"].number == (
        "447700900000"
    )


def test_missing_optional_fields_are_fine(api: Api, fake: FakeAPI) -> None:
    """A missing optional field (every field of a conversation, most of a member) is fine."""
    fake.add("GET", "/v0.3/conversations/CON-1", ok({"id": "CON-1"}))
    fake.add("GET", "/v0.3/conversations/CON-1/members/MEM-1", ok({"id": "MEM-1"}))
    fake.add("GET", "/v0.3/legs", ok(_legs_body([{"uuid": "leg-1"}])))
    fake.add("POST", "/v0.3/conversations/CON-1/events", ok({"id": "1"}, 201))
    assert api.call(lambda c: c.conversations.get("CON-1")).id == "CON-1"
    assert api.call(lambda c: c.members.get("CON-1", "MEM-1")).id == "MEM-1"
    assert api.items(api.client.legs.list())[0].uuid == "leg-1"
    created = api.call(lambda c: c.events.send_text("CON-1", from_="M", text="t"))
    assert created.to_dict() == {"id": "1"}


def test_user_data_is_never_rewritten(api: Api, fake: FakeAPI) -> None:
    """A custom body and `custom_data` are the user's: no fix touches them."""
    user_data = {
        "id": 7,
        "count": "3",
        "timestamp": "2020-01-01 10:00:00",
        "is_system": True,
        "_links": {"href": "x"},
        "start_end": "s",
        "numbers": [{"type": "phone"}],
    }
    custom = event("1", type="custom:thing", body=copy.deepcopy(user_data))
    fake.add("GET", "/v0.3/conversations/CON-1/events", ok(page("events", [custom])))
    conversation = {**CONVERSATION, "properties": {"custom_data": user_data}}
    fake.add("GET", "/v0.3/conversations/CON-1", ok(conversation))
    [read] = api.items(api.client.events.list("CON-1"))
    assert read.body.to_dict() == user_data
    got = api.call(lambda c: c.conversations.get("CON-1")).properties.custom_data
    assert got.to_dict() == user_data
    assert normalise(conversation, "Conversation")["properties"]["custom_data"] == user_data


@pytest.mark.parametrize(
    ("schema", "document"),
    [
        # Each rule applies at the schema it is about, to the source's form of the value; the
        # same names elsewhere (here: where the spec describes nothing) are left alone.
        ("Channel", {"id": 0}),
        ("Conversation", {"id": "CON-1", "is_system": None, "start_end": "", "left": "1"}),
        ("Link", {"start_end": None, "numbers": []}),
        ("Leg", {"uuid": "a", "start_end": None}),
        ("Initiator", {"is_system": "yes"}),
        ("Conversation", {"id": "CON-1", "_links": {"href": "x"}, "count": "5"}),
        ("Conversation", {"id": "CON-1", "numbers": {"phone": {"type": "phone"}}}),
    ],
)
def test_fixes_apply_only_where_their_rule_says(schema: str, document: dict[str, object]) -> None:
    assert normalise(document, schema) == document


def test_a_number_the_spec_declares_is_read_from_a_string_only_there() -> None:
    """`legs-count-integer`: digits where the spec says integer or number, nowhere else."""
    fixed = normalise({"id": "CON-1", "sequence_number": "42", "count": "5"}, "Conversation")
    assert (fixed["sequence_number"], fixed["count"]) == (42, "5")
    ttl = normalise({"ttl": "1.5e1"}, "ConversationProperties")["ttl"]
    assert ttl == 15.0
    with pytest.raises(SchemaMismatchError, match="ttl: expected a number, got a string"):
        normalise({"ttl": "soon"}, "ConversationProperties")


def test_an_unreadable_timestamp_names_its_field_and_a_zoneless_one_is_utc() -> None:
    fixed = normalise({"joined": "2018-01-01 10:00:00"}, "MemberTimestamp")
    assert fixed == {"joined": "2018-01-01T10:00:00+00:00"}
    with pytest.raises(ValueError, match="joined: not a date-time: '1'"):
        normalise({"joined": "1"}, "MemberTimestamp")


def test_a_member_event_body_is_a_member_and_gets_the_member_fixes() -> None:
    """`is-system-spelling` and `member-links-self` reach into a member event's body."""
    member = {**MEMBER, "initiator": {"invited": {"is_system": True}}, "_links": {"href": "h"}}
    fixed = normalise(event("1", type="member:invited", body=member), "Event")
    assert fixed["body"]["initiator"]["invited"] == {"isSystem": True}
    assert fixed["body"]["_links"] == {"self": {"href": "h"}}


def test_normalise_does_not_change_its_input() -> None:
    body = {"id": "1", "_links": {"href": "h"}, "initiator": {"joined": {"is_system": True}}}
    original = copy.deepcopy(body)
    assert normalise(body, "Member") != original
    assert body == original
