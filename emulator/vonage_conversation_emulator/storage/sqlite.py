"""The embedded storage backend: stdlib ``sqlite3``, in memory or in a file (WAL).

Each transaction is a SQLite transaction; writers open theirs with ``BEGIN IMMEDIATE`` so they
queue for the write lock instead of failing mid-way, which serialises event numbering across
threads and across processes sharing the file. A file database gives each thread its own
connection, so readers never wait for writers; an in-memory database exists only inside its one
connection, so that connection is shared under a lock.

The schema is ``tables``' declarations, created on a new database; ``PRAGMA user_version``
says which schema a file holds, and a file of another one is refused rather than misread.
A transaction is one application's (``transaction(application=...)``); one database holds any
number of applications, each seeing only its own rows.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from .base import Transaction
from .sql import SQLTransaction
from .tables import DECLARED, DELIVERY_TABLES, LEGS, META_DDL, POSITION, SCOPE, Table

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

SCHEMA_VERSION = 4
"""2: legs keep a dense ``position`` (keyset ``record_index`` pages) instead of a ``seq``.
3: the outbox (``deliveries``) and its log (``delivery_attempts``).
4: every table scoped by ``application_id`` (rows of an older file get "", for ``adopt``).
An older file is brought up to it on opening, one step after the other (``_UPGRADES``)."""

UNADOPTED = ""
"""The application of the rows an upgrade brought from a file older than schema 4."""


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
        with each new connection (to trace or measure queries). A path that cannot hold the
        database (a directory, a missing or unwritable folder, an unwritable file), or a file
        that is no emulator database, or of another schema, is a ValueError naming it."""
        self.path = None if path is None or str(path) == ":memory:" else os.fspath(path)
        if self.path is not None:
            _check_usable(self.path)
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
        except sqlite3.OperationalError as error:
            self.close()
            raise ValueError(f"{self.path}: cannot be used ({error})") from None
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
    def transaction(self, *, write: bool, application: str) -> Iterator[Transaction]:
        """One transaction of ``application`` (see ``Store.transaction``)."""
        with self.begin(write) as connection:
            yield SQLTransaction(connection, application)

    def adopt(self, application_id: str) -> int:
        """Give ``application_id`` every row an upgrade brought from a file older than schema
        4 (those of no application), so such a file keeps its data for the application it is
        started with; how many rows moved (0 once adopted). ValueError when the application
        has rows of the same names already."""
        moved = 0
        with self.begin(write=True) as connection:
            for table in DECLARED.values():
                try:
                    moved += connection.execute(
                        f"UPDATE {table.name} SET {SCOPE} = ? WHERE {SCOPE} = ?",
                        (application_id, UNADOPTED),
                    ).rowcount
                except sqlite3.IntegrityError as error:
                    raise ValueError(
                        f"{self.path}: the rows of no application cannot become "
                        f"{application_id!r}'s ({error})"
                    ) from None
        return moved

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


def _check_usable(path: str) -> None:
    """ValueError naming what keeps ``path`` from holding a database (SQLite would only say
    "unable to open database file")."""
    folder = os.path.dirname(path) or "."
    if os.path.isdir(path):
        raise ValueError(f"{path}: is a directory, not a database file")
    if not os.path.exists(folder):
        raise ValueError(f"{path}: the folder {folder} does not exist")
    if not os.path.isdir(folder):
        raise ValueError(f"{path}: {folder} is not a folder")
    if os.path.exists(path):
        if not os.access(path, os.R_OK | os.W_OK):
            raise ValueError(f"{path}: cannot be read and written")
    elif not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"{path}: no file can be made in {folder}")


def _rebuild(
    connection: sqlite3.Connection, table: Table[Any], computed: Mapping[str, str] = {}
) -> None:
    """Make ``table`` again from its declaration, keeping its rows: the columns the old and
    the new table share are copied, ``computed`` gives new columns from the old ones (SQL),
    a new ``application_id`` is ``UNADOPTED`` and any other new column null."""
    old = f"{table.name}_old"
    kept = {row[1] for row in connection.execute(f"PRAGMA table_info({table.name})")}
    connection.execute(f"ALTER TABLE {table.name} RENAME TO {old}")
    # Index names are the schema's, not the table's: the old ones go before the new ones come.
    indexes = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (old,),
    ).fetchall()
    for (index,) in indexes:
        connection.execute(f"DROP INDEX {index}")
    for statement in table.ddl():
        connection.execute(statement)
    values = {name: name for name in table.names if name in kept}
    if SCOPE not in kept:
        values[SCOPE] = f"'{UNADOPTED}'"
    values.update(computed)
    connection.execute(
        f"INSERT INTO {table.name} ({', '.join(values)}) "
        f"SELECT {', '.join(values.values())} FROM {old}"
    )
    connection.execute(f"DROP TABLE {old}")


def _legs_by_position(connection: sqlite3.Connection) -> None:
    """Schema 1 to 2: the legs table again, numbered by position in their old ``seq`` order.
    The other tables of schema 1 are those of schema 2."""
    _rebuild(connection, LEGS, {POSITION: "row_number() OVER (ORDER BY seq) - 1"})


def _outbox_tables(connection: sqlite3.Connection) -> None:
    """Schema 2 to 3: the outbox and its log, empty (events stored before have no delivery)."""
    for table in DELIVERY_TABLES:
        for statement in table.ddl():
            connection.execute(statement)


def _scoped_tables(connection: sqlite3.Connection) -> None:
    """Schema 3 to 4: every table again from its declaration (scoped by application), its
    rows kept as rows of no application until ``SQLiteStore.adopt`` (a delivery's too: it
    goes with its conversation)."""
    for table in DECLARED.values():
        _rebuild(connection, table, {SCOPE: f"'{UNADOPTED}'"})


_UPGRADES: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _legs_by_position,
    _outbox_tables,
    _scoped_tables,
)
"""The upgrade from schema n to n + 1 at index n - 1."""
