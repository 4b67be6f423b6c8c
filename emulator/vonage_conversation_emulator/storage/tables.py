"""The tables, derived from the record types: one declaration each.

A record's fields are its table's columns, in order, typed from their annotations (``str``
text, ``int`` integer, ``float`` real, a dict JSON text; ``| None`` nullable). ``declare`` adds
what a record cannot say: the table's name, which fields name one row (``identity``), which are
unique and which indexes serve its lists. Everything else (the DDL here; select lists, row
mapping, inserts, updates and paging keys in ``sql``) is derived from these.

Every table is scoped by application: ``application_id`` (``SCOPE``) leads its primary key
(``identity``), its unique constraints (a name is unique within its application) and every
index, so each application's rows are a range of each index and a statement of one
application reads only that range. A ``seq`` field numbers a record within its application
(unique with it); a ``position`` field is a dense ordinal (0, 1, 2... without gaps) within its
application, kept by inserts and deletes.

A small mapper rather than SQLAlchemy Core: Core cost the create request 19% more CPU in
process (the handler's storage work 2.9 times), over the 10% the design allowed.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .records import (
    ConversationRecord,
    DeliveryAttemptRecord,
    DeliveryRecord,
    EventRecord,
    LegRecord,
    MemberRecord,
    Record,
    SessionRecord,
    UserRecord,
)

__all__ = [
    "DECLARED",
    "DELIVERY_TABLES",
    "META_DDL",
    "POSITION",
    "SCOPE",
    "SEQ",
    "Column",
    "Index",
    "Table",
    "declared",
]

R = TypeVar("R", bound=Record)

SEQ, POSITION = "seq", "position"
SCOPE = "application_id"
"""The column every table is scoped by."""

META_DDL = "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)"
"""What the store keeps about itself (the cursor-signing ``secret``)."""

_AFFINITIES: Mapping[Any, str] = {str: "TEXT", int: "INTEGER", float: "REAL"}


def dump_json(value: Any) -> str | None:
    """A JSON column's text (compact, so the same document is always the same text)."""
    return None if value is None else json.dumps(value, separators=(",", ":"))


@dataclass(frozen=True)
class Column:
    """A column: a record field, its SQL type, whether it may be null or holds JSON text."""

    name: str
    sql_type: str
    nullable: bool
    json: bool

    @classmethod
    def of(cls, name: str, hint: Any) -> Column:
        """The column of a field annotated ``hint``."""
        arguments = typing.get_args(hint)
        options = [arg for arg in arguments if arg is not type(None)]
        nullable = isinstance(hint, types.UnionType) and len(options) < len(arguments)
        base = options[0] if nullable else hint
        kind = typing.get_origin(base) or base
        is_json = kind in (dict, list)
        return cls(name, "TEXT" if is_json else _AFFINITIES[kind], nullable, is_json)


@dataclass(frozen=True)
class Index:
    """An index on ``columns``; ``where`` makes it partial. ``declare`` puts ``SCOPE`` first
    unless ``scoped`` is False (an index read across applications: the outbox's schedule)."""

    name: str
    columns: tuple[str, ...]
    unique: bool = False
    where: str | None = None
    scoped: bool = True


@dataclass(frozen=True, eq=False)
class Table(Generic[R]):
    """A record type bound to its table (one per table: compared and hashed by identity)."""

    name: str
    record: type[R]
    columns: tuple[Column, ...]
    identity: tuple[str, ...]
    """The fields naming one row (``SCOPE`` first; what ``update`` finds a record by)."""
    unique: tuple[tuple[str, ...], ...]
    """The unique constraints (each ``SCOPE`` first)."""
    indexes: tuple[Index, ...]
    without_rowid: bool

    @functools.cached_property
    def names(self) -> tuple[str, ...]:
        """The column names, in the record's field order."""
        return tuple(column.name for column in self.columns)

    @functools.cached_property
    def generated(self) -> str | None:
        """The field the backend numbers on insert (``seq`` or ``position``), if any."""
        return next((name for name in (SEQ, POSITION) if name in self.names), None)

    @functools.cached_property
    def json_columns(self) -> frozenset[str]:
        """The columns holding JSON text."""
        return frozenset(column.name for column in self.columns if column.json)

    def ddl(self) -> list[str]:
        """The statements creating the table and its indexes."""
        definitions = [
            f"{column.name} {column.sql_type}{'' if column.nullable else ' NOT NULL'}"
            for column in self.columns
        ]
        definitions.append(f"PRIMARY KEY ({', '.join(self.identity)})")
        definitions += [f"UNIQUE ({', '.join(columns)})" for columns in self.unique]
        rowid = " WITHOUT ROWID" if self.without_rowid else ""
        statements = [f"CREATE TABLE {self.name} ({', '.join(definitions)}){rowid}"]
        for index in self.indexes:
            unique = "UNIQUE " if index.unique else ""
            where = f" WHERE {index.where}" if index.where else ""
            columns = ", ".join(index.columns)
            statements.append(
                f"CREATE {unique}INDEX {index.name} ON {self.name} ({columns}){where}"
            )
        return statements

    @functools.cached_property
    def read_row(self) -> Callable[[Sequence[Any]], R]:
        """Makes the record a row of ``names`` holds (JSON text decoded)."""
        build: Callable[..., R] = self.record
        decoded = [i for i, column in enumerate(self.columns) if column.json]
        loads = json.loads

        def read(row: Sequence[Any]) -> R:
            values = list(row)
            for i in decoded:
                if values[i] is not None:
                    values[i] = loads(values[i])
            return build(*values)

        return read


