"""The emulator's figures beside Stoplight Prism's: text events created per second and
`conversations.get` per second by 4 concurrent clients, their latency, and where a create's
time goes (a profile).

The emulator runs in a process of its own (`emulator_process`), Prism's mock in its own
(`prism`); both get the same load (`load`: 4 raw keep-alive connections, each sending the
same prepared request: the same create body, the same GET path, the same bearer header)
in alternating rounds of one run. A figure is the median over the rounds, a ratio the median
of per-round ratios. The profile is taken in this process instead, of the emulator's ASGI
application driven through `httpx.ASGITransport` (the same requests, without the network and
the server loop), with the handler run inline so that cProfile sees its work too.
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import math
import pstats
import statistics
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import anyio.to_thread
import httpx
from client_figures import Figure
from emulator_process import spawned_emulator
from load import LoadResult, Request, run_load
from prism import PrismUnavailableError, prism_mock
from ratios import percentile
from vonage_conversation_emulator.app import create_app
from vonage_conversation_emulator.embedded import mint_token
from vonage_conversation_emulator.keys import generate_private_key_pem, load_public_key

CLIENTS = 4
ROUNDS = 5
CREATE_TARGET = 1500.0
GET_TARGET = 3000.0


def _requests(token: str, conversation_id: str, member_id: str) -> tuple[Request, Request]:
    """The create and the get both servers are sent."""
    bearer = {"Authorization": f"Bearer {token}"}
    body = {"type": "text", "from": member_id, "body": {"text": "hello"}}
    create = Request(
        "POST",
        f"/v0.3/conversations/{conversation_id}/events",
        {**bearer, "Content-Type": "application/json"},
        json.dumps(body).encode(),
    )
    get = Request("GET", f"/v0.3/conversations/{conversation_id}", bearer)
    return create, get


@contextmanager
def _prism() -> Iterator[tuple[str | None, str]]:
    """Prism's base URL, or None and why it is not measured."""
    try:
        with prism_mock() as url:
            yield url, ""
    except PrismUnavailableError as error:
        yield None, str(error)


def _expect(result: LoadResult, status: int, server: str) -> LoadResult:
    if set(result.statuses) != {status}:
        raise RuntimeError(f"{server} answered {result.statuses}, expected only {status}")
    return result


def throughput_figures(*, creates: int = 300, gets: int = 500) -> list[Figure]:
    """Creates and gets per second, by `CLIENTS` concurrent clients, of the emulator and of
    Prism, in `ROUNDS` alternating rounds."""
    ours: dict[str, list[LoadResult]] = {"create": [], "get": []}
    theirs: dict[str, list[LoadResult]] = {"create": [], "get": []}
    with spawned_emulator() as emulator, _prism() as (prism_url, why_not):
        token = mint_token(emulator.private_key_pem, emulator.application_id, ttl=3600)
        create, get = _requests(token, emulator.conversation_id, emulator.member_id)
        for _ in range(ROUNDS):
            for kind, request, calls, status in (
                ("create", create, creates, 201),
                ("get", get, gets, 200),
            ):
                result = run_load(emulator.base_url, request, clients=CLIENTS, calls=calls)
                ours[kind].append(_expect(result, status, "the emulator"))
                if prism_url is not None:
                    result = run_load(prism_url, request, clients=CLIENTS, calls=calls)
                    theirs[kind].append(_expect(result, status, "Prism"))
    figures: list[Figure] = []
    for kind, label, target in (
        ("create", "text events created", CREATE_TARGET),
        ("get", "conversations.get", GET_TARGET),
    ):
        figures += _kind_figures(label, target, ours[kind], theirs[kind], why_not)
    latencies = [latency for result in ours["create"] for latency in result.latencies]
    figures += [
        Figure("emulator: create latency p50", percentile(latencies, 0.50) * 1e3, None, "ms"),
        Figure("emulator: create latency p99", percentile(latencies, 0.99) * 1e3, None, "ms"),
    ]
    return figures


def _kind_figures(
    label: str,
    target: float,
    ours: list[LoadResult],
    theirs: list[LoadResult],
    why_not: str,
) -> list[Figure]:
    per_second = statistics.median(result.per_second for result in ours)
    calls = len(ours[0].latencies)
    latencies = [latency for result in ours for latency in result.latencies]
    how = (
        f"{calls} calls a round, median of {len(ours)} rounds; "
        f"p50 {percentile(latencies, 0.50) * 1e3:.2f} ms, "
        f"p99 {percentile(latencies, 0.99) * 1e3:.2f} ms"
    )
    name = f"{label} per second ({CLIENTS} concurrent clients)"
    figures = [
        Figure(f"emulator: {name}", per_second, target, "/s", "at least", how),
    ]
    if theirs:
        prism = statistics.median(result.per_second for result in theirs)
        pairs = zip(ours, theirs, strict=True)
        ratio = statistics.median(a.per_second / b.per_second for a, b in pairs)
        figures += [
            Figure(f"Prism mock: {name}", prism, None, "/s", note="the same requests, same run"),
            Figure(
                f"emulator / Prism: {label} per second",
                ratio,
                1.0,
                bound="at least",
                note="median of per-round ratios",
            ),
        ]
    else:
        figures += [
            Figure(f"Prism mock: {name}", math.nan, None, "/s", note=f"not measured: {why_not}"),
            Figure(
                f"emulator / Prism: {label} per second",
                math.nan,
                1.0,
                bound="at least",
                note="not measured: Prism did not run",
            ),
        ]
    return figures


# Where a create's time goes


@contextmanager
def _handlers_inline() -> Iterator[None]:
    """The application's handlers run in the calling thread, where cProfile sees them."""

    async def inline(function: Callable[..., Any], *args: Any, **_: Any) -> Any:
        return function(*args)

    original = anyio.to_thread.run_sync
    anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    try:
        yield
    finally:
        anyio.to_thread.run_sync = original


#: The stages of a request in the emulator, by the function that does each (file, function).
STAGES = (
    ("request validation against the spec", "validation.py", "validate_request"),
    ("JWT verification", "auth.py", "authenticate"),
    ("routing", "spec.py", "match"),
    ("the handler and storage", "app.py", "_handle"),
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
    with _handlers_inline():
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
    shares.append(("everything else (reading the body, responses, ASGI)", rest))
    return sorted(shares, key=lambda share: -share[1])
