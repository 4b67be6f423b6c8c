"""The ``Transaction`` protocol over one SQLite connection, for any declared table.

Every statement is derived from the declarations in ``tables`` and built once per shape (which
filters, which window direction), then cached: a request pays for executing statements, not
for building them. Lists are keyset windows on the record's ``KEY`` columns, never OFFSET.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Hashable, Iterator, Mapping
from typing import Any, TypeVar, cast

from .base import OneOf, Range, StorageConflictError, Window
from .records import ConversationRecord, EventRecord, MemberRecord, MembershipRecord, Record
from .tables import POSITION, SEQ, Table, declared, dump_json

__all__ = ["SQLTransaction"]

R = TypeVar("R", bound=Record)

_BOUNDS = {"at_least": ">=", "above": ">", "at_most": "<=", "below": "<"}

Shape = tuple[tuple[str, Hashable], ...]
WindowShape = tuple[bool, bool]
"""A window as a statement sees it: (walked descending, bounded by a key)."""


def _shape(where: Mapping[str, Any]) -> Shape:
    """What a statement depends on in ``where``: which fields, filtered how."""
    shape: list[tuple[str, Hashable]] = []
    for name, value in where.items():
        if isinstance(value, Range):
            shape.append((name, tuple(b for b in _BOUNDS if getattr(value, b) is not None)))
        elif isinstance(value, OneOf):
            shape.append((name, len(value.values)))
        else:
            shape.append((name, "null" if value is None else "equal"))
    return tuple(shape)


def _parameters(where: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The values ``_conditions`` binds for ``where``."""
    values: dict[str, Any] = {}
    for name, value in where.items():
        if isinstance(value, Range):
            for bound in _BOUNDS:
                if getattr(value, bound) is not None:
                    values[f"{prefix}{name}_{bound}"] = getattr(value, bound)
        elif isinstance(value, OneOf):
            values.update({f"{prefix}{name}_{i}": item for i, item in enumerate(value.values)})
        elif value is not None:
            values[f"{prefix}{name}"] = value
    return values


def _conditions(shape: Shape, alias: str = "", prefix: str = "") -> Iterator[str]:
    """The conditions of a ``where`` of this shape (on columns of ``alias`` when given)."""
    for name, how in shape:
        column, mark = f"{alias}{name}", f":{prefix}{name}"
        if isinstance(how, tuple):
            yield from (f"{column} {_BOUNDS[bound]} {mark}_{bound}" for bound in how)
        elif isinstance(how, int):
            yield f"{column} IN ({', '.join(f'{mark}_{i}' for i in range(how)) or 'NULL'})"
        elif how == "null":
            yield f"{column} IS NULL"
        else:
            yield f"{column} = {mark}"


def _windowed(select: str, conditions: list[str], key: list[str], window: WindowShape) -> str:
    """``select`` with its conditions, ordered by ``key`` and limited, from after a bound key
    when the window is bounded."""
    descending, bounded = window
    if bounded:
        marks = ", ".join(f":key_{i}" for i in range(len(key)))
        conditions = [*conditions, f"({', '.join(key)}) {'<' if descending else '>'} ({marks})"]
    order = ", ".join(f"{column} {'DESC' if descending else 'ASC'}" for column in key)
    return f"{select} WHERE {' AND '.join(conditions) or '1'} ORDER BY {order} LIMIT :limit"


def _window_parameters(window: Window) -> dict[str, Any]:
    values: dict[str, Any] = {"limit": window.limit}
    if window.after is not None:
        values.update({f"key_{i}": value for i, value in enumerate(window.after)})
    return values


def _window_shape(window: Window) -> WindowShape:
    return window.scan_descending, window.after is not None


@functools.cache
def _select(table: Table[Any], shape: Shape, window: WindowShape | None) -> str:
    select = f"SELECT {', '.join(table.names)} FROM {table.name}"
    conditions = list(_conditions(shape))
    if window is None:
        return f"{select} WHERE {' AND '.join(conditions) or '1'}"
    return _windowed(select, conditions, list(table.record.KEY), window)


@functools.cache
def _update(table: Table[Any], shape: Shape, fields: tuple[str, ...]) -> str:
    changes = ", ".join(f"{name} = :new_{name}" for name in fields)
    where = " AND ".join(_conditions(shape, prefix="old_")) or "1"
    return f"UPDATE {table.name} SET {changes} WHERE {where}"


@functools.cache
def _delete(table: Table[Any], shape: Shape) -> str:
    returning = f" RETURNING {POSITION}" if POSITION in table.names else ""
    return f"DELETE FROM {table.name} WHERE {' AND '.join(_conditions(shape)) or '1'}{returning}"


@functools.cache
def _insert(table: Table[Any], numbered: bool) -> tuple[str, tuple[str, ...]]:
    """An insert of every column, less the one the backend numbers unless ``numbered``; and
    the columns it sets."""
    names = tuple(name for name in table.names if numbered or name != table.generated)
    marks = ", ".join(f":{name}" for name in names)
    return f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", names


@functools.cache
def _memberships(state: bool, since: bool, window: WindowShape) -> str:
    members, conversations = declared(MemberRecord), declared(ConversationRecord)
    columns = [f"m.{name}" for name in members.names] + [
        f"c.{name}" for name in conversations.names
    ]
    select = (
        f"SELECT {', '.join(columns)} FROM {members.name} AS m "
        f"JOIN {conversations.name} AS c ON c.id = m.conversation_id"
    )
    conditions = ["m.user_id = :user_id"]
    if state:
        conditions.append("m.state = :state")
    if since:
        conditions.append("c.created >= :since")
    return _windowed(select, conditions, [f"m.{name}" for name in MemberRecord.KEY], window)


