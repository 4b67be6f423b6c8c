"""Callback delivery: how soon an event reaches its callback, how many go out per second, and
what a callback costs the request that makes the event.

    python benchmarks/delivery_figures.py

The emulator runs in a process of its own (`emulator_process.py`); the receiver is a threaded
loopback server here (HTTP/1.1 keep-alive, Nagle off, answering 200 with no body), noting when
each delivery arrives. Creates are sent one at a time over one keep-alive `httpx.Client`.

- **latency**: a text event created, then the next only once it has arrived; from just before
  the create to its arrival, p50 and p99 over `LATENCY_EVENTS`;
- **throughput**: 4 conversations with a callback, one thread creating events in each, all
  together; deliveries per second from the first create to the last arrival;
- **the create's own latency**: the median create in a conversation with a callback over the
  median in one without, in alternating rounds (a ratio of one run, like the other figures).
  Its receiver is a process of its own (``--receive``): a receiver thread here would take the
  measuring client's GIL for every delivery and charge the benchmark's own work to the create.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from client_figures import Figure
from emulator_process import SpawnedEmulator, spawned_emulator
from vonage_conversation_emulator.embedded import mint_token

LATENCY_EVENTS = 300
THROUGHPUT_EVENTS = 150  # per conversation
CONVERSATIONS = 4
ROUNDS, PER_ROUND = 25, 20  # short rounds: adjacent ones see the same machine


class Arrivals:
    """When each delivery arrived: (conversation id, event id) -> perf_counter seconds."""

    def __init__(self) -> None:
        self.times: dict[tuple[str, str], float] = {}
        self.changed = threading.Condition()

    def note(self, body: bytes) -> None:
        at = time.perf_counter()
        event = json.loads(body)
        with self.changed:
            self.times.setdefault((event["conversation_id"], event["id"]), at)
            self.changed.notify_all()

    def wait(self, key: tuple[str, str], timeout: float = 30.0) -> float:
        with self.changed:
            if not self.changed.wait_for(lambda: key in self.times, timeout):
                raise TimeoutError(f"no delivery of {key} within {timeout} s")
            return self.times[key]

    def wait_count(self, count: int, timeout: float = 120.0) -> float:
        """The last arrival's time once `count` deliveries have arrived."""
        with self.changed:
            if not self.changed.wait_for(lambda: len(self.times) >= count, timeout):
                raise TimeoutError(f"{len(self.times)} of {count} deliveries in {timeout} s")
            return max(self.times.values())


