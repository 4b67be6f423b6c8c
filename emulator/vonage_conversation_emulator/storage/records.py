"""What the emulator stores: one frozen record per row, shared by every storage backend.

``seq`` is the backend's insertion order (0 on a record not stored yet); ``sort_key`` is the
key a list is paged by, so pagination never needs to know which record it pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ConversationRecord",
    "EventRecord",
    "JSONObject",
    "LegRecord",
    "MemberRecord",
    "MembershipRecord",
    "SessionRecord",
    "SortKey",
    "UserRecord",
]

JSONObject = dict[str, Any]
SortKey = tuple[Any, ...]


@dataclass(frozen=True)
class UserRecord:
    """A user (created by ``--seed`` or the admin route)."""

    id: str
    name: str
    display_name: str | None
    created: str
    seq: int = 0

    @property
    def sort_key(self) -> SortKey:
        """Users are listed in creation order."""
        return (self.seq,)


@dataclass(frozen=True)
class ConversationRecord:
    """A conversation. ``numbers`` is keyed by channel type, as responses show it."""

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
    seq: int = 0

    @property
    def sort_key(self) -> SortKey:
        """Conversations are listed by creation time (then insertion order, to break ties)."""
        return (self.created, self.seq)


@dataclass(frozen=True)
class MemberRecord:
    """A user's membership of a conversation. ``state`` is INVITED, JOINED or LEFT;
    ``timestamps`` and ``initiator`` are keyed by the state they record."""

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

    @property
    def sort_key(self) -> SortKey:
        """Members are listed in the order they were created."""
        return (self.seq,)


@dataclass(frozen=True)
class MembershipRecord:
    """A member with its conversation: one item of a user's conversations list."""

    member: MemberRecord
    conversation: ConversationRecord

    @property
    def sort_key(self) -> SortKey:
        """A user's conversations are listed in the order the memberships were made."""
        return self.member.sort_key


@dataclass(frozen=True)
class EventRecord:
    """An event; ``id`` is progressive within its conversation."""

    conversation_id: str
    id: int
    type: str
    body: JSONObject
    timestamp: str
    from_member: str | None = None
    to_member: str | None = None
    state: str | None = None

    @property
    def sort_key(self) -> SortKey:
        """Events are listed by id."""
        return (self.id,)


@dataclass(frozen=True)
class LegRecord:
    """A call leg, recorded when a member joins over a channel with a ``leg_id``."""

    uuid: str
    type: str
    conversation_id: str
    member_id: str
    state: str
    start_time: str
    from_endpoint: JSONObject | None = None
    to_endpoint: JSONObject | None = None
    end_time: str | None = None
    seq: int = 0


@dataclass(frozen=True)
class SessionRecord:
    """One user JWT seen by the emulator."""

    id: str
    user_id: str
    session_key: str
    expires_at: float
    created: str
    seq: int = 0

    @property
    def sort_key(self) -> SortKey:
        """Sessions are listed in the order they were first seen."""
        return (self.seq,)
