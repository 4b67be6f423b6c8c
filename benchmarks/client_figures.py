"""The client's figures: what it adds to the wire, measured against raw httpx in one run.

Each function returns `Figure`s; `run.py` writes them to RESULTS.md. The raw baseline is what a
caller would write without the client: an `httpx.Client` with the bearer header already made,
``json.loads`` of the body, and reads of the same fields.

Why over 400 lines: each figure's baseline and candidate are written side by side (a page, a
get over a mock and over loopback, a long walk and its memory, the async fan-out with a bare
httpx client's beside it, JWT signing), so that what a ratio compares can be read at once.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal
from unittest import mock

import httpx
import vonage_conversation._auth as auth
from emulator_process import SpawnedEmulator, spawned_emulator
from ratios import ratio
from servers import delayed_json_server, fixed_json_server
from vonage_conversation import AsyncConversationClient, ConversationClient, RetryPolicy
from vonage_conversation_api.api.event import list_events
from vonage_conversation_api.client import AuthenticatedClient
from vonage_conversation_emulator.embedded import mint_token

BASE_URL = "https://api.nexmo.com"
CONVERSATION_ID = "CON-bench"


@dataclass(frozen=True)
class Figure:
    """One measured figure, its target (`bound`: the value must be at most, at least or
    exactly it) and whether it is met."""

    name: str
    value: float
    target: float | None
    unit: str = "x"
    bound: Literal["at most", "at least", "exactly"] = "at most"
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        if self.bound == "at most":
            return self.value <= self.target
        if self.bound == "at least":
            return self.value >= self.target
        return self.value == self.target


@dataclass(frozen=True)
class Bodies:
    """Response bodies made by the emulator: a page of 100 events and a conversation."""

    page: bytes
    conversation: bytes
    application_id: str
    private_key_pem: str


def emulator_bodies() -> Bodies:
    """A page of 100 events (99 text events and the member's join) and its conversation, as
    the emulator sends them."""
    with spawned_emulator(events=99) as emulator, _raw_client(emulator) as http:
        path = f"/v0.3/conversations/{emulator.conversation_id}"
        page = http.get(f"{path}/events", params={"page_size": 100})
        conversation = http.get(path)
        return Bodies(
            page.content, conversation.content, emulator.application_id, emulator.private_key_pem
        )


@contextmanager
def _raw_client(emulator: SpawnedEmulator) -> Iterator[httpx.Client]:
    token = mint_token(emulator.private_key_pem, emulator.application_id, ttl=3600)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=emulator.base_url, headers=headers) as http:
        yield http


def _answering(bodies: Bodies) -> httpx.MockTransport:
    def answer(request: httpx.Request) -> httpx.Response:
        body = bodies.page if request.url.path.endswith("/events") else bodies.conversation
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    return httpx.MockTransport(answer)


def _client(bodies: Bodies, **options: Any) -> ConversationClient:
    return ConversationClient(
        application_id=bodies.application_id,
        private_key=bodies.private_key_pem,
        retry=RetryPolicy(max_retries=0),
        **options,
    )


def _raw(
    bodies: Bodies, transport: httpx.BaseTransport | None = None, base_url: str = BASE_URL
) -> httpx.Client:
    """Raw httpx: a client with the bearer header made once (a token like the client's, so that
    both send the same bytes), nothing else."""
    token = mint_token(bodies.private_key_pem, bodies.application_id, ttl=3600)
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.Client(base_url=base_url, headers=headers, transport=transport)


# Reading every field of an event: from JSON, and from a model.


def _fields(*values: object) -> tuple[object, ...]:
    return values


def _read_json_event(event: dict[str, Any]) -> tuple[object, ...]:
    return (
        event["id"],
        event["type"],
        event.get("from"),
        event["body"],
        event["timestamp"],
        event.get("href"),
        event["_links"]["self"]["href"],
    )


def _read_model_event(event: Any) -> tuple[object, ...]:
    return (
        event.id,
        event.type_,
        event.from_,
        event.body,
        event.timestamp,
        event.href,
        event.field_links.self_.href,
    )


def page_figures(bodies: Bodies) -> list[Figure]:
    """A page of 100 events through ``events.list`` (its first page) and through the stock
    generated ``list_events.sync``, each against raw httpx, on a `MockTransport`."""
    transport = _answering(bodies)
    raw = _raw(bodies, transport)
    client = _client(bodies, transport=transport)
    stock = AuthenticatedClient(base_url=BASE_URL, token="header.payload.signature")
    stock.set_httpx_client(_raw(bodies, transport))
    events = f"/v0.3/conversations/{CONVERSATION_ID}/events"

    def raw_page() -> None:
        page = json.loads(raw.get(events, params={"page_size": 100}).content)
        for event in page["_embedded"]["events"]:
            _read_json_event(event)

    def our_page() -> None:
        for page in client.events.list(CONVERSATION_ID, page_size=100).pages():
            for event in page.items:
                _read_model_event(event)
            break

    def stock_page() -> None:
        page = list_events.sync(CONVERSATION_ID, client=stock, page_size=100)
        for event in page.field_embedded.events:
            _read_model_event(event)

    ours = ratio(raw_page, our_page, calls=40, rounds=15)
    theirs = ratio(raw_page, stock_page, calls=20)
    note = (
        f"raw {ours.baseline * 1e3:.3f} ms, ours {ours.candidate * 1e3:.3f} ms; "
        f"{len(bodies.page) / 1024:.0f} KB, 100 events made by the emulator"
    )
    return [
        Figure("page of 100 events, events.list (MockTransport)", ours.ratio, 2.0, note=note),
        Figure(
            "page of 100 events, stock generated list_events.sync (MockTransport)",
            theirs.ratio,
            None,
            note=f"stock {theirs.candidate * 1e3:.3f} ms: the generator's own models, no checks",
        ),
    ]


def get_figures(bodies: Bodies) -> list[Figure]:
    """One ``conversations.get``: on a `MockTransport`, and over loopback to a minimal server."""
    transport = _answering(bodies)
    raw = _raw(bodies, transport)
    client = _client(bodies, transport=transport)
    path = f"/v0.3/conversations/{CONVERSATION_ID}"

    def raw_get(http: httpx.Client = raw) -> None:
        conversation = json.loads(http.get(path).content)
        _fields(conversation["id"], conversation["name"], conversation["timestamp"]["created"])

    def our_get(api: ConversationClient = client) -> None:
        conversation = api.conversations.get(CONVERSATION_ID)
        _fields(conversation.id, conversation.name, conversation.timestamp.created)

    mocked = ratio(raw_get, our_get, calls=400, rounds=15)
    with (
        fixed_json_server(bodies.conversation) as url,
        _raw(bodies, base_url=url) as raw_loop,
        _client(bodies, base_url=url) as loop_client,
    ):
        looped = ratio(
            lambda: raw_get(raw_loop), lambda: our_get(loop_client), calls=300, rounds=15
        )
    return [
        Figure(
            "conversations.get (MockTransport)",
            mocked.ratio,
            1.5,
            note=f"raw {mocked.baseline * 1e6:.0f} us, ours {mocked.candidate * 1e6:.0f} us",
        ),
        Figure(
            "conversations.get over loopback (http.server on 127.0.0.1)",
            looped.ratio,
            1.10,
            note=f"raw {looped.baseline * 1e6:.0f} us, ours {looped.candidate * 1e6:.0f} us",
        ),
    ]


def _iterate_raw(http: httpx.Client, conversation_id: str, count: int) -> int:
    url: str | None = f"/v0.3/conversations/{conversation_id}/events?page_size=100"
    seen = 0
    while url is not None and seen < count:
        page = json.loads(http.get(url).content)
        for event in page["_embedded"]["events"]:
            _read_json_event(event)
            seen += 1
        following = page["_links"].get("next")
        url = following["href"] if following else None
    return seen


def _iterate_ours(client: ConversationClient, conversation_id: str, count: int) -> int:
    seen = 0
    for event in client.events.list(conversation_id, page_size=100, limit=count):
        _read_model_event(event)
        seen += 1
    return seen


def iteration_figures() -> list[Figure]:
    """10,000 events from an emulator (in a process of its own), 100 per page, read by the
    paginator and by a raw loop following ``_links.next``; then the paginator's peak memory
    over 20,000 events against 2,000."""
    figures = []
    with spawned_emulator(events=19_999) as emulator, _raw_client(emulator) as http:
        client = _client(_bodies_of(emulator), base_url=emulator.base_url)
        cid = emulator.conversation_id
        timing = ratio(
            lambda: _iterate_raw(http, cid, 10_000),
            lambda: _iterate_ours(client, cid, 10_000),
            calls=1,
            rounds=7,
        )
        assert _iterate_ours(client, cid, 10_000) == _iterate_raw(http, cid, 10_000) == 10_000
        figures.append(
            Figure(
                "10,000 events from the emulator, 100 pages (paginator vs raw loop)",
                timing.ratio,
                1.2,
                note=f"raw {timing.baseline:.2f} s, ours {timing.candidate:.2f} s",
            )
        )
        small, large = _peak_bytes(client, cid, (2_000, 20_000))
        figures.append(
            Figure(
                "peak memory iterating 20,000 events / 2,000 events",
                large / small,
                1.10,
                note=f"{small / 1024:.0f} KiB for 2,000, {large / 1024:.0f} KiB for 20,000",
            )
        )
        client.close()
    return figures


def _bodies_of(emulator: SpawnedEmulator) -> Bodies:
    return Bodies(b"", b"", emulator.application_id, emulator.private_key_pem)


def _peak_bytes(
    client: ConversationClient, conversation_id: str, counts: tuple[int, int]
) -> tuple[int, int]:
    """The most memory Python held at once, above what it held before, while the paginator
    walked each count of events.

    Traced from a first walk on: that walk warms what any walk fills once (the token, the
    connection, the compiled readers, and urllib's cache of parsed URLs, which httpx's cookie
    handling fills with every URL it sees, 128 at most), so that each figure is what walking
    costs in the steady state, whatever holds the pages.
    """
    tracemalloc.start()
    try:
        _iterate_ours(client, conversation_id, max(counts))
        peaks = []
        for count in counts:
            before = tracemalloc.get_traced_memory()[0]
            tracemalloc.reset_peak()
            assert _iterate_ours(client, conversation_id, count) == count
            peaks.append(tracemalloc.get_traced_memory()[1] - before)
        return peaks[0], peaks[1]
    finally:
        tracemalloc.stop()


def fan_out_figures(
    bodies: Bodies, *, calls: int = 200, delay: float = 0.010, rounds: int = 5
) -> list[Figure]:
    """`calls` concurrent ``conversations.get`` on one `AsyncConversationClient` against the
    same calls one after the other, to a local asyncio server answering each after `delay`
    seconds (standing for the network's latency): the median of `rounds` alternating rounds,
    the connections already open. The same calls through a bare ``httpx.AsyncClient`` are
    measured alongside: the ceiling httpx's own connection pool sets on this machine."""

    async def measure(url: str) -> dict[str, float]:
        client = AsyncConversationClient(
            application_id=bodies.application_id,
            private_key=bodies.private_key_pem,
            base_url=url,
            retry=RetryPolicy(max_retries=0),
        )
        raw = httpx.AsyncClient(base_url=url, headers={"Authorization": "Bearer raw"})
        path = f"/v0.3/conversations/{CONVERSATION_ID}"

        async def in_sequence() -> None:
            for _ in range(calls):
                await client.conversations.get(CONVERSATION_ID)

        async def at_once() -> None:
            gets = (client.conversations.get(CONVERSATION_ID) for _ in range(calls))
            assert len(await asyncio.gather(*gets)) == calls

        async def raw_in_sequence() -> None:
            for _ in range(calls):
                (await raw.get(path)).raise_for_status()

        async def raw_at_once() -> None:
            answers = await asyncio.gather(*(raw.get(path) for _ in range(calls)))
            assert all(answer.status_code == 200 for answer in answers)

        work = {
            "sequence": in_sequence,
            "once": at_once,
            "raw sequence": raw_in_sequence,
            "raw once": raw_at_once,
        }
        async with client, raw:
            await at_once()  # warm: the token, and the pools' connections opened
            await raw_at_once()
            times: dict[str, list[float]] = {name: [] for name in work}
            for round_number in range(rounds):
                order = list(work.items())
                for name, step in order[:: -1 if round_number % 2 else 1]:
                    started = time.perf_counter()
                    await step()
                    times[name].append(time.perf_counter() - started)
        return {name: statistics.median(taken) for name, taken in times.items()}

    with delayed_json_server(bodies.conversation, delay) as url:
        taken = asyncio.run(measure(url))
    sequential, concurrent = taken["sequence"], taken["once"]
    server = f"a local asyncio server (a process of its own) answering after {delay * 1e3:.0f} ms"
    return [
        Figure(
            f"async fan-out: {calls} concurrent conversations.get / in sequence (throughput)",
            sequential / concurrent,
            5.0,
            bound="at least",
            note=(
                f"{server}; "
                f"{calls / sequential:.0f}/s in sequence, {calls / concurrent:.0f}/s at once "
                "(httpx's default pool: 100 connections, opened before timing)"
            ),
        ),
        Figure(
            f"async fan-out of a bare httpx.AsyncClient: the same {calls} GETs",
            taken["raw sequence"] / taken["raw once"],
            None,
            note=(
                f"{server}; {calls / taken['raw sequence']:.0f}/s in sequence, "
                f"{calls / taken['raw once']:.0f}/s at once: httpx's own ceiling here"
            ),
        ),
    ]


def jwt_figures(bodies: Bodies, *, calls: int = 10_000) -> list[Figure]:
    """`calls` calls inside one token's lifetime: how many tokens are signed (counted at
    ``jwt.encode``) and how many distinct tokens reach the server."""
    tokens: set[str] = set()

    def answer(request: httpx.Request) -> httpx.Response:
        tokens.add(request.headers["Authorization"])
        return httpx.Response(200, content=bodies.conversation)

    signing: Callable[..., str] = auth.jwt.encode
    with (
        mock.patch.object(auth.jwt, "encode", side_effect=signing) as signed,
        _client(bodies, transport=httpx.MockTransport(answer)) as client,
    ):
        started = time.perf_counter()
        for _ in range(calls):
            client.conversations.get(CONVERSATION_ID)
        elapsed = time.perf_counter() - started
    return [
        Figure(
            f"JWT: tokens signed for {calls:,} calls in one token lifetime",
            signed.call_count,
            1,
            unit="",
            bound="exactly",
            note=f"{len(tokens)} distinct token(s) sent; {calls / elapsed:,.0f} calls/s",
        )
    ]
