"""The storage interface: everything the handlers may ask of a backend, and nothing more.

A backend gives transactions (``Store.transaction``); handlers do all their reading and writing
through one ``Transaction`` per request. A transaction is one application's: it sees and
changes only that application's records, and stores new ones under it, so a handler never
names the application and cannot reach another's. Its methods are generic over the record types of
``records``: a record type names its table, and ``where`` filters name its fields, each
``field=value`` (equality; None is "is null"), ``field=Range(...)`` or ``field=OneOf(...)``.

Lists are keyset-paged: ``Transaction.select`` takes a ``Window`` (a bound on the records'
``sort_key``, a direction and a limit) and must answer from an index, so a page costs the same
however large the table grows.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from .records import EventRecord, MembershipRecord, Record, SortKey

__all__ = [
    "OneOf",
    "Range",
    "StorageConflictError",
    "Store",
    "Transaction",
    "Window",
]

R = TypeVar("R", bound=Record)


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
class Range:
    """A ``where`` filter bounding a field; bounds left None do not apply."""

    at_least: Any = None
    above: Any = None
    at_most: Any = None
    below: Any = None


@dataclass(frozen=True)
class OneOf:
    """A ``where`` filter: the field holds one of ``values``."""

    values: Sequence[Any]


class Transaction(Protocol):
    """One unit of work; every method sees and changes the same consistent state."""

    def get(self, kind: type[R], **where: Any) -> R | None:
        """The record of ``kind`` matching ``where`` (on fields that name one record)."""
        ...

    def select(self, kind: type[R], window: Window | None = None, **where: Any) -> list[R]:
        """The records of ``kind`` matching ``where``: a window of them, or all of them."""
        ...

    def count(self, kind: type[R]) -> int:
        """How many records of ``kind`` the application has."""
        ...

    def insert(self, record: R) -> R:
        """Store a new record under the transaction's application and answer it as stored
        (``application_id``, and ``seq`` or ``position``, filled in: the next of the
        application's); StorageConflictError when it breaks a uniqueness rule."""
        ...

    def update(self, record: R, **changes: Any) -> R:
        """Change fields of a stored record (found by its identity: ``id``, a leg's ``uuid``,
        an event's conversation and id) and answer it changed; StorageConflictError when the
        change breaks a uniqueness rule."""
        ...

    def update_where(self, kind: type[R], where: dict[str, Any], **changes: Any) -> int:
        """Change fields of every record of ``kind`` matching ``where``; how many changed."""
        ...

    def delete(self, kind: type[R], **where: Any) -> int:
        """Remove every record of ``kind`` matching ``where``; how many there were. Ids are
        never handed out again (a ``seq`` may be: the next is one past the application's last
        one stored)."""
        ...

    def append_event(self, event: EventRecord) -> EventRecord:
        """Store an event under the conversation's next id (``event.id`` is ignored) and make
        that id the conversation's ``sequence_number``."""
        ...

    def memberships(
        self, user_id: str, window: Window, *, state: str | None, since: str | None
    ) -> list[MembershipRecord]:
        """A window of a user's memberships, each with its conversation: of members in
        ``state`` and conversations created at ``since`` or later (when given)."""
        ...


class Store(Protocol):
    """A storage backend."""

    def transaction(self, *, write: bool, application: str) -> AbstractContextManager[Transaction]:
        """One transaction of ``application``'s records: committed when the block ends, rolled
        back if it raises.

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
