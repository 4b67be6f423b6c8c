"""The pytest plugin's `WebhookReceiver`: collects, answers as scripted, reads, verifies."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest
from vonage_conversation import InvalidSignatureError, ResponseParseError, TextEvent, webhooks
from vonage_conversation_pytest.webhooks import (
    Reply,
    WebhookReceiver,
    webhook_receiver,  # noqa: F401 (the fixture, until the plugin registers it)
    webhook_secret,  # noqa: F401
)

SECRET = "a-signature-secret-of-32-bytes!!"


def delivery(event_id: int, kind: str = "text", conversation_id: str = "CON-1") -> bytes:
    document: dict[str, Any] = {
        "id": str(event_id),
        "type": kind,
        "body": {"text": "hi"} if kind == "text" else {},
        "timestamp": "2030-01-01T00:00:00.000Z",
        "conversation_id": conversation_id,
        "application_id": "APP",
    }
    return json.dumps(document).encode()


def post(receiver: WebhookReceiver, body: bytes, headers: dict[str, str] | None = None) -> int:
    sent = headers if headers is not None else webhooks.sign(body, SECRET)
    return httpx.post(receiver.url, content=body, headers=sent).status_code


def test_it_listens_on_loopback_and_answers_200() -> None:
    with WebhookReceiver() as receiver:
        assert receiver.url.startswith("http://127.0.0.1:")
        assert receiver.url.endswith("/webhook")
        assert post(receiver, delivery(1), {"X-Trace": "t"}) == 200
        (request,) = receiver.requests
        assert (request.method, request.path, request.query) == ("POST", "/webhook", "")
        assert request.header("x-trace") == "t"
        assert request.body == delivery(1)
        assert request.status == 200


def test_it_answers_as_scripted_then_200() -> None:
    with WebhookReceiver(replies=[500, Reply(503), 404]) as receiver:
        statuses = [post(receiver, delivery(n), {}) for n in range(5)]
    assert statuses == [500, 503, 404, 200, 200]
    # Refused ones are not deliveries: the app did not take them.
    assert [d.event.id for d in receiver.deliveries()] == ["3", "4"]


def test_wait_for_returns_the_unwrapped_events_of_a_type() -> None:
    with WebhookReceiver(secret=SECRET) as receiver:

        def send() -> None:
            for n, kind in enumerate(["text", "member:joined", "text", "text"], start=1):
                post(receiver, delivery(n, kind))

        thread = threading.Thread(target=send)
        thread.start()
        texts = receiver.wait_for(type="text", count=2, timeout=10)
        thread.join()
    assert [d.event.id for d in texts] == ["1", "3"]
    # Three texts came by now: the first two are the answer, whatever came after.
    assert [d.event.id for d in receiver.wait_for(type="text", count=2, timeout=0)] == ["1", "3"]
    assert all(isinstance(d.event, TextEvent) and d.claims is not None for d in texts)
    assert [d.event.id for d in receiver.wait_for(count=4, timeout=0)] == ["1", "2", "3", "4"]


def test_a_repeated_event_counts_once() -> None:
    with WebhookReceiver() as receiver:
        for body in (delivery(1), delivery(1), delivery(1, conversation_id="CON-2")):
            post(receiver, body, {})
        assert len(receiver.requests) == 3
        received = receiver.deliveries()
    assert [(d.conversation_id, d.event.id) for d in received] == [("CON-1", "1"), ("CON-2", "1")]


def test_wait_for_times_out_naming_what_came() -> None:
    with WebhookReceiver() as receiver:
        post(receiver, delivery(1, "member:joined"), {})
        with pytest.raises(TimeoutError, match=r"got 0 .*member:joined"):
            receiver.wait_for(type="text", count=1, timeout=0.05)


def test_a_delivery_that_does_not_verify_is_answered_401_and_raised() -> None:
    with WebhookReceiver(secret=SECRET) as receiver:
        body = delivery(1)
        assert post(receiver, body, webhooks.sign(body, "x" * 32)) == 401
        with pytest.raises(InvalidSignatureError) as caught:
            receiver.wait_for(timeout=0)
        assert caught.value.reason == "wrong-secret"
        assert receiver.requests[0].error is caught.value


def test_a_delivery_that_is_not_an_event_is_answered_400() -> None:
    with WebhookReceiver() as receiver:
        assert post(receiver, b"[]", {}) == 400
        with pytest.raises(ResponseParseError):
            receiver.wait_for(timeout=0)


def test_a_get_delivery_is_read_from_its_query() -> None:
    query = (
        "id=%221%22&type=%22text%22&body=%7B%22text%22%3A%22hi%22%7D"
        "&timestamp=%222030-01-01T00%3A00%3A00Z%22&conversation_id=%22CON-9%22"
    )
    with WebhookReceiver(secret=SECRET) as receiver:
        headers = webhooks.sign(query.encode(), SECRET)
        assert httpx.get(f"{receiver.url}?{query}", headers=headers).status_code == 200
        (received,) = receiver.wait_for(count=1, timeout=0)
    assert received.conversation_id == "CON-9"
    assert receiver.requests[0].query == query


def test_the_receiver_must_be_started_for_its_url() -> None:
    with pytest.raises(RuntimeError, match="not started"):
        _ = WebhookReceiver().url
    with pytest.raises(ValueError, match="count"):
        WebhookReceiver().wait_for(count=0)


def test_the_fixture_gives_a_running_receiver(webhook_receiver: WebhookReceiver) -> None:  # noqa: F811
    assert post(webhook_receiver, delivery(1), {}) == 200
    assert webhook_receiver.wait_for(count=1, timeout=0)[0].claims is None
