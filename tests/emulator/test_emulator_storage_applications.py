"""Storage scoped by application: one database, any number of applications, each seeing,
numbering and changing only its own records; and a schema 3 file (before applications)
upgraded, its rows kept for the application it is adopted by."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from emulator_support import write_schema_3_file
from vonage_conversation_emulator.storage import (
    ConversationRecord,
    DeliveryAttemptRecord,
    DeliveryRecord,
    EventRecord,
    LegRecord,
    MemberRecord,
    SessionRecord,
    SQLiteOutbox,
    SQLiteStore,
    StorageConflictError,
    UserRecord,
    Window,
)
from vonage_conversation_emulator.storage.sqlite import SCHEMA_VERSION

A, B = "app-a", "app-b"
T0 = "2020-01-01T00:00:00.000Z"


@pytest.fixture
def store() -> Iterator[SQLiteStore]:
    made = SQLiteStore(None)
    try:
        yield made
    finally:
        made.close()


def _leg(uuid: str) -> LegRecord:
    return LegRecord(uuid, "app", "CON-1", "MEM-1", "answered", "t")


def test_each_application_numbers_its_own_records(store: SQLiteStore) -> None:
    seqs: dict[str, list[int]] = {A: [], B: []}
    for n, application in enumerate((A, B, A, B, B)):
        with store.transaction(write=True, application=application) as tx:
            made = tx.insert(ConversationRecord(f"CON-{n}", f"c{n}", "t"))
        assert made.application_id == application
        seqs[application].append(made.seq)
    assert seqs == {A: [1, 2], B: [1, 2, 3]}
    with store.transaction(write=True, application=A) as tx:
        # A restored record keeps its seq; the next new one follows it, in its application.
        assert tx.insert(ConversationRecord("CON-r", "r", "t", seq=40)).seq == 40
        assert tx.insert(ConversationRecord("CON-s", "s", "t")).seq == 41
        assert tx.count(ConversationRecord) == 4
    with store.transaction(write=True, application=B) as tx:
        assert tx.insert(ConversationRecord("CON-t", "t", "t")).seq == 4
        assert tx.count(ConversationRecord) == 4


def test_positions_are_dense_within_each_application(store: SQLiteStore) -> None:
    for application in (A, B):
        with store.transaction(write=True, application=application) as tx:
            assert [tx.insert(_leg(f"{application}-{n}")).position for n in range(3)] == [0, 1, 2]
    with store.transaction(write=True, application=A) as tx:
        assert tx.delete(LegRecord, uuid=f"{A}-0") == 1
        assert [leg.position for leg in tx.select(LegRecord, Window(10))] == [0, 1]
    with store.transaction(write=False, application=B) as tx:
        legs = tx.select(LegRecord, Window(10))
    assert [(leg.uuid, leg.position) for leg in legs] == [(f"{B}-{n}", n) for n in range(3)]


def test_names_are_unique_within_an_application_only(store: SQLiteStore) -> None:
    for application in (A, B):
        with store.transaction(write=True, application=application) as tx:
            tx.insert(UserRecord(f"USR-{application}", "alice", None, "t"))
    with pytest.raises(StorageConflictError), store.transaction(write=True, application=A) as tx:
        tx.insert(UserRecord("USR-again", "alice", None, "t"))


def test_the_same_ids_in_two_applications_are_two_records(store: SQLiteStore) -> None:
    # Ids are made unique (uuids), but a record is named by its application and its id: even
    # the same id in two applications is two records, each changed only by its own.
    for application in (A, B):
        with store.transaction(write=True, application=application) as tx:
            conversation = tx.insert(ConversationRecord("CON-1", f"name-{application}", "t"))
            tx.insert(UserRecord("USR-1", "alice", None, "t"))
            tx.insert(MemberRecord("MEM-1", "CON-1", "USR-1", "JOINED", "t"))
            tx.append_event(EventRecord("CON-1", 0, "text", {}, "t"))
    with store.transaction(write=True, application=B) as tx:
        assert tx.append_event(EventRecord("CON-1", 0, "text", {}, "t")).id == 2
        tx.update(conversation, display_name="changed")
        assert tx.update_where(MemberRecord, {"id": "MEM-1"}, state="LEFT") == 1
        assert tx.delete(EventRecord, conversation_id="CON-1", id=1) == 1
    with store.transaction(write=False, application=A) as tx:
        found = tx.get(ConversationRecord, id="CON-1")
        assert found is not None
        assert (found.name, found.display_name, found.sequence_number) == ("name-app-a", None, 1)
        assert [m.state for m in tx.select(MemberRecord, conversation_id="CON-1")] == ["JOINED"]
        assert [e.id for e in tx.select(EventRecord, conversation_id="CON-1")] == [1]
        (membership,) = tx.memberships("USR-1", Window(10), state=None, since=None)
        assert membership.conversation.name == "name-app-a"
    with store.transaction(write=False, application=B) as tx:
        (membership,) = tx.memberships("USR-1", Window(10), state=None, since=None)
        assert (membership.conversation.name, membership.member.state) == ("name-app-b", "LEFT")
        assert tx.get(ConversationRecord, id="CON-1", display_name="changed") is not None


def test_a_schema_3_file_keeps_its_data_for_the_application_that_adopts_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v3.db"
    write_schema_3_file(path)
    store = SQLiteStore(path)
    try:
        assert store.secret() == b"s" * 32
        with store.transaction(write=False, application=A) as tx:
            assert tx.count(ConversationRecord) == 0  # not A's until adopted
        assert store.adopt(A) == 8  # one row of each table
        assert store.adopt(A) == 0
        with store.transaction(write=True, application=A) as tx:
            user = tx.get(UserRecord, name="alice")
            conversation = tx.get(ConversationRecord, id="CON-old")
            (member,) = tx.select(MemberRecord, conversation_id="CON-old")
            (event,) = tx.select(EventRecord, conversation_id="CON-old")
            (leg,) = tx.select(LegRecord, Window(10))
            (session,) = tx.select(SessionRecord, user_id="USR-old")
            (attempt,) = tx.select(DeliveryAttemptRecord, conversation_id="CON-old")
            assert tx.append_event(EventRecord("CON-old", 0, "text", {}, "t")).id == 2
            assert tx.insert(UserRecord("USR-new", "bob", None, "t")).seq == 6
            assert tx.insert(_leg("leg-new")).position == 1
        due = SQLiteOutbox(store).due(datetime(2030, 1, 1, tzinfo=timezone.utc), 10)
        with store.transaction(write=True, application=B) as tx:
            assert tx.get(ConversationRecord, id="CON-old") is None
            tx.insert(UserRecord("USR-b", "alice", None, "t"))  # B's own alice
    finally:
        store.close()
    assert user is not None and (user.id, user.display_name, user.seq) == ("USR-old", "Alice", 5)
    assert conversation is not None and conversation.application_id == A
    assert (conversation.seq, conversation.sequence_number, conversation.expires_at) == (3, 1, None)
    assert (member.id, member.state, member.seq) == ("MEM-old", "JOINED", 2)
    assert event.body == {"text": "hi"}
    assert (leg.uuid, leg.position) == ("leg-old", 0)
    assert (session.session_key, session.seq) == ("jti-old", 1)
    assert (attempt.delivery_id, attempt.status, attempt.at) == (7, 500, T0)
    # The pending delivery goes with its conversation: sent (and signed) as A's now.
    assert [(d.application_id, d.id, d.attempts) for d in due] == [(A, 7, 1)]
    with sqlite3.connect(path) as reopened:
        assert reopened.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        leftovers = reopened.execute(
            "SELECT name FROM sqlite_master WHERE name LIKE '%_old'"
        ).fetchall()
    reopened.close()
    assert leftovers == []


def test_deliveries_of_two_applications_are_named_by_application_and_id(
    store: SQLiteStore,
) -> None:
    outbox = SQLiteOutbox(store)
    for application in (A, B):
        with store.transaction(write=True, application=application) as tx:
            tx.insert(
                DeliveryRecord("CON-1", 1, application, "POST", "http://h/", "{}", "{}", {}, 1, 1)
            )
    due = outbox.due(datetime(2030, 1, 1, tzinfo=timezone.utc), 10)
    # The same conversation id and delivery id in two applications: two heads, both due.
    assert sorted((d.application_id, d.id) for d in due) == [(A, 1), (B, 1)]
    outbox.complete(next(d for d in due if d.application_id == A))
    assert (outbox.outcome(A, 1), outbox.outcome(B, 1)) == ("delivered", "pending")