def _server(note: Any) -> ThreadingHTTPServer:
    """A loopback server answering every POST 200, handing each body to ``note``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            note(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server


@contextmanager
def receiver() -> Iterator[tuple[str, Arrivals]]:
    arrivals = Arrivals()
    server = _server(arrivals.note)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", arrivals
    finally:
        server.shutdown()
        server.server_close()


def _client(emulator: SpawnedEmulator) -> httpx.Client:
    token = mint_token(emulator.private_key_pem, emulator.application_id, ttl=3600)
    return httpx.Client(base_url=emulator.base_url, headers={"Authorization": f"Bearer {token}"})


def _conversation(http: httpx.Client, callback_url: str | None) -> tuple[str, str]:
    """A conversation (with a callback for text events when given) and the bench user's
    member of it."""
    body = {} if callback_url is None else {"callback": {"url": callback_url, "event_mask": "text"}}
    conversation = http.post("/v0.3/conversations", json=body).json()["id"]
    member = {"user": {"name": "bench"}, "state": "joined", "channel": {"type": "app"}}
    member_id = http.post(f"/v0.3/conversations/{conversation}/members", json=member).json()["id"]
    return conversation, member_id


def _create(http: httpx.Client, conversation: str, member: str) -> str:
    event = {"type": "text", "from": member, "body": {"text": "hello"}}
    answer = http.post(f"/v0.3/conversations/{conversation}/events", json=event)
    if answer.status_code != 201:
        raise RuntimeError(f"create answered {answer.status_code}: {answer.text}")
    return str(answer.json()["id"])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def latency_figures(emulator: SpawnedEmulator, url: str, arrivals: Arrivals) -> list[Figure]:
    with _client(emulator) as http:
        conversation, member = _conversation(http, url)
        for _ in range(20):  # warm up the connections, both ways
            arrivals.wait((conversation, _create(http, conversation, member)))
        latencies = []
        for _ in range(LATENCY_EVENTS):
            started = time.perf_counter()
            event_id = _create(http, conversation, member)
            latencies.append(arrivals.wait((conversation, event_id)) - started)
    how = f"create to receipt over loopback, {LATENCY_EVENTS} text events one after the other"
    return [
        Figure("delivery latency p50", _percentile(latencies, 0.5) * 1000, 20.0, "ms", note=how),
        Figure("delivery latency p99", _percentile(latencies, 0.99) * 1000, None, "ms", note=how),
    ]


def throughput_figures(emulator: SpawnedEmulator, url: str, arrivals: Arrivals) -> list[Figure]:
    clients = [_client(emulator) for _ in range(CONVERSATIONS)]
    try:
        made = [_conversation(http, url) for http in clients]
        before = len(arrivals.times)
        barrier = threading.Barrier(CONVERSATIONS + 1)

        def fill(http: httpx.Client, conversation: str, member: str) -> None:
            barrier.wait()
            for _ in range(THROUGHPUT_EVENTS):
                _create(http, conversation, member)

        threads = [
            threading.Thread(target=fill, args=(http, *pair))
            for http, pair in zip(clients, made, strict=True)
        ]
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        total = CONVERSATIONS * THROUGHPUT_EVENTS
        finished = arrivals.wait_count(before + total)
    finally:
        for http in clients:
            http.close()
    how = f"{CONVERSATIONS} conversations, a thread creating {THROUGHPUT_EVENTS} events in each"
    return [Figure("deliveries per second", total / (finished - started), None, "/s", note=how)]


@contextmanager
def receiver_process() -> Iterator[tuple[str, list[int]]]:
    """A receiver in a child process: its URL, and (once the block ends) how many deliveries
    it received, in a list of one."""
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--receive"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdin is not None and child.stdout is not None
    received: list[int] = []
    try:
        yield child.stdout.readline().strip(), received
    finally:
        child.stdin.close()
        received.append(int(child.stdout.readline() or 0))
        child.wait(timeout=30)


def _receive() -> None:
    """``--receive``: serve until stdin closes, print the URL first and the count last."""
    count = [0]
    server = _server(lambda body: count.__setitem__(0, count[0] + 1))
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    print(f"http://127.0.0.1:{server.server_address[1]}/hook", flush=True)
    sys.stdin.read()
    time.sleep(0.5)  # the last deliveries' answers
    server.shutdown()
    print(count[0], flush=True)


def create_cost_figures(emulator: SpawnedEmulator) -> list[Figure]:
    with receiver_process() as (url, received), _client(emulator) as http:
        with_callback = _conversation(http, url)
        without = _conversation(http, None)
        ratios = []
        for _ in range(ROUNDS):
            medians = []
            for conversation, member in (without, with_callback):
                times = []
                for _ in range(PER_ROUND):
                    started = time.perf_counter()
                    _create(http, conversation, member)
                    times.append(time.perf_counter() - started)
                medians.append(statistics.median(times))
            ratios.append(medians[1] / medians[0])
    if received != [ROUNDS * PER_ROUND]:
        raise RuntimeError(f"{received} deliveries of {ROUNDS * PER_ROUND} creates arrived")
    how = (
        f"median create with a callback over one without, {ROUNDS} alternating rounds of "
        f"{PER_ROUND}, one at a time; the receiver in a process of its own"
    )
    return [Figure("a create with a callback", statistics.median(ratios), 1.10, note=how)]


def delivery_figures() -> list[Figure]:
    """Every delivery figure, from one emulator process and one receiver."""
    with receiver() as (url, arrivals), spawned_emulator() as emulator:
        figures = latency_figures(emulator, url, arrivals)
        figures += throughput_figures(emulator, url, arrivals)
        figures += create_cost_figures(emulator)
    return figures


if __name__ == "__main__":
    if sys.argv[1:] == ["--receive"]:
        _receive()
        sys.exit(0)
    for figure in delivery_figures():
        met = {None: "", True: " (met)", False: " (missed)"}[figure.met]
        print(f"{figure.name}: {figure.value:,.2f} {figure.unit}{met}: {figure.note}")
    sys.exit(0)
