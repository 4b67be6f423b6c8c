"""An emulator in a process of its own, for benchmarks that must not share the client's GIL.

    python benchmarks/emulator_process.py [--events N]

The child starts `run_emulator()`, makes a user, a conversation and the user's member of it,
and (with ``--events``) N text events from that member, appended straight through the
emulator's storage interface (appending them over HTTP would take minutes and measure writes).
It prints one JSON line (``base_url``, ``application_id``, ``private_key_pem``,
``conversation_id``, ``member_id``) and serves until its standard input closes, or for at
most `LIFETIME` seconds. `spawned_emulator` runs it as a context
manager.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from vonage_conversation_emulator.embedded import run_emulator
from vonage_conversation_emulator.storage import EventRecord

LIFETIME = 600.0


@dataclass(frozen=True)
class SpawnedEmulator:
    """A running emulator in a child process, and what it was filled with."""

    base_url: str
    application_id: str
    private_key_pem: str
    conversation_id: str
    member_id: str
    pid: int


@contextlib.contextmanager
def spawned_emulator(events: int = 0) -> Iterator[SpawnedEmulator]:
    """Start the emulator in a child process (with `events` text events in one conversation),
    and stop it when the block ends."""
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--events", str(events)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        if not line:
            raise RuntimeError("the emulator process ended before it started")
        info = json.loads(line)
        yield SpawnedEmulator(**info, pid=child.pid)
    finally:
        if child.stdin is not None:
            child.stdin.close()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _serve(events: int) -> None:
    with run_emulator() as emulator:
        headers = {"Authorization": f"Bearer {emulator.token(ttl=3600)}"}
        with httpx.Client(base_url=emulator.base_url, headers=headers) as http:
            http.post("/_emulator/users", json={"name": "bench"}).raise_for_status()
            conversation_id = http.post("/v0.3/conversations", json={"name": "bench"}).json()["id"]
            member = {"user": {"name": "bench"}, "state": "joined", "channel": {"type": "app"}}
            answer = http.post(f"/v0.3/conversations/{conversation_id}/members", json=member)
            member_id = answer.json()["id"]
        store = emulator.app.store
        with store.transaction(write=True, application=emulator.application_id) as tx:
            for number in range(1, events + 1):
                tx.append_event(
                    EventRecord(
                        conversation_id,
                        0,
                        "text",
                        {"text": f"message {number}"},
                        "2020-01-01T00:00:00.000Z",
                        from_member=member_id,
                    )
                )
        info = {
            "base_url": emulator.base_url,
            "application_id": emulator.application_id,
            "private_key_pem": emulator.private_key_pem,
            "conversation_id": conversation_id,
            "member_id": member_id,
        }
        print(json.dumps(info), flush=True)
        done = threading.Event()
        threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
        done.wait(LIFETIME)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=0, help="text events in one conversation")
    _serve(parser.parse_args().events)
