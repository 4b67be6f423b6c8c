"""A snapshot bigger than the API's 1 MiB body limit restores: every snapshot the emulator
answers is one it takes back."""

from __future__ import annotations

import httpx
from vonage_conversation_emulator.app import MAX_BODY_BYTES
from vonage_conversation_emulator.embedded import run_emulator


def test_a_snapshot_over_the_api_s_body_limit_restores_exactly() -> None:
    with run_emulator() as emulator:
        padding = "x" * (MAX_BODY_BYTES // 2)  # each create is under the API's limit...
        headers = {"Authorization": f"Bearer {emulator.token()}"}
        for index in range(3):
            body = {"name": f"big-{index}", "properties": {"custom_data": {"padding": padding}}}
            answer = httpx.post(
                f"{emulator.base_url}/v0.3/conversations", json=body, headers=headers
            )
            assert answer.status_code == 201, answer.text
        document = emulator.snapshot()
        assert len(str(document)) > 1.4 * MAX_BODY_BYTES  # ...the snapshot is not
        emulator.reset()
        assert emulator.snapshot()["tables"]["conversations"] == []
        emulator.restore(document)
        assert emulator.snapshot() == document
