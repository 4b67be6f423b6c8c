"""The storage's outbox (`SQLiteOutbox`) means what `MemoryOutbox` means: each scenario runs on
both, and the file one also keeps its pending deliveries across a reopen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Protocol

import pytest
from vonage_conversation_emulator.delivery import (
    Attempt,
    DeliveryRequest,
    MemoryOutbox,
    Outbox,
    PendingDelivery,
)
from vonage_conversation_emulator.storage import (
    DeliveryAttemptRecord,
    SQLiteOutbox,
    SQLiteStore,
    pending_record,
)

T0 = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)


class Adding(Outbox, Protocol):
    def add(self, conversation_id: str, event_id: int, at: datetime) -> PendingDelivery: ...


def request(conversation_id: str, event_id: int) -> DeliveryRequest:
    body = f'{{"id":"{event_id}","conversation_id":"{conversation_id}","é":1}}'.encode()
    return DeliveryRequest(
        "POST", "http://127.0.0.1:9/hook", body, body, {"Content-Type": "application/json"}
    )


class Memory:
    """`MemoryOutbox` with the tests' `add`."""

    def __init__(self) -> None:
        self.outbox = MemoryOutbox()

    def add(self, conversation_id: str, event_id: int, at: datetime) -> PendingDelivery:
        return self.outbox.add(
            conversation_id, event_id, request(conversation_id, event_id), created_at=at
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self.outbox, name)


class Stored(SQLiteOutbox):
    """`SQLiteOutbox` with the tests' `add`: the row a handler writes with its event."""

    def __init__(self, store: SQLiteStore) -> None:
        super().__init__(store)
        self.store = store

    def add(self, conversation_id: str, event_id: int, at: datetime) -> PendingDelivery:
        with self.store.transaction(write=True, application="APP") as tx:
            tx.insert(
                pending_record(
                    request(conversation_id, event_id),
                    conversation_id=conversation_id,
                    event_id=event_id,
                    application_id="APP",
                    created_at=at,
                )
            )
        return next(d for d in self.due(at, 1000) if d.conversation_id == conversation_id)


@pytest.fixture(params=["memory", "sqlite"])
def outbox(request: pytest.FixtureRequest) -> Iterator[Adding]:
    if request.param == "memory":
        yield Memory()  # type: ignore[misc]
        return
    store = SQLiteStore()
    try:
        yield Stored(store)
    finally:
        store.close()


def heads(outbox: Outbox, now: datetime, limit: int = 100) -> list[tuple[str, int]]:
    return [(d.conversation_id, d.event_id) for d in outbox.due(now, limit)]


def attempt(delivery: PendingDelivery, number: int, status: int | None) -> Attempt:
    return Attempt(
        delivery.id,
        delivery.application_id,
        delivery.conversation_id,
        delivery.event_id,
        delivery.request.url,
        number,
        status,
        None if status else "refused",
        T0,
    )


def test_only_each_conversation_s_lowest_pending_event_is_due(outbox: Adding) -> None:
    first = outbox.add("CON-a", 1, T0)
    outbox.add("CON-a", 2, T0)
    outbox.add("CON-b", 5, T0 + timedelta(seconds=1))
    assert heads(outbox, T0 + timedelta(seconds=1)) == [("CON-a", 1), ("CON-b", 5)]
    assert heads(outbox, T0) == [("CON-a", 1)]  # CON-b's is not due yet
    assert heads(outbox, T0 + timedelta(seconds=1), limit=1) == [("CON-a", 1)]
    outbox.complete(first)
    assert heads(outbox, T0 + timedelta(seconds=1)) == [("CON-a", 2), ("CON-b", 5)]


def test_a_rescheduled_head_holds_back_its_conversation_until_due(outbox: Adding) -> None:
    first = outbox.add("CON-a", 1, T0)
    outbox.add("CON-a", 2, T0)
    outbox.reschedule(first, T0 + timedelta(seconds=4))
    assert heads(outbox, T0 + timedelta(seconds=3)) == []
    assert outbox.next_due() == T0 + timedelta(seconds=4)
    again = outbox.due(T0 + timedelta(seconds=4), 10)
    assert [(d.event_id, d.next_at) for d in again] == [(1, T0 + timedelta(seconds=4))]


