"""The embedded storage backend: stdlib ``sqlite3``, in memory or in a file (WAL).

Each transaction is a SQLite transaction; writers open theirs with ``BEGIN IMMEDIATE`` so they
queue for the write lock instead of failing mid-way, which serialises event numbering across
threads and across processes sharing the file. A file database gives each thread its own
connection, so readers never wait for writers; an in-memory database exists only inside its one
connection, so that connection is shared under a lock.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .base import (
    ConversationFilter,
    EventFilter,
    MembershipFilter,
    StorageConflictError,
    Transaction,
    Window,
)
from .records import (
    ConversationRecord,
    EventRecord,
    LegRecord,
    MemberRecord,
    MembershipRecord,
    SessionRecord,
    UserRecord,
)

__all__ = ["SQLiteStore"]

SCHEMA_VERSION = 1
SCHEMA = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)",
    """CREATE TABLE users (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE, display_name TEXT, created TEXT NOT NULL)""",
    """CREATE TABLE conversations (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL UNIQUE, display_name TEXT, image_url TEXT, state TEXT NOT NULL,
        properties TEXT, numbers TEXT NOT NULL, callback TEXT, created TEXT NOT NULL,
        sequence_number INTEGER NOT NULL DEFAULT 0)""",
    "CREATE INDEX conversations_by_created ON conversations (created, seq)",
    """CREATE TABLE members (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL, user_id TEXT NOT NULL, state TEXT NOT NULL,
        created TEXT NOT NULL, channel TEXT NOT NULL, media TEXT, timestamps TEXT NOT NULL,
        initiator TEXT NOT NULL, knocking_id TEXT)""",
    "CREATE INDEX members_by_conversation ON members (conversation_id, seq)",
    "CREATE INDEX members_by_conversation_user ON members (conversation_id, user_id)",
    "CREATE INDEX members_by_user ON members (user_id, seq)",
    "CREATE INDEX members_by_user_state ON members (user_id, state, seq)",
    # At most one INVITED or JOINED membership per user and conversation; LEFT ones are history.
    """CREATE UNIQUE INDEX members_one_active ON members (conversation_id, user_id)
        WHERE state <> 'LEFT'""",
    """CREATE TABLE events (
        conversation_id TEXT NOT NULL, id INTEGER NOT NULL, type TEXT NOT NULL,
        from_member TEXT, to_member TEXT, body TEXT NOT NULL, state TEXT,
        timestamp TEXT NOT NULL, PRIMARY KEY (conversation_id, id)) WITHOUT ROWID""",
    "CREATE INDEX events_by_type ON events (conversation_id, type, id)",
    """CREATE TABLE legs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
        conversation_id TEXT NOT NULL, member_id TEXT NOT NULL, state TEXT NOT NULL,
        from_endpoint TEXT, to_endpoint TEXT, start_time TEXT NOT NULL, end_time TEXT)""",
    "CREATE INDEX legs_by_conversation ON legs (conversation_id)",
    "CREATE INDEX legs_by_member ON legs (member_id)",
    """CREATE TABLE sessions (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL, session_key TEXT NOT NULL UNIQUE, expires_at REAL NOT NULL,
        created TEXT NOT NULL)""",
    "CREATE INDEX sessions_by_user ON sessions (user_id, seq)",
)

_USER = "seq, id, name, display_name, created"
_CONVERSATION = (
    "seq, id, name, display_name, image_url, state, properties, numbers, callback, created, "
    "sequence_number"
)
_MEMBER = (
    "seq, id, conversation_id, user_id, state, created, channel, media, timestamps, initiator, "
    "knocking_id"
)
_EVENT = "conversation_id, id, type, from_member, to_member, body, state, timestamp"
_LEG = (
    "seq, uuid, type, conversation_id, member_id, state, from_endpoint, to_endpoint, "
    "start_time, end_time"
)
_SESSION = "seq, id, user_id, session_key, expires_at, created"


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, separators=(",", ":"))


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _prefixed(columns: str, alias: str) -> str:
    return ", ".join(f"{alias}.{c.strip()} AS {alias}_{c.strip()}" for c in columns.split(","))


def _user(row: sqlite3.Row) -> UserRecord:
    return UserRecord(
        seq=row["seq"],
        id=row["id"],
        name=row["name"],
        display_name=row["display_name"],
        created=row["created"],
    )


def _conversation(row: sqlite3.Row, p: str = "") -> ConversationRecord:
    return ConversationRecord(
        seq=row[p + "seq"],
        id=row[p + "id"],
        name=row[p + "name"],
        display_name=row[p + "display_name"],
        image_url=row[p + "image_url"],
        state=row[p + "state"],
        properties=_load(row[p + "properties"]),
        numbers=_load(row[p + "numbers"]),
        callback=_load(row[p + "callback"]),
        created=row[p + "created"],
        sequence_number=row[p + "sequence_number"],
    )


def _member(row: sqlite3.Row, p: str = "") -> MemberRecord:
    return MemberRecord(
        seq=row[p + "seq"],
        id=row[p + "id"],
        conversation_id=row[p + "conversation_id"],
        user_id=row[p + "user_id"],
        state=row[p + "state"],
        created=row[p + "created"],
        channel=_load(row[p + "channel"]),
        media=_load(row[p + "media"]),
        timestamps=_load(row[p + "timestamps"]),
        initiator=_load(row[p + "initiator"]),
        knocking_id=row[p + "knocking_id"],
    )


def _event(row: sqlite3.Row) -> EventRecord:
    return EventRecord(
        conversation_id=row["conversation_id"],
        id=row["id"],
        type=row["type"],
        from_member=row["from_member"],
        to_member=row["to_member"],
        body=_load(row["body"]),
        state=row["state"],
        timestamp=row["timestamp"],
    )


def _leg(row: sqlite3.Row) -> LegRecord:
    return LegRecord(
        seq=row["seq"],
        uuid=row["uuid"],
        type=row["type"],
        conversation_id=row["conversation_id"],
        member_id=row["member_id"],
        state=row["state"],
        from_endpoint=_load(row["from_endpoint"]),
        to_endpoint=_load(row["to_endpoint"]),
        start_time=row["start_time"],
        end_time=row["end_time"],
    )


def _session(row: sqlite3.Row) -> SessionRecord:
    return SessionRecord(
        seq=row["seq"],
        id=row["id"],
        user_id=row["user_id"],
        session_key=row["session_key"],
        expires_at=row["expires_at"],
        created=row["created"],
    )


class _SQLiteTransaction:
    """The ``Transaction`` protocol over one open SQLite transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def _insert(self, sql: str, args: Sequence[Any]) -> int:
        try:
            cursor = self._db.execute(sql, args)
        except sqlite3.IntegrityError as error:
            raise StorageConflictError(str(error)) from None
        return int(cursor.lastrowid or 0)

    def _window(
        self,
        select: str,
        where: Sequence[str],
        args: Sequence[Any],
        key_columns: Sequence[str],
        window: Window,
    ) -> list[sqlite3.Row]:
        # Keyset paging: a range on the list's index, never OFFSET, so every page costs the same.
        clauses, values = list(where), list(args)
        if window.after is not None:
            operator = "<" if window.scan_descending else ">"
            marks = ", ".join("?" for _ in key_columns)
            clauses.append(f"({', '.join(key_columns)}) {operator} ({marks})")
            values.extend(window.after)
        direction = "DESC" if window.scan_descending else "ASC"
        order = ", ".join(f"{column} {direction}" for column in key_columns)
        sql = f"{select} WHERE {' AND '.join(clauses) or '1'} ORDER BY {order} LIMIT ?"
        return self._db.execute(sql, [*values, window.limit]).fetchall()

    # users
    def insert_user(self, user: UserRecord) -> UserRecord:
        seq = self._insert(
            "INSERT INTO users (id, name, display_name, created) VALUES (?, ?, ?, ?)",
            (user.id, user.name, user.display_name, user.created),
        )
        return UserRecord(user.id, user.name, user.display_name, user.created, seq)

    def user(self, user_id: str) -> UserRecord | None:
        row = self._db.execute(f"SELECT {_USER} FROM users WHERE id = ?", (user_id,)).fetchone()
        return None if row is None else _user(row)

    def user_by_name(self, name: str) -> UserRecord | None:
        row = self._db.execute(f"SELECT {_USER} FROM users WHERE name = ?", (name,)).fetchone()
        return None if row is None else _user(row)

    def users_by_id(self, user_ids: Sequence[str]) -> dict[str, UserRecord]:
        ids = sorted(set(user_ids))
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = self._db.execute(f"SELECT {_USER} FROM users WHERE id IN ({marks})", ids)
        return {row["id"]: _user(row) for row in rows}

    def list_users(self, window: Window) -> list[UserRecord]:
        rows = self._window(f"SELECT {_USER} FROM users", [], [], ["seq"], window)
        return [_user(row) for row in rows]

    # conversations
    def insert_conversation(self, conversation: ConversationRecord) -> ConversationRecord:
        c = conversation
        seq = self._insert(
            "INSERT INTO conversations (id, name, display_name, image_url, state, properties, "
            "numbers, callback, created, sequence_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                c.id,
                c.name,
                c.display_name,
                c.image_url,
                c.state,
                _dump(c.properties),
                _dump(c.numbers),
                _dump(c.callback),
                c.created,
                c.sequence_number,
            ),
        )
        return self._require_conversation(c.id, seq)

    def _require_conversation(self, conversation_id: str, seq: int) -> ConversationRecord:
        stored = self.conversation(conversation_id)
        if stored is None or stored.seq != seq:
            raise StorageConflictError(f"conversation {conversation_id} vanished")
        return stored

    def conversation(self, conversation_id: str) -> ConversationRecord | None:
        row = self._db.execute(
            f"SELECT {_CONVERSATION} FROM conversations WHERE id = ?", (conversation_id,)
        ).fetchone()
        return None if row is None else _conversation(row)

    def conversation_by_name(self, name: str) -> ConversationRecord | None:
        row = self._db.execute(
            f"SELECT {_CONVERSATION} FROM conversations WHERE name = ?", (name,)
        ).fetchone()
        return None if row is None else _conversation(row)

    def update_conversation(self, conversation: ConversationRecord) -> None:
        c = conversation
        try:
            self._db.execute(
                "UPDATE conversations SET name = ?, display_name = ?, image_url = ?, state = ?, "
                "properties = ?, numbers = ?, callback = ? WHERE id = ?",
                (
                    c.name,
                    c.display_name,
                    c.image_url,
                    c.state,
                    _dump(c.properties),
                    _dump(c.numbers),
                    _dump(c.callback),
                    c.id,
                ),
            )
        except sqlite3.IntegrityError as error:
            raise StorageConflictError(str(error)) from None

    def delete_conversation(self, conversation_id: str) -> bool:
        deleted = self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        if deleted.rowcount == 0:
            return False
        self._db.execute("DELETE FROM members WHERE conversation_id = ?", (conversation_id,))
        self._db.execute("DELETE FROM events WHERE conversation_id = ?", (conversation_id,))
        return True

    def list_conversations(
        self, where: ConversationFilter, window: Window
    ) -> list[ConversationRecord]:
        clauses: list[str] = []
        args: list[Any] = []
        if where.date_start is not None:
            clauses.append("created >= ?")
            args.append(where.date_start)
        if where.date_end is not None:
            clauses.append("created < ?")
            args.append(where.date_end)
        rows = self._window(
            f"SELECT {_CONVERSATION} FROM conversations",
            clauses,
            args,
            ["created", "seq"],
            window,
        )
        return [_conversation(row) for row in rows]

    # members
    def insert_member(self, member: MemberRecord) -> MemberRecord:
        m = member
        seq = self._insert(
            "INSERT INTO members (id, conversation_id, user_id, state, created, channel, media, "
            "timestamps, initiator, knocking_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                m.id,
                m.conversation_id,
                m.user_id,
                m.state,
                m.created,
                _dump(m.channel),
                _dump(m.media),
                _dump(m.timestamps),
                _dump(m.initiator),
                m.knocking_id,
            ),
        )
        stored = self.member(m.conversation_id, m.id)
        if stored is None or stored.seq != seq:
            raise StorageConflictError(f"member {m.id} vanished")
        return stored

    def member(self, conversation_id: str, member_id: str) -> MemberRecord | None:
        row = self._db.execute(
            f"SELECT {_MEMBER} FROM members WHERE id = ? AND conversation_id = ?",
            (member_id, conversation_id),
        ).fetchone()
        return None if row is None else _member(row)

    def member_of_user(self, conversation_id: str, user_id: str) -> MemberRecord | None:
        row = self._db.execute(
            f"SELECT {_MEMBER} FROM members WHERE conversation_id = ? AND user_id = ? "
            "ORDER BY state = 'LEFT', seq DESC LIMIT 1",
            (conversation_id, user_id),
        ).fetchone()
        return None if row is None else _member(row)

    def update_member(self, member: MemberRecord) -> None:
        m = member
        try:
            self._db.execute(
                "UPDATE members SET state = ?, channel = ?, media = ?, timestamps = ?, "
                "initiator = ? WHERE id = ?",
                (
                    m.state,
                    _dump(m.channel),
                    _dump(m.media),
                    _dump(m.timestamps),
                    _dump(m.initiator),
                    m.id,
                ),
            )
        except sqlite3.IntegrityError as error:
            raise StorageConflictError(str(error)) from None

    def list_members(self, conversation_id: str, window: Window) -> list[MemberRecord]:
        rows = self._window(
            f"SELECT {_MEMBER} FROM members",
            ["conversation_id = ?"],
            [conversation_id],
            ["seq"],
            window,
        )
        return [_member(row) for row in rows]

    def list_memberships(self, where: MembershipFilter, window: Window) -> list[MembershipRecord]:
        clauses, args = ["m.user_id = ?"], [where.user_id]
        if where.state is not None:
            clauses.append("m.state = ?")
            args.append(where.state)
        if where.date_start is not None:
            clauses.append("c.created >= ?")
            args.append(where.date_start)
        select = (
            f"SELECT {_prefixed(_MEMBER, 'm')}, {_prefixed(_CONVERSATION, 'c')} "
            "FROM members AS m JOIN conversations AS c ON c.id = m.conversation_id"
        )
        rows = self._window(select, clauses, args, ["m.seq"], window)
        return [MembershipRecord(_member(row, "m_"), _conversation(row, "c_")) for row in rows]

    # events
    def append_event(self, event: EventRecord) -> EventRecord:
        # Numbering and insert share the write transaction, so ids never repeat or skip.
        row = self._db.execute(
            "UPDATE conversations SET sequence_number = sequence_number + 1 WHERE id = ? "
            "RETURNING sequence_number",
            (event.conversation_id,),
        ).fetchone()
        if row is None:
            raise StorageConflictError(f"conversation {event.conversation_id} does not exist")
        e = event
        self._insert(
            "INSERT INTO events (conversation_id, id, type, from_member, to_member, body, state, "
            "timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                e.conversation_id,
                row[0],
                e.type,
                e.from_member,
                e.to_member,
                _dump(e.body),
                e.state,
                e.timestamp,
            ),
        )
        return EventRecord(
            conversation_id=e.conversation_id,
            id=int(row[0]),
            type=e.type,
            body=e.body,
            timestamp=e.timestamp,
            from_member=e.from_member,
            to_member=e.to_member,
            state=e.state,
        )

    def event(self, conversation_id: str, event_id: int) -> EventRecord | None:
        row = self._db.execute(
            f"SELECT {_EVENT} FROM events WHERE conversation_id = ? AND id = ?",
            (conversation_id, event_id),
        ).fetchone()
        return None if row is None else _event(row)

    def delete_event(self, conversation_id: str, event_id: int) -> bool:
        deleted = self._db.execute(
            "DELETE FROM events WHERE conversation_id = ? AND id = ?", (conversation_id, event_id)
        )
        return deleted.rowcount > 0

    def list_events(
        self, conversation_id: str, where: EventFilter, window: Window
    ) -> list[EventRecord]:
        clauses: list[str] = ["conversation_id = ?"]
        args: list[Any] = [conversation_id]
        if where.event_type is not None:
            clauses.append("type = ?")
            args.append(where.event_type)
        if where.start_id is not None:
            clauses.append("id >= ?")
            args.append(where.start_id)
        if where.end_id is not None:
            clauses.append("id <= ?")
            args.append(where.end_id)
        rows = self._window(f"SELECT {_EVENT} FROM events", clauses, args, ["id"], window)
        return [_event(row) for row in rows]

    # legs
    def insert_leg(self, leg: LegRecord) -> LegRecord:
        g = leg
        seq = self._insert(
            "INSERT INTO legs (uuid, type, conversation_id, member_id, state, from_endpoint, "
            "to_endpoint, start_time, end_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                g.uuid,
                g.type,
                g.conversation_id,
                g.member_id,
                g.state,
                _dump(g.from_endpoint),
                _dump(g.to_endpoint),
                g.start_time,
                g.end_time,
            ),
        )
        stored = self.leg(g.uuid)
        if stored is None or stored.seq != seq:
            raise StorageConflictError(f"leg {g.uuid} vanished")
        return stored

    def leg(self, leg_uuid: str) -> LegRecord | None:
        row = self._db.execute(f"SELECT {_LEG} FROM legs WHERE uuid = ?", (leg_uuid,)).fetchone()
        return None if row is None else _leg(row)

    def end_legs(
        self, at: str, *, conversation_id: str | None = None, member_id: str | None = None
    ) -> int:
        column, value = (
            ("conversation_id", conversation_id)
            if conversation_id is not None
            else ("member_id", member_id)
        )
        ended = self._db.execute(
            "UPDATE legs SET state = 'terminated', end_time = ? "
            f"WHERE {column} = ? AND end_time IS NULL",
            (at, value),
        )
        return ended.rowcount

    def delete_leg(self, leg_uuid: str) -> bool:
        return self._db.execute("DELETE FROM legs WHERE uuid = ?", (leg_uuid,)).rowcount > 0

    def count_legs(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM legs").fetchone()[0])

    def list_legs(self, offset: int, limit: int) -> list[LegRecord]:
        rows = self._db.execute(
            f"SELECT {_LEG} FROM legs ORDER BY seq LIMIT ? OFFSET ?", (limit, offset)
        )
        return [_leg(row) for row in rows]

    # sessions
    def insert_session(self, session: SessionRecord) -> None:
        s = session
        self._db.execute(
            "INSERT INTO sessions (id, user_id, session_key, expires_at, created) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (session_key) DO NOTHING",
            (s.id, s.user_id, s.session_key, s.expires_at, s.created),
        )

    def list_sessions(self, user_id: str, now: float, window: Window) -> list[SessionRecord]:
        rows = self._window(
            f"SELECT {_SESSION} FROM sessions",
            ["user_id = ?", "expires_at > ?"],
            [user_id, now],
            ["seq"],
            window,
        )
        return [_session(row) for row in rows]


class SQLiteStore:
    """The ``Store`` protocol over SQLite. ``path`` None (or ``":memory:"``) keeps the data in
    memory for this process only; a file path keeps it across restarts and shares it with
    other processes opening the same file."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        timeout: float = 30.0,
        on_connect: Callable[[sqlite3.Connection], None] | None = None,
    ) -> None:
        """``timeout``: how long a writer waits for the write lock. ``on_connect`` is called
        with each new connection (to trace or measure queries)."""
        self.path = None if path is None or str(path) == ":memory:" else os.fspath(path)
        self._timeout = timeout
        self._on_connect = on_connect
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._registry_lock = threading.Lock()
        # One in-memory database lives in one connection: every thread shares it, in turn.
        self._shared_lock = threading.Lock() if self.path is None else None
        self._shared = self._open() if self.path is None else None
        self._migrate()
        self._secret = self._read_secret()

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path or ":memory:",
            timeout=self._timeout,
            isolation_level=None,
            check_same_thread=False,
        )
        connection.row_factory = sqlite3.Row
        if self.path is not None:
            connection.execute("PRAGMA journal_mode = WAL")
            # WAL with synchronous=NORMAL is durable against a crashed process, which is
            # what an emulator's restarts need; it skips an fsync per commit.
            connection.execute("PRAGMA synchronous = NORMAL")
        with self._registry_lock:
            self._connections.append(connection)
        if self._on_connect is not None:
            self._on_connect(connection)
        return connection

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        if self._shared is not None and self._shared_lock is not None:
            with self._shared_lock:
                yield self._shared
            return
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._open()
        yield connection

    @contextmanager
    def _begin(self, write: bool) -> Iterator[sqlite3.Connection]:
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield connection
            except BaseException:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Transaction]:
        """One transaction (see ``Store.transaction``)."""
        with self._begin(write) as connection:
            yield _SQLiteTransaction(connection)

    def _migrate(self) -> None:
        with self._begin(write=True) as connection:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                return
            if version != 0:
                raise RuntimeError(
                    f"{self.path}: schema version {version}, this emulator knows {SCHEMA_VERSION}"
                )
            for statement in SCHEMA:
                connection.execute(statement)
            connection.execute(
                "INSERT INTO meta (key, value) VALUES ('secret', ?)", (os.urandom(32),)
            )
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _read_secret(self) -> bytes:
        with self._begin(write=False) as connection:
            row = connection.execute("SELECT value FROM meta WHERE key = 'secret'").fetchone()
        return bytes(row[0])

    def secret(self) -> bytes:
        """The cursor-signing key stored with the data."""
        return self._secret

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._registry_lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
