"""Storage: a page costs the same however large the table grows (keyset paging on indexes),
legs' record_index pages included.

Cost is counted in SQLite virtual-machine instructions, not time: deterministic, and an OFFSET
or a table scan would make it grow with the rows skipped.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest
from vonage_conversation_emulator.storage import (
    ConversationRecord,
    DeliveryRecord,
    EventRecord,
    LegRecord,
    Range,
    SQLiteStore,
    Store,
    Window,
)
from vonage_conversation_emulator.storage.sqlite import SCHEMA_VERSION

APP = "app-storage"


class InstructionCounter:
    """Counts the VM instructions the store's connection runs inside `count()`."""

    def __init__(self) -> None:
        self.connections: list[sqlite3.Connection] = []

    def attach(self, connection: sqlite3.Connection) -> None:
        self.connections.append(connection)

    def count(self, work: Callable[[], Any]) -> int:
        steps = 0

        def step() -> int:
            nonlocal steps
            steps += 1
            return 0

        for connection in self.connections:
            connection.set_progress_handler(step, 1)
        try:
            work()
        finally:
            for connection in self.connections:
                connection.set_progress_handler(None, 1)
        return steps


def _fill(store: Store, conversations: int, events_each: int, start: int) -> None:
    with store.transaction(write=True, application=APP) as tx:
        for index in range(start, start + conversations):
            conversation = tx.insert(
                ConversationRecord(
                    id=f"CON-{index}", name=f"c{index}", created=f"2020-01-01T00:00:{index:06d}Z"
                )
            )
            for event in range(events_each):
                kind = "text" if event % 2 else "custom:x"
                tx.append_event(
                    EventRecord(conversation.id, 0, kind, {}, "2020-01-01T00:00:00.000Z")
                )


def _page_costs(store: Store, counter: InstructionCounter) -> dict[str, int]:
    middle = Window(limit=101, after=(500,))
    backwards = Window(limit=101, descending=True, after=(500,), backward=True)
    dated = Range(at_least="2020-01-01T00:00:000005Z")

    def cost(work: Callable[[Any], Any]) -> int:
        with store.transaction(write=False, application=APP) as tx:
            return counter.count(lambda: work(tx))

    return {
        "events": cost(lambda tx: tx.select(EventRecord, middle, conversation_id="CON-0")),
        "events desc prev": cost(
            lambda tx: tx.select(EventRecord, backwards, conversation_id="CON-0")
        ),
        "events of a type": cost(
            lambda tx: tx.select(EventRecord, middle, conversation_id="CON-0", type="text")
        ),
        "events in a range": cost(
            lambda tx: tx.select(
                EventRecord,
                middle,
                conversation_id="CON-0",
                id=Range(at_least=300, at_most=900),
            )
        ),
        "conversations": cost(
            lambda tx: tx.select(
                ConversationRecord,
                Window(limit=11, after=("2020-01-01T00:00:000006Z", 7)),
                created=dated,
            )
        ),
    }


@pytest.mark.parametrize("backend", ["memory", "file"])
def test_a_page_costs_the_same_at_1k_and_20k_rows(backend: str, tmp_path: Any) -> None:
    counter = InstructionCounter()
    store = SQLiteStore(
        None if backend == "memory" else tmp_path / "big.db", on_connect=counter.attach
    )
    try:
        _fill(store, conversations=1, events_each=1_000, start=0)
        _fill(store, conversations=29, events_each=0, start=1)
        small = _page_costs(store, counter)
        # 20x the events in the conversation paged, 20x the conversations, and 19k events
        # elsewhere: the same page must cost the same.
        with store.transaction(write=True, application=APP) as tx:
            for event in range(19_000):
                kind = "text" if event % 2 else "custom:x"
                tx.append_event(EventRecord("CON-0", 0, kind, {}, "2020-01-01T00:00:00.000Z"))
        _fill(store, conversations=570, events_each=30, start=30)
        large = _page_costs(store, counter)
    finally:
        store.close()
    for name, cost in small.items():
        assert large[name] <= cost * 1.05, (name, cost, large[name])
        assert cost > 0


def _add_legs(store: Store, start: int, stop: int) -> None:
    with store.transaction(write=True, application=APP) as tx:
        for index in range(start, stop):
            tx.insert(LegRecord(f"leg-{index}", "app", "CON-0", "MEM-0", "answered", "t"))


@pytest.mark.parametrize("backend", ["memory", "file"])
def test_a_legs_page_costs_the_same_at_1k_and_20k_legs(backend: str, tmp_path: Any) -> None:
    # listLegs' record_index pages are keyset windows on the legs' dense positions: a page
    # never reads the legs before it. (Counting them is one instruction, whatever the size.)
    counter = InstructionCounter()
    store = SQLiteStore(
        None if backend == "memory" else tmp_path / "legs.db", on_connect=counter.attach
    )

    def cost() -> int:
        with store.transaction(write=False, application=APP) as tx:
            return counter.count(lambda: tx.select(LegRecord, Window(limit=10, after=(899,))))

    try:
        _add_legs(store, 0, 1_000)
        small = cost()
        _add_legs(store, 1_000, 20_000)
        large = cost()
        with store.transaction(write=False, application=APP) as tx:
            assert tx.count(LegRecord) == 20_000
            assert [leg.uuid for leg in tx.select(LegRecord, Window(2, after=(899,)))] == [
                "leg-900",
                "leg-901",
            ]
    finally:
        store.close()
    assert 0 < large <= small * 1.05, (small, large)


