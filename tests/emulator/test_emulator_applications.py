"""Several applications on one emulator, over HTTP: each sees only its own conversations,
members, events, legs, users, sessions and deliveries (another's ids answer 404, its lists
never show them, the same names exist in both), its JWTs are checked on its own clock, and an
application added while serving starts with the seed users."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from emulator_support import SpecChecker, make_token, write_schema_3_file
from openapi_core.templating.paths.finders import APICallPathFinder
from vonage_conversation_emulator.delivery import DeliveryPolicy
from vonage_conversation_emulator.embedded import EmulatorInstance, run_emulator
from vonage_conversation_emulator.keys import generate_private_key_pem
from vonage_conversation_emulator.seed import SeedUser
from vonage_conversation_emulator.spec import served_spec
from vonage_conversation_pytest.webhooks import WebhookReceiver

SECRET = "a signature secret of 32 bytes or more"
FAST = DeliveryPolicy(initial=0.05, max_delay=0.05, jitter=0.0, timeout=5)


@pytest.fixture(scope="module")
def served_checker() -> SpecChecker:
    """Checks answers against the spec the emulator serves (its admin routes too)."""
    served = served_spec()
    return SpecChecker(served.document, served.openapi, APICallPathFinder(served.openapi.spec))


@pytest.fixture(params=["memory", "file"])
def first(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[EmulatorInstance]:
    db = tmp_path / "applications.db" if request.param == "file" else None
    with run_emulator(
        db=db, seed=[SeedUser("alice")], signature_secret=SECRET, delivery_policy=FAST
    ) as instance:
        yield instance


class Api:
    """One application's view of the emulator: httpx with its JWT, answers checked."""

    def __init__(self, emulator: EmulatorInstance, checker: SpecChecker, **claims: Any) -> None:
        self.emulator = emulator
        self.http = httpx.Client(
            base_url=emulator.base_url,
            headers={"Authorization": f"Bearer {make_token(emulator, **claims)}"},
            event_hooks={"response": [checker.check]},
        )

    def ok(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        answer = self.http.request(method, path, **kwargs)
        assert answer.status_code == status, (method, path, answer.text)
        return answer.json() if answer.content else None

    def world(self, callback_url: str) -> dict[str, str]:
        """A conversation named "shared" with alice joined on a leg, a text event, a user
        "bob" and alice's session: the ids of each."""
        conversation = self.ok(
            "POST",
            "/v0.3/conversations",
            201,
            json={"name": "shared", "callback": {"url": callback_url}},
        )["id"]
        leg = f"leg-{self.emulator.application_id}"
        member = self.ok(
            "POST",
            f"/v0.3/conversations/{conversation}/members",
            201,
            json={
                "user": {"name": "alice"},
                "state": "joined",
                "channel": {"type": "app", "leg_id": leg},
            },
        )["id"]
        event = self.ok(
            "POST",
            f"/v0.3/conversations/{conversation}/events",
            201,
            json={"type": "text", "from": member, "body": {"text": "hi"}},
        )["id"]
        bob = self.ok("POST", "/_emulator/users", 201, json={"name": "bob"})["id"]
        alice = self.user_id("alice")
        return {
            "conversation": conversation,
            "member": member,
            "event": str(event),
            "leg": leg,
            "bob": bob,
            "alice": alice,
        }

    def user_id(self, name: str) -> str:
        return str(next(u["id"] for u in self.listed("/v0.2/users", "users") if u["name"] == name))

    def listed(self, path: str, items: str, **params: Any) -> list[Any]:
        page = self.ok("GET", path, params={"page_size": 100, **params})
        embedded = page["_embedded"]
        found: list[Any] = embedded[items] if items in embedded else embedded["data"][items]
        return found


def _logged(api: Api, conversation_id: str, count: int) -> list[Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        entries = api.listed("/_emulator/deliveries", "deliveries", conversation_id=conversation_id)
        if len(entries) >= count:
            return entries
        time.sleep(0.05)
    raise AssertionError(f"{count} attempts never logged for {conversation_id}")


def test_two_applications_never_see_each_other_s_data(
    first: EmulatorInstance, served_checker: SpecChecker
) -> None:
    second = first.add_application()  # the same key: only application_id tells them apart
    assert second.private_key_pem == first.private_key_pem
    assert set(first.app.applications) == {first.application_id, second.application_id}
    a, b = Api(first, served_checker), Api(second, served_checker)
    with WebhookReceiver(secret=SECRET) as receiver:
        # The same names in both: a conversation "shared", the seed user alice, a user bob.
        mine, theirs = a.world(receiver.url), b.world(receiver.url)
        got = receiver.wait_for(count=4, timeout=10)
        for api, own, other in ((a, mine, theirs), (b, theirs, mine)):
            conversation = own["conversation"]
            # Its own two events' attempts (a retry under load may add one: at least once).
            logged = _logged(api, conversation, 2)
            assert {entry["conversation_id"] for entry in logged} == {conversation}
            assert len({entry["event_id"] for entry in logged}) == 2
            # The other's ids answer 404, and the log of the other's conversation is empty.
            gone = other["conversation"]
            api.ok("GET", f"/v0.3/conversations/{gone}", 404)
            api.ok("GET", f"/v0.3/conversations/{gone}/members", 404)
            api.ok("GET", f"/v0.3/conversations/{gone}/events", 404)
            api.ok("GET", f"/v0.3/conversations/{conversation}/members/{other['member']}", 404)
            api.ok("GET", f"/v0.3/conversations/{gone}/events/{other['event']}", 404)
            api.ok("DELETE", f"/v0.3/legs/{other['leg']}", 404)
            api.ok("GET", f"/v0.3/users/{other['bob']}/conversations", 404)
            api.ok("GET", f"/v0.3/users/{other['alice']}/sessions", 404)
            api.ok("DELETE", f"/v0.3/conversations/{gone}", 404)
            assert api.listed("/_emulator/deliveries", "deliveries", conversation_id=gone) == []
            # Its lists show its own records only.
            conversations = api.listed("/v0.3/conversations", "conversations")
            assert [c["id"] for c in conversations] == [conversation]
            assert [c["id"] for c in api.listed("/v0.2/conversations", "conversations")] == [
                conversation
            ]
            assert [leg["uuid"] for leg in api.listed("/v0.3/legs", "legs")] == [own["leg"]]
            users = api.listed("/v0.2/users", "users")
            assert sorted((u["name"], u["id"]) for u in users) == sorted(
                [("alice", own["alice"]), ("bob", own["bob"])]
            )
            members = api.listed(f"/v0.3/conversations/{conversation}/members", "members")
            assert [m["id"] for m in members] == [own["member"]]
            events = api.listed(f"/v0.3/conversations/{conversation}/events", "events")
            assert [str(e["id"]) for e in events] == ["1", own["event"]]
            joined = api.listed(f"/v0.3/users/{own['alice']}/conversations", "conversations")
            assert [c["id"] for c in joined] == [conversation]
    # Each delivery is signed as its own application's.
    by_conversation = {d.conversation_id: d.application_id for d in got}
    assert by_conversation == {
        mine["conversation"]: first.application_id,
        theirs["conversation"]: second.application_id,
    }
    assert {d.claims.application_id for d in got if d.claims} == set(by_conversation.values())


def test_a_user_jwt_s_sub_is_a_user_of_its_own_application(
    first: EmulatorInstance, served_checker: SpecChecker
) -> None:
    second = first.add_application(private_key_pem=generate_private_key_pem().decode())
    Api(first, served_checker).ok("POST", "/_emulator/users", 201, json={"name": "carol"})
    # carol is first's user: second's token acting as her names no user there.
    Api(first, served_checker, sub="carol").ok("GET", "/v0.3/legs")
    answer = Api(second, served_checker, sub="carol").http.get("/v0.3/legs")
    assert answer.status_code == 403, answer.text
    # The seed user is in every application, including one added while serving.
    Api(second, served_checker, sub="alice").ok("GET", "/v0.3/legs")


def test_a_token_of_an_application_the_emulator_does_not_serve_is_a_401(
    first: EmulatorInstance, served_checker: SpecChecker
) -> None:
    answer = Api(first, served_checker, application_id="not-served").http.get("/v0.3/legs")
    assert answer.status_code == 401
    body = answer.json()
    assert body["code"] == "system:error:invalid-token"
    assert "not one of this emulator's applications" in body["detail"]


def test_a_token_expires_on_its_application_s_clock(
    first: EmulatorInstance, served_checker: SpecChecker
) -> None:
    second = first.add_application()
    a = Api(first, served_checker, lifetime=600)
    b = Api(second, served_checker, lifetime=600)
    a.ok("GET", "/v0.3/legs")  # accepted, and remembered until it expires
    b.ok("GET", "/v0.3/legs")
    first.app.clocks.advance(first.application_id, 601)
    answer = a.http.get("/v0.3/legs")
    assert answer.status_code == 401
    assert answer.json()["code"] == "system:error:expired-token"
    b.ok("GET", "/v0.3/legs")  # the other application's time did not move
    # A fresh token of the first application, issued by the real clock, is expired there too.
    fresh = Api(first, served_checker, lifetime=600).http.get("/v0.3/legs")
    assert fresh.json()["code"] == "system:error:expired-token"
    # What a request writes is on its application's clock.
    made = a.http.post(
        "/v0.3/conversations",
        headers={"Authorization": f"Bearer {make_token(first, lifetime=3600)}"},
        json={"name": "later"},
    )
    assert made.status_code == 201, made.text
    created = made.json()["timestamp"]["created"]
    assert created >= time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() + 590))


