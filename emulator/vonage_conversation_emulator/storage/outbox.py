"""The outbox over the store's tables: `delivery.Outbox` on its deliveries and attempts tables.

A handler writes a delivery with its event, in the event's transaction (`pending_record`, then
``Transaction.insert``), so a delivery exists exactly when its event does. `SQLiteOutbox` is
what the delivery worker reads and updates, with the meaning of `delivery.MemoryOutbox`: of
each conversation only its pending delivery of the lowest event id is due, and only once its
``next_at`` has come. With a file database the pending rows survive the process, so a restarted
emulator sends what a killed one left.

The heads are found with statements the generic ``Transaction`` protocol has no words for (a
row with no pending row of its conversation before it), so they are written here, over the
declared tables' names and columns, on the store's raw transactions. They span every
application (one worker sends all their deliveries); a delivery is then named by its
application and its ``seq``, and changed in a transaction of that application.
"""

from __future__ import annotations

from datetime import datetime, timezone

from ..clock import format_timestamp
from ..delivery import Attempt, DeliveryRequest, PendingDelivery
from ..delivery.payload import Method
from .records import DeliveryAttemptRecord, DeliveryRecord
from .sqlite import SQLiteStore
from .tables import DELIVERIES, SCOPE, SEQ

__all__ = ["PENDING", "SQLiteOutbox", "pending_record"]

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"

_COLUMNS = ", ".join(f"d.{name}" for name in DELIVERIES.names)
_HEADS = (
    f"FROM {DELIVERIES.name} AS d WHERE d.state = '{PENDING}' AND NOT EXISTS ("
    f"SELECT 1 FROM {DELIVERIES.name} AS e WHERE e.state = '{PENDING}' "
    f"AND e.{SCOPE} = d.{SCOPE} AND e.conversation_id = d.conversation_id "
    "AND e.event_id < d.event_id)"
)
_DUE = f"SELECT {_COLUMNS} {_HEADS} AND d.next_at <= ? ORDER BY d.next_at, d.{SEQ} LIMIT ?"
_NEXT_DUE = f"SELECT d.next_at {_HEADS} ORDER BY d.next_at LIMIT 1"
_NEXT_AT = DELIVERIES.names.index("next_at")


def _seconds(moment: datetime) -> float:
    return moment.timestamp()


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


def pending_record(
    request: DeliveryRequest,
    *,
    conversation_id: str,
    event_id: int,
    application_id: str,
    created_at: datetime,
) -> DeliveryRecord:
    """The outbox row of a delivery of event `event_id`, due at `created_at` (at once)."""
    at = _seconds(created_at)
    return DeliveryRecord(
        conversation_id=conversation_id,
        event_id=event_id,
        application_id=application_id,
        method=request.method,
        url=request.url,
        body=request.body.decode(),
        signed=request.signed.decode(),
        headers=dict(request.headers),
        created_at=at,
        next_at=at,
    )


def _next(row: tuple[float] | None) -> datetime | None:
    return None if row is None else _moment(row[0])


def _pending(record: DeliveryRecord) -> PendingDelivery:
    method: Method = "GET" if record.method == "GET" else "POST"
    request = DeliveryRequest(
        method, record.url, record.body.encode(), record.signed.encode(), record.headers
    )
    return PendingDelivery(
        id=record.seq,
        conversation_id=record.conversation_id,
        event_id=record.event_id,
        application_id=record.application_id,
        request=request,
        attempts=record.attempts,
        created_at=_moment(record.created_at),
        next_at=_moment(record.next_at),
    )


class SQLiteOutbox:
    """`delivery.Outbox` over a `SQLiteStore`'s tables (see the module docstring)."""

    def __init__(self, store: SQLiteStore) -> None:
        self._store = store

    def due(self, now: datetime, limit: int) -> list[PendingDelivery]:
        """See `delivery.Outbox.due`."""
        with self._store.begin(write=False) as db:
            rows = db.execute(_DUE, (_seconds(now), limit)).fetchall()
        return [_pending(DELIVERIES.read_row(row)) for row in rows]

    def next_due(self) -> datetime | None:
        """See `delivery.Outbox.next_due`."""
        with self._store.begin(write=False) as db:
            row = db.execute(_NEXT_DUE).fetchone()
        return _next(row)

    def look(self, now: datetime, limit: int) -> tuple[list[PendingDelivery], datetime | None]:
        """See `delivery.Outbox.look`."""
        with self._store.begin(write=False) as db:
            rows = db.execute(_DUE, (_seconds(now), limit)).fetchall()
            # When any is due the earliest is the first row: the second read is for none due.
            row = (rows[0][_NEXT_AT],) if rows else db.execute(_NEXT_DUE).fetchone()
        return [_pending(DELIVERIES.read_row(r)) for r in rows], _next(row)

    def record_attempt(self, attempt: Attempt) -> None:
        """See `delivery.Outbox.record_attempt`."""
        self._record(attempt)

    def settle(self, delivery: PendingDelivery, attempt: Attempt, next_at: datetime | None) -> None:
        """See `delivery.Outbox.settle`."""
        if attempt.delivered:
            self._record(attempt, state=DELIVERED)
        elif next_at is None:
            self._record(attempt, state=FAILED)
        else:
            self._record(attempt, next_at=_seconds(next_at))

    def _record(self, attempt: Attempt, **changes: object) -> None:
        """Log `attempt` and count it on its delivery, with `changes` in the same statement."""
        with self._store.transaction(write=True, application=attempt.application_id) as tx:
            tx.insert(
                DeliveryAttemptRecord(
                    delivery_id=attempt.delivery_id,
                    conversation_id=attempt.conversation_id,
                    event_id=attempt.event_id,
                    url=attempt.url,
                    attempt=attempt.attempt,
                    status=attempt.status,
                    error=attempt.error,
                    at=format_timestamp(attempt.at),
                )
            )
            tx.update_where(
                DeliveryRecord, {SEQ: attempt.delivery_id}, attempts=attempt.attempt, **changes
            )

    def reschedule(self, delivery: PendingDelivery, next_at: datetime) -> None:
        """See `delivery.Outbox.reschedule`."""
        self._change(delivery, next_at=_seconds(next_at))

    def complete(self, delivery: PendingDelivery) -> None:
        """See `delivery.Outbox.complete`."""
        self._change(delivery, state=DELIVERED)

    def give_up(self, delivery: PendingDelivery) -> None:
        """See `delivery.Outbox.give_up`."""
        self._change(delivery, state=FAILED)

    def _change(self, delivery: PendingDelivery, **changes: object) -> None:
        with self._store.transaction(write=True, application=delivery.application_id) as tx:
            tx.update_where(DeliveryRecord, {SEQ: delivery.id}, **changes)

    def outcome(self, application_id: str, delivery_id: int) -> str | None:
        """``pending``, ``delivered`` or ``failed``; None for no such delivery."""
        with self._store.transaction(write=False, application=application_id) as tx:
            found = tx.get(DeliveryRecord, seq=delivery_id)
        return None if found is None else found.state
