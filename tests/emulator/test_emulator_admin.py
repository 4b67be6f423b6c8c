"""The emulator's own controls: reset, snapshot and restore, the application's clock, and who
may call them (an application JWT only).

It is over 400 lines because the snapshot's tests need a varied state to build and a table of
malformed documents; ``serve`` and ``http_for`` here are shared with test_emulator_faults.py.
"""

from __future__ import annotations

import copy
import functools
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from emulator_support import assert_error
from vonage_conversation_emulator.app import create_app
from vonage_conversation_emulator.control import EmulatorControl, EmulatorControlError
from vonage_conversation_emulator.embedded import EmulatorInstance, run_emulator
from vonage_conversation_emulator.keys import generate_private_key_pem
from vonage_conversation_emulator.seed import SeedUser
from vonage_conversation_emulator.server import BackgroundServer
from vonage_conversation_pytest.webhooks import WebhookReceiver

START = datetime(2030, 1, 1, tzinfo=timezone.utc)


@functools.cache
def private_key() -> str:
    return generate_private_key_pem().decode()


@contextmanager
def serve(**options: Any) -> Iterator[EmulatorInstance]:
    """An emulator of `create_app(**options)` on a free loopback port (for the options
    `run_emulator` does not take: `seed` remembered for reset, `rate_limit`)."""
    application_id = str(uuid.uuid4())
    app = create_app(application_id=application_id, public_key=private_key(), **options)
    try:
        with BackgroundServer(app) as server:
            yield EmulatorInstance(server.url, application_id, private_key(), app=app)
    finally:
        app.store.close()


def http_for(emulator: EmulatorInstance, **claims: Any) -> httpx.Client:
    """Plain httpx with a JWT of `emulator` (`sub=` for a user JWT)."""
    return httpx.Client(
        base_url=emulator.base_url,
        headers={"Authorization": f"Bearer {emulator.token(**claims)}"},
    )


@pytest.fixture
def control(emulator: EmulatorInstance) -> Iterator[EmulatorControl]:
    with EmulatorControl(emulator.base_url, emulator.token) as control:
        yield control


def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


# Reset


def test_reset_empties_the_tables_but_for_the_seed_users_and_resets_clock_and_faults() -> None:
    # JWTs are checked on the application's clock: this one outlives the hour it moves.
    with (
        serve(seed=[SeedUser("alice", "Alice")]) as emulator,
        http_for(emulator, ttl=7200) as http,
    ):
        control = EmulatorControl(emulator.base_url, emulator.token)
        created(http.post("/_emulator/users", json={"name": "bob"}))
        conversation = created(http.post("/v0.3/conversations", json={"name": "support"}))
        members = f"/v0.3/conversations/{conversation['id']}/members"
        created(http.post(members, json={"user": {"name": "alice"}, "state": "joined"}))
        control.advance(3600)
        control.fail("getConversation", status=503)
        with http_for(emulator, sub="alice") as as_alice:
            assert as_alice.get(f"{members}/me").status_code == 200

            control.reset()

            tables = control.snapshot()["tables"]
            assert {name for name, records in tables.items() if records} == {"users"}
            (alice,) = tables["users"]
            assert (alice["name"], alice["display_name"]) == ("alice", "Alice")
            control.now()
            assert control.offset_seconds == 0.0
            assert control.faults() == []
            assert http.get(f"/v0.3/conversations/{conversation['id']}").status_code == 404
            # The user JWT seen before the reset is a session again once it is used again.
            assert as_alice.get("/v0.3/conversations").status_code == 200
        sessions = http.get(f"/v0.3/users/{alice['id']}/sessions").json()
        assert len(sessions["_embedded"]["sessions"]) == 1
        control.close()


# Snapshot and restore


