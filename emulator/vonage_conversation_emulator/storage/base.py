"""The storage interface: everything the handlers may ask of a backend, and nothing more.

A backend gives transactions (``Store.transaction``); handlers do all their reading and writing
through one ``Transaction`` per request. SQLite is the embedded backend; a shared server database
(PostgreSQL) would implement these two protocols and leave the handlers as they are.

Lists are keyset-paged: each list method takes a ``Window`` (a bound on the list's sort key, a
direction and a limit) and must answer from an index, so a page costs the same however large
the table grows.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from .records import (
    ConversationRecord,
    EventRecord,
    LegRecord,
    MemberRecord,
    MembershipRecord,
    SessionRecord,
    SortKey,
    UserRecord,
)

__all__ = [
    "ConversationFilter",
    "EventFilter",
    "MembershipFilter",
    "StorageConflictError",
    "Store",
    "Transaction",
    "Window",
]


class StorageConflictError(Exception):
    """A write broke a uniqueness rule (a duplicate name, id or active membership)."""


@dataclass(frozen=True)
class Window:
    """Which slice of a sorted list to read.

    The list is sorted by its records' ``sort_key``, descending when ``descending``. Without
    ``after`` the slice starts at the list's start; with it, right after that key, or, when
    ``backward``, right before it, walking towards the start (records then come nearest first).
    """

    limit: int
    descending: bool = False
    after: SortKey | None = None
    backward: bool = False

    @property
    def scan_descending(self) -> bool:
        """The direction the index is actually walked in."""
        return self.descending != self.backward


@dataclass(frozen=True)
class ConversationFilter:
    """``created`` within ``[date_start, date_end)`` (timestamps as stored)."""

    date_start: str | None = None
    date_end: str | None = None


@dataclass(frozen=True)
class MembershipFilter:
    """A user's memberships, by member state and by the conversation's creation time."""

    user_id: str
    state: str | None = None
    date_start: str | None = None


@dataclass(frozen=True)
class EventFilter:
    """Events with ids in ``[start_id, end_id]`` and of type ``event_type``."""

    start_id: int | None = None
    end_id: int | None = None
    event_type: str | None = None


class Transaction(Protocol):
    """One unit of work; every method sees and changes the same consistent state."""

    # users
    def insert_user(self, user: UserRecord) -> UserRecord:
        """Store a new user; StorageConflictError when its name or id is taken."""
        ...

    def user(self, user_id: str) -> UserRecord | None:
        """The user with this id."""
        ...

    def user_by_name(self, name: str) -> UserRecord | None:
        """The user with this name."""
        ...

    def users_by_id(self, user_ids: Sequence[str]) -> dict[str, UserRecord]:
        """The users with these ids, keyed by id (missing ones left out)."""
        ...

    def list_users(self, window: Window) -> list[UserRecord]:
        """A window of all users."""
        ...

    # conversations
    def insert_conversation(self, conversation: ConversationRecord) -> ConversationRecord:
        """Store a new conversation; StorageConflictError when its name or id is taken."""
        ...

    def conversation(self, conversation_id: str) -> ConversationRecord | None:
        """The conversation with this id."""
        ...

    def conversation_by_name(self, name: str) -> ConversationRecord | None:
        """The conversation with this name."""
        ...

    def update_conversation(self, conversation: ConversationRecord) -> None:
        """Replace a stored conversation's fields; StorageConflictError on a taken name."""
        ...

    def delete_conversation(self, conversation_id: str) -> bool:
        """Remove a conversation with its members and events; False if there was none."""
        ...

    def list_conversations(
        self, where: ConversationFilter, window: Window
    ) -> list[ConversationRecord]:
        """A window of the conversations matching ``where``."""
        ...

    # members
    def insert_member(self, member: MemberRecord) -> MemberRecord:
        """Store a new member; StorageConflictError when the user already has an active one."""
        ...

    def member(self, conversation_id: str, member_id: str) -> MemberRecord | None:
        """The member with this id in this conversation."""
        ...

    def member_of_user(self, conversation_id: str, user_id: str) -> MemberRecord | None:
        """The user's member in this conversation: its INVITED or JOINED one if any, else the
        latest one that LEFT."""
        ...

    def update_member(self, member: MemberRecord) -> None:
        """Replace a stored member's state, channel, media, timestamps and initiator."""
        ...

    def list_members(self, conversation_id: str, window: Window) -> list[MemberRecord]:
        """A window of a conversation's members."""
        ...

    def list_memberships(self, where: MembershipFilter, window: Window) -> list[MembershipRecord]:
        """A window of a user's memberships, each with its conversation."""
        ...

    # events
    def append_event(self, event: EventRecord) -> EventRecord:
        """Store an event under the conversation's next id (``event.id`` is ignored) and make
        that id the conversation's ``sequence_number``."""
        ...

    def event(self, conversation_id: str, event_id: int) -> EventRecord | None:
        """The event with this id in this conversation."""
        ...

    def delete_event(self, conversation_id: str, event_id: int) -> bool:
        """Remove an event; False if there was none. Its id is never handed out again."""
        ...

    def list_events(
        self, conversation_id: str, where: EventFilter, window: Window
    ) -> list[EventRecord]:
        """A window of a conversation's events matching ``where``."""
        ...

    # legs
    def insert_leg(self, leg: LegRecord) -> LegRecord:
        """Store a new leg; StorageConflictError when its uuid is taken."""
        ...

    def leg(self, leg_uuid: str) -> LegRecord | None:
        """The leg with this uuid."""
        ...

    def end_legs(
        self, at: str, *, conversation_id: str | None = None, member_id: str | None = None
    ) -> int:
        """Mark the open legs of a conversation or of a member ``terminated`` at ``at``."""
        ...

    def delete_leg(self, leg_uuid: str) -> bool:
        """Remove a leg; False if there was none."""
        ...

    def count_legs(self) -> int:
        """How many legs are stored."""
        ...

    def list_legs(self, offset: int, limit: int) -> list[LegRecord]:
        """Legs in recording order from ``offset`` (legs are paged by offset, as the spec's
        ``record_index`` demands)."""
        ...

    # sessions
    def insert_session(self, session: SessionRecord) -> None:
        """Store a session unless one with its ``session_key`` exists already."""
        ...

    def list_sessions(self, user_id: str, now: float, window: Window) -> list[SessionRecord]:
        """A window of a user's sessions still valid at ``now`` (seconds since the epoch)."""
        ...


class Store(Protocol):
    """A storage backend."""

    def transaction(self, *, write: bool) -> AbstractContextManager[Transaction]:
        """One transaction: committed when the block ends, rolled back if it raises.

        Writers are serialised (``write=True`` takes the write lock up front), so concurrent
        writers never lose or duplicate anything.
        """
        ...

    def secret(self) -> bytes:
        """A key kept with the data, for signing cursors so they survive restarts."""
        ...

    def close(self) -> None:
        """Release the backend's connections."""
        ...