DECLARED: dict[type[Record], Table[Any]] = {}


def declare(
    record: type[R],
    name: str,
    *,
    identity: Sequence[str] = ("id",),
    unique: Sequence[str] = (),
    indexes: Sequence[Index] = (),
    without_rowid: bool = False,
) -> Table[R]:
    """Declare ``record``'s table: its columns are the record's fields, and ``SCOPE`` leads
    its identity, unique constraints and indexes (see the module docstring). A table with a
    ``seq`` it is not named by has it unique within the application."""
    hints = typing.get_type_hints(record)
    fields = dataclasses.fields(record)  # type: ignore[arg-type]
    names = [f.name for f in fields]
    if SCOPE not in names:
        raise TypeError(f"{record.__name__} has no {SCOPE} field")
    constraints = [(SCOPE, name) for name in unique]
    if SEQ in names and SEQ not in identity:
        constraints.append((SCOPE, SEQ))
    table = Table(
        name=name,
        record=record,
        columns=tuple(Column.of(f.name, hints[f.name]) for f in fields),
        identity=(SCOPE, *identity),
        unique=tuple(constraints),
        indexes=tuple(_scoped(index) for index in indexes),
        without_rowid=without_rowid,
    )
    DECLARED[record] = table
    return table


def _scoped(index: Index) -> Index:
    if not index.scoped or index.columns[:1] == (SCOPE,):
        return index
    return dataclasses.replace(index, columns=(SCOPE, *index.columns))


def declared(kind: type[R]) -> Table[R]:
    """The declaration of a record type's table."""
    found: Table[R] = DECLARED[kind]
    return found


USERS = declare(UserRecord, "users", unique=("name",))
CONVERSATIONS = declare(
    ConversationRecord,
    "conversations",
    unique=("name",),
    indexes=[
        Index("conversations_by_created", ("created", "seq")),
        Index("conversations_expiring", ("expires_at",), where="expires_at IS NOT NULL"),
    ],
)
MEMBERS = declare(
    MemberRecord,
    "members",
    indexes=[
        Index("members_by_conversation", ("conversation_id", "seq")),
        Index("members_by_conversation_user", ("conversation_id", "user_id")),
        Index("members_by_user", ("user_id", "seq")),
        Index("members_by_user_state", ("user_id", "state", "seq")),
        # At most one INVITED or JOINED membership per user and conversation; LEFT ones are
        # history.
        Index(
            "members_one_active",
            ("conversation_id", "user_id"),
            unique=True,
            where="state <> 'LEFT'",
        ),
    ],
)
EVENTS = declare(
    EventRecord,
    "events",
    identity=("conversation_id", "id"),
    indexes=[Index("events_by_type", ("conversation_id", "type", "id"))],
    without_rowid=True,
)
LEGS = declare(
    LegRecord,
    "legs",
    identity=("uuid",),
    indexes=[
        Index("legs_by_position", ("position",)),
        Index("legs_by_conversation", ("conversation_id",)),
        Index("legs_by_member", ("member_id",)),
    ],
)
SESSIONS = declare(
    SessionRecord,
    "sessions",
    unique=("session_key",),
    indexes=[Index("sessions_by_user", ("user_id", "seq"))],
)
DELIVERIES = declare(
    DeliveryRecord,
    "deliveries",
    identity=(SEQ,),
    indexes=[
        # The outbox's reads: each conversation's pending head, and what is due soonest.
        Index(
            "deliveries_pending",
            ("conversation_id", "event_id"),
            where="state = 'pending'",
        ),
        # One worker sends every application's deliveries: its schedule spans them.
        Index("deliveries_pending_by_time", ("next_at",), where="state = 'pending'", scoped=False),
    ],
)
DELIVERY_ATTEMPTS = declare(
    DeliveryAttemptRecord,
    "delivery_attempts",
    identity=(SEQ,),
    indexes=[Index("delivery_attempts_by_conversation", ("conversation_id", SEQ))],
)
DELIVERY_TABLES = (DELIVERIES, DELIVERY_ATTEMPTS)
"""The tables schema 3 added (the outbox and its log)."""