def build_state(
    http: httpx.Client, emulator: EmulatorInstance, receiver: WebhookReceiver
) -> tuple[str, str]:
    """Users, a conversation with a callback, members (one with a leg), events (one deleted),
    a session and a delivery; the conversation's id and its joined member's."""
    created(http.post("/_emulator/users", json={"name": "alice", "display_name": "Alice"}))
    created(http.post("/_emulator/users", json={"name": "bob"}))
    conversation = created(
        http.post(
            "/v0.3/conversations",
            json={
                "name": "support",
                "properties": {"custom_data": {"tier": 1}},
                "numbers": [{"type": "phone", "number": "447700900000"}],
                "callback": {"url": receiver.url, "event_mask": "text"},
            },
        )
    )
    created(http.post("/v0.3/conversations", json={"name": "other"}))
    base = f"/v0.3/conversations/{conversation['id']}"
    alice = created(
        http.post(
            f"{base}/members",
            json={
                "user": {"name": "alice"},
                "state": "joined",
                "channel": {"type": "phone", "leg_id": "leg-1"},
            },
        )
    )
    bob = created(http.post(f"{base}/members", json={"user": {"name": "bob"}}))
    assert http.patch(f"{base}/members/{bob['id']}", json={"state": "left"}).status_code == 200
    created(
        http.post(
            f"{base}/events", json={"type": "text", "from": alice["id"], "body": {"text": "hi"}}
        )
    )
    custom = created(
        http.post(
            f"{base}/events",
            json={"type": "custom:ping", "from": alice["id"], "body": {"n": [1, 2]}},
        )
    )
    assert http.delete(f"{base}/events/{custom['id']}").status_code == 200
    with http_for(emulator, sub="alice") as as_alice:
        assert as_alice.get(f"{base}/members/me").status_code == 200
    receiver.wait_for(type="text", timeout=10)
    return str(conversation["id"]), str(alice["id"])


def settled(control: EmulatorControl) -> dict[str, Any]:
    """The snapshot once no delivery is pending any more (the worker has logged them)."""
    deadline = time.monotonic() + 10
    while True:
        document = control.snapshot()
        deliveries = document["tables"]["deliveries"]
        if deliveries and all(d["state"] == "delivered" for d in deliveries):
            return document
        assert time.monotonic() < deadline, f"deliveries still pending: {deliveries}"
        time.sleep(0.02)


def answers(http: httpx.Client, conversation_id: str, user_id: str) -> dict[str, Any]:
    """What the API answers about the state, read back through its own operations."""
    base = f"/v0.3/conversations/{conversation_id}"
    paths = [
        "/v0.3/conversations",
        "/v0.2/conversations",
        base,
        f"{base}/members",
        f"{base}/events",
        f"{base}/events?event_type=text",
        "/v0.3/legs",
        "/v0.2/users",
        f"/v0.3/users/{user_id}/conversations",
        f"/_emulator/deliveries?conversation_id={conversation_id}",
    ]
    found = {}
    for path in paths:
        response = http.get(path)
        assert response.status_code == 200, (path, response.text)
        found[path] = response.json()
    return found


def test_a_snapshot_restored_after_a_reset_is_the_same_state(
    emulator: EmulatorInstance, control: EmulatorControl, webhook_receiver: WebhookReceiver
) -> None:
    with http_for(emulator) as http:
        conversation_id, member_id = build_state(http, emulator, webhook_receiver)
        document = settled(control)
        tables = document["tables"]
        assert all(tables[name] for name in tables), "every table holds a record"
        assert all("application_id" not in r for records in tables.values() for r in records)
        alice = next(user for user in tables["users"] if user["name"] == "alice")
        before = answers(http, conversation_id, alice["id"])

        control.reset()
        assert not any(control.snapshot()["tables"].values())
        control.restore(copy.deepcopy(document))

        assert control.snapshot() == document
        assert answers(http, conversation_id, alice["id"]) == before
        # What is handed out next follows the restored numbers.
        event = created(
            http.post(
                f"/v0.3/conversations/{conversation_id}/events",
                json={"type": "custom:x", "from": member_id},
            )
        )
        (stored,) = [c for c in tables["conversations"] if c["id"] == conversation_id]
        assert int(event["id"]) == stored["sequence_number"] + 1