_NEXT_NUMBER = (
    f"UPDATE {declared(ConversationRecord).name} SET sequence_number = sequence_number + 1 "
    "WHERE id = ? RETURNING sequence_number"
)


def _replaced(record: R, **changes: Any) -> R:
    return cast(R, dataclasses.replace(cast(Any, record), **changes))


def _stored(table: Table[Any], values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``values`` as the columns hold them (JSON as text), under ``prefix``."""
    json_columns = table.json_columns
    return {
        f"{prefix}{name}": dump_json(value) if name in json_columns else value
        for name, value in values.items()
    }


class SQLTransaction:
    """The ``Transaction`` protocol over one open SQLite transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def _write(self, sql: str, parameters: Mapping[str, Any]) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, parameters)
        except sqlite3.IntegrityError as error:
            raise StorageConflictError(str(error)) from None

    def get(self, kind: type[R], **where: Any) -> R | None:
        """See ``Transaction.get``."""
        table = declared(kind)
        row = self._db.execute(_select(table, _shape(where), None), _parameters(where)).fetchone()
        return None if row is None else table.read_row(row)

    def select(self, kind: type[R], window: Window | None = None, **where: Any) -> list[R]:
        """See ``Transaction.select``."""
        table = declared(kind)
        parameters = _parameters(where)
        shape = None
        if window is not None:
            shape = _window_shape(window)
            parameters.update(_window_parameters(window))
        rows = self._db.execute(_select(table, _shape(where), shape), parameters)
        read = table.read_row
        return [read(row) for row in rows]

    def count(self, kind: type[R]) -> int:
        """See ``Transaction.count``."""
        return int(self._db.execute(f"SELECT count(*) FROM {declared(kind).name}").fetchone()[0])

    def insert(self, record: R) -> R:
        """See ``Transaction.insert``."""
        return self._insert(record, {})

    def _insert(self, record: R, changes: dict[str, Any]) -> R:
        """Insert ``record`` with ``changes`` (and the numbers the backend gives) made."""
        table = declared(type(record))
        generated = table.generated
        if generated == POSITION:
            # The next position, from the index's last entry: the positions have no gaps.
            last = f"SELECT coalesce(max({POSITION}) + 1, 0) FROM {table.name}"
            changes[POSITION] = int(self._db.execute(last).fetchone()[0])
        # A record keeps a seq it has (a restored one); a new one (seq 0) is given the next.
        numbered = generated == POSITION or (generated == SEQ and getattr(record, SEQ) != 0)
        sql, names = _insert(table, numbered)
        values = {name: changes.get(name, getattr(record, name)) for name in names}
        cursor = self._write(sql, _stored(table, values))
        if generated == SEQ and not numbered:
            changes[SEQ] = int(cursor.lastrowid or 0)
        return _replaced(record, **changes) if changes else record

    def update(self, record: R, **changes: Any) -> R:
        """See ``Transaction.update``."""
        table = declared(type(record))
        identity = {name: getattr(record, name) for name in table.identity}
        self.update_where(type(record), identity, **changes)
        return _replaced(record, **changes)

    def update_where(self, kind: type[R], where: dict[str, Any], **changes: Any) -> int:
        """See ``Transaction.update_where``."""
        if not changes:
            return 0
        table = declared(kind)
        parameters = _parameters(where, "old_") | _stored(table, changes, "new_")
        return self._write(_update(table, _shape(where), tuple(changes)), parameters).rowcount

    def delete(self, kind: type[R], **where: Any) -> int:
        """See ``Transaction.delete``; a dense table's later positions close the gap."""
        table = declared(kind)
        cursor = self._db.execute(_delete(table, _shape(where)), _parameters(where))
        if POSITION not in table.names:
            return cursor.rowcount
        gone = sorted((row[0] for row in cursor.fetchall()), reverse=True)
        for position in gone:
            self._db.execute(
                f"UPDATE {table.name} SET {POSITION} = {POSITION} - 1 WHERE {POSITION} > ?",
                (position,),
            )
        return len(gone)

    def append_event(self, event: EventRecord) -> EventRecord:
        """See ``Transaction.append_event``."""
        # Numbering and insert share the write transaction, so ids never repeat or skip.
        row = self._db.execute(_NEXT_NUMBER, (event.conversation_id,)).fetchone()
        if row is None:
            raise StorageConflictError(f"conversation {event.conversation_id} does not exist")
        return self._insert(event, {"id": int(row[0])})

    def memberships(
        self, user_id: str, window: Window, *, state: str | None, since: str | None
    ) -> list[MembershipRecord]:
        """See ``Transaction.memberships``."""
        sql = _memberships(state is not None, since is not None, _window_shape(window))
        parameters = _window_parameters(window) | {"user_id": user_id}
        if state is not None:
            parameters["state"] = state
        if since is not None:
            parameters["since"] = since
        members, conversations = declared(MemberRecord), declared(ConversationRecord)
        split = len(members.names)
        return [
            MembershipRecord(members.read_row(row[:split]), conversations.read_row(row[split:]))
            for row in self._db.execute(sql, parameters)
        ]

    def insert_conversation(self, conversation: ConversationRecord) -> ConversationRecord:
        """``insert`` of a conversation, kept for ``benchmarks/emulator_pages.py``, which fills
        a store through this name."""
        return self.insert(conversation)
