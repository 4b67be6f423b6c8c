"""An application's webhook handler, tested end to end: requests to the emulator from the pytest
plugin make events, the emulator delivers the masked ones to the app, and the app's handler,
which uses nothing but `webhooks.unwrap`, receives exactly those, each verified, in id order."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from vonage_conversation import ConversationClient, InvalidSignatureError, webhooks
from vonage_conversation.webhooks import Delivery
from vonage_conversation_emulator.embedded import EmulatorInstance

MASK = "member:joined, text, custom:*"


class WebhookApp:
    """The application under test: one HTTP handler, answering 200 to a verified event and
    401 to anything else; it keeps what it accepted, once per event id."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        self.accepted: list[Delivery] = []
        self.refused = 0
        self.changed = threading.Condition()

    def handle(self, body: bytes, headers: dict[str, str]) -> int:
        try:
            delivery = webhooks.unwrap(body, headers, secret=self.secret)
        except InvalidSignatureError:
            with self.changed:
                self.refused += 1
            return 401
        with self.changed:
            if all(seen.event.id != delivery.event.id for seen in self.accepted):
                self.accepted.append(delivery)
            self.changed.notify_all()
        return 200

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Delivery]:
        with self.changed:
            self.changed.wait_for(lambda: len(self.accepted) >= count, timeout)
            return list(self.accepted)


@pytest.fixture
def app(emulator: EmulatorInstance) -> Iterator[tuple[WebhookApp, str]]:
    assert emulator.signature_secret  # the plugin's emulator signs
    application = WebhookApp(emulator.signature_secret)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = application.handle(body, dict(self.headers.items()))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield application, f"http://127.0.0.1:{server.server_address[1]}/events"
    finally:
        server.shutdown()
        server.server_close()


def _user(emulator: EmulatorInstance, name: str) -> None:
    answer = httpx.post(
        f"{emulator.base_url}/_emulator/users",
        json={"name": name},
        headers={"Authorization": f"Bearer {emulator.token()}"},
    )
    assert answer.status_code == 201, answer.text


def test_the_app_receives_exactly_the_masked_events_verified_in_id_order(
    emulator: EmulatorInstance,
    conversation_client: ConversationClient,
    app: tuple[WebhookApp, str],
) -> None:
    application, url = app
    for name in ("alice", "bob"):
        _user(emulator, name)
    conversation = conversation_client.conversations.create(
        name="support", callback={"url": url, "event_mask": MASK}
    )
    members = conversation_client.members
    alice = members.create(conversation.id, user={"name": "alice"}, state="joined")  # 1 joined
    bob = members.create(conversation.id, user={"name": "bob"}, state="invited")  # 2 invited
    members.update(conversation.id, bob.id, state="joined")  # 3 joined
    events = conversation_client.events
    events.create(conversation.id, type="text", from_=alice.id, body={"text": "hi"})  # 4
    events.create(conversation.id, type="custom:order", from_=bob.id, body={"n": 1})  # 5
    members.update(conversation.id, bob.id, state="left")  # 6 left: masked out
    events.create(conversation.id, type="text", from_=alice.id, body={"text": "bye"})  # 7

    received = application.wait_for(5)
    assert [(d.event.id, d.event.type_) for d in received] == [
        ("1", "member:joined"),
        ("3", "member:joined"),
        ("4", "text"),
        ("5", "custom:order"),
        ("7", "text"),
    ]
    assert application.refused == 0
    for delivery in received:
        assert delivery.claims is not None  # verified with the emulator's secret
        assert delivery.claims.application_id == emulator.application_id
        assert delivery.conversation_id == conversation.id
        read_back = events.get(conversation.id, delivery.event.id)
        assert (delivery.event.type_, delivery.event.timestamp, delivery.event.from_) == (
            read_back.type_,
            read_back.timestamp,
            read_back.from_,
        )
    # Nothing outside the mask comes later: the last event delivered, nothing else is pending.
    log = httpx.get(
        f"{emulator.base_url}/_emulator/deliveries",
        params={"conversation_id": conversation.id, "page_size": 100},
        headers={"Authorization": f"Bearer {emulator.token()}"},
    ).json()["_embedded"]["deliveries"]
    assert [entry["event_id"] for entry in log] == ["1", "3", "4", "5", "7"]
    assert {entry["status"] for entry in log} == {200}
