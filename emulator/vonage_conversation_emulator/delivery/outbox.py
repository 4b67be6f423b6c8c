"""The outbox: pending deliveries and their attempt log, behind a small protocol.

A pending delivery is written in the same transaction as its event (so none is lost when the
process dies), and stays pending until it is delivered or given up. The worker (`worker`) asks
the outbox for what is due, one delivery per conversation at a time: the pending delivery of
the lowest event id of each conversation, and only when its time has come. So a conversation's
events go out in id order, one after the other, while conversations go out side by side.
One outbox holds every application's deliveries; a delivery is named by its application and
its id (ids are numbered per application), so the worker hands back the `PendingDelivery` it
was given.

`Outbox` is what the worker needs; the emulator's storage implements it over its tables.
`MemoryOutbox` is a complete one in memory (thread-safe), for tests and as the reference of
the protocol's meaning.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal, Protocol

from ..clock import Clock, system_clock
from .payload import DeliveryRequest

__all__ = ["Attempt", "MemoryOutbox", "Outbox", "Outcome", "PendingDelivery"]

Outcome = Literal["pending", "delivered", "failed"]


@dataclass(frozen=True)
class PendingDelivery:
    """One event's delivery to one callback, not yet delivered nor given up.

    Attributes:
        id: the delivery's id in the outbox (within its application).
        conversation_id: the event's conversation (deliveries are ordered within it).
        event_id: the event's id (progressive within the conversation).
        application_id: the application the conversation belongs to (signed into the token).
        request: what to send.
        attempts: how many attempts were made so far.
        created_at: when the delivery was written (its event's time); the window counts from it.
        next_at: when its next attempt is due.
    """

    id: int
    conversation_id: str
    event_id: int
    application_id: str
    request: DeliveryRequest
    attempts: int
    created_at: datetime
    next_at: datetime


@dataclass(frozen=True)
class Attempt:
    """One attempt at a delivery, as the delivery log lists it.

    Attributes:
        delivery_id: the delivery attempted.
        application_id: its application (which, with ``delivery_id``, names the delivery).
        conversation_id: its conversation.
        event_id: its event.
        url: where it was sent.
        attempt: its number, 1 for the first.
        status: the HTTP status answered, or None when no answer came.
        error: what went wrong when no answer came (refused, timed out...), else None.
        at: when the attempt started.
    """

    delivery_id: int
    application_id: str
    conversation_id: str
    event_id: int
    url: str
    attempt: int
    status: int | None
    error: str | None
    at: datetime

    @property
    def delivered(self) -> bool:
        """Whether this attempt delivered the event (a 2xx answer)."""
        return self.status is not None and 200 <= self.status < 300


class Outbox(Protocol):
    """What the delivery worker needs of the storage. Methods are called from worker threads,
    not on the event loop (unless the worker is told the outbox is inline), so an
    implementation may block on its database. The worker calls only `look` and `settle`, one
    transaction each (every delivery costs the loop's store three); the finer methods say
    what those mean."""

    def due(self, now: datetime, limit: int) -> list[PendingDelivery]:
        """At most `limit` deliveries due at `now`: of each conversation, only its pending
        delivery of the lowest event id, and only if its ``next_at`` is not after `now`;
        the earliest ``next_at`` first."""
        ...

    def next_due(self) -> datetime | None:
        """The earliest ``next_at`` of the deliveries `due` could give; None when none pends."""
        ...

    def look(self, now: datetime, limit: int) -> tuple[list[PendingDelivery], datetime | None]:
        """`due` and `next_due` at once, read together (the worker's pass asks both)."""
        ...

    def record_attempt(self, attempt: Attempt) -> None:
        """Add `attempt` to the delivery log (and count it on its delivery)."""
        ...

    def settle(self, delivery: PendingDelivery, attempt: Attempt, next_at: datetime | None) -> None:
        """`record_attempt` and what the attempt leaves, in one transaction: `complete` when
        it delivered, else `reschedule` at `next_at`, or `give_up` when `next_at` is None."""
        ...

    def reschedule(self, delivery: PendingDelivery, next_at: datetime) -> None:
        """Make the delivery due again at `next_at`."""
        ...

    def complete(self, delivery: PendingDelivery) -> None:
        """The delivery was delivered: it pends no more."""
        ...

    def give_up(self, delivery: PendingDelivery) -> None:
        """The delivery failed for good (attempts or window spent): it pends no more, and the
        conversation's next delivery may go."""
        ...


class MemoryOutbox:
    """An `Outbox` in memory: `add` what a storage writes with each event; `attempts` and
    `outcome` read back what the worker did."""

    def __init__(self, clock: Clock = system_clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._pending: dict[int, PendingDelivery] = {}
        self._outcomes: dict[int, Outcome] = {}
        self._log: list[Attempt] = []

    def add(
        self,
        conversation_id: str,
        event_id: int,
        request: DeliveryRequest,
        *,
        application_id: str = "APP",
        created_at: datetime | None = None,
    ) -> PendingDelivery:
        """Write a pending delivery of event `event_id`, due at once."""
        moment = created_at if created_at is not None else self._clock()
        with self._lock:
            delivery = PendingDelivery(
                id=next(self._ids),
                conversation_id=conversation_id,
                event_id=event_id,
                application_id=application_id,
                request=request,
                attempts=0,
                created_at=moment,
                next_at=moment,
            )
            self._pending[delivery.id] = delivery
            self._outcomes[delivery.id] = "pending"
        return delivery

    def _heads(self) -> list[PendingDelivery]:
        heads: dict[tuple[str, str], PendingDelivery] = {}
        for delivery in self._pending.values():
            conversation = (delivery.application_id, delivery.conversation_id)
            head = heads.get(conversation)
            if head is None or delivery.event_id < head.event_id:
                heads[conversation] = delivery
        return sorted(heads.values(), key=lambda d: (d.next_at, d.id))

    def due(self, now: datetime, limit: int) -> list[PendingDelivery]:
        """See `Outbox.due`."""
        with self._lock:
            return [head for head in self._heads() if head.next_at <= now][:limit]

    def next_due(self) -> datetime | None:
        """See `Outbox.next_due`."""
        with self._lock:
            heads = self._heads()
        return heads[0].next_at if heads else None

    def look(self, now: datetime, limit: int) -> tuple[list[PendingDelivery], datetime | None]:
        """See `Outbox.look`."""
        with self._lock:
            heads = self._heads()
        due = [head for head in heads if head.next_at <= now][:limit]
        return due, (heads[0].next_at if heads else None)

    def settle(self, delivery: PendingDelivery, attempt: Attempt, next_at: datetime | None) -> None:
        """See `Outbox.settle`."""
        with self._lock:  # one hold of the lock: nobody sees the attempt without its outcome
            self._record(attempt)
            if attempt.delivered or next_at is None:
                del self._pending[delivery.id]
                self._outcomes[delivery.id] = "delivered" if attempt.delivered else "failed"
            else:
                self._pending[delivery.id] = replace(self._pending[delivery.id], next_at=next_at)

    def record_attempt(self, attempt: Attempt) -> None:
        """See `Outbox.record_attempt`."""
        with self._lock:
            self._record(attempt)

    def _record(self, attempt: Attempt) -> None:
        self._log.append(attempt)
        delivery = self._pending.get(attempt.delivery_id)
        if delivery is not None and delivery.application_id == attempt.application_id:
            self._pending[delivery.id] = replace(delivery, attempts=attempt.attempt)

    def reschedule(self, delivery: PendingDelivery, next_at: datetime) -> None:
        """See `Outbox.reschedule`."""
        with self._lock:
            pending = self._pending[delivery.id]
            self._pending[delivery.id] = replace(pending, next_at=next_at)

    def complete(self, delivery: PendingDelivery) -> None:
        """See `Outbox.complete`."""
        self._finish(delivery, "delivered")

    def give_up(self, delivery: PendingDelivery) -> None:
        """See `Outbox.give_up`."""
        self._finish(delivery, "failed")

    def _finish(self, delivery: PendingDelivery, outcome: Outcome) -> None:
        with self._lock:
            del self._pending[delivery.id]
            self._outcomes[delivery.id] = outcome

    def attempts(self, conversation_id: str | None = None) -> Sequence[Attempt]:
        """The delivery log, oldest first (of one conversation, when given)."""
        with self._lock:
            return [a for a in self._log if conversation_id in (None, a.conversation_id)]

    def outcome(self, delivery_id: int) -> Outcome:
        """Whether the delivery still pends, was delivered, or failed for good."""
        with self._lock:
            return self._outcomes[delivery_id]

    def pending(self) -> Sequence[PendingDelivery]:
        """The deliveries not yet delivered nor given up, by id."""
        with self._lock:
            return sorted(self._pending.values(), key=lambda d: d.id)
