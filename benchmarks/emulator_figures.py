"""The emulator's figures: text events created per second by 4 concurrent clients, their
latency, gets per second, and where a create's time goes (a profile).

The emulator runs in a process of its own (`emulator_process`), so that the clients, each in
a thread of this process, do not share its interpreter. The profile is taken in this process
instead, of the emulator's ASGI application driven through `httpx.ASGITransport` (the same
requests, without the network and the server loop), so that cProfile sees the handler's work.
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
from client_figures import Figure
from emulator_process import SpawnedEmulator, spawned_emulator
from ratios import percentile
from vonage_conversation import ConversationClient, RetryPolicy
from vonage_conversation_emulator.app import create_app
from vonage_conversation_emulator.embedded import mint_token
from vonage_conversation_emulator.keys import generate_private_key_pem, load_public_key

CLIENTS = 4


def _concurrently(
    emulator: SpawnedEmulator, calls: int, make: Callable[[ConversationClient, int], object]
) -> tuple[float, list[float]]:
    """`CLIENTS` clients, each in a thread, each making `calls` calls: (wall seconds, every
    call's latency in seconds)."""
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS + 1)

    def work(number: int) -> None:
        with ConversationClient(
            application_id=emulator.application_id,
            private_key=emulator.private_key_pem,
            base_url=emulator.base_url,
            retry=RetryPolicy(max_retries=0),
        ) as client:
            make(client, -1)  # warm: token, connection
            start.wait()
            mine = []
            for call in range(calls):
                began = time.perf_counter()
                make(client, number * calls + call)
                mine.append(time.perf_counter() - began)
            with lock:
                latencies.extend(mine)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began, latencies


def throughput_figures(*, creates: int = 250, gets: int = 500) -> list[Figure]:
    """Text events created, and conversations read, by `CLIENTS` concurrent clients."""
    with spawned_emulator() as emulator:
        cid, member = emulator.conversation_id, emulator.member_id
        wall, latencies = _concurrently(
            emulator,
            creates,
            lambda client, n: client.events.send_text(cid, from_=member, text=f"message {n}"),
        )
        get_wall, get_latencies = _concurrently(
            emulator, gets, lambda client, n: client.conversations.get(cid)
        )
    made = CLIENTS * creates
    return [
        Figure(
            f"emulator: text events created per second ({CLIENTS} concurrent clients)",
            made / wall,
            None,
            unit="/s",
            note=f"{made} events in {wall:.2f} s",
        ),
        Figure("emulator: create latency p50", percentile(latencies, 0.50) * 1e3, None, "ms"),
        Figure("emulator: create latency p99", percentile(latencies, 0.99) * 1e3, None, "ms"),
        Figure(
            f"emulator: conversations.get per second ({CLIENTS} concurrent clients)",
            CLIENTS * gets / get_wall,
            None,
            unit="/s",
            note=(
                f"p50 {percentile(get_latencies, 0.50) * 1e3:.2f} ms, "
                f"p99 {percentile(get_latencies, 0.99) * 1e3:.2f} ms"
            ),
        ),
    ]


# Where a create's time goes

#: The stages of a request in the emulator, by the function that does each (file, function).
STAGES = (
    ("request validation against the spec (openapi-core)", "validation.py", "validate_request"),
    ("JWT verification", "auth.py", "authenticate"),
    ("routing", "spec.py", "route"),
)
APPLICATION = ("app.py", "__call__")


def profile_create(*, creates: int = 300) -> list[tuple[str, float]]:
    """Profile `creates` text-event creations by the emulator's application in this process:
    each stage's share of the application's time, most first."""
    pem = generate_private_key_pem()
    app = create_app(application_id="bench", public_key=load_public_key(pem))
    token = mint_token(pem, "bench", ttl=3600)

    async def drive(profile: cProfile.Profile) -> None:
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(
            transport=transport, base_url="http://emulator", headers=headers
        ) as http:
            (await http.post("/_emulator/users", json={"name": "bench"})).raise_for_status()
            cid = (await http.post("/v0.3/conversations", json={"name": "b"})).json()["id"]
            body = {"user": {"name": "bench"}, "state": "joined", "channel": {"type": "app"}}
            member = (await http.post(f"/v0.3/conversations/{cid}/members", json=body)).json()
            event = {"type": "text", "from": member["id"], "body": {"text": "hi"}}
            profile.enable()
            for _ in range(creates):
                answer = await http.post(f"/v0.3/conversations/{cid}/events", json=event)
                answer.raise_for_status()
            profile.disable()

    profile = cProfile.Profile()
    asyncio.run(drive(profile))
    raw: dict[Any, Any] = pstats.Stats(profile).stats  # type: ignore[attr-defined]

    def cumulative(where: str, function: str) -> float:
        return float(
            sum(
                value[3]
                for (filename, _, name), value in raw.items()
                if name == function and filename.endswith(f"vonage_conversation_emulator/{where}")
            )
        )

    total = cumulative(*APPLICATION)
    shares = [(stage, cumulative(where, function) / total) for stage, where, function in STAGES]
    rest = 1 - sum(share for _, share in shares)
    shares.append(("everything else (handlers, storage, responses)", rest))
    return sorted(shares, key=lambda share: -share[1])
