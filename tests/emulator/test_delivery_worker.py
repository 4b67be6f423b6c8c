"""`delivery.worker`: deliveries to a real loopback receiver, from the in-memory outbox.

Each test runs the worker on its own event loop (``asyncio.run``) and waits on the receiver in
a thread, so the loop keeps running while the test waits. The policy's waits and timeout are
cut to hundredths of a second: what is checked is what happened, never how long it took.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from typing import Any, TypeVar

import httpx
import pytest
from vonage_conversation import webhooks
from vonage_conversation_emulator.delivery import (
    Attempt,
    DeliveryPolicy,
    DeliveryRequest,
    DeliveryWorker,
    MemoryOutbox,
    PendingDelivery,
    build_request,
)
from vonage_conversation_pytest.webhooks import Reply, WebhookReceiver

SECRET = "a-signature-secret-of-32-bytes!!"
FAST = DeliveryPolicy(initial=0.01, max_delay=0.05, jitter=0, timeout=0.5)
T = TypeVar("T")


def event(event_id: int, kind: str = "text") -> dict[str, Any]:
    body: dict[str, Any] = {"text": f"message {event_id}"} if kind == "text" else {"n": event_id}
    return {
        "id": str(event_id),
        "type": kind,
        "from": "MEM-1",
        "body": body,
        "timestamp": "2030-01-01T00:00:00.000Z",
    }


def request_for(url: str, conversation_id: str, event_id: int) -> DeliveryRequest:
    return build_request(
        event(event_id), conversation_id=conversation_id, application_id="APP", url=url
    )


def run(scenario: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(scenario())


async def until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Wait for `condition` (a bound on waiting, not a timing under test)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"still waiting for {what}")
        await asyncio.sleep(0.005)


def worker_for(
    outbox: MemoryOutbox, client: httpx.AsyncClient | None, **kwargs: Any
) -> DeliveryWorker:
    kwargs.setdefault("policy", FAST)
    return DeliveryWorker(outbox, client, **kwargs)


def refused_url() -> str:
    """A loopback URL where nothing listens (a port bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/webhook"


def ids(receiver: WebhookReceiver) -> list[str]:
    return [d.event.id for d in receiver.deliveries()]


def test_a_conversation_s_events_go_in_id_order() -> None:
    outbox = MemoryOutbox()
    with WebhookReceiver() as receiver:
        # Written out of order: the outbox's order is the event ids', not the writes'.
        deliveries = [
            outbox.add("CON-1", n, request_for(receiver.url, "CON-1", n)) for n in (3, 1, 4, 2, 5)
        ]

        async def scenario() -> None:
            async with httpx.AsyncClient() as client, worker_for(outbox, client):
                await until(
                    lambda: all(outbox.outcome(d.id) == "delivered" for d in deliveries), "all"
                )

        run(scenario)
        assert ids(receiver) == ["1", "2", "3", "4", "5"]
        assert [r.method for r in receiver.requests] == ["POST"] * 5


def test_a_receiver_failing_twice_gets_the_event_on_the_third_attempt() -> None:
    outbox = MemoryOutbox()
    with WebhookReceiver(replies=[500, 500, 200]) as receiver:
        first = outbox.add("CON-1", 1, request_for(receiver.url, "CON-1", 1))
        second = outbox.add("CON-1", 2, request_for(receiver.url, "CON-1", 2))

        async def scenario() -> None:
            async with httpx.AsyncClient() as client, worker_for(outbox, client):
                await until(lambda: outbox.outcome(second.id) == "delivered", "the second")

        run(scenario)
        log = outbox.attempts("CON-1")
        assert [(a.event_id, a.attempt, a.status, a.error) for a in log] == [
            (1, 1, 500, None),
            (1, 2, 500, None),
            (1, 3, 200, None),
            (2, 1, 200, None),
        ]
        assert {a.url for a in log} == {receiver.url}
        assert all(a.at.tzinfo is not None for a in log)
        assert outbox.outcome(first.id) == "delivered"
        # The second event waited for the first: the order held through the retries.
        assert ids(receiver) == ["1", "2"]


def test_a_refused_connection_is_retried_then_given_up_and_the_next_event_goes() -> None:
    outbox = MemoryOutbox()
    policy = DeliveryPolicy(initial=0.01, max_delay=0.05, jitter=0, max_attempts=3)
    with WebhookReceiver() as receiver:
        lost = outbox.add("CON-1", 1, request_for(refused_url(), "CON-1", 1))
        after = outbox.add("CON-1", 2, request_for(receiver.url, "CON-1", 2))

        async def scenario() -> None:
            async with httpx.AsyncClient() as client, worker_for(outbox, client, policy=policy):
                await until(lambda: outbox.outcome(after.id) == "delivered", "the next event")

        run(scenario)
        refused = [a for a in outbox.attempts() if a.delivery_id == lost.id]
        assert [a.attempt for a in refused] == [1, 2, 3]
        assert all(a.status is None and "ConnectError" in (a.error or "") for a in refused)
        assert outbox.outcome(lost.id) == "failed"
        assert ids(receiver) == ["2"]


def test_no_answer_within_the_timeout_is_retried() -> None:
    outbox = MemoryOutbox()
    policy = DeliveryPolicy(initial=0.01, max_delay=0.05, jitter=0, timeout=0.2)
    # The first answer comes long after the sender's timeout (the receiver ends it on stop).
    with WebhookReceiver(replies=[Reply(200, delay=30)]) as receiver:
        delivery = outbox.add("CON-1", 1, request_for(receiver.url, "CON-1", 1))

        async def scenario() -> None:
            async with httpx.AsyncClient() as client, worker_for(outbox, client, policy=policy):
                await until(lambda: outbox.outcome(delivery.id) == "delivered", "delivered")

        run(scenario)
        log = outbox.attempts()
        assert [(a.attempt, a.status) for a in log] == [(1, None), (2, 200)]
        assert log[0].error == "no answer within 0.2 s"
        assert len(receiver.requests) == 2


@pytest.mark.parametrize("status", [301, 404, 429])
def test_any_answer_but_a_2xx_is_a_failure(status: int) -> None:
    outbox = MemoryOutbox()
    with WebhookReceiver(replies=[status]) as receiver:
        delivery = outbox.add("CON-1", 1, request_for(receiver.url, "CON-1", 1))

        async def scenario() -> None:
            async with httpx.AsyncClient() as client, worker_for(outbox, client):
                await until(lambda: outbox.outcome(delivery.id) == "delivered", "delivered")

        run(scenario)
        assert [a.status for a in outbox.attempts()] == [status, 200]


def test_conversations_go_side_by_side() -> None:
    outbox = MemoryOutbox()
    stuck_receiver = WebhookReceiver(replies=[Reply(200, delay=30)])
    with stuck_receiver as stuck, WebhookReceiver() as free:
        held = outbox.add("CON-STUCK", 1, request_for(stuck.url, "CON-STUCK", 1))
        behind = outbox.add("CON-STUCK", 2, request_for(stuck.url, "CON-STUCK", 2))
        other = outbox.add("CON-FREE", 1, request_for(free.url, "CON-FREE", 1))
        policy = DeliveryPolicy(timeout=60)

        async def scenario() -> None:
            worker = worker_for(outbox, client=None, policy=policy, grace=0)
            async with worker:
                await until(lambda: len(stuck.requests) == 1, "the stuck attempt")
                await until(lambda: outbox.outcome(other.id) == "delivered", "the other")
                # The stuck conversation's next event waits behind its first.
                assert outbox.outcome(held.id) == outbox.outcome(behind.id) == "pending"
                assert len(stuck.requests) == 1

        run(scenario)
        # Stopped mid-attempt: nothing was logged for it, and it stays pending.
        assert [a.conversation_id for a in outbox.attempts()] == ["CON-FREE"]
        assert outbox.outcome(held.id) == "pending"


def test_wake_from_another_thread_starts_a_delivery_at_once() -> None:
    outbox = MemoryOutbox()
    with WebhookReceiver() as receiver:

        async def scenario() -> None:
            # An idle pause far longer than the wait below: only `wake` can start the delivery.
            async with worker_for(outbox, None, idle=3600) as worker:
                await asyncio.sleep(0.05)  # the worker is paused, waiting

                def handler() -> None:  # as a request's handler does, off the loop
                    outbox.add("CON-1", 1, request_for(receiver.url, "CON-1", 1))
                    worker.wake()

                thread = threading.Thread(target=handler)
                thread.start()
                thread.join()
                received = await asyncio.to_thread(receiver.wait_for, count=1, timeout=10)
                assert received[0].event.id == "1"

        run(scenario)


def test_signed_deliveries_verify_and_each_attempt_has_a_fresh_token() -> None:
    outbox = MemoryOutbox()
    with WebhookReceiver(secret=SECRET, replies=[503, 200]) as receiver:
        outbox.add("CON-1", 1, request_for(receiver.url, "CON-1", 1), application_id="APP-7")

        async def scenario() -> None:
            async with httpx.AsyncClient() as client, worker_for(outbox, client, secret=SECRET):
                await asyncio.to_thread(receiver.wait_for, type="text", count=1, timeout=10)

        run(scenario)
        (delivery,) = receiver.deliveries()
        assert delivery.claims is not None
        assert delivery.claims.application_id == "APP-7"
        assert delivery.claims.issuer == "Vonage"
        tokens = [r.header("Authorization") for r in receiver.requests]
        assert len(tokens) == 2 and tokens[0] != tokens[1]
        claims = [
            webhooks.verify_signature(r.body, r.headers, secret=SECRET) for r in receiver.requests
        ]
        assert claims[0].jti != claims[1].jti


def test_without_a_secret_deliveries_go_unsigned() -> None:
    outbox = MemoryOutbox()
    with WebhookReceiver() as receiver:
        outbox.add("CON-1", 1, request_for(receiver.url, "CON-1", 1))

        async def scenario() -> None:
            async with httpx.AsyncClient() as client, worker_for(outbox, client):
                await asyncio.to_thread(receiver.wait_for, count=1, timeout=10)

        run(scenario)
        assert receiver.requests[0].header("Authorization") is None
        assert json.loads(receiver.requests[0].body)["conversation_id"] == "CON-1"


def test_a_get_callback_is_delivered_in_the_query_and_verifies() -> None:
    outbox = MemoryOutbox()
    with WebhookReceiver(secret=SECRET) as receiver:
        request = build_request(
            event(1, "custom:order_paid"),
            conversation_id="CON-1",
            application_id="APP",
            url=receiver.url + "?tenant=acme",
            method="GET",
        )
        outbox.add("CON-1", 1, request)

        async def scenario() -> None:
            async with httpx.AsyncClient() as client, worker_for(outbox, client, secret=SECRET):
                await asyncio.to_thread(receiver.wait_for, count=1, timeout=10)

        run(scenario)
        (received,) = receiver.requests
        assert received.method == "GET" and received.body == b""
        assert received.query.startswith("tenant=acme&")
        (delivery,) = receiver.deliveries()
        assert delivery.event.type_ == "custom:order_paid"
        assert delivery.event.body.to_dict() == {"n": 1}


def test_the_worker_s_own_client_is_closed_on_stop() -> None:
    outbox = MemoryOutbox()
    with WebhookReceiver() as receiver:
        outbox.add("CON-1", 1, request_for(receiver.url, "CON-1", 1))

        async def scenario() -> DeliveryWorker:
            async with DeliveryWorker(outbox, policy=FAST) as worker:
                await asyncio.to_thread(receiver.wait_for, count=1, timeout=10)
            return worker

        worker = run(scenario)
        assert not worker.running
        assert worker._client is None


def test_a_worker_refuses_a_second_start_and_bad_settings() -> None:
    with pytest.raises(ValueError, match="concurrency"):
        DeliveryWorker(MemoryOutbox(), concurrency=0)
    with pytest.raises(ValueError, match="idle"):
        DeliveryWorker(MemoryOutbox(), idle=0)

    async def scenario() -> None:
        async with DeliveryWorker(MemoryOutbox()) as worker:
            with pytest.raises(RuntimeError, match="already running"):
                await worker.start()

    run(scenario)


def test_a_token_s_iat_is_the_machine_s_time_whatever_the_emulator_s_clock() -> None:
    def ten_years_ago() -> datetime:
        return datetime.now(timezone.utc) - timedelta(days=3650)

    outbox = MemoryOutbox(clock=ten_years_ago)
    with WebhookReceiver(secret=SECRET) as receiver:
        outbox.add("CON-1", 1, request_for(receiver.url, "CON-1", 1))

        async def scenario() -> None:
            worker = worker_for(outbox, None, secret=SECRET, clock=ten_years_ago)
            async with worker:
                await asyncio.to_thread(receiver.wait_for, count=1, timeout=10)

        run(scenario)
        (attempt,) = outbox.attempts()
        assert attempt.at.year < datetime.now(timezone.utc).year - 5


class ThreadNoting(MemoryOutbox):
    """A `MemoryOutbox` noting the threads its methods are called on."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[int] = set()

    def look(self, now: datetime, limit: int) -> Any:
        self.threads.add(threading.get_ident())
        return super().look(now, limit)

    def settle(self, delivery: PendingDelivery, attempt: Attempt, next_at: Any) -> None:
        self.threads.add(threading.get_ident())
        super().settle(delivery, attempt, next_at)


@pytest.mark.parametrize("inline", [True, False])
def test_an_inline_outbox_is_called_on_the_loop_else_in_worker_threads(inline: bool) -> None:
    outbox = ThreadNoting()
    with WebhookReceiver() as receiver:
        delivery = outbox.add("CON-1", 1, request_for(receiver.url, "CON-1", 1))

        async def scenario() -> int:
            client = httpx.AsyncClient()
            async with client, worker_for(outbox, client, inline_outbox=inline):
                await until(lambda: outbox.outcome(delivery.id) == "delivered", "delivery")
            return threading.get_ident()

        loop_thread = run(scenario)
    assert (outbox.threads == {loop_thread}) is inline
    assert (loop_thread in outbox.threads) is inline
