"""A conversation's lifecycle: an empty one with a ``properties.ttl`` is deleted ttl seconds
after it emptied (or was created, or its ttl changed), on the emulator's clock; ``state``
stays ACTIVE.

Each test runs its own emulator on a base clock that moves only when told. The JWTs are minted
on real time, so the clock never moves far (under the JWTs' 900 seconds) from it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from vonage_conversation_emulator import lifecycle
from vonage_conversation_emulator.embedded import EmulatorInstance, run_emulator
from vonage_conversation_emulator.seed import SeedUser
from vonage_conversation_emulator.storage import (
    ConversationRecord,
    EventRecord,
    LegRecord,
    MemberRecord,
    SQLiteStore,
    UserRecord,
)


class ManualClock:
    """A clock that moves only when told, from the real time it was made at."""

    def __init__(self) -> None:
        self.moment = datetime.now(timezone.utc).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, seconds: float) -> None:
        self.moment += timedelta(seconds=seconds)


class Api:
    """The emulator's v0.3 routes this file uses, over httpx with an application JWT."""

    def __init__(self, emulator: EmulatorInstance) -> None:
        self.emulator = emulator
        self.http = httpx.Client(
            base_url=emulator.base_url,
            headers={"Authorization": f"Bearer {emulator.token()}"},
        )

    def create(self, **body: Any) -> str:
        response = self.http.post("/v0.3/conversations", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def conversation(self, conversation_id: str) -> httpx.Response:
        return self.http.get(f"/v0.3/conversations/{conversation_id}")

    def alive(self, conversation_id: str) -> bool:
        status = self.conversation(conversation_id).status_code
        assert status in (200, 404)
        return status == 200

    def update(self, conversation_id: str, **body: Any) -> dict[str, Any]:
        response = self.http.put(f"/v0.3/conversations/{conversation_id}", json=body)
        assert response.status_code == 200, response.text
        updated: dict[str, Any] = response.json()
        return updated

    def add(self, conversation_id: str, user: str, state: str = "joined", **extra: Any) -> str:
        response = self.http.post(
            f"/v0.3/conversations/{conversation_id}/members",
            json={"user": {"name": user}, "state": state, **extra},
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    def leave(self, conversation_id: str, member_id: str) -> None:
        response = self.http.patch(
            f"/v0.3/conversations/{conversation_id}/members/{member_id}", json={"state": "left"}
        )
        assert response.status_code == 200, response.text

    def listed(self) -> list[str]:
        response = self.http.get("/v0.3/conversations", params={"page_size": 100})
        assert response.status_code == 200, response.text
        return [c["id"] for c in response.json()["_embedded"]["conversations"]]

    def user_id(self, name: str) -> str:
        with self.emulator.app.store.transaction(
            write=False, application=self.emulator.application_id
        ) as tx:
            user = tx.get(UserRecord, name=name)
        assert user is not None
        return user.id

    def user_conversations(self, name: str) -> list[str]:
        response = self.http.get(f"/v0.3/users/{self.user_id(name)}/conversations")
        assert response.status_code == 200, response.text
        return [c["id"] for c in response.json()["_embedded"]["conversations"]]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def api(clock: ManualClock) -> Iterator[Api]:
    seed = [SeedUser("alice"), SeedUser("bob")]
    with run_emulator(clock=clock, seed=seed) as emulator:
        api = Api(emulator)
        yield api
        api.http.close()


def _emptied(api: Api, ttl: float) -> str:
    """A conversation of ``ttl`` that alice joined and left again (empty from now)."""
    conversation_id = api.create(properties={"ttl": ttl})
    api.leave(conversation_id, api.add(conversation_id, "alice"))
    return conversation_id


def _stored(api: Api, conversation_id: str) -> dict[str, int]:
    """How many of each record the store holds for the conversation."""
    with api.emulator.app.store.transaction(
        write=False, application=api.emulator.application_id
    ) as tx:
        return {
            kind.__name__: len(tx.select(kind, conversation_id=conversation_id))
            for kind in (MemberRecord, EventRecord)
        } | {"ConversationRecord": len(tx.select(ConversationRecord, id=conversation_id))}


def test_an_emptied_conversation_lives_until_its_ttl_then_is_gone(
    api: Api, clock: ManualClock
) -> None:
    conversation_id = _emptied(api, 60)
    kept = api.create()  # no ttl: outlives its neighbour
    clock.advance(59)
    assert api.alive(conversation_id)
    assert conversation_id in api.listed()
    assert _stored(api, conversation_id) == {
        "ConversationRecord": 1,
        "MemberRecord": 1,
        "EventRecord": 2,
    }
    clock.advance(2)
    gone = api.conversation(conversation_id)
    assert gone.status_code == 404
    assert gone.json()["code"] == "conversation:error:not-found"
    assert api.listed() == [kept]
    assert api.user_conversations("alice") == []
    for part in ("members", "events"):
        response = api.http.get(f"/v0.3/conversations/{conversation_id}/{part}")
        assert response.status_code == 404
    assert _stored(api, conversation_id) == {
        "ConversationRecord": 0,
        "MemberRecord": 0,
        "EventRecord": 0,
    }


@pytest.mark.parametrize("first", ["read", "write"])
def test_the_first_request_past_the_deadline_never_sees_it(
    api: Api, clock: ManualClock, first: str
) -> None:
    conversation_id = _emptied(api, 60)
    clock.advance(61)
    if first == "read":
        assert api.listed() == []
    else:
        response = api.http.post(
            f"/v0.3/conversations/{conversation_id}/members",
            json={"user": {"name": "bob"}, "state": "joined"},
        )
        assert response.status_code == 404
    assert _stored(api, conversation_id)["ConversationRecord"] == 0


def test_the_deadline_is_the_ttl_to_the_millisecond(api: Api, clock: ManualClock) -> None:
    conversation_id = _emptied(api, 1.5)
    clock.advance(1.499)
    assert api.alive(conversation_id)
    clock.advance(0.001)
    assert not api.alive(conversation_id)


def test_the_deadline_is_never_early_by_a_fraction_of_a_millisecond(
    api: Api, clock: ManualClock
) -> None:
    clock.advance(0.0005)  # stored times keep milliseconds: this one is cut to .000
    conversation_id = _emptied(api, 1.5)
    clock.advance(1.4999)  # 0.1 ms before the deadline, in the same millisecond
    assert api.alive(conversation_id)
    clock.advance(0.001)
    assert not api.alive(conversation_id)


def test_its_legs_stay_terminated(api: Api, clock: ManualClock) -> None:
    conversation_id = api.create(properties={"ttl": 60})
    member = api.add(conversation_id, "alice", channel={"type": "app", "leg_id": "leg-1"})
    api.leave(conversation_id, member)
    clock.advance(61)
    assert not api.alive(conversation_id)
    leg = api.http.get("/v0.3/legs").json()["_embedded"]["legs"][0]
    assert (leg["uuid"], leg["state"]) == ("leg-1", "terminated")


@pytest.mark.parametrize("state", ["joined", "invited"])
def test_a_member_arriving_cancels_the_deadline(api: Api, clock: ManualClock, state: str) -> None:
    conversation_id = _emptied(api, 60)
    clock.advance(30)
    bob = api.add(conversation_id, "bob", state)
    clock.advance(100)
    assert api.alive(conversation_id)
    api.leave(conversation_id, bob)  # empty again: a new deadline, from now
    clock.advance(59)
    assert api.alive(conversation_id)
    clock.advance(2)
    assert not api.alive(conversation_id)


def test_only_the_last_member_leaving_empties_it(api: Api, clock: ManualClock) -> None:
    conversation_id = api.create(properties={"ttl": 60})
    alice = api.add(conversation_id, "alice")
    api.add(conversation_id, "bob", "invited")
    api.leave(conversation_id, alice)
    clock.advance(61)
    assert api.alive(conversation_id)


def test_created_with_a_ttl_it_is_empty_from_its_creation(api: Api, clock: ManualClock) -> None:
    lonely = api.create(properties={"ttl": 60})
    joined = api.create(properties={"ttl": 60})
    clock.advance(59)
    assert api.alive(lonely)
    api.add(joined, "alice")
    clock.advance(2)
    assert not api.alive(lonely)
    assert api.alive(joined)


def test_a_ttl_given_to_an_empty_conversation_counts_from_the_update(
    api: Api, clock: ManualClock
) -> None:
    conversation_id = _emptied(api, 0)
    clock.advance(100)
    api.update(conversation_id, properties={"ttl": 60})
    clock.advance(59)
    assert api.alive(conversation_id)
    clock.advance(2)
    assert not api.alive(conversation_id)


def test_a_changed_ttl_counts_from_the_update(api: Api, clock: ManualClock) -> None:
    conversation_id = _emptied(api, 60)
    clock.advance(30)
    api.update(conversation_id, properties={"ttl": 100})
    clock.advance(99)  # 129 s after it emptied
    assert api.alive(conversation_id)
    clock.advance(2)
    assert not api.alive(conversation_id)


@pytest.mark.parametrize(
    "update",
    [{"display_name": "renamed"}, {"properties": {"ttl": 60, "type": "kept"}}],
    ids=["other-field", "same-ttl"],
)
def test_an_update_keeping_the_ttl_keeps_the_deadline(
    api: Api, clock: ManualClock, update: dict[str, Any]
) -> None:
    conversation_id = _emptied(api, 60)
    clock.advance(30)
    api.update(conversation_id, **update)
    clock.advance(31)
    assert not api.alive(conversation_id)


def test_a_removed_ttl_cancels_the_deadline(api: Api, clock: ManualClock) -> None:
    conversation_id = _emptied(api, 60)
    clock.advance(30)
    api.update(conversation_id, properties={"type": "no ttl"})
    clock.advance(300)
    assert api.alive(conversation_id)


@pytest.mark.parametrize(
    "body",
    [{}, {"properties": {}}, {"properties": {"ttl": 0}}, {"properties": {"ttl": -5}}],
    ids=["no-properties", "no-ttl", "ttl-0", "ttl-negative"],
)
def test_without_a_ttl_an_empty_conversation_stays(
    api: Api, clock: ManualClock, body: dict[str, Any]
) -> None:
    conversation_id = api.create(**body)
    emptied = api.create(**body)
    api.leave(emptied, api.add(emptied, "alice"))
    clock.advance(600)
    assert api.alive(conversation_id)
    assert api.alive(emptied)


def test_a_ttl_past_the_last_representable_time_never_comes(api: Api, clock: ManualClock) -> None:
    conversation_id = _emptied(api, 1e300)
    clock.advance(600)
    assert api.alive(conversation_id)


def test_the_state_stays_active_throughout(api: Api, clock: ManualClock) -> None:
    conversation_id = api.create(properties={"ttl": 60})
    states = [api.conversation(conversation_id).json()["state"]]
    alice = api.add(conversation_id, "alice")
    bob = api.add(conversation_id, "bob", "invited")
    states.append(api.conversation(conversation_id).json()["state"])
    api.leave(conversation_id, alice)
    api.leave(conversation_id, bob)
    clock.advance(59)
    states.append(api.conversation(conversation_id).json()["state"])
    states.append(api.update(conversation_id, display_name="still")["state"])
    assert states == ["ACTIVE"] * 4


def _conversation(name: str, expires_at: str | None) -> ConversationRecord:
    return ConversationRecord(
        id=name, name=name, created="2030-01-01T00:00:00.000Z", expires_at=expires_at
    )


def test_expired_and_reap_on_a_store() -> None:
    store = SQLiteStore()
    with store.transaction(write=True, application="app-lifecycle") as tx:
        tx.insert(_conversation("CON-due", "2030-01-01T00:01:00.000Z"))
        tx.insert(_conversation("CON-later", "2030-01-01T00:01:00.001Z"))
        tx.insert(_conversation("CON-never", None))
        assert not lifecycle.expired(tx, "2030-01-01T00:00:59.999Z")
        assert lifecycle.reap(tx, "2030-01-01T00:00:59.999Z") == 0
        assert lifecycle.expired(tx, "2030-01-01T00:01:00.000Z")
        assert lifecycle.reap(tx, "2030-01-01T00:01:00.000Z") == 1
        assert not lifecycle.expired(tx, "2030-01-01T00:01:00.000Z")
        assert sorted(c.id for c in tx.select(ConversationRecord)) == ["CON-later", "CON-never"]
        assert tx.count(LegRecord) == 0
    store.close()