def test_deleting_a_leg_closes_the_gap_in_the_positions() -> None:
    store = SQLiteStore(None)
    try:
        _add_legs(store, 0, 5)
        with store.transaction(write=True, application=APP) as tx:
            assert tx.delete(LegRecord, uuid="leg-1") == 1
            assert tx.delete(LegRecord, uuid="leg-1") == 0
            legs = tx.select(LegRecord, Window(10))
            assert [(leg.uuid, leg.position) for leg in legs] == [
                ("leg-0", 0),
                ("leg-2", 1),
                ("leg-3", 2),
                ("leg-4", 3),
            ]
            assert tx.count(LegRecord) == 4
            assert (
                tx.insert(LegRecord("leg-5", "app", "CON-0", "MEM-0", "answered", "t")).position
                == 4
            )
    finally:
        store.close()


LEGS_V1 = """CREATE TABLE legs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL UNIQUE, type TEXT NOT NULL,
    conversation_id TEXT NOT NULL, member_id TEXT NOT NULL, state TEXT NOT NULL,
    from_endpoint TEXT, to_endpoint TEXT, start_time TEXT NOT NULL, end_time TEXT)"""
"""The legs table of schema 1, as the previous release wrote it."""


def _drop_outbox(connection: sqlite3.Connection) -> None:
    """Make a file of today's schema one of before schema 3: no outbox tables."""
    for table in ("deliveries", "delivery_attempts"):
        connection.execute(f"DROP TABLE {table}")


def test_a_schema_2_file_opens_with_an_empty_outbox_and_its_data_kept(tmp_path: Any) -> None:
    path = tmp_path / "v2.db"
    store = SQLiteStore(path)
    with store.transaction(write=True, application=APP) as tx:
        tx.insert(ConversationRecord(id="CON-kept", name="kept", created="t"))
    store.close()
    with sqlite3.connect(path) as old:
        _drop_outbox(old)
        old.execute("PRAGMA user_version = 2")
    old.close()
    store = SQLiteStore(path)
    store.adopt(APP)
    try:
        with store.transaction(write=True, application=APP) as tx:
            assert tx.get(ConversationRecord, id="CON-kept") is not None
            assert tx.count(DeliveryRecord) == 0
            stored = tx.insert(
                DeliveryRecord("CON-kept", 1, "APP", "POST", "http://h/", "{}", "{}", {}, 1.0, 1.0)
            )
        assert stored.seq == 1
    finally:
        store.close()
    with sqlite3.connect(path) as reopened:
        assert reopened.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
    reopened.close()


def test_a_schema_1_file_opens_with_its_legs_numbered_in_their_old_order(tmp_path: Any) -> None:
    path = tmp_path / "v1.db"
    SQLiteStore(path).close()
    with sqlite3.connect(path) as old:
        _drop_outbox(old)
        old.execute("DROP TABLE legs")
        old.execute(LEGS_V1)
        for seq, uuid in ((3, "third"), (1, "first"), (7, "last")):
            old.execute(
                "INSERT INTO legs (seq, uuid, type, conversation_id, member_id, state, "
                "from_endpoint, start_time) VALUES (?, ?, 'app', 'CON-0', 'MEM-0', "
                "'answered', '{\"type\":\"app\"}', 't')",
                (seq, uuid),
            )
        old.execute("PRAGMA user_version = 1")
    old.close()
    store = SQLiteStore(path)
    store.adopt(APP)
    try:
        with store.transaction(write=True, application=APP) as tx:
            legs = tx.select(LegRecord, Window(10))
            added = tx.insert(LegRecord("new", "app", "CON-0", "MEM-0", "answered", "t"))
    finally:
        store.close()
    assert [(leg.uuid, leg.position) for leg in legs] == [("first", 0), ("third", 1), ("last", 2)]
    assert legs[0].from_endpoint == {"type": "app"}
    assert added.position == 3


def test_a_file_that_is_no_emulator_database_is_refused_with_its_name(tmp_path: Any) -> None:
    path = tmp_path / "other.db"
    content = b"not a database at all" * 100
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not an emulator database") as refused:
        SQLiteStore(path)
    assert str(path) in str(refused.value)
    assert path.read_bytes() == content  # nothing written over it


def test_a_file_of_a_newer_schema_is_refused(tmp_path: Any) -> None:
    path = tmp_path / "newer.db"
    with sqlite3.connect(path) as newer:
        newer.execute("PRAGMA user_version = 99")
    newer.close()
    with pytest.raises(ValueError, match="schema version 99, this emulator knows 4"):
        SQLiteStore(path)


def test_new_records_are_numbered_in_order_and_a_record_with_a_seq_keeps_it() -> None:
    # A seq kept on insert is what a restored snapshot needs; new records continue after it.
    store = SQLiteStore(None)
    try:
        with store.transaction(write=True, application=APP) as tx:
            made = [
                tx.insert(ConversationRecord(f"CON-{n}", f"c{n}", "t", seq=seq)).seq
                for n, seq in enumerate((0, 0, 10, 0))
            ]
            listed = [c.id for c in tx.select(ConversationRecord, Window(10))]
    finally:
        store.close()
    assert made == [1, 2, 10, 11]
    assert listed == ["CON-0", "CON-1", "CON-2", "CON-3"]
