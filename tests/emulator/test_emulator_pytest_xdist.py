"""The plugin under pytest-xdist: ``pytest -n 4`` over its fixtures runs one emulator (in the
controlling process) and gives each worker an application of its own on it, reset for every
test; the fixture methods (clock, faults, snapshot) work from the workers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

USER_SUITE = """
import json
import os
from pathlib import Path

import httpx
import pytest

from vonage_conversation import ConversationClient, NotFoundError, RetryPolicy

RECORD = Path(os.environ["PLUGIN_RECORD"])


def note(emulator):
    entry = {
        "worker": os.environ.get("PYTEST_XDIST_WORKER"),
        "url": emulator.base_url,
        "application": emulator.application_id,
    }
    with RECORD.open("a", encoding="utf-8") as record:
        record.write(json.dumps(entry) + "\\n")


@pytest.mark.parametrize("n", range(16))
def test_each_test_starts_alone_from_the_seed(emulator, conversation_client, n):
    note(emulator)
    # Nothing from this worker's earlier tests (reset) nor from the other workers (their own
    # applications): the same name every time, never a 409.
    assert list(conversation_client.conversations.list()) == []
    conversation_client.conversations.create(name="the same name in every test")
    names = [c.name for c in conversation_client.conversations.list()]
    assert names == ["the same name in every test"]


def test_the_clock_moves_ttl_and_token_expiry_and_the_client_follows(emulator, conversation_client):
    note(emulator)
    minted_before = emulator.token(ttl=60)
    conversation = conversation_client.conversations.create(properties={"ttl": 30})
    emulator.advance(29)
    assert conversation_client.conversations.get(conversation.id).id == conversation.id
    emulator.advance(2)
    with pytest.raises(NotFoundError):
        conversation_client.conversations.get(conversation.id)
    emulator.advance(900)  # past any token minted on the real clock
    refused = httpx.get(
        f"{emulator.base_url}/v0.3/conversations",
        headers={"Authorization": f"Bearer {minted_before}"},
    )
    assert refused.status_code == 401, refused.text
    assert refused.json()["code"] == "system:error:expired-token"
    assert list(conversation_client.conversations.list()) == []


def test_a_fault_answers_twice_then_the_retries_get_through(emulator, conversation_client):
    note(emulator)
    created = conversation_client.conversations.create()
    emulator.fail("getConversation", status=503, count=2, retry_after=1)
    sleeps = []
    with ConversationClient(
        application_id=emulator.application_id,
        private_key=emulator.private_key_pem,
        base_url=emulator.base_url,
        retry=RetryPolicy(sleep=sleeps.append),
    ) as client:
        assert client.conversations.get(created.id).id == created.id
    assert sleeps == [1.0, 1.0]


def test_a_snapshot_restores_exactly(emulator, conversation_client):
    note(emulator)
    conversation_client.conversations.create(name="kept")
    document = emulator.snapshot()
    emulator.reset()
    assert list(conversation_client.conversations.list()) == []
    emulator.restore(document)
    assert emulator.snapshot() == document
    assert [c.name for c in conversation_client.conversations.list()] == ["kept"]
"""


def test_pytest_n_4_shares_one_emulator_with_an_application_per_worker(tmp_path: Path) -> None:
    (tmp_path / "test_user_suite.py").write_text(USER_SUITE, encoding="utf-8")
    record = tmp_path / "record.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "4", "."],
        cwd=tmp_path,
        env={**os.environ, "PLUGIN_RECORD": str(record)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "19 passed" in done.stdout, done.stdout
    entries = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert len(entries) == 19
    workers = {entry["worker"] for entry in entries}
    assert len(workers) >= 2, workers  # the tests did spread over workers
    assert len({entry["url"] for entry in entries}) == 1  # one emulator
    application_of = {}
    for entry in entries:
        application_of.setdefault(entry["worker"], set()).add(entry["application"])
    # One application per worker, and no two workers share one.
    assert all(len(applications) == 1 for applications in application_of.values())
    assert len({min(apps) for apps in application_of.values()}) == len(workers)
