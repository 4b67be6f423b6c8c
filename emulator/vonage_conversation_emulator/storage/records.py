"""What the emulator stores: one frozen record per row, shared by every storage backend.

Each record type is its table's one declaration: its fields are the columns (``tables``
derives the table, its select list, row mapping, inserts and updates from them), and ``KEY``
names the fields a list of it is paged by, so pagination never needs to know which record it
pages. ``seq`` is the backend's insertion order (0 on a record not stored yet).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

__all__ = [
    "ConversationRecord",
    "DeliveryAttemptRecord",
    "DeliveryRecord",
    "EventRecord",
    "JSONObject",
    "LegRecord",
    "MemberRecord",
    "MembershipRecord",
    "Record",
    "SessionRecord",
    "SortKey",
    "UserRecord",
]

JSONObject = dict[str, Any]
SortKey = tuple[Any, ...]


class Record:
    """What every stored record shares: its place in its lists."""

    KEY: ClassVar[tuple[str, ...]] = ("seq",)
    """The fields a list of these records is sorted and paged by (insertion order unless a
    record says otherwise)."""

    @property
    def sort_key(self) -> SortKey:
        """The record's position in its lists: the values of its ``KEY`` fields."""
        return tuple(getattr(self, name) for name in self.KEY)


@dataclass(frozen=True)
class UserRecord(Record):
    """A user (created by ``--seed`` or the admin route), listed in creation order."""

    id: str
    name: str
    display_name: str | None
    created: str
    seq: int = 0


@dataclass(frozen=True)
class ConversationRecord(Record):
    """A conversation. ``numbers`` is keyed by channel type, as responses show it.
    Conversations are listed by creation time (then insertion order, to break ties)."""

    KEY: ClassVar[tuple[str, ...]] = ("created", "seq")

    id: str
    name: str
    created: str
    display_name: str | None = None
    image_url: str | None = None
    state: str = "ACTIVE"
    properties: JSONObject | None = None
    numbers: JSONObject = field(default_factory=dict)
    callback: JSONObject | None = None
    sequence_number: int = 0
    """The last event id handed out (events are numbered 1, 2, 3... per conversation)."""
    expires_at: str | None = None
    """When this empty conversation is deleted (its ttl after it emptied, on its application's
    clock); None while a member is JOINED or INVITED, or without a ttl."""
    seq: int = 0


@dataclass(frozen=True)
class MemberRecord(Record):
    """A user's membership of a conversation, listed in creation order. ``state`` is
    INVITED, JOINED or LEFT; ``timestamps`` and ``initiator`` are keyed by the state they
    record."""

    id: str
    conversation_id: str
    user_id: str
    state: str
    created: str
    channel: JSONObject = field(default_factory=dict)
    media: JSONObject | None = None
    timestamps: dict[str, str] = field(default_factory=dict)
    initiator: dict[str, JSONObject] = field(default_factory=dict)
    knocking_id: str | None = None
    seq: int = 0


@dataclass(frozen=True)
class MembershipRecord:
    """A member with its conversation: one item of a user's conversations list, listed in the
    order the memberships were made."""

    member: MemberRecord
    conversation: ConversationRecord

    @property
    def sort_key(self) -> SortKey:
        """The member's position."""
        return self.member.sort_key


@dataclass(frozen=True)
class EventRecord(Record):
    """An event; ``id`` is progressive within its conversation, and events are listed by it."""

    KEY: ClassVar[tuple[str, ...]] = ("id",)

    conversation_id: str
    id: int
    type: str
    body: JSONObject
    timestamp: str
    from_member: str | None = None
    to_member: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class LegRecord(Record):
    """A call leg, recorded when a member joins over a channel with a ``leg_id``.

    ``position`` is the leg's zero-based place among the stored legs (0 on a leg not stored
    yet), kept without gaps, so the spec's ``record_index`` pages are key ranges on it.
    """

    KEY: ClassVar[tuple[str, ...]] = ("position",)

    uuid: str
    type: str
    conversation_id: str
    member_id: str
    state: str
    start_time: str
    from_endpoint: JSONObject | None = None
    to_endpoint: JSONObject | None = None
    end_time: str | None = None
    position: int = 0


@dataclass(frozen=True)
class SessionRecord(Record):
    """One user JWT seen by the emulator, listed in the order they were first seen."""

    id: str
    user_id: str
    session_key: str
    expires_at: float
    created: str
    seq: int = 0


@dataclass(frozen=True)
class DeliveryRecord(Record):
    """One event's delivery to its conversation's callback: the outbox's row, written in the
    transaction of its event. ``seq`` is the delivery's id.

    ``state`` is ``pending`` until it is ``delivered`` or ``failed`` (given up); the request
    is stored ready to send (``body``, and ``signed``, the text ``payload_hash`` covers, both
    UTF-8 text: a JSON body, a query string). ``created_at`` and ``next_at`` are POSIX
    seconds, so the due deliveries are a range on an index.
    """

    conversation_id: str
    event_id: int
    application_id: str
    method: str
    url: str
    body: str
    signed: str
    headers: dict[str, str]
    created_at: float
    next_at: float
    state: str = "pending"
    attempts: int = 0
    seq: int = 0


@dataclass(frozen=True)
class DeliveryAttemptRecord(Record):
    """One attempt at a delivery, as ``GET /_emulator/deliveries`` lists it (oldest first):
    the HTTP ``status`` answered, or the ``error`` when no answer came; ``at`` its start."""

    delivery_id: int
    conversation_id: str
    event_id: int
    url: str
    attempt: int
    status: int | None
    error: str | None
    at: str
    seq: int = 0
