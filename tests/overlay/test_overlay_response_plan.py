"""The response plan: every declared scalar of a response is type-checked, a wrong one raises
`ResponseParseError` naming its path, the rules' coerced forms still parse, and a field named
like a fix but not in the source's form is kept as sent. Sync and async, for objects, pages and
the items nested in them."""

from __future__ import annotations

import copy
import re
from datetime import datetime, timezone
from typing import Any

import pytest
from overlay_helpers import (
    CONVERSATION,
    LEG,
    MEMBER,
    Api,
    FakeAPI,
    event,
    leg_page,
    object_plans,
    ok,
    page,
)
from vonage_conversation import ResponseParseError
from vonage_conversation._fixes import OBJECT_FIXES, SchemaMismatchError
from vonage_conversation._models import read_model

UTC = timezone.utc
CON = "/v0.3/conversations/CON-1"


def _spoil(document: Any, path: str, value: Any) -> Any:
    """A copy of `document` with `value` at `path` (``_embedded.events[3].id``)."""
    steps: list[str | int] = []
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        steps.append(int(part[1:-1]) if part.startswith("[") else part)
    changed = copy.deepcopy(document)
    holder = changed
    for step in steps[:-1]:
        holder = holder[step]
    holder[steps[-1]] = value
    return changed


EVENTS = [event(str(n)) for n in range(1, 6)]
MEMBERS = [MEMBER, {**copy.deepcopy(MEMBER), "id": "MEM-2"}]
BODIES = {
    "conversation": CONVERSATION,
    "events": page("events", EVENTS),
    "members": page("members", MEMBERS),
    "legs": leg_page([LEG], record_index=0, count=1),
}
CALLS = {
    "conversation": ("GET", CON, lambda api: api.call(lambda c: c.conversations.get("CON-1"))),
    "events": ("GET", f"{CON}/events", lambda api: api.items(api.client.events.list("CON-1"))),
    "members": ("GET", f"{CON}/members", lambda api: api.items(api.client.members.list("CON-1"))),
    "legs": ("GET", "/v0.3/legs", lambda api: api.items(api.client.legs.list())),
}

# (the call, the path of the value spoiled, the wrong value sent there)
WRONG = [
    ("conversation", "sequence_number", "abc"),
    ("conversation", "id", {"nested": 1}),
    ("conversation", "name", 5),
    ("conversation", "timestamp.created", 5),
    ("conversation", "properties.ttl", True),
    ("conversation", "_links.self.href", None),
    ("conversation", "numbers.phone", "447700900000"),
    ("events", "_embedded.events[3].id", {}),
    ("events", "_embedded.events[0].body", []),
    ("events", "_embedded.events[4].timestamp", "soon"),
    ("events", "page_size", "ten"),
    ("events", "_links.next", "x"),
    ("members", "_embedded.members[1].initiator.joined.isSystem", "yes"),
    ("members", "_embedded.members[0]._embedded.user.name", 5),
    ("members", "_embedded.members[1].state", 1),
    ("legs", "_embedded.legs[0].start_time", 12),
    ("legs", "count", "many"),
]


@pytest.mark.parametrize(("call", "path", "value"), WRONG, ids=[case[1] for case in WRONG])
def test_a_wrong_scalar_type_raises_naming_its_path(
    api: Api, fake: FakeAPI, call: str, path: str, value: Any
) -> None:
    method, route, make = CALLS[call]
    fake.add(method, route, ok(_spoil(BODIES[call], path, value)))
    with pytest.raises(ResponseParseError) as caught:
        make(api)
    error = caught.value
    assert error.path == path
    assert f"the response does not match the spec: {path}: " in str(error)
    assert error.status == 200
    assert error.__cause__ is None  # one clear error, no deep traceback behind it


@pytest.mark.parametrize("call", sorted(CALLS))
def test_the_same_bodies_with_right_types_parse(api: Api, fake: FakeAPI, call: str) -> None:
    """The bodies above, unspoiled, parse: the spoiled value is what each error is about."""
    method, route, make = CALLS[call]
    fake.add(method, route, ok(BODIES[call]))
    assert make(api)


@pytest.mark.parametrize(
    ("field", "sent", "read"),
    [
        ("page_size", "10", 10),  # `legs-count-integer`: digits where an integer is declared
        ("page_size", 10.0, 10),  # JSON has one number type: a whole number with a fraction
        ("count", "3", 3),
        ("record_index", " 0 ", 0),
    ],
)
def test_the_coerced_forms_still_parse(
    api: Api, fake: FakeAPI, field: str, sent: object, read: int
) -> None:
    body = leg_page([LEG], record_index=0, count=3, page_size=10)
    fake.add("GET", "/v0.3/legs", ok({**body, field: sent}))
    first = api.run(api.client.legs.list().first_page())
    assert getattr(first, field) == read
    assert type(getattr(first, field)) is int