def test_a_restored_pending_delivery_is_sent(
    emulator: EmulatorInstance,
    control: EmulatorControl,
    webhook_receiver: WebhookReceiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with http_for(emulator) as http:
        callback = {"url": webhook_receiver.url, "event_mask": "text"}
        conversation = created(http.post("/v0.3/conversations", json={"callback": callback}))
        created(http.post("/_emulator/users", json={"name": "alice"}))
        base = f"/v0.3/conversations/{conversation['id']}"
        joined = {"user": {"name": "alice"}, "state": "joined"}
        member = created(http.post(f"{base}/members", json=joined))
        text = {"type": "text", "from": member["id"], "body": {"text": "hi"}}
        created(http.post(f"{base}/events", json=text))
        document = settled(control)
    (delivery,) = document["tables"]["deliveries"]
    delivery.update(state="pending", attempts=0)
    document["tables"]["delivery_attempts"] = []
    worker = emulator.app.delivery
    assert worker is not None
    woken: list[bool] = []
    wake = worker.wake

    def recording_wake() -> None:
        woken.append(True)
        wake()

    monkeypatch.setattr(worker, "wake", recording_wake)
    control.restore(document)
    assert woken, "the restore wakes the delivery worker (not its idle pause)"
    sent = settled(control)
    assert [a["delivery_id"] for a in sent["tables"]["delivery_attempts"]] == [delivery["seq"]]


def test_a_restore_replaces_what_was_there(
    emulator: EmulatorInstance, control: EmulatorControl
) -> None:
    with http_for(emulator) as http:
        created(http.post("/_emulator/users", json={"name": "alice"}))
        document = control.snapshot()
        created(http.post("/_emulator/users", json={"name": "bob"}))
        created(http.post("/v0.3/conversations", json={"name": "later"}))
        control.restore(document)
        assert control.snapshot() == document
        names = [
            user["name"] for user in http.get("/v0.2/users").json()["_embedded"]["data"]["users"]
        ]
    assert names == ["alice"]


def _user(**changes: Any) -> dict[str, Any]:
    return {"id": "USR-1", "name": "alice", "display_name": None, "created": "x", "seq": 1} | (
        changes
    )


def _leg(position: int, uuid: str) -> dict[str, Any]:
    return {
        "uuid": uuid,
        "type": "phone",
        "conversation_id": "CON-1",
        "member_id": "MEM-1",
        "state": "active",
        "start_time": "2030-01-01T00:00:00.000Z",
        "position": position,
    }


MALFORMED = {
    "unknown table": ({"colours": []}, "tables.colours: no such table"),
    "not a list": ({"users": {"a": 1}}, "tables.users: "),
    "not a record": ({"users": [_user(), 5]}, "tables.users[1]: "),
    "unknown field": ({"users": [_user(), _user(id="USR-2", colour=1)]}, "tables.users[1].colour"),
    "owner given": ({"users": [_user(application_id="x")]}, "tables.users[0].application_id"),
    "wrong type": ({"users": [_user(name=5)]}, "tables.users[0].name: 5 is not of type str"),
    "null where none may be": ({"users": [_user(created=None)]}, "tables.users[0].created"),
    "a bool for an integer": ({"users": [_user(seq=True)]}, "tables.users[0].seq"),
    "missing field": (
        {"users": [{k: v for k, v in _user().items() if k != "name"}]},
        "tables.users[0].name: missing",
    ),
    "wrong type inside": (
        {
            "members": [
                {
                    "id": "MEM-1",
                    "conversation_id": "CON-1",
                    "user_id": "USR-1",
                    "state": "JOINED",
                    "created": "x",
                    "timestamps": {"joined": 5},
                }
            ]
        },
        "tables.members[0].timestamps",
    ),
    "legs out of position order": (
        {"legs": [_leg(0, "a"), _leg(2, "b")]},
        "tables.legs[1].position: 2 where 1 was expected",
    ),
    "a duplicate, found by the store": (
        {"users": [_user(), _user(id="USR-2", seq=2)]},
        "tables.users[1]: breaks a uniqueness rule",
    ),
}


@pytest.mark.parametrize(("tables", "place"), MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_snapshot_is_refused_naming_the_place_and_changes_nothing(
    emulator: EmulatorInstance, control: EmulatorControl, tables: dict[str, Any], place: str
) -> None:
    with http_for(emulator) as http:
        created(http.post("/_emulator/users", json={"name": "carol"}))
        created(http.post("/v0.3/conversations", json={"name": "kept"}))
        before = control.snapshot()
        answer = http.put("/_emulator/snapshot", json={"version": 1, "tables": tables})
    body = assert_error(answer, 400, "http:error:validation-fail")
    assert body["detail"].startswith(place), body["detail"]
    assert control.snapshot() == before


@pytest.mark.parametrize(
    "document",
    [{"version": 2, "tables": {}}, {"tables": {}}, {"version": 1}, {"version": 1, "tables": []}],
)
def test_a_document_that_is_no_snapshot_is_refused(
    emulator: EmulatorInstance, document: dict[str, Any]
) -> None:
    with http_for(emulator) as http:
        assert_error(
            http.put("/_emulator/snapshot", json=document), 400, "http:error:validation-fail"
        )


def test_the_control_raises_the_server_s_detail(control: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError, match=r"tables\.nope: no such table") as raised:
        control.restore({"version": 1, "tables": {"nope": []}})
    assert (raised.value.status, raised.value.code) == (400, "http:error:validation-fail")


# The clock


class StoppedClock:
    """A base clock that never moves (so every time below is exact)."""

    def __call__(self) -> datetime:
        return START


@pytest.fixture
def stopped() -> Iterator[tuple[EmulatorInstance, EmulatorControl]]:
    with (
        run_emulator(clock=StoppedClock()) as emulator,
        EmulatorControl(emulator.base_url, emulator.token) as control,
    ):
        yield emulator, control


def test_the_clock_advances_and_is_set_and_the_api_s_timestamps_follow(
    stopped: tuple[EmulatorInstance, EmulatorControl],
) -> None:
    emulator, control = stopped
    assert control.now() == START and control.offset_seconds == 0.0
    assert control.advance(90.5) == START + timedelta(seconds=90.5)
    assert control.offset_seconds == 90.5
    target = datetime(2031, 6, 1, 12, 30, tzinfo=timezone(timedelta(hours=2)))
    assert control.set_time(target) == target
    assert control.offset_seconds == (target - START).total_seconds()
    with http_for(emulator) as http:
        clock = http.get("/_emulator/clock").json()
        offset = (target - START).total_seconds()
        assert clock == {"now": "2031-06-01T10:30:00.000Z", "offset_seconds": offset}
        conversation = created(http.post("/v0.3/conversations", json={}))
    assert conversation["timestamp"]["created"] == "2031-06-01T10:30:00.000Z"


BAD_CLOCK = {
    "neither": ({}, "advance, set: give exactly one"),
    "both": ({"advance": 1, "set": "2031-01-01T00:00:00Z"}, "advance, set: give exactly one"),
    "backwards": ({"advance": -1}, "advance: "),
    "not a number": ({"advance": "1"}, "advance: "),
    "no zone": ({"set": "2031-01-01T00:00:00"}, "set: "),
    "no time": ({"set": "soon"}, "set: "),
    "past the range": ({"set": "9500-01-01T00:00:00Z"}, "set: 9500-01-01T00:00:00.000Z is outside"),
    "before the range": ({"set": "1969-12-31T23:59:59Z"}, "set: "),
    "too far forward": ({"advance": 1e300}, "advance: "),
    "unknown key": ({"rewind": 1}, ""),
}


@pytest.mark.parametrize(("body", "detail"), BAD_CLOCK.values(), ids=BAD_CLOCK.keys())
def test_a_bad_clock_body_is_refused_and_the_clock_stays(
    stopped: tuple[EmulatorInstance, EmulatorControl], body: dict[str, Any], detail: str
) -> None:
    emulator, control = stopped
    with http_for(emulator) as http:
        answer = http.post("/_emulator/clock", json=body)
    assert assert_error(answer, 400, "http:error:validation-fail")["detail"].startswith(detail)
    assert control.now() == START


# Who may call them

ADMIN_CALLS = [
    ("POST", "/_emulator/reset", None),
    ("GET", "/_emulator/snapshot", None),
    ("PUT", "/_emulator/snapshot", {"version": 1, "tables": {}}),
    ("GET", "/_emulator/clock", None),
    ("POST", "/_emulator/clock", {"advance": 1}),
    ("POST", "/_emulator/faults", {"operation": "*", "status": 500}),
    ("GET", "/_emulator/faults", None),
    ("DELETE", "/_emulator/faults", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_CALLS)
def test_a_user_jwt_may_not_use_the_controls(
    emulator: EmulatorInstance,
    control: EmulatorControl,
    method: str,
    path: str,
    body: dict[str, Any] | None,
) -> None:
    with http_for(emulator) as http:
        created(http.post("/_emulator/users", json={"name": "alice"}))
        before = control.snapshot()
    with http_for(emulator, sub="alice") as as_alice:
        answer = as_alice.request(method, path, json=body)
    refused = assert_error(answer, 403, "system:error:forbidden")
    assert "application JWT" in refused["detail"]
    assert control.snapshot()["tables"]["users"] == before["tables"]["users"]
    assert control.faults() == []
    control.now()
    assert control.offset_seconds == 0.0


def test_every_control_answers_an_application_jwt(control: EmulatorControl) -> None:
    calls: list[Callable[[], Any]] = [
        control.reset,
        control.snapshot,
        lambda: control.restore(control.snapshot()),
        control.now,
        lambda: control.advance(1),
        lambda: control.fail("*", status=500),
        control.faults,
        control.clear_faults,
    ]
    assert len(calls) == len(ADMIN_CALLS)
    for call in calls:
        call()
    assert control.offset_seconds == 1.0