def test_attempts_are_counted_and_a_give_up_lets_the_next_go(outbox: Adding) -> None:
    first = outbox.add("CON-a", 1, T0)
    outbox.add("CON-a", 2, T0)
    outbox.record_attempt(attempt(first, 1, None))
    outbox.record_attempt(attempt(first, 2, 500))
    (head,) = outbox.due(T0, 10)
    assert (head.event_id, head.attempts, head.created_at) == (1, 2, T0)
    assert head.request == request("CON-a", 1)
    outbox.give_up(first)
    assert heads(outbox, T0) == [("CON-a", 2)]


def test_nothing_pending_is_due_and_has_no_next_time(outbox: Adding) -> None:
    assert outbox.due(T0, 10) == [] and outbox.next_due() is None
    only = outbox.add("CON-a", 1, T0)
    outbox.complete(only)
    assert outbox.due(T0 + timedelta(days=1), 10) == [] and outbox.next_due() is None


def test_a_file_outbox_keeps_its_pending_deliveries_and_log_across_a_reopen(
    tmp_path: Path,
) -> None:
    path = tmp_path / "outbox.db"
    reopen: Callable[[], Stored] = lambda: Stored(SQLiteStore(path))  # noqa: E731
    outbox = reopen()
    first = outbox.add("CON-a", 1, T0)
    outbox.add("CON-a", 2, T0)
    outbox.record_attempt(attempt(first, 1, 503))
    outbox.store.close()
    outbox = reopen()
    try:
        assert [(d.event_id, d.attempts) for d in outbox.due(T0, 10)] == [(1, 1)]
        with outbox.store.transaction(write=False, application="APP") as tx:
            (logged,) = tx.select(DeliveryAttemptRecord, conversation_id="CON-a")
        assert (logged.event_id, logged.attempt, logged.status) == (1, 1, 503)
        assert logged.at == "2026-01-01T12:00:00.000Z"
        assert outbox.outcome("APP", first.id) == "pending"
        outbox.complete(first)
        assert outbox.outcome("APP", first.id) == "delivered"
    finally:
        outbox.store.close()


def test_the_same_conversation_id_in_two_applications_is_two_conversations() -> None:
    # Each application's conversation has its own head: one does not hold the other back.
    outbox = MemoryOutbox()
    outbox.add("CON-a", 1, request("CON-a", 1), application_id="A", created_at=T0)
    outbox.add("CON-a", 2, request("CON-a", 2), application_id="B", created_at=T0)
    assert {(d.application_id, d.event_id) for d in outbox.due(T0, 10)} == {("A", 1), ("B", 2)}


def test_look_is_due_and_next_due_read_together(outbox: Adding) -> None:
    outbox.add("CON-a", 1, T0)
    outbox.add("CON-b", 1, T0 + timedelta(seconds=5))
    for moment in (T0 - timedelta(seconds=1), T0, T0 + timedelta(seconds=9)):
        for limit in (1, 10):
            assert outbox.look(moment, limit) == (outbox.due(moment, limit), outbox.next_due())
    assert [len(outbox.look(T0 + timedelta(seconds=9), 10)[0])] == [2]


def test_settle_records_the_attempt_and_what_it_leaves(outbox: Adding) -> None:
    first = outbox.add("CON-a", 1, T0)
    outbox.add("CON-a", 2, T0)
    later = T0 + timedelta(seconds=30)
    outbox.settle(first, attempt(first, 1, 503), later)  # failed, due again later
    assert outbox.due(T0, 10) == [] and outbox.next_due() == later
    (head,) = outbox.due(later, 10)
    assert (head.event_id, head.attempts, head.next_at) == (1, 1, later)
    outbox.settle(head, attempt(head, 2, 200), None)  # delivered: the next one goes
    (second,) = outbox.due(later, 10)
    assert (second.event_id, second.attempts) == (2, 0)
    outbox.settle(second, attempt(second, 1, None), None)  # failed for good
    assert outbox.due(later, 10) == [] and outbox.next_due() is None