def test_a_bool_is_never_a_number(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", CON, ok({**CONVERSATION, "sequence_number": True}))
    with pytest.raises(ResponseParseError, match="sequence_number: expected an integer, got a"):
        api.call(lambda c: c.conversations.get("CON-1"))


def test_unknown_fields_are_kept_and_free_objects_are_not_entered(api: Api, fake: FakeAPI) -> None:
    extra = {"new_field": {"deep": [1, "two", None]}, "count": "not a number here"}
    free = {"anything": {"id": {}, "timestamp": "not-a-time", "count": "x"}}
    body = {**CONVERSATION, **extra, "properties": {"custom_data": free, "ttl": 5}}
    fake.add("GET", CON, ok(body))
    read = api.call(lambda c: c.conversations.get("CON-1"))
    assert read.additional_properties == extra
    assert read.properties.custom_data.additional_properties == free
    assert read.to_dict()["properties"]["custom_data"] == free


# A field named like a fix, not in the source's form: kept as sent (NORMALISATION.md says so)


@pytest.mark.parametrize("start_end", ["not-a-time", 5, None, {"at": 1}, ""])
def test_a_leg_start_end_that_is_no_time_is_kept_as_sent(
    api: Api, fake: FakeAPI, start_end: object
) -> None:
    leg = {**{k: v for k, v in LEG.items() if k != "end_time"}, "start_end": start_end}
    fake.add("GET", "/v0.3/legs", ok(leg_page([leg], record_index=0, count=1)))
    [read] = api.items(api.client.legs.list())
    assert read.additional_properties == {"start_end": start_end}
    assert read.to_dict()["start_end"] == start_end
    assert "end_time" not in read.to_dict()


def test_a_leg_start_end_beside_an_end_time_is_kept_as_sent(api: Api, fake: FakeAPI) -> None:
    leg = {**LEG, "start_end": "2021-01-01T00:00:00Z"}
    fake.add("GET", "/v0.3/legs", ok(leg_page([leg], record_index=0, count=1)))
    [read] = api.items(api.client.legs.list())
    assert read.end_time == datetime(2020, 1, 1, 14, tzinfo=UTC)
    assert read.additional_properties == {"start_end": "2021-01-01T00:00:00Z"}


@pytest.mark.parametrize("value", ["yes", 1, None, {"a": 1}])
def test_an_initiator_is_system_that_is_no_boolean_is_kept_as_sent(
    api: Api, fake: FakeAPI, value: object
) -> None:
    member = {**MEMBER, "initiator": {"joined": {"is_system": value}}}
    fake.add("GET", f"{CON}/members/MEM-1", ok(member))
    read = api.call(lambda c: c.members.get("CON-1", "MEM-1"))
    assert read.initiator.joined.additional_properties == {"is_system": value}


def test_numbers_sent_as_an_array_that_cannot_be_keyed_are_refused(api: Api, fake: FakeAPI) -> None:
    """`conversation-numbers-by-type` keys an array by type; two numbers of one type cannot be,
    and an array is not what the spec says: refused, naming the field."""
    numbers = [{"type": "phone", "number": "1"}, {"type": "phone", "number": "2"}]
    fake.add("GET", CON, ok({**CONVERSATION, "numbers": numbers}))
    with pytest.raises(ResponseParseError, match="numbers: expected an object, got an array"):
        api.call(lambda c: c.conversations.get("CON-1"))


FIX_TRIGGERS = sorted({fix.trigger for fixes in OBJECT_FIXES.values() for fix in fixes})
ODD_VALUES = ["not-a-time", "", 7, 2.5, True, None, [], [1, {"type": 1}], {}, {"href": 3}]


def _minimal(location: str) -> dict[str, Any]:
    """A document of the object at `location` holding only its required fields, each with a
    plain value of its declared type."""
    plan = object_plans()[location]
    document: dict[str, Any] = {}
    for field in plan.fields:
        if field.required:
            document[field.key] = _plain(field.node)
    return document


def _plain(node: Any) -> Any:
    kind = getattr(node, "kind", None)
    samples = {
        "string": "x",
        "integer": 1,
        "number": 1.5,
        "boolean": True,
        "date-time": "2020-01-01T00:00:00Z",
    }
    if kind is not None:
        return sorted(node.enum)[0] if node.enum else samples[kind]
    location = getattr(node, "location", None)
    if location is not None:
        return _minimal(location)
    return [] if hasattr(node, "items") else {}


@pytest.mark.parametrize("location", sorted(object_plans()))
def test_a_fix_named_extra_field_never_crashes_any_object(location: str) -> None:
    """Every object of the spec is open: an undeclared field named like a fix's trigger, with
    any value, is either kept as sent or read as its rule says, else refused with a
    `SchemaMismatchError` (the client's `ResponseParseError`); never anything else."""
    declared = {field.key for field in object_plans()[location].fields}
    for name in FIX_TRIGGERS:
        if name in declared:
            continue
        for value in ODD_VALUES:
            document = {**_minimal(location), name: copy.deepcopy(value)}
            try:
                model = read_model(copy.deepcopy(document), location)
            except SchemaMismatchError as refused:
                # Refused at the field itself, or (an object closed to undeclared fields) there.
                closed = object_plans()[location].closed
                assert refused.path.startswith(name) or (closed and refused.path == "")
                continue
            assert model.to_dict() is not None
