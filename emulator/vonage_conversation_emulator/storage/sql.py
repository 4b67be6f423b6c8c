"""The ``Transaction`` protocol over one SQLite connection, for any declared table.

Every statement is derived from the declarations in ``tables`` and built once per shape (which
filters, which window direction), then cached: a request pays for executing statements, not
for building them. Lists are keyset windows on the record's ``KEY`` columns, never OFFSET.

A transaction belongs to one application: every statement built here is limited to its rows
(``application_id = :scope``, the first column of every index) and every insert stores the
record under it, so no handler can read or change another application's records. ``seq`` and
``position`` are numbered within the application.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
from collections.abc import Hashable, Iterator, Mapping
from typing import Any, TypeVar, cast

from .base import OneOf, Range, StorageConflictError, Window
from .records import ConversationRecord, EventRecord, MemberRecord, MembershipRecord, Record
from .tables import POSITION, SCOPE, SEQ, Table, declared, dump_json

__all__ = ["SQLTransaction"]

R = TypeVar("R", bound=Record)

_BOUNDS = {"at_least": ">=", "above": ">", "at_most": "<=", "below": "<"}
_SCOPED = f"{SCOPE} = :scope"
"""The condition every statement has: the transaction's application."""

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
    conditions = [_SCOPED, *_conditions(shape)]
    if window is None:
        return f"{select} WHERE {' AND '.join(conditions)}"
    return _windowed(select, conditions, list(table.record.KEY), window)


@functools.cache
def _update(table: Table[Any], shape: Shape, fields: tuple[str, ...]) -> str:
    changes = ", ".join(f"{name} = :new_{name}" for name in fields)
    where = " AND ".join([_SCOPED, *_conditions(shape, prefix="old_")])
    return f"UPDATE {table.name} SET {changes} WHERE {where}"


@functools.cache
def _delete(table: Table[Any], shape: Shape) -> str:
    returning = f" RETURNING {POSITION}" if POSITION in table.names else ""
    where = " AND ".join([_SCOPED, *_conditions(shape)])
    return f"DELETE FROM {table.name} WHERE {where}{returning}"


@functools.cache
def _close_gap(table: Table[Any]) -> str:
    changes = f"{POSITION} = {POSITION} - 1"
    return f"UPDATE {table.name} SET {changes} WHERE {_SCOPED} AND {POSITION} > :gone"


@functools.cache
def _count(table: Table[Any]) -> str:
    return f"SELECT count(*) FROM {table.name} WHERE {_SCOPED}"


@functools.cache
def _insert(table: Table[Any], numbering: bool) -> str:
    """An insert of every column; when ``numbering``, the generated column (``seq`` from 1,
    ``position`` from 0) is the application's next, one past its last (read from the index
    leading with both), in the same statement, which answers it."""
    names = ", ".join(table.names)
    if not numbering:
        marks = ", ".join(f":{name}" for name in table.names)
        return f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
    column = table.generated
    first = 1 if column == SEQ else 0
    values = ", ".join(
        f"coalesce(max({name}) + 1, {first})" if name == column else f":{name}"
        for name in table.names
    )
    return (
        f"INSERT INTO {table.name} ({names}) SELECT {values} FROM {table.name} "
        f"WHERE {_SCOPED} RETURNING {column}"
    )


@functools.cache
def _memberships(state: bool, since: bool, window: WindowShape) -> str:
    members, conversations = declared(MemberRecord), declared(ConversationRecord)
    columns = [f"m.{name}" for name in members.names] + [
        f"c.{name}" for name in conversations.names
    ]
    select = (
        f"SELECT {', '.join(columns)} FROM {members.name} AS m "
        f"JOIN {conversations.name} AS c "
        f"ON c.{SCOPE} = m.{SCOPE} AND c.id = m.conversation_id"
    )
    conditions = [f"m.{_SCOPED}", f"c.{_SCOPED}", "m.user_id = :user_id"]
    if state:
        conditions.append("m.state = :state")
    if since:
        conditions.append("c.created >= :since")
    return _windowed(select, conditions, [f"m.{name}" for name in MemberRecord.KEY], window)


