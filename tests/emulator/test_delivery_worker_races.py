"""`delivery.worker` against a race: an attempt ending while a pass reads the outbox (a file
store's read waits on a thread, so its answer can predate the attempt's settle) is not sent
again from that read."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from typing import Any

import httpx
from test_delivery_worker import request_for, run, until, worker_for
from vonage_conversation_emulator.delivery import MemoryOutbox
from vonage_conversation_pytest.webhooks import Reply, WebhookReceiver


class StaleLook(MemoryOutbox):
    """A `MemoryOutbox` whose ``look`` answers what was due when it began, after ``pause``
    seconds: as a read waiting on a thread does when an attempt ends meanwhile."""

    def __init__(self) -> None:
        super().__init__()
        self.pause = 0.0

    def look(self, now: datetime, limit: int) -> Any:
        found = super().look(now, limit)
        time.sleep(self.pause)
        return found


def test_an_attempt_ending_while_the_outbox_is_read_is_not_sent_again() -> None:
    outbox = StaleLook()
    with WebhookReceiver(replies=[Reply(200, delay=0.2)]) as receiver:
        delivery = outbox.add("CON-1", 1, request_for(receiver.url, "CON-1", 1))

        async def scenario() -> None:
            client = httpx.AsyncClient()
            worker = worker_for(outbox, client, inline_outbox=False)
            async with client, worker:
                await until(lambda: bool(receiver.requests), "the attempt at the receiver")
                outbox.pause = 0.6
                worker.wake()  # a pass reads the outbox while the attempt is unanswered
                await until(lambda: outbox.outcome(delivery.id) == "delivered", "delivered")
                await asyncio.sleep(1.0)  # the stale read's answer, and any second send
            assert outbox.outcome(delivery.id) == "delivered"

        run(scenario)
        assert len(receiver.requests) == 1
