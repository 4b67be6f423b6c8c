"""`examples/webhook_receiver.py` runs as documented: it verifies, prints each event once,
and answers 200, 401 or 400."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from vonage_conversation import webhooks

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "webhook_receiver.py"
SECRET = "a-signature-secret-of-32-bytes!!"


def body(event_id: int, text: str) -> bytes:
    return json.dumps(
        {
            "id": str(event_id),
            "type": "text",
            "from": "MEM-1",
            "body": {"text": text},
            "timestamp": "2030-01-01T00:00:00.000Z",
            "conversation_id": "CON-1",
            "application_id": "APP-1",
        }
    ).encode()


@pytest.fixture
def receiver() -> Iterator[tuple[subprocess.Popen[str], str]]:
    environment = {**os.environ, "VONAGE_SIGNATURE_SECRET": SECRET}
    process = subprocess.Popen(
        [sys.executable, str(EXAMPLE), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("listening on http://127.0.0.1:"), first
        assert "verifying signatures" in first
        yield process, first.split()[2]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_example_prints_each_verified_event_once(
    receiver: tuple[subprocess.Popen[str], str],
) -> None:
    process, url = receiver
    first, second = body(1, "hello"), body(2, "again")
    with httpx.Client() as client:
        assert (
            client.post(url, content=first, headers=webhooks.sign(first, SECRET)).status_code == 200
        )
        # A repeat (at-least-once delivery) is answered 200 and not handled twice.
        assert (
            client.post(url, content=first, headers=webhooks.sign(first, SECRET)).status_code == 200
        )
        signed = webhooks.sign(second, SECRET)
        assert (
            client.post(
                url, content=second.replace(b"again", b"forged"), headers=signed
            ).status_code
            == 401
        )
        assert client.post(url, content=second, headers={}).status_code == 401
        assert (
            client.post(url, content=b"[]", headers=webhooks.sign(b"[]", SECRET)).status_code == 400
        )
        assert client.post(url, content=second, headers=signed).status_code == 200
    process.terminate()
    out, err = process.communicate(timeout=10)
    assert out.splitlines() == ["CON-1 1 text 'hello'", "CON-1 2 text 'again'"]
    assert "refused (tampered)" in err
    assert "refused (missing)" in err
    assert "not an event" in err
