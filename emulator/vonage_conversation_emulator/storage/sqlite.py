"""The embedded storage backend: SQLite through SQLAlchemy, in memory or in a file (WAL).

Each transaction is a SQLite transaction; writers open theirs with ``BEGIN IMMEDIATE`` so they
queue for the write lock instead of failing mid-way, which serialises event numbering across
threads and across processes sharing the file. A file database gives each thread a pooled
connection of its own, so readers never wait for writers; an in-memory database exists only
inside its one connection, so that connection is shared under a lock.

The schema is ``tables``' declarations, created on a new database; ``PRAGMA user_version``
says which schema a file holds, and a file of another one is refused rather than misread.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, insert, select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.pool import StaticPool

from .base import Transaction
from .sql import SQLTransaction
from .tables import LEGS, META, METADATA

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

SCHEMA_VERSION = 2
"""2: legs keep a dense ``position`` (keyset ``record_index`` pages) instead of a ``seq``.
A version 1 file is brought up to it on opening (``_legs_by_position``)."""

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
        with each new connection (to trace or measure queries)."""
        self.path = None if path is None or str(path) == ":memory:" else os.fspath(path)
        self._on_connect = on_connect
        arguments: dict[str, Any] = {"timeout": timeout, "check_same_thread": False}
        if self.path is None:
            # One in-memory database lives in one connection: every thread shares it, in turn.
            self._engine: Engine = create_engine(
                "sqlite://", poolclass=StaticPool, connect_args=arguments
            )
        else:
            self._engine = create_engine(
                f"sqlite:///{self.path}", connect_args=arguments, pool_size=8, max_overflow=-1
            )
        self._shared_lock = threading.Lock() if self.path is None else None
        event.listen(self._engine, "connect", self._connected)
        try:
            self._migrate()
            self._secret = self._read_secret()
        except DatabaseError as error:
            self._engine.dispose()
            raise ValueError(f"{self.path}: not an emulator database ({error.orig})") from None
        except ValueError:
            self._engine.dispose()
            raise

    def _connected(self, connection: sqlite3.Connection, _record: Any) -> None:
        # Transactions are begun by hand (BEGIN / BEGIN IMMEDIATE), not by the driver.
        connection.isolation_level = None
        if self.path is not None:
            connection.execute("PRAGMA journal_mode = WAL")
            # WAL with synchronous=NORMAL is durable against a crashed process, which is
            # what an emulator's restarts need; it skips an fsync per commit.
            connection.execute("PRAGMA synchronous = NORMAL")
        if self._on_connect is not None:
            self._on_connect(connection)

    @contextmanager
    def _begin(self, write: bool) -> Iterator[Connection]:
        with self._shared_lock or nullcontext(), self._engine.connect() as connection:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield connection
            except BaseException:
                connection.rollback()
                raise
            connection.commit()

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Transaction]:
        """One transaction (see ``Store.transaction``)."""
        with self._begin(write) as connection:
            yield SQLTransaction(connection)

    def _migrate(self) -> None:
        with self._begin(write=True) as connection:
            version = connection.exec_driver_sql("PRAGMA user_version").scalar_one()
            if version == SCHEMA_VERSION:
                return
            if version == 1:
                _legs_by_position(connection)
            elif version == 0:
                METADATA.create_all(connection)
                connection.execute(insert(META).values(key="secret", value=os.urandom(32)))
            else:
                raise ValueError(
                    f"{self.path}: schema version {version}, this emulator knows "
                    f"{SCHEMA_VERSION}; start it on a new file"
                )
            connection.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _read_secret(self) -> bytes:
        with self._begin(write=False) as connection:
            value = connection.execute(select(META.c.value).where(META.c.key == "secret"))
            return bytes(value.scalar_one())

    def secret(self) -> bytes:
        """The cursor-signing key stored with the data."""
        return self._secret

    def close(self) -> None:
        """Close every connection this store opened."""
        self._engine.dispose()


def _legs_by_position(connection: Connection) -> None:
    """Schema 1 to 2: the legs table again, numbered by position in their old ``seq`` order.
    The other tables of schema 1 are those of schema 2."""
    connection.exec_driver_sql(f"ALTER TABLE legs RENAME TO {LEGS_V1}")
    for index in LEGS.table.indexes:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
    LEGS.table.create(connection)
    copied = [column.name for column in LEGS.table.c if column.name != "position"]
    columns = ", ".join(copied)
    connection.exec_driver_sql(
        f"INSERT INTO legs ({columns}, position) "
        f"SELECT {columns}, row_number() OVER (ORDER BY seq) - 1 FROM {LEGS_V1}"
    )
    connection.exec_driver_sql(f"DROP TABLE {LEGS_V1}")
