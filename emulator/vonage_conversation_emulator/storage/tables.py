"""The tables, as SQLAlchemy Core ``Table``s derived from the record types: one declaration each.

A record's fields are its table's columns, in order, typed from their annotations (``str``
text, ``int`` integer, ``float`` real, a dict JSON text; ``| None`` nullable). ``declare`` adds
what a record cannot say: the table's name, which fields name one row (``identity``), which are
unique and which indexes serve its lists. Everything else (the DDL, select lists, row mapping,
inserts, updates, paging keys) is derived from these by ``sql``, for any database SQLAlchemy
speaks; ``sqlite`` only opens the file.

A table of a record with a ``seq`` field has it as its auto-incremented primary key; a
``position`` field is a dense ordinal (0, 1, 2... without gaps) kept by inserts and deletes.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    Column,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

from .records import (
    ConversationRecord,
    EventRecord,
    LegRecord,
    MemberRecord,
    Record,
    SessionRecord,
    UserRecord,
)

__all__ = ["DECLARED", "META", "METADATA", "Declared", "declared"]

R = TypeVar("R", bound=Record)

SEQ, POSITION = "seq", "position"


class JSONText(TypeDecorator[Any]):
    """A JSON document in a text column, written compactly (the same text on every backend)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """To the column."""
        return None if value is None else json.dumps(value, separators=(",", ":"))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        """From the column."""
        return None if value is None else json.loads(value)


_SCALARS: Mapping[type, type[TypeEngine[Any]]] = {str: Text, int: Integer, float: Float}


def _column(name: str, hint: Any, primary: bool, unique: bool) -> Column[Any]:
    options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    nullable = isinstance(hint, types.UnionType) and len(options) < len(typing.get_args(hint))
    base = options[0] if nullable else hint
    kind = typing.get_origin(base) or base
    column_type: TypeEngine[Any] | type[TypeEngine[Any]] = (
        JSONText() if kind in (dict, list) else _SCALARS[kind]
    )
    return Column(name, column_type, primary_key=primary, nullable=nullable, unique=unique)


@dataclass(frozen=True, eq=False)
class Declared(Generic[R]):
    """A record type bound to its table (one per table: compared and hashed by identity)."""

    record: type[R]
    table: Table
    identity: tuple[str, ...]
    """The fields naming one row (what ``update`` finds a record by)."""

    def from_row(self, row: Sequence[Any]) -> R:
        """The record a row of ``table``'s columns holds."""
        build: Callable[..., R] = self.record
        return build(*row)

    @property
    def generated(self) -> str | None:
        """The field the backend numbers on insert (``seq`` or ``position``), if any."""
        names = self.table.c.keys()
        return next((name for name in (SEQ, POSITION) if name in names), None)


METADATA = MetaData()

META = Table(
    "meta",
    METADATA,
    Column("key", Text, primary_key=True),
    Column("value", LargeBinary, nullable=False),
)
"""What the store keeps about itself (the cursor-signing ``secret``)."""

DECLARED: dict[type[Record], Declared[Any]] = {}


def declare(
    record: type[R],
    name: str,
    *,
    identity: Sequence[str] = ("id",),
    unique: Sequence[str] = (),
    indexes: Mapping[str, Sequence[str]] = {},
    **options: Any,
) -> Declared[R]:
    """Declare ``record``'s table: its columns are the record's fields."""
    hints = typing.get_type_hints(record)
    names = [f.name for f in dataclasses.fields(record)]  # type: ignore[arg-type]
    primary = (SEQ,) if SEQ in names else tuple(identity)
    columns = [
        _column(n, hints[n], n in primary, n not in primary and (n in unique or n in identity))
        for n in names
    ]
    if SEQ in names:
        options.setdefault("sqlite_autoincrement", True)
    table = Table(name, METADATA, *columns, **options)
    for index_name, fields in indexes.items():
        Index(index_name, *(table.c[f] for f in fields))
    declared = Declared(record, table, tuple(identity))
    DECLARED[record] = declared
    return declared


def declared(kind: type[R]) -> Declared[R]:
    """The declaration of a record type's table."""
    found: Declared[R] = DECLARED[kind]
    return found


USERS = declare(UserRecord, "users", unique=("name",))
CONVERSATIONS = declare(
    ConversationRecord,
    "conversations",
    unique=("name",),
    indexes={"conversations_by_created": ("created", "seq")},
)
MEMBERS = declare(
    MemberRecord,
    "members",
    indexes={
        "members_by_conversation": ("conversation_id", "seq"),
        "members_by_conversation_user": ("conversation_id", "user_id"),
        "members_by_user": ("user_id", "seq"),
        "members_by_user_state": ("user_id", "state", "seq"),
    },
)
# At most one INVITED or JOINED membership per user and conversation; LEFT ones are history.
_ACTIVE = MEMBERS.table.c.state != "LEFT"
Index(
    "members_one_active",
    MEMBERS.table.c.conversation_id,
    MEMBERS.table.c.user_id,
    unique=True,
    sqlite_where=_ACTIVE,
    postgresql_where=_ACTIVE,
)
EVENTS = declare(
    EventRecord,
    "events",
    identity=("conversation_id", "id"),
    indexes={"events_by_type": ("conversation_id", "type", "id")},
    sqlite_with_rowid=False,
)
LEGS = declare(
    LegRecord,
    "legs",
    identity=("uuid",),
    indexes={
        "legs_by_position": ("position",),
        "legs_by_conversation": ("conversation_id",),
        "legs_by_member": ("member_id",),
    },
)
SESSIONS = declare(
    SessionRecord,
    "sessions",
    unique=("session_key",),
    indexes={"sessions_by_user": ("user_id", "seq")},
)