_NEXT_NUMBER = (
    f"UPDATE {declared(ConversationRecord).name} SET sequence_number = sequence_number + 1 "
    f"WHERE {_SCOPED} AND id = :id RETURNING sequence_number"
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
    """The ``Transaction`` protocol over one open SQLite transaction, limited to the records of
    ``application_id``."""

    def __init__(self, connection: sqlite3.Connection, application_id: str) -> None:
        self._db = connection
        self.application_id = application_id
        self._scope = {"scope": application_id}

    def _write(self, sql: str, parameters: Mapping[str, Any]) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, parameters)
        except sqlite3.IntegrityError as error:
            raise StorageConflictError(str(error)) from None

    def _scoped(self, parameters: dict[str, Any]) -> dict[str, Any]:
        parameters["scope"] = self.application_id
        return parameters

    def get(self, kind: type[R], **where: Any) -> R | None:
        """See ``Transaction.get``."""
        table = declared(kind)
        sql, parameters = _select(table, _shape(where), None), self._scoped(_parameters(where))
        row = self._db.execute(sql, parameters).fetchone()
        return None if row is None else table.read_row(row)

    def select(self, kind: type[R], window: Window | None = None, **where: Any) -> list[R]:
        """See ``Transaction.select``."""
        table = declared(kind)
        parameters = self._scoped(_parameters(where))
        shape = None
        if window is not None:
            shape = _window_shape(window)
            parameters.update(_window_parameters(window))
        rows = self._db.execute(_select(table, _shape(where), shape), parameters)
        read = table.read_row
        return [read(row) for row in rows]

    def count(self, kind: type[R]) -> int:
        """See ``Transaction.count``."""
        return int(self._db.execute(_count(declared(kind)), self._scope).fetchone()[0])

    def insert(self, record: R) -> R:
        """See ``Transaction.insert``."""
        return self._insert(record, {})

    def _insert(self, record: R, changes: dict[str, Any]) -> R:
        """Insert ``record`` with ``changes`` (its application, and the numbers the backend
        gives) made."""
        table = declared(type(record))
        if getattr(record, SCOPE) != self.application_id:
            changes[SCOPE] = self.application_id
        generated = table.generated
        # A position is always the next (positions have no gaps); a record keeps a seq it has
        # (a restored one), and a new one (seq 0) is given the next.
        numbering = generated == POSITION or (generated == SEQ and getattr(record, SEQ) == 0)
        values = {name: changes.get(name, getattr(record, name)) for name in table.names}
        values["scope"] = self.application_id
        cursor = self._write(_insert(table, numbering), _stored(table, values))
        if numbering:
            assert generated is not None
            changes[generated] = int(cursor.fetchone()[0])
        return _replaced(record, **changes) if changes else record

    def update(self, record: R, **changes: Any) -> R:
        """See ``Transaction.update``."""
        table = declared(type(record))
        identity = {name: getattr(record, name) for name in table.identity if name != SCOPE}
        self.update_where(type(record), identity, **changes)
        return _replaced(record, **changes)

    def update_where(self, kind: type[R], where: dict[str, Any], **changes: Any) -> int:
        """See ``Transaction.update_where``."""
        if not changes:
            return 0
        table = declared(kind)
        parameters = self._scoped(_parameters(where, "old_") | _stored(table, changes, "new_"))
        return self._write(_update(table, _shape(where), tuple(changes)), parameters).rowcount

    def delete(self, kind: type[R], **where: Any) -> int:
        """See ``Transaction.delete``; a dense table's later positions (of the application)
        close the gap."""
        table = declared(kind)
        cursor = self._db.execute(_delete(table, _shape(where)), self._scoped(_parameters(where)))
        if POSITION not in table.names:
            return cursor.rowcount
        gone = sorted((row[0] for row in cursor.fetchall()), reverse=True)
        for position in gone:
            self._db.execute(_close_gap(table), {"gone": position, "scope": self.application_id})
        return len(gone)

    def append_event(self, event: EventRecord) -> EventRecord:
        """See ``Transaction.append_event``."""
        # Numbering and insert share the write transaction, so ids never repeat or skip.
        parameters = {"id": event.conversation_id, "scope": self.application_id}
        row = self._db.execute(_NEXT_NUMBER, parameters).fetchone()
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
            for row in self._db.execute(sql, self._scoped(parameters))
        ]

    def insert_conversation(self, conversation: ConversationRecord) -> ConversationRecord:
        """``insert`` of a conversation, kept for ``benchmarks/emulator_pages.py``, which fills
        a store through this name."""
        return self.insert(conversation)
