"""The emulator delivers its events: each written with its outbox row, sent by the app's worker
after the request answered, retried on failure, logged at ``GET /_emulator/deliveries``."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from emulator_support import SpecChecker
from openapi_core.templating.paths.finders import APICallPathFinder
from vonage_conversation_emulator.delivery import DeliveryPolicy
from vonage_conversation_emulator.embedded import EmulatorInstance, run_emulator
from vonage_conversation_emulator.seed import SeedUser
from vonage_conversation_emulator.spec import served_spec
from vonage_conversation_emulator.storage import DeliveryRecord
from vonage_conversation_pytest.webhooks import Reply, WebhookReceiver

T = TypeVar("T")
SECRET = "a-signature-secret-of-32-bytes!!"
FAST = DeliveryPolicy(initial=0.05, max_delay=0.2, timeout=2.0)


def eventually(found: Callable[[], T], what: str, timeout: float = 10.0) -> T:
    """`found()` once it is truthy, polled for up to `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (value := found()):
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} within {timeout} s")
        time.sleep(0.02)
    return value


class Api:
    """The emulator over HTTP with an application JWT, every answer checked against the spec."""

    def __init__(self, emulator: EmulatorInstance, checker: SpecChecker) -> None:
        self.emulator = emulator
        self.client = httpx.Client(
            base_url=emulator.base_url,
            headers={"Authorization": f"Bearer {emulator.token()}"},
            event_hooks={"response": [checker.check]},
        )

    def conversation(self, callback: dict[str, Any] | None) -> str:
        body = {} if callback is None else {"callback": callback}
        answer = self.client.post("/v0.3/conversations", json=body)
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    def join(self, conversation_id: str, user: str = "alice") -> str:
        answer = self.client.post(
            f"/v0.3/conversations/{conversation_id}/members",
            json={"user": {"name": user}, "state": "joined", "channel": {"type": "app"}},
        )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    def text(self, conversation_id: str, member_id: str, text: str) -> str:
        answer = self.client.post(
            f"/v0.3/conversations/{conversation_id}/events",
            json={"type": "text", "from": member_id, "body": {"text": text}},
        )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["id"])

    def log(self, conversation_id: str, **query: Any) -> httpx.Response:
        return self.client.get(
            "/_emulator/deliveries", params={"conversation_id": conversation_id, **query}
        )

    def logged(self, conversation_id: str, count: int) -> list[Any]:
        """The log's first page once it lists `count` attempts (they are recorded just after
        the receiver answers)."""

        def listed() -> list[Any]:
            answer = self.log(conversation_id, page_size=100)
            assert answer.status_code == 200, answer.text
            entries: list[Any] = answer.json()["_embedded"]["deliveries"]
            return entries if len(entries) >= count else []

        return eventually(listed, f"{count} attempts logged")

    def outbox(self) -> list[DeliveryRecord]:
        with self.emulator.app.store.transaction(
            write=False, application=self.emulator.application_id
        ) as tx:
            return tx.select(DeliveryRecord)


@pytest.fixture(params=["memory", "file"])
def emulator(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EmulatorInstance]:
    db = tmp_path / "emulator.db" if request.param == "file" else None
    with run_emulator(
        db=db,
        seed=[SeedUser("alice"), SeedUser("bob")],
        signature_secret=SECRET,
        delivery_policy=FAST,
    ) as instance:
        yield instance


@pytest.fixture(scope="module")
def served_checker() -> SpecChecker:
    """Checks answers against the spec the emulator serves: the delivery log's route too."""
    served = served_spec()
    return SpecChecker(served.document, served.openapi, APICallPathFinder(served.openapi.spec))


@pytest.fixture
def api(emulator: EmulatorInstance, served_checker: SpecChecker) -> Iterator[Api]:
    client = Api(emulator, served_checker)
    yield client
    client.client.close()


def test_a_receiver_failing_twice_gets_every_event_and_the_log_shows_the_retries(
    api: Api,
) -> None:
    with WebhookReceiver(secret=SECRET, replies=[500, 500]) as receiver:
        url = receiver.url
        conversation = api.conversation({"url": url})
        member = api.join(conversation)
        api.text(conversation, member, "hi")
        got = receiver.wait_for(count=2, timeout=10)
    assert [(d.event.id, d.event.type_) for d in got] == [("1", "member:joined"), ("2", "text")]
    assert [r.status for r in receiver.requests] == [500, 500, 200, 200]
    # The receiver answers before the worker records the answer: wait for the last record.
    log = api.logged(conversation, 4)
    assert [(e["event_id"], e["attempt"], e["status"], e["error"]) for e in log] == [
        ("1", 1, 500, None),
        ("1", 2, 500, None),
        ("1", 3, 200, None),
        ("2", 1, 200, None),
    ]
    assert {e["url"] for e in log} == {url}
    assert [e["time"] for e in log] == sorted(e["time"] for e in log)
    assert {r.state for r in api.outbox()} == {"delivered"}


def test_a_refused_connection_is_logged_with_its_error(api: Api) -> None:
    with WebhookReceiver() as gone:
        url = gone.url
    conversation = api.conversation({"url": url, "event_mask": "member:joined"})
    api.join(conversation)
    log = eventually(lambda: api.log(conversation).json()["_embedded"]["deliveries"], "attempt")
    assert (log[0]["event_id"], log[0]["attempt"], log[0]["status"]) == ("1", 1, None)
    assert log[0]["error"].startswith("ConnectError")


def test_the_request_answers_while_its_delivery_is_still_unanswered(api: Api) -> None:
    with WebhookReceiver(replies=[Reply(200, delay=30)]) as receiver:
        conversation = api.conversation({"url": receiver.url})
        api.join(conversation)  # answered 201, though the receiver will hold the delivery
        eventually(lambda: receiver.requests, "delivery at the receiver")
        assert api.log(conversation).json()["_embedded"]["deliveries"] == []  # unanswered
        assert [r.state for r in api.outbox()] == ["pending"]


def test_the_log_is_paged_and_refuses_a_user_jwt(api: Api, emulator: EmulatorInstance) -> None:
    with WebhookReceiver() as receiver:
        conversation = api.conversation({"url": receiver.url})
        member = api.join(conversation)
        for text in ("a", "b"):
            api.text(conversation, member, text)
        receiver.wait_for(count=3)
        api.logged(conversation, 3)
    first = api.log(conversation, page_size=2).json()
    assert [e["event_id"] for e in first["_embedded"]["deliveries"]] == ["1", "2"]
    second = api.client.get(first["_links"]["next"]["href"]).json()
    assert [e["event_id"] for e in second["_embedded"]["deliveries"]] == ["3"]
    newest = api.log(conversation, order="desc", page_size=1).json()
    assert [e["event_id"] for e in newest["_embedded"]["deliveries"]] == ["3"]
    assert api.log("CON-none").json()["_embedded"]["deliveries"] == []
    as_user = httpx.get(
        f"{emulator.base_url}/_emulator/deliveries",
        params={"conversation_id": conversation},
        headers={"Authorization": f"Bearer {emulator.token(sub='alice')}"},
    )
    assert as_user.status_code == 403
    assert api.client.get("/_emulator/deliveries").status_code == 400  # no conversation_id


def test_no_callback_or_a_mask_that_leaves_the_type_out_writes_no_delivery(api: Api) -> None:
    plain = api.conversation(None)
    api.text(plain, api.join(plain), "hi")
    masked = api.conversation({"url": "http://127.0.0.1:9/hook", "event_mask": "custom:*"})
    api.text(masked, api.join(masked, "bob"), "hi")
    assert api.outbox() == []


def test_the_worker_runs_while_the_server_does(tmp_path: Path) -> None:
    with run_emulator(db=tmp_path / "e.db") as emulator:
        assert emulator.app.delivery is not None and emulator.app.delivery.running
        assert emulator.signature_secret is None
    assert not emulator.app.delivery.running