def test_an_application_served_already_is_refused(first: EmulatorInstance) -> None:
    with pytest.raises(ValueError, match="served already"):
        first.add_application(first.application_id)


def test_a_schema_3_db_keeps_its_data_for_the_application_it_is_started_with(
    tmp_path: Path, served_checker: SpecChecker
) -> None:
    path = tmp_path / "v3.db"
    write_schema_3_file(path)
    with run_emulator(db=path, application_id="the-app") as started:
        added = started.add_application()
        mine, other = Api(started, served_checker), Api(added, served_checker)
        kept = mine.ok("GET", "/v0.3/conversations/CON-old")
        assert kept["name"] == "kept"
        events = mine.listed("/v0.3/conversations/CON-old/events", "events")
        assert [(str(e["id"]), e["body"]) for e in events] == [("1", {"text": "hi"})]
        assert [u["id"] for u in mine.listed("/v0.2/users", "users")] == ["USR-old"]
        other.ok("GET", "/v0.3/conversations/CON-old", 404)
        assert other.listed("/v0.2/users", "users") == []
    with run_emulator(db=path, application_id="the-app") as again:
        # Adopted once: a restart with the same application finds everything where it was.
        Api(again, served_checker).ok("GET", "/v0.3/conversations/CON-old")


def test_the_admin_routes_act_on_the_calling_application_only(
    first: EmulatorInstance, served_checker: SpecChecker
) -> None:
    second = first.add_application()
    a, b = Api(first, served_checker), Api(second, served_checker)
    for api in (a, b):
        api.ok("POST", "/v0.3/conversations", 201, json={"name": "shared"})
        api.ok("POST", "/_emulator/users", 201, json={"name": "bob"})
    kept = b.ok("GET", "/_emulator/snapshot")
    assert [c["name"] for c in kept["tables"]["conversations"]] == ["shared"]
    assert sorted(u["name"] for u in kept["tables"]["users"]) == ["alice", "bob"]
    assert a.ok("POST", "/_emulator/clock", json={"advance": 60})["offset_seconds"] == 60
    assert b.ok("GET", "/_emulator/clock")["offset_seconds"] == 0
    a.ok("POST", "/_emulator/reset", 204)
    # The first is as it started (the seed user alone); the second kept everything.
    assert a.listed("/v0.3/conversations", "conversations") == []
    assert [u["name"] for u in a.listed("/v0.2/users", "users")] == ["alice"]
    assert b.ok("GET", "/_emulator/snapshot") == kept
    # Restoring the second's snapshot into the first makes them alike, still apart.
    a.ok("PUT", "/_emulator/snapshot", 204, json=kept)
    assert a.ok("GET", "/_emulator/snapshot") == kept
    b.ok("POST", "/_emulator/reset", 204)
    assert [c["name"] for c in a.listed("/v0.3/conversations", "conversations")] == ["shared"]
