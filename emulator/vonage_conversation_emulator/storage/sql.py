"""The ``Transaction`` protocol over one SQLAlchemy Core connection, for any declared table.

Every statement is derived from the declarations in ``tables`` and built once per shape (which
filters, which window direction), then cached: a request pays for executing statements, not
for building them. Lists are keyset windows on the record's ``KEY`` columns, never OFFSET.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Hashable, Iterator, Mapping
from typing import Any, TypeVar, cast

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Executable,
    Select,
    Update,
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.expression import ColumnClause

from .base import OneOf, Range, StorageConflictError, Window
from .records import ConversationRecord, EventRecord, MemberRecord, MembershipRecord, Record
from .tables import POSITION, SEQ, Declared, declared

__all__ = ["SQLTransaction"]

R = TypeVar("R", bound=Record)

_BOUNDS = {"at_least": "__ge__", "above": "__gt__", "at_most": "__le__", "below": "__lt__"}

Shape = tuple[tuple[str, Hashable], ...]


def _shape(where: Mapping[str, Any]) -> Shape:
    """What a statement depends on in ``where``: which fields, filtered how."""
    shape: list[tuple[str, Hashable]] = []
    for name, value in where.items():
        if isinstance(value, Range):
            shape.append((name, tuple(b for b in _BOUNDS if getattr(value, b) is not None)))
        elif isinstance(value, OneOf):
            shape.append((name, "in"))
        else:
            shape.append((name, "null" if value is None else "equal"))
    return tuple(shape)


def _parameters(where: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The values ``_conditions`` binds for ``where``."""
    values: dict[str, Any] = {}
    for name, value in where.items():
        if isinstance(value, Range):
            values.update(
                {
                    f"{prefix}{name}_{bound}": getattr(value, bound)
                    for bound in _BOUNDS
                    if getattr(value, bound) is not None
                }
            )
        elif isinstance(value, OneOf):
            values[f"{prefix}{name}"] = list(value.values)
        elif value is not None:
            values[f"{prefix}{name}"] = value
    return values


def _conditions(columns: Any, shape: Shape, prefix: str = "") -> Iterator[ColumnElement[bool]]:
    """The conditions of a ``where`` of this shape on ``columns`` (a table's ``c``)."""
    for name, how in shape:
        column = columns[name]
        if isinstance(how, tuple):
            for bound in how:
                yield getattr(column, _BOUNDS[bound])(bindparam(f"{prefix}{name}_{bound}"))
        elif how == "in":
            yield column.in_(bindparam(f"{prefix}{name}", expanding=True))
        elif how == "null":
            yield column.is_(None)
        else:
            yield column == bindparam(f"{prefix}{name}")


def _windowed(
    statement: Select[Any], key: list[ColumnClause[Any]], shape: tuple[bool, bool]
) -> Select[Any]:
    """``statement`` ordered by ``key`` and limited, from after a bound key when ``shape``
    (descending, bounded) says so."""
    descending, bounded = shape
    if bounded:
        marks: list[BindParameter[Any]] = [bindparam(f"key_{i}") for i in range(len(key))]
        row = key[0] if len(key) == 1 else tuple_(*key)
        bound = marks[0] if len(key) == 1 else tuple_(*marks)
        statement = statement.where(row < bound if descending else row > bound)
    order = [column.desc() if descending else column.asc() for column in key]
    return statement.order_by(*order).limit(bindparam("limit"))


def _window_parameters(window: Window) -> dict[str, Any]:
    values: dict[str, Any] = {"limit": window.limit}
    if window.after is not None:
        values.update({f"key_{i}": value for i, value in enumerate(window.after)})
    return values


@functools.cache
def _select(known: Declared[Any], shape: Shape, window: tuple[bool, bool] | None) -> Select[Any]:
    table = known.table
    statement = select(*table.c).where(*_conditions(table.c, shape))
    if window is None:
        return statement
    return _windowed(statement, [table.c[name] for name in known.record.KEY], window)


@functools.cache
def _update(known: Declared[Any], shape: Shape, fields: tuple[str, ...]) -> Update:
    table = known.table
    values = {name: bindparam(f"new_{name}", type_=table.c[name].type) for name in fields}
    return update(table).where(*_conditions(table.c, shape, "old_")).values(values)


@functools.cache
def _delete(known: Declared[Any], shape: Shape) -> Executable:
    table = known.table
    statement = delete(table).where(*_conditions(table.c, shape))
    if POSITION in table.c:
        return statement.returning(table.c[POSITION])
    return statement


@functools.cache
def _insert(known: Declared[Any], numbered: bool) -> Executable:
    """An insert of every column, less the one the backend numbers unless ``numbered``."""
    table = known.table
    columns = [c.name for c in table.c if numbered or c.name != known.generated]
    return insert(table).values(
        {name: bindparam(name, type_=table.c[name].type) for name in columns}
    )


def _replaced(record: R, **changes: Any) -> R:
    return cast(R, dataclasses.replace(cast(Any, record), **changes))


@functools.cache
def _memberships(state: bool, since: bool, window: tuple[bool, bool]) -> Select[Any]:
    members, conversations = declared(MemberRecord).table, declared(ConversationRecord).table
    where = [members.c.user_id == bindparam("user_id")]
    if state:
        where.append(members.c.state == bindparam("state"))
    if since:
        where.append(conversations.c.created >= bindparam("since"))
    statement = (
        select(*members.c, *conversations.c)
        .join_from(members, conversations, conversations.c.id == members.c.conversation_id)
        .where(and_(*where))
    )
    return _windowed(statement, [members.c[name] for name in MemberRecord.KEY], window)


