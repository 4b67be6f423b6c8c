"""The embedded storage backend: stdlib ``sqlite3``, in memory or in a file (WAL).

Each transaction is a SQLite transaction; writers open theirs with ``BEGIN IMMEDIATE`` so they
queue for the write lock instead of failing mid-way, which serialises event numbering across
threads and across processes sharing the file. A file database gives each thread its own
connection, so readers never wait for writers; an in-memory database exists only inside its one
connection, so that connection is shared under a lock.

The schema is ``tables``' declarations, created on a new database; ``PRAGMA user_version``
says which schema a file holds, and a file of another one is refused rather than misread.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .base import Transaction
from .sql import SQLTransaction
from .tables import DECLARED, DELIVERY_TABLES, LEGS, META_DDL, POSITION

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

SCHEMA_VERSION = 3
"""2: legs keep a dense ``position`` (keyset ``record_index`` pages) instead of a ``seq``.
3: the outbox (``deliveries``) and its log (``delivery_attempts``).
An older file is brought up to it on opening, one step after the other (``_UPGRADES``)."""

LEGS_V1 = "legs_v1"


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
        with each new connection (to trace or measure queries). A file that is no emulator
        database, or of another schema, is a ValueError naming it."""
        self.path = None if path is None or str(path) == ":memory:" else os.fspath(path)
        self._timeout = timeout
        self._on_connect = on_connect
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._registry_lock = threading.Lock()
        # One in-memory database lives in one connection: every thread shares it, in turn.
        self._shared_lock = threading.Lock() if self.path is None else None
        try:
            self._shared = self._open() if self.path is None else None
            self._migrate()
            self._secret = self._read_secret()
        except sqlite3.DatabaseError as error:
            self.close()
            raise ValueError(f"{self.path}: not an emulator database ({error})") from None
        except ValueError:
            self.close()
            raise

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path or ":memory:",
            timeout=self._timeout,
            isolation_level=None,
            check_same_thread=False,
        )
        with self._registry_lock:
            self._connections.append(connection)
        if self.path is not None:
            connection.execute("PRAGMA journal_mode = WAL")
            # WAL with synchronous=NORMAL is durable against a crashed process, which is
            # what an emulator's restarts need; it skips an fsync per commit.
            connection.execute("PRAGMA synchronous = NORMAL")
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
    def begin(self, write: bool) -> Iterator[sqlite3.Connection]:
        """A raw SQLite transaction on this thread's connection, for the statements the
        ``Transaction`` protocol has no words for (the outbox's, ``outbox.SQLiteOutbox``)."""
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
        with self.begin(write) as connection:
            yield SQLTransaction(connection)

    def _migrate(self) -> None:
        with self.begin(write=True) as connection:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                return
            if 0 < version < SCHEMA_VERSION:
                for upgrade in _UPGRADES[version - 1 :]:
                    upgrade(connection)
            elif version == 0:
                connection.execute(META_DDL)
                for table in DECLARED.values():
                    for statement in table.ddl():
                        connection.execute(statement)
                connection.execute(
                    "INSERT INTO meta (key, value) VALUES ('secret', ?)", (os.urandom(32),)
                )
            else:
                raise ValueError(
                    f"{self.path}: schema version {version}, this emulator knows "
                    f"{SCHEMA_VERSION}; start it on a new file"
                )
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _read_secret(self) -> bytes:
        with self.begin(write=False) as connection:
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


def _legs_by_position(connection: sqlite3.Connection) -> None:
    """Schema 1 to 2: the legs table again, numbered by position in their old ``seq`` order.
    The other tables of schema 1 are those of schema 2."""
    connection.execute(f"ALTER TABLE {LEGS.name} RENAME TO {LEGS_V1}")
    for index in LEGS.indexes:
        connection.execute(f"DROP INDEX IF EXISTS {index.name}")
    for statement in LEGS.ddl():
        connection.execute(statement)
    columns = ", ".join(name for name in LEGS.names if name != POSITION)
    connection.execute(
        f"INSERT INTO {LEGS.name} ({columns}, {POSITION}) "
        f"SELECT {columns}, row_number() OVER (ORDER BY seq) - 1 FROM {LEGS_V1}"
    )
    connection.execute(f"DROP TABLE {LEGS_V1}")


def _outbox_tables(connection: sqlite3.Connection) -> None:
    """Schema 2 to 3: the outbox and its log, empty (events stored before have no delivery)."""
    for table in DELIVERY_TABLES:
        for statement in table.ddl():
            connection.execute(statement)


_UPGRADES: tuple[Callable[[sqlite3.Connection], None], ...] = (_legs_by_position, _outbox_tables)
"""The upgrade from schema n to n + 1 at index n - 1."""