def _next_number() -> Any:
    conversations = declared(ConversationRecord).table
    number = conversations.c.sequence_number
    return (
        update(conversations)
        .where(conversations.c.id == bindparam("conversation_id"))
        .values(sequence_number=number + 1)
        .returning(number)
    )


_NEXT_NUMBER = _next_number()


class SQLTransaction:
    """The ``Transaction`` protocol over one open SQLAlchemy connection and transaction."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def _write(self, statement: Any, parameters: Mapping[str, Any]) -> Any:
        try:
            return self._db.execute(statement, parameters)
        except IntegrityError as error:
            raise StorageConflictError(str(error.orig)) from None

    def get(self, kind: type[R], **where: Any) -> R | None:
        """See ``Transaction.get``."""
        known = declared(kind)
        row = self._db.execute(_select(known, _shape(where), None), _parameters(where)).first()
        return None if row is None else known.from_row(row)

    def select(self, kind: type[R], window: Window | None = None, **where: Any) -> list[R]:
        """See ``Transaction.select``."""
        known = declared(kind)
        parameters = _parameters(where)
        shape = None
        if window is not None:
            shape = (window.scan_descending, window.after is not None)
            parameters.update(_window_parameters(window))
        rows = self._db.execute(_select(known, _shape(where), shape), parameters)
        return [known.from_row(row) for row in rows]

    def count(self, kind: type[R]) -> int:
        """See ``Transaction.count``."""
        counted = select(func.count()).select_from(declared(kind).table)
        return int(self._db.execute(counted).scalar_one())

    def insert(self, record: R) -> R:
        """See ``Transaction.insert``."""
        known = declared(type(record))
        values = {c.name: getattr(record, c.name) for c in known.table.c}
        generated = known.generated
        if generated == POSITION:
            # The next position, from the index's last entry: the positions have no gaps.
            last = func.coalesce(func.max(known.table.c[POSITION]) + 1, 0)
            values[POSITION] = int(self._db.execute(select(last)).scalar_one())
        # A record keeps a seq it has (a restored one); a new one (seq 0) is given the next.
        numbered = generated == POSITION or (generated == SEQ and values[SEQ] != 0)
        if generated is not None and not numbered:
            del values[generated]
        result = self._write(_insert(known, numbered), values)
        if generated == SEQ and not numbered:
            return _replaced(record, seq=int(result.inserted_primary_key[0]))
        if generated == POSITION:
            return _replaced(record, position=values[POSITION])
        return record

    def update(self, record: R, **changes: Any) -> R:
        """See ``Transaction.update``."""
        known: Declared[R] = declared(type(record))
        self.update_where(
            type(record), {name: getattr(record, name) for name in known.identity}, **changes
        )
        return _replaced(record, **changes)

    def update_where(self, kind: type[R], where: dict[str, Any], **changes: Any) -> int:
        """See ``Transaction.update_where``."""
        if not changes:
            return 0
        statement = _update(declared(kind), _shape(where), tuple(changes))
        parameters = _parameters(where, "old_")
        parameters.update({f"new_{name}": value for name, value in changes.items()})
        return int(self._write(statement, parameters).rowcount)

    def delete(self, kind: type[R], **where: Any) -> int:
        """See ``Transaction.delete``; a dense table's later positions close the gap."""
        result = self._db.execute(_delete(declared(kind), _shape(where)), _parameters(where))
        table = declared(kind).table
        if POSITION not in table.c:
            return int(result.rowcount)
        gone = sorted((row[0] for row in result), reverse=True)
        column = table.c[POSITION]
        for position in gone:
            self._db.execute(update(table).where(column > position).values({POSITION: column - 1}))
        return len(gone)

    def append_event(self, event: EventRecord) -> EventRecord:
        """See ``Transaction.append_event``."""
        # Numbering and insert share the write transaction, so ids never repeat or skip.
        number = self._db.execute(
            _NEXT_NUMBER, {"conversation_id": event.conversation_id}
        ).scalar_one_or_none()
        if number is None:
            raise StorageConflictError(f"conversation {event.conversation_id} does not exist")
        return self.insert(_replaced(event, id=int(number)))

    def memberships(
        self, user_id: str, window: Window, *, state: str | None, since: str | None
    ) -> list[MembershipRecord]:
        """See ``Transaction.memberships``."""
        statement = _memberships(
            state is not None, since is not None, (window.scan_descending, window.after is not None)
        )
        parameters = _window_parameters(window) | {"user_id": user_id}
        if state is not None:
            parameters["state"] = state
        if since is not None:
            parameters["since"] = since
        rows = self._db.execute(statement, parameters)
        split = len(declared(MemberRecord).table.c)
        return [
            MembershipRecord(
                declared(MemberRecord).from_row(row[:split]),
                declared(ConversationRecord).from_row(row[split:]),
            )
            for row in rows
        ]

    def insert_conversation(self, conversation: ConversationRecord) -> ConversationRecord:
        """``insert`` of a conversation, kept for ``benchmarks/emulator_pages.py``, which fills
        a store through this name."""
        return self.insert(conversation)
